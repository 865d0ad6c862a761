"""Articles into the store: read → extract → merge → RDF → store, one transaction per
article.

Storing an article writes its named graph (the article and one mention per event
it reports, each dated one with its merge key, :mod:`kg.graph.candidates`) and brings the
shared events graph up to date: the stored mentions within the merge window's reach of
the article's are merged again with them (:mod:`kg.graph.merge`), and the events that
changed are written (:mod:`kg.graph.families`), all in one SPARQL update. A crash
mid-batch therefore leaves every article either fully stored (with its events) or
absent, and re-running resumes: articles whose graph is already stored are skipped
before parsing, so re-ingesting is a no-op; with ``force`` an article's mentions are
replaced, never added twice.

An article that the NLP pipeline or the date arithmetic cannot handle (`EXTRACTION_ERRORS`)
costs only itself: it becomes a problem naming its origin, and the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.errors import ConfigurationError
from kg.extraction.extractor import ArticleEvents, Extractor, RuleExtractor
from kg.extraction.process import ExtractionProcess
from kg.graph.candidates import key_triple
from kg.graph.families import (
    MENTION_PATTERN,
    graph_block,
    mentions_in_graphs,
    remerge_all,
    rewrite_families,
    stored_mentions,
)
from kg.graph.merge import STATE_AGENT_TYPES, MentionFacts, MergeWindow
from kg.graph.queries import iri
from kg.graph.rdf import Minter, article_graphs
from kg.graph.store import Store
from kg.graph.vocab import ACTOR
from kg.ingest_batches import batched, store_articles
from kg.models import Actor, Article, Event, ReadProblem
from kg.settings import ONTOLOGY_DIR

__all__ = [
    "EXTRACTION_ERRORS",
    "IngestSummary",
    "ensure_reference_graphs",
    "extract_each",
    "ingest",
    "store_extracted",
]

logger = logging.getLogger(__name__)

#: What parsing odd input can raise from inside spaCy, dateparser or the rules (a
#: weekday before 0001-01-01 is an OverflowError); it costs the article, not the batch.
#: Store errors and programming errors (TypeError, AttributeError, ...) still stop it.
EXTRACTION_ERRORS: tuple[type[BaseException], ...] = (
    ArithmeticError,
    AssertionError,
    LookupError,
    RecursionError,
    ValueError,
)

#: Reference graphs loaded once per store: (graph name under the base IRI, files).
REFERENCE_GRAPHS = (
    ("graph/ontology", ("kg.ttl", "cameo.ttl")),
    ("graph/gazetteer", ("gazetteer.ttl",)),
)
#: The layout this code writes; stores built for another one must be rebuilt, except
#: those of the two before it, whose events are merged again (0.3.0: events not bounded
#: by their week) after their mentions get merge keys (0.2.0: mentions without them).
ONTOLOGY_VERSION = "0.4.0"
KEYLESS_VERSION = "0.2.0"
UNBOUNDED_VERSION = "0.3.0"
#: Merge keys added per update when a 0.2.0 store gets them.
KEYS_PER_UPDATE = 5000
#: Articles between two flushes of an embedded store (see :func:`maintain_store`).
FLUSH_EVERY = 250
ONTOLOGY_IRI = "https://w3id.org/kg-geo/ontology"


@dataclass
class IngestSummary:
    """What one ingest did, for the closing summary."""

    read: int = 0
    stored: int = 0
    already_stored: int = 0
    mentions: int = 0  # event reports extracted from the stored articles
    triples_added: int = 0
    actors: set[str] = field(default_factory=set)
    problems: list[ReadProblem] = field(default_factory=list)
    #: Event IRIs that no longer exist and that exist now (merging may replace events
    #: of other articles too): what a live actor network must drop and re-read.
    events_removed: set[str] = field(default_factory=set)
    events_written: set[str] = field(default_factory=set)

    @property
    def skipped(self) -> int:
        return len(self.problems)


def ensure_reference_graphs(store: Store, base_iri: str, window: MergeWindow | None = None) -> int:
    """Load the ontology, the CAMEO scheme and the gazetteer if the store lacks them;
    upgrade a store of the two layouts before this one (its events merged again with
    ``window``); refuse a store built with another version of the ontology."""
    version = store.select(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
        f"SELECT ?v WHERE {{ GRAPH <{base_iri}graph/ontology> "
        f"{{ <{ONTOLOGY_IRI}> owl:versionInfo ?v }} }}"
    )
    if version and version[0]["v"] in (KEYLESS_VERSION, UNBOUNDED_VERSION):
        add_merge_keys(store, base_iri)
        events = remerge_all(store, Minter(base_iri), window or MergeWindow())
        logger.info("upgraded %s from ontology %s: %d events", store.spec, version[0]["v"], events)
        store.update(f"DROP GRAPH <{base_iri}graph/ontology>")  # reloaded below
    elif version and version[0]["v"] != ONTOLOGY_VERSION:
        raise ConfigurationError(
            f"the store {store.spec} was built with ontology {version[0]['v']} and this kg "
            f"writes {ONTOLOGY_VERSION} (events merged across articles); rebuild it: "
            "delete the store directory and ingest the articles again"
        )
    added = 0
    for name, files in REFERENCE_GRAPHS:
        graph_iri = f"{base_iri}{name}"
        if store.has_graph(graph_iri):
            continue
        graph = Graph(identifier=URIRef(graph_iri))
        for file in files:
            for triple in ox.parse(path=str(ONTOLOGY_DIR / file), format=ox.RdfFormat.TURTLE):
                graph.add(_rdflib_triple(triple))
        added += store.add_graph(graph)
    return added


def add_merge_keys(store: Store, base_iri: str) -> int:
    """Give every dated mention that lacks one its merge key (stores written before
    merge keys existed); returns how many were added."""
    minter = Minter(base_iri)
    keyless = stored_mentions(
        store,
        f"{MENTION_PATTERN} FILTER(BOUND(?date)) FILTER NOT EXISTS {{ ?m kgo:mergeKey ?key }}",
    )
    for start in range(0, len(keyless), KEYS_PER_UPDATE):
        blocks = []
        for mention in keyless[start : start + KEYS_PER_UPDATE]:
            graph = Graph(identifier=minter.graph(mention.article))
            graph.add(key_triple(mention))
            blocks.append(graph_block(graph))
        store.update(f"INSERT DATA {{ {' '.join(blocks)} }}")
    return len(keyless)


def maintain_store(store: Store, stored: int) -> None:
    """Between batches (every :data:`FLUSH_EVERY` stored articles), flush an embedded
    store: RocksDB writes its memtables to files and drops the write-ahead log behind
    them, which otherwise grows with every update until the process ends (4 GB of log
    for a 115 MB store, issue 18). Stores without ``flush`` (servers) need nothing."""
    flush = getattr(store, "flush", None)
    if stored % FLUSH_EVERY == 0 and flush is not None:
        flush()


def ingest(
    items: Iterable[Article | ReadProblem],
    extractor: RuleExtractor | ExtractionProcess,
    store: Store,
    *,
    force: bool = False,
    window: MergeWindow | None = None,
    on_article: Callable[[Article], None] | None = None,
) -> IngestSummary:
    """Extract and store every article not yet stored (all of them with ``force``);
    ``extractor`` runs in this process or, an :class:`ExtractionProcess`, in its own."""
    summary = IngestSummary()
    minter = Minter(extractor.base_iri)
    summary.triples_added += ensure_reference_graphs(store, extractor.base_iri, window)
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
    before = store.count() if pending else 0  # a full scan on Oxigraph: once, not per article
    results = extract_each(extractor, pending, summary.problems)
    store_extracted(
        results, store, minter, known_actors, window or MergeWindow(), summary, on_article
    )
    if pending:
        summary.triples_added += store.count() - before
    return summary


def store_extracted(
    results: Iterable[ArticleEvents],
    store: Store,
    minter: Minter,
    known_actors: set[str],
    window: MergeWindow,
    summary: IngestSummary,
    on_article: Callable[[Article], None] | None = None,
) -> None:
    """Store extracted articles and count them in ``summary``: what :func:`ingest` does
    with its extractor's results, and :mod:`kg.distributed` with a Dask worker's."""
    # A SPARQL server with a Graph Store endpoint takes articles in batches (kg.ingest_batches).
    for batch in batched(results, store.article_batch):
        if len(batch) > 1:
            removed, written = store_articles(store, minter, batch, known_actors, window)
        else:
            article, events = batch[0].article, batch[0].events
            removed, written = store_article(store, minter, article, events, known_actors, window)
        summary.events_removed = (summary.events_removed | removed) - written
        summary.events_written = (summary.events_written - removed) | written
        for result in batch:
            summary.stored += 1
            maintain_store(store, summary.stored)
            summary.mentions += len(result.events)
            for event in result.events:
                summary.actors.add(event.source.id)
                if event.target is not None:
                    summary.actors.add(event.target.id)
            if on_article:
                on_article(result.article)


def extract_each(
    extractor: Extractor, articles: list[Article], problems: list[ReadProblem]
) -> Iterator[ArticleEvents]:
    """``extractor.extract(articles)``, except that an article it fails on is left out
    and added to ``problems``, and the others are still extracted.

    spaCy parses a batch ahead of the article whose events come next, so a failure
    cannot be pinned on that article: it is extracted again alone, and only a failure
    then makes it a problem; the articles after it go on in batches.
    """
    position = 0
    while position < len(articles):
        try:
            for result in extractor.extract(articles[position:]):
                position += 1
                yield result
        except EXTRACTION_ERRORS:
            article = articles[position]
            position += 1
            try:
                alone = next(iter(extractor.extract([article])))
            except EXTRACTION_ERRORS as error:
                logger.debug("extraction failed on %s", article.origin, exc_info=True)
                problems.append(_extraction_problem(article, error))
                continue
            yield alone


def _extraction_problem(article: Article, error: BaseException) -> ReadProblem:
    path, _, line = (article.origin or f"article {article.id}").rpartition(":")
    if not path or not line.isdigit():
        path, line = article.origin or f"article {article.id}", ""
    reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return ReadProblem(path, int(line) if line else None, f"cannot extract events ({reason})")


def store_article(
    store: Store,
    minter: Minter,
    article: Article,
    events: list[Event],
    known_actors: set[str],
    window: MergeWindow,
) -> tuple[set[str], set[str]]:
    """Write (or replace) one article and re-merge the events it touches, in one
    update; returns the event IRIs removed, and those new or changed (events of the
    same source and root that the article leaves as they were are rewritten but not
    reported)."""
    graph, actors = article_graphs(article, events, minter, known_actors)
    graph_iri = str(minter.graph(article.id))
    old = mentions_in_graphs(store, [graph_iri])
    new = [_facts(article, event, minter) for event in events]
    for mention in new:
        if key := key_triple(mention):
            graph.add(key)
    rewrite = rewrite_families(store, minter, old, new, window, articles={article.id})
    blocks = " ".join(graph_block(g) for g in (graph, actors, rewrite.events))
    parts = [f"DROP SILENT GRAPH {iri(graph_iri)}", *rewrite.deletes, f"INSERT DATA {{ {blocks} }}"]
    store.update(" ;\n".join(parts))
    return rewrite.removed, rewrite.changed


def _facts(article: Article, event: Event, minter: Minter) -> MentionFacts:
    return MentionFacts(
        mention=str(minter.mention(event)),
        source=event.source.id,
        target=event.target.id if event.target else None,
        code=event.code,
        date=event.date,
        date_inferred=event.date_inferred,
        confidence=round(event.confidence, 3),
        article=article.id,
        article_date=article.date,
        outlet=article.source,
        location=event.location,
        source_identity=_identity(event.source),
        target_identity=_identity(event.target) if event.target else None,
        target_implied=event.target is not None and not event.target_text,
    )


def _identity(actor: Actor) -> str:
    """The state a state agent acts for (CAMEO's USAGOV is USA), else the actor."""
    if actor.type in STATE_AGENT_TYPES and actor.country:
        return str(ACTOR[actor.country])
    return actor.id


def _rdflib_triple(triple: ox.Triple):
    from oxrdflib._converter import from_ox

    return from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)
