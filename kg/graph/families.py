"""Event families in the store: their stored reports, and the update that rewrites their
events when reports come or go.

A family is the (source identity, CAMEO root) of a report (:attr:`MentionFacts.family`):
reports of different families never make one event. So when an article is stored,
replaced or removed, only the families its reports belong to change: their reports are
merged again (:func:`kg.graph.merge.merge_mentions`) and their events and direct triples
replaced; every other event stays as it is. Ingest (:mod:`kg.ingest`) and removal
(:mod:`kg.graph.removal`) both go through :func:`rewrite_families`, which plans that
update without running it, so each caller applies it in one transaction with its own
changes (the article graph written or dropped).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rdflib import Graph

from kg.graph.merge import MentionFacts, MergeWindow, merge_mentions
from kg.graph.queries import PREFIXES, iri
from kg.graph.rdf import Minter, direct_triple, event_triples
from kg.graph.store import Store
from kg.graph.vocab import CAMEO

__all__ = [
    "MENTION_PATTERN",
    "FamilyRewrite",
    "graph_block",
    "mentions_of_families",
    "rewrite_families",
    "stored_mentions",
]

MENTION_PATTERN = """
  ?m a kgo:Mention ; kgo:source ?source ; kgo:eventCode ?code ; kgo:dateInferred ?inferred ;
     kgo:confidence ?confidence ; prov:wasDerivedFrom ?a .
  ?a dcterms:identifier ?article .
  OPTIONAL { ?m kgo:target ?target OPTIONAL { ?m kgo:targetText ?targetText } }
  OPTIONAL { ?m kgo:eventDate ?date }
  OPTIONAL { ?m kgo:location ?location }
  OPTIONAL { ?a dcterms:date ?published }
  OPTIONAL { ?a dcterms:source ?outlet }"""


@dataclass
class FamilyRewrite:
    """The planned update of some families' events (see :func:`rewrite_families`)."""

    #: SPARQL update operations deleting the families' events and direct triples.
    deletes: list[str]
    #: The merged events of the families with their direct triples, to insert.
    events: Graph
    #: Event IRIs that exist before the update and not after it.
    removed: set[str] = field(default_factory=set)
    #: Event IRIs that are new, or whose reports change (or come from the incoming ones).
    changed: set[str] = field(default_factory=set)


def rewrite_families(
    store: Store,
    minter: Minter,
    leaving: list[MentionFacts],
    coming: list[MentionFacts],
    window: MergeWindow,
    *,
    articles: set[str],
) -> FamilyRewrite:
    """Plan the update that takes ``leaving`` (every stored report of ``articles``) out
    of the events graph and brings ``coming`` in: the families of both are merged again
    from their other stored reports plus ``coming``."""
    families = {m.family for m in coming} | {m.family for m in leaving}
    others = [m for m in mentions_of_families(store, families) if m.article not in articles]
    old_events = _events_with_mentions(store, [m.mention for m in (*leaving, *others)])
    merged = merge_mentions([*others, *coming], window)

    events_graph_iri = str(minter.events_graph())
    deletes = []
    if old_events:
        values = " ".join(iri(e) for e in sorted(old_events))
        deletes.append(
            f"DELETE {{ GRAPH {iri(events_graph_iri)} {{ ?e ?p ?o }} }} "
            f"WHERE {{ VALUES ?e {{ {values} }} GRAPH {iri(events_graph_iri)} {{ ?e ?p ?o }} }}"
        )
    # The direct triples of the families touched; the merged events state them again.
    links = {(m.source, m.target, m.root) for m in (*leaving, *others) if m.target}
    if links:
        triples = " ".join(_nt(direct_triple(*link)) for link in sorted(links))
        deletes.append(f"DELETE DATA {{ GRAPH {iri(events_graph_iri)} {{ {triples} }} }}")

    events = Graph(identifier=minter.events_graph())
    for event in merged:
        for triple in event_triples(event, minter):
            events.add(triple)
        if event.target:
            events.add(direct_triple(event.source, event.target, event.root))
    written = {str(minter.event(e)) for e in merged}
    incoming = {m.article for m in coming}
    changed = {
        str(minter.event(e))
        for e in merged
        if old_events.get(str(minter.event(e))) != {m.mention for m in e.mentions}
        or any(m.article in incoming for m in e.mentions)
    }
    return FamilyRewrite(deletes, events, set(old_events) - written, changed)


def mentions_of_families(store: Store, families: set[tuple]) -> list[MentionFacts]:
    """Every stored mention whose (source identity, root) is one of ``families``."""
    if not families:
        return []
    identities = {f[0] for f in families}
    agents = _state_agents(store, identities)
    sources = identities | {a for a, state in agents.items() if state in identities}
    roots = {f[1] for f in families}
    pairs = " ".join(f"({iri(s)} {iri(str(CAMEO[r]))})" for s in sorted(sources) for r in roots)
    found = stored_mentions(
        store, f"VALUES (?source ?root) {{ {pairs} }} ?m kgo:eventRoot ?root . {MENTION_PATTERN}"
    )
    return [m for m in found if m.family in families]


def stored_mentions(store: Store, pattern: str) -> list[MentionFacts]:
    """The mentions matching ``pattern`` (which binds :data:`MENTION_PATTERN`'s variables)."""
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


def graph_block(graph: Graph) -> str:
    """``GRAPH <name> { triples }`` for an INSERT DATA (empty for an empty graph)."""
    if not len(graph):
        return ""
    triples = "\n".join(_nt(triple) for triple in graph)
    return f"GRAPH {graph.identifier.n3()} {{\n{triples}\n}}"


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


def _local(concept: str | None) -> str:
    return (concept or "").rsplit("/", 1)[-1]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
