"""Where the graph lives: one interface over Oxigraph (on disk or in memory) and
remote SPARQL 1.1 servers.

rdflib stays the RDF API (``Store.dataset`` is an rdflib ``Dataset``), but the hot
paths go to Oxigraph's own engine: SPARQL queries, bulk loads and dumps run in
Rust without building rdflib terms (DESIGN: rdflib's parser, serialiser and
query engine are several times slower). Stores are chosen by a spec string
(DESIGN's ``--store`` contract): a directory, ``memory``, or an ``http(s)://`` URL.
"""

from __future__ import annotations

import errno
import os
import re
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph

from kg.errors import ConfigurationError, StoreError

if TYPE_CHECKING:
    from kg.graph.server_store import SparqlServerStore

__all__ = [
    "FORMATS",
    "WRITE_WHILE_HELD",
    "OxigraphGraphStore",
    "SparqlServerStore",
    "Store",
    "kg_server_sparql",
    "open_store",
]

#: Serialisation formats by the names the CLI uses.
FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}
#: Prefixes written in Turtle and TriG output.
PREFIXES = {
    "kgo": "https://w3id.org/kg-geo/ontology#",
    "actor": "https://w3id.org/kg-geo/actor/",
    "cameo": "https://w3id.org/kg-geo/cameo/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
}
#: Files in an on-disk store's directory derived from its content (the served graph's
#: snapshot, :mod:`kg.network.snapshot`): deleted before the first write after they were
#: kept, so none outlives a change of the store.
DERIVED_FILES = ("kg-served-graph.pickle",)
_DATASET_CLAUSE = re.compile(r"\bFROM\s+(NAMED\s+)?(<|[A-Za-z_][\w-]*:)", re.IGNORECASE)
_SUFFIXES = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "rdfxml",
    ".owl": "rdfxml",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}


class Store(Protocol):
    """What the rest of kg needs from a store; backends declare the rest."""

    spec: str

    def has_graph(self, graph: str) -> bool: ...

    def add_graph(self, graph: Graph) -> int: ...

    def add_graphs(self, graphs: Iterable[Graph]) -> int: ...

    #: Articles ingest writes together (1: one transaction per article).
    article_batch: int

    def update_then_add(self, sparql: str, graphs: list[Graph]) -> None: ...

    def update(self, sparql: str) -> None: ...

    def load(self, path: Path, fmt: str | None = None, graph: str | None = None) -> None: ...

    def select(self, sparql: str) -> list[dict[str, str | None]]: ...

    def ask(self, sparql: str) -> bool: ...

    def dump(self, out: IO[bytes], fmt: str) -> None: ...

    def count(self) -> int: ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...


def format_of(name: str | None, path: Path | None = None) -> str:
    """A known format name, from ``name`` or else from the file's suffix."""
    if name is None and path is not None:
        name = _SUFFIXES.get(path.suffix.lower())
    if name not in FORMATS:
        known = ", ".join(FORMATS)
        raise ConfigurationError(f"unknown RDF format {name!r}; choose one of: {known}")
    return name


