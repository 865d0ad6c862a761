"""``POST /articles``: ingest one or more articles (JSON objects or plain text).

Protected by the update token when one is configured; bodies over the size
limit get 413 before they are read in full.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Request
from pydantic import BaseModel, Field

from api.network import live_network
from kg.extraction.extractor import RuleExtractor
from kg.ingest import ingest
from kg.models import Article
from kg.reading.readers import content_id, normalise_text

router = APIRouter(tags=["articles"])
_extractor_lock = threading.Lock()


class ArticleIn(BaseModel):
    text: str = Field(min_length=1, description="The article's text.")
    id: str | None = Field(None, max_length=300, description="Stable id; default: a text hash.")
    title: str | None = None
    date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")
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


@router.post("/articles", response_model=IngestOut, status_code=201)
async def post_articles(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
) -> IngestOut:
    """Extract and store articles: a JSON object, a JSON list of them, or text/plain."""
    settings = request.app.state.settings
    if settings.update_token and authorization != f"Bearer {settings.update_token}":
        raise HTTPException(401, "this service needs 'Authorization: Bearer <token>' to ingest")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_body_bytes:
        raise HTTPException(413, f"body larger than {settings.max_body_bytes} bytes")
    body = await request.body()
    if len(body) > settings.max_body_bytes:
        raise HTTPException(413, f"body larger than {settings.max_body_bytes} bytes")
    articles = _parse(request.headers.get("content-type", ""), body)
    summary = ingest(articles, _extractor(request), request.app.state.store)
    if summary.stored:
        live_network(request).events_changed(summary.events_removed, summary.events_written)
    return IngestOut(
        articles=summary.read,
        stored=summary.stored,
        already_stored=summary.already_stored,
        mentions=summary.mentions,
        events=len(summary.events_written),
        triples_added=summary.triples_added,
        ids=[a.id for a in articles],
    )


def _parse(content_type: str, body: bytes) -> list[Article]:
    if content_type.startswith("text/plain"):
        text = normalise_text(body.decode("utf-8", errors="strict"))
        if not text.strip():
            raise HTTPException(400, "empty text")
        return [Article(id=content_id(text), text=text)]
    if not content_type.startswith("application/json"):
        raise HTTPException(415, "send application/json (an article or a list) or text/plain")
    try:
        data = json.loads(body)
    except ValueError as error:
        raise HTTPException(400, f"malformed JSON: {error}") from error
    items = data if isinstance(data, list) else [data]
    articles = []
    for number, item in enumerate(items):
        try:
            parsed = ArticleIn.model_validate(item)
        except ValueError as error:
            raise HTTPException(422, f"article {number}: {error}") from error
        text = normalise_text(parsed.text)
        articles.append(
            Article(
                id=parsed.id or content_id(text),
                text=text,
                title=parsed.title,
                date=dt.date.fromisoformat(parsed.date) if parsed.date else None,
                url=parsed.url,
                source=parsed.source,
                origin=f"POST /articles [{number}]",
            )
        )
    return articles


def _extractor(request: Request) -> RuleExtractor:
    """Loaded on first use: the spaCy pipeline takes seconds and memory."""
    with _extractor_lock:
        if getattr(request.app.state, "extractor", None) is None:
            request.app.state.extractor = RuleExtractor.from_settings(request.app.state.settings)
        return request.app.state.extractor
