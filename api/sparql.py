"""``/sparql``: the SPARQL 1.1 Protocol over the embedded Oxigraph store.

Queries come by ``GET ?query=``, by form ``POST`` (``query=``) or by an
``application/sparql-query`` body, with ``default-graph-uri`` and ``named-graph-uri``
(repeatable) as the protocol dataset. Without them the default graph is the union of
all named graphs, as in ``kg query``, unless the query names its own (``FROM``).
Results are chosen by ``Accept`` (q-values honoured; no header or ``*/*`` gives SPARQL
JSON, or Turtle for CONSTRUCT/DESCRIBE) and written by Oxigraph's own serialisers,
never through rdflib terms (DESIGN: that is where the time goes).

Limits (``Settings``) are chosen so that a client gets the whole answer or an error it
can act on, never a silently shortened answer:

- ``sparql_timeout``, ``sparql_max_memory``: over an on-disk store, the query is planned,
  evaluated and serialised in a worker process that opens the store read-only
  (``api.query_pool``, ``kg.graph.query_workers``); past the time limit the process is
  killed and the client gets **503** ``QueryTimeout`` (as Fuseki answers; 408 and 504 mean
  other things), past the memory limit **503** ``QueryTooLarge``; a query that crashes
  the parser (thousands of nested groups) costs its process and gets **400**
  ``QueryTooComplex``. A killed process is replaced at once; a query that finds no free
  process within its limit gets **503** ``ServerBusy``. Over an in-memory store (which no
  other process can open) the query runs in a worker thread in an evaluation slot
  (``SLOTS``, one a core): the client still gets its 503 at the limit, but the evaluation
  stops only at its next write of output and keeps its slot until then, and there is no
  memory limit; the tests and notebooks use that store, servers use the disk.
- ``sparql_max_rows``: a result with more rows (SELECT) or triples (CONSTRUCT, DESCRIBE)
  is refused with **400** ``ResultTooLarge`` asking for a LIMIT, not truncated: standard
  clients cannot see a truncation header, so a cut result would be a wrong answer. The
  query runs with its LIMIT lowered to the limit + 1, so refusing costs little.

Updates (an ``update=`` form field or an ``application/sparql-update`` body) need
``settings.update_token`` and ``Authorization: Bearer <token>`` (checked by
`api.security`, as for every write: 403 while no token is configured, 401 without the
right one); ``using-graph-uri`` and ``using-named-graph-uri`` become USING clauses;
they run without a time limit (an update cannot be stopped half way), after a trial
parse in a query process (``api.sparql_update``). Unlike a query's, an update's WHERE
reads the store's own default graph (kg keeps it empty) unless USING or
``using-graph-uri`` name graphs: that is SPARQL Update's rule, and Oxigraph has no
union option for updates.

Nothing a client sends makes the server read files or call other servers: SERVICE is
refused, and LOAD only runs with the token and from http(s) URLs.

Statuses: 200 results, 204 update done; 400 malformed query or update, protocol
violation, result over the row limit; 401 update without the right token; 403 update
while writes are disabled, SERVICE, LOAD from
elsewhere than http(s); 405 method; 406 no acceptable format; 413 body over
``max_body_bytes``; 415 content type or charset; 501 store without embedded Oxigraph;
503 time or memory limit, or no free evaluation slot. A query that crashes its process
is a 400 too. Every error body is ``{"error": ..., "detail": ...}``.
"""

from __future__ import annotations

import io
import os
import re
import threading
import time
import traceback
from collections.abc import Callable
from functools import partial, wraps
from itertools import islice
from typing import IO, Annotated, Any, Literal, ParamSpec, TypeVar
from urllib.parse import parse_qsl

