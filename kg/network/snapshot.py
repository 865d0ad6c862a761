"""The served graph kept beside its store, so that a restart does not build it again.

Building the actor network and the event index reads every event of the store (33 s at
10M triples on 2 cores); loading them back from a file takes a fraction of that. The
snapshot lives in the on-disk store's directory (``kg-served-graph.pickle``, one of
:data:`kg.graph.store.DERIVED_FILES`) and is true only while the store has not been
written since it was saved: every write through
:class:`~kg.graph.store.OxigraphGraphStore` deletes it before the write can commit, so a
crash never leaves a stale one behind. Writers that know what they changed (``kg serve``
and ``kg ingest``) take the snapshot first, fold their changes in and save it again.

The file is a pickle: it is as trusted as the store it sits in (anyone who can write
there can change the graph itself). One written by other code (another version of the
modules whose objects it holds) is ignored.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path

from kg.graph import event_index, queries
from kg.graph.event_index import EventIndex
from kg.graph.store import Store
from kg.network import projection
from kg.network.projection import ActorNetwork

__all__ = ["SNAPSHOT_FILE", "Snapshot", "load_snapshot", "save_snapshot", "snapshot_path"]

log = logging.getLogger(__name__)

SNAPSHOT_FILE = "kg-served-graph.pickle"
#: Changes when what is saved changes; the code of the modules whose objects are
#: pickled is checked too (:func:`_code_key`), so an upgrade never loads an old layout.
FORMAT = 1


@functools.cache
def _code_key() -> str:
    digest = hashlib.sha256()
    for module in (projection, event_index, queries):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()


@dataclass
class Snapshot:
    """What a served store keeps in memory: the network, the index, and the answers
    computed over the whole network (centralities, communities) by key."""

    network: ActorNetwork
    index: EventIndex
    answers: dict[Hashable, object] = field(default_factory=dict)


def snapshot_path(store: Store) -> Path | None:
    """Where ``store``'s snapshot lives (None: a store in memory or on a server)."""
    path = getattr(store, "path", None)
    return path / SNAPSHOT_FILE if isinstance(path, Path) else None


def load_snapshot(store: Store) -> Snapshot | None:
    """The snapshot saved beside ``store``, if there is one this version can read."""
    path = snapshot_path(store)
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as file:
            header = pickle.load(file)
            if header != (FORMAT, _code_key()):
                log.info("ignoring %s: written by other code", path)
                return None
            snapshot = pickle.load(file)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError) as error:
        log.warning("ignoring the served graph's snapshot %s: %s", path, error)
        return None
    return snapshot if isinstance(snapshot, Snapshot) else None


def save_snapshot(store: Store, snapshot: Snapshot, writes_seen: int) -> bool:
    """Save ``snapshot`` beside ``store`` if the store has had no write since
    ``writes_seen`` (its ``writes`` when the snapshot's state was last brought up to
    date); returns whether it was saved. Failures are logged, never raised: the
    snapshot only saves time."""
    path = snapshot_path(store)
    if path is None or not hasattr(store, "keep_derived"):
        return False
    handle, name = tempfile.mkstemp(prefix=".snapshot-", dir=path.parent)
    written = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            pickle.dump((FORMAT, _code_key()), file, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(snapshot, file, protocol=pickle.HIGHEST_PROTOCOL)
        return store.keep_derived(SNAPSHOT_FILE, written, writes_seen)
    except Exception as error:  # never fail the ingest or the service for a cache
        written.unlink(missing_ok=True)
        log.warning("could not save the served graph's snapshot at %s: %s", path, error)
        return False
