"""``/actors``: search actors, one actor's profile, and its events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from api.events import ActorRef as ActorOut
from api.events import EventOut, actor_ref, event_out
from api.network import live_graph, resolve
from api.params import NOT_FOUND, ActorType
from kg.graph.queries import EventFilter, actor_detail, find_actors

router = APIRouter(prefix="/actors", tags=["actors"])


class Counterpart(BaseModel):
    actor: ActorOut
    events: int


class ActorProfile(ActorOut):
    aliases: list[str]
    wikidata: str | None
    events_by_root: dict[str, int]
    top_counterparts: list[Counterpart]


@router.get("", response_model=list[ActorOut])
def search_actors(
    request: Request,
    q: Annotated[str | None, Query(max_length=200, description="Part of a name or alias.")] = None,
    type: Annotated[ActorType | None, Query(description="Actor class, e.g. State, Person.")] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO 3166 alpha-3, e.g. IRN.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ActorOut]:
    """Actors by name or alias, type and country, in name order."""
    kind = type.value if type else None
    found = find_actors(request.app.state.store, q, kind, country, limit, offset)
    return [actor_ref(a) for a in found]


@router.get("/{actor_id:path}/events", response_model=list[EventOut], responses=NOT_FOUND)
def actor_events(
    request: Request,
    actor_id: str,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[EventOut]:
    """Events where the actor is the source, newest first (use /events?target= for the rest)."""
    store = request.app.state.store
    actor = resolve(request, actor_id)
    actor_detail(store, actor, by_root={}, partners=[])  # 404 for an unknown actor
    with live_graph(request).index() as index:
        page = index.event_page(EventFilter(source=actor, limit=limit, offset=offset))
        records = index.records(store, page)
    return [event_out(e) for e in records]


@router.get("/{actor_id:path}", response_model=ActorProfile, responses=NOT_FOUND)
def actor_profile(request: Request, actor_id: str) -> ActorProfile:
    """Labels, aliases, type, country, Wikidata link, event counts by root, top counterparts."""
    actor = resolve(request, actor_id)
    with live_graph(request).index() as index:  # counts kept in memory, not a GROUP BY
        by_root, partners = index.roots_of(actor), index.counterparts(actor)
    detail = actor_detail(request.app.state.store, actor, by_root=by_root, partners=partners)
    return ActorProfile(
        id=detail.id,
        label=detail.label,
        type=detail.type,
        country=detail.country,
        aliases=detail.aliases,
        wikidata=detail.wikidata,
        events_by_root=detail.events_by_root,
        top_counterparts=[
            Counterpart(actor=actor_ref(a), events=n) for a, n in detail.top_counterparts
        ],
    )
