"""Read-side questions the API and notebooks ask of the graph: actors and events.

Every value a client sends reaches SPARQL only through ``iri()`` (checked IRI) or
``literal()`` (escaped string), or as a validated number, date or code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kg.errors import InputError, NotFoundError
from kg.graph.store import Store
from kg.graph.vocab import ACTOR
from kg.models import ACTOR_TYPES

__all__ = [
    "ActorDetail",
    "ActorSummary",
    "EventDetail",
    "EventFilter",
    "EventRecord",
    "MentionRecord",
    "actor_detail",
    "actor_iri",
    "event_detail",
    "event_iri",
    "event_records",
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


def event_iri(event_id: str, base_iri: str) -> str:
    """An event's IRI from what a client gives: the IRI itself or its last segment."""
    if event_id.startswith(("http://", "https://")):
        return event_id
    return f"{base_iri}event/{event_id}"


@dataclass(frozen=True, slots=True)
class ActorSummary:
    id: str
    label: str
    type: str | None
    country: str | None

    def to_json(self) -> dict[str, str | None]:
        return {"id": self.id, "label": self.label, "type": self.type, "country": self.country}


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


def check_window(since: dt.date | None, until: dt.date | None) -> None:
    """InputError unless ``since`` is on or before ``until`` (where both are given)."""
    if since and until and since > until:
        raise InputError(f"since {since} is after until {until}", "filter")


def check_code(code: str) -> None:
    """InputError unless ``code`` is a CAMEO code or root (2 to 4 digits)."""
    if not _CODE.match(code):
        raise InputError(f"code must be a CAMEO code or root (2-4 digits), got {code!r}", "request")


@dataclass(frozen=True, slots=True)
class EventFilter:
    source: str | None = None
    target: str | None = None
    code: str | None = None  # a CAMEO code or root ("19", "190", "1951")
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int = 50
    offset: int = 0

    def __post_init__(self) -> None:
        check_window(self.since, self.until)


@dataclass(frozen=True, slots=True)
class EventRecord:
    """A real-world event; ``action``, ``sentence`` and ``article`` are its first report's."""

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
    mentions: int = 1
    articles: int = 1
    sources: int = 1
    first_reported: str | None = None
    last_reported: str | None = None


@dataclass(frozen=True, slots=True)
class MentionRecord:
    """One report of an event, with the fields of a ``kg extract`` record."""

    id: str
    article: str
    article_title: str | None
    article_date: str | None
    outlet: str | None
    url: str | None
    sentence: str
    source: ActorSummary
    target: ActorSummary | None
    action: str
    code: str
    date: str | None
    date_inferred: bool
    location: str | None
    confidence: float
    source_text: str | None
    target_text: str | None
    sentence_span: tuple[int, int]
    trigger_span: tuple[int, int]

    def to_json(self) -> dict:
        """The ``kg extract`` record of this mention, plus where it was published."""
        return {
            "mention": self.id,
            "article": self.article,
            "article_title": self.article_title,
            "article_date": self.article_date,
            "outlet": self.outlet,
            "url": self.url,
            "sentence": self.sentence,
            "source": self.source.to_json(),
            "target": self.target.to_json() if self.target else None,
            "action": self.action,
            "code": self.code,
            "root": self.code[:2],
            "date": self.date,
            "date_inferred": self.date_inferred,
            "location": self.location,
            "confidence": self.confidence,
            "source_text": self.source_text,
            "target_text": self.target_text,
            "span": {"sentence": list(self.sentence_span), "trigger": list(self.trigger_span)},
        }


@dataclass(frozen=True, slots=True)
class EventDetail:
    event: EventRecord
    mentions: list[MentionRecord]  # first report first


#: An actor's events by CAMEO root (each ``%s``: the actor's IRI in brackets).
ACTOR_ROOTS = (
    PREFIXES
    + """
SELECT ?root (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e a kgo:Event . { ?e kgo:source %s } UNION { ?e kgo:target %s }
  ?e kgo:eventRoot/skos:notation ?root .
} GROUP BY ?root ORDER BY ?root"""
)
#: The ten actors sharing most events with an actor, either direction.
ACTOR_PARTNERS = (
    PREFIXES
    + """
SELECT ?other (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e a kgo:Event .
  { ?e kgo:source %s ; kgo:target ?other }
  UNION { ?e kgo:target %s ; kgo:source ?other }
} GROUP BY ?other ORDER BY DESC(?n) ?other LIMIT 10"""
)


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


def actor_detail(
    store: Store,
    actor: str,
    by_root: dict[str, int] | None = None,
    partners: list[tuple[str, int]] | None = None,
) -> ActorDetail:
    """Labels, type, country, Wikidata link, events by root and top counterparts.

    ``by_root`` and ``partners`` (the top ten counterparts and their event counts, most
    first) may come from counts kept in memory (``kg.graph.event_index``); without them
    two GROUP BY queries count them, about a second each at 1M triples.
    """
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
    if by_root is None:
        by_root = {
            r["root"] or "": int(r["n"] or 0) for r in store.select(ACTOR_ROOTS % (node, node))
        }
    if partners is None:
        partners = [
            (r["other"] or "", int(r["n"] or 0))
            for r in store.select(ACTOR_PARTNERS % (node, node))
        ]
    wikidata = next((r["same"] for r in rows if r["same"] and "wikidata" in r["same"]), None)
    others = _summaries(store, {other for other, _n in partners})
    return ActorDetail(
        id=actor,
        label=rows[0]["label"] or actor,
        aliases=sorted({r["alias"] for r in rows if r["alias"]}),
        type=_type_name(r["type"] for r in rows),
        country=next((r["country"] for r in rows if r["country"]), None),
        wikidata=wikidata,
        events_by_root=by_root,
        top_counterparts=[(others[other], n) for other, n in partners],
    )


