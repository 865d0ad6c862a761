"""Query results as pandas DataFrames with real dtypes, for :class:`kg.KnowledgeGraph`.

The store answers SPARQL with strings; here dates become ``datetime64``, counts
``int64``, scores ``float64`` and flags ``bool``, so a notebook can sort, resample
and plot without converting. The result objects of the Python API (an actor's
profile, a path with its evidence, a dyad) live here too.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyoxigraph as ox
from rdflib import BNode, Literal

from kg.errors import InputError
from kg.graph.queries import PREFIXES, iri, literal
from kg.graph.store import Store
from kg.models import Event
from kg.network.projection import VALUES_CHUNK, ActorNetwork, NetworkFilter

__all__ = [
    "ActorProfile",
    "Dyad",
    "PathResult",
    "edge_row",
    "event_rows",
    "extracted_row",
    "frame",
    "rdf_value",
    "typed_frame",
]

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    f"{XSD}{name}"
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_FLOATS = {f"{XSD}decimal", f"{XSD}double", f"{XSD}float"}


def frame(rows: Iterable[Mapping[str, Any]], dtypes: Mapping[str, str]) -> pd.DataFrame:
    """A DataFrame with exactly the columns of ``dtypes``, each converted to its dtype.

    ``datetime64[ns]`` columns take dates, ISO strings or None (NaT); ``int64`` columns
    must be complete; ``Int64`` and ``boolean`` allow missing values.
    """
    data = pd.DataFrame(list(rows), columns=list(dtypes))
    for column, dtype in dtypes.items():
        if dtype.startswith("datetime64"):
            data[column] = pd.to_datetime(data[column], errors="coerce").astype(dtype)
        else:
            data[column] = data[column].astype(dtype)
    return data


def rdf_value(term: object) -> Any:
    """The Python value of an RDF term from Oxigraph or rdflib: IRIs as strings, blank
    nodes as ``_:id``, typed literals as int, float, bool, date or datetime."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.datatype.value)
    if isinstance(term, ox.BlankNode | BNode):
        return f"_:{term.value if isinstance(term, ox.BlankNode) else term}"
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, Literal):
        return _literal(str(term), str(term.datatype) if term.datatype else "")
    return str(term)


def _literal(text: str, datatype: str) -> Any:
    try:
        if datatype in _INTEGERS:
            return int(text)
        if datatype in _FLOATS:
            return float(decimal.Decimal(text)) if datatype.endswith("decimal") else float(text)
        if datatype == f"{XSD}boolean":
            return text in ("true", "1")
        if datatype == f"{XSD}date":
            return dt.date.fromisoformat(text[:10])
        if datatype == f"{XSD}dateTime":
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, decimal.InvalidOperation):
        pass  # an ill-typed literal stays the string it is
    return text


def typed_frame(names: Sequence[str], rows: Iterable[Sequence[Any]]) -> pd.DataFrame:
    """A DataFrame of SPARQL solutions (Python values, None where unbound), each column
    typed by what it holds: integers as ``int64`` (``Int64`` with gaps), numbers as
    ``float64``, booleans as ``bool`` (``boolean`` with gaps), dates and datetimes as
    ``datetime64``; anything mixed stays ``object``."""
    data = pd.DataFrame([list(row) for row in rows], columns=list(names), dtype=object)
    for column in data.columns:
        values = [v for v in data[column] if v is not None]
        gaps = len(values) < len(data)
        if not values:
            continue
        kinds = {_kind(v) for v in values}
        if kinds == {"int"}:
            data[column] = data[column].astype("Int64" if gaps else "int64")
        elif kinds <= {"int", "float"}:
            data[column] = data[column].astype("float64")
        elif kinds == {"bool"}:
            data[column] = data[column].astype("boolean" if gaps else "bool")
        elif kinds == {"date"}:
            data[column] = pd.to_datetime(data[column]).astype("datetime64[ns]")
        elif kinds == {"datetime"}:
            data[column] = pd.to_datetime(data[column], utc=_aware(values))
    return data


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    return "other"


def _aware(values: list[dt.datetime]) -> bool:
    return any(v.tzinfo is not None for v in values)


#: Columns of :meth:`kg.KnowledgeGraph.events`, in order, with their dtypes.
EVENT_COLUMNS = {
    "id": "object",
    "date": "datetime64[ns]",
    "source": "object",
    "source_label": "object",
    "action": "object",
    "code": "object",
    "root": "object",
    "target": "object",
    "target_label": "object",
    "confidence": "float64",
    "mentions": "int64",
    "articles": "int64",
    "sources": "int64",
    "sentence": "object",
    "article": "object",
    "location": "object",
    "first_reported": "datetime64[ns]",
    "last_reported": "datetime64[ns]",
}

