"""``GET /health`` and ``GET /stats``: is the service up, and what does the graph hold.

``/health`` answers as soon as the server listens; its ``ready`` turns true once the
in-memory graph (actor network, counts, per-actor aggregates) is built and the query
processes have opened the store, so routes answer without building it first.
``/stats`` reads the counts kept in memory (``kg.graph.event_index``), not a GROUP BY
over the store.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from api.network import live_graph
from kg.graph.stats import GraphStats

router = APIRouter(tags=["service"])


class Health(BaseModel):
    status: str
    store: str
    ready: bool = Field(
        description="The in-memory graph is built and the query processes are started: "
        "every route answers without building or starting anything first."
    )
    graph_from: str | None = Field(
        None,
        description="Where the in-memory graph came from once ready: 'snapshot' (the one "
        "saved beside the store by the last run) or 'store' (built by reading every event).",
    )


@router.get("/health", response_model=Health)
async def health(request: Request) -> Health:
    """Answers at once, even while a heavy query runs elsewhere: on the event loop
    itself (nothing here blocks), not after a hop through the thread pool."""
    state = request.app.state
    live, workers = getattr(state, "live", None), getattr(state, "query_workers", None)
    ready = bool(live and live.ready) and (workers is None or workers.all_started.is_set())
    graph_from = live.built_from if live and live.ready else None
    return Health(status="ok", store=state.store.spec, ready=ready, graph_from=graph_from)


@router.get("/stats", response_model=GraphStats)
def stats(request: Request) -> GraphStats:
    """Triples, articles, events and actors, and events by CAMEO root."""
    with live_graph(request).index() as index:
        return index.stats()
