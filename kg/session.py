"""The Python API: :func:`open` a store and ask it questions, as the CLI and the REST
API do, with answers as pandas DataFrames and networkx graphs.

    import kg

    with kg.open("memory") as graph:
        graph.ingest("seeds/soleimani-2020-01-05.txt")
        graph.events(target="Soleimani", roots=["18", "19"])

Actors may be named wherever an IRI is taken: an IRI, a gazetteer id (``USA``) or any
label or alias (``"Tehran"``, ``"the Pentagon"``); an unknown one is a
:class:`~kg.errors.NotFoundError`. The spaCy pipeline is loaded only when
:meth:`KnowledgeGraph.extract` or :meth:`KnowledgeGraph.ingest` first need it, so
opening a store and querying it stays fast.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

import networkx as nx
import pandas as pd
import pyoxigraph as ox

from kg.errors import InputError, NotFoundError, StoreError
from kg.frames import (
    ACTOR_COLUMNS,
    DYAD_MONTH_COLUMNS,
    EXTRACT_COLUMNS,
    HOP_COLUMNS,
    MENTION_COLUMNS,
    TIMELINE_COLUMNS,
    ActorProfile,
    Dyad,
    PathResult,
    edge_row,
    event_rows,
    extracted_row,
    frame,
    rdf_value,
    typed_frame,
)
from kg.graph.queries import PREFIXES, actor_detail, event_detail, event_iri, find_actors, iri
from kg.graph.store import PREFIXES as NAMESPACES
from kg.graph.store import Store, format_of, open_store
from kg.inputs import (
    DateLike,
    Inputs,
    NetworkFilters,
    articles_in,
    as_date,
    cameo_roots,
    network_filter,
    row_limit,
)
from kg.models import ReadProblem
from kg.network import metrics
from kg.network.live import LiveActorNetwork
from kg.network.projection import ActorNetwork, NetworkFilter, resolve_actor
from kg.settings import Settings

if TYPE_CHECKING:
    from kg.extraction.extractor import RuleExtractor
    from kg.ingest import IngestSummary

__all__ = ["KnowledgeGraph", "open"]

_DECLARED = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:")


def open(
    store: str | os.PathLike[str] | None = None,
    *,
    settings: Settings | None = None,
    create: bool = True,
) -> KnowledgeGraph:
    """Open a store as the CLI's ``--store`` does: a directory (Oxigraph on disk),
    ``"memory"``, or a SPARQL endpoint URL; by default ``Settings().store`` (``KG_STORE``).

    Without ``create`` a directory must already hold a store.
    """
    settings = settings or Settings()
    spec = os.fspath(store) if store is not None else settings.store
    settings = settings.model_copy(update={"store": spec})
    return KnowledgeGraph(open_store(spec, create=create), settings)


class KnowledgeGraph:
    """A store and the questions the CLI and the REST API ask of it.

    Network questions (:meth:`network`, :meth:`path`, :meth:`centrality`, ...) read a
    projection of the store built on first use and kept current by :meth:`ingest`;
    they take the filters of :class:`NetworkFilters` as keyword arguments.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings | None = None,
        *,
        extractor: RuleExtractor | None = None,
    ) -> None:
        """A graph over an open ``store``; ``extractor`` replaces the rule-based one
        that :meth:`extract` and :meth:`ingest` would otherwise load from ``settings``."""
        self._store: Store | None = store
        self.settings = settings or Settings()
        self._extractor = extractor
        self._network = LiveActorNetwork(store)

    # the store

    @property
    def store(self) -> Store:
        """The underlying :class:`~kg.graph.store.Store` (StoreError once closed)."""
        if self._store is None:
            raise StoreError("this knowledge graph is closed; kg.open() it again")
        return self._store

    def close(self) -> None:
        """Flush and release the store (on disk, its lock); closing twice is harmless."""
        if self._store is not None:
            store, self._store = self._store, None
            store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        spec = getattr(self._store, "spec", None) if self._store else "closed"
        return f"<KnowledgeGraph store={spec!r}>"

    def count(self) -> int:
        """Triples in the store (all graphs)."""
        return self.store.count()

    def load(self, path: str | os.PathLike[str], format: str | None = None) -> None:
        """Add an RDF file (TriG or N-Quads keep their named graphs), e.g. a snapshot
        written by :meth:`export`; the format follows the suffix unless given."""
        self.store.load(Path(path), format)
        self._network.invalidate()

    def export(self, path: str | os.PathLike[str], format: str | None = None) -> Path:
        """Write the whole graph to ``path`` (turtle, nt, nquads, trig, rdfxml, jsonld;
        by suffix unless given); triple formats get the union of the named graphs."""
        target = Path(path)
        fmt = format_of(format, target)
        with target.open("wb") as out:
            self.store.dump(out, fmt)
        return target

    # articles in

    @property
    def extractor(self) -> RuleExtractor:
        """The rule-based extractor (the spaCy pipeline is loaded on first use)."""
        if self._extractor is None:
            from kg.extraction.extractor import RuleExtractor

            self._extractor = RuleExtractor.from_settings(self.settings)
        return self._extractor

    def ingest(self, paths_or_articles: Inputs, *, force: bool = False) -> IngestSummary:
        """Read, extract and store articles (files, directories or ``Article``s), one
        transaction per article; already stored ones are skipped unless ``force``.
        Bad input is counted in the summary's ``problems``, and the rest goes on."""
        from kg.ingest import ingest

        items = articles_in(paths_or_articles, texts=False)
        summary = ingest(items, self.extractor, self.store, force=force)
        self._network.events_changed(summary.events_removed, summary.events_written)
        return summary

    def extract(self, text_or_articles: Inputs, *, date: DateLike = None) -> pd.DataFrame:
        """The events of texts, ``Article``s or files (``pathlib.Path``), one row each
        (the ``kg extract`` record, flattened), without storing anything.

        A plain string is article text; ``date`` is its publication date, against which
        "Friday" or "last week" resolve. Inputs that cannot be read are warned about.
        """
        from kg.ingest import extract_each

        day = as_date(date, "date")
        articles, problems = [], []
        for item in articles_in(text_or_articles, texts=True, date=day):
            (problems if isinstance(item, ReadProblem) else articles).append(item)
        results = list(extract_each(self.extractor, articles, problems))
        for problem in problems:
            warnings.warn(f"skipped {problem}", stacklevel=2)
        return frame((extracted_row(e) for r in results for e in r.events), EXTRACT_COLUMNS)

    # actors and events

    def resolve(self, actor: str) -> str:
        """The IRI of an actor named by IRI, gazetteer id or any label or alias."""
        if not isinstance(actor, str) or not actor.strip():
            raise InputError(f"an actor name or IRI is needed, got {actor!r}", "actor")
        try:
            found = resolve_actor(self.store, actor.strip(), self.settings.base_iri)
        except NotFoundError:
            found = None
        known = found and self.store.ask(
            PREFIXES + f"ASK {{ {{ {iri(found)} skos:prefLabel ?l }} UNION "
            f"{{ ?e a kgo:Event ; kgo:source|kgo:target {iri(found)} }} }}"
        )
        if not known:
            raise NotFoundError(
                f"no actor {actor!r} in the store {self.settings.store} "
                "(search for one with .actors(q=...))"
            )
        return found or ""

    def actors(
        self,
        q: str | None = None,
        *,
        type: str | None = None,
        country: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> pd.DataFrame:
        """Actors whose name or alias contains ``q``, of a type (``"State"``,
        ``"Person"``, ...) and country (ISO alpha-3), in name order, with the number
        of events each takes part in (``events``, int)."""
        found = find_actors(self.store, q, type, country, row_limit(limit), offset)
        counts = self._event_counts([a.id for a in found])
        rows = ({**a.to_json(), "events": counts.get(a.id, 0)} for a in found)
        return frame(rows, ACTOR_COLUMNS)

    def actor(self, name_or_id: str) -> ActorProfile:
        """An actor's profile: labels, aliases, type, country, Wikidata id, events by
        CAMEO root and the actors it deals with most."""
        detail = actor_detail(self.store, self.resolve(name_or_id))
        counterparts = frame(
            ({**a.to_json(), "events": n} for a, n in detail.top_counterparts), ACTOR_COLUMNS
        )
        return ActorProfile(
            id=detail.id,
            label=detail.label,
            type=detail.type,
            country=detail.country,
            wikidata=detail.wikidata,
            aliases=detail.aliases,
            events_by_root=detail.events_by_root,
            counterparts=counterparts,
        )

    def events(
        self,
        *,
        actor: str | None = None,
        source: str | None = None,
        target: str | None = None,
        code: str | None = None,
        roots: Iterable[str | int] | str | int | None = None,
        since: DateLike = None,
        until: DateLike = None,
        min_confidence: float = 0.0,
        limit: int | None = None,
        offset: int = 0,
    ) -> pd.DataFrame:
        """Events newest first (undated last), one row per real-world event with its
        first report's sentence and article and its counts of mentions, articles and
        sources. ``actor`` matches either end; ``code`` is a CAMEO code or its prefix;
        ``roots`` a set of CAMEO roots; ``limit=None`` returns them all."""
        where = NetworkFilter(  # validates the window, the roots and the confidence
            since=as_date(since, "since"),
            until=as_date(until, "until"),
            roots=cameo_roots(roots),
            min_confidence=float(min_confidence),
        )
        return event_rows(
            self.store,
            actor=self.resolve(actor) if actor else None,
            source=self.resolve(source) if source else None,
            target=self.resolve(target) if target else None,
            code=code,
            where=where,
            limit=limit,
            offset=offset,
        )

    def mentions(self, event: str) -> pd.DataFrame:
        """Every report of one event (its IRI or id), first report first."""
        event_id = event_iri(event, self.settings.base_iri)
        try:
            ox.NamedNode(event_id)
        except ValueError:
            raise NotFoundError(f"no event {event!r}") from None
        detail = event_detail(self.store, event_id)
        rows = []
        for m in detail.mentions:
            record = m.to_json()
            rows.append(
                {
                    **record,
                    "source": m.source.id,
                    "source_label": m.source.label,
                    "target": m.target.id if m.target else None,
                    "target_label": m.target.label if m.target else None,
                }
            )
        return frame(rows, MENTION_COLUMNS)

    def sparql(self, query: str) -> pd.DataFrame | bool:
        """Run a SPARQL query: SELECT gives a DataFrame typed by the literals' datatypes
        (xsd:integer as int, xsd:date as datetime64, ...), ASK a bool, CONSTRUCT and
        DESCRIBE a DataFrame of subject, predicate, object. The prefixes kgo:, actor:,
        cameo:, skos:, prov:, dcterms:, schema:, owl:, rdfs:, xsd: and wd: are declared
        unless the query declares them; the default graph is the union of all graphs."""
        declared = {name or "" for name in _DECLARED.findall(query)}
        header = "".join(
            f"PREFIX {name}: <{namespace}>\n"
            for name, namespace in NAMESPACES.items()
            if name not in declared
        )
        results = self.store.query(header + query)  # type: ignore[attr-defined]
        if isinstance(results, ox.QueryBoolean):
            return bool(results)
        if isinstance(results, ox.QuerySolutions):
            names = [v.value for v in results.variables]
            return typed_frame(names, ([rdf_value(t) for t in s] for s in results))
        if isinstance(results, ox.QueryTriples):
            return typed_frame(
                ["subject", "predicate", "object"],
                (
                    [rdf_value(t.subject), rdf_value(t.predicate), rdf_value(t.object)]
                    for t in results
                ),
            )
        if results.type == "ASK":  # an rdflib Result from a SPARQL server
            return bool(results.askAnswer)
        if results.type == "SELECT":
            names = [str(v) for v in results.vars]
            return typed_frame(names, ([rdf_value(row[n]) for n in names] for row in results))
        return typed_frame(
            ["subject", "predicate", "object"], ([rdf_value(t) for t in row] for row in results)
        )

    # the actor network

    def network(
        self,
        *,
        actor: str | None = None,
        depth: int = 1,
        max_actors: int | None = None,
        **filters: Unpack[NetworkFilters],
    ) -> nx.MultiDiGraph:
        """The actor network (kg.network.projection): actors as nodes (label, type,
        country), events with a target as edges keyed by event IRI (code, root,
        quad_class, goldstein, date, confidence, mentions, article, sentence).

        With ``actor``, its ego network: the actors within ``depth`` hops, at most
        ``max_actors`` (nearest and most connected first). The graph is a read-only
        view; ``.copy()`` it to change it.
        """
        with self._reading(filters) as network:
            if actor is not None:
                return network.ego(_node(network, actor, self.resolve(actor)), depth, max_actors)
            return network.graph.copy(as_view=True)

    def path(
        self,
        source: str,
        target: str,
        *,
        max_hops: int = 4,
        k: int = 3,
        directed: bool = False,
        **filters: Unpack[NetworkFilters],
    ) -> list[PathResult]:
        """The ``k`` shortest paths of at most ``max_hops`` hops between two actors,
        each with the events behind every hop (``directed`` follows events from source
        to target only); an empty list when none links them."""
        first, second = self.resolve(source), self.resolve(target)
        with self._reading(filters) as network:
            _node(network, source, first), _node(network, target, second)
            found = network.paths(first, second, max_hops=max_hops, k=k, directed=directed)
            return [
                PathResult(
                    actors=p.actors,
                    labels=[network.label(a) for a in p.actors],
                    evidence=frame(
                        (
                            edge_row(network, event) | {"hop": number}
                            for number, hop in enumerate(p.hops, 1)
                            for event in hop.events
                        ),
                        HOP_COLUMNS,
                    ),
                )
                for p in found
            ]

    def centrality(
        self, by: str = "degree", top: int = 20, **filters: Unpack[NetworkFilters]
    ) -> pd.DataFrame:
        """The ``top`` actors by ``degree``, ``betweenness`` or ``pagerank``: actor,
        label, score (float) and events (int)."""
        with self._reading(filters) as network:
            ranked = metrics.centrality(network, by, top)
        columns = {"actor": "object", "label": "object", "score": "float64", "events": "int64"}
        return frame((vars(r) for r in ranked), columns)

    def communities(self, min_size: int = 2, **filters: Unpack[NetworkFilters]) -> pd.DataFrame:
        """Louvain communities, largest first: number, size, events inside, and the
        members (IRIs and labels, most connected first)."""
        with self._reading(filters) as network:
            found = metrics.communities(network, min_size)
        columns = {
            "community": "int64",
            "size": "int64",
            "events_inside": "int64",
            "actors": "object",
            "labels": "object",
        }
        rows = (
            {
                "community": c.number,
                "size": len(c.actors),
                "events_inside": c.events_inside,
                "actors": c.actors,
                "labels": c.labels,
            }
            for c in found
        )
        return frame(rows, columns)

    def dyad(self, a: str, b: str, **filters: Unpack[NetworkFilters]) -> Dyad:
        """The events between two actors, both directions: by direction and CAMEO root,
        the net Goldstein score, and per month cooperation, conflict and Goldstein."""
        first, second = self.resolve(a), self.resolve(b)
        with self._reading(filters) as network:
            summary = metrics.dyad(network, _node(network, a, first), _node(network, b, second))
        months = frame(
            ({**vars(m), "month": f"{m.month}-01"} for m in summary.months), DYAD_MONTH_COLUMNS
        )
        return Dyad(
            actors=summary.actors,
            labels=summary.labels,
            events=summary.events,
            by_direction=summary.by_direction,
            by_root=summary.by_root,
            goldstein=summary.goldstein,
            undated=summary.undated,
            months=months,
        )

    def timeline(self, actor: str, **filters: Unpack[NetworkFilters]) -> pd.DataFrame:
        """An actor's events with other actors, oldest first (undated last), each with
        its role (source or target) and the counterpart."""
        node = self.resolve(actor)
        with self._reading(filters) as network:
            rows = metrics.timeline(network, _node(network, actor, node))
        return frame(rows, TIMELINE_COLUMNS)

    # helpers

    def _reading(self, filters: Mapping[str, Any]) -> AbstractContextManager[ActorNetwork]:
        """The projection restricted by ``filters``, held still while it is read."""
        self.store  # noqa: B018 - a closed graph says so, not a broken store
        return self._network.reading(network_filter(filters))

    def _event_counts(self, actors: list[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for start in range(0, len(actors), 500):
            values = " ".join(iri(a) for a in actors[start : start + 500])
            rows = self.store.select(
                PREFIXES
                + f"SELECT ?actor (COUNT(DISTINCT ?e) AS ?n) WHERE {{ VALUES ?actor {{ {values} }}"
                + " ?e a kgo:Event ; kgo:source|kgo:target ?actor . } GROUP BY ?actor"
            )
            counts |= {r["actor"] or "": int(r["n"] or 0) for r in rows}
        return counts


def _node(network: ActorNetwork, given: str, actor: str) -> str:
    """``actor`` if the network has it; else a NotFoundError naming what was asked for."""
    if actor not in network.graph:
        raise NotFoundError(f"the actor {given!r} ({actor}) takes part in no event")
    return actor
