"""Events, mentions, actors and articles as RDF, per DESIGN's model.

Each article gets a named graph holding the article node and one ``kgo:Mention``
per event it reports, with the coding (actors, CAMEO code, date) and the
evidence (sentence, offsets, trigger, confidence, ``prov:wasDerivedFrom`` the
article); it is a function of the article alone. The real-world events
(``kgo:Event``, merged across articles by :mod:`kg.graph.merge`) live in one shared
events graph with their counts, ``kgo:hasMention`` links and one direct
``source —action→ target`` triple through the interaction property of their
CAMEO root. Actors the gazetteer does not describe go to a shared actors graph.
IRIs are deterministic, so the same articles always give the same graphs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SDO, SKOS

from kg.graph.merge import MergedEvent
from kg.graph.vocab import ACTOR, CAMEO, KGO, ROOT_PROPERTIES
from kg.models import Actor, Article, Event

__all__ = ["Minter", "article_graphs", "direct_triple", "event_triples"]


@dataclass(frozen=True, slots=True)
class Minter:
    """Deterministic IRIs under the configured base IRI."""

    base: str

    def article(self, article_id: str) -> URIRef:
        return URIRef(f"{self.base}article/{quote(article_id, safe='')}")

    def graph(self, article_id: str) -> URIRef:
        """The named graph that holds one article and its events."""
        return URIRef(f"{self.base}graph/article/{quote(article_id, safe='')}")

    def actors_graph(self) -> URIRef:
        """The shared graph describing actors the gazetteer does not (minted, sector)."""
        return URIRef(f"{self.base}graph/actors")

    def events_graph(self) -> URIRef:
        """The shared graph of real-world events, merged across articles."""
        return URIRef(f"{self.base}graph/events")

    def event(self, event: MergedEvent) -> URIRef:
        return URIRef(f"{self.base}event/{event.id}")

    def mention(self, event: Event) -> URIRef:
        """One report of an event: the article, the trigger's span, actors and code."""
        key = "|".join(
            (
                event.article,
                str(event.trigger_start),
                str(event.trigger_end),
                event.source.id,
                event.target.id if event.target else "",
                event.code,
            )
        )
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
        return URIRef(f"{self.base}mention/{digest}")


def article_graphs(
    article: Article, events: Iterable[Event], minter: Minter, known_actors: set[str]
) -> tuple[Graph, Graph]:
    """The named graph of one article, and the descriptions of the actors it uses that
    ``known_actors`` (the gazetteer graph) lacks, for the shared actors graph.

    Describing each minted actor once, in one shared graph, keeps queries over the
    union of graphs from returning its label once per article.
    """
    graph = Graph(identifier=minter.graph(article.id))
    actors = Graph(identifier=minter.actors_graph())
    graph.bind("kgo", KGO)
    node = minter.article(article.id)
    graph.add((node, RDF.type, KGO.Article))
    graph.add((node, DCTERMS.identifier, Literal(article.id)))
    if article.title:
        graph.add((node, DCTERMS.title, Literal(article.title)))
    if article.date:
        graph.add((node, DCTERMS.date, Literal(article.date, datatype=XSD.date)))
    if article.source:
        graph.add((node, DCTERMS.source, Literal(article.source)))
    if article.url:
        graph.add((node, SDO.url, Literal(article.url, datatype=XSD.anyURI)))
    for event in events:
        _add_mention(graph, event, node, minter)
        for actor in (event.source, event.target):
            if actor is not None and actor.id not in known_actors:
                _add_actor(actors, actor)
    return graph, actors


def event_triples(event: MergedEvent, minter: Minter) -> list[tuple]:
    """The triples of one merged event for the events graph (without the direct
    interaction triple, which :func:`direct_triple` gives once per dyad and root)."""
    node = minter.event(event)
    triples = [
        (node, RDF.type, KGO.Event),
        (node, KGO.source, URIRef(event.source)),
        (node, KGO.eventCode, CAMEO[event.code]),
        (node, KGO.eventRoot, CAMEO[event.root]),
        (node, KGO.dateInferred, Literal(event.date_inferred)),
        (node, KGO.confidence, Literal(Decimal(str(event.confidence)))),
        (node, KGO.mentionCount, Literal(len(event.mentions))),
        (node, KGO.articleCount, Literal(event.articles)),
        (node, KGO.sourceCount, Literal(event.sources)),
        (node, KGO.firstMention, URIRef(event.first_mention.mention)),
    ]
    triples += [(node, KGO.hasMention, URIRef(m.mention)) for m in event.mentions]
    if event.target:
        triples.append((node, KGO.target, URIRef(event.target)))
    if event.date:
        triples.append((node, KGO.eventDate, Literal(event.date, datatype=XSD.date)))
    if event.location:
        triples.append((node, KGO.location, Literal(event.location)))
    if event.first_reported:
        triples.append((node, KGO.firstReported, Literal(event.first_reported, datatype=XSD.date)))
        triples.append((node, KGO.lastReported, Literal(event.last_reported, datatype=XSD.date)))
    return triples


def direct_triple(source: str, target: str, root: str) -> tuple[URIRef, URIRef, URIRef]:
    """``source —<interaction property of the root>→ target``."""
    return (URIRef(source), ROOT_PROPERTIES[root], URIRef(target))


def _add_mention(graph: Graph, event: Event, article: URIRef, minter: Minter) -> None:
    node = minter.mention(event)
    source = URIRef(event.source.id)
    add = graph.add
    add((node, RDF.type, KGO.Mention))
    add((node, KGO.source, source))
    add((node, KGO.eventCode, CAMEO[event.code]))
    add((node, KGO.eventRoot, CAMEO[event.root]))
    add((node, KGO.trigger, Literal(event.action)))
    add((node, KGO.confidence, Literal(Decimal(str(round(event.confidence, 3))))))
    add((node, KGO.sentence, Literal(event.sentence)))
    add((node, KGO.sentenceStart, Literal(event.sentence_start)))
    add((node, KGO.sentenceEnd, Literal(event.sentence_end)))
    add((node, KGO.triggerStart, Literal(event.trigger_start)))
    add((node, KGO.triggerEnd, Literal(event.trigger_end)))
    add((node, KGO.dateInferred, Literal(event.date_inferred)))
    add((node, PROV.wasDerivedFrom, article))
    if event.date:
        add((node, KGO.eventDate, Literal(event.date, datatype=XSD.date)))
    if event.location:
        add((node, KGO.location, Literal(event.location)))
    if event.source_text:
        add((node, KGO.sourceText, Literal(event.source_text)))
    if event.target is not None:
        target = URIRef(event.target.id)
        add((node, KGO.target, target))
        if event.target_text:
            add((node, KGO.targetText, Literal(event.target_text)))


def _add_actor(graph: Graph, actor: Actor) -> None:
    """Describe an actor the gazetteer graph does not (minted or sector actors)."""
    node = URIRef(actor.id)
    graph.add((node, RDF.type, KGO[actor.type]))
    graph.add((node, SKOS.prefLabel, Literal(actor.label, lang="en")))
    if actor.country:
        graph.add((node, KGO.country, ACTOR[actor.country]))
