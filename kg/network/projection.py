"""The actor network: the store projected into a networkx MultiDiGraph.

Actors are nodes (label, type, country); every event with a target is an edge
from source to target keyed by the event IRI (code, root, quad class, Goldstein,
date, confidence, number of mentions, and the article and sentence of its first
report). Events are real-world events merged across articles (:mod:`kg.graph.merge`),
so an event reported ten times is one edge. Paths and ego networks carry their
evidence: each hop lists the events that support it.

Beside the multigraph the projection keeps two simple graphs (directed and
undirected) whose edge ``weight`` counts the events between two actors; path
searches run on them. All three are updated together, so adding the events of
new articles (:meth:`ActorNetwork.update_events`) costs time in proportion to
those events, not to the network.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice, pairwise, takewhile

import networkx as nx

from kg.errors import InputError, NotFoundError
from kg.graph.queries import PREFIXES, actor_iri, check_window, iri, literal
from kg.graph.store import Store
from kg.models import ACTOR_TYPES

__all__ = [
    "ActorNetwork",
    "Hop",
    "NetworkFilter",
    "Path",
    "event_edge",
    "resolve_actor",
]

# The OPTIONAL comes last: before the concept join it makes Oxigraph's plan some
# 60 times slower (benchmarks/network.py).
EDGE_PATTERN = """
  ?event a kgo:Event ; kgo:source ?source ; kgo:target ?target ; kgo:confidence ?confidence ;
         kgo:eventCode ?concept ; kgo:mentionCount ?mentions ; kgo:firstMention ?first .
  ?first kgo:sentence ?sentence ; prov:wasDerivedFrom/dcterms:identifier ?article ."""

DATE_PATTERN = """
  OPTIONAL { ?event kgo:eventDate ?date }"""

EDGE_SELECT = (
    "SELECT ?event ?source ?target ?code ?quad ?goldstein ?date ?confidence ?mentions "
    "?article ?sentence"
)

CONCEPT_PATTERN = """
  ?concept skos:notation ?code ; kgo:quadClass ?quad ; kgo:goldstein ?goldstein ."""

EDGES_QUERY = PREFIXES + f"{EDGE_SELECT}\nWHERE {{{EDGE_PATTERN}{CONCEPT_PATTERN}{DATE_PATTERN}\n}}"

#: IRIs per VALUES block: beyond about a thousand Oxigraph picks a much slower plan.
VALUES_CHUNK = 500

ACTOR_PATTERN = """
  OPTIONAL { ?actor skos:prefLabel ?label }
  OPTIONAL { ?actor a ?type }
  OPTIONAL { ?actor kgo:country/kgo:isoCode ?country }"""

NODES_QUERY = (
    PREFIXES
    + f"""
