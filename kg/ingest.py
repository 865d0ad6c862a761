"""Articles into the store: read → extract → merge → RDF → store, one transaction per
article.

Storing an article writes its named graph (the article and one mention per event
it reports) and brings the shared events graph up to date: the mentions of every
(source, CAMEO root) the article touches are merged again (:mod:`kg.graph.merge`), and
the events of those families are replaced, all in one SPARQL
update. A crash mid-batch therefore leaves every article either fully stored
(with its events) or absent, and re-running resumes: articles whose graph is
already stored are skipped before parsing, so re-ingesting is a no-op; with
``force`` an article's mentions are replaced, never added twice.

An article that the NLP pipeline or the date arithmetic cannot handle (`EXTRACTION_ERRORS`)
costs only itself: it becomes a problem naming its origin, and the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.errors import ConfigurationError
from kg.extraction.extractor import ArticleEvents, Extractor, RuleExtractor
from kg.graph.merge import STATE_AGENT_TYPES, MentionFacts, MergeWindow, merge_mentions
from kg.graph.queries import PREFIXES, iri
from kg.graph.rdf import Minter, article_graphs, direct_triple, event_triples
from kg.graph.store import Store
from kg.graph.vocab import ACTOR, CAMEO
from kg.models import Actor, Article, Event, ReadProblem
from kg.settings import ONTOLOGY_DIR

__all__ = [
    "EXTRACTION_ERRORS",
    "IngestSummary",
    "ensure_reference_graphs",
    "extract_each",
    "ingest",
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
#: The layout this code writes; stores built for another one must be rebuilt.
ONTOLOGY_VERSION = "0.2.0"
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


def ensure_reference_graphs(store: Store, base_iri: str) -> int:
    """Load the ontology, the CAMEO scheme and the gazetteer if the store lacks them;
    refuse a store built with another version of the ontology."""
    version = store.select(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
        f"SELECT ?v WHERE {{ GRAPH <{base_iri}graph/ontology> "
        f"{{ <{ONTOLOGY_IRI}> owl:versionInfo ?v }} }}"
    )
    if version and version[0]["v"] != ONTOLOGY_VERSION:
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


def ingest(
    items: Iterable[Article | ReadProblem],
    extractor: RuleExtractor,
    store: Store,
    *,
    force: bool = False,
    window: MergeWindow | None = None,
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
    before = store.count() if pending else 0  # a full scan on Oxigraph: once, not per article
    for result in extract_each(extractor, pending, summary.problems):
        removed, written = store_article(
            store, minter, result.article, result.events, known_actors, window or MergeWindow()
        )
        summary.events_removed = (summary.events_removed | removed) - written
        summary.events_written = (summary.events_written - removed) | written
        summary.stored += 1
        summary.mentions += len(result.events)
        for event in result.events:
            summary.actors.add(event.source.id)
            if event.target is not None:
                summary.actors.add(event.target.id)
        if on_article:
            on_article(result.article)
    if pending:
        summary.triples_added += store.count() - before
    return summary


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
    events_graph_iri = str(minter.events_graph())
    new = [_facts(article, event, minter) for event in events]
    old = _stored_mentions(store, f"GRAPH {iri(graph_iri)} {{ {MENTION_PATTERN} }}")
    families = {m.family for m in new} | {m.family for m in old}
    others = [m for m in _mentions_of_families(store, families) if m.article != article.id]
    old_events = _events_with_mentions(store, [m.mention for m in (*old, *others)])
    merged = merge_mentions([*others, *new], window)

    events_graph = Graph(identifier=minter.events_graph())
    for event in merged:
        for triple in event_triples(event, minter):
            events_graph.add(triple)
    links = {(m.source, m.target, m.root) for m in (*old, *others) if m.target}
    parts = [f"DROP SILENT GRAPH {iri(graph_iri)}"]
    if old_events:
        values = " ".join(iri(e) for e in sorted(old_events))
        parts.append(
            f"DELETE {{ GRAPH {iri(events_graph_iri)} {{ ?e ?p ?o }} }} "
            f"WHERE {{ VALUES ?e {{ {values} }} GRAPH {iri(events_graph_iri)} {{ ?e ?p ?o }} }}"
        )
    if links:  # direct triples of the families touched; the merged events state them again
        triples = " ".join(_nt(direct_triple(*link)) for link in sorted(links))
        parts.append(f"DELETE DATA {{ GRAPH {iri(events_graph_iri)} {{ {triples} }} }}")
    for event in merged:
        if event.target:
            events_graph.add(direct_triple(event.source, event.target, event.root))
    blocks = " ".join(_graph_block(g) for g in (graph, actors, events_graph))
    parts.append(f"INSERT DATA {{ {blocks} }}")
    store.update(" ;\n".join(parts))
    written = {str(minter.event(e)) for e in merged}
    changed = {
        str(minter.event(e))
        for e in merged
        if old_events.get(str(minter.event(e))) != {m.mention for m in e.mentions}
        or any(m.article == article.id for m in e.mentions)
    }
    return set(old_events) - written, changed


MENTION_PATTERN = """
  ?m a kgo:Mention ; kgo:source ?source ; kgo:eventCode ?code ; kgo:dateInferred ?inferred ;
     kgo:confidence ?confidence ; prov:wasDerivedFrom ?a .
  ?a dcterms:identifier ?article .
  OPTIONAL { ?m kgo:target ?target OPTIONAL { ?m kgo:targetText ?targetText } }
  OPTIONAL { ?m kgo:eventDate ?date }
  OPTIONAL { ?m kgo:location ?location }
  OPTIONAL { ?a dcterms:date ?published }
  OPTIONAL { ?a dcterms:source ?outlet }"""


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


def _mentions_of_families(store: Store, families: set[tuple]) -> list[MentionFacts]:
    """Every stored mention whose (source identity, root) is one of ``families``."""
    if not families:
        return []
    identities = {f[0] for f in families}
    agents = _state_agents(store, identities)
    sources = identities | {a for a, state in agents.items() if state in identities}
    roots = {f[1] for f in families}
    pairs = " ".join(f"({iri(s)} {iri(str(CAMEO[r]))})" for s in sorted(sources) for r in roots)
    found = _stored_mentions(
        store, f"VALUES (?source ?root) {{ {pairs} }} ?m kgo:eventRoot ?root . {MENTION_PATTERN}"
    )
    return [m for m in found if m.family in families]


def _stored_mentions(store: Store, pattern: str) -> list[MentionFacts]:
    rows = store.select(
        PREFIXES
        + "SELECT DISTINCT ?m ?source ?target ?targetText ?code ?date ?inferred ?confidence "
        + f"?article ?published ?outlet ?location WHERE {{ {pattern} }}"
    )
    actors = {r["source"] or "" for r in rows} | {r["target"] for r in rows if r["target"]}
    agents = _state_agents(store, actors, by_agent=True)
    return [
        MentionFacts(
            mention=row["m"] or "",
            source=row["source"] or "",
            target=row["target"],
            code=_local(row["code"]),
            date=_date(row["date"]),
            date_inferred=row["inferred"] == "true",
            confidence=float(row["confidence"] or 0),
            article=row["article"] or "",
            article_date=_date(row["published"]),
            outlet=row["outlet"],
            location=row["location"],
            source_identity=agents.get(row["source"] or "", row["source"] or ""),
            target_identity=agents.get(row["target"], row["target"]) if row["target"] else None,
            target_implied=bool(row["target"]) and not row["targetText"],
        )
        for row in rows
    ]


def _state_agents(store: Store, actors: set[str], by_agent: bool = False) -> dict[str, str]:
    """Government and military actors and the state they act for: of the given
    states (``by_agent`` False) or among the given actors (True)."""
    if not actors:
        return {}
    values = " ".join(iri(a) for a in sorted(actors))
    bound = "?agent" if by_agent else "?state"
    rows = store.select(
        PREFIXES
        + f"""
