"""Ingest with extraction on a Dask cluster gives the graph of a single-process ingest
(issue 18).

The cluster is the real thing: ``dask scheduler`` and two ``dask worker`` processes on
127.0.0.1, started here as command-line processes, and ``kg ingest --scheduler`` is the
real CLI in a subprocess. Merging depends only on the set of mentions, so whatever order
the batches come back in, the N-Quads must be the same bytes as those of
``kg ingest`` in one process; and they must stay the same when a worker is killed in
the middle of the ingest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cloudpickle
import pytest
from distributed import Client

from kg.distributed import ClusterOptions, ingest_on_cluster
from kg.graph.store import OxigraphGraphStore
from kg.models import Article
from kg.reading.readers import read_articles
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
KG = [sys.executable, "-m", "kg.cli"]
DASK = str(Path(sys.executable).parent / "dask")
SEED_ARTICLES = len([p for p in SEEDS.rglob("*.txt")])

pytestmark = pytest.mark.slow

# The functions this module runs on the workers and the scheduler (their state is what
# is checked) travel by value: the workers cannot import the tests.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@dataclass
class DaskCluster:
    """A scheduler and its workers, each a process group of its own (a worker is a nanny
    and the worker process it watches: killing the group kills the worker for good)."""

    address: str
    scheduler: subprocess.Popen
    workers: dict[str, subprocess.Popen]  # by worker name
    client: Client  # the test's own view of the cluster

    def stop(self) -> None:
        self.client.close()
        for process in [*self.workers.values(), self.scheduler]:
            _kill_group(process, signal.SIGTERM)
        for process in [*self.workers.values(), self.scheduler]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _kill_group(process, signal.SIGKILL)
                process.wait(timeout=20)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _kill_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def _start_cluster(directory: Path, workers: int = 2) -> DaskCluster:
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = directory / "scheduler.log"
    scheduler = subprocess.Popen(
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
        start_new_session=True,
    )
    started: dict[str, subprocess.Popen] = {}
    try:
        for number in range(1, workers + 1):
            name = f"worker-{number}"
            started[name] = subprocess.Popen(
                [
                    DASK,
                    "worker",
                    address,
                    "--nworkers",
                    "1",
                    "--nthreads",
                    "1",
                    "--name",
                    name,
                    "--no-dashboard",
                    "--local-directory",
                    str(directory / name),
                ],
                stdout=subprocess.DEVNULL,
                stderr=(directory / f"{name}.log").open("wb"),
                start_new_session=True,
            )
        client = Client(address, timeout=60, set_as_default=False)
        client.wait_for_workers(workers, timeout=120)
    except BaseException:
        for process in [*started.values(), scheduler]:
            _kill_group(process, signal.SIGKILL)
        raise
    return DaskCluster(address, scheduler, started, client)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[DaskCluster]:
    """A cluster the tests share (each worker loads the pipeline once)."""
    running = _start_cluster(tmp_path_factory.mktemp("cluster"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def own_cluster(tmp_path) -> Iterator[DaskCluster]:
    """A cluster for one test that kills a worker."""
    running = _start_cluster(tmp_path)
    try:
        yield running
    finally:
        running.stop()


def _kg(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([*KG, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def _ingest(store: Path, *options: str) -> str:
    done = _kg("ingest", str(SEEDS), "--store", str(store), *options)
    assert done.returncode == 0, done.stderr
    return done.stderr


def _export(store: Path) -> bytes:
    done = subprocess.run(
        [*KG, "export", "--format", "nquads", "--store", str(store)],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _count(summary: str, row: str) -> int:
    match = re.search(rf"{re.escape(row)}\s*│\s*(\d+)", summary)
    assert match, summary
    return int(match.group(1))


@pytest.fixture(scope="module")
def single_process(tmp_path_factory) -> bytes:
    """The N-Quads of ``kg ingest seeds/`` in one process."""
    store = tmp_path_factory.mktemp("single") / "store"
    summary = _ingest(store)
    assert _count(summary, "articles stored") == SEED_ARTICLES
    return _export(store)


def _assert_same_graph(got: bytes, expected: bytes) -> None:
    assert b"_:" not in expected  # no blank nodes: lines compare as they are
    missing = set(expected.splitlines()) - set(got.splitlines())
    extra = set(got.splitlines()) - set(expected.splitlines())
    assert not missing and not extra, (len(missing), len(extra))
    assert got == expected  # the export is sorted the same way: byte-identical


def test_two_workers_store_the_graph_of_one_process(cluster, single_process, tmp_path):
    store = tmp_path / "store"
    summary = _ingest(store, "--scheduler", cluster.address)
    assert _count(summary, "articles stored") == SEED_ARTICLES
    _assert_same_graph(_export(store), single_process)
    # both workers extracted, each with the one pipeline it loaded
    executed = cluster.client.run(_tasks_executed)
    assert all(count > 0 for count in executed.values()), executed
    assert set(cluster.client.run(_extractors_loaded).values()) == {1}
    # a re-run sends nothing: every article is already stored
    again = _ingest(store, "--scheduler", cluster.address)
    assert _count(again, "already stored (unchanged)") == SEED_ARTICLES
    assert _count(again, "articles stored") == 0
    assert cluster.client.run(_tasks_executed) == executed


def _tasks_executed(dask_worker) -> int:
    return dask_worker.state.executed_count


def _extractors_loaded() -> int:
    import kg.distributed

    return len(kg.distributed._WORKER_EXTRACTORS)


def _extract_results_returned(dask_scheduler) -> int:
    """Run on the scheduler: extraction tasks whose result has been computed."""
    prefix = dask_scheduler.task_prefixes.get("kg-extract")
    return prefix.state_counts.get("memory", 0) if prefix else 0


def test_a_worker_killed_mid_ingest_changes_nothing(own_cluster, single_process, tmp_path):
    """Batches of two articles; once results have come back and a worker is busy with a
    batch, that worker (nanny and all) is killed: its batch runs again on the other."""
    store = tmp_path / "store"
    ingest = subprocess.Popen(
        [
            *KG,
            "ingest",
            str(SEEDS),
            "--store",
            str(store),
            "--scheduler",
            own_cluster.address,
            "--task-size",
            "2",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    victim = None
    deadline = time.monotonic() + 600
    while victim is None and ingest.poll() is None and time.monotonic() < deadline:
        if own_cluster.client.run_on_scheduler(_extract_results_returned) >= 1:
            busy = _busy_workers(own_cluster.client)
            if busy:
                victim = busy[0]
                _kill_group(own_cluster.workers[victim], signal.SIGKILL)
                break
        time.sleep(0.05)
    _, summary = ingest.communicate(timeout=900)
    assert victim is not None, "the ingest ended before a worker could be killed"
    assert ingest.returncode == 0, summary
    assert own_cluster.workers[victim].wait(timeout=30) is not None
    assert _count(summary, "articles stored") == SEED_ARTICLES
    _assert_same_graph(_export(store), single_process)
    names = {info["name"] for info in own_cluster.client.scheduler_info()["workers"].values()}
    assert victim not in names and len(names) == 1


def test_a_client_killed_mid_ingest_resumes(cluster, single_process, tmp_path):
    """``kg ingest`` killed once it has stored some batches: every article graph in the
    store is whole (as in a single-process ingest) or absent, and the re-run skips
    exactly those stored, sends the rest and ends with the same graph."""
    store = tmp_path / "store"
    command = [*KG, "ingest", str(SEEDS), "--store", str(store), "--scheduler", cluster.address]
    done_before = cluster.client.run_on_scheduler(_extract_results_returned)
    first = subprocess.Popen(
        [*command, "--task-size", "2"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 600
    while first.poll() is None and time.monotonic() < deadline:
        # at most four tasks are out: twenty results back mean sixteen batches stored
        if cluster.client.run_on_scheduler(_extract_results_returned) >= done_before + 20:
            first.kill()
            break
        time.sleep(0.05)
    assert first.wait(timeout=60) == -signal.SIGKILL, "the ingest ended before it was killed"
    expected = _article_graph_sizes(single_process)
    stored = _article_graph_sizes(_export(store))
    assert len(stored) < len(expected)
    assert {graph: expected[graph] for graph in stored} == stored  # none partly stored
    resumed = _ingest(store, "--scheduler", cluster.address)
    assert _count(resumed, "already stored (unchanged)") == len(stored)
    assert _count(resumed, "articles stored") == SEED_ARTICLES - len(stored)
    _assert_same_graph(_export(store), single_process)


def _article_graph_sizes(nquads: bytes) -> dict[bytes, int]:
    """Quads in each article's named graph (the last term of an N-Quads line)."""
    sizes: dict[bytes, int] = {}
    for line in nquads.splitlines():
        graph = line.rstrip(b" .").rsplit(b" ", 1)[-1]
        if b"/graph/article/" in graph:
            sizes[graph] = sizes.get(graph, 0) + 1
    return sizes