class OxigraphGraphStore:
    """Embedded Oxigraph: on disk (``path``) or in memory (``path=None``).

    One process at a time holds an on-disk store for writing (RocksDB's lock). A
    process that only reads (``shared_read``) opens it read-only instead while another
    one holds it, e.g. the CLI's read commands while ``kg serve`` runs: it then sees
    the store as it was when opened (Oxigraph replays the holder's write-ahead log, so
    every committed write is in), and refuses writes with a StoreError.
    """

    def __init__(
        self, path: Path | None = None, *, create: bool = True, shared_read: bool = False
    ) -> None:
        """Open the store at ``path``; without ``create``, only one that exists
        (read commands must not leave an empty store behind a misspelt path); with
        ``shared_read``, read-only when another process holds it."""
        self.spec = str(path) if path is not None else "memory"
        self.path = path
        self.read_only = False
        #: writes begun through this object (derived files are kept only if none came since)
        self.writes = 0
        self._derived_lock = threading.Lock()
        self._derived_may_exist = path is not None
        if path is not None and not create:
            _check_existing(path)
        try:
            if path is None:
                self._store = ox.Store()
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as error:
            if not (shared_read and path is not None and _is_locked(error)):
                raise _store_error("cannot open the store at", self.spec, error) from error
            self._store = _open_read_only(path)
            self.read_only = True

    @property
    def oxigraph(self) -> ox.Store:
        """The Oxigraph store itself, for code that needs its native API."""
        return self._store

    @property
    def dataset(self) -> Dataset:
        """An rdflib view of the same data (rdflib is the RDF API; queries go native)."""
        return Dataset(store=OxigraphStore(store=self._store))

    def __enter__(self):
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def has_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph))

    def add_graph(self, graph: Graph) -> int:
        """Add ``graph`` as one named graph in one transaction; returns triples added."""
        return self.add_graphs([graph])

    def add_graphs(self, graphs: Iterable[Graph]) -> int:
        """Add named graphs in one transaction (all or nothing); returns triples added."""
        self.will_write()
        quads = []
        for graph in graphs:
            name = ox.NamedNode(str(graph.identifier))
            quads.extend(ox.Quad(_ox(s), _ox(p), _ox(o), name) for s, p, o in graph)
        before = len(self._store)
        try:
            self._store.extend(quads)
        except OSError as error:
            raise _store_error("cannot write to the store at", self.spec, error) from error
        return len(self._store) - before

    #: Ingest writes one article per transaction here (see SparqlServerStore's batches).
    article_batch = 1

    def update_then_add(self, sparql: str, graphs: list[Graph]) -> None:
        """Run ``sparql`` and add ``graphs`` in one transaction (one SPARQL update)."""
        blocks = []
        for graph in graphs:
            if len(graph):
                triples = "\n".join(" ".join(t.n3() for t in triple) + " ." for triple in graph)
                blocks.append(f"GRAPH {graph.identifier.n3()} {{\n{triples}\n}}")
        data = f" ;\nINSERT DATA {{ {' '.join(blocks)} }}" if blocks else ""
        self.update(sparql + data)

    def update(self, sparql: str) -> None:
        """Run a SPARQL update; all its operations apply together or not at all."""
        self.will_write()
        try:
            self._store.update(sparql)
        except SyntaxError as error:
            raise StoreError(f"update failed: {error}") from error
        except OSError as error:
            raise _store_error("update failed at", self.spec, error) from error

    def load(self, path: Path, fmt: str | None = None, graph: str | None = None) -> None:
        """Load a file with Oxigraph's loader (into ``graph`` for triple formats)."""
        fmt = format_of(fmt, path)
        self.will_write()
        target = ox.NamedNode(graph) if graph else None
        try:
            self._store.bulk_load(path=str(path), format=FORMATS[fmt], to_graph=target)
        except (SyntaxError, ValueError, OSError) as error:
            raise StoreError(f"cannot load {path}: {error}") from error

    def query(self, sparql: str) -> ox.QueryResults:
        """Evaluate ``sparql``; without FROM, the default graph is the union of all graphs."""
        union = not _DATASET_CLAUSE.search(sparql)  # a query's own FROM wins
        try:
            return self._store.query(sparql, use_default_graph_as_union=union)
        except SyntaxError as error:
            raise StoreError(f"SPARQL syntax error: {error}") from error

    def select(self, sparql: str) -> list[dict[str, str | None]]:
        """Rows of a SELECT as plain strings (``None`` where a variable is unbound)."""
        results = self.query(sparql)
        if not isinstance(results, ox.QuerySolutions):
            raise StoreError("expected a SELECT query")
        names = [v.value for v in results.variables]
        # By position, not by name: pyoxigraph's lookup by variable name is slow.
        return [
            dict(zip(names, [t.value if t is not None else None for t in s], strict=True))
            for s in results
        ]

    def ask(self, sparql: str) -> bool:
        results = self.query(sparql)
        if not isinstance(results, ox.QueryBoolean):
            raise StoreError("expected an ASK query")
        return bool(results)

    def dump(self, out: IO[bytes], fmt: str) -> None:
        """Write the whole dataset; triple formats get the union of all graphs."""
        fmt = format_of(fmt)
        rdf_format = FORMATS[fmt]
        prefixes = PREFIXES if fmt in ("turtle", "trig") else None
        if rdf_format.supports_datasets:
            quads = self._store.quads_for_pattern(None, None, None, None)
            ox.serialize(quads, out, rdf_format, prefixes=prefixes)
            return
        ox.serialize(self._union_triples(), out, rdf_format, prefixes=prefixes)

    def _union_triples(self) -> Iterator[ox.Triple]:
        """Each triple of the union of all graphs once, in bounded memory (a set of every
        triple written grew to 1.9 GB at 4M triples). The store yields its quads graph
        by graph; a fixed bit table of triple hashes flags a triple that may have been
        seen, and only then the store's index tells whether a graph already passed
        holds it."""
        store = self._store
        bits = bytearray(_SEEN_BITS // 8)
        passed: dict[object, int] = {}  # graph -> the order it came in
        for quad in store.quads_for_pattern(None, None, None, None):
            order = passed.setdefault(quad.graph_name, len(passed))
            key = hash((quad.subject, quad.predicate, quad.object)) % _SEEN_BITS
            if bits[key >> 3] & (1 << (key & 7)):
                holders = store.quads_for_pattern(quad.subject, quad.predicate, quad.object)
                if any(passed.get(other.graph_name, order) < order for other in holders):
                    continue  # written with a graph already passed
            bits[key >> 3] |= 1 << (key & 7)
            yield ox.Triple(quad.subject, quad.predicate, quad.object)

    def count(self) -> int:
        return len(self._store)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def flush(self) -> None:
        if self.spec != "memory" and not self.read_only:
            try:
                self._store.flush()
            except OSError as error:
                raise _store_error("cannot write to the store at", self.spec, error) from error

    def close(self) -> None:
        """Flush and release the store (on disk, its lock) even if called twice."""
        store = self.__dict__.pop("_store", None)
        if store is not None and self.spec != "memory" and not self.read_only:
            try:
                store.flush()
            except OSError as error:
                raise _store_error("cannot write to the store at", self.spec, error) from error

    def will_write(self) -> None:
        """Say a write is coming (every write method does; code writing through
        :attr:`oxigraph` must too): refuses on a read-only store, and deletes the files
        derived from the store's content before the write can commit."""
        if self.read_only:
            raise StoreError(
                f"the store {self.spec} is open read-only: another process (a running "
                f"'kg serve'?) holds it; {WRITE_WHILE_HELD}"
            )
        with self._derived_lock:
            self.writes += 1
            if self._derived_may_exist and self.path is not None:
                for name in DERIVED_FILES:
                    (self.path / name).unlink(missing_ok=True)
            self._derived_may_exist = False

    def keep_derived(self, name: str, written: Path, writes_seen: int) -> bool:
        """Move ``written`` (a file in the store's directory) to its place as the
        derived file ``name`` if the store has had no write since ``writes_seen``
        (:attr:`writes`); otherwise delete it. Returns whether it was kept."""
        if (
            name not in DERIVED_FILES
            or self.path is None
            or written.resolve().parent != self.path.resolve()
        ):
            raise ValueError(f"{name!r} at {written} is not a derived file of {self.spec}")
        with self._derived_lock:
            if self.writes != writes_seen or self.read_only:
                written.unlink(missing_ok=True)
                return False
            os.replace(written, self.path / name)
            self._derived_may_exist = True
            return True

    def _graph_size(self, name: ox.NamedNode) -> int:
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, name))


