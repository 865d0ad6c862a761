"""SPARQL 1.1 servers as stores: queries and updates over the SPARQL protocol, bulk writes
and dumps over the server's Graph Store Protocol (GSP) endpoint.

A SPARQL update carries its data as query text that the server parses like a query, one
request per update; a GSP endpoint takes and gives RDF files. So the bulk paths go there:
``add_graphs`` (and ingest's batches, :meth:`SparqlServerStore.update_then_add`) send
many named graphs in one N-Quads request where the server takes a whole dataset (Oxigraph
server's ``/store``, Fuseki's ``/DATASET/data``), else one request per graph (Virtuoso's
``/sparql-graph-crud``, whose GSP is per graph); ``load`` streams a file there in chunks;
``dump`` reads the dataset back as a stream of N-Quads (Virtuoso: graph by graph) and
re-serialises it with Oxigraph, so an export never holds a query result in memory and
every server's output is written the same way.

Which server answers is read once from its ``Server`` header; a server this module does
not know (or a ``kg serve``, which has no GSP endpoint) gets SPARQL updates only.
"""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from rdflib.query import Result

from kg.errors import StoreError
from kg.graph.store import FORMATS, PREFIXES, _distinct, _ox, format_of

__all__ = ["LONG_QUERY", "GraphStoreEndpoint", "SparqlServerStore", "graph_store_endpoint"]

LONG_QUERY = 2000  # characters: beyond this a query goes to a SPARQL server by POST
#: Articles ingest writes together when the server has a GSP endpoint (one SPARQL update
#: for their events, one GSP request for their graphs).
ARTICLE_BATCH = 32
#: Quads per GSP request when loading a file (bounds the memory of ``kg import``).
LOAD_CHUNK = 200_000
#: Quads per INSERT DATA where a server has no GSP endpoint.
UPDATE_CHUNK = 2000
#: Seconds to wait for a GSP request (a large load or dump takes a while).
TIMEOUT = 600.0
#: A CONSTRUCT or DESCRIBE query (after its prologue): its answer is RDF, not results.
_GRAPH_QUERY = re.compile(
    r"\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>|#[^\n]*)\s*)*(?:CONSTRUCT|DESCRIBE)\b",
    re.IGNORECASE,
)
#: Graphs every Virtuoso database holds for itself (its RDF views, the LDP vocabulary,
#: its service description): not the user's data, so not counted or exported.
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)


@dataclass(frozen=True)
class GraphStoreEndpoint:
    """Where and how a server takes and gives RDF files (W3C Graph Store Protocol)."""

    url: str
    #: The query parameter naming a graph: ``graph`` (W3C), ``graph-uri`` (Virtuoso).
    graph_parameter: str = "graph"
    #: Whether one request without a graph parameter takes or gives the whole dataset
    #: as N-Quads (Oxigraph, Fuseki); Virtuoso's GSP knows one graph at a time.
    datasets: bool = True
    #: Graphs of the server's own that are not the user's data.
    system_graphs: tuple[str, ...] = ()

    def graph_url(self, graph: str) -> str:
        return f"{self.url}?{urllib.parse.urlencode({self.graph_parameter: graph})}"


def graph_store_endpoint(query_url: str, server: str) -> GraphStoreEndpoint | None:
    """The GSP endpoint beside ``query_url`` on a server whose ``Server`` header is
    ``server``; None for a server without one that this module knows."""
    parts = urllib.parse.urlsplit(query_url)
    path = parts.path.rstrip("/")
    name = server.lower()
    if name.startswith("oxigraph"):  # /query and /update beside /store
        base = path.rsplit("/", 1)[0] if path.endswith(("/query", "/update", "/sparql")) else path
        return GraphStoreEndpoint(_with_path(parts, base + "/store"))
    if "fuseki" in name:  # /DATASET/query, /DATASET/sparql or /DATASET beside /DATASET/data
        tail = path.rsplit("/", 1)[-1]
        base = path.rsplit("/", 1)[0] if tail in ("query", "sparql", "update") else path
        return GraphStoreEndpoint(_with_path(parts, base + "/data"))
    if name.startswith("virtuoso"):  # /sparql beside /sparql-graph-crud
        base = path.rsplit("/", 1)[0] if path.endswith("/sparql") else path
        return GraphStoreEndpoint(
            _with_path(parts, base + "/sparql-graph-crud"),
            graph_parameter="graph-uri",
            datasets=False,
            system_graphs=VIRTUOSO_SYSTEM_GRAPHS,
        )
    return None


