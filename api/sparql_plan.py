"""What a SPARQL protocol request asks: the operation, its errors, and a light look
inside the query text (a tokenizer that lowers LIMIT to the row limit and finds the
dataset clauses) before it is evaluated."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pyoxigraph as ox
from fastapi.responses import JSONResponse

__all__ = [
    "Operation",
    "QueryPlan",
    "SparqlError",
    "Token",
    "capped",
    "plan_query",
    "plan_update",
    "tokenize",
]


class SparqlError(Exception):
    """A request the endpoint refuses: the HTTP status, an error name and what went wrong."""

    def __init__(
        self, status: int, error: str, detail: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail
        self.headers = headers or {}

    def __reduce__(self) -> tuple:  # raised in a query process, re-raised in the server
        return (SparqlError, (self.status, self.error, self.detail, self.headers))

    def response(self) -> JSONResponse:
        body = {"error": self.error, "detail": self.detail}
        return JSONResponse(body, self.status, headers=self.headers)


@dataclass(frozen=True)
class Operation:
    """One protocol request: a query or an update, with the graphs the request named."""

    kind: Literal["query", "update"]
    text: str
    graphs: tuple[str, ...] = ()  # default-graph-uri, or using-graph-uri for updates
    named_graphs: tuple[str, ...] = ()  # named-graph-uri, or using-named-graph-uri


@dataclass(frozen=True)
class QueryPlan:
    """What runs: the query with its LIMIT lowered to the row limit + 1, and the dataset."""

    text: str
    original: str
    options: dict[str, Any] = field(default_factory=dict)


_LEXER = re.compile(
    r"""
    (?P<space>\s+|\#[^\n\r]*)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$]\w+)
    |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w.:%-]|\\.)*)
    |(?P<word>[^\W\d_]\w*)
    |(?P<number>\d+)
    |(?P<brace>[{}])
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """A lexical token of SPARQL: keywords upper-cased, with its place and brace depth."""

    kind: str
    text: str
    start: int
    end: int
    depth: int


def tokenize(text: str) -> list[Token]:
    """SPARQL's tokens, enough to find keywords outside strings, IRIs and comments."""
    tokens, depth = [], 0
    for match in _LEXER.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "space":
            continue
        value = match.group()
        if value == "}":
            depth = max(depth - 1, 0)
        word = value.upper() if kind == "word" else value
        tokens.append(Token(kind, word, match.start(), match.end(), depth))
        if value == "{":
            depth += 1
    return tokens


def _keywords(tokens: Sequence[Token], name: str, depth: int | None = None) -> list[int]:
    """Positions in ``tokens`` of the keyword ``name`` (at brace ``depth`` if given)."""
    return [
        i
        for i, token in enumerate(tokens)
        if token.kind == "word" and token.text == name and depth in (None, token.depth)
    ]


def plan_query(operation: Operation, base_iri: str, max_rows: int) -> QueryPlan:
    """How to run a query: refuse SERVICE, choose the dataset, lower its LIMIT."""
    tokens = tokenize(operation.text)
    if _keywords(tokens, "SERVICE"):
        raise SparqlError(403, "Forbidden", "SERVICE (federated query) is disabled here")
    options: dict[str, Any] = {"base_iri": base_iri}
    if operation.graphs or operation.named_graphs:  # the protocol's dataset overrides FROM
        options["default_graph"] = [ox.NamedNode(g) for g in operation.graphs]
        options["named_graphs"] = [ox.NamedNode(g) for g in operation.named_graphs]
    elif not _keywords(tokens, "FROM"):
        options["use_default_graph_as_union"] = True
    return QueryPlan(capped(operation.text, tokens, max_rows), operation.text, options)


def capped(text: str, tokens: Sequence[Token], max_rows: int) -> str:
    """``text`` with its outer LIMIT at most ``max_rows + 1`` (ASK is left alone)."""
    if _keywords(tokens, "ASK", depth=0):
        return text
    cap = max_rows + 1
    limits = _keywords(tokens, "LIMIT", depth=0)
    if limits:
        number = tokens[limits[0] + 1] if limits[0] + 1 < len(tokens) else None
        if number is None or number.kind != "number" or int(number.text) <= cap:
            return text  # low enough, or malformed (and the parser will say so)
        return f"{text[: number.start]}{cap}{text[number.end :]}"
    values = _keywords(tokens, "VALUES", depth=0)  # the trailing VALUES comes after LIMIT
    if values:
        at = tokens[values[-1]].start
        return f"{text[:at]}LIMIT {cap}\n{text[at:]}"
    return f"{text}\nLIMIT {cap}"


def plan_update(operation: Operation) -> str:
    """The update to run: checked for SERVICE and LOAD, with USING for the protocol graphs."""
    text, tokens = operation.text, tokenize(operation.text)
    if _keywords(tokens, "SERVICE"):
        raise SparqlError(403, "Forbidden", "SERVICE (federated query) is disabled here")
    for i in _keywords(tokens, "LOAD"):
        source = next((t for t in tokens[i + 1 :] if t.text.upper() != "SILENT"), None)
        if source is None or source.kind != "iri" or not re.match(r"<https?://", source.text):
            raise SparqlError(403, "Forbidden", "LOAD only reads absolute http(s) URLs")
    if not operation.graphs and not operation.named_graphs:
        return text
    if _keywords(tokens, "USING", depth=0) or _keywords(tokens, "WITH", depth=0):
        detail = "the update has USING or WITH and the request using-graph-uri parameters"
        raise SparqlError(400, "BadRequest", detail + "; give the graphs in one place")
    using = " ".join(
        [f"USING <{g}>" for g in operation.graphs]
        + [f"USING NAMED <{g}>" for g in operation.named_graphs]
    )
    wheres = [
        tokens[i].start
        for i in _keywords(tokens, "WHERE", depth=0)
        if not (i and tokens[i - 1].kind == "word" and tokens[i - 1].text == "DELETE")
    ]
    for at in reversed(wheres):  # DELETE WHERE takes no USING
        text = f"{text[:at]}{using}\n{text[at:]}"
    return text
