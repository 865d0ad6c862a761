"""``POST /articles``: ingest one or more articles (JSON objects or plain text);
``DELETE /articles/{id}``: take one back out.

A write: it needs ``Authorization: Bearer <KG_UPDATE_TOKEN>`` (`api.security`; 403
while no token is configured). A body over ``max_body_bytes`` gets 413 as soon as it
passes the limit, without being read whole. Records are checked as the file readers
check a JSONL line (`kg.reading.readers.article_from_record`): a malformed body is 400,
a bad article (no text, a lone surrogate, a date out of range) 422 naming its position,
and nothing is stored; a store that cannot be written (a full disk, a remote store
down) is 503. Extraction runs in a process of its own (`kg.extraction.process`, started
by the first POST), so the server keeps answering while it parses; an extractor given
to the app (``app.state.extractor``: the tests', a notebook's) runs in a thread instead.
One request at a time; an article the pipeline cannot handle is left out and named
under ``skipped``; a dead extraction process is 503 and is replaced.

``DELETE /articles/{id}`` (the same token) removes the article and its reports and
re-merges the events they were part of (`kg.graph.removal`): 200 with what changed,
404 for an id the store does not hold, so a second DELETE of the same id is a 404.
The live actor network and the counts kept in memory are updated in place, off the
event loop like ingest.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Depends, HTTPException, Path, Request
from pydantic import BaseModel, Field, ValidationError

from api.network import live_graph
from api.params import ErrorOut
from api.security import require_write
from kg.errors import ExtractionError, InputError, StoreError
from kg.extraction.extractor import RuleExtractor
from kg.extraction.process import ExtractionProcess
from kg.graph.removal import RemovalSummary, remove_articles
from kg.graph.store import Store
from kg.ingest import IngestSummary, ingest
from kg.models import Article
from kg.network.live import LiveGraph
from kg.reading.readers import article_from_record, content_id, load_json, normalise_text

router = APIRouter(tags=["articles"])
_extractor_lock = threading.Lock()
_ingest_lock = threading.Lock()  # merging reads then writes: one ingest or removal at a time


#: Something other than white space (Python's, which counts \x1c-\x1f as space too).
_NOT_BLANK = r"[^\s\x1c-\x1f\x85]"
#: YYYY-MM-DD, a year away from the calendar's ends (see kg.reading.readers.DATE_RANGE).
_DATE = r"^(?!000[01]|9999)\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


class ArticleIn(BaseModel):
    """An article as JSON. The patterns are stated in the schema for clients; the
    server checks the same things as the file readers, with their messages."""

    text: str = Field(
        min_length=1, description="The article's text.", json_schema_extra={"pattern": _NOT_BLANK}
    )
    id: str | None = Field(None, max_length=300, description="Stable id; default: a text hash.")
    title: str | None = None
    date: str | None = Field(
        None, description="YYYY-MM-DD", json_schema_extra={"format": "date", "pattern": _DATE}
    )
    url: str | None = None
    source: str | None = None


class IngestOut(BaseModel):
    articles: int
    stored: int
    already_stored: int
    mentions: int  # event reports extracted
    events: int  # events written: new ones, and existing ones the reports joined
    triples_added: int
    ids: list[str]
    skipped: list[str] = Field(
        default_factory=list, description="Articles left out, each with the reason."
    )


class RemovedOut(BaseModel):
    id: str = Field(description="The article removed.")
    mentions: int = Field(description="Event reports removed with it.")
    events_removed: int = Field(description="Events left with no report, gone.")
    events_changed: int = Field(
        description="Events it shared with other articles, recomputed from their reports."
    )


_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    ArticleIn.model_json_schema(),
                    {"type": "array", "items": ArticleIn.model_json_schema(), "minItems": 1},
                ]
            }
        },
        "text/plain": {"schema": {"type": "string", "pattern": _NOT_BLANK}},
    },
}


@router.post(
    "/articles",
    response_model=IngestOut,
    status_code=201,
    dependencies=[Depends(require_write)],
    openapi_extra={"requestBody": _BODY},
    responses={
        400: {"model": ErrorOut, "description": "Malformed body"},
        401: {"model": ErrorOut, "description": "No bearer token, or not the server's"},
        403: {"model": ErrorOut, "description": "Writes are disabled (no KG_UPDATE_TOKEN)"},
        413: {"model": ErrorOut, "description": "Body over the size limit"},
        415: {"model": ErrorOut, "description": "Neither JSON nor plain text"},
        422: {"model": ErrorOut, "description": "An article is not valid"},
        503: {"model": ErrorOut, "description": "The store cannot be written now"},
    },
)
async def post_articles(request: Request) -> IngestOut:
    """Extract and store articles: a JSON object, a JSON list of them, or text/plain."""
    settings = request.app.state.settings
    body = await _read_body(request, settings.max_body_bytes)
    content_type = request.headers.get("content-type", "")
    articles = await anyio.to_thread.run_sync(_parse, content_type, body)  # off the loop
    extractor = _extractor(request)
    live = live_graph(request)
    work = partial(_ingest, articles, extractor, request.app.state.store, live)
    try:
        summary = await anyio.to_thread.run_sync(work)
    except StoreError as error:  # a full disk, a remote store down: not the client's doing
        raise HTTPException(503, f"the articles could not be stored: {error}") from error
    except ExtractionError as error:  # killed, out of memory: not the client's doing either
        raise HTTPException(503, str(error)) from error
    skipped = [str(problem) for problem in summary.problems]
    if skipped and not summary.stored and not summary.already_stored:
        raise HTTPException(422, "no article could be ingested: " + "; ".join(skipped))
    return IngestOut(
        articles=summary.read,
        stored=summary.stored,
        already_stored=summary.already_stored,
        mentions=summary.mentions,
        events=len(summary.events_written),
        triples_added=summary.triples_added,
        ids=[a.id for a in articles],
        skipped=skipped,
    )


@router.delete(
    "/articles/{article_id:path}",
    response_model=RemovedOut,
    dependencies=[Depends(require_write)],
    responses={
        401: {"model": ErrorOut, "description": "No bearer token, or not the server's"},
        403: {"model": ErrorOut, "description": "Writes are disabled (no KG_UPDATE_TOKEN)"},
        404: {"model": ErrorOut, "description": "No article with this id (or removed already)"},
        503: {"model": ErrorOut, "description": "The store cannot be written now"},
    },
)
async def delete_article(
    request: Request,
    article_id: Annotated[str, Path(description="The article's id, as given or a text hash.")],
) -> RemovedOut:
    """Remove an article and its reports; events only it reported disappear, and the
    events it shared are recomputed from their other reports."""
    settings = request.app.state.settings
    live = live_graph(request)
    work = partial(_remove, article_id, request.app.state.store, settings.base_iri, live)
    try:
        summary = await anyio.to_thread.run_sync(work)
    except StoreError as error:
        raise HTTPException(503, f"the article could not be removed: {error}") from error
    return RemovedOut(
        id=article_id,
        mentions=summary.mentions,
        events_removed=len(summary.events_removed),
        events_changed=len(summary.events_written),
    )


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 once it passes ``limit`` (never read whole first)."""
    too_large = HTTPException(413, f"body larger than {limit} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _parse(content_type: str, body: bytes) -> list[Article]:
    if content_type.startswith("text/plain"):
        try:
            text = normalise_text(body.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise HTTPException(400, f"the body is not UTF-8 (byte {error.start})") from None
        if not text.strip():
            raise HTTPException(400, "empty text")
        return [Article(id=content_id(text), text=text, origin="POST /articles")]
    if not content_type.startswith("application/json"):
        raise HTTPException(415, "send application/json (an article or a list) or text/plain")
    try:
        data = load_json(body, "the body")
    except InputError as error:
        raise HTTPException(400, str(error)) from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise HTTPException(422, "no articles: send an article or a non-empty list")
    return [_article(item, number) for number, item in enumerate(items)]


def _article(item: Any, number: int) -> Article:
    """One record as an article, or 422 naming its position and what is wrong."""
    where = f"POST /articles [{number}]"
    try:
        parsed = ArticleIn.model_validate(item)
        article = article_from_record(parsed.model_dump(), where)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'article'}: {e['msg']}"
            for e in error.errors(include_url=False)
        )
        raise HTTPException(422, f"article {number}: {problems}") from None
    except InputError as error:
        raise HTTPException(422, f"article {number}: {error.reason}") from None
    if parsed.date and article.date is None:
        raise HTTPException(422, f"article {number}: {parsed.date!r} is not a calendar date")
    return article


