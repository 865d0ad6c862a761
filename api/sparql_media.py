"""Content negotiation for the SPARQL protocol: the media types /sparql answers with and
the Oxigraph format that writes each, chosen from the request's Accept header."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

__all__ = ["BOOLEAN_OFFERS", "GRAPH_OFFERS", "SOLUTION_OFFERS", "Format", "Offer", "negotiate"]

Format = ox.QueryResultsFormat | ox.RdfFormat


@dataclass(frozen=True)
class Offer:
    """A media type we can answer with, and the Oxigraph format that writes it."""

    media_type: str
    format: Format


_JSON, _XML = ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML
_CSV, _TSV = ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV
#: Offers by server preference: the first is the default; aliases come after canonical types.
BOOLEAN_OFFERS = (
    Offer("application/sparql-results+json", _JSON),
    Offer("application/sparql-results+xml", _XML),
    Offer("application/json", _JSON),
    Offer("application/xml", _XML),
    Offer("text/xml", _XML),
)
SOLUTION_OFFERS = (
    *BOOLEAN_OFFERS[:2],
    Offer("text/csv", _CSV),
    Offer("text/tab-separated-values", _TSV),
    *BOOLEAN_OFFERS[2:],
)
GRAPH_OFFERS = (
    Offer("text/turtle", ox.RdfFormat.TURTLE),
    Offer("application/n-triples", ox.RdfFormat.N_TRIPLES),
    Offer("application/ld+json", ox.RdfFormat.JSON_LD),
    Offer("application/rdf+xml", ox.RdfFormat.RDF_XML),
    Offer("application/x-turtle", ox.RdfFormat.TURTLE),
    Offer("text/plain", ox.RdfFormat.N_TRIPLES),
    Offer("application/json", ox.RdfFormat.JSON_LD),
    Offer("application/xml", ox.RdfFormat.RDF_XML),
    Offer("text/xml", ox.RdfFormat.RDF_XML),
)


def negotiate(accept: str | None, offers: Sequence[Offer]) -> Offer | None:
    """The offer ``accept`` rates highest (ties: ours first); None if none is acceptable."""
    ranges = _media_ranges(accept)
    if not ranges:
        return offers[0]
    best, best_q = None, 0.0
    for offer in offers:
        q = _quality(offer.media_type, ranges)
        if q > best_q:
            best, best_q = offer, q
    return best


def _media_ranges(accept: str | None) -> list[tuple[str, float]]:
    """``(type/subtype, q)`` pairs of an Accept header; malformed entries are skipped."""
    ranges = []
    for item in (accept or "").split(","):
        media_type, *params = (part.strip() for part in item.split(";"))
        if media_type.count("/") != 1:
            continue
        q = 1.0
        for name, _, value in (p.partition("=") for p in params):
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media_type.lower(), q))
    return ranges


def _quality(media_type: str, ranges: Sequence[tuple[str, float]]) -> float:
    """The q of the most specific range that matches ``media_type`` (0 if none does)."""
    kind = media_type.split("/")[0]
    specificity = {media_type: 2, f"{kind}/*": 1, "*/*": 0}
    matches = [(specificity[r], q) for r, q in ranges if r in specificity]
    return max(matches)[1] if matches else 0.0