SELECT ?actor ?label ?type ?country WHERE {{
  {{ SELECT DISTINCT ?actor WHERE {{
    ?e a kgo:Event . {{ ?e kgo:source ?actor }} UNION {{ ?e kgo:target ?actor }} }} }}
  {ACTOR_PATTERN}
}}"""
)


@dataclass(frozen=True)
class NetworkFilter:
    """Which events become edges: a time window, CAMEO roots or quad classes, a
    minimum extraction confidence, and the types of actor at both ends."""

    since: dt.date | None = None
    until: dt.date | None = None
    roots: frozenset[str] = field(default_factory=frozenset)
    quad_classes: frozenset[int] = field(default_factory=frozenset)
    min_confidence: float = 0.0
    actor_types: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        check_window(self.since, self.until)
        for root in self.roots:
            if not re.fullmatch(r"\d\d", root) or not 1 <= int(root) <= 20:
                raise InputError(f"{root!r} is not a CAMEO root (01 to 20)", "filter")
        for quad in self.quad_classes:
            if quad not in (1, 2, 3, 4):
                raise InputError(f"{quad!r} is not a quad class (1 to 4)", "filter")
        for kind in self.actor_types:
            if kind not in ACTOR_TYPES:
                raise InputError(
                    f"{kind!r} is not an actor type; one of {', '.join(ACTOR_TYPES)}", "filter"
                )
        if not 0.0 <= self.min_confidence <= 1.0:
            raise InputError(f"min_confidence {self.min_confidence} is not in [0, 1]", "filter")

    @property
    def is_empty(self) -> bool:
        return self == NetworkFilter()

    def admits(self, edge: Mapping) -> bool:
        date = edge["date"]
        if self.since and (date is None or date < self.since):
            return False
        if self.until and (date is None or date > self.until):
            return False
        if self.roots and edge["root"] not in self.roots:
            return False
        if self.quad_classes and edge["quad_class"] not in self.quad_classes:
            return False
        return edge["confidence"] >= self.min_confidence


@dataclass(frozen=True)
class Hop:
    source: str
    target: str
    events: list[dict]


@dataclass(frozen=True)
class Path:
    actors: list[str]
    hops: list[Hop]


def event_edge(row: Mapping[str, str | None]) -> dict:
    """One event edge (source, target and attributes) from a row of :data:`EDGES_QUERY`."""
    code = row["code"] or ""
    return {
        "source": row["source"],
        "target": row["target"],
        "event": row["event"],
        "code": code,
        "root": code[:2],
        "quad_class": int(row["quad"] or 0),
        "goldstein": float(row["goldstein"] or 0),
        "date": dt.date.fromisoformat(row["date"]) if row["date"] else None,
        "confidence": float(row["confidence"] or 0),
        "mentions": int(row.get("mentions") or 1),
        "article": row["article"],
        "sentence": row["sentence"],
    }


class ActorNetwork:
    """The projection, kept consistent under updates, and the questions asked of it."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph()
        self._directed = nx.DiGraph()
        self._undirected = nx.Graph()
        self._ends: dict[str, tuple[str, str]] = {}  # event IRI -> (source, target)

    # building and updating

    @classmethod
    def from_store(cls, store: Store, where: NetworkFilter | None = None) -> ActorNetwork:
        """Every actor that takes part in an event, and every event with a target."""
        network = cls()
        network.add_actors(store.select(NODES_QUERY))
        network.add_events(map(event_edge, store.select(EDGES_QUERY)), where)
        return network

    @classmethod
    def from_events(
        cls,
        actors: Iterable[Mapping[str, str | None]],
        events: Iterable[dict],
        where: NetworkFilter | None = None,
    ) -> ActorNetwork:
        """A network from actor rows (actor, label, type, country) and event edges
        (the attributes of :func:`event_edge` plus ``source`` and ``target``)."""
        network = cls()
        network.add_actors(actors)
        network.add_events(events, where)
        return network

    def add_actors(self, rows: Iterable[Mapping[str, str | None]]) -> None:
        """Add or describe actors; the first label, type and country seen are kept."""
        nodes = self.graph.nodes
        for row in rows:
            actor = row["actor"] or ""
            node = nodes.get(actor) or {}
            attributes = {
                "label": node.get("label") or row.get("label") or actor.rsplit("/", 1)[-1],
                "type": node.get("type") or _type_name(row.get("type")),
                "country": node.get("country") or row.get("country"),
            }
            for graph in (self.graph, self._directed, self._undirected):
                graph.add_node(actor)
            nodes[actor].update(attributes)

    def add_events(self, events: Iterable[dict], where: NetworkFilter | None = None) -> int:
        """Add event edges that ``where`` admits; returns how many were added."""
        where = where or NetworkFilter()
        added = 0
        for edge in events:
            source, target = edge["source"], edge["target"]
            attributes = {k: v for k, v in edge.items() if k not in ("source", "target")}
            if not where.admits(attributes) or not self._types_admitted(source, target, where):
                continue
            key = attributes["event"]
            if key in self._ends:
                continue
            for actor in (source, target):
                if actor not in self.graph:
                    self.add_actors([{"actor": actor}])
            self.graph.add_edge(source, target, key=key, **attributes)
            _count(self._directed, source, target, +1)
            _count(self._undirected, source, target, +1)
            self._ends[key] = (source, target)
            added += 1
        return added

    def remove_events(self, events: Iterable[str]) -> int:
        """Drop these events' edges (unknown ones are ignored); returns how many went."""
        removed = 0
        for event in events:
            ends = self._ends.pop(event, None)
            if ends is None:
                continue
            source, target = ends
            self.graph.remove_edge(source, target, event)
            _count(self._directed, source, target, -1)
            _count(self._undirected, source, target, -1)
            removed += 1
        return removed

    def update_events(
        self,
        store: Store,
        removed: Iterable[str],
        written: Iterable[str],
        where: NetworkFilter | None = None,
        actors_touched: Iterable[str] = (),
    ) -> int:
        """Apply what an ingest or a removal did (``events_removed``, ``events_written``):
        drop the removed events, re-read the written ones from the store; actors of the
        dropped edges, and ``actors_touched``, that take part in no event any more go too, as in
        a rebuild. Returns how many edges were added."""
        written = sorted(set(written))
        removed = [*removed, *written]
        touched = set(actors_touched) | {a for e in removed for a in self._ends.get(e, ())}
        self.remove_events(removed)
        edges, actors = [], set()
        for start in range(0, len(written), VALUES_CHUNK):
            values = " ".join(iri(e) for e in written[start : start + VALUES_CHUNK])
            rows = store.select(
                PREFIXES
                + f"{EDGE_SELECT}\nWHERE {{ VALUES ?event {{ {values} }}"
                + f"{EDGE_PATTERN}{CONCEPT_PATTERN}{DATE_PATTERN}\n}}"
            )
            edges += [event_edge(row) for row in rows]
            # every actor of an event is a node, as in a rebuild, targetless events too
            actors |= {
                row["actor"] or ""
                for row in store.select(
                    PREFIXES
                    + f"SELECT DISTINCT ?actor WHERE {{ VALUES ?event {{ {values} }} "
                    + "{ ?event kgo:source ?actor } UNION { ?event kgo:target ?actor } }"
                )
            }
        new = sorted(actors - set(self.graph))
        for start in range(0, len(new), VALUES_CHUNK):
            values = " ".join(iri(a) for a in new[start : start + VALUES_CHUNK])
            self.add_actors(
                store.select(
                    PREFIXES
                    + f"SELECT ?actor ?label ?type ?country WHERE {{ VALUES ?actor {{ {values} }}"
                    + f"{ACTOR_PATTERN}\n}}"
                )
            )
        added = self.add_events(edges, where)
        self._drop_idle(store, [a for a in touched if a in self.graph and not self.graph.degree(a)])
        return added

    def _drop_idle(self, store: Store, actors: list[str]) -> None:
        """Remove the nodes of ``actors`` that are the source or target of no stored event."""
        for start in range(0, len(actors), VALUES_CHUNK):
            chunk = sorted(actors)[start : start + VALUES_CHUNK]
            busy = store.select(
                f"{PREFIXES}SELECT ?a WHERE {{ VALUES ?a {{ {' '.join(map(iri, chunk))} }} "
                "?e a kgo:Event { ?e kgo:source ?a } UNION { ?e kgo:target ?a } }"
            )
            for graph in (self.graph, self._directed, self._undirected):
                graph.remove_nodes_from(set(chunk) - {r["a"] for r in busy})

    def restrict(self, where: NetworkFilter) -> ActorNetwork:
        """A new network holding only the events ``where`` admits (all actors kept)."""
        if where.is_empty:
            return self
        network = ActorNetwork()
        network.add_actors({"actor": n, **d} for n, d in self.graph.nodes(data=True))
        network.add_events(
            ({"source": u, "target": v, **d} for u, v, d in self.graph.edges(data=True)), where
        )
        return network

    def _types_admitted(self, source: str, target: str, where: NetworkFilter) -> bool:
        if not where.actor_types:
            return True
        nodes = self.graph.nodes
        return all(
            actor in nodes and nodes[actor].get("type") in where.actor_types
            for actor in (source, target)
        )

    # questions

    def simple(self, directed: bool) -> nx.Graph:
        """Actors linked when any event joins them; ``weight`` counts the events."""
        return self._directed if directed else self._undirected

    def label(self, actor: str) -> str:
        return self.graph.nodes[actor]["label"]

    def require(self, actor: str) -> None:
        if actor not in self.graph:
            raise NotFoundError(f"actor {actor} takes part in no event of the network")

    def paths(
        self, source: str, target: str, max_hops: int = 4, k: int = 3, directed: bool = False
    ) -> list[Path]:
        """The ``k`` shortest simple paths of at most ``max_hops`` hops, with evidence.

        ``directed`` follows events from source to target only; otherwise an event
        in either direction links two actors. No path gives an empty list.
        """
        if max_hops < 1 or k < 1:
            raise InputError("max_hops and k must be at least 1", "request")
        self.require(source)
        self.require(target)
        if source == target:
            raise InputError("source and target are the same actor", "request")
        simple = self.simple(directed)
        candidates = nx.shortest_simple_paths(simple, source, target)
        try:
            found = list(islice(takewhile(lambda p: len(p) - 1 <= max_hops, candidates), k))
        except nx.NetworkXNoPath:
            return []
        return [
            Path(actors=p, hops=[self._hop(a, b, directed) for a, b in pairwise(p)]) for p in found
        ]

    def ego(self, actor: str, depth: int = 1, max_actors: int | None = None) -> nx.MultiDiGraph:
        """The actors within ``depth`` hops (either direction) and the events among them,
        as a read-only view of the network (copy it to change it).

        ``max_actors`` keeps the network readable around hubs: actors nearer the
        centre come first, and among equally near ones those sharing more events
        with the actor that reached them.
        """
        # a read-only view: hubs share 100k+ events
        return self.graph.subgraph(self.ego_actors(actor, depth, max_actors))

    def ego_actors(self, actor: str, depth: int = 1, max_actors: int | None = None) -> list[str]:
        """The actors of :meth:`ego` in the order it chooses them: the centre, then
        nearer before farther, more shared events first."""
        self.require(actor)
        if depth < 1:
            raise InputError("depth must be at least 1", "request")
        graph = self._undirected
        kept, frontier = [actor], [actor]
        seen = {actor}
        for _ in range(depth):
            ranked: dict[str, int] = {}
            for node in frontier:
                for neighbour, data in graph.adj[node].items():
                    if neighbour not in seen:
                        ranked[neighbour] = max(ranked.get(neighbour, 0), data["weight"])
            ring = sorted(ranked, key=lambda n: (-ranked[n], n))
            if max_actors is not None:
                ring = ring[: max(0, max_actors - len(kept))]
            kept += ring
            seen.update(ring)
            frontier = ring
            if not frontier:
                break
        return kept

    def events_between(self, a: str, b: str, directed: bool = False) -> list[dict]:
        """The events from a to b (and b to a unless ``directed``), newest first."""
        events = [
            {"source": a, "target": b, **d}
            for d in self.graph.get_edge_data(a, b, default={}).values()
        ]
        if not directed and a != b:  # a self-loop is one event, not two
            events += [
                {"source": b, "target": a, **d}
                for d in self.graph.get_edge_data(b, a, default={}).values()
            ]
        events.sort(key=lambda e: (e["date"] or dt.date.min, e["event"]), reverse=True)
        return events

    def _hop(self, a: str, b: str, directed: bool) -> Hop:
        return Hop(source=a, target=b, events=self.events_between(a, b, directed))

    def summary(self) -> dict[str, int]:
        return {"actors": self.graph.number_of_nodes(), "events": self.graph.number_of_edges()}