import anyio
import anyio.to_thread
import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.explorer import sparql_editor, wants_html
from api.network import live_graph
from api.params import ErrorOut
from api.query_pool import run_in_workers
from api.security import WriteAccess, write_access
from api.sparql_media import BOOLEAN_OFFERS, GRAPH_OFFERS, SOLUTION_OFFERS, Format, Offer, negotiate
from api.sparql_plan import (
    Operation,
    QueryPlan,
    SparqlError,
    Token,
    capped,
    plan_query,
    plan_update,
    tokenize,
)
from api.sparql_update import check_nesting, dry_run, run_update
from kg.graph.store import PREFIXES
from kg.settings import Settings

__all__ = [
    "BOOLEAN_OFFERS",
    "GRAPH_OFFERS",
    "SOLUTION_OFFERS",
    "Offer",
    "Operation",
    "QueryPlan",
    "SparqlError",
    "Token",
    "answer_operation",
    "answer_query",
    "capped",
    "negotiate",
    "plan_query",
    "plan_update",
    "read_operation",
    "router",
    "rows_exceed",
    "tokenize",
]

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"

_XML, _CSV, _TSV = ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV
T = TypeVar("T")
P = ParamSpec("P")


#: Query evaluations at once. A slot is held until the evaluation really ends, even after
#: its client got a 503, so abandoned queries cannot pile up and take every core; a query
#: waits for a slot within its time limit.
SLOTS = max(2, os.cpu_count() or 2)
_SLOTS = threading.BoundedSemaphore(SLOTS)
#: Threads for /sparql requests, apart from the pool that the other (sync) routes run in.
_THREADS = anyio.CapacityLimiter(4 * SLOTS)


class _Cancelled(Exception):
    """Raised inside the serialiser once the request has stopped waiting for it."""


_IRIS = {"type": "array", "items": {"type": "string"}}
_GET_DOCS: dict[str, Any] = {
    "parameters": [
        {"name": name, "in": "query", "required": False, "schema": schema, "description": text}
        for name, schema, text in (
            ("query", {"type": "string"}, "a SPARQL 1.1 query"),
            ("default-graph-uri", _IRIS, "graphs whose merge is the default graph"),
            ("named-graph-uri", _IRIS, "graphs that GRAPH may name"),
        )
    ]
}
_FORM_FIELDS = {"query": {"type": "string"}, "update": {"type": "string"}}
_POST_DOCS: dict[str, Any] = {
    "parameters": _GET_DOCS["parameters"][1:],
    "requestBody": {
        "required": True,
        "content": {
            FORM: {"schema": {"type": "object", "properties": _FORM_FIELDS}},
            QUERY_BODY: {"schema": {"type": "string"}},
            UPDATE_BODY: {"schema": {"type": "string"}},
        },
    },
}


#: The error statuses a query can get (every body: ErrorOut), for the OpenAPI schema.
_QUERY_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {
        "model": ErrorOut,
        "description": "Malformed query or protocol violation, a result over the row limit "
        "(ResultTooLarge), or a query that crashed the process evaluating it "
        "(QueryTooComplex: nested too deeply)",
    },
    503: {
        "model": ErrorOut,
        "description": "Over the time limit (QueryTimeout) or the memory limit "
        "(QueryTooLarge), or no query process came free in time (ServerBusy)",
    },
}


