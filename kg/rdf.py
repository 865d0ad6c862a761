"""Events, actors and articles as RDF, per DESIGN's model.

Each article gets a named graph holding the article node, its event nodes (with
their evidence and ``prov:wasDerivedFrom`` the article), one direct
``source —action→ target`` triple per event through the interaction property of its
CAMEO root, and a description of every actor the events use that the gazetteer
graph does not already describe. IRIs are deterministic, so the same article
always gives the same graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SDO, SKOS

from kg.models import Actor, Article, Event
from kg.vocab import ACTOR, CAMEO, KGO, ROOT_PROPERTIES

__all__ = ["Minter", "article_graphs"]


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

    def event(self, event: Event) -> URIRef:
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
        return URIRef(f"{self.base}event/{digest}")


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
        _add_event(graph, event, node, minter)
        for actor in (event.source, event.target):
            if actor is not None and actor.id not in known_actors:
                _add_actor(actors, actor)
    return graph, actors


def _add_event(graph: Graph, event: Event, article: URIRef, minter: Minter) -> None:
    node = minter.event(event)
    source = URIRef(event.source.id)
    add = graph.add
    add((node, RDF.type, KGO.Event))
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
        add((source, ROOT_PROPERTIES[event.root], target))


def _add_actor(graph: Graph, actor: Actor) -> None:
    """Describe an actor the gazetteer graph does not (minted or sector actors)."""
    node = URIRef(actor.id)
    graph.add((node, RDF.type, KGO[actor.type]))
    graph.add((node, SKOS.prefLabel, Literal(actor.label, lang="en")))
    if actor.country:
        graph.add((node, KGO.country, ACTOR[actor.country]))
