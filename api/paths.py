"""``/paths`` and ``/actors/{id}/network``: how actors are connected, with the evidence.

Both read the app's live actor network (see ``api.network``) and take its filters.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from api.network import Filter, kept_json, live_graph, live_network, resolve
from api.params import NOT_FOUND
from kg.network.live import LiveGraph
from kg.network.projection import NetworkFilter

router = APIRouter(tags=["network"])


class HopEvent(BaseModel):
    event: str
    source: str  # who acted on whom: a hop may hold events in both directions
    target: str
    code: str
    mentions: int
    date: str | None
    confidence: float
    article: str
    sentence: str


class HopOut(BaseModel):
    source: str
    target: str
    events: list[HopEvent]


class PathOut(BaseModel):
    actors: list[str]
    labels: list[str]
    hops: list[HopOut]


class NodeOut(BaseModel):
    id: str
    label: str
    type: str | None
    country: str | None


class EdgeOut(BaseModel):
    source: str
    target: str
    event: str
    code: str
    date: str | None
    mentions: int


class NetworkOut(BaseModel):
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    events_total: int


@router.get("/paths", response_model=list[PathOut], responses=NOT_FOUND)
def paths(
    request: Request,
    where: Filter,
    source: Annotated[str, Query(min_length=1, description="Actor id, IRI or any alias.")],
    target: Annotated[str, Query(min_length=1, description="Actor id, IRI or any alias.")],
    max_hops: Annotated[int, Query(ge=1, le=6)] = 4,
    k: Annotated[int, Query(ge=1, le=10)] = 3,
    directed: bool = False,
) -> list[PathOut]:
    """The k shortest actor-to-actor paths, each hop with the events that support it.

    ``directed`` follows events from source to target only; no path gives ``[]``.
    """
    first, second = resolve(request, source), resolve(request, target)
    with live_network(request).reading(where) as network:
        found = network.paths(first, second, max_hops=max_hops, k=k, directed=directed)
        labels = {a: network.label(a) for path in found for a in path.actors}
    return [
        PathOut(
            actors=path.actors,
            labels=[labels[a] for a in path.actors],
            hops=[
                HopOut(source=h.source, target=h.target, events=[_hop_event(e) for e in h.events])
                for h in path.hops
            ],
        )
        for path in found
    ]


@router.get("/actors/{actor_id:path}/network", response_model=NetworkOut, responses=NOT_FOUND)
def ego_network(
    request: Request,
    actor_id: str,
    where: Filter,
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    max_actors: Annotated[
        int, Query(ge=2, le=5000, description="Nearest and most connected actors first.")
    ] = 200,
    max_events: Annotated[
        int, Query(ge=1, le=100_000, description="Newest events first; around hubs there are many.")
    ] = 5000,
) -> Response:
    """The actor's ego network to ``depth`` hops: nodes and event edges (newest first;
    ``events_total`` says how many there are when ``max_events`` cut them)."""
    actor = resolve(request, actor_id)
    live = live_graph(request)
    key = ("ego", actor, depth, max_actors, max_events)  # megabytes around a hub: kept
    return kept_json(request, key, where, lambda: _ego_json(live, where, actor, *key[2:]))


def _ego_json(
    live: LiveGraph,
    where: NetworkFilter,
    actor: str,
    depth: int,
    max_actors: int,
    max_events: int,
) -> bytes:
    """The ego network's answer, serialised once by pydantic-core (returned as a model,
    FastAPI would dump, validate and serialise it again: most of the route's time)."""
    with live.network.reading(where) as network:
        kept = network.ego_actors(actor, depth, max_actors)
        graph, members = network.graph, set(kept)
        nodes = [
            {"id": n, "label": d["label"], "type": d["type"], "country": d["country"]}
            for n, d in ((n, graph.nodes[n]) for n in kept)
        ]
        # the events among the kept actors, read off the adjacency (a subgraph view
        # filters every edge of every member: seconds around a hub at 1M triples)
        edges = [
            (u, v, data)
            for u in kept
            for v, keyed in graph.succ[u].items()
            if v in members
            for data in keyed.values()
        ]
    edges.sort(key=lambda e: (e[2]["date"] or dt.date.min, e[2]["event"]), reverse=True)
    answer = {
        "nodes": nodes,
        "edges": [
            {
                "source": u,
                "target": v,
                "event": d["event"],
                "code": d["code"],
                "date": d["date"].isoformat() if d["date"] else None,
                "mentions": d["mentions"],
            }
            for u, v, d in edges[:max_events]
        ],
        "events_total": len(edges),
    }
    return NetworkOut.model_validate(answer).model_dump_json().encode()


def _hop_event(event: dict) -> HopEvent:
    return HopEvent(
        event=event["event"],
        source=event["source"],
        target=event["target"],
        code=event["code"],
        mentions=event["mentions"],
        date=event["date"].isoformat() if event["date"] else None,
        confidence=event["confidence"],
        article=event["article"],
        sentence=event["sentence"],
    )
