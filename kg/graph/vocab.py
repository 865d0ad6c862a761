"""RDF namespaces: our ontology as a typed namespace, plus the IRIs we mint."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["ACTOR", "CAMEO", "KGO", "ROOT_PROPERTIES", "WD"]


class KGO(DefinedNamespace):
    """The project ontology (``ontology/kg.ttl``); a misspelt term is an error."""

    _NS = Namespace("https://w3id.org/kg-geo/ontology#")
    _fail = True

    # Actor classes
    Actor: URIRef
    State: URIRef
    Government: URIRef
    Military: URIRef
    ArmedGroup: URIRef
    Party: URIRef
    IGO: URIRef
    NGO: URIRef
    Person: URIRef
    Media: URIRef
    Other: URIRef
    # Actor properties
    country: URIRef  # the state an actor is, or acts for
    isoCode: URIRef  # ISO 3166-1 alpha-3
    iso2: URIRef  # ISO 3166-1 alpha-2
    demonym: URIRef  # "Iranian" for Iran
    title: URIRef  # short forms that refer back to the actor: "general", "cleric"
    memberOf: URIRef  # organisation an actor belongs to or leads
    cameoCode: URIRef  # CAMEO actor code, e.g. "IRNMIL"

    # Event, report and article classes
    Event: URIRef
    Mention: URIRef  # one report of an event (issue 6: several per event)
    Article: URIRef
    # Event properties
    source: URIRef  # -> Actor, exactly one
    target: URIRef  # -> Actor, at most one
    eventCode: URIRef  # -> CAMEO concept, e.g. cameo:195
    eventRoot: URIRef  # -> CAMEO root concept, e.g. cameo:19
    eventDate: URIRef  # xsd:date
    dateInferred: URIRef  # xsd:boolean
    location: URIRef  # place as named in the text
    hasMention: URIRef  # Event -> Mention
    mentionOf: URIRef  # Mention -> Event
    mergeKey: URIRef  # "IDENTITY ROOT DAY" of a dated Mention (kg.graph.candidates)
    firstMention: URIRef  # Event -> its earliest (then most confident) Mention
    mentionCount: URIRef  # xsd:integer, reports of the event (GDELT NumMentions)
    articleCount: URIRef  # xsd:integer, articles reporting it (GDELT NumArticles)
    sourceCount: URIRef  # xsd:integer, outlets reporting it (GDELT NumSources)
    firstReported: URIRef  # xsd:date, the earliest article date among its mentions
    lastReported: URIRef  # xsd:date, the latest
    # Evidence, on an Event or a Mention
    trigger: URIRef  # trigger lemma, e.g. "strike"
    confidence: URIRef  # xsd:decimal in [0, 1]
    sentence: URIRef
    sentenceStart: URIRef  # character offsets in the article text, end exclusive
    sentenceEnd: URIRef
    triggerStart: URIRef
    triggerEnd: URIRef
    sourceText: URIRef  # surface form of the source actor
    targetText: URIRef
    # CAMEO concept properties (ontology/cameo.ttl)
    goldstein: URIRef  # xsd:decimal, -10..10
    quadClass: URIRef  # xsd:integer, 1..4
    cameoRoot: URIRef  # interaction property -> its root concept
    # Direct interactions, source -> target: the generic one and one per CAMEO root
    interactsWith: URIRef
    makesPublicStatement: URIRef
    appeals: URIRef
    expressesIntentToCooperate: URIRef
    consults: URIRef
    engagesInDiplomaticCooperation: URIRef
    engagesInMaterialCooperation: URIRef
    providesAid: URIRef
    yields: URIRef
    investigates: URIRef
    demands: URIRef
    disapproves: URIRef
    rejects: URIRef
    threatens: URIRef
    protests: URIRef
    exhibitsForcePosture: URIRef
    reducesRelations: URIRef
    coerces: URIRef
    assaults: URIRef
    fights: URIRef
    engagesInUnconventionalMassViolence: URIRef


#: Gazetteer actors (fixed, shared by every installation).
ACTOR = Namespace("https://w3id.org/kg-geo/actor/")
#: CAMEO event codes as SKOS concepts (``ontology/cameo.ttl``): ``CAMEO["195"]``.
CAMEO = Namespace("https://w3id.org/kg-geo/cameo/")
#: Wikidata entities.
WD = Namespace("http://www.wikidata.org/entity/")

#: CAMEO root code -> its interaction property; the same links as ``kgo:cameoRoot``
#: in ``ontology/kg.ttl`` (``scripts/build_cameo_scheme.py --check`` compares them).
ROOT_PROPERTIES: dict[str, URIRef] = {
    "01": KGO.makesPublicStatement,
    "02": KGO.appeals,
    "03": KGO.expressesIntentToCooperate,
    "04": KGO.consults,
    "05": KGO.engagesInDiplomaticCooperation,
    "06": KGO.engagesInMaterialCooperation,
    "07": KGO.providesAid,
    "08": KGO.yields,
    "09": KGO.investigates,
    "10": KGO.demands,
    "11": KGO.disapproves,
    "12": KGO.rejects,
    "13": KGO.threatens,
    "14": KGO.protests,
    "15": KGO.exhibitsForcePosture,
    "16": KGO.reducesRelations,
    "17": KGO.coerces,
    "18": KGO.assaults,
    "19": KGO.fights,
    "20": KGO.engagesInUnconventionalMassViolence,
}
