"""The API's side of ``kg.graph.query_workers``: which stores get query processes, and
waiting for one without blocking the event loop.

An on-disk Oxigraph store gets a pool of worker processes (``KG_SPARQL_WORKERS``, by
default one a core, at least two, and two more) that open it read-only; ``/sparql`` evaluates every
query there, so a query past ``KG_SPARQL_TIMEOUT`` or ``KG_SPARQL_MAX_MEMORY`` is stopped
by killing its process (503 ``QueryTimeout`` / ``QueryTooLarge``), and one that crashes
the parser costs a process, not the server (400 ``QueryTooComplex``).

An in-memory store (``--store memory``, the tests' and notebooks' store) cannot be opened
by another process, so its queries run in a thread of the server as before: the time
limit answers the client but cannot stop the evaluation, and there is no memory limit.
A remote SPARQL server enforces its own limits.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread

from kg.graph.query_workers import QueryLimits, QueryWorkers
from kg.graph.store import OxigraphGraphStore, Store
from kg.settings import Settings

__all__ = ["run_in_workers", "start_query_workers"]

T = TypeVar("T")

#: Modules the workers import once (in the fork server) so a new worker starts at once.
PRELOAD = ("api.sparql",)


def start_query_workers(store: Store, settings: Settings) -> QueryWorkers | None:
    """Query processes for an on-disk Oxigraph store; None for any other store."""
    if not isinstance(store, OxigraphGraphStore) or store.spec == "memory":
        return None
    limits = QueryLimits(settings.sparql_timeout, int(settings.sparql_max_memory))
    size = settings.sparql_workers or None
    return QueryWorkers(Path(store.spec), limits, size, preload=PRELOAD)


async def run_in_workers(
    workers: QueryWorkers,
    function: Callable[..., T],
    *args: Any,
    timeout: float,
    limiter: anyio.CapacityLimiter | None = None,
) -> T:
    """``function(store, *args)`` in a query process, within ``timeout`` seconds from now
    (waiting for a free process included); the event loop only awaits a thread that
    waits on the process's pipe."""
    deadline = time.monotonic() + timeout
    call = partial(workers.run, function, *args, deadline=deadline)
    return await anyio.to_thread.run_sync(call, limiter=limiter)
