"""Articles into a SPARQL server in batches: one SPARQL update for the events of a batch
of articles, one Graph Store Protocol request for their graphs.

Writing article by article (:func:`kg.ingest.store_article`) costs a server a handful of
lookups and one update whose data it parses as query text, per article. A store with a
GSP endpoint (``Store.article_batch`` > 1, :mod:`kg.graph.server_store`) gets a batch
at once instead: the stored reports within reach of the whole batch are looked up once
and merged with the batch's reports (merging is order-independent, so the events are
those that storing the articles one by one gives), the events that change are written
in one SPARQL update, then the articles' graphs go in one GSP request.

The order keeps the resume guarantee. An article's graph is what makes a re-run skip it,
and it is written last: a crash before it leaves the article absent, to be ingested
again. Its events may be written already, holding reports whose article is absent; the
re-run finds them (:func:`_stranded`: the batch's reports that the events graph already
names) and counts them as leaving, so their events are merged again and replaced, and
the store ends as if the crash never happened.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import Graph

from kg.extraction.extractor import ArticleEvents
from kg.graph.candidates import key_triple
from kg.graph.families import MENTION_PATTERN, graph_block, rewrite_families, stored_mentions
from kg.graph.merge import MentionFacts, MergeWindow
from kg.graph.queries import PREFIXES, iri
from kg.graph.rdf import Minter, article_graphs
from kg.graph.store import Store

__all__ = ["batched", "store_articles"]


def batched(results: Iterable[ArticleEvents], size: int) -> Iterator[list[ArticleEvents]]:
    """``results`` in lists of ``size`` (the last one shorter)."""
    batch: list[ArticleEvents] = []
    for result in results:
        batch.append(result)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def store_articles(
    store: Store,
    minter: Minter,
    results: list[ArticleEvents],
    known_actors: set[str],
    window: MergeWindow,
) -> tuple[set[str], set[str]]:
    """Write (or replace) a batch of articles and re-merge the events they touch: the
    events in one update, then the articles' graphs (``Store.update_then_add``); returns
    the event IRIs removed, and those new or changed, as ``store_article`` does."""
    from kg.ingest import _facts  # kg.ingest calls this module: imported when used

    latest = {result.article.id: result for result in results}  # an article given twice
    graphs: list[Graph] = []
    actors = Graph(identifier=minter.actors_graph())
    new: list[MentionFacts] = []
    for result in latest.values():
        graph, described = article_graphs(result.article, result.events, minter, known_actors)
        facts = [_facts(result.article, event, minter) for event in result.events]
        for mention in facts:
            if key := key_triple(mention):
                graph.add(key)
        graphs.append(graph)
        actors += described
        new.extend(facts)
    graph_iris = " ".join(iri(str(minter.graph(article))) for article in sorted(latest))
    old = stored_mentions(store, f"VALUES ?g {{ {graph_iris} }} GRAPH ?g {{ {MENTION_PATTERN} }}")
    leaving = old + _stranded(store, new, {m.mention for m in old})
    rewrite = rewrite_families(store, minter, leaving, new, window, articles=set(latest))
    blocks = " ".join(graph_block(g) for g in (actors, rewrite.events))
    parts = [
        *(f"DROP SILENT GRAPH {iri(str(minter.graph(article)))}" for article in sorted(latest)),
        *rewrite.deletes,
        f"INSERT DATA {{ {blocks} }}",
    ]
    store.update_then_add(" ;\n".join(parts), graphs)
    return rewrite.removed, rewrite.changed


def _stranded(store: Store, coming: list[MentionFacts], stored: set[str]) -> list[MentionFacts]:
    """The incoming reports that events already name while no article graph holds them:
    left by a run that stopped between its events and its articles' graphs."""
    candidates = sorted({m.mention for m in coming} - stored)
    if not candidates:
        return []
    values = " ".join(iri(m) for m in candidates)
    # Only the events graph links events to mentions; naming it (GRAPH <...>) beside
    # VALUES makes Virtuoso's plan scan it once per value.
    rows = store.select(
        PREFIXES + f"SELECT DISTINCT ?m WHERE {{ VALUES ?m {{ {values} }} ?e kgo:hasMention ?m }}"
    )
    named = {row["m"] for row in rows}
    return [m for m in coming if m.mention in named]
