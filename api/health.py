"""``GET /health`` and ``GET /stats``: is the service up, and what does the graph hold."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from kg.graph.stats import GraphStats, graph_stats

router = APIRouter(tags=["service"])


class Health(BaseModel):
    status: str
    store: str


@router.get("/health", response_model=Health)
def health(request: Request) -> Health:
    """Answers at once, even while a heavy query runs elsewhere."""
    return Health(status="ok", store=request.app.state.store.spec)


@router.get("/stats", response_model=GraphStats)
def stats(request: Request) -> GraphStats:
    """Triples, articles, events and actors, and events by CAMEO root."""
    return graph_stats(request.app.state.store)
