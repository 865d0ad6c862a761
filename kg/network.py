"""The actor network: the store projected into a networkx MultiDiGraph.

Actors are nodes (label, type, country); every event with a target is an edge
from source to target keyed by the event IRI (code, root, quad class, Goldstein,
date, confidence, article). Paths and ego networks carry their evidence: each
hop lists the events that support it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import islice, pairwise

import networkx as nx

from kg.errors import InputError, NotFoundError
from kg.queries import PREFIXES, actor_iri, iri, literal
from kg.store import Store

__all__ = ["ActorNetwork", "Hop", "NetworkFilter", "Path", "resolve_actor"]

EDGES_QUERY = (
    PREFIXES
    + """
SELECT ?event ?source ?target ?code ?root ?quad ?goldstein ?date ?confidence ?article ?sentence
WHERE {
  ?event a kgo:Event ; kgo:source ?source ; kgo:target ?target ; kgo:confidence ?confidence ;
         kgo:sentence ?sentence ; kgo:eventCode ?concept ;
         prov:wasDerivedFrom/dcterms:identifier ?article .
  ?concept skos:notation ?code ; kgo:quadClass ?quad ; kgo:goldstein ?goldstein .
  BIND(SUBSTR(?code, 1, 2) AS ?root)
  OPTIONAL { ?event kgo:eventDate ?date }
}"""
)

NODES_QUERY = (
    PREFIXES
    + """
SELECT ?actor ?label ?type ?country WHERE {
  { SELECT DISTINCT ?actor WHERE { { ?e kgo:source ?actor } UNION { ?e kgo:target ?actor } } }
  OPTIONAL { ?actor skos:prefLabel ?label }
  OPTIONAL { ?actor a ?type }
  OPTIONAL { ?actor kgo:country/kgo:isoCode ?country }
}"""
)


@dataclass(frozen=True)
class NetworkFilter:
    """Which events become edges."""

    since: dt.date | None = None
    until: dt.date | None = None
    roots: frozenset[str] = field(default_factory=frozenset)
    quad_classes: frozenset[int] = field(default_factory=frozenset)
    min_confidence: float = 0.0

    def admits(self, edge: dict) -> bool:
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


class ActorNetwork:
    """The projection, and the questions analysts ask of it."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        self._simple: dict[bool, nx.Graph] = {}

    def simple(self, directed: bool) -> nx.Graph:
        """The graph with parallel events collapsed, built once (paths need no multi-edges)."""
        if directed not in self._simple:
            self._simple[directed] = (
                nx.DiGraph(self.graph)
                if directed
                else nx.Graph(self.graph.to_undirected(as_view=True))
            )
        return self._simple[directed]

    @classmethod
    def from_store(cls, store: Store, where: NetworkFilter | None = None) -> ActorNetwork:
        where = where or NetworkFilter()
        graph = nx.MultiDiGraph()
        for row in store.select(NODES_QUERY):
            actor = row["actor"] or ""
            node = graph.nodes.get(actor) or {}
            graph.add_node(
                actor,
                label=node.get("label") or row["label"] or actor.rsplit("/", 1)[-1],
                type=node.get("type") or _type_name(row["type"]),
                country=node.get("country") or row["country"],
            )
        for row in store.select(EDGES_QUERY):
            edge = {
                "event": row["event"],
                "code": row["code"],
                "root": row["root"],
                "quad_class": int(row["quad"] or 0),
                "goldstein": float(row["goldstein"] or 0),
                "date": dt.date.fromisoformat(row["date"]) if row["date"] else None,
                "confidence": float(row["confidence"] or 0),
                "article": row["article"],
                "sentence": row["sentence"],
            }
            if where.admits(edge):
                graph.add_edge(row["source"], row["target"], key=row["event"], **edge)
        return cls(graph)

    def paths(
        self, source: str, target: str, max_hops: int = 4, k: int = 3, directed: bool = False
    ) -> list[Path]:
        """The ``k`` shortest simple paths of at most ``max_hops`` hops, with evidence."""
        for actor in (source, target):
            if actor not in self.graph:
                raise NotFoundError(f"actor {actor} takes part in no event of the network")
        simple = self.simple(directed)
        try:
            candidates = nx.shortest_simple_paths(simple, source, target)
            found = [p for p in islice(candidates, k * 4) if len(p) - 1 <= max_hops][:k]
        except nx.NetworkXNoPath:
            return []
        return [
            Path(actors=p, hops=[self._hop(a, b, directed) for a, b in pairwise(p)]) for p in found
        ]

    def ego(self, actor: str, depth: int = 1) -> nx.MultiDiGraph:
        """The actors within ``depth`` hops (either direction) and the events among them."""
        if actor not in self.graph:
            raise NotFoundError(f"actor {actor} takes part in no event of the network")
        if depth < 1:
            raise InputError("depth must be at least 1", "request")
        near = nx.single_source_shortest_path_length(
            self.graph.to_undirected(as_view=True), actor, cutoff=depth
        )
        return self.graph.subgraph(near).copy()

    def _hop(self, a: str, b: str, directed: bool) -> Hop:
        """The events behind one hop: a to b, and b to a when direction does not matter."""
        events = [dict(d) for d in self.graph.get_edge_data(a, b, default={}).values()]
        if not directed:
            events += [dict(d) for d in self.graph.get_edge_data(b, a, default={}).values()]
        events.sort(key=lambda e: (e["date"] or dt.date.min, e["event"]), reverse=True)
        return Hop(source=a, target=b, events=events)


def resolve_actor(store: Store, given: str, base_iri: str) -> str:
    """An actor IRI from an id, an IRI or any label or alias ("Tehran", "Soleimani")."""
    if given.startswith(("http://", "https://")) or "/" in given:
        return actor_iri(given, base_iri)
    if re.fullmatch(r"[A-Za-z0-9_.-]+", given):  # an id such as USA or qassem-soleimani
        candidate = actor_iri(given, base_iri)
        query = f"SELECT ?l WHERE {{ {iri(candidate)} skos:prefLabel ?l }} LIMIT 1"
        if store.select(PREFIXES + query):
            return candidate
    rows = store.select(
        PREFIXES
        + f"""
SELECT ?actor (COUNT(?e) AS ?n) WHERE {{
  {{ ?actor skos:prefLabel ?name }} UNION {{ ?actor skos:altLabel ?name }}
  FILTER(LCASE(STR(?name)) = LCASE({literal(given)}))
  OPTIONAL {{ {{ ?e kgo:source ?actor }} UNION {{ ?e kgo:target ?actor }} }}
}} GROUP BY ?actor ORDER BY DESC(?n) LIMIT 1"""
    )
    if not rows:
        raise NotFoundError(f"no actor named {given!r}")
    return rows[0]["actor"] or ""


def _type_name(type_iri: str | None) -> str | None:
    return type_iri.rsplit("#", 1)[-1] if type_iri else None