@router.get("/sparql", openapi_extra=_GET_DOCS, responses=_QUERY_ERRORS)
@router.post("/sparql", openapi_extra=_POST_DOCS, responses=_QUERY_ERRORS)
async def sparql(
    request: Request, access: Annotated[WriteAccess, Depends(write_access)]
) -> Response:
    """SPARQL 1.1 Protocol: queries for anyone, updates with the token.

    A browser (``Accept: text/html``) asking with no parameters gets the SPARQL editor.
    """
    if (
        request.method == "GET"
        and not request.url.query
        and wants_html(request.headers.get("accept"))
    ):
        return sparql_editor()
    settings: Settings = request.app.state.settings
    try:
        operation = await read_operation(request, settings.max_body_bytes)
        store = _oxigraph(request)
        base_iri = str(request.url.replace(query="", fragment=""))
        if operation.kind == "update":
            access.check()
            text = plan_update(operation)
            workers = getattr(request.app.state, "query_workers", None)
            if workers is None:  # an in-memory store: no process to try the parse in
                check_nesting(text)
            else:  # parsed first where a crash costs a query process (api.sparql_update)
                check = partial(run_in_workers, workers, dry_run, text, base_iri)
                await check(timeout=settings.sparql_timeout, limiter=_THREADS)
            request.app.state.store.will_write()  # its snapshot goes first (kg.network.snapshot)
            work = partial(run_update, store, text, base_iri)
            await anyio.to_thread.run_sync(work, limiter=_THREADS)
            live_graph(request).invalidate()  # an update may change anything: rebuild
            return Response(status_code=204)
        question = (operation, base_iri, request.headers.get("accept"), settings.sparql_max_rows)
        workers = getattr(request.app.state, "query_workers", None)
        if workers is not None:  # a killable process over the on-disk store (api.query_pool)
            timeout = settings.sparql_timeout
            answer = partial(run_in_workers, workers, answer_operation, *question)
            body, media_type = await answer(timeout=timeout, limiter=_THREADS)
        else:  # an in-memory store, which no other process can open: a thread
            cancelled = threading.Event()
            answer = partial(answer_operation, store, *question, cancelled)
            body, media_type = await _in_worker(answer, settings.sparql_timeout, cancelled)
        return Response(body, media_type=media_type, headers={"Vary": "Accept"})
    except SparqlError as error:
        return error.response()


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH"], include_in_schema=False)
async def wrong_method(request: Request) -> Response:
    detail = f"{request.method} is not part of the SPARQL protocol; use GET or POST"
    return SparqlError(405, "MethodNotAllowed", detail, {"Allow": "GET, POST"}).response()


# -- reading the request ---------------------------------------------------------------


async def read_operation(request: Request, max_body: int) -> Operation:
    """The query or update a request carries, by the protocol's rules (else SparqlError)."""
    params = _pairs(request.url.query, "the URL's query string")
    if request.method == "GET":
        return _operation(params, "GET")
    media_type, charset = _content_type(request.headers.get("content-type"))
    if charset not in (None, "utf-8", "utf8"):
        raise SparqlError(415, "UnsupportedMediaType", f"charset {charset}: send UTF-8")
    if media_type not in (FORM, QUERY_BODY, UPDATE_BODY):
        shown = media_type or "no Content-Type"
        detail = f"{shown}: a POST must be {FORM}, {QUERY_BODY} or {UPDATE_BODY}"
        raise SparqlError(415, "UnsupportedMediaType", detail)
    text = _utf8(await _read_body(request, max_body), "the body")
    if media_type == FORM:
        return _operation(params + _pairs(text, "the form"), "POST")
    kind = "query" if media_type == QUERY_BODY else "update"
    if any(name in ("query", "update") for name, _ in params):
        detail = f"a {media_type} POST carries the {kind} in its body, not in the URL"
        raise SparqlError(400, "BadRequest", detail)
    return _operation([*params, (kind, text)], "POST")


def _operation(params: list[tuple[str, str]], method: str) -> Operation:
    """Check the parameters: exactly one query or update, and the dataset it may name."""
    queries = [value for name, value in params if name == "query"]
    updates = [value for name, value in params if name == "update"]
    if queries and updates:
        raise SparqlError(400, "BadRequest", "send a query or an update, not both")
    if not queries and not updates:
        raise SparqlError(400, "BadRequest", "missing query: send query= (or update= by POST)")
    kind: Literal["query", "update"] = "query" if queries else "update"
    texts = queries or updates
    if len(texts) > 1:
        raise SparqlError(400, "BadRequest", f"{len(texts)} {kind} parameters; send one")
    if kind == "update" and method == "GET":
        raise SparqlError(400, "BadRequest", "updates must be sent by POST, not GET")
    own, other = (
        ("default-graph-uri", "named-graph-uri"),
        ("using-graph-uri", "using-named-graph-uri"),
    )
    if kind == "update":
        own, other = other, own
    if misplaced := sorted({name for name, _ in params if name in other}):
        detail = f"{', '.join(misplaced)} does not apply to a {kind}; use {' or '.join(own)}"
        raise SparqlError(400, "BadRequest", detail)
    graphs, named = ([_iri(value) for name, value in params if name == key] for key in own)
    return Operation(kind, texts[0], tuple(graphs), tuple(named))


