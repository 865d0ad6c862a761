"""Event dates: date expressions resolved against the article's publication date."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import dateparser

__all__ = ["resolve_date"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_YEAR_OR_SPAN = re.compile(
    r"^(in |since |during |until )?(the )?((early|late|mid)[- ])?(\d{4}s?|(last|past|next|few|"
    r"several|recent|coming)\b.*(years?|months|decades?)|this year|last year)$",
    re.IGNORECASE,
)
_DURATION = re.compile(
    r"^(for |over |about |nearly |almost |more than )*(the )?(\d+|a|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|several|many|few|a few) (days?|weeks?|months?|years?|decades?)$",
    re.IGNORECASE,
)
_MONTH_ONLY = re.compile(
    r"^(in |since )?(january|february|march|april|may|june|july|august|september|october|"
    r"november|december)( \d{4})?$",
    re.IGNORECASE,
)


def resolve_date(expression: str, published: dt.date | None) -> dt.date | None:
    """The calendar day ``expression`` ("Friday", "last week", "Jan. 3") refers to, or None.

    Weekday names mean the latest such day on or before publication, as in news
    ("on Saturday" in a Sunday paper is the day before). Years, months and vague
    spans ("the last few months") give no day.
    """
    text = " ".join(expression.lower().replace("’", "'").split())
    text = re.sub(r"^((early|late) )?(on|last|this past|early|late) (?=\w+day\b)", "", text)
    if _YEAR_OR_SPAN.match(text) or _MONTH_ONLY.match(text) or _DURATION.match(text):
        return None
    if published is None:
        return _parse_absolute(text)
    first = text.split()[0] if text else ""
    if first in _WEEKDAYS:
        back = (published.weekday() - _WEEKDAYS.index(first)) % 7
        return published - dt.timedelta(days=back)
    return _parse_relative(text, published)


@lru_cache(maxsize=4096)
def _parse_relative(text: str, published: dt.date) -> dt.date | None:
    base = dt.datetime.combine(published, dt.time(12))
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "STRICT_PARSING": False}
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


@lru_cache(maxsize=4096)
def _parse_absolute(text: str) -> dt.date | None:
    if not re.search(r"\d", text):
        return None
    parsed = dateparser.parse(
        text, languages=["en"], settings={"REQUIRE_PARTS": ["day", "month", "year"]}
    )
    return parsed.date() if parsed else None