def resolve_actor(store: Store, given: str, base_iri: str) -> str:
    """An actor IRI from an id, an IRI or any label or alias ("Tehran", "Soleimani")."""
    if given.startswith(("http://", "https://")) or "/" in given:
        return actor_iri(given, base_iri)
    if re.fullmatch(r"[A-Za-z0-9_.-]+", given):  # an id such as USA or qassem-soleimani
        candidate = actor_iri(given, base_iri)
        query = f"SELECT ?l WHERE {{ {iri(candidate)} skos:prefLabel ?l }} LIMIT 1"
        if store.select(PREFIXES + query):
            return candidate
    # "the Pentagon" names the actor whose alias is "Pentagon"
    names = {given.strip(), re.sub(r"(?i)^the\s+", "", given.strip())}
    wanted = ", ".join(f"LCASE({literal(n)})" for n in sorted(names))
    rows = store.select(
        PREFIXES
        + f"""
SELECT ?actor (COUNT(?e) AS ?n) WHERE {{
  {{ ?actor skos:prefLabel ?name }} UNION {{ ?actor skos:altLabel ?name }}
  FILTER(LCASE(STR(?name)) IN ({wanted}))
  OPTIONAL {{ ?e a kgo:Event . {{ ?e kgo:source ?actor }} UNION {{ ?e kgo:target ?actor }} }}
}} GROUP BY ?actor ORDER BY DESC(?n) LIMIT 1"""
    )
    if not rows:
        raise NotFoundError(f"no actor named {given!r}")
    return rows[0]["actor"] or ""


def _count(graph: nx.Graph, a: str, b: str, change: int) -> None:
    """Add ``change`` to the event count of a simple edge; drop it at zero."""
    data = graph.get_edge_data(a, b)
    weight = (data["weight"] if data else 0) + change
    if weight > 0:
        graph.add_edge(a, b, weight=weight)
    elif data:
        graph.remove_edge(a, b)


def _type_name(type_iri: str | None) -> str | None:
    return type_iri.rsplit("#", 1)[-1] if type_iri else None
