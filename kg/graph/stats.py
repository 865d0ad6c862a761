"""What the graph holds: counts of triples, articles, events (real-world, merged
across articles), mentions (reports of events), actors, and events by root."""

from __future__ import annotations

from pydantic import BaseModel

from kg.graph.store import Store

__all__ = ["GraphStats", "RootCount", "graph_stats"]

COUNTS_QUERY = """
PREFIX kgo: <https://w3id.org/kg-geo/ontology#>
SELECT (COUNT(DISTINCT ?article) AS ?articles) (COUNT(DISTINCT ?event) AS ?events)
       (COUNT(DISTINCT ?mention) AS ?mentions) (COUNT(DISTINCT ?actor) AS ?actors)
WHERE {
  { ?article a kgo:Article }
  UNION { ?event a kgo:Event }
  UNION { ?mention a kgo:Mention }
  UNION { ?e a kgo:Event { ?e kgo:source ?actor } UNION { ?e kgo:target ?actor } }
}"""

ROOTS_QUERY = """
PREFIX kgo: <https://w3id.org/kg-geo/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?root ?label (COUNT(DISTINCT ?event) AS ?events)
WHERE {
  ?event a kgo:Event ; kgo:eventRoot ?concept .
  ?concept skos:notation ?root ; skos:prefLabel ?label
}
GROUP BY ?root ?label ORDER BY ?root"""


class RootCount(BaseModel):
    root: str
    label: str
    events: int


class GraphStats(BaseModel):
    triples: int
    articles: int
    events: int
    mentions: int
    actors: int
    events_by_root: list[RootCount]


def graph_stats(store: Store) -> GraphStats:
    counts = store.select(COUNTS_QUERY)[0]
    roots = [
        RootCount(root=row["root"] or "", label=row["label"] or "", events=int(row["events"] or 0))
        for row in store.select(ROOTS_QUERY)
    ]
    return GraphStats(
        triples=store.count(),
        articles=int(counts["articles"] or 0),
        events=int(counts["events"] or 0),
        mentions=int(counts["mentions"] or 0),
        actors=int(counts["actors"] or 0),
        events_by_root=roots,
    )
