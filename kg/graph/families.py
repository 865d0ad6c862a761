"""Event families in the store: their stored reports, and the update that rewrites their
events when reports come or go.

A family is the (source identity, CAMEO root) of a report (:attr:`MentionFacts.family`):
reports of different families never make one event, and within a family only reports
within the merge window of each other do. So when an article is stored, replaced or
removed, only the events of the reports within reach of its reports can change
(:func:`kg.graph.candidates.neighbourhood`, found through the merge keys): those reports
are merged again (:func:`kg.graph.merge.merge_mentions`), and of their events only the
ones that changed are written: an event gone is deleted, a changed one gets its
properties replaced and its ``kgo:hasMention`` links adjusted, an unchanged one is left
alone. Every other event stays as it is, so the cost of a report does not grow with
the size of its family or of the store. Ingest (:mod:`kg.ingest`) and removal
(:mod:`kg.graph.removal`) both go through :func:`rewrite_families`, which plans that
update without running it, so each caller applies it in one transaction with its own
changes (the article graph written or dropped).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rdflib import Graph, Literal

from kg.graph import lookups
from kg.graph.candidates import neighbourhood
from kg.graph.merge import MentionFacts, MergedEvent, MergeWindow, merge_mentions
from kg.graph.queries import PREFIXES, iri
from kg.graph.rdf import Minter, direct_triple, event_triples
from kg.graph.store import Store
from kg.graph.vocab import CAMEO

#: Events written per update when :func:`remerge_all` rebuilds the events graph.
EVENTS_PER_UPDATE = 2000

__all__ = [
    "MENTION_PATTERN",
    "FamilyRewrite",
    "graph_block",
    "mentions_in_graphs",
    "mentions_with_keys",
    "remerge_all",
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

    #: SPARQL update operations deleting events, changed event properties, links to
    #: mentions that left and direct triples no event states any more.
    deletes: list[str]
    #: What to insert into the events graph: new events, the properties and new
    #: mention links of changed ones, their direct triples.
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
    of the events graph and brings ``coming`` in: the stored reports within reach of
    both are merged again with ``coming``, and the events that differ are written."""
    if cache := lookups.facts_cache(store):  # replaced or removed: their facts change
        cache.forget(m.mention for m in leaving)
    reach = neighbourhood(lambda keys: mentions_with_keys(store, keys), [*leaving, *coming])
    others = [m for m in reach if m.article not in articles]
    old_events = _events_with_mentions(
        store, [m.mention for m in (*leaving, *others)], str(minter.events_graph())
    )
    merged = {str(minter.event(e)): e for e in merge_mentions([*others, *coming], window)}
    incoming = {m.article for m in coming}
    changed = {
        event_iri
        for event_iri, event in merged.items()
        if old_events.get(event_iri) != {m.mention for m in event.mentions}
        or any(m.article in incoming or m.article in articles for m in event.mentions)
    }
    removed = set(old_events) - set(merged)
    # The events as they are stored: merging is a function of the reports, so merging
    # the reports before the update gives them (and their direct triples).
    was = {str(minter.event(e)): e for e in merge_mentions([*others, *leaving], window)}
    before = {_link(e) for e in was.values() if e.target}
    after = {_link(e) for e in merged.values() if e.target}
    # Direct triples no event states any more, unless an event outside the
    # neighbourhood does.
    dropped = _unstated_links(store, minter, before - after, set(old_events))

    events_graph = iri(str(minter.events_graph()))
    deletes = []
    events = Graph(identifier=minter.events_graph())
    # Changed events stored otherwise than merging says (never, unless the store was
    # written by other code): rewritten whole.
    unknown = sorted(e for e in changed & set(old_events) if e not in was)
    if removed or unknown:  # every triple of an event gone (or not as expected)
        values = " ".join(iri(e) for e in sorted(removed | set(unknown)))
        deletes.append(
            f"DELETE {{ GRAPH {events_graph} {{ ?e ?p ?o }} }} "
            f"WHERE {{ VALUES ?e {{ {values} }} GRAPH {events_graph} {{ ?e ?p ?o }} }}"
        )
    stale = [direct_triple(*link) for link in sorted(dropped)]
    for event_iri in sorted(changed):
        now = event_triples(merged[event_iri], minter)
        if event_iri in old_events and event_iri in was:  # write only what differs
            then = set(event_triples(was[event_iri], minter))
            stale.extend(then.difference(now))
            now = [t for t in now if t not in then]
        for triple in now:
            events.add(triple)
        if merged[event_iri].target:
            events.add(direct_triple(*_link(merged[event_iri])))
    if stale:
        triples = " ".join(_nt(t) for t in stale)
        deletes.append(f"DELETE DATA {{ GRAPH {events_graph} {{ {triples} }} }}")
    return FamilyRewrite(deletes, events, removed, changed)


