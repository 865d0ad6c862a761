"""``/events``: events filtered by actors, CAMEO code or root, and dates; newest first."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from kg.queries import ActorSummary, EventFilter, EventRecord, actor_iri, find_events

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


@router.get("", response_model=list[EventOut])
def list_events(
    request: Request,
    source: Annotated[str | None, Query(description="Source actor id (e.g. USA).")] = None,
    target: Annotated[str | None, Query(description="Target actor id.")] = None,
    code: Annotated[
        str | None, Query(pattern=r"^\d{2,4}$", description="CAMEO code or root.")
    ] = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[EventOut]:
    """Events, newest first, each with its sentence and article."""
    base = request.app.state.settings.base_iri
    where = EventFilter(
        source=actor_iri(source, base) if source else None,
        target=actor_iri(target, base) if target else None,
        code=code,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    return [event_out(e) for e in find_events(request.app.state.store, where)]


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
    )
