"""Queries that can be stopped: worker processes over a read-only opening of the store.

pyoxigraph cannot cancel a query, and its recursive parser overflows the stack on a few
thousand nested groups, so a query the server evaluates itself can run on for minutes
after its client gave up, grow until the kernel kills the server, or crash it outright.
``QueryWorkers`` evaluates each query in a worker process instead:

- each worker opens the on-disk store with ``Store.read_only`` (no lock, so the server
  keeps its read-write opening for updates and ingest) and reopens it before a query
  when the store's write-ahead log or manifest changed since (a read-only opening sees
  the store as it was when opened);
- a query still running at its deadline (``QueryLimits.timeout``) gets its worker
  killed: ``QueryTimeout``;
- a worker may grow by ``QueryLimits.max_memory`` bytes of address space
  (``RLIMIT_AS`` on top of what it holds once the store is open); past that Oxigraph's
  allocator aborts the process, or Python raises MemoryError: ``QueryTooLarge``;
- a worker that dies of a segmentation fault (a stack overflow in the parser, the
  usual cause) gives ``QueryTooComplex``;
- a killed or dead worker is replaced at once (``forkserver`` start: a fork of a
  process that has already imported the evaluation code, so a few milliseconds);
- a query waits for a free worker within its own deadline, else ``ServerBusy``.

The function a worker runs is passed by reference (``function(store, *args)``; it must
be importable by name, from a module other than ``__main__``) with picklable arguments;
its value or exception comes back.
``preload`` names the modules the workers import once, before any fork. In-memory
stores cannot be opened by another process: callers evaluate those themselves.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from kg.errors import (
    QueryError,
    QueryTimeout,
    QueryTooComplex,
    QueryTooLarge,
    ServerBusy,
    StoreError,
)

try:  # POSIX only; elsewhere workers run without a memory limit
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

__all__ = ["QueryLimits", "QueryWorkers", "default_workers", "main_module_hidden"]

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Signals that mean "out of memory": Rust's allocator aborts, the kernel's OOM killer kills.
_MEMORY_SIGNALS = {signal.SIGABRT, signal.SIGKILL}
#: Read-only openings tried before giving up (each waits a little longer).
_OPEN_ATTEMPTS = 8
#: Held while a worker starts, with ``sys.modules["__main__"]`` swapped for a stand-in.
_MAIN_SWAP = threading.Lock()
#: Below this much time left, a freshly acquired worker is not worth starting a query on.
_MIN_SECONDS = 0.05


@contextmanager
def main_module_hidden() -> Iterator[None]:
    """Processes started meanwhile do not import the main module again, as ``spawn`` and
    ``forkserver`` children otherwise do (for `kg serve`, the whole command line:
    seconds; for a script without an ``if __name__ == "__main__"`` guard, the script)."""
    with _MAIN_SWAP:  # one start at a time, or two could leave the stand-in behind
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


def default_workers() -> int:
    """Workers when the settings say 0: one a core (at least two), and two more, so that
    light queries still find a process while two heavy ones run to their limit."""
    return max(2, os.cpu_count() or 2) + 2


@dataclass(frozen=True)
class QueryLimits:
    """How long a query may run and how much memory its worker may add while it does."""

    timeout: float
    max_memory: int


class QueryWorkers:
    """A pool of killable query processes over the on-disk store at ``path``."""

    def __init__(
        self,
        path: Path,
        limits: QueryLimits,
        size: int | None = None,
        preload: Sequence[str] = (),
    ) -> None:
        self.path, self.limits = Path(path), limits
        self.size = size or default_workers()
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context(
            "forkserver" if "forkserver" in methods else "spawn"
        )
        if self._context.get_start_method() == "forkserver":
            self._context.set_forkserver_preload([__name__, *preload])
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._closed = False
        self.replaced = 0  # workers killed or found dead, and started again
        #: Set once every worker of the first round has opened the store (or failed to).
        self.all_started = threading.Event()
        # Started in the background (the fork server imports ``preload`` first, which
        # takes seconds): the server answers meanwhile, and queries wait for a worker.
        threading.Thread(target=self._start_all, name="kg-query-workers", daemon=True).start()

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return sorted(w.process.pid for w in self._workers if w.process.pid is not None)

    def run(
        self,
        function: Callable[..., T],
        *args: Any,
        deadline: float | None = None,
    ) -> T:
        """``function(store, *args)`` in a worker, by ``deadline`` (``time.monotonic()``;
        default: the time limit from now). Blocks: call it from a thread."""
        if deadline is None:
            deadline = time.monotonic() + self.limits.timeout
        worker = self._acquire(deadline)
        healthy = False
        try:
            if not worker.started(deadline, self.limits):  # still opening the store: keep it
                healthy = True
                raise ServerBusy("the server's query processes are starting; try again")
            outcome, value = worker.call(function, args, deadline, self.limits)
            healthy = True
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                self._replace(worker)
        if outcome == "raised":
            raise value
        return value

    def close(self) -> None:
        """Stop every worker (idle ones exit, busy ones are killed)."""
        with self._lock:
            self._closed = True
            workers, self._workers = list(self._workers), set()
        for worker in workers:
            worker.stop()

    def __enter__(self) -> QueryWorkers:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _start_all(self) -> None:
        try:
            for _ in range(self.size):
                worker = self._start()
                try:  # wait for it to open the store: then the server is ready to serve
                    worker.started(time.monotonic() + 120, self.limits)
                except (QueryError, StoreError, OSError):  # OSError: closed meanwhile
                    if self._closed:
                        return
                    self._replace(worker)  # a query meets the new one's error, if any
                    continue
                self._idle.put(worker)
        except ServerBusy:  # closed while starting
            return
        finally:
            self.all_started.set()

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_serve,
            args=(theirs, str(self.path), self.limits.max_memory),
            name="kg-query-worker",
            daemon=True,
        )
        with main_module_hidden():
            process.start()
        theirs.close()
        worker = _Worker(process, ours)
        with self._lock:
            if self._closed:
                worker.stop()
                raise ServerBusy("the server is shutting down")
            self._workers.add(worker)
        return worker

    def _acquire(self, deadline: float) -> _Worker:
        while True:
            remaining = deadline - time.monotonic()
            try:
                worker = self._idle.get(timeout=max(remaining, 0.0))
            except queue.Empty:
                worker = None
            if worker is None or deadline - time.monotonic() < _MIN_SECONDS:
                if worker is not None:
                    self._idle.put(worker)
                raise ServerBusy(
                    f"the server is busy with {self.size} other queries; try again later"
                )
            if worker.process.is_alive():
                return worker
            self._replace(worker)  # died while idle (the OOM killer, say): use another

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._workers.discard(worker)
            if self._closed:
                return
            self.replaced += 1
        self._idle.put(self._start())


class _Worker:
    """The server's side of one worker process: its handle and its end of the pipe."""

    def __init__(self, process: multiprocessing.process.BaseProcess, conn: Connection) -> None:
        self.process, self.conn = process, conn
        self.ready = False

    def call(
        self, function: Callable[..., Any], args: tuple, deadline: float, limits: QueryLimits
    ) -> tuple[str, Any]:
        """Send one call and wait for its outcome (``ok`` or ``raised``) until ``deadline``;
        raise QueryTimeout, QueryTooLarge or QueryTooComplex when the worker must go."""
        try:
            self.conn.send((function, args))
        except (BrokenPipeError, ConnectionResetError):
            raise self._died(limits) from None
        self._wait(deadline, limits)
        try:
            outcome, value = self.conn.recv()
        except EOFError:
            raise self._died(limits) from None
        if outcome == "memory":
            raise QueryTooLarge(_too_large(limits))
        return outcome, value

    def started(self, deadline: float, limits: QueryLimits) -> bool:
        """Whether the worker has opened the store, waiting for it until ``deadline``
        (False: not yet; a slow start is no reason to kill it)."""
        if self.ready:
            return True
        if not self.conn.poll(max(deadline - time.monotonic(), 0.0)):
            return False
        try:
            kind, detail = self.conn.recv()
        except EOFError:
            raise self._died(limits) from None
        if kind != "ready":
            raise StoreError(detail)
        self.ready = True
        return True

    def _wait(self, deadline: float, limits: QueryLimits) -> None:
        if not self.conn.poll(max(deadline - time.monotonic(), 0.0)):
            self.stop()
            log.warning("query worker %s killed: over the time limit", self.process.pid)
            raise QueryTimeout(
                f"the query ran longer than this server's limit of {limits.timeout:g} s; "
                "narrow it (a more selective pattern, or a LIMIT)"
            )

    def _died(self, limits: QueryLimits) -> Exception:
        """The error for a worker that exited on its own, by how it died."""
        self.process.join(timeout=5)
        code = self.process.exitcode
        log.warning("query worker %s died (exit status %s)", self.process.pid, code)
        if code is not None and code < 0 and -code in _MEMORY_SIGNALS:
            return QueryTooLarge(_too_large(limits))
        if code is None or code >= 0:  # not a crash: it stopped (its error is in the log)
            return QueryError(f"the query process stopped unexpectedly (status {code}); retry")
        return QueryTooComplex(
            f"the query crashed the process that evaluated it (signal "
            f"{signal.Signals(-code).name}); this happens when "
            "it nests too deeply for the parser (thousands of nested groups, OPTIONALs, "
            "parentheses, UNION branches or path steps): simplify it"
        )

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def _too_large(limits: QueryLimits) -> str:
    return (
        f"the query needed more memory than this server's limit of "
        f"{limits.max_memory / 2**20:,.0f} MiB; narrow it (joins without shared variables "
        "and ORDER BY over large results are the usual cause)"
    )


