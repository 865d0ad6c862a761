"""Ingest with extraction on a Dask cluster: workers parse, this process stores.

Extraction (spaCy parsing and the rules) is the slow part of an ingest and needs
nothing but the article, so it is what goes to the cluster: batches of articles are
submitted as tasks (:func:`extract_batch`), each worker loads the pipeline and the
gazetteer once (:func:`worker_extractor`, cached in the worker process), and the
events come back here, where the articles are written exactly as a single-process
ingest writes them (:func:`kg.ingest.store_extracted`: a transaction per article, or a
batch at a time through a SPARQL server's Graph Store endpoint). Merging depends
only on the set of mentions (:mod:`kg.graph.merge`), so the order in which batches
finish changes nothing in the graph.

- Backpressure: the articles are read lazily and at most ``max_in_flight`` batches are
  out at a time, so memory follows the batch size, not the size of the corpus.
- Resuming: articles already stored are skipped here, before they are sent.
- Failures: a task whose worker dies is run again elsewhere by the scheduler (and a
  task that raises is retried ``retries`` times); an article the pipeline cannot handle
  becomes a problem, as in :func:`kg.ingest.extract_each`, and its batch goes on.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from distributed import Client, Future, KilledWorker, LocalCluster, as_completed
from distributed.comm.addressing import get_address_host_port, normalize_address

from kg.actors.resolution import load_gazetteer
from kg.errors import ConfigurationError, KGError
from kg.extraction.extractor import ArticleEvents, RuleExtractor
from kg.graph.merge import MergeWindow
from kg.graph.rdf import Minter
from kg.graph.store import Store
from kg.ingest import IngestSummary, ensure_reference_graphs, extract_each, store_extracted
from kg.models import Article, ReadProblem
from kg.settings import Settings

__all__ = [
    "ClusterOptions",
    "connect",
    "extract_batch",
    "ingest_on_cluster",
    "load_on_workers",
    "worker_extractor",
]

#: The settings a worker needs to extract exactly as this process would; nothing else
#: (store URLs, tokens) leaves the client.
EXTRACTION_FIELDS = ("spacy_model", "base_iri", "gazetteers", "batch_size", "min_confidence")


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    """How articles go to the cluster."""

    #: Articles per task: enough to amortise a task's round trip (a few ms) over
    #: seconds of parsing, few enough that a lost worker costs little.
    task_size: int = 8
    #: Batches out at a time; 0: two per worker thread, so each worker has its next
    #: batch waiting while this process stores the last one.
    max_in_flight: int = 0
    #: Times a task that raised is run again (a worker that dies is handled by the
    #: scheduler: its tasks go to the other workers).
    retries: int = 2


def connect(address: str, timeout: float = 10.0) -> Client:
    """A client of the scheduler at ``address``; one clear error when none answers."""
    try:  # checked first: a Client refused its address waits 20 s to close
        get_address_host_port(normalize_address(address))
    except ValueError as error:
        raise ConfigurationError(f"not a Dask scheduler address: {error}") from None
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ConfigurationError(f"no Dask scheduler answers at {address}: {reason}") from None


@contextmanager
def local_cluster(workers: int) -> Iterator[Client]:
    """``workers`` worker processes on this machine (one thread each), for one ingest."""
    if workers < 1:
        raise ConfigurationError(f"--workers must be at least 1, not {workers}")
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    try:
        with Client(cluster, set_as_default=False) as client:
            yield client
    finally:
        cluster.close()


def ingest_on_cluster(
    items: Iterable[Article | ReadProblem],
    settings: Settings,
    store: Store,
    client: Client,
    *,
    options: ClusterOptions | None = None,
    force: bool = False,
    window: MergeWindow | None = None,
    on_article: Callable[[Article], None] | None = None,
) -> IngestSummary:
    """What :func:`kg.ingest.ingest` does, with the extraction done by ``client``'s
    workers; the summary counts the same things."""
    options = options or ClusterOptions()
    summary = IngestSummary()
    minter = Minter(settings.base_iri)
    summary.triples_added += ensure_reference_graphs(store, settings.base_iri, window)
    # the gazetteer's names (a second of loading) are needed only when the first batch
    # comes back: read them while the workers extract it
    gazetteer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-gazetteer")
    known = gazetteer.submit(lambda: set(load_gazetteer(settings.gazetteers).surface_forms))
    gazetteer.shutdown(wait=False)
    fields = extraction_fields(settings)
    limit = options.max_in_flight or max(2, 2 * sum(client.nthreads().values()))
    merge_window = window or MergeWindow()
    in_flight: dict[Future, list[Article]] = {}
    finished = as_completed(loop=client.loop)  # futures in the order they finish
    before: int | None = None

    def store_next() -> None:
        nonlocal before
        future = next(finished)
        results, problems = _result(future, in_flight.pop(future))
        summary.problems.extend(problems)
        if before is None:
            before = store.count()  # a full scan on Oxigraph: once, not per batch
        store_extracted(results, store, minter, known.result(), merge_window, summary, on_article)

    unstored = _unstored(items, store, minter, force, summary, on_article)
    for batch in _batches(unstored, options.task_size):
        while len(in_flight) >= limit:
            store_next()
        future = client.submit(
            extract_batch,
            fields,
            batch,
            key=f"kg-extract-{uuid.uuid4().hex}",
            retries=options.retries,
        )
        in_flight[future] = batch
        finished.add(future)
    while in_flight:
        store_next()
    if before is not None:
        summary.triples_added += store.count() - before
    return summary


def extraction_fields(settings: Settings) -> dict[str, object]:
    """The settings sent with each task (gazetteer paths made absolute: a worker on this
    machine may run in another directory; one elsewhere needs the files at those paths)."""
    fields = {name: getattr(settings, name) for name in EXTRACTION_FIELDS}
    fields["gazetteers"] = [str(Path(path).resolve()) for path in settings.gazetteers]
    return fields


def extract_batch(
    fields: dict[str, object], articles: list[Article]
) -> tuple[list[ArticleEvents], list[ReadProblem]]:
    """Run on a worker: the events of each article, and a problem for each article the
    pipeline could not handle (the others are still extracted)."""
    extractor, lock = worker_extractor(fields)
    problems: list[ReadProblem] = []
    with lock:  # one pipeline per process; a worker with several threads takes turns
        results = list(extract_each(extractor, articles, problems))
    return results, problems


def load_on_workers(client: Client, settings: Settings) -> int:
    """Load the pipeline on every worker now rather than with its first batch (for a
    measurement of the steady state); returns the number of workers."""
    fields = extraction_fields(settings)
    futures = [
        client.submit(_load, fields, workers=[address], key=f"kg-load-{uuid.uuid4().hex}")
        for address in client.scheduler_info()["workers"]
    ]
    client.gather(futures)
    return len(futures)


def _load(fields: dict[str, object]) -> None:
    worker_extractor(fields)


_WORKER_EXTRACTORS: dict[tuple, tuple[RuleExtractor, threading.Lock]] = {}
_LOADING = threading.Lock()


def worker_extractor(fields: dict[str, object]) -> tuple[RuleExtractor, threading.Lock]:
    """The extractor for these settings, loaded once per worker process (loading the
    pipeline and the gazetteer takes seconds; a batch of articles about as long).
    One spaCy process each: the cluster's workers are the parallelism."""
    key = tuple((name, repr(fields[name])) for name in sorted(fields))
    with _LOADING:
        if key not in _WORKER_EXTRACTORS:
            settings = Settings(**fields, n_process=1)
            extractor = RuleExtractor.from_settings(settings)
            _WORKER_EXTRACTORS[key] = (extractor, threading.Lock())
        return _WORKER_EXTRACTORS[key]


