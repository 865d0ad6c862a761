"""``kg ingest --scheduler tcp://HOST:PORT`` and ``--workers N``: the command-line side of
:mod:`kg.distributed` (which cluster, the progress bar, errors as one line).

Kept apart from :mod:`kg.cli.graph` so that ``kg`` imports Dask only when it is asked
for: importing it costs most of a second.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from distributed import Client
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kg.cli.graph import err, exit_on_error, fail
from kg.distributed import ClusterOptions, connect, ingest_on_cluster, local_cluster
from kg.graph.store import kg_server_sparql, open_store
from kg.ingest import IngestSummary
from kg.network.live import LiveGraph
from kg.reading.readers import CsvColumns, read_articles
from kg.settings import Settings

__all__ = ["ingest_on_dask"]


def ingest_on_dask(
    paths: list[Path],
    columns: CsvColumns,
    settings: Settings,
    scheduler: str | None,
    workers: int | None,
    task_size: int,
    force: bool,
) -> IngestSummary:
    """Read the articles lazily, extract them on the cluster, store them here."""
    if scheduler and workers is not None:
        fail("--scheduler and --workers exclude each other: use a cluster or start one")
    if workers is not None and workers < 1:
        fail(f"--workers must be at least 1, not {workers}")
    if kg_server_sparql(settings.store):
        fail("a kg server extracts with its own pipeline: drop --scheduler/--workers")
    items = read_articles(paths, csv_columns=columns)  # a generator: never the whole corpus
    options = ClusterOptions(task_size=task_size)
    with (
        exit_on_error(),
        _cluster(scheduler, workers) as client,
        open_store(settings.store) as store,
    ):
        # the total is not known without reading every file first: the bar counts up
        columns_shown = (
            TextColumn("ingesting on Dask"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns_shown, console=err, transient=True) as progress:
            task = progress.add_task("ingest", total=None)
            served = LiveGraph.from_snapshot(store)  # kept current for the next kg serve
            summary = ingest_on_cluster(
                items,
                settings,
                store,
                client,
                options=options,
                force=force,
                on_article=lambda _: progress.advance(task),
            )
            LiveGraph.after_ingest(store, served, summary)
            return summary


@contextmanager
def _cluster(scheduler: str | None, workers: int | None) -> Iterator[Client]:
    if scheduler:
        with connect(scheduler) as client:
            yield client
    else:
        with local_cluster(workers or 1) as client:
            yield client
