"""Read-side questions the API and notebooks ask of the graph: actors and events.

Every value a client sends reaches SPARQL only through ``iri()`` (checked IRI) or
``literal()`` (escaped string), or as a validated number, date or code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kg.errors import InputError, NotFoundError
from kg.models import ACTOR_TYPES
from kg.store import Store
from kg.vocab import ACTOR

__all__ = [
    "ActorDetail",
    "ActorSummary",
    "EventFilter",
    "EventRecord",
    "actor_detail",
    "actor_iri",
    "find_actors",
    "find_events",
]

PREFIXES = """PREFIX kgo: <https://w3id.org/kg-geo/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
"""
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_CODE = re.compile(r"^\d{2,4}$")


def iri(value: str) -> str:
    """``<value>`` for SPARQL, or InputError if it is not a plain http(s) IRI."""
    if not _IRI.match(value):
        raise InputError(f"not a valid IRI: {value!r}", "request")
    return f"<{value}>"


def literal(value: str) -> str:
    """A SPARQL string literal with every special character escaped."""
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def actor_iri(actor_id: str, base_iri: str) -> str:
    """An actor's IRI from what a client gives: the IRI itself, a gazetteer id
    ("USA", "qassem-soleimani") or a minted path ("person/hashed")."""
    if actor_id.startswith(("http://", "https://")):
        return actor_id
    if "/" in actor_id:
        return f"{base_iri}actor/{actor_id}"
    return f"{ACTOR}{actor_id}"


@dataclass(frozen=True, slots=True)
class ActorSummary:
    id: str
    label: str
    type: str | None
    country: str | None


@dataclass(frozen=True, slots=True)
class ActorDetail:
    id: str
    label: str
    aliases: list[str]
    type: str | None
    country: str | None
    wikidata: str | None
    events_by_root: dict[str, int]
    top_counterparts: list[tuple[ActorSummary, int]]


@dataclass(frozen=True, slots=True)
class EventFilter:
    source: str | None = None
    target: str | None = None
    code: str | None = None  # a CAMEO code or root ("19", "190", "1951")
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class EventRecord:
    id: str
    source: ActorSummary
    target: ActorSummary | None
    action: str
    code: str
    date: str | None
    confidence: float
    sentence: str
    article: str
    location: str | None


def find_actors(
    store: Store,
    q: str | None = None,
    type: str | None = None,
    country: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[ActorSummary]:
    """Actors whose name or alias contains ``q``, of a type and country, by name."""
    filters = []
    if q:
        filters.append(f"FILTER(CONTAINS(LCASE(STR(?name)), LCASE({literal(q)})))")
    if type:
        if type not in ACTOR_TYPES:
            raise InputError(
                f"unknown actor type {type!r}; one of {', '.join(ACTOR_TYPES)}", "request"
            )
        filters.append(f"?actor a kgo:{type} .")
    if country:
        if not re.fullmatch(r"[A-Za-z]{3}", country):
            raise InputError(
                f"country must be an ISO 3166 alpha-3 code, got {country!r}", "request"
            )
        filters.append(f"?actor kgo:country/kgo:isoCode {literal(country.upper())} .")
    query = (
        PREFIXES
        + f"""
SELECT DISTINCT ?actor ?label WHERE {{
  ?actor skos:prefLabel ?label .
  {{ ?actor skos:prefLabel ?name }} UNION {{ ?actor skos:altLabel ?name }}
  {" ".join(filters)}
}} ORDER BY ?label ?actor LIMIT {int(limit)} OFFSET {int(offset)}"""
    )
    rows = store.select(query)
    actors = _summaries(store, {row["actor"] or "" for row in rows})
    return [actors[row["actor"] or ""] for row in rows]


def actor_detail(store: Store, actor: str) -> ActorDetail:
    """Labels, type, country, Wikidata link, events by root and top counterparts."""
    node = iri(actor)
    rows = store.select(
        PREFIXES
        + f"""
SELECT ?label ?alias ?type ?country ?same WHERE {{
  {node} skos:prefLabel ?label .
  OPTIONAL {{ {node} skos:altLabel ?alias }}
  OPTIONAL {{ {node} a ?type }}
  OPTIONAL {{ {node} kgo:country/kgo:isoCode ?country }}
  OPTIONAL {{ {node} owl:sameAs ?same }}
}}"""
    )
    if not rows:
        raise NotFoundError(f"no actor {actor}")
    roots = store.select(
        PREFIXES
        + f"""
SELECT ?root (COUNT(DISTINCT ?e) AS ?n) WHERE {{
  {{ ?e kgo:source {node} }} UNION {{ ?e kgo:target {node} }}
  ?e kgo:eventRoot/skos:notation ?root .
}} GROUP BY ?root ORDER BY ?root"""
    )
    partners = store.select(
        PREFIXES
        + f"""
