"""The graph's counts and per-actor aggregates, kept in memory so the REST routes
answer without a GROUP BY over the whole store.

At 1M triples pyoxigraph takes about a second to group an actor's events by CAMEO
root and counterpart (``kg.graph.queries.actor_detail``) and more to count the whole
graph (``kg.graph.stats.graph_stats``), on every request. :class:`EventIndex` holds, per
event, what those questions need (source, target, code, root, date) and the counts
derived from it, built from one pass over the events at start-up
(:meth:`EventIndex.from_store`) and kept current from what an ingest or a removal
reports (:meth:`EventIndex.update_events`: the ``events_removed`` and
``events_written`` of ``kg.ingest.IngestSummary`` and ``kg.graph.removal.RemovalSummary``),
so a change costs time in proportion to the events it touched.

The answers are those of the SPARQL versions (tests compare both on the seed store):
the same patterns, the same ordering rules (SPARQL orders an unbound date before any
date, IRIs by their characters).
"""

from __future__ import annotations

from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kg.graph.queries import PREFIXES, EventFilter, EventRecord, check_code, event_records, iri
from kg.graph.stats import GraphStats, RootCount
from kg.graph.store import Store

__all__ = ["EventIndex", "IndexedEvent"]

#: IRIs per VALUES block when re-reading changed events (larger blocks plan badly).
VALUES_CHUNK = 500
#: Event records kept for the routes (a page of /events reads 50).
RECORDS_KEPT = 20_000

#: Every event with what the routes group and filter by; an OPTIONAL per property, so
#: an event missing one is still counted where the SPARQL versions count it.
EVENTS_PATTERN = """
  ?event a kgo:Event .
  OPTIONAL { ?event kgo:source ?source }
  OPTIONAL { ?event kgo:target ?target }
  OPTIONAL { ?event kgo:eventCode ?code }
  OPTIONAL { ?event kgo:eventRoot ?root }
  OPTIONAL { ?event kgo:eventDate ?date }"""

EVENTS_SELECT = "SELECT ?event ?source ?target ?code ?root ?date"

CONCEPTS_QUERY = (
    PREFIXES
    + """
SELECT ?concept ?notation ?label WHERE {
  ?concept skos:notation ?notation OPTIONAL { ?concept skos:prefLabel ?label }
}"""
)

ARTICLES_QUERY = PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kgo:Article }"
MENTIONS_QUERY = PREFIXES + "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a kgo:Mention }"


@dataclass(frozen=True, slots=True)
class IndexedEvent:
    """One event as the index keeps it: sets, as the store may hold several values."""

    sources: frozenset[str]
    targets: frozenset[str]
    codes: frozenset[str]  # concept IRIs of kgo:eventCode
    roots: frozenset[str]  # concept IRIs of kgo:eventRoot
    dates: frozenset[str]  # lexical xsd:date values


@dataclass(frozen=True, slots=True)
class _Concept:
    notations: frozenset[str]
    labels: frozenset[str]


