"""The actor network over HTTP: the whole network in network formats, centrality,
communities, dyad summaries and actor timelines; plus the pieces every network
route shares (the live projection and the event filter).

The projection (``kg.network.projection.LiveActorNetwork``) and the event index live in
the app's ``kg.network.live.LiveGraph``, built in the background when the app starts
and updated in place when ``POST /articles`` stores or ``DELETE /articles/{id}``
removes articles, so requests never wait for a rebuild after an ingest. Centrality and
communities are computed once per version of the network and filter (``LiveGraph.answer``):
the ones of the whole network while the graph is built, before ``/health`` says ready.
"""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, TypeAdapter

from api.params import NOT_FOUND, ActorType, CameoRoot, QuadClass
from kg.graph.store import Store
from kg.network.export import MEDIA_TYPES, NetworkFormat, network_bytes
from kg.network.live import LiveActorNetwork, LiveGraph
from kg.network.metrics import (
    Centrality,
    Community,
    Ranked,
    centrality,
    communities,
    dyad,
    timeline,
)
from kg.network.projection import NetworkFilter, resolve_actor

router = APIRouter(tags=["network"])


def live_graph(request: Request) -> LiveGraph:
    """The app's in-memory graph; created on first use when the app was not started."""
    state = request.app.state
    if getattr(state, "live", None) is None:
        state.live = new_live_graph(state.store)
        state.network = state.live.network
    return state.live


def live_network(request: Request) -> LiveActorNetwork:
    """The app's actor network (the projection inside :func:`live_graph`)."""
    return live_graph(request).network


def new_live_graph(store: Store) -> LiveGraph:
    """A live graph whose build also computes the whole network's centralities and
    communities (what the explorer and the benchmark ask first)."""
    everything = NetworkFilter()
    warm = [
        *(lambda live, by=by: ranking(live, everything, by) for by in Centrality),
        lambda live: all_communities(live, everything),
    ]
    return LiveGraph(store, warm)


def ranking(live: LiveGraph, where: NetworkFilter, by: Centrality) -> list[Ranked]:
    """Every actor of the (filtered) network by ``by``, best first; kept until it changes."""

    def compute() -> list[Ranked]:
        with live.network.reading(where) as network:
            return centrality(network, by, top=network.graph.number_of_nodes())

    return live.answer(("centrality", by), where, compute)


def all_communities(live: LiveGraph, where: NetworkFilter) -> list[Community]:
    """The communities of the (filtered) network, singletons included; kept until it changes."""

    def compute() -> list[Community]:
        with live.network.reading(where) as network:
            return communities(network, min_size=1)

    return live.answer("communities", where, compute)


def network_filter(
    since: Annotated[dt.date | None, Query(description="Events on or after (YYYY-MM-DD).")] = None,
    until: Annotated[dt.date | None, Query(description="Events on or before (YYYY-MM-DD).")] = None,
    root: Annotated[
        list[CameoRoot] | None, Query(description="CAMEO roots to keep, e.g. root=18&root=19.")
    ] = None,
    quad: Annotated[
        list[QuadClass] | None, Query(description="Quad classes to keep (1 to 4).")
    ] = None,
    min_confidence: Annotated[float, Query(ge=0, le=1)] = 0.0,
    actor_type: Annotated[
        list[ActorType] | None, Query(description="Keep events between these actor types only.")
    ] = None,
) -> NetworkFilter:
    """The event filter every network route takes (bad values give 400 or 422)."""
    return NetworkFilter(
        since=since,
        until=until,
        roots=frozenset(r.zfill(2) if r else r for r in root or ()),
        quad_classes=frozenset(quad or ()),
        min_confidence=min_confidence,
        actor_types=frozenset(kind.value for kind in actor_type or ()),
    )


Filter = Annotated[NetworkFilter, Depends(network_filter)]


JSON = "application/json"


def kept_json(
    request: Request, key: tuple, where: NetworkFilter, compute: Callable[[], bytes]
) -> Response:
    """The JSON body ``compute()`` makes, kept until the network changes, and gzipped
    (once, also kept) for a client that accepts it: a hub's timeline is 2 MB of JSON,
    whose sending alone took longer than the route's 50 ms budget."""
    body: bytes = live_graph(request).answer(key, where, lambda: _Body(compute()))
    headers = {"Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", "") and len(body) > GZIP_FROM:
        body = body.gzipped()  # type: ignore[attr-defined]
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=JSON, headers=headers)


#: Bodies smaller than this go uncompressed; the level favours speed (done once anyway).
GZIP_FROM = 4096
GZIP_LEVEL = 5