def _pairs(text: str, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise SparqlError(400, "BadRequest", f"{where} is not UTF-8") from None


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    """The media type and charset (both lower case) of a Content-Type header."""
    media_type, _, params = (header or "").partition(";")
    charset = re.search(r'charset\s*=\s*"?([^";\s]+)', params, re.IGNORECASE)
    return media_type.strip().lower() or None, charset[1].lower() if charset else None


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    too_large = SparqlError(413, "PayloadTooLarge", f"the body is over {limit} bytes")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SparqlError(400, "BadRequest", f"{where} is not UTF-8") from None


def _iri(value: str) -> str:
    try:
        return ox.NamedNode(value).value
    except ValueError as error:
        raise SparqlError(400, "BadRequest", f"not a graph IRI: {value!r} ({error})") from None


def _oxigraph(request: Request) -> ox.Store:
    store = getattr(request.app.state.store, "oxigraph", None)
    if not isinstance(store, ox.Store):
        spec = request.app.state.store.spec
        detail = f"/sparql runs on the embedded Oxigraph store; query {spec} directly"
        raise SparqlError(501, "NotImplemented", detail)
    return store


# -- evaluating --------------------------------------------------------------------------


async def _in_worker(work: Callable[[], T], timeout: float, cancelled: threading.Event) -> T:
    """``work()`` in a worker thread, in an evaluation slot; after ``timeout`` seconds
    stop waiting (503) and tell the work to stop at its next write."""
    deadline = time.monotonic() + timeout
    started = threading.Event()

    def in_slot() -> T:
        if not _SLOTS.acquire(timeout=max(deadline - time.monotonic(), 0.0)):
            raise TimeoutError
        try:
            if cancelled.is_set():  # the slot came too late: nobody waits any more
                raise _Cancelled
            started.set()
            return work()
        finally:
            _SLOTS.release()

    try:
        with anyio.fail_after(timeout):
            return await anyio.to_thread.run_sync(in_slot, abandon_on_cancel=True, limiter=_THREADS)
    except TimeoutError:
        cancelled.set()
        if not started.is_set():
            detail = f"the server is busy with {SLOTS} other queries; try again later"
            raise SparqlError(503, "ServerBusy", detail, {"Retry-After": "1"}) from None
        detail = f"the query ran longer than this server's limit of {timeout:g} s; narrow it"
        raise SparqlError(503, "QueryTimeout", detail) from None


def _frames_cleared(function: Callable[P, T]) -> Callable[P, T]:
    """``function``, but its exceptions leave without the locals of their frames: Oxigraph
    results must be dropped on the thread that made them (pyo3 ``unsendable``), and a
    traceback would carry them to whichever thread collects it."""

    @wraps(function)
    def cleared(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return function(*args, **kwargs)
        except BaseException as error:
            chained: BaseException | None = error
            while chained is not None:
                traceback.clear_frames(chained.__traceback__)
                chained = chained.__context__
            raise

    return cleared


def answer_operation(
    store: ox.Store,
    operation: Operation,
    base_iri: str,
    accept: str | None,
    max_rows: int,
    cancelled: threading.Event | None = None,
) -> tuple[bytes, str]:
    """Plan, evaluate and serialise a query: what a query process runs (or, for an
    in-memory store, a thread), so that not even the planning runs on the event loop."""
    plan = plan_query(operation, base_iri, max_rows)
    return answer_query(store, plan, accept, max_rows, cancelled or threading.Event())


@_frames_cleared
def answer_query(
    store: ox.Store,
    plan: QueryPlan,
    accept: str | None,
    max_rows: int,
    cancelled: threading.Event,
) -> tuple[bytes, str]:
    """Evaluate and serialise a query (in a worker thread): the body and its media type."""
    results = _evaluate(store, plan)
    offers = (
        BOOLEAN_OFFERS
        if isinstance(results, ox.QueryBoolean)
        else SOLUTION_OFFERS
        if isinstance(results, ox.QuerySolutions)
        else GRAPH_OFFERS
    )
    offer = negotiate(accept, offers)
    if offer is None:
        types = ", ".join(dict.fromkeys(o.media_type for o in offers))
        raise SparqlError(406, "NotAcceptable", f"Accept: {accept}; this result comes as {types}")
    out = _Output(cancelled)
    if _serialize(results, offer.format, out, max_rows):
        detail = (
            f"the result has more than this server's limit of {max_rows} rows; "
            "add LIMIT (and OFFSET to page through it)"
        )
        raise SparqlError(400, "ResultTooLarge", detail)
    return out.getvalue(), offer.media_type


def _serialize(
    results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    fmt: Format,
    out: IO[bytes],
    max_rows: int,
) -> bool:
    """Write ``results`` to ``out``; True (and maybe nothing written) if over ``max_rows``."""
    try:
        if isinstance(results, ox.QueryBoolean):
            results.serialize(out, fmt)
        elif isinstance(results, ox.QuerySolutions):
            results.serialize(out, fmt)
            return rows_exceed(out.getvalue(), fmt, max_rows)
        else:
            triples = list(islice(results, max_rows + 1))
            if len(triples) > max_rows:
                return True
            prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
            ox.serialize(triples, out, fmt, prefixes=prefixes)
    except OSError as error:
        raise SparqlError(500, "QueryFailed", f"the query failed: {error}") from None
    return False


def _evaluate(
    store: ox.Store, plan: QueryPlan
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    try:
        try:
            return store.query(plan.text, **plan.options)
        except SyntaxError:
            if plan.text == plan.original:
                raise
            # Lowering the LIMIT broke it: run the query as sent (its own error, if any,
            # then points at the places the client wrote).
            return store.query(plan.original, **plan.options)
    except SyntaxError as error:
        raise SparqlError(400, "QuerySyntaxError", str(error)) from None
    except OSError as error:
        raise SparqlError(500, "QueryFailed", f"the query failed: {error}") from None


class _Output(io.BytesIO):
    """A buffer that stops the serialiser (and so the evaluation) once nobody waits for it."""

    def __init__(self, cancelled: threading.Event) -> None:
        super().__init__()
        self.cancelled = cancelled

    def write(self, data: Any, /) -> int:
        if self.cancelled.is_set():
            raise _Cancelled
        return super().write(data)


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


def rows_exceed(data: bytes, fmt: Format, limit: int) -> bool:
    """Whether serialised solutions hold more than ``limit`` rows (a cheap bound first)."""
    if fmt == _TSV:  # one line a row: TSV escapes newlines in terms
        return data.count(b"\n") - 1 > limit
    if fmt == _XML:  # "<" inside terms is escaped
        return data.count(b"<result>") + data.count(b"<result/>") > limit
    if fmt == _CSV:
        if data.count(b"\n") - 1 <= limit:
            return False
        outside_quotes = data.split(b'"')[::2]
        return sum(part.count(b"\n") for part in outside_quotes) - 1 > limit
    if data.count(b"},{") + 1 <= limit:  # JSON: rows are separated by "},{" outside strings
        return False
    bare = _JSON_STRING.sub(b"", data)
    return bare.count(b"[{") + bare.count(b"},{") > limit


# -- content negotiation -----------------------------------------------------------------