def find_events(store: Store, where: EventFilter) -> list[EventRecord]:
    """Events matching the filter, newest first, each with its first report's sentence
    and article and its counts of mentions, articles and sources.

    Two steps keep it fast on large graphs: the filter picks and orders event ids
    (client actors bound in the pattern, not filtered after a scan), then one query
    fetches the details of just that page.
    """
    pattern = [
        f"?event a kgo:Event ; kgo:source {iri(where.source) if where.source else '?source'} ."
    ]
    if where.target:
        pattern.append(f"?event kgo:target {iri(where.target)} .")
    if where.code:
        check_code(where.code)
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
    return event_records(store, [row["event"] or "" for row in page])


def event_detail(store: Store, event: str) -> EventDetail:
    """One event and every report of it, first report first."""
    records = event_records(store, [event])
    if not records:
        raise NotFoundError(f"no event {event}")
    rows = store.select(
        PREFIXES
        + f"""
SELECT ?m ?first ?article ?title ?published ?outlet ?url ?sentence ?source ?target ?trigger
       ?code ?date ?inferred ?location ?confidence ?sourceText ?targetText ?s0 ?s1 ?t0 ?t1
WHERE {{
  {iri(event)} kgo:hasMention ?m ; kgo:firstMention ?first .
  ?m kgo:source ?source ; kgo:trigger ?trigger ; kgo:eventCode/skos:notation ?code ;
     kgo:dateInferred ?inferred ; kgo:confidence ?confidence ; kgo:sentence ?sentence ;
     kgo:sentenceStart ?s0 ; kgo:sentenceEnd ?s1 ; kgo:triggerStart ?t0 ; kgo:triggerEnd ?t1 ;
     prov:wasDerivedFrom ?a .
  ?a dcterms:identifier ?article .
  OPTIONAL {{ ?a dcterms:title ?title }}
  OPTIONAL {{ ?a dcterms:date ?published }}
  OPTIONAL {{ ?a dcterms:source ?outlet }}
  OPTIONAL {{ ?a schema:url ?url }}
  OPTIONAL {{ ?m kgo:target ?target }}
  OPTIONAL {{ ?m kgo:eventDate ?date }}
  OPTIONAL {{ ?m kgo:location ?location }}
  OPTIONAL {{ ?m kgo:sourceText ?sourceText }}
  OPTIONAL {{ ?m kgo:targetText ?targetText }}
}}"""
    )
    actors = _summaries(store, {a for r in rows for a in (r["source"], r["target"]) if a})
    mentions = {
        r["m"]: MentionRecord(
            id=r["m"] or "",
            article=r["article"] or "",
            article_title=r["title"],
            article_date=r["published"],
            outlet=r["outlet"],
            url=r["url"],
            sentence=r["sentence"] or "",
            source=actors[r["source"] or ""],
            target=actors[r["target"]] if r["target"] else None,
            action=r["trigger"] or "",
            code=r["code"] or "",
            date=r["date"],
            date_inferred=r["inferred"] == "true",
            location=r["location"],
            confidence=float(r["confidence"] or 0),
            source_text=r["sourceText"],
            target_text=r["targetText"],
            sentence_span=(int(r["s0"] or 0), int(r["s1"] or 0)),
            trigger_span=(int(r["t0"] or 0), int(r["t1"] or 0)),
        )
        for r in rows
    }
    first = rows[0]["first"] if rows else None
    ordered = sorted(
        mentions.values(),
        key=lambda m: (m.id != first, m.article_date or "9999", -m.confidence, m.id),
    )
    return EventDetail(event=records[0], mentions=ordered)


def event_records(store: Store, events: list[str]) -> list[EventRecord]:
    """Details of these events, in the order given (unknown ones left out)."""
    if not events:
        return []
    values = " ".join(iri(e) for e in events)
    query = (
        PREFIXES
        + f"""
SELECT ?event ?source ?target ?trigger ?code ?date ?confidence ?sentence ?article ?location
       ?mentions ?articles ?sources ?first_reported ?last_reported
WHERE {{
  VALUES ?event {{ {values} }}
  ?event a kgo:Event ; kgo:source ?source ; kgo:confidence ?confidence ;
         kgo:eventCode/skos:notation ?code ; kgo:mentionCount ?mentions ;
         kgo:articleCount ?articles ; kgo:sourceCount ?sources ; kgo:firstMention ?first .
  ?first kgo:trigger ?trigger ; kgo:sentence ?sentence ;
         prov:wasDerivedFrom/dcterms:identifier ?article .
  OPTIONAL {{ ?event kgo:target ?target }}
  OPTIONAL {{ ?event kgo:eventDate ?date }}
  OPTIONAL {{ ?event kgo:location ?location }}
  OPTIONAL {{ ?event kgo:firstReported ?first_reported }}
  OPTIONAL {{ ?event kgo:lastReported ?last_reported }}
}}"""
    )
    order = {event: number for number, event in enumerate(events)}
    details = {row["event"]: row for row in store.select(query)}
    rows = sorted(details.values(), key=lambda row: order[row["event"]])
    actors = _summaries(store, {a for r in rows for a in (r["source"], r["target"]) if a})
    return [
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
            mentions=int(row["mentions"] or 1),
            articles=int(row["articles"] or 1),
            sources=int(row["sources"] or 1),
            first_reported=row["first_reported"],
            last_reported=row["last_reported"],
        )
        for row in rows
    ]


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