#: Columns of :meth:`kg.KnowledgeGraph.extract` (the ``kg extract`` record, flattened).
EXTRACT_COLUMNS = {
    "article": "object",
    "date": "datetime64[ns]",
    "source": "object",
    "source_label": "object",
    "source_type": "object",
    "action": "object",
    "code": "object",
    "root": "object",
    "target": "object",
    "target_label": "object",
    "target_type": "object",
    "confidence": "float64",
    "date_inferred": "bool",
    "location": "object",
    "sentence": "object",
    "source_text": "object",
    "target_text": "object",
    "sentence_start": "int64",
    "sentence_end": "int64",
    "trigger_start": "int64",
    "trigger_end": "int64",
}

#: Columns of :meth:`kg.KnowledgeGraph.actors`.
ACTOR_COLUMNS = {
    "id": "object",
    "label": "object",
    "type": "object",
    "country": "object",
    "events": "int64",
}

#: Columns of :meth:`kg.KnowledgeGraph.mentions` (every report of one event).
MENTION_COLUMNS = {
    "mention": "object",
    "article": "object",
    "article_title": "object",
    "article_date": "datetime64[ns]",
    "outlet": "object",
    "url": "object",
    "source": "object",
    "source_label": "object",
    "action": "object",
    "code": "object",
    "target": "object",
    "target_label": "object",
    "date": "datetime64[ns]",
    "date_inferred": "bool",
    "confidence": "float64",
    "location": "object",
    "sentence": "object",
}

#: Columns of the evidence of a path (:attr:`PathResult.evidence`).
HOP_COLUMNS = {
    "hop": "int64",
    "event": "object",
    "date": "datetime64[ns]",
    "source": "object",
    "source_label": "object",
    "code": "object",
    "root": "object",
    "target": "object",
    "target_label": "object",
    "mentions": "int64",
    "confidence": "float64",
    "goldstein": "float64",
    "sentence": "object",
    "article": "object",
}

#: Columns of :meth:`kg.KnowledgeGraph.timeline`.
TIMELINE_COLUMNS = {
    "event": "object",
    "date": "datetime64[ns]",
    "role": "object",
    "counterpart": "object",
    "counterpart_label": "object",
    "code": "object",
    "root": "object",
    "quad_class": "int64",
    "goldstein": "float64",
    "confidence": "float64",
    "mentions": "int64",
    "sentence": "object",
    "article": "object",
}

#: Columns of :attr:`Dyad.months`.
DYAD_MONTH_COLUMNS = {
    "month": "datetime64[ns]",
    "events": "int64",
    "cooperation": "int64",
    "conflict": "int64",
    "goldstein": "float64",
}


@dataclass(frozen=True)
class ActorProfile:
    """What the graph knows about one actor (:meth:`kg.KnowledgeGraph.actor`)."""

    id: str
    label: str
    type: str | None
    country: str | None
    wikidata: str | None
    aliases: list[str]
    events_by_root: dict[str, int]
    #: The actors it deals with most: id, label, type, country and events (int).
    counterparts: pd.DataFrame

    @property
    def events(self) -> int:
        """Events the actor takes part in (as source or target)."""
        return sum(self.events_by_root.values())


@dataclass(frozen=True)
class PathResult:
    """One path between two actors (:meth:`kg.KnowledgeGraph.path`)."""

    actors: list[str]
    labels: list[str]
    #: The events behind every hop (``hop`` 1 is the first), newest first within a hop.
    evidence: pd.DataFrame

    @property
    def hops(self) -> int:
        return len(self.actors) - 1

    def __str__(self) -> str:
        return " → ".join(self.labels)


@dataclass(frozen=True)
class Dyad:
    """The events between two actors, both directions (:meth:`kg.KnowledgeGraph.dyad`)."""

    actors: tuple[str, str]
    labels: tuple[str, str]
    events: int
    by_direction: dict[str, int]  # "a->b" and "b->a"
    by_root: dict[str, int]
    goldstein: float  # net: positive is cooperation, negative conflict
    undated: int
    #: One row per month with events (``month`` is its first day).
    months: pd.DataFrame