def _unstored(
    items: Iterable[Article | ReadProblem],
    store: Store,
    minter: Minter,
    force: bool,
    summary: IngestSummary,
    on_article: Callable[[Article], None] | None,
) -> Iterator[Article]:
    """The articles to extract, read one at a time: problems and articles already stored
    are counted here, never sent."""
    for item in items:
        if isinstance(item, ReadProblem):
            summary.problems.append(item)
            continue
        summary.read += 1
        if not force and store.has_graph(str(minter.graph(item.id))):
            summary.already_stored += 1
            if on_article:
                on_article(item)
            continue
        yield item


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _result(future: Future, batch: list[Article]) -> tuple[list[ArticleEvents], list[ReadProblem]]:
    """The task's answer; a batch the cluster lost (its workers died too often, or the
    scheduler went away) stops the ingest in one line naming its articles. Every article
    stored so far stays stored, so a re-run resumes there. What the task itself raised
    comes here as it was raised on the worker."""
    try:
        return future.result()
    except (KilledWorker, CancelledError) as error:
        first, last = batch[0].origin or batch[0].id, batch[-1].origin or batch[-1].id
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise KGError(
            f"the Dask cluster could not extract the {len(batch)} articles {first} .. {last}: "
            f"{type(error).__name__}: {reason}"
        ) from error