#: How to write to a store that a running server holds (the end of a one-line error).
WRITE_WHILE_HELD = (
    "stop that process, or, if it is 'kg serve', write through it: "
    "--store http://HOST:PORT/ (the server's address) with KG_UPDATE_TOKEN set to its token"
)
_READ_ONLY_ATTEMPTS = 5


def _open_read_only(path: Path) -> ox.Store:
    """A read-only opening, retried: the holder compacting meanwhile can delete a file
    the opening was about to read (RocksDB's "Corruption", a RuntimeError here)."""
    for attempt in range(_READ_ONLY_ATTEMPTS):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as error:
            if attempt == _READ_ONLY_ATTEMPTS - 1:
                text = " ".join(str(error).split())
                raise StoreError(
                    f"cannot open the store at {path}: another process holds it, and "
                    f"reading it beside that process failed ({text})"
                ) from error
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _is_locked(error: OSError) -> bool:
    """RocksDB's "While lock file: .../LOCK: Resource temporarily unavailable"."""
    text = str(error).lower()
    return "lock" in text and ("temporarily unavailable" in text or "resource busy" in text)


def open_store(
    spec: str, *, create: bool = True, shared_read: bool = False, token: str | None = None
) -> Store:
    """The store a ``--store`` spec names: a directory, ``memory`` or a SPARQL URL.

    With ``create=False`` (the CLI's read commands) a directory must already hold a
    store: a misspelt path is a StoreError, never a new empty store. With
    ``shared_read`` (commands that only read) a directory another process holds (a
    running ``kg serve``) is opened read-only. The address of a ``kg serve``
    (``http://HOST:PORT/``, no path) stands for its SPARQL endpoint, ``/sparql``, and
    gets ``token`` (its KG_UPDATE_TOKEN) with every request.
    """
    if spec == "memory":
        return OxigraphGraphStore(None)
    if spec.startswith(("http://", "https://")):
        from kg.graph.server_store import SparqlServerStore

        endpoint = kg_server_sparql(spec)
        return SparqlServerStore(endpoint, token=token) if endpoint else SparqlServerStore(spec)
    path = Path(spec).expanduser()
    if path.exists() and not path.is_dir():
        raise ConfigurationError(f"--store {spec}: not a directory, 'memory' or an http(s) URL")
    return OxigraphGraphStore(path, create=create, shared_read=shared_read)


