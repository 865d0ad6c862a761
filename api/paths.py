"""``/paths`` and ``/actors/{id}/network``: how actors are connected, with the evidence.

The actor network is projected from the store once and kept until the graph
changes (``POST /articles`` bumps ``app.state.graph_version``).
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from kg.network import ActorNetwork, resolve_actor

router = APIRouter(tags=["network"])
_lock = threading.Lock()


class HopEvent(BaseModel):
    event: str
    code: str
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


class NetworkOut(BaseModel):
    nodes: list[NodeOut]
    edges: list[EdgeOut]


def network_of(request: Request) -> ActorNetwork:
    state = request.app.state
    version = getattr(state, "graph_version", 0)
    with _lock:
        cached = getattr(state, "network", None)
        if cached is None or cached[0] != version:
            state.network = (version, ActorNetwork.from_store(state.store))
        return state.network[1]


@router.get("/paths", response_model=list[PathOut])
def paths(
    request: Request,
    source: Annotated[str, Query(min_length=1, description="Actor id, IRI or any alias.")],
    target: Annotated[str, Query(min_length=1, description="Actor id, IRI or any alias.")],
    max_hops: Annotated[int, Query(ge=1, le=6)] = 4,
    k: Annotated[int, Query(ge=1, le=10)] = 3,
    directed: bool = False,
) -> list[PathOut]:
    """The k shortest actor-to-actor paths, each hop with the events that support it."""
    store, base = request.app.state.store, request.app.state.settings.base_iri
    network = network_of(request)
    found = network.paths(
        resolve_actor(store, source, base),
        resolve_actor(store, target, base),
        max_hops=max_hops,
        k=k,
        directed=directed,
    )
    labels = network.graph.nodes
    return [
        PathOut(
            actors=path.actors,
            labels=[labels[a]["label"] for a in path.actors],
            hops=[
                HopOut(source=h.source, target=h.target, events=[_hop_event(e) for e in h.events])
                for h in path.hops
            ],
        )
        for path in found
    ]


@router.get("/actors/{actor_id:path}/network", response_model=NetworkOut)
def ego_network(
    request: Request, actor_id: str, depth: Annotated[int, Query(ge=1, le=3)] = 1
) -> NetworkOut:
    """The actor's ego network to ``depth`` hops: nodes and event edges."""
    store, base = request.app.state.store, request.app.state.settings.base_iri
    ego = network_of(request).ego(resolve_actor(store, actor_id, base), depth)
    return NetworkOut(
        nodes=[
            NodeOut(id=n, label=d["label"], type=d["type"], country=d["country"])
            for n, d in ego.nodes(data=True)
        ],
        edges=[
            EdgeOut(
                source=u,
                target=v,
                event=d["event"],
                code=d["code"],
                date=d["date"].isoformat() if d["date"] else None,
            )
            for u, v, d in ego.edges(data=True)
        ],
    )


def _hop_event(event: dict) -> HopEvent:
    return HopEvent(
        event=event["event"],
        code=event["code"],
        date=event["date"].isoformat() if event["date"] else None,
        confidence=event["confidence"],
        article=event["article"],
        sentence=event["sentence"],
    )
