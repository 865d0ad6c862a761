"""Knowledge graphs of geopolitical actors and events.

The Python API, for notebooks and scripts::

    import kg

    with kg.open("memory") as graph:               # or a directory, or a SPARQL URL
        graph.ingest("seeds/")                     # read, extract, store
        graph.events(target="Soleimani")           # a pandas DataFrame
        graph.path("Kata'ib Hezbollah", "Khamenei")  # paths with their evidence
        kg.draw_network(graph.network(roots=["18", "19"]))

Everything listed in ``__all__`` is the public surface; the subpackages (``kg.reading``,
``kg.extraction``, ``kg.actors``, ``kg.graph``, ``kg.network``) are the pipeline behind
it. Names are imported on first use, so ``import kg`` loads neither pandas, nor
matplotlib, nor the spaCy pipeline.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kg.errors import (
    ConfigurationError,
    InputError,
    KGError,
    NotFoundError,
    OntologyError,
    StoreError,
)
from kg.models import Actor, Article, Event
from kg.settings import Settings

if TYPE_CHECKING:
    from kg.frames import ActorProfile, Dyad, PathResult
    from kg.ingest import IngestSummary
    from kg.inputs import NetworkFilters
    from kg.network.export import network_bytes, node_link
    from kg.network.plot import draw_network, save_network_plot
    from kg.reading.readers import read_articles
    from kg.session import KnowledgeGraph, open

__all__ = [
    "Actor",
    "ActorProfile",
    "Article",
    "ConfigurationError",
    "Dyad",
    "Event",
    "IngestSummary",
    "InputError",
    "KGError",
    "KnowledgeGraph",
    "NetworkFilters",
    "NotFoundError",
    "OntologyError",
    "PathResult",
    "Settings",
    "StoreError",
    "draw_network",
    "network_bytes",
    "node_link",
    "open",
    "read_articles",
    "save_network_plot",
]

#: Where each lazily imported name lives.
_LAZY = {
    "ActorProfile": "kg.frames",
    "Dyad": "kg.frames",
    "PathResult": "kg.frames",
    "IngestSummary": "kg.ingest",
    "NetworkFilters": "kg.inputs",
    "KnowledgeGraph": "kg.session",
    "open": "kg.session",
    "read_articles": "kg.reading.readers",
    "draw_network": "kg.network.plot",
    "save_network_plot": "kg.network.plot",
    "network_bytes": "kg.network.export",
    "node_link": "kg.network.export",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