def kg_server_sparql(spec: str) -> str | None:
    """The SPARQL endpoint of the ``kg serve`` at ``spec`` when it is a server's
    address (an http(s) URL without a path), else None."""
    parts = urllib.parse.urlsplit(spec)
    server = parts.netloc and parts.path in ("", "/") and not (parts.query or parts.fragment)
    return f"{parts.scheme}://{parts.netloc}/sparql" if server else None


def _check_existing(path: Path) -> None:
    """Refuse a path that holds no Oxigraph store (RocksDB names its live files in CURRENT)."""
    if not path.exists():
        raise StoreError(f"no store at {path} (only 'kg ingest' and 'kg import' create one)")
    try:
        is_store = (path / "CURRENT").is_file()
    except OSError as error:
        raise _store_error("cannot open the store at", str(path), error) from error
    if not is_store:
        raise StoreError(f"{path} is not a kg store (no Oxigraph database in it)")


def _store_error(action: str, spec: str, error: OSError) -> StoreError:
    """One line a user can act on, from the errors Oxigraph passes on from RocksDB."""
    text = " ".join(str(error).split())
    lowered = text.lower()
    if error.errno == errno.ENOSPC or "no space left" in lowered:
        return StoreError(f"{action} {spec}: the disk is full ({text})")
    if error.errno == errno.EFBIG or "file too large" in lowered:
        return StoreError(f"{action} {spec}: a file reached its size limit ({text})")
    if _is_locked(error):
        return StoreError(
            f"{action} {spec}: another process has it open (a running 'kg serve' or "
            f"'kg ingest'?); {WRITE_WHILE_HELD}"
        )
    if error.errno == errno.EACCES or "permission denied" in lowered:
        return StoreError(f"{action} {spec}: permission denied ({text})")
    return StoreError(f"{action} {spec}: {text}")


def _ox(term):  # rdflib term -> Oxigraph term
    from oxrdflib._converter import to_ox

    return to_ox(term)


_SEEN_BITS = 1 << 27  # 16 MB of bits: a flag rate under 10% up to about 13M triples


def _distinct(triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
    """Each triple once, remembering all (for a SPARQL server's stream, which has no
    local index to ask; the embedded store uses ``_union_triples``)."""
    seen: set[ox.Triple] = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            yield triple


def __getattr__(name: str):
    """``SparqlServerStore`` stays importable from here; it lives in
    :mod:`kg.graph.server_store`, which builds on this module (so it is imported late)."""
    if name == "SparqlServerStore":
        from kg.graph.server_store import SparqlServerStore

        return SparqlServerStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