def _busy_workers(client: Client) -> list[str]:
    """Names of the workers running an extraction task now."""
    workers = client.scheduler_info()["workers"]
    return [
        workers[address]["name"]
        for address, keys in client.processing().items()
        if address in workers and any(str(key).startswith("kg-extract") for key in keys)
    ]


def test_a_local_cluster_of_two_workers_stores_the_same_graph(single_process, tmp_path):
    store = tmp_path / "store"
    summary = _ingest(store, "--workers", "2")
    assert _count(summary, "articles stored") == SEED_ARTICLES
    _assert_same_graph(_export(store), single_process)


def test_an_article_a_worker_cannot_extract_is_one_problem(cluster):
    """Extraction errors on a worker become ``skipped FILE:LINE`` problems, and the rest
    of the batch is stored (published on 0001-01-01, "Friday" is before the calendar)."""
    tanker = Article(
        id="tanker",
        text="Iran's Revolutionary Guards seized the British-flagged tanker Stena Impero "
        "in the Strait of Hormuz on Friday.",
        date=dt.date(2019, 7, 20),
        origin="wire.jsonl:1",
    )
    first_day = Article(
        id="first-day",
        text="Iran fired ballistic missiles at the Ain al-Asad air base in Iraq on Friday.",
        date=dt.date(1, 1, 1),
        origin="wire.jsonl:2",
    )
    store = OxigraphGraphStore(None)
    summary = ingest_on_cluster(
        [first_day, tanker], Settings(), store, cluster.client, options=ClusterOptions(3)
    )
    assert (summary.read, summary.stored) == (2, 1)
    assert [str(p) for p in summary.problems] == [
        "wire.jsonl:2: cannot extract events (OverflowError: date value out of range)"
    ]
    assert store.has_graph(f"{Settings().base_iri}graph/article/tanker")


