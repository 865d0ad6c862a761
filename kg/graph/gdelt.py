"""Events and mentions as CSV in the column layouts of GDELT's event and mentions
tables, where the fields exist.

Existing event-data tools (and analysts' scripts) read GDELT's columns; the
events table has one row per real-world event (merged across articles) with the
same names: dates, actor codes, names and country codes, event code, base and
root code, quad class, Goldstein score, counts of mentions, sources and
articles, place and the first report's URL. The mentions table has one row per
report. Columns GDELT fills from data we do not have (ethnic and religion codes,
tone, geocodes, actor offsets) are left out rather than faked.
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import TextIO

from kg.graph.queries import PREFIXES
from kg.graph.store import Store

__all__ = ["COLUMNS", "MENTION_COLUMNS", "write_events_csv", "write_mentions_csv"]

COLUMNS = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1Type1Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2Type1Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "ActionGeo_FullName",
    "DATEADDED",
    "SOURCEURL",
)

EVENTS_QUERY = (
    PREFIXES
    + """
SELECT ?event ?date ?code ?goldstein ?quad ?location ?url ?article
       ?mentions ?sources ?articles
       ?source ?sourceName ?sourceCode ?sourceCountry ?sourceType
       ?target ?targetName ?targetCode ?targetCountry ?targetType
WHERE {
  ?event a kgo:Event ; kgo:source ?source ; kgo:eventCode ?concept ;
         kgo:mentionCount ?mentions ; kgo:sourceCount ?sources ; kgo:articleCount ?articles ;
         kgo:firstMention/prov:wasDerivedFrom ?articleNode .
  ?concept skos:notation ?code ; kgo:goldstein ?goldstein ; kgo:quadClass ?quad .
  ?articleNode dcterms:identifier ?article .
  OPTIONAL { ?articleNode schema:url ?url }
  OPTIONAL { ?event kgo:eventDate ?date }
  OPTIONAL { ?event kgo:location ?location }
  OPTIONAL { ?source skos:prefLabel ?sourceName }
  OPTIONAL { ?source kgo:cameoCode ?sourceCode }
  OPTIONAL { ?source kgo:country/kgo:isoCode ?sourceCountry }
  OPTIONAL { ?source a ?sourceType }
  OPTIONAL {
    ?event kgo:target ?target .
    OPTIONAL { ?target skos:prefLabel ?targetName }
    OPTIONAL { ?target kgo:cameoCode ?targetCode }
    OPTIONAL { ?target kgo:country/kgo:isoCode ?targetCountry }
    OPTIONAL { ?target a ?targetType }
  }
}
ORDER BY ?date ?event
"""
)


def write_events_csv(store: Store, out: TextIO, added: dt.date | None = None) -> int:
    """Write one GDELT-style row per event; returns the number of rows."""
    rows: dict[str, dict[str, str]] = {}
    today = (added or dt.date.today()).strftime("%Y%m%d")
    for row in store.select(EVENTS_QUERY):
        event = row["event"] or ""
        if event in rows:
            continue  # one row per event even if an actor has several types or labels
        rows[event] = _gdelt_row(row, today)
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows.values())
    return len(rows)


def _gdelt_row(row: dict[str, str | None], added: str) -> dict[str, str]:
    date = dt.date.fromisoformat(row["date"]) if row["date"] else None
    code = row["code"] or ""
    return {
        "GLOBALEVENTID": (row["event"] or "").rsplit("/", 1)[-1],
        "SQLDATE": date.strftime("%Y%m%d") if date else "",
        "MonthYear": date.strftime("%Y%m") if date else "",
        "Year": str(date.year) if date else "",
        "FractionDate": f"{date.year + (date.timetuple().tm_yday - 1) / 365:.4f}" if date else "",
        "Actor1Code": row["sourceCode"] or _composed_code(row["sourceCountry"], row["sourceType"]),
        "Actor1Name": (row["sourceName"] or "").upper(),
        "Actor1CountryCode": row["sourceCountry"] or "",
        "Actor1Type1Code": _type_code(row["sourceType"]),
        "Actor2Code": row["targetCode"] or _composed_code(row["targetCountry"], row["targetType"]),
        "Actor2Name": (row["targetName"] or "").upper(),
        "Actor2CountryCode": row["targetCountry"] or "",
        "Actor2Type1Code": _type_code(row["targetType"]),
        "IsRootEvent": "1",
        "EventCode": code,
        "EventBaseCode": code[:3],
        "EventRootCode": code[:2],
        "QuadClass": row["quad"] or "",
        "GoldsteinScale": row["goldstein"] or "",
        "NumMentions": row["mentions"] or "1",
        "NumSources": row["sources"] or "1",
        "NumArticles": row["articles"] or "1",
        "ActionGeo_FullName": row["location"] or "",
        "DATEADDED": added,
        "SOURCEURL": row["url"] or row["article"] or "",
    }


MENTION_COLUMNS = (
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceCharOffset",
    "ActionCharOffset",
    "Confidence",
    "MentionCode",
    "Sentence",
)

MENTIONS_QUERY = (
    PREFIXES
    + """
