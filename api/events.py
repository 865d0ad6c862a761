"""``/events``: events filtered by actors, CAMEO code or root, and dates, newest first;
``/events/{id}``: one event with every report of it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from api.network import live_graph, resolve
from api.params import NOT_FOUND
from kg.errors import NotFoundError
from kg.graph.queries import (
    ActorSummary,
    EventFilter,
    EventRecord,
    event_detail,
    event_iri,
)

router = APIRouter(prefix="/events", tags=["events"])


class ActorRef(BaseModel):
    id: str
    label: str
    type: str | None
    country: str | None


class EventOut(BaseModel):
    id: str
    source: ActorRef
    target: ActorRef | None
    action: str
    code: str
    date: str | None
    confidence: float
    sentence: str
    article: str
    location: str | None
    mentions: int
    articles: int
    sources: int
    first_reported: str | None
    last_reported: str | None


class MentionOut(BaseModel):
    mention: str
    article: str
    article_title: str | None
    article_date: str | None
    outlet: str | None
    url: str | None
    sentence: str
    source: ActorRef
    target: ActorRef | None
    action: str
    code: str
    root: str
    date: str | None
    date_inferred: bool
    location: str | None
    confidence: float
    source_text: str | None
    target_text: str | None
    span: dict[str, list[int]]


class EventDetailOut(EventOut):
    mention_list: list[MentionOut]


@router.get("", response_model=list[EventOut], responses=NOT_FOUND)
def list_events(
    request: Request,
    source: Annotated[str | None, Query(description="Source actor: id (USA), IRI or name.")] = None,
    target: Annotated[str | None, Query(description="Target actor: id, IRI or any name.")] = None,
    code: Annotated[
        str | None, Query(pattern=r"^\d{2,4}$", description="CAMEO code or root.")
    ] = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[EventOut]:
    """Real-world events, newest first, each with its first report's sentence and
    article and its counts of mentions, articles and sources."""
    where = EventFilter(
        source=resolve(request, source) if source else None,
        target=resolve(request, target) if target else None,
        code=code,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    with live_graph(request).index() as index:  # picked, ordered and kept in memory
        records = index.records(request.app.state.store, index.event_page(where))
    return [event_out(e) for e in records]


@router.get("/{event_id:path}", response_model=EventDetailOut, responses=NOT_FOUND)
def one_event(request: Request, event_id: str) -> EventDetailOut:
    """One event (its id, the last part of its IRI, or the IRI) with all its mentions."""
    base = request.app.state.settings.base_iri
    iri = event_iri(event_id, base)
    try:
        ox.NamedNode(iri)
    except ValueError:  # not an IRI, so no event has it (and it never reaches SPARQL)
        raise NotFoundError(f"no event {event_id!r}") from None
    detail = event_detail(request.app.state.store, iri)
    return EventDetailOut(
        **event_out(detail.event).model_dump(),
        mention_list=[MentionOut(**m.to_json()) for m in detail.mentions],
    )


def actor_ref(actor: ActorSummary) -> ActorRef:
    return ActorRef(id=actor.id, label=actor.label, type=actor.type, country=actor.country)


def event_out(event: EventRecord) -> EventOut:
    return EventOut(
        id=event.id,
        source=actor_ref(event.source),
        target=actor_ref(event.target) if event.target else None,
        action=event.action,
        code=event.code,
        date=event.date,
        confidence=event.confidence,
        sentence=event.sentence,
        article=event.article,
        location=event.location,
        mentions=event.mentions,
        articles=event.articles,
        sources=event.sources,
        first_reported=event.first_reported,
        last_reported=event.last_reported,
    )