class SparqlServerStore:
    """A remote SPARQL 1.1 server (Oxigraph server, Fuseki, Virtuoso, GraphDB).

    ``url`` is the query endpoint; the update endpoint is ``url`` with ``/query``
    replaced by ``/update`` (Oxigraph, Fuseki) or the same URL (Virtuoso). With
    ``graph_store=False`` every write is a SPARQL update (the path before GSP, kept to
    measure against it); otherwise the GSP endpoint is found from the server's name.
    """

    def __init__(
        self,
        url: str,
        update_url: str | None = None,
        *,
        union_default_graph: bool = True,
        token: str | None = None,
        graph_store: bool = True,
    ) -> None:
        """``token``: sent as ``Authorization: Bearer`` (a ``kg serve`` takes updates
        only with its KG_UPDATE_TOKEN)."""
        self.spec = url
        update_url = update_url or (
            url[: -len("/query")] + "/update" if url.endswith("/query") else url
        )
        # Like the embedded store, queries see the union of the named graphs: Oxigraph
        # server's default graph is otherwise empty (servers that do not know the
        # parameter ignore it; Virtuoso and GraphDB query the union anyway).
        params = {"union-default-graph": ""} if union_default_graph else {}
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._store = SPARQLUpdateStore(
            query_endpoint=url,
            update_endpoint=update_url,
            autocommit=False,
            params=params,
            headers=self._headers,
        )
        self._use_graph_store = graph_store
        self._probe = not token  # a kg serve (the only server given a token) has no GSP
        self._endpoint: GraphStoreEndpoint | None = None

    def __enter__(self):
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def graph_store(self) -> GraphStoreEndpoint | None:
        """The GSP endpoint writes and dumps go to (None: SPARQL only)."""
        return self._server_endpoint() if self._use_graph_store else None

    def _server_endpoint(self) -> GraphStoreEndpoint | None:
        """The server's GSP endpoint, found on first use from its ``Server`` header."""
        if self._probe:
            request = urllib.request.Request(
                self.spec + "?" + urllib.parse.urlencode({"query": "ASK {}"}),
                headers={"Accept": "application/sparql-results+json", **self._headers},
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    server = response.headers.get("Server", "")
            except (urllib.error.URLError, OSError) as error:
                raise StoreError(f"query failed at {self.spec}: {_http_reason(error)}") from error
            self._endpoint = graph_store_endpoint(self.spec, server)
            self._probe = False
        return self._endpoint

    @property
    def article_batch(self) -> int:
        """Articles ingest writes together: a batch where the server has GSP, else 1."""
        return ARTICLE_BATCH if self.graph_store else 1

    def has_graph(self, graph: str) -> bool:
        return self.ask(f"ASK {{ GRAPH <{_iri(graph)}> {{ ?s ?p ?o }} }}")

    def add_graph(self, graph: Graph) -> int:
        return self.add_graphs([graph])

    def add_graphs(self, graphs: Iterable[Graph]) -> int:
        """Add named graphs (through GSP where the server has it); returns triples added."""
        before = self.count()
        self._add_graphs(list(graphs))
        return self.count() - before

    def update_then_add(self, sparql: str, graphs: list[Graph]) -> None:
        """Run ``sparql``, then add ``graphs``: two requests, in that order.

        Ingest writes a batch of articles so: the update replaces the events their
        reports join, then the articles' graphs (the marker that a re-run skips an
        article) arrive in one GSP request. A crash between the two leaves events whose
        reports' articles are absent; the re-run stores those articles and replaces
        those events (:mod:`kg.ingest_batches`).
        """
        self.update(sparql)
        self._add_graphs(graphs)

    def update(self, sparql: str) -> None:
        """Send a SPARQL update as one request (the server applies it as a whole)."""
        try:
            self._store.update(sparql)
            self._store.commit()
        except Exception as error:  # the HTTP client's own error types vary by backend
            self._store.rollback()
            raise StoreError(f"update failed at {self.spec}: {_http_reason(error)}") from error

    def load(self, path: Path, fmt: str | None = None, graph: str | None = None) -> None:
        """Load a file: parsed by Oxigraph as the embedded store's loader does, sent to
        the GSP endpoint in chunks of :data:`LOAD_CHUNK` quads (triple formats into
        ``graph``); without GSP, as SPARQL updates."""
        fmt = format_of(fmt, path)
        # Oxigraph parses triples as quads in the default graph: ``graph`` takes them.
        target = ox.NamedNode(graph) if graph and not FORMATS[fmt].supports_datasets else None
        try:
            with path.open("rb") as handle:
                chunk: list[ox.Quad] = []
                for quad in ox.parse(handle, FORMATS[fmt]):
                    if target is not None:
                        quad = ox.Quad(quad.subject, quad.predicate, quad.object, target)
                    chunk.append(quad)
                    if len(chunk) == LOAD_CHUNK:
                        self._add_quads(chunk)
                        chunk = []
                if chunk:
                    self._add_quads(chunk)
        except (SyntaxError, ValueError, OSError) as error:
            raise StoreError(f"cannot load {path}: {error}") from error

    def query(self, sparql: str) -> Result:
        """Evaluate ``sparql`` on the server; any failure is a StoreError with its reason."""
        # Long queries (ingest's lookups carry VALUES lists) go by a form POST (Virtuoso
        # never answers a POST of application/sparql-query), past the URL
        # limits of a GET; short ones by GET, whose errors rdflib passes on in full.
        self._store.method = "POST_FORM" if len(sparql) > LONG_QUERY else "GET"
        # Results as JSON: asked for XML, rdflib also accepts RDF/XML, which Virtuoso then
        # sends for a SELECT (its result set described in RDF) and rdflib cannot read.
        self._store.returnFormat = "xml" if _GRAPH_QUERY.match(sparql) else "json"
        try:
            result = self._store.query(sparql)
        except (ValueError, OSError) as error:  # rdflib hides HTTP errors behind ValueError
            raise StoreError(f"query failed at {self.spec}: {_http_reason(error)}") from error
        if isinstance(result, tuple):  # rdflib returns (code, message, None) on a POST error
            raise StoreError(f"query failed at {self.spec}: HTTP {result[0]}: {result[1]}")
        return result

    def select(self, sparql: str) -> list[dict[str, str | None]]:
        result = self.query(sparql)
        if result.type != "SELECT":
            raise StoreError("expected a SELECT query")
        names = [str(v) for v in result.vars]
        return [{n: (str(row[n]) if row[n] is not None else None) for n in names} for row in result]

    def ask(self, sparql: str) -> bool:
        result = self.query(sparql)
        if result.type != "ASK":
            raise StoreError("expected an ASK query")
        return bool(result.askAnswer)

    def dump(self, out: IO[bytes], fmt: str) -> None:
        """Write the whole dataset (triple formats: the union of the graphs), streamed
        from the GSP endpoint; without one, from a SELECT of every quad."""
        fmt = format_of(fmt)
        rdf_format = FORMATS[fmt]
        prefixes = PREFIXES if fmt in ("turtle", "trig") else None
        quads = self._quads()
        if rdf_format.supports_datasets:
            ox.serialize(quads, out, rdf_format, prefixes=prefixes)
        else:
            triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
            ox.serialize(_distinct(triples), out, rdf_format, prefixes=prefixes)

    def count(self) -> int:
        return self._count("GRAPH ?g { ?s ?p ?o }" + self._user_graphs_filter())

    def graphs(self) -> list[str]:
        """The named graphs holding the user's data (not a server's own)."""
        rows = self.select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } " + self._user_graphs_filter() + "}"
        )
        return sorted(row["g"] or "" for row in rows)

    def close(self) -> None:
        self._store.close()

    def _count(self, pattern: str) -> int:
        rows = list(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"))
        return int(rows[0][0]) if rows else 0

    def _user_graphs_filter(self) -> str:
        endpoint = self._server_endpoint()
        if endpoint is None or not endpoint.system_graphs:
            return ""
        return f" FILTER(?g NOT IN ({', '.join(f'<{g}>' for g in endpoint.system_graphs)}))"

    def _add_graphs(self, graphs: list[Graph]) -> None:
        quads = [
            ox.Quad(_ox(s), _ox(p), _ox(o), ox.NamedNode(str(graph.identifier)))
            for graph in graphs
            for s, p, o in graph
        ]
        self._add_quads(quads)

    def _add_quads(self, quads: list[ox.Quad]) -> None:
        """Add quads: one GSP request for a dataset endpoint, one per graph otherwise,
        and one INSERT DATA update for a server without GSP."""
        if not quads:
            return
        endpoint = self.graph_store
        if endpoint is None:  # parsed as query text: Virtuoso's parser runs out of memory
            for start in range(0, len(quads), UPDATE_CHUNK):  # on the whole gazetteer
                chunk = quads[start : start + UPDATE_CHUNK]
                self.update(f"INSERT DATA {{ {_data_blocks(chunk)} }}")
            return
        if endpoint.datasets:
            self._send("POST", endpoint.url, _nquads(quads), "application/n-quads")
            return
        by_graph: dict[ox.NamedNode | ox.DefaultGraph, list[ox.Triple]] = {}
        for quad in quads:
            by_graph.setdefault(quad.graph_name, []).append(quad.triple)
        for name, triples in by_graph.items():
            if not isinstance(name, ox.NamedNode):
                raise StoreError(f"{self.spec}: this server's GSP takes named graphs only")
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            self._send("POST", endpoint.graph_url(name.value), body, "application/n-triples")

    def _quads(self) -> Iterator[ox.Quad]:
        """Every quad of the user's data, read as a stream."""
        endpoint = self.graph_store
        if endpoint is None:
            rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            for row in rows:
                yield ox.Quad(_ox(row.s), _ox(row.p), _ox(row.o), _ox(row.g))
            return
        if endpoint.datasets:
            with self._open("GET", endpoint.url, accept="application/n-quads") as response:
                yield from ox.parse(response, ox.RdfFormat.N_QUADS)
            return
        system = set(endpoint.system_graphs)
        for graph in self.graphs():
            if graph in system:
                continue
            name = ox.NamedNode(graph)
            url = endpoint.graph_url(graph)
            with self._open("GET", url, accept="application/n-triples") as response:
                for triple in ox.parse(response, ox.RdfFormat.N_TRIPLES):
                    yield ox.Quad(triple.subject, triple.predicate, triple.object, name)

    def _send(self, method: str, url: str, body: bytes, content_type: str) -> None:
        with self._open(method, url, body=body, content_type=content_type):
            pass

    def _open(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
    ):
        headers = dict(self._headers)
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url, body, headers, method=method)
        try:
            return urllib.request.urlopen(request, timeout=TIMEOUT)
        except (urllib.error.URLError, OSError) as error:
            action = "reading" if method == "GET" else "writing"
            raise StoreError(f"{action} failed at {url}: {_http_reason(error)}") from error


