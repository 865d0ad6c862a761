"""Everything a served store keeps in memory, kept current together.

:class:`LiveGraph` holds the actor network (:class:`~kg.network.projection.LiveActorNetwork`),
the event index (:class:`~kg.graph.event_index.EventIndex`: counts and per-actor
aggregates) and the answers computed from them (centrality, communities), which
depend only on the network and a filter and so are kept until the next change.

It is built once, in a background thread started with :meth:`LiveGraph.start` (the
server answers ``/health`` meanwhile; :attr:`LiveGraph.ready` says when it is done),
and updated in place from what an ingest or a removal reports
(:meth:`LiveGraph.events_changed`); after an arbitrary change (a SPARQL update)
:meth:`LiveGraph.invalidate` throws it away and builds it again in the background.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from kg.graph.event_index import EventIndex
from kg.graph.store import Store
from kg.network.projection import LiveActorNetwork, NetworkFilter

__all__ = ["LiveGraph"]

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Answers kept per version of the network (filtered views multiply them), and the bytes
#: that serialised answers (``bytes`` values: a hub's timeline is megabytes) may hold.
ANSWERS_KEPT = 64
ANSWER_BYTES = 64 * 2**20


class LiveGraph:
    """The network, the event index and the answers derived from them, for one store."""

    def __init__(self, store: Store, warm: Iterable[Callable[[LiveGraph], object]] = ()) -> None:
        self.store = store
        self.network = LiveActorNetwork(store)
        self._warm = list(warm)  # answers computed while building, before ready
        self._index: EventIndex | None = None
        self._index_lock = threading.Lock()
        self._answers: dict[Hashable, object] = {}
        self._answers_lock = threading.Lock()
        self._built = threading.Event()
        self._generation = 0  # changes when invalidated: a stale build does not say ready

    @property
    def ready(self) -> bool:
        """Whether the network, the index and the warmed answers are built."""
        return self._built.is_set()

    def start(self) -> threading.Thread:
        """Build everything in a background thread."""
        generation = self._generation
        thread = threading.Thread(
            target=self._build, args=(generation,), name="live-graph", daemon=True
        )
        thread.start()
        return thread

    def _build(self, generation: int) -> None:
        try:
            # the network and the index each read every event: read them side by side
            # (Oxigraph evaluates each query outside the GIL; 25% less time at 3M triples)
            index = threading.Thread(target=self._build_index, name="live-index", daemon=True)
            index.start()
            with self.network.reading():
                pass  # builds the projection if it is not built
            index.join()
            with self.index():
                pass  # built by the thread, unless it failed: then here, raising
            for warm in self._warm:
                warm(self)
        except Exception:  # the routes build on first use and report the error then
            log.exception("building the in-memory graph failed")
            return
        if generation == self._generation:
            self._built.set()

    def _build_index(self) -> None:
        try:
            with self.index():
                pass
        except Exception:  # reported when the build asks for it again
            log.debug("building the event index failed", exc_info=True)

    @contextmanager
    def index(self) -> Iterator[EventIndex]:
        """The event index (built on first use), held still while the caller reads."""
        with self._index_lock:
            if self._index is None:
                self._index = EventIndex.from_store(self.store)
            yield self._index

    def answer(self, key: Hashable, where: NetworkFilter, compute: Callable[[], T]) -> T:
        """``compute()``, remembered under ``key`` and ``where`` until the network changes
        (the oldest answers go first past :data:`ANSWERS_KEPT` or :data:`ANSWER_BYTES`)."""
        full = (self.network.version, where, key)
        with self._answers_lock:
            if full in self._answers:
                return self._answers[full]  # type: ignore[return-value]
            value = compute()
            self._answers[full] = value
            while len(self._answers) > 1 and (
                len(self._answers) > ANSWERS_KEPT or self._bytes_kept() > ANSWER_BYTES
            ):
                self._answers.pop(next(iter(self._answers)))
            return value

    def _bytes_kept(self) -> int:
        return sum(len(v) for v in self._answers.values() if isinstance(v, bytes))

    def events_changed(
        self,
        removed: Iterable[str],
        written: Iterable[str],
        actors_touched: Iterable[str] = (),
        triples_added: int | None = None,
    ) -> None:
        """Fold an ingest's or a removal's changes in: ``events_removed`` and
        ``events_written``, the actors that may have lost their last event, and the
        triples added (None: count the store again)."""
        removed, written = set(removed), set(written)
        self.network.events_changed(removed, written, actors_touched)
        with self._index_lock:
            if self._index is not None:
                self._index.update_events(self.store, removed, written, triples_added)
        with self._answers_lock:
            self._answers.clear()

    def invalidate(self) -> threading.Thread:
        """Forget everything (after a change nobody described) and build it again."""
        self._generation += 1
        self._built.clear()
        self.network.invalidate()
        with self._index_lock:
            self._index = None
        with self._answers_lock:
            self._answers.clear()
        return self.start()
