"""Extraction in a child process (what ``kg serve`` ingests with, issue 15): the same
events as in the server's own process, the same per-article failures, and a child that
dies costs one call, not the next."""

from __future__ import annotations

import io
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from kg.errors import ExtractionError
from kg.extraction.process import ExtractionProcess
from kg.graph.store import OxigraphGraphStore
from kg.ingest import extract_each, ingest
from kg.models import Article, ReadProblem
from kg.reading.readers import read_articles
from kg.settings import Settings
from tests.graph.test_ingest_bad_input import DRONE, FIRST_DAY, TANKER

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def process():
    with ExtractionProcess(Settings()) as started:
        yield started


@pytest.fixture(scope="module")
def seed_articles() -> list[Article]:
    return [a for a in read_articles([SEEDS]) if isinstance(a, Article)]


def test_the_child_finds_the_events_the_server_would(process, extractor, seed_articles):
    batch = seed_articles[:20]  # 16 or more: spaCy's two workers, forked by the child
    in_child = list(process.extract(batch))
    here = list(extractor.extract(batch))
    assert [r.article.id for r in in_child] == [a.id for a in batch]
    assert [r.events for r in in_child] == [r.events for r in here]
    assert sum(len(r.events) for r in in_child) > 20
    assert process.pid() not in (None, os.getpid())


def test_ingesting_through_the_child_stores_the_same_graph(process, extractor, seed_articles):
    through_child, here = OxigraphGraphStore(None), OxigraphGraphStore(None)
    summary = ingest(seed_articles[:6], process, through_child)
    ingest(seed_articles[:6], extractor, here)
    assert summary.stored == 6 and summary.mentions > 0
    assert nquads(through_child) == nquads(here)


def nquads(store: OxigraphGraphStore) -> list[bytes]:
    out = io.BytesIO()
    store.dump(out, "nquads")
    return sorted(out.getvalue().splitlines())


def test_an_article_the_pipeline_fails_on_costs_only_itself(process):
    problems: list[ReadProblem] = []
    results = list(extract_each(process, [TANKER, FIRST_DAY, DRONE], problems))
    assert [r.article.id for r in results] == ["tanker", "drone"]
    (problem,) = problems
    assert str(problem).startswith("wire.jsonl:2: cannot extract events (OverflowError")


def test_a_child_killed_mid_call_costs_that_call_and_is_replaced(seed_articles):
    with ExtractionProcess(Settings()) as process:
        list(process.extract(seed_articles[:1]))  # started, pipeline loaded
        pid = process.pid()
        outcome: list[BaseException | int] = []

        def extract_all() -> None:
            try:
                outcome.append(len(list(process.extract(seed_articles))))
            except ExtractionError as error:
                outcome.append(error)

        call = threading.Thread(target=extract_all)
        call.start()
        time.sleep(0.5)  # the child is parsing the 70-odd seed articles
        os.kill(pid, signal.SIGKILL)
        call.join(timeout=60)
        (error,) = outcome
        assert isinstance(error, ExtractionError) and "died" in str(error)
        again = list(process.extract(seed_articles[:2]))
        assert [r.article.id for r in again] == [a.id for a in seed_articles[:2]]
        assert process.started == 2 and process.pid() != pid


def test_a_child_killed_while_idle_is_started_again_unnoticed(seed_articles):
    with ExtractionProcess(Settings()) as process:
        list(process.extract(seed_articles[:1]))
        os.kill(process.pid(), signal.SIGKILL)
        time.sleep(0.5)  # the pool notices its worker is gone
        assert [r.article.id for r in process.extract(seed_articles[1:2])] == [seed_articles[1].id]
        assert process.started == 2
