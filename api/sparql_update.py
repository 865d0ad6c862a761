"""SPARQL updates that cannot crash the server.

pyoxigraph's recursive parser overflows its stack on a few thousand nested groups
(or OPTIONALs, parentheses, UNION branches, property-path steps): a segmentation fault
that takes the whole process with it. Queries are evaluated in killable processes
(``kg.graph.query_workers``), but an update must run in the server, the one process that
holds the store open for writing. So the update is first parsed where a crash costs
nothing: :func:`dry_run` runs it in a query process against an empty in-memory store
(the same parser, and an evaluation over no data, which takes no time), with each LOAD
turned into a CLEAR so nothing is fetched twice. Only an update that came through
unharmed is run on the real store; one that killed its process is 400
``QueryTooComplex``, a syntax error is 400 ``UpdateSyntaxError``, as before.

An in-memory store has no query processes (no other process can open it): there
:func:`check_nesting` refuses updates nested deeper than :data:`MAX_NESTING` brackets
before pyoxigraph sees them, which covers nested groups, OPTIONALs and parentheses,
not the long flat UNIONs and paths.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from api.sparql_plan import SparqlError, tokenize
from kg.errors import QueryTooComplex

__all__ = ["MAX_NESTING", "check_nesting", "dry_run", "run_update", "without_loads"]

#: Brackets ({, (, [) open at once beyond which an in-memory store's update is refused;
#: pyoxigraph's parser crashes at a few thousand, real updates stay under a few dozen.
MAX_NESTING = 256


def dry_run(_store: object, text: str, base_iri: str) -> None:
    """Parse and run ``text`` against an empty in-memory store (in a query process,
    whose read-only store it ignores): SparqlError for a syntax error, a crash of
    the process for what would have crashed the server."""
    try:
        ox.Store().update(without_loads(text), base_iri=base_iri)
    except SyntaxError as error:
        raise SparqlError(400, "UpdateSyntaxError", str(error)) from None
    except (OSError, ValueError):
        pass  # evaluation problems are the real run's to report; the parse went through


def run_update(store: ox.Store, text: str, base_iri: str) -> None:
    """The real run, on the server's store (in a worker thread)."""
    try:
        store.update(text, base_iri=base_iri)
    except SyntaxError as error:
        raise SparqlError(400, "UpdateSyntaxError", str(error)) from None
    except OSError as error:  # a LOAD that could not fetch or parse its source, mostly
        raise SparqlError(400, "UpdateFailed", f"the update failed: {error}") from None


def without_loads(text: str) -> str:
    """``text`` with each ``LOAD [SILENT] <source> [INTO GRAPH <g>]`` replaced by
    ``CLEAR SILENT DEFAULT`` (the same place in the grammar, nothing fetched)."""
    tokens = tokenize(text)
    spans = []
    for i, token in enumerate(tokens):
        if token.kind != "word" or token.text != "LOAD":
            continue
        end = i + 1
        if end < len(tokens) and tokens[end].text == "SILENT":
            end += 1
        end += 1  # the source IRI
        if end + 2 < len(tokens) and [t.text for t in tokens[end : end + 2]] == ["INTO", "GRAPH"]:
            end += 3
        last = tokens[min(end, len(tokens)) - 1]
        spans.append((token.start, last.end))
    for start, stop in reversed(spans):
        text = f"{text[:start]}CLEAR SILENT DEFAULT{text[stop:]}"
    return text


_OPEN, _CLOSE = re.compile(r"[{(\[]"), re.compile(r"[})\]]")


def check_nesting(text: str) -> None:
    """QueryTooComplex if brackets outside strings and IRIs nest deeper than
    :data:`MAX_NESTING`."""
    depth = deepest = 0
    for token in tokenize(text):
        if token.kind in ("brace", "other"):
            if _OPEN.fullmatch(token.text):
                depth += 1
                deepest = max(deepest, depth)
            elif _CLOSE.fullmatch(token.text):
                depth = max(depth - 1, 0)
    if deepest > MAX_NESTING:
        raise QueryTooComplex(
            f"the update nests {deepest} brackets deep; this server takes at most {MAX_NESTING}"
        )
