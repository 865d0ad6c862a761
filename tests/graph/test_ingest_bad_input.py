"""An article the pipeline cannot handle costs only itself (issue 15): the batch around
it is extracted and stored, and it becomes one problem naming where it came from."""

from __future__ import annotations

import datetime as dt

from kg.graph.store import OxigraphGraphStore
from kg.ingest import extract_each, ingest
from kg.models import Article, ReadProblem

TANKER = Article(
    id="tanker",
    text="Iran's Revolutionary Guards seized the British-flagged tanker Stena Impero in the "
    "Strait of Hormuz on Friday.",
    date=dt.date(2019, 7, 20),
    origin="wire.jsonl:1",
)
# Published on 0001-01-01, a Monday: "Friday" before it is before the calendar begins
# (OverflowError in the date arithmetic). The readers refuse such dates; articles built
# in code reach the pipeline with them.
FIRST_DAY = Article(
    id="first-day",
    text="Iran fired ballistic missiles at the Ain al-Asad air base in Iraq on Friday.",
    date=dt.date(1, 1, 1),
    origin="wire.jsonl:2",
)
DRONE = Article(
    id="drone",
    text="Iran shot down a US surveillance drone over the Strait of Hormuz on Thursday.",
    date=dt.date(2019, 6, 20),
    origin="wire.jsonl:3",
)


def test_an_article_that_fails_extraction_is_one_problem(extractor) -> None:
    problems: list[ReadProblem] = []
    results = list(extract_each(extractor, [TANKER, FIRST_DAY, DRONE], problems))
    assert [r.article.id for r in results] == ["tanker", "drone"]
    assert all(r.events for r in results)
    (problem,) = problems
    assert (problem.path, problem.line) == ("wire.jsonl", 2)
    assert problem.message.startswith("cannot extract events (OverflowError")


def test_ingest_stores_the_rest_of_the_batch(extractor) -> None:
    store = OxigraphGraphStore(None)
    summary = ingest([FIRST_DAY, TANKER, DRONE, FIRST_DAY], extractor, store)
    assert summary.stored == 2 and summary.read == 4
    assert [str(p) for p in summary.problems] == [
        "wire.jsonl:2: cannot extract events (OverflowError: date value out of range)"
    ] * 2
    for article in ("tanker", "drone"):
        assert store.has_graph(f"{extractor.base_iri}graph/article/{article}")
    assert not store.has_graph(f"{extractor.base_iri}graph/article/first-day")