class _Body(bytes):
    """A kept JSON body and, once a client asked for it, its gzip (kept with it, so
    both always belong to the same version of the network)."""

    _gzipped: bytes | None = None

    def gzipped(self) -> bytes:
        if self._gzipped is None:
            self._gzipped = gzip.compress(self, GZIP_LEVEL)
        return self._gzipped


def resolve(request: Request, given: str) -> str:
    store: Store = request.app.state.store
    return resolve_actor(store, given, request.app.state.settings.base_iri)


class RankedOut(BaseModel):
    actor: str
    label: str
    score: float
    events: int


class CommunityOut(BaseModel):
    number: int
    actors: list[str]
    labels: list[str]
    events_inside: int


class DyadMonthOut(BaseModel):
    month: str
    events: int
    goldstein: float
    cooperation: int
    conflict: int


class DyadOut(BaseModel):
    actors: tuple[str, str]
    labels: tuple[str, str]
    events: int
    by_direction: dict[str, int]
    by_root: dict[str, int]
    goldstein: float
    months: list[DyadMonthOut]
    undated: int


class TimelineEventOut(BaseModel):
    event: str
    date: str | None
    role: str
    code: str
    root: str
    quad_class: int
    goldstein: float
    counterpart: str
    counterpart_label: str
    article: str
    sentence: str


@router.get(
    "/network",
    response_class=Response,
    responses={200: {"content": {t: {} for t in MEDIA_TYPES.values()}}},
)
def whole_network(
    request: Request,
    where: Filter,
    format: Annotated[NetworkFormat, Query(description="graphml, gexf or json.")] = (
        NetworkFormat.json
    ),
) -> Response:
    """The whole actor network: GraphML or GEXF for Gephi, node-link JSON for D3."""
    with live_network(request).reading(where) as network:
        body = network_bytes(network.graph, format)
    headers = {"Content-Disposition": f'attachment; filename="network.{format.value}"'}
    return Response(body, media_type=MEDIA_TYPES[format], headers=headers)


@router.get("/network/centrality", response_model=list[RankedOut])
def network_centrality(
    request: Request,
    where: Filter,
    by: Annotated[Centrality, Query(description="degree, betweenness or pagerank.")] = (
        Centrality.degree
    ),
    top: Annotated[int, Query(ge=1, le=500)] = 20,
) -> list[RankedOut]:
    """The most central actors."""
    ranked = ranking(live_graph(request), where, by)[:top]
    return [RankedOut(**vars(r)) for r in ranked]


@router.get("/network/communities", response_model=list[CommunityOut])
def network_communities(
    request: Request, where: Filter, min_size: Annotated[int, Query(ge=1)] = 2
) -> list[CommunityOut]:
    """Louvain communities, largest first."""
    found = all_communities(live_graph(request), where)  # numbered by size: keep a prefix
    return [CommunityOut(**vars(c)) for c in found if len(c.actors) >= min_size]


@router.get("/dyads", response_model=DyadOut, responses=NOT_FOUND)
def dyad_summary(
    request: Request,
    where: Filter,
    a: Annotated[str, Query(min_length=1, description="Actor id, IRI or any alias.")],
    b: Annotated[str, Query(min_length=1, description="Actor id, IRI or any alias.")],
) -> DyadOut:
    """Events between two actors: by direction and root, net Goldstein per month."""
    first, second = resolve(request, a), resolve(request, b)
    with live_network(request).reading(where) as network:
        summary = dyad(network, first, second)
    return DyadOut(
        actors=summary.actors,
        labels=summary.labels,
        events=summary.events,
        by_direction=summary.by_direction,
        by_root=summary.by_root,
        goldstein=summary.goldstein,
        months=[DyadMonthOut(**vars(m)) for m in summary.months],
        undated=summary.undated,
    )


TIMELINE = TypeAdapter(list[TimelineEventOut])


@router.get(
    "/actors/{actor_id:path}/timeline",
    response_model=list[TimelineEventOut],
    responses=NOT_FOUND,
)
def actor_timeline(request: Request, actor_id: str, where: Filter) -> Response:
    """The actor's events with other actors, oldest first (undated last)."""
    actor = resolve(request, actor_id)
    live = live_graph(request)

    def compute() -> bytes:  # a hub's timeline is megabytes: kept until the network changes
        with live.network.reading(where) as network:
            rows = timeline(network, actor)
        fields = TimelineEventOut.model_fields
        out = [{k: v for k, v in r.items() if k in fields} for r in rows]
        for row in out:
            row["date"] = row["date"].isoformat() if row["date"] else None
        return TIMELINE.dump_json(TIMELINE.validate_python(out))

    return kept_json(request, ("timeline", actor), where, compute)
