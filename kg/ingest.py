"""Articles into the store: read → extract → RDF → store, one transaction per article.

A crash mid-batch leaves every article either fully stored or absent (each
article's named graph is written in one transaction), and re-running resumes:
articles whose graph is already stored are skipped before parsing, so
re-ingesting is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.extraction import RuleExtractor
from kg.models import Article, ReadProblem
from kg.rdf import Minter, article_graphs
from kg.settings import ONTOLOGY_DIR
from kg.store import Store

__all__ = ["IngestSummary", "ensure_reference_graphs", "ingest"]

#: Reference graphs loaded once per store: (graph name under the base IRI, files).
REFERENCE_GRAPHS = (
    ("graph/ontology", ("kg.ttl", "cameo.ttl")),
    ("graph/gazetteer", ("gazetteer.ttl",)),
)


@dataclass
class IngestSummary:
    """What one ingest did, for the closing summary."""

    read: int = 0
    stored: int = 0
    already_stored: int = 0
    events: int = 0
    triples_added: int = 0
    actors: set[str] = field(default_factory=set)
    problems: list[ReadProblem] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.problems)


def ensure_reference_graphs(store: Store, base_iri: str) -> int:
    """Load the ontology, the CAMEO scheme and the gazetteer if the store lacks them."""
    added = 0
    for name, files in REFERENCE_GRAPHS:
        iri = f"{base_iri}{name}"
        if store.has_graph(iri):
            continue
        graph = Graph(identifier=URIRef(iri))
        for file in files:
            for triple in ox.parse(path=str(ONTOLOGY_DIR / file), format=ox.RdfFormat.TURTLE):
                graph.add(_rdflib_triple(triple))
        added += store.add_graph(graph)
    return added


def ingest(
    items: Iterable[Article | ReadProblem],
    extractor: RuleExtractor,
    store: Store,
    *,
    force: bool = False,
    on_article: Callable[[Article], None] | None = None,
) -> IngestSummary:
    """Extract and store every article not yet stored (all of them with ``force``)."""
    summary = IngestSummary()
    minter = Minter(extractor.base_iri)
    summary.triples_added += ensure_reference_graphs(store, extractor.base_iri)
    known_actors = set(extractor.gazetteer.surface_forms)
    pending: list[Article] = []
    for item in items:
        if isinstance(item, ReadProblem):
            summary.problems.append(item)
            continue
        summary.read += 1
        if not force and store.has_graph(str(minter.graph(item.id))):
            summary.already_stored += 1
            if on_article:
                on_article(item)
            continue
        pending.append(item)
    for result in extractor.extract(pending):
        graphs = article_graphs(result.article, result.events, minter, known_actors)
        summary.triples_added += store.add_graphs(graphs)
        summary.stored += 1
        summary.events += len(result.events)
        for event in result.events:
            summary.actors.add(event.source.id)
            if event.target is not None:
                summary.actors.add(event.target.id)
        if on_article:
            on_article(result.article)
    return summary


def _rdflib_triple(triple: ox.Triple):
    from oxrdflib._converter import from_ox

    return from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)
