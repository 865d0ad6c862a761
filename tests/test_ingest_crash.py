"""A crash mid-ingest loses nothing and corrupts nothing; re-running resumes.

The test starts ``kg ingest`` on the Gulf corpus in a subprocess, kills it with
SIGKILL part-way, reopens the store, checks that every article is either fully
stored or absent, re-runs the ingest and compares with a clean run.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.graph.store import OxigraphGraphStore

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "seeds" / "gulf-2019-2020"
KG = [sys.executable, "-m", "kg.cli.main"]
ARTICLE_GRAPHS = """
SELECT ?g (COUNT(*) AS ?n)
WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), "/graph/article/")) }
GROUP BY ?g
"""


def _ingest(store: Path) -> subprocess.Popen:
    env = {**os.environ, "KG_STORE": str(store)}
    return subprocess.Popen(
        [*KG, "ingest", str(CORPUS)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _graph_sizes(path: Path) -> dict[str, int]:
    store = OxigraphGraphStore(path)
    try:
        return {row["g"]: int(row["n"]) for row in store.select(ARTICLE_GRAPHS)}
    finally:
        store.close()


def _nquads(path: Path) -> set[bytes]:
    store = OxigraphGraphStore(path)
    buffer = io.BytesIO()
    store.dump(buffer, "nquads")
    store.close()
    return set(buffer.getvalue().splitlines())


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("clean") / "store"
    process = _ingest(path)
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr.decode()
    return path


def test_sigkill_mid_batch_leaves_each_article_complete_or_absent(tmp_path, clean_run):
    expected = _graph_sizes(clean_run)
    assert len(expected) >= 50, "the corpus gives one graph per article"
    for delay in (4.0, 6.0, 8.0, 3.0, 10.0):
        path = tmp_path / f"store-{delay}"
        process = _ingest(path)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        stored = _graph_sizes(path) if path.exists() else {}
        if 0 < len(stored) < len(expected):
            break  # the kill landed mid-batch
    else:
        pytest.fail("could not kill the ingest mid-batch at any of the delays tried")
    for graph, size in stored.items():
        assert size == expected[graph], f"{graph} is partly stored"

    rerun = _ingest(path)
    _, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr.decode()
    assert _nquads(path) == _nquads(clean_run)


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found.update(int(c) for c in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]) != "Z"
    except OSError:
        return False


def test_sigkill_leaves_no_spacy_worker_behind(tmp_path):
    process = _ingest(tmp_path / "store")
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline:  # spaCy's two parse processes
        time.sleep(0.2)
        workers = _children(process.pid)
    assert len(workers) >= 2, "kg ingest parses the Gulf corpus with two spaCy workers"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    deadline = time.monotonic() + 20
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [w for w in workers if _alive(w)], "workers outlived the killed kg ingest"
