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

A store on disk keeps what was built in a snapshot beside it (:mod:`kg.network.snapshot`):
the build loads it when the store has not changed since, and :meth:`LiveGraph.save` writes
it again after a build or when the service stops.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from kg.graph.event_index import EventIndex
from kg.graph.store import Store
from kg.network.projection import ActorNetwork, NetworkFilter
from kg.network.snapshot import Snapshot, load_snapshot, save_snapshot

if TYPE_CHECKING:
    from kg.ingest import IngestSummary

__all__ = ["LiveActorNetwork", "LiveGraph"]

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Answers kept per version of the network (filtered views multiply them), and the bytes
#: that serialised answers (``bytes`` values: a hub's timeline is megabytes) may hold.
ANSWERS_KEPT = 64
ANSWER_BYTES = 64 * 2**20


class LiveActorNetwork:
    """The projection of one store, kept current while the store changes.

    Built once (in the background with :meth:`build_in_background`, or on first
    use); :meth:`events_changed` folds an ingest's new, merged or removed events
    in without a rebuild; :meth:`invalidate` forces one after arbitrary updates (SPARQL
    UPDATE). Readers and updates take turns through one lock, so nobody sees a
    half-updated graph. Filtered views are cached until the next change.
    """

    FILTERED_CACHE = 8

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._network: ActorNetwork | None = None
        self._filtered: dict[NetworkFilter, ActorNetwork] = {}
        self.version = 0

    def build_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self._current, name="actor-network", daemon=True)
        thread.start()
        return thread

    @contextmanager
    def reading(self, where: NetworkFilter | None = None) -> Iterator[ActorNetwork]:
        """The network (restricted by ``where``), held still while the caller reads."""
        where = where or NetworkFilter()
        with self._lock:
            network = self._current_locked()
            if not where.is_empty:
                if where not in self._filtered:
                    if len(self._filtered) >= self.FILTERED_CACHE:
                        self._filtered.pop(next(iter(self._filtered)))
                    self._filtered[where] = network.restrict(where)
                network = self._filtered[where]
            yield network

    def events_changed(
        self, removed: Iterable[str], written: Iterable[str], actors_touched: Iterable[str] = ()
    ) -> int:
        """Fold an ingest's or a removal's changes in (its ``events_removed`` and
        ``events_written``; ``actors_touched``: actors that may have lost their last event); returns
        edges added."""
        with self._lock:
            self._filtered.clear()
            self.version += 1
            if self._network is None:  # not built yet: the build will read them
                return 0
            return self._network.update_events(
                self.store, removed, written, actors_touched=actors_touched
            )

    def restore(self, network: ActorNetwork) -> None:
        """Take ``network`` (a snapshot's, :mod:`kg.network.snapshot`) as the projection."""
        with self._lock:
            self._network = network
            self._filtered.clear()
            self.version += 1

    @property
    def built(self) -> ActorNetwork | None:
        """The projection if it is built (None: not yet); for saving it."""
        return self._network

    def invalidate(self) -> None:
        """Forget the projection; the next reader rebuilds it from the store."""
        with self._lock:
            self._network = None
            self._filtered.clear()
            self.version += 1

    def _current(self) -> ActorNetwork:
        with self._lock:
            return self._current_locked()

    def _current_locked(self) -> ActorNetwork:
        if self._network is None:
            self._network = ActorNetwork.from_store(self.store)
        return self._network


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
        #: the store's ``writes`` that what is held reflects (None: not known, e.g. while
        #: building, or after a write nobody reported); a snapshot is saved only then
        self._synced_at: int | None = None
        self._saved_at: int | None = None  # ... and the ``writes`` of the snapshot on disk
        #: where the last build came from: "snapshot" or "store" (None: not built yet)
        self.built_from: str | None = None

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
        writes = _writes(self.store)
        try:
            if not self._restore(writes):
                self._build_from_store()
                self.built_from = "store"
            elif self._warm_answers_missing():  # warm them, and keep them next time
                self._saved_at = None
        except Exception:  # the routes build on first use and report the error then
            log.exception("building the in-memory graph failed")
            return
        if generation == self._generation:
            if writes is not None and writes == _writes(self.store):
                self._synced_at = writes
            if self._saved_at is None:  # built from the store: keep it for the next start
                self._save()
            self._built.set()

    def _restore(self, writes: int | None) -> bool:
        """Take the snapshot beside the store, if there is a true one."""
        snapshot = load_snapshot(self.store) if writes is not None else None
        if snapshot is None or _writes(self.store) != writes:
            return False  # none, or the store was written while it loaded
        self.network.restore(snapshot.network)
        with self._index_lock:
            self._index = snapshot.index
        with self._answers_lock:
            version = self.network.version
            self._answers = {(version, *key): value for key, value in snapshot.answers.items()}
        self._saved_at = writes
        self.built_from = "snapshot"
        log.info("loaded the served graph from its snapshot")
        return True

    def _warm_answers_missing(self) -> bool:
        known = len(self._answers)
        for warm in self._warm:
            warm(self)
        return len(self._answers) > known

    @classmethod
    def from_snapshot(cls, store: Store) -> LiveGraph | None:
        """The live graph of the snapshot beside ``store`` if there is a true one, for a
        writer that keeps it current (``kg ingest``: fold the changes in with
        :meth:`events_changed`, then :meth:`save`); load it before the first write."""
        live = cls(store)
        writes = _writes(store)
        if writes is None or not live._restore(writes):
            return None
        live._synced_at = writes
        live._built.set()
        return live

    def prepare(self) -> bool:
        """Build (or load) everything now, in this thread, and save the snapshot; for a
        writer that found none to keep current (``kg ingest`` into a new store), so that
        the next ``kg serve`` starts from it. Returns whether it is ready."""
        self._build(self._generation)
        return self.ready

    def fold_and_save(self, summary: IngestSummary) -> bool:
        """Fold an ingest's changes in and save the snapshot (see :meth:`from_snapshot`)."""
        self.events_changed(
            summary.events_removed, summary.events_written, triples_added=summary.triples_added
        )
        return self.save()

    @classmethod
    def after_ingest(cls, store: Store, taken: LiveGraph | None, summary: IngestSummary) -> None:
        """What ``kg ingest`` does for the next ``kg serve`` once it has stored: fold its
        changes into the snapshot it ``taken`` (:meth:`from_snapshot`) before its first
        write, or, when there was none, read the store once and save one."""
        if taken is not None:
            taken.fold_and_save(summary)
        elif summary.stored and getattr(store, "path", None) is not None:
            cls(store).prepare()

    def _build_from_store(self) -> None:
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

    def save(self) -> bool:
        """Save what is held beside the store (:mod:`kg.network.snapshot`) if it is
        built, reflects every write to the store, and differs from the snapshot there;
        returns whether it saved. ``kg serve`` calls it when it stops."""
        return self.ready and self._save()

    def _save(self) -> bool:
        synced = self._synced_at
        if synced is None or synced == self._saved_at:
            return False
        with self.network.reading() as network, self.index() as index, self._answers_lock:
            if self._synced_at != synced or _writes(self.store) != synced:
                return False
            version = self.network.version
            answers = {
                key[1:]: value
                for key, value in self._answers.items()
                if key[0] == version and key[1].is_empty
            }
            if not save_snapshot(self.store, Snapshot(network, index, answers), synced):
                return False
        self._saved_at = synced
        return True

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
        if self._synced_at is not None:
            self._synced_at = _writes(self.store)
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
        self._synced_at = None
        self.network.invalidate()
        with self._index_lock:
            self._index = None
        with self._answers_lock:
            self._answers.clear()
        return self.start()


def _writes(store: Store) -> int | None:
    """The writes ``store`` has begun (None: a store that does not count them)."""
    return getattr(store, "writes", None)
