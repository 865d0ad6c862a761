"""Ingest gives one graph whatever the parallelism (issue 17).

spaCy's multi-process ``nlp.pipe`` hands each paragraph's context back as a copy;
articles must stay whole anyway. ``kg ingest seeds/`` with one and two processes,
and with a small and a large batch, must store exactly the same N-Quads, and the
summary must count the 74 articles, not the pieces they were parsed in.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.graph.store import OxigraphGraphStore

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
KG = [sys.executable, "-m", "kg.cli"]

pytestmark = pytest.mark.slow


def _ingest(store: Path, n_process: int, batch_size: int) -> str:
    env = {**os.environ, "KG_N_PROCESS": str(n_process), "KG_BATCH_SIZE": str(batch_size)}
    done = subprocess.run(
        [*KG, "ingest", str(SEEDS), "--store", str(store)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def _nquads(path: Path) -> list[bytes]:
    store = OxigraphGraphStore(path)
    try:
        buffer = io.BytesIO()
        store.dump(buffer, "nquads")
    finally:
        store.close()
    return sorted(buffer.getvalue().splitlines())


def _articles_stored(summary: str) -> int:
    match = re.search(r"articles stored\s*│\s*(\d+)", summary)
    assert match, summary
    return int(match.group(1))


@pytest.fixture(scope="module")
def one_process(tmp_path_factory) -> tuple[list[bytes], str]:
    store = tmp_path_factory.mktemp("one") / "store"
    summary = _ingest(store, n_process=1, batch_size=8)
    return _nquads(store), summary


@pytest.mark.parametrize("batch_size", [1, 64])
def test_two_processes_store_the_same_graph_as_one(one_process, tmp_path, batch_size):
    expected, expected_summary = one_process
    summary = _ingest(tmp_path / "store", n_process=2, batch_size=batch_size)
    got = _nquads(tmp_path / "store")
    assert _articles_stored(summary) == _articles_stored(expected_summary)
    missing = set(expected) - set(got)
    extra = set(got) - set(expected)
    assert not missing and not extra, (len(missing), len(extra))


def test_summary_counts_articles_not_pieces(one_process):
    _, summary = one_process
    articles = len([p for p in SEEDS.rglob("*") if p.is_file() and p.suffix == ".txt"])
    assert _articles_stored(summary) == articles


def test_articles_stay_whole_when_contexts_come_back_as_copies(extractor, monkeypatch):
    """What spaCy's worker processes do: each paragraph's context is pickled on its
    way back, so no two paragraphs of an article share the same ``Article`` object."""
    from kg.models import Article

    pipe = extractor.nlp.pipe

    def copying_pipe(texts, as_tuples=False, **kwargs):
        if not as_tuples:  # spaCy's own inner call
            yield from pipe(texts, **kwargs)
            return
        for doc, context in pipe(texts, as_tuples=True, **kwargs):
            yield doc, pickle.loads(pickle.dumps(context))

    monkeypatch.setattr(extractor.nlp, "pipe", copying_pipe)
    text = (
        "Iran condemned the US strike on Friday.\n\n"
        "Iraq's parliament voted to expel US troops.\n\n"
        "Russia criticised the United States."
    )
    articles = [Article(id=f"a{i}", text=text) for i in range(3)]
    results = list(extractor.extract(articles))
    assert [r.article.id for r in results] == ["a0", "a1", "a2"]
    assert len({len(r.events) for r in results}) == 1 and results[0].events