def _ingest(
    articles: list[Article],
    extractor: RuleExtractor | ExtractionProcess,
    store: Store,
    live: LiveGraph,
) -> IngestSummary:
    """Store the articles and fold their events into the live network and counts (in a
    worker thread: both take seconds and would otherwise stall every other request)."""
    with _ingest_lock:
        summary = ingest(articles, extractor, store)
        if summary.stored:
            live.events_changed(
                summary.events_removed,
                summary.events_written,
                triples_added=summary.triples_added,
            )
        return summary


def _remove(article_id: str, store: Store, base_iri: str, live: LiveGraph) -> RemovalSummary:
    """Remove the article and fold the change into the live network and counts (in a
    worker thread; the triples are counted again: a removal does not say how many went)."""
    with _ingest_lock:
        summary = remove_articles(store, [article_id], base_iri)
        live.events_changed(
            summary.events_removed, summary.events_written, actors_touched=summary.actors
        )
        return summary


def _extractor(request: Request) -> RuleExtractor | ExtractionProcess:
    """The app's extractor, else an extraction process (its child loads the pipeline on
    the first request; the app's lifespan stops it)."""
    with _extractor_lock:
        if getattr(request.app.state, "extractor", None) is None:
            request.app.state.extractor = ExtractionProcess(request.app.state.settings)
        return request.app.state.extractor