class EventIndex:
    """Events, their counts by root and counterpart per actor, and the graph's totals."""

    def __init__(self) -> None:
        self.events: dict[str, IndexedEvent] = {}
        self._concepts: dict[str, _Concept] = {}
        #: actor -> events it is the source or target of
        self._involved: dict[str, set[str]] = defaultdict(set)
        #: actor -> events it is the source of
        self._sourced: dict[str, set[str]] = defaultdict(set)
        #: actor -> counterpart -> events between them (either direction)
        self._partners: dict[str, Counter[str]] = defaultdict(Counter)
        #: actor -> CAMEO root -> events it is the source or target of
        self._roots: dict[str, Counter[str]] = defaultdict(Counter)
        self._stats: GraphStats | None = None  # computed on first use after a change
        #: source (None: any) -> its events in page order (see _ordered)
        self._orders: dict[str | None, list[tuple[str, str | None]]] = {}
        #: event -> its record for the routes (label, counts, first report): read once
        self._records: OrderedDict[str, EventRecord] = OrderedDict()
        self.articles = 0
        self.mentions = 0
        self.triples = 0

    # building and updating

    @classmethod
    def from_store(cls, store: Store) -> EventIndex:
        """One pass over the events, the concepts and the totals of ``store``."""
        index = cls()
        index._read_concepts(store)
        index._add_rows(store.select(PREFIXES + f"{EVENTS_SELECT} WHERE {{{EVENTS_PATTERN}\n}}"))
        index.recount(store)
        return index

    def recount(self, store: Store, triples_added: int | None = None) -> None:
        """Count articles and mentions again (two small COUNTs over their types), and the
        triples: ``triples_added`` to the count kept, or a count of the store if None."""
        self.articles = _number(store.select(ARTICLES_QUERY))
        self.mentions = _number(store.select(MENTIONS_QUERY))
        self.triples = store.count() if triples_added is None else self.triples + triples_added
        self._stats = None

    def update_events(
        self,
        store: Store,
        removed: Iterable[str],
        written: Iterable[str],
        triples_added: int | None = None,
    ) -> None:
        """Apply what an ingest or a removal did: drop ``removed`` and ``written`` events,
        re-read the written ones from the store, and count the totals again."""
        written = sorted(set(written))
        changed = {*removed, *written}
        touched = {a for e in changed if e in self.events for a in self._actors(e)}
        for event in changed:
            self._drop(event)
        for start in range(0, len(written), VALUES_CHUNK):
            values = " ".join(iri(e) for e in written[start : start + VALUES_CHUNK])
            rows = store.select(
                PREFIXES
                + f"{EVENTS_SELECT} WHERE {{ VALUES ?event {{ {values} }}{EVENTS_PATTERN}\n}}"
            )
            concepts = {c for row in rows for c in (row["code"], row["root"]) if c}
            if concepts - self._concepts.keys():  # a code the CAMEO scheme read lacked
                self._read_concepts(store)
            self._add_rows(rows)
        touched |= {a for e in written if e in self.events for a in self._actors(e)}
        # records name their actors' labels: those of touched actors are read again
        for event in [e for e, r in self._records.items() if e in changed or _names(r, touched)]:
            del self._records[event]
        self.recount(store, triples_added)

    def _actors(self, event: str) -> set[str]:
        record = self.events[event]
        return {*record.sources, *record.targets}

    def _read_concepts(self, store: Store) -> None:
        notations, labels = defaultdict(set), defaultdict(set)
        for row in store.select(CONCEPTS_QUERY):
            concept = row["concept"] or ""
            notations[concept].add(row["notation"] or "")
            if row["label"]:
                labels[concept].add(row["label"])
        self._concepts = {
            c: _Concept(frozenset(n), frozenset(labels[c])) for c, n in notations.items()
        }

    def _add_rows(self, rows: Iterable[Mapping[str, str | None]]) -> None:
        found: dict[str, dict[str, set[str]]] = {}
        for row in rows:
            event = row["event"] or ""
            values = found.setdefault(event, defaultdict(set))
            for name in ("source", "target", "code", "root", "date"):
                if row[name] is not None:
                    values[name].add(row[name])
        for event, values in found.items():
            self._add(
                event,
                IndexedEvent(
                    frozenset(values["source"]),
                    frozenset(values["target"]),
                    frozenset(values["code"]),
                    frozenset(values["root"]),
                    frozenset(values["date"]),
                ),
            )

    def _add(self, event: str, record: IndexedEvent) -> None:
        self.events[event] = record
        self._changed(record)
        roots = self._notations(record.roots)
        for actor in record.sources | record.targets:
            self._involved[actor].add(event)
            self._roots[actor].update(roots)
        for actor in record.sources:
            self._sourced[actor].add(event)
        for actor, other in _pairs(record):
            self._partners[actor][other] += 1

    def _changed(self, record: IndexedEvent) -> None:
        """Forget what an added or dropped event makes stale."""
        self._stats = None
        self._orders.pop(None, None)
        for source in record.sources:
            self._orders.pop(source, None)

    def _drop(self, event: str) -> None:
        record = self.events.pop(event, None)
        if record is None:
            return
        self._changed(record)
        roots = self._notations(record.roots)
        for actor in record.sources | record.targets:
            _discard(self._involved, actor, event)
            counts = self._roots[actor]
            counts.subtract(roots)
            for root in roots:
                if counts[root] <= 0:
                    del counts[root]
            if not counts:
                del self._roots[actor]
        for actor in record.sources:
            _discard(self._sourced, actor, event)
        for actor, other in _pairs(record):
            partners = self._partners[actor]
            partners[other] -= 1
            if partners[other] <= 0:
                del partners[other]
            if not partners:
                del self._partners[actor]

    # questions

    def stats(self) -> GraphStats:
        """What :func:`kg.graph.stats.graph_stats` answers, from memory (counted once
        after each change)."""
        if self._stats is None:
            self._stats = self._count_stats()
        return self._stats

    def _count_stats(self) -> GraphStats:
        by_root: Counter[tuple[str, str]] = Counter()
        for record in self.events.values():
            pairs = {
                (notation, label)
                for concept in record.roots
                if concept in self._concepts
                for notation in self._concepts[concept].notations
                for label in self._concepts[concept].labels
            }
            by_root.update(pairs)
        return GraphStats(
            triples=self.triples,
            articles=self.articles,
            events=len(self.events),
            mentions=self.mentions,
            actors=len(self._involved),
            events_by_root=[
                RootCount(root=root, label=label, events=n)
                for (root, label), n in sorted(by_root.items())
            ],
        )

    def roots_of(self, actor: str) -> dict[str, int]:
        """Events the actor is the source or target of, by CAMEO root, in root order."""
        return dict(sorted(self._roots.get(actor, Counter()).items()))

    def counterparts(self, actor: str, top: int = 10) -> list[tuple[str, int]]:
        """The ``top`` actors sharing the most events with ``actor`` (either direction),
        ties in IRI order."""
        partners = self._partners.get(actor, Counter())
        return sorted(partners.items(), key=lambda item: (-item[1], item[0]))[:top]

    def event_page(self, where: EventFilter) -> list[str]:
        """The event IRIs :func:`kg.graph.queries.find_events` lists: newest first
        (undated last), then by IRI; ``where.limit`` of them from ``where.offset``."""
        if where.code:
            check_code(where.code)
        for actor in (where.source, where.target):
            if actor:
                iri(actor)  # InputError for what is not an IRI, as the SPARQL version
        since = where.since.isoformat() if where.since else None
        until = where.until.isoformat() if where.until else None
        page: list[str] = []
        skip = where.offset
        for event, date in self._ordered(where.source):
            if (since and (date is None or date < since)) or (
                until and (date is None or date > until)
            ):
                continue
            record = self.events[event]
            if where.target and where.target not in record.targets:
                continue
            if where.code and not any(
                n.startswith(where.code) for n in self._notations(record.codes)
            ):
                continue
            if skip:
                skip -= 1
                continue
            page.append(event)
            if len(page) == where.limit:
                break
        return page

    def _ordered(self, source: str | None) -> list[tuple[str, str | None]]:
        """(event, date) of the source's events (of every event with a source for None),
        one row a date (undated: one with None), newest first, undated last, then by
        IRI: the order of ``find_events``; kept until one of those events changes."""
        rows = self._orders.get(source)
        if rows is None:
            if source:
                candidates: Iterable[str] = self._sourced.get(source, ())
            else:
                candidates = (e for e, r in self.events.items() if r.sources)
            rows = [(e, d) for e in candidates for d in (self.events[e].dates or (None,))]
            rows.sort(key=lambda row: row[0])
            rows.sort(key=lambda row: (row[1] is not None, row[1] or ""), reverse=True)
            self._orders[source] = rows
        return rows

    def records(self, store: Store, events: list[str]) -> list[EventRecord]:
        """``kg.graph.queries.event_records`` of ``events``, each read from the store once
        and kept (at most :data:`RECORDS_KEPT`) until an ingest or removal changes it."""
        missing = [e for e in dict.fromkeys(events) if e not in self._records]
        for record in event_records(store, missing):
            self._records[record.id] = record
        for event in events:
            if event in self._records:
                self._records.move_to_end(event)
        while len(self._records) > RECORDS_KEPT:
            self._records.popitem(last=False)
        return [self._records[e] for e in events if e in self._records]

    def _notations(self, concepts: Iterable[str]) -> set[str]:
        return {n for c in concepts if c in self._concepts for n in self._concepts[c].notations}


def _pairs(record: IndexedEvent) -> set[tuple[str, str]]:
    """(actor, counterpart) for each source-target pair of the event, both ways round."""
    return {pair for s in record.sources for t in record.targets for pair in ((s, t), (t, s))}


def _names(record: EventRecord, actors: set[str]) -> bool:
    return record.source.id in actors or (record.target is not None and record.target.id in actors)


def _discard(index: dict[str, set[str]], actor: str, event: str) -> None:
    events = index.get(actor)
    if events is not None:
        events.discard(event)
        if not events:
            del index[actor]


def _number(rows: list[dict]) -> int:
    return int(rows[0]["n"] or 0) if rows else 0
