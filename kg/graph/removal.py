"""Taking articles back out of the store (a retracted or corrected article).

Removing an article drops its named graph (the article and its reports) and brings the
events graph up to date the way ingest does (:mod:`kg.graph.families`): the families
its reports belonged to are merged again from their remaining reports, so an event
left with no report disappears, and the counts, dates, codes and confidences of the
others are computed afresh. Actors described only for the removed reports (minted or
sector actors in the shared actors graph) go too. Everything happens in one SPARQL
update, and the result is the store that never ingested the article: merging depends
only on the set of reports, not on the order they came in.

Known limit: an actor that two articles described with different labels keeps both
labels after one of the articles is removed (the actors graph does not record which
article brought which label).

An id that is not stored is a :class:`~kg.errors.NotFoundError` and nothing is removed,
so removing an article twice fails the second time (the API's 404).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.errors import NotFoundError
from kg.graph.families import graph_block, mentions_in_graphs, rewrite_families
from kg.graph.merge import MergeWindow
from kg.graph.queries import PREFIXES, iri
from kg.graph.rdf import Minter
from kg.graph.store import Store

__all__ = ["RemovalSummary", "missing_articles", "remove_articles"]


@dataclass
class RemovalSummary:
    """What one removal did."""

    articles: list[str] = field(default_factory=list)  # ids removed
    mentions: int = 0  # reports removed with them
    #: Actors the removed reports name (some may now take part in no event).
    actors: set[str] = field(default_factory=set)
    #: Actors whose description (minted, sector) no remaining report needs.
    actors_removed: set[str] = field(default_factory=set)
    #: Event IRIs gone, and events whose reports changed (what a live network must
    #: drop and re-read, as after an ingest).
    events_removed: set[str] = field(default_factory=set)
    events_written: set[str] = field(default_factory=set)


def missing_articles(store: Store, ids: Iterable[str], base_iri: str) -> list[str]:
    """The ids among ``ids`` that the store holds no article for."""
    minter = Minter(base_iri)
    return [i for i in dict.fromkeys(ids) if not store.has_graph(str(minter.graph(i)))]


def remove_articles(
    store: Store, ids: Iterable[str], base_iri: str, window: MergeWindow | None = None
) -> RemovalSummary:
    """Remove the articles ``ids`` and their reports, re-merge the events they touched,
    all in one update; any id not stored raises NotFoundError before anything changes."""
    ids = list(dict.fromkeys(ids))
    missing = missing_articles(store, ids, base_iri)
    if missing:
        names = ", ".join(map(repr, missing))
        raise NotFoundError(f"no article stored with id {names}; nothing removed")
    summary = RemovalSummary(articles=ids)
    if not ids:
        return summary
    minter = Minter(base_iri)
    graphs = [iri(str(minter.graph(i))) for i in ids]
    leaving = mentions_in_graphs(store, [str(minter.graph(i)) for i in ids])
    rewrite = rewrite_families(
        store, minter, leaving, [], window or MergeWindow(), articles=set(ids)
    )
    summary.actors = {a for m in leaving for a in (m.source, m.target) if a}
    orphans = _orphan_actors(store, summary.actors, graphs)
    parts = [f"DROP SILENT GRAPH {g}" for g in graphs] + rewrite.deletes
    if orphans:
        actors_graph = iri(str(minter.actors_graph()))
        values = " ".join(iri(a) for a in sorted(orphans))
        parts.append(
            f"DELETE {{ GRAPH {actors_graph} {{ ?a ?p ?o }} }} "
            f"WHERE {{ VALUES ?a {{ {values} }} GRAPH {actors_graph} {{ ?a ?p ?o }} }}"
        )
    if block := graph_block(rewrite.events):
        parts.append(f"INSERT DATA {{ {block} }}")
    store.update(" ;\n".join(parts))
    summary.mentions = len(leaving)
    summary.actors_removed = orphans
    summary.events_removed = rewrite.removed
    summary.events_written = rewrite.changed
    return summary


def _orphan_actors(store: Store, actors: set[str], leaving_graphs: list[str]) -> set[str]:
    """The actors among ``actors`` that no report outside ``leaving_graphs`` names."""
    if not actors:
        return set()
    values = " ".join(iri(a) for a in sorted(actors))
    rows = store.select(
        PREFIXES
        + f"SELECT DISTINCT ?actor WHERE {{ VALUES ?actor {{ {values} }} "
        + "GRAPH ?g { ?m a kgo:Mention { ?m kgo:source ?actor } UNION { ?m kgo:target ?actor } } "
        + f"FILTER(?g NOT IN ({', '.join(leaving_graphs)})) }}"
    )
    return actors - {row["actor"] for row in rows}