SELECT DISTINCT ?agent ?state WHERE {{
  VALUES {bound} {{ {values} }}
  ?agent kgo:country ?state ; a ?type .
  FILTER(?type IN (kgo:Government, kgo:Military) && ?agent != ?state)
}}"""
    )
    return {r["agent"] or "": r["state"] or "" for r in rows}


def _events_with_mentions(store: Store, mentions: list[str]) -> dict[str, set[str]]:
    """The stored events that have any of these mentions, with all their mentions."""
    if not mentions:
        return {}
    values = " ".join(iri(m) for m in sorted(set(mentions)))
    rows = store.select(
        PREFIXES
        + f"SELECT DISTINCT ?e ?all WHERE {{ VALUES ?m {{ {values} }} "
        + "?e kgo:hasMention ?m , ?all }"
    )
    events: dict[str, set[str]] = {}
    for row in rows:
        events.setdefault(row["e"] or "", set()).add(row["all"] or "")
    return events


def _nt(triple: tuple) -> str:
    return " ".join(term.n3() for term in triple) + " ."


def _graph_block(graph: Graph) -> str:
    if not len(graph):
        return ""
    triples = "\n".join(_nt(triple) for triple in graph)
    return f"GRAPH {graph.identifier.n3()} {{\n{triples}\n}}"


def _local(concept: str | None) -> str:
    return (concept or "").rsplit("/", 1)[-1]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _rdflib_triple(triple: ox.Triple):
    from oxrdflib._converter import from_ox

    return from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)
