"""Extraction in a process of its own: how ``kg serve`` keeps answering while it ingests.

Parsing and the dependency rules are CPU-bound Python. Run in a thread of the server they
hold the interpreter lock for most of an ingest (and spaCy's worker processes were forked
from the threaded server), so ``/health`` waited up to 160 ms during a 200-article
``POST /articles`` (issue 15; ``benchmarks/serve_while_ingesting.py``). Storing the
events stays in the server, which holds the store open for writing: it is the smaller
part (about 1.7 s of the 11 s that 200 Wikinews articles take).

``ExtractionProcess`` is an extractor (what :func:`kg.ingest.ingest` takes) whose work is
done in one child process (``spawn``: a fresh interpreter, never a fork of a server with
threads), started on first use; the child loads the pipeline once, from the settings it
is given, and keeps it between calls. ``extract(articles)`` sends the articles there and
yields each article's events, in order; an article the pipeline fails on raises its
error after the events of the articles before it, as the in-process extractor does, so
:func:`kg.ingest.extract_each` leaves out that article alone. spaCy's own worker
processes, for a batch of 16 articles or more, are forked from the child.

A child that dies (killed, out of memory) costs the call it was serving
(:class:`~kg.errors.ExtractionError`), takes spaCy's workers with it (the child leads a
process group of its own), and is replaced on the next call; a pipeline that cannot be
loaded raises the loader's own error (a wrong model name:
:class:`~kg.errors.ConfigurationError`). A child whose server is gone exits.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterable, Iterator
from functools import cached_property
from multiprocessing.connection import Connection, wait

from kg.actors.resolution import Gazetteer, load_gazetteer
from kg.errors import ExtractionError
from kg.extraction.extractor import ArticleEvents, RuleExtractor
from kg.graph.query_workers import main_module_hidden
from kg.models import Article
from kg.settings import Settings

__all__ = ["ExtractionProcess"]

#: What the child answers: the events of the articles up to the first one the pipeline
#: failed on, and that failure (None when every article was extracted).
Answer = tuple[list[ArticleEvents], Exception | None]
#: How often a waiting call checks that the child is still alive.
_POLL_SECONDS = 0.2


class ExtractionProcess:
    """An extractor whose pipeline runs in a child process, loaded from ``settings``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.base_iri = settings.base_iri
        self._lock = threading.Lock()  # one call at a time: the child has one pipeline
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self.started = 0  # child processes started so far (1, and one per replacement)

    @cached_property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer the child resolves actors with (ingest writes the actors it lacks)."""
        return load_gazetteer(self.settings.gazetteers)

    def extract(self, articles: Iterable[Article]) -> Iterator[ArticleEvents]:
        """Events of each article, in input order, extracted in the child. Blocks until
        the child answers: call it from a thread, not from an event loop."""
        results, error = self._call(list(articles))
        yield from results
        if error is not None:
            raise error

    def pid(self) -> int | None:
        """The child's process id, if it is running."""
        process = self._process
        return process.pid if process is not None and process.is_alive() else None

    def close(self) -> None:
        """Stop the child (a call under way is abandoned)."""
        self._stop()

    def __enter__(self) -> ExtractionProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _call(self, articles: list[Article]) -> Answer:
        with self._lock:
            conn, process = self._send(articles)
            try:
                # Polled, not awaited on the child's sentinel: spaCy's workers inherit
                # it (and the pipe), so neither closes when only the child dies.
                while not wait([conn], timeout=_POLL_SECONDS):
                    if not process.is_alive():
                        break
                else:
                    return conn.recv()
            except (EOFError, OSError):
                pass
            self._stop()
            raise ExtractionError(
                f"the extraction process died while extracting {len(articles)} "
                "article(s); a new one starts with the next request"
            )

    def _send(
        self, articles: list[Article]
    ) -> tuple[Connection, multiprocessing.process.BaseProcess]:
        """The articles sent to the child, started first if need be (and started again
        if it died while idle: killed, or taken by the kernel's out-of-memory killer)."""
        for _attempt in range(2):
            if self._process is None or not self._process.is_alive():
                self._start()
            assert self._conn is not None and self._process is not None
            try:
                self._conn.send(articles)
                return self._conn, self._process
            except OSError:  # BrokenPipeError: it died since
                self._stop()
        raise ExtractionError("the extraction process could not be started")

    def _start(self) -> None:
        self._stop()
        context = multiprocessing.get_context("spawn")  # never a fork of a threaded server
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_serve, args=(theirs, self.settings), name="kg-extraction"
        )  # not a daemon: daemons cannot have spaCy's workers; stopped at exit instead
        with main_module_hidden():
            process.start()
        theirs.close()
        self._process, self._conn = process, ours
        if not self.started:
            atexit.register(self._stop)
        self.started += 1

    def _stop(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()  # an idle child reads the end of its input and exits
        if process is None:
            return
        if process.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)  # the child and spaCy's workers
        process.join(timeout=5)


def _serve(conn: Connection, settings: Settings) -> None:
    """The child: extract each list of articles received until the server goes away."""
    os.setpgid(0, 0)  # a group of its own: stopping it stops spaCy's workers too
    if "fork" in multiprocessing.get_all_start_methods():
        # A spawned child inherits ``spawn`` as its default: spaCy's workers would each
        # start an interpreter and load the pipeline again (7.6 s for 30 articles
        # instead of 0.9 s). The child has no threads of its own to fork.
        multiprocessing.set_start_method("fork", force=True)
    extractor: RuleExtractor | None = None
    while True:
        try:
            articles = conn.recv()
        except (EOFError, OSError):  # the server closed the pipe or died
            return
        results: list[ArticleEvents] = []
        try:
            if extractor is None:
                extractor = RuleExtractor.from_settings(settings)
            for result in extractor.extract(articles):
                results.append(result)
            answer: Answer = (results, None)
        except Exception as error:
            answer = (results, error)
        try:
            conn.send(answer)
        except Exception as error:
            conn.send((results, ExtractionError(f"{type(error).__name__}: {error}")))