def test_articles_are_read_as_batches_go_out(cluster):
    """Backpressure: with three tasks of two articles out at most, the first article is
    stored before the reader has given more than the next batch (8 articles); the
    reader is never drained ahead of the cluster."""
    files = sorted((SEEDS / "gulf-2019-2020").glob("*.txt"))[:12]
    given = 0
    given_at_first_store: list[int] = []

    def articles():
        nonlocal given
        for item in read_articles(files):
            given += 1
            yield item

    def stored(_article: Article) -> None:
        if not given_at_first_store:
            given_at_first_store.append(given)

    options = ClusterOptions(task_size=2, max_in_flight=3)
    summary = ingest_on_cluster(
        articles(),
        Settings(),
        OxigraphGraphStore(None),
        cluster.client,
        options=options,
        on_article=stored,
    )
    assert (summary.read, summary.stored) == (12, 12)
    assert given_at_first_store == [(3 + 1) * 2]


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    address = f"tcp://127.0.0.1:{_free_port()}"
    store = tmp_path / "store"
    done = _kg("ingest", str(SEEDS), "--store", str(store), "--scheduler", address, timeout=120)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and address in lines[0], done.stderr
    assert lines[0].startswith("error: no Dask scheduler answers at"), lines[0]
    assert not store.exists()  # nothing was opened or written
    done = _kg("ingest", str(SEEDS), "--store", str(store), "--scheduler", "127.0.0.1")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: not a Dask scheduler address: missing port number in address '127.0.0.1'"
    )


def test_scheduler_and_workers_exclude_each_other(tmp_path):
    done = _kg(
        "ingest", str(SEEDS), "--store", str(tmp_path / "s"), "--scheduler", "x", "--workers", "2"
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: --scheduler and --workers exclude each other: use a cluster or start one"
    )