def event_rows(
    store: Store,
    *,
    actor: str | None,
    source: str | None,
    target: str | None,
    code: str | None,
    where: NetworkFilter,
    limit: int | None,
    offset: int,
) -> pd.DataFrame:
    """The events of :meth:`kg.KnowledgeGraph.events` (actors already resolved to IRIs).

    As in :func:`kg.graph.queries.find_events`, one query picks and orders the event
    ids and others fetch the details of just those, in chunks.
    """
    pattern = ["?event a kgo:Event ."]
    if actor:
        pattern.append(f"?event kgo:source|kgo:target {iri(actor)} .")
    if source:
        pattern.append(f"?event kgo:source {iri(source)} .")
    if target:
        pattern.append(f"?event kgo:target {iri(target)} .")
    if code:
        if not re.fullmatch(r"\d{2,4}", code):
            raise InputError(
                f"code must be a CAMEO code or root (2-4 digits), got {code!r}", "filter"
            )
        pattern.append("?event kgo:eventCode/skos:notation ?code .")
        pattern.append(f"FILTER(STRSTARTS(?code, {literal(code)}))")
    if where.roots:
        roots = ", ".join(literal(r) for r in sorted(where.roots))
        pattern.append(f"?event kgo:eventRoot/skos:notation ?root . FILTER(?root IN ({roots}))")
    if where.min_confidence > 0:
        pattern.append(f"?event kgo:confidence ?c . FILTER(?c >= {float(where.min_confidence)})")
    dated = "?event kgo:eventDate ?date ."
    pattern.append(dated if where.since or where.until else f"OPTIONAL {{ {dated} }}")
    if where.since:
        pattern.append(f'FILTER(?date >= "{where.since.isoformat()}"^^xsd:date)')
    if where.until:
        pattern.append(f'FILTER(?date <= "{where.until.isoformat()}"^^xsd:date)')
    if limit is not None and limit < 1:
        raise InputError(f"limit must be at least 1, got {limit}", "filter")
    if offset < 0:
        raise InputError(f"offset must be 0 or more, got {offset}", "filter")
    page = f" LIMIT {int(limit)}" if limit is not None else ""
    page += f" OFFSET {int(offset)}" if offset else ""
    ids = store.select(
        PREFIXES
        + "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
        + f"SELECT DISTINCT ?event ?date WHERE {{ {' '.join(pattern)} }} "
        + f"ORDER BY DESC(?date) ?event{page}"
    )
    events = [row["event"] or "" for row in ids]
    details: dict[str, dict[str, Any]] = {}
    for start in range(0, len(events), VALUES_CHUNK):
        values = " ".join(iri(e) for e in events[start : start + VALUES_CHUNK])
        for row in store.select(PREFIXES + _DETAILS.replace("$VALUES", values)):
            details.setdefault(row["event"] or "", row)
    return frame((_event_row(details[e]) for e in events if e in details), EVENT_COLUMNS)


_DETAILS = """
SELECT ?event ?date ?source ?sourceLabel ?target ?targetLabel ?trigger ?code ?confidence
       ?mentions ?articles ?sources ?sentence ?article ?location ?firstReported ?lastReported
WHERE {
  VALUES ?event { $VALUES }
  ?event kgo:source ?source ; kgo:confidence ?confidence ; kgo:eventCode/skos:notation ?code ;
         kgo:mentionCount ?mentions ; kgo:articleCount ?articles ; kgo:sourceCount ?sources ;
         kgo:firstMention ?first .
  ?first kgo:trigger ?trigger ; kgo:sentence ?sentence ;
         prov:wasDerivedFrom/dcterms:identifier ?article .
  OPTIONAL { ?source skos:prefLabel ?sourceLabel }
  OPTIONAL { ?event kgo:target ?target OPTIONAL { ?target skos:prefLabel ?targetLabel } }
  OPTIONAL { ?event kgo:eventDate ?date }
  OPTIONAL { ?event kgo:location ?location }
  OPTIONAL { ?event kgo:firstReported ?firstReported }
  OPTIONAL { ?event kgo:lastReported ?lastReported }
}"""


def _event_row(row: Mapping[str, str | None]) -> dict[str, Any]:
    code = row["code"] or ""
    source, target = row["source"] or "", row["target"]
    return {
        "id": row["event"],
        "date": row["date"],
        "source": source,
        "source_label": row["sourceLabel"] or source.rsplit("/", 1)[-1],
        "action": row["trigger"],
        "code": code,
        "root": code[:2],
        "target": target,
        "target_label": (row["targetLabel"] or target.rsplit("/", 1)[-1]) if target else None,
        "confidence": float(row["confidence"] or 0),
        "mentions": int(row["mentions"] or 1),
        "articles": int(row["articles"] or 1),
        "sources": int(row["sources"] or 1),
        "sentence": row["sentence"],
        "article": row["article"],
        "location": row["location"],
        "first_reported": row["firstReported"],
        "last_reported": row["lastReported"],
    }


def extracted_row(event: Event) -> dict[str, Any]:
    target = event.target
    return {
        "article": event.article,
        "date": event.date,
        "source": event.source.id,
        "source_label": event.source.label,
        "source_type": event.source.type,
        "action": event.action,
        "code": event.code,
        "root": event.root,
        "target": target.id if target else None,
        "target_label": target.label if target else None,
        "target_type": target.type if target else None,
        "confidence": event.confidence,
        "date_inferred": event.date_inferred,
        "location": event.location,
        "sentence": event.sentence,
        "source_text": event.source_text,
        "target_text": event.target_text,
        "sentence_start": event.sentence_start,
        "sentence_end": event.sentence_end,
        "trigger_start": event.trigger_start,
        "trigger_end": event.trigger_end,
    }


def edge_row(network: ActorNetwork, event: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **event,
        "source_label": network.label(event["source"]),
        "target_label": network.label(event["target"]),
    }