def remerge_all(store: Store, minter: Minter, window: MergeWindow) -> int:
    """Merge every stored report again and replace the events graph with the result:
    the upgrade of a store whose events were merged by other rules (before ontology
    0.4.0 an event was not bounded by its week). The reports (the articles' graphs)
    are not touched. Returns how many events were written."""
    events = merge_mentions(stored_mentions(store, MENTION_PATTERN), window)
    graph_iri = minter.events_graph()
    store.update(f"DROP SILENT GRAPH {iri(str(graph_iri))}")
    links: set[tuple[str, str, str]] = set()
    for start in range(0, len(events), EVENTS_PER_UPDATE):
        graph = Graph(identifier=graph_iri)
        for event in events[start : start + EVENTS_PER_UPDATE]:
            for triple in event_triples(event, minter):
                graph.add(triple)
            if event.target:
                links.add(_link(event))
        store.update(f"INSERT DATA {{ {graph_block(graph)} }}")
    if links:
        graph = Graph(identifier=graph_iri)
        for link in sorted(links):
            graph.add(direct_triple(*link))
        store.update(f"INSERT DATA {{ {graph_block(graph)} }}")
    return len(events)


def mentions_with_keys(store: Store, keys: list[str]) -> list[MentionFacts]:
    """The stored mentions whose merge key is one of ``keys``."""
    if not keys:
        return []
    if oxigraph := lookups.native(store):
        return lookups.mentions_with_keys(oxigraph, keys, lookups.facts_cache(store))
    values = " ".join(_string(k) for k in keys)
    return stored_mentions(
        store, f"VALUES ?key {{ {values} }} ?m kgo:mergeKey ?key . {MENTION_PATTERN}"
    )


def stored_mentions(store: Store, pattern: str) -> list[MentionFacts]:
    """The mentions matching ``pattern`` (which binds :data:`MENTION_PATTERN`'s variables)."""
    rows = store.select(
        PREFIXES
        + "SELECT DISTINCT ?m ?source ?target ?targetText ?code ?date ?inferred ?confidence "
        + f"?article ?published ?outlet ?location WHERE {{ {pattern} }}"
    )
    actors = {r["source"] or "" for r in rows} | {r["target"] for r in rows if r["target"]}
    agents = _state_agents(store, actors)
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


def _state_agents(store: Store, actors: set[str]) -> dict[str, str]:
    """The government and military actors among ``actors`` and the state each acts for."""
    if not actors:
        return {}
    values = " ".join(iri(a) for a in sorted(actors))
    rows = store.select(
        PREFIXES
        + f"""
SELECT DISTINCT ?agent ?state WHERE {{
  VALUES ?agent {{ {values} }}
  ?agent kgo:country ?state ; a ?type .
  FILTER(?type IN (kgo:Government, kgo:Military) && ?agent != ?state)
}}"""
    )
    return {r["agent"] or "": r["state"] or "" for r in rows}


def mentions_in_graphs(store: Store, graphs: list[str]) -> list[MentionFacts]:
    """The mentions stored in the named graphs ``graphs`` (articles' graphs)."""
    if oxigraph := lookups.native(store):
        return lookups.mentions_in_graphs(oxigraph, graphs)
    values = " ".join(iri(g) for g in graphs)
    return stored_mentions(store, f"VALUES ?g {{ {values} }} GRAPH ?g {{ {MENTION_PATTERN} }}")


def _events_with_mentions(
    store: Store, mentions: list[str], events_graph: str
) -> dict[str, set[str]]:
    """The stored events that have any of these mentions, with all their mentions."""
    if not mentions:
        return {}
    if oxigraph := lookups.native(store):
        return lookups.events_with_mentions(oxigraph, sorted(set(mentions)), events_graph)
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


def _link(event: MergedEvent) -> tuple[str, str, str]:
    return (event.source, event.target or "", event.root)


def _unstated_links(
    store: Store, minter: Minter, links: set[tuple[str, str, str]], rewritten: set[str]
) -> set[tuple[str, str, str]]:
    """The ``links`` (source, target, root) that no stored event outside ``rewritten``
    states."""
    if not links:
        return set()
    if oxigraph := lookups.native(store):
        events_graph = str(minter.events_graph())
        return {
            (s, t, r)
            for s, t, r in links
            if not lookups.events_stating(oxigraph, (s, t, str(CAMEO[r])), events_graph) - rewritten
        }
    values = " ".join(f"({iri(s)} {iri(t)} {iri(str(CAMEO[r]))})" for s, t, r in sorted(links))
    outside = (
        f"FILTER(?e NOT IN ({', '.join(iri(e) for e in sorted(rewritten))}))" if rewritten else ""
    )
    rows = store.select(
        PREFIXES
        + f"SELECT DISTINCT ?s ?t ?r WHERE {{ VALUES (?s ?t ?r) {{ {values} }} "
        + f"GRAPH {iri(str(minter.events_graph()))} "
        + f"{{ ?e kgo:source ?s ; kgo:target ?t ; kgo:eventRoot ?r }} {outside} }}"
    )
    stated = {(r["s"], r["t"], _local(r["r"])) for r in rows}
    return links - stated


def _string(text: str) -> str:
    """A SPARQL string literal."""
    return Literal(text).n3()


def _nt(triple: tuple) -> str:
    return " ".join(term.n3() for term in triple) + " ."


def _local(concept: str | None) -> str:
    return (concept or "").rsplit("/", 1)[-1]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
