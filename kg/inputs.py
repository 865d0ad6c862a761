"""What the Python API (:mod:`kg.session`) accepts, checked and made uniform: paths,
texts and articles; dates as dates or ISO strings; CAMEO roots as strings or numbers;
the network filters as keyword arguments."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypedDict

import pandas as pd

from kg.errors import InputError
from kg.models import Article, ReadProblem
from kg.network.projection import NetworkFilter
from kg.reading.readers import content_id, normalise_text, read_articles

__all__ = [
    "DateLike",
    "Inputs",
    "NetworkFilters",
    "articles_in",
    "as_date",
    "cameo_roots",
    "network_filter",
    "row_limit",
]

#: What :meth:`KnowledgeGraph.ingest` and :meth:`KnowledgeGraph.extract` take: a path,
#: a text (``extract`` only), an :class:`~kg.models.Article`, or an iterable of them.
Inputs = str | os.PathLike[str] | Article | Iterable[str | os.PathLike[str] | Article]
DateLike = dt.date | str | None


class NetworkFilters(TypedDict, total=False):
    """The event filters every network question takes (as the REST routes do)."""

    since: DateLike  # events on or after (a date or YYYY-MM-DD)
    until: DateLike  # events on or before
    roots: Iterable[str | int] | str | int | None  # CAMEO roots, e.g. ["18", "19"]
    quad_classes: Iterable[int] | int | None  # 1 to 4
    min_confidence: float  # extraction confidence, 0 to 1
    actor_types: Iterable[str] | str | None  # both ends of an event, e.g. "State"


def articles_in(
    items: Inputs, *, texts: bool, date: dt.date | None = None
) -> Iterator[Article | ReadProblem]:
    """Articles (and problems) from paths, texts (if ``texts``) and Articles."""
    if isinstance(items, str | os.PathLike | Article):
        items = [items]
    for item in items:
        if isinstance(item, Article):
            yield item
        elif isinstance(item, os.PathLike) or (isinstance(item, str) and not texts):
            yield from read_articles(item)
        elif isinstance(item, str):
            text = normalise_text(item)
            if not text:
                raise InputError("the text is empty", "text")
            yield Article(id=content_id(text), text=text, date=date, origin="text")
        else:
            kind = type(item).__name__
            raise InputError(f"expected a path, a text or an Article, got {kind}", "input")


def network_filter(filters: Mapping[str, Any]) -> NetworkFilter:
    unknown = sorted(set(filters) - set(NetworkFilters.__annotations__))
    if unknown:
        known = ", ".join(NetworkFilters.__annotations__)
        raise TypeError(f"unknown filter {', '.join(unknown)}; the filters are: {known}")
    try:
        quads = frozenset(int(q) for q in _many(filters.get("quad_classes")))
    except ValueError as error:
        raise InputError(f"quad classes are 1 to 4 ({error})", "filter") from None
    return NetworkFilter(
        since=as_date(filters.get("since"), "since"),
        until=as_date(filters.get("until"), "until"),
        roots=cameo_roots(filters.get("roots")),
        quad_classes=quads,
        min_confidence=float(filters.get("min_confidence") or 0.0),
        actor_types=frozenset(str(t) for t in _many(filters.get("actor_types"))),
    )


def _many(value: Any) -> tuple:
    if value is None:
        return ()
    if isinstance(value, str | int):
        return (value,)
    return tuple(value)


def cameo_roots(value: Any) -> frozenset[str]:
    return frozenset(str(r).zfill(2) for r in _many(value))


def as_date(value: DateLike, name: str) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{name} must be a date (YYYY-MM-DD), got {value!r}", "filter") from None


def row_limit(limit: int | None) -> int:
    if limit is None:
        return 1_000_000_000
    if limit < 1:
        raise InputError(f"limit must be at least 1, got {limit}", "filter")
    return limit