# -- in the worker process ---------------------------------------------------------------


def _serve(conn: Connection, path: str, max_memory: int) -> None:
    """A worker's life: open the store, then run calls until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    try:
        store, seen = _open(path)
    except StoreError as error:
        conn.send(("failed", str(error)))
        return
    _limit_memory(max_memory)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        function, args = message
        try:
            if _state(path) != seen:  # written since we opened it: see the writes
                del store
                store, seen = _open(path)
            result = _call(function, store, args)
            if result[0] == "raised" and _state(path) != seen:
                # The store changed under the query (a read-only opening does not follow
                # compactions): once more on a fresh opening.
                del store
                store, seen = _open(path)
                result = _call(function, store, args)
        except StoreError as error:
            conn.send(("raised", error))
            return  # without a store this worker is no use: the server starts another
        try:
            conn.send(result)
        except (TypeError, AttributeError, ValueError) as error:  # an unpicklable error
            conn.send(("raised", RuntimeError(f"{result[1]!r} ({error})")))


def _call(function: Callable[..., Any], store: ox.Store, args: tuple) -> tuple[str, Any]:
    try:
        return "ok", function(store, *args)
    except MemoryError:
        return "memory", None
    except Exception as error:  # passed back, and raised in the caller
        return "raised", error


def _open(path: str) -> tuple[ox.Store, tuple]:
    """A read-only opening and the state of the files it saw. Retried: a primary that
    flushes or compacts meanwhile can delete a file the opening was about to read
    (RocksDB then reports "Corruption", which pyoxigraph raises as RuntimeError)."""
    for attempt in range(_OPEN_ATTEMPTS):
        seen = _state(path)
        try:
            return ox.Store.read_only(path), seen
        except (OSError, RuntimeError) as error:
            if attempt == _OPEN_ATTEMPTS - 1:
                raise StoreError(f"cannot open the store at {path} read-only: {error}") from None
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


def _state(path: str) -> tuple:
    """What changes whenever the primary writes: its write-ahead logs and manifest."""
    try:
        entries = list(os.scandir(path))
    except OSError:
        return ()
    state = []
    for entry in entries:
        if entry.name.endswith(".log") or entry.name.startswith(("MANIFEST", "CURRENT")):
            try:
                state.append((entry.name, entry.stat().st_size))
            except OSError:
                continue
    return tuple(sorted(state))


def _limit_memory(max_memory: int) -> None:
    """Let this process's address space grow by ``max_memory`` bytes from here."""
    if resource is None:
        return
    try:
        with open("/proc/self/status") as status:
            size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize"))
    except (OSError, StopIteration):
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = size + max_memory
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