SELECT ?event ?date ?mention ?published ?outlet ?url ?article ?start ?trigger ?confidence
       ?code ?sentence
WHERE {
  ?event a kgo:Event ; kgo:hasMention ?mention .
  ?mention kgo:sentenceStart ?start ; kgo:triggerStart ?trigger ; kgo:confidence ?confidence ;
           kgo:eventCode/skos:notation ?code ; kgo:sentence ?sentence ;
           prov:wasDerivedFrom ?articleNode .
  ?articleNode dcterms:identifier ?article .
  OPTIONAL { ?event kgo:eventDate ?date }
  OPTIONAL { ?articleNode dcterms:date ?published }
  OPTIONAL { ?articleNode dcterms:source ?outlet }
  OPTIONAL { ?articleNode schema:url ?url }
}
ORDER BY ?date ?event ?published ?mention
"""
)


def write_mentions_csv(store: Store, out: TextIO) -> int:
    """Write one GDELT mentions-table row per report of an event; returns the rows."""
    writer = csv.DictWriter(out, fieldnames=MENTION_COLUMNS)
    writer.writeheader()
    rows = 0
    for row in store.select(MENTIONS_QUERY):
        writer.writerow(
            {
                "GLOBALEVENTID": (row["event"] or "").rsplit("/", 1)[-1],
                "EventTimeDate": (row["date"] or "").replace("-", ""),
                "MentionTimeDate": (row["published"] or "").replace("-", ""),
                "MentionType": "1",  # GDELT's code for web news
                "MentionSourceName": row["outlet"] or "",
                "MentionIdentifier": row["url"] or row["article"] or "",
                "SentenceCharOffset": row["start"] or "",
                "ActionCharOffset": row["trigger"] or "",
                "Confidence": str(round(float(row["confidence"] or 0) * 100)),
                "MentionCode": row["code"] or "",
                "Sentence": row["sentence"] or "",
            }
        )
        rows += 1
    return rows


_TYPE_CODES = {
    "Government": "GOV",
    "Military": "MIL",
    "ArmedGroup": "REB",
    "Party": "PTY",
    "IGO": "IGO",
    "NGO": "NGO",
    "Media": "MED",
}


def _composed_code(country: str | None, type_iri: str | None) -> str:
    """CAMEO-style actor code for actors without one: country + type ("IRQMED")."""
    return (country or "") + _type_code(type_iri) if country else ""


def _type_code(type_iri: str | None) -> str:
    """CAMEO's actor type codes (GOV, MIL, REB…) from our actor classes."""
    if not type_iri:
        return ""
    return _TYPE_CODES.get(type_iri.rsplit("#", 1)[-1], "")
