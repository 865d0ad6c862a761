"""RDF namespaces: our ontology as a typed namespace, plus the IRIs we mint."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["ACTOR", "KGO", "WD"]


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


#: Gazetteer actors (fixed, shared by every installation).
ACTOR = Namespace("https://w3id.org/kg-geo/actor/")
#: Wikidata entities.
WD = Namespace("http://www.wikidata.org/entity/")
