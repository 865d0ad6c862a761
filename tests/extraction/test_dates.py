"""Event dates (kg.extraction.dates): date expressions resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extraction.dates import resolve_date

SUNDAY = dt.date(2020, 1, 5)  # the seed article's date
WEDNESDAY = dt.date(2020, 1, 8)  # Iran's missile strikes on Ain al-Asad and Erbil


@pytest.mark.parametrize(
    ("expression", "day"),
    [
        ("Friday", "2020-01-03"),
        ("on Friday", "2020-01-03"),
        ("Saturday morning", "2020-01-04"),
        ("on Saturday morning", "2020-01-04"),
        ("Thursday night", "2020-01-02"),
        ("last Friday", "2020-01-03"),
        ("Monday", "2019-12-30"),  # back across the year end
        ("Sunday", "2020-01-05"),  # the day of publication itself
    ],
)
def test_weekdays_are_the_latest_such_day_on_or_before_publication(
    expression: str, day: str
) -> None:
    assert resolve_date(expression, SUNDAY) == dt.date.fromisoformat(day)


def test_weekdays_depend_on_the_publication_day() -> None:
    assert resolve_date("Tuesday", WEDNESDAY) == dt.date(2020, 1, 7)
    assert resolve_date("Wednesday", WEDNESDAY) == WEDNESDAY
    assert resolve_date("Thursday", WEDNESDAY) == dt.date(2020, 1, 2)


@pytest.mark.parametrize(
    ("expression", "day"),
    [("yesterday", "2020-01-04"), ("today", "2020-01-05"), ("two days ago", "2020-01-03")],
)
def test_relative_days(expression: str, day: str) -> None:
    assert resolve_date(expression, SUNDAY) == dt.date.fromisoformat(day)


def test_last_week_is_a_day_of_the_previous_week() -> None:
    day = resolve_date("last week", SUNDAY)
    assert day is not None
    assert SUNDAY - dt.timedelta(days=13) <= day <= SUNDAY - dt.timedelta(days=7)


@pytest.mark.parametrize(
    ("expression", "published", "day"),
    [
        ("Jan. 3", SUNDAY, "2020-01-03"),
        ("Jan 3", SUNDAY, "2020-01-03"),
        ("January 3, 2020", SUNDAY, "2020-01-03"),
        ("3 January 2020", WEDNESDAY, "2020-01-03"),
        ("Dec. 31", SUNDAY, "2019-12-31"),  # a day without a year is the last one before
        ("September 14, 2019", SUNDAY, "2019-09-14"),
    ],
)
def test_absolute_dates(expression: str, published: dt.date, day: str) -> None:
    assert resolve_date(expression, published) == dt.date.fromisoformat(day)


@pytest.mark.parametrize(
    "expression",
    [
        "2019",
        "in 2009",
        "2020",
        "the late 1990s",
        "last year",
        "this year",
        "December",
        "December 2019",
        "the last few months",
        "for two decades",
    ],
)
def test_years_months_and_spans_give_no_day(expression: str) -> None:
    assert resolve_date(expression, SUNDAY) is None


def test_without_a_publication_date_only_full_dates_resolve() -> None:
    assert resolve_date("January 3, 2020", None) == dt.date(2020, 1, 3)
    assert resolve_date("3 January 2020", None) == dt.date(2020, 1, 3)
    assert resolve_date("Friday", None) is None
    assert resolve_date("yesterday", None) is None
    assert resolve_date("Jan. 3", None) is None


def test_early_on_a_weekday() -> None:
    assert resolve_date("early on Friday", SUNDAY) == dt.date(2020, 1, 3)


def test_bare_duration_is_no_day() -> None:
    assert resolve_date("two decades", SUNDAY) is None
