"""Reading stored reports and events by key or IRI through Oxigraph's own indexes.

Ingest reads, per article, a few dozen reports by merge key and the events that hold
them. As SPARQL, pyoxigraph plans a ``VALUES`` block joined to a triple pattern as a
hash join that scans every triple of the pattern's predicate (every merge key, every
``kgo:hasMention`` of the store), so the cost of an article grew with the store again
(10 ms for 400 reports at 3,000 articles, 2 ms at 300). On the embedded store these
functions ask the indexes directly (``quads_for_pattern`` with the subject or the object
bound): time in proportion to what they return. Stores that are SPARQL servers get the
same answers from :mod:`kg.graph.families`' SPARQL (their planners use the bindings).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any
from weakref import WeakKeyDictionary

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, PROV, RDF

from kg.graph.merge import MentionFacts
from kg.graph.vocab import KGO

__all__ = [
    "FactsCache",
    "events_stating",
    "events_with_mentions",
    "facts_cache",
    "mentions_in_graphs",
    "mentions_with_keys",
    "native",
]

_P = {name: ox.NamedNode(str(KGO[name])) for name in (
    "source", "target", "targetText", "eventCode", "eventDate", "dateInferred",
    "confidence", "location", "mergeKey", "hasMention", "country", "eventRoot",
)}  # fmt: skip
_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
_IDENTIFIER = ox.NamedNode(str(DCTERMS.identifier))
_DATE = ox.NamedNode(str(DCTERMS.date))
_OUTLET = ox.NamedNode(str(DCTERMS.source))
_TYPE = ox.NamedNode(str(RDF.type))
_MENTION = ox.NamedNode(str(KGO.Mention))
_WANTED = {p.value for p in (*_P.values(), _DERIVED, _TYPE)}
_STATE_AGENTS = {ox.NamedNode(str(KGO.Government)), ox.NamedNode(str(KGO.Military))}


def native(store) -> ox.Store | None:
    """The Oxigraph store under an embedded store, None for a SPARQL server."""
    return getattr(store, "oxigraph", None)


class FactsCache:
    """The MentionFacts of mentions already read from one embedded store, by IRI, the
    most recently used :data:`CACHED_MENTIONS` of them.

    A busy key's reports chain day after day into one event, which every article
    reporting that key merges again: without the cache each of those articles reads
    the whole chain from the store. The facts of a stored mention change only when its
    article is replaced or removed, and those go through :func:`rewrite_families`,
    which forgets the leaving mentions; the store's lock keeps other processes from
    writing to it. Servers (other writers) get no cache.
    """

    def __init__(self) -> None:
        self._facts: OrderedDict[str, MentionFacts] = OrderedDict()

    def get(self, mention: str) -> MentionFacts | None:
        facts = self._facts.get(mention)
        if facts is not None:
            self._facts.move_to_end(mention)
        return facts

    def put(self, facts: Iterable[MentionFacts]) -> None:
        for mention in facts:
            self._facts[mention.mention] = mention
            self._facts.move_to_end(mention.mention)
        while len(self._facts) > CACHED_MENTIONS:
            self._facts.popitem(last=False)

    def forget(self, mentions: Iterable[str]) -> None:
        for mention in mentions:
            self._facts.pop(mention, None)


#: Mentions a FactsCache keeps (a few hundred bytes each).
CACHED_MENTIONS = 200_000
_CACHES: WeakKeyDictionary[Any, FactsCache] = WeakKeyDictionary()


def facts_cache(store) -> FactsCache | None:
    """The cache of an embedded store (None for a SPARQL server)."""
    if native(store) is None:
        return None
    if store not in _CACHES:
        _CACHES[store] = FactsCache()
    return _CACHES[store]


def mentions_with_keys(
    oxigraph: ox.Store, keys: Iterable[str], cache: FactsCache | None = None
) -> list[MentionFacts]:
    """The stored mentions whose merge key is one of ``keys``."""
    found: dict[ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = {}
    known = []
    for key in keys:
        for quad in oxigraph.quads_for_pattern(None, _P["mergeKey"], ox.Literal(key)):
            facts = cache.get(quad.subject.value) if cache is not None else None
            if facts is not None:
                known.append(facts)
            else:
                found[quad.subject] = quad.graph_name
    read = _facts(oxigraph, found)
    if cache is not None:
        cache.put(read)
    return known + read


def mentions_in_graphs(oxigraph: ox.Store, graphs: Iterable[str]) -> list[MentionFacts]:
    """The mentions stored in the named graphs ``graphs`` (articles' graphs)."""
    found = {}
    for graph in graphs:
        name = ox.NamedNode(graph)
        for quad in oxigraph.quads_for_pattern(None, _TYPE, _MENTION, name):
            found[quad.subject] = name
    return _facts(oxigraph, found)


def events_with_mentions(
    oxigraph: ox.Store, mentions: Iterable[str], events_graph: str
) -> dict[str, set[str]]:
    """The events (in ``events_graph``) that have any of ``mentions``, with all their
    mentions."""
    graph = ox.NamedNode(events_graph)
    events = set()
    for mention in mentions:
        for quad in oxigraph.quads_for_pattern(
            None, _P["hasMention"], ox.NamedNode(mention), graph
        ):
            events.add(quad.subject)
    return {
        event.value: {
            q.object.value for q in oxigraph.quads_for_pattern(event, _P["hasMention"], None, graph)
        }
        for event in events
    }


def events_stating(oxigraph: ox.Store, link: tuple[str, str, str], events_graph: str) -> set[str]:
    """The events (in ``events_graph``) with this source, target and root IRI."""
    source, target, root = (ox.NamedNode(x) for x in link)
    graph = ox.NamedNode(events_graph)
    return {
        quad.subject.value
        for quad in oxigraph.quads_for_pattern(None, _P["target"], target, graph)
        if next(oxigraph.quads_for_pattern(quad.subject, _P["source"], source, graph), None)
        and next(oxigraph.quads_for_pattern(quad.subject, _P["eventRoot"], root, graph), None)
    }


def _facts(oxigraph: ox.Store, mentions: dict) -> list[MentionFacts]:
    """MentionFacts of each mention (IRI -> its article's graph), as
    :func:`kg.graph.families.stored_mentions` builds them."""
    rows = []
    articles: dict[tuple, dict[str, str]] = {}
    for mention, graph in mentions.items():
        values: dict[str, ox.Term] = {}
        for quad in oxigraph.quads_for_pattern(mention, None, None, graph):
            predicate = quad.predicate.value
            if predicate in _WANTED:
                values[predicate] = quad.object
        derived = values.get(_DERIVED.value)
        if values.get(_TYPE.value) != _MENTION or derived is None:
            continue
        if (derived, graph) not in articles:
            articles[derived, graph] = {
                q.predicate.value: q.object.value
                for q in oxigraph.quads_for_pattern(derived, None, None, graph)
            }
        article = articles[derived, graph]
        if _IDENTIFIER.value not in article:
            continue
        rows.append((mention.value, values, article))
    actors = {
        term.value
        for _, values, _ in rows
        for name in ("source", "target")
        if (term := values.get(_P[name].value)) is not None
    }
    agents = _state_agents(oxigraph, actors)

    def value(values: dict, name: str) -> str | None:
        term = values.get(_P[name].value)
        return term.value if term is not None else None

    facts = []
    for mention, values, article in rows:
        source = value(values, "source") or ""
        target = value(values, "target")
        code, date = value(values, "eventCode"), value(values, "eventDate")
        published = article.get(_DATE.value)
        facts.append(
            MentionFacts(
                mention=mention,
                source=source,
                target=target,
                code=(code or "").rsplit("/", 1)[-1],
                date=dt.date.fromisoformat(date) if date else None,
                date_inferred=value(values, "dateInferred") == "true",
                confidence=float(value(values, "confidence") or 0),
                article=article[_IDENTIFIER.value],
                article_date=dt.date.fromisoformat(published) if published else None,
                outlet=article.get(_OUTLET.value),
                location=value(values, "location"),
                source_identity=agents.get(source, source),
                target_identity=agents.get(target, target) if target else None,
                target_implied=bool(target) and value(values, "targetText") is None,
            )
        )
    return facts


def _state_agents(oxigraph: ox.Store, actors: set[str]) -> dict[str, str]:
    """The government and military actors among ``actors`` and the state each acts for."""
    agents = {}
    for actor in actors:
        node = ox.NamedNode(actor)
        types = {q.object for q in oxigraph.quads_for_pattern(node, _TYPE, None)}
        if not types & _STATE_AGENTS:
            continue
        for quad in oxigraph.quads_for_pattern(node, _P["country"], None):
            if quad.object != node:
                agents[actor] = quad.object.value
                break
    return agents
