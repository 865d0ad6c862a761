"""Articles per second of ``kg ingest`` with extraction on Dask, against single-process
``kg ingest`` on the same articles, in one run (the ratio is the figure: absolute times
on a shared machine say little).

Each run is the real command in a subprocess, into a fresh on-disk store, timed from
start to exit (loading the pipeline included, as a user pays it):

* ``single``: ``kg ingest CORPUS`` with ``KG_N_PROCESS=1``, one process (the anchor);
* ``single-auto``: ``kg ingest CORPUS`` as it comes (spaCy's two processes on a batch of
  16 articles or more, ``KG_N_PROCESS=0``);
* ``workers-N``: ``kg ingest CORPUS --workers N`` (starts a LocalCluster of N worker
  processes, each loading the pipeline, then stops it);
* ``scheduler-N-warm``: ``kg ingest CORPUS --scheduler tcp://...`` against a running
  ``dask scheduler`` and N ``dask worker`` processes that have loaded the pipeline
  already (the steady state of a standing cluster).

Every run must store the same number of articles and triples, or the benchmark fails.

Run from the repository root::

    .venv/bin/python benchmarks/dask_ingest.py [CORPUS ...] [--workers 1 2] [--json]

CORPUS defaults to the 81 political Wikinews articles of 2019
(``../shared/corpus/wikinews-2019/politics.jsonl``, read in place, never copied).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from distributed import Client

from kg.distributed import load_on_workers
from kg.settings import Settings

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "wikinews-2019" / "politics.jsonl"
KG = [sys.executable, "-m", "kg.cli"]
DASK = str(Path(sys.executable).parent / "dask")
WORKER_OPTIONS = ("--nworkers", "1", "--nthreads", "1", "--no-dashboard", "--local-directory")


@dataclass(frozen=True)
class IngestRun:
    """One timed ``kg ingest``."""

    name: str
    seconds: float
    articles: int
    triples: int

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds


def measure(corpus: Sequence[Path] = (CORPUS,), workers: Sequence[int] = (1, 2)) -> list[IngestRun]:
    """The runs described above, in that order, each into its own fresh store."""
    runs: list[IngestRun] = []
    with tempfile.TemporaryDirectory(prefix="kg-dask-bench-") as tmp:
        root = Path(tmp)
        runs.append(_timed("single", corpus, root, env={"KG_N_PROCESS": "1"}))
        runs.append(_timed("single-auto", corpus, root, env={"KG_N_PROCESS": "0"}))
        for count in workers:
            runs.append(_timed(f"workers-{count}", corpus, root, "--workers", str(count)))
        for count in workers:
            with _standing_cluster(root / f"cluster-{count}", count) as address:
                run = _timed(f"scheduler-{count}-warm", corpus, root, "--scheduler", address)
                runs.append(run)
    expected = (runs[0].articles, runs[0].triples)
    for run in runs:
        if (run.articles, run.triples) != expected:
            raise SystemExit(
                f"{run.name} stored {run.articles} articles, {run.triples} triples; "
                f"single stored {expected[0]}, {expected[1]}"
            )
    return runs


def ratios(runs: Sequence[IngestRun], anchor: str = "single") -> dict[str, float]:
    """Articles per second of each run over the anchor's."""
    base = next(run for run in runs if run.name == anchor).articles_per_second
    return {run.name: run.articles_per_second / base for run in runs}


def _timed(name: str, corpus: Sequence[Path], root: Path, *options: str, env: dict | None = None):
    store = root / f"store-{name}"
    started = time.perf_counter()
    done = subprocess.run(
        [*KG, "ingest", *map(str, corpus), "--store", str(store), *options],
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=3600,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{name}: kg ingest failed: {done.stderr.strip()[-2000:]}")
    run = IngestRun(
        name, seconds, _row(done.stderr, "articles stored"), _row(done.stderr, "triples added")
    )
    print(f"{name}: {seconds:.1f} s", file=sys.stderr, flush=True)
    return run


def _row(summary: str, name: str) -> int:
    match = re.search(rf"{re.escape(name)}\s*│\s*(\d+)", summary)
    if not match:
        raise SystemExit(f"no '{name}' in the ingest summary:\n{summary}")
    return int(match.group(1))


@contextmanager
def _standing_cluster(directory: Path, workers: int) -> Iterator[str]:
    """``dask scheduler`` and ``workers`` ``dask worker`` processes on 127.0.0.1, each
    with the pipeline loaded; stopped on exit."""
    directory.mkdir(parents=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [
        subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            start_new_session=True,
            **quiet,
        )
    ]
    try:
        for number in range(workers):
            processes.append(
                subprocess.Popen(
                    [DASK, "worker", address, *WORKER_OPTIONS, str(directory / f"w{number}")],
                    start_new_session=True,
                    **quiet,
                )
            )
        with Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)
            load_on_workers(client, Settings())
        yield address
    finally:
        for process in reversed(processes):
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="*", type=Path, default=[CORPUS])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args(argv)
    runs = measure(args.corpus, args.workers)
    against = ratios(runs)
    if args.json:
        rows = [{**asdict(r), "articles_per_second": r.articles_per_second} for r in runs]
        print(json.dumps({"corpus": list(map(str, args.corpus)), "runs": rows, "ratio": against}))
        return 0
    names = " ".join(map(str, args.corpus))
    print(f"{runs[0].articles} articles, {runs[0].triples} triples ({names})")
    print(f"{'run':<20} {'seconds':>8} {'articles/s':>11} {'x single':>9}")
    for run in runs:
        print(
            f"{run.name:<20} {run.seconds:>8.1f} {run.articles_per_second:>11.2f} "
            f"{against[run.name]:>9.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