SELECT ?other (COUNT(DISTINCT ?e) AS ?n) WHERE {{
  {{ ?e kgo:source {node} ; kgo:target ?other }}
  UNION {{ ?e kgo:target {node} ; kgo:source ?other }}
}} GROUP BY ?other ORDER BY DESC(?n) ?other LIMIT 10"""
    )
    wikidata = next((r["same"] for r in rows if r["same"] and "wikidata" in r["same"]), None)
    others = _summaries(store, {r["other"] for r in partners if r["other"]})
    return ActorDetail(
        id=actor,
        label=rows[0]["label"] or actor,
        aliases=sorted({r["alias"] for r in rows if r["alias"]}),
        type=_type_name(r["type"] for r in rows),
        country=next((r["country"] for r in rows if r["country"]), None),
        wikidata=wikidata,
        events_by_root={r["root"] or "": int(r["n"] or 0) for r in roots},
        top_counterparts=[(others[r["other"] or ""], int(r["n"] or 0)) for r in partners],
    )


def find_events(store: Store, where: EventFilter) -> list[EventRecord]:
    """Events matching the filter, newest first, each with its sentence and article.

    Two steps keep it fast on large graphs: the filter picks and orders event ids
    (client actors bound in the pattern, not filtered after a scan), then one query
    fetches the details of just that page.
    """
    pattern = [f"?event kgo:source {iri(where.source) if where.source else '?source'} ."]
    if where.target:
        pattern.append(f"?event kgo:target {iri(where.target)} .")
    if where.code:
        if not _CODE.match(where.code):
            raise InputError(
                f"code must be a CAMEO code or root (2-4 digits), got {where.code!r}", "request"
            )
        pattern.append("?event kgo:eventCode/skos:notation ?code .")
        pattern.append(f"FILTER(STRSTARTS(?code, {literal(where.code)}))")
    dated = "?event kgo:eventDate ?date ."
    pattern.append(dated if where.since or where.until else f"OPTIONAL {{ {dated} }}")
    if where.since:
        pattern.append(f'FILTER(?date >= "{where.since.isoformat()}"^^xsd:date)')
    if where.until:
        pattern.append(f'FILTER(?date <= "{where.until.isoformat()}"^^xsd:date)')
    page = store.select(
        PREFIXES
        + "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
        + f"SELECT DISTINCT ?event ?date WHERE {{ {' '.join(pattern)} }} "
        + f"ORDER BY DESC(?date) ?event LIMIT {int(where.limit)} OFFSET {int(where.offset)}"
    )
    if not page:
        return []
    values = " ".join(iri(row["event"] or "") for row in page)
    query = (
        PREFIXES
        + f"""
SELECT ?event ?source ?target ?trigger ?code ?date ?confidence ?sentence ?article ?location
WHERE {{
  VALUES ?event {{ {values} }}
  ?event kgo:source ?source ; kgo:trigger ?trigger ; kgo:confidence ?confidence ;
         kgo:sentence ?sentence ; kgo:eventCode/skos:notation ?code ;
         prov:wasDerivedFrom/dcterms:identifier ?article .
  OPTIONAL {{ ?event kgo:target ?target }}
  OPTIONAL {{ ?event kgo:eventDate ?date }}
  OPTIONAL {{ ?event kgo:location ?location }}
}}"""
    )
    order = {row["event"]: number for number, row in enumerate(page)}
    details = {row["event"]: row for row in store.select(query)}
    rows = sorted(details.values(), key=lambda row: order[row["event"]])
    actors = _summaries(store, {a for r in rows for a in (r["source"], r["target"]) if a})
    records = []
    for row in rows:
        records.append(
            EventRecord(
                id=row["event"] or "",
                source=actors[row["source"] or ""],
                target=actors[row["target"]] if row["target"] else None,
                action=row["trigger"] or "",
                code=row["code"] or "",
                date=row["date"],
                confidence=float(row["confidence"] or 0),
                sentence=row["sentence"] or "",
                article=row["article"] or "",
                location=row["location"],
            )
        )
    return records


def _summaries(store: Store, actors: set[str]) -> dict[str, ActorSummary]:
    """Label, type and country of many actors in one query."""
    if not actors:
        return {}
    values = " ".join(iri(a) for a in sorted(actors))
    rows = store.select(
        PREFIXES
        + f"""
SELECT ?actor ?label ?type ?country WHERE {{
  VALUES ?actor {{ {values} }}
  OPTIONAL {{ ?actor skos:prefLabel ?label }}
  OPTIONAL {{ ?actor a ?type }}
  OPTIONAL {{ ?actor kgo:country/kgo:isoCode ?country }}
}}"""
    )
    found: dict[str, list[dict]] = {a: [] for a in actors}
    for row in rows:
        found[row["actor"] or ""].append(row)
    return {
        actor: ActorSummary(
            id=actor,
            label=next((r["label"] for r in rs if r["label"]), actor),
            type=_type_name(r["type"] for r in rs),
            country=next((r["country"] for r in rs if r["country"]), None),
        )
        for actor, rs in found.items()
    }


def _type_name(types) -> str | None:
    names = {t.rsplit("#", 1)[-1] for t in types if t}
    return next((name for name in ACTOR_TYPES if name in names), None)