def _nquads(quads: list[ox.Quad]) -> bytes:
    buffer = io.BytesIO()
    ox.serialize(quads, buffer, ox.RdfFormat.N_QUADS)
    return buffer.getvalue()


def _data_blocks(quads: list[ox.Quad]) -> str:
    """The body of an INSERT DATA: triples grouped in ``GRAPH <name> { ... }`` blocks
    (N-Triples terms are SPARQL terms)."""
    by_graph: dict[ox.NamedNode | ox.DefaultGraph, list[ox.Triple]] = {}
    for quad in quads:
        by_graph.setdefault(quad.graph_name, []).append(quad.triple)
    blocks = []
    for name, triples in by_graph.items():
        text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        blocks.append(f"GRAPH {name} {{\n{text}}}" if isinstance(name, ox.NamedNode) else text)
    return "\n".join(blocks)


def _with_path(parts: urllib.parse.SplitResult, path: str) -> str:
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _http_reason(error: BaseException) -> str:
    """The server's own reason for a failed request (rdflib raises a bare ValueError)."""
    cause = error if isinstance(error, OSError) else (error.__cause__ or error.__context__)
    if isinstance(cause, urllib.error.HTTPError):
        try:
            body = cause.read().decode("utf-8", "replace").strip()
        except OSError:
            body = ""
        return f"HTTP {cause.code} {cause.reason}" + (f": {body}" if body else "")
    if isinstance(cause, urllib.error.URLError):
        return f"cannot reach the server ({cause.reason})"
    return str(error) or type(error).__name__


def _iri(value: str) -> str:
    if any(ch in value for ch in '<>"{}|^`\\ '):
        raise StoreError(f"not a valid IRI: {value!r}")
    return value
