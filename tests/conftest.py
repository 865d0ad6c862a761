"""Shared fixtures: one spaCy pipeline for the whole session (loading it takes seconds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kg.extraction.extractor import RuleExtractor
from kg.models import Article, Event
from kg.settings import Settings

#: The seed article is dated Sunday 5 January 2020; most test sentences are read as of then.
ARTICLE_DATE = "2020-01-05"

EventsOf = Callable[..., list[Event]]


@pytest.fixture(scope="session")
def extractor() -> RuleExtractor:
    """The rule-based extractor with the default pipeline, gazetteer and lexicon."""
    return RuleExtractor.from_settings(Settings())


@pytest.fixture(scope="session")
def events_of(extractor: RuleExtractor) -> EventsOf:
    """``events_of(text, date=...)``: the events of one article made of ``text``.

    ``date`` is the publication date (ISO string, date or None); relative dates in
    the text are resolved against it.
    """

    def events_of(text: str, date: str | dt.date | None = ARTICLE_DATE) -> list[Event]:
        published = dt.date.fromisoformat(date) if isinstance(date, str) else date
        return extractor.extract_one(Article(id="test-article", text=text, date=published))

    return events_of
