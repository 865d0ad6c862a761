"""The W3C SPARQL 1.1 Protocol tests against ``/sparql``.

The suite (``../shared/eval/w3c-sparql-protocol``: ``manifest.ttl``, 34 entries, from
w3c/rdf-tests, W3C test-suite licence) describes each test in RDF as HTTP requests
(method, path under ``/sparql/``, headers, body) with the status class, result format
and boolean answer expected. Each entry runs on a fresh in-memory store loaded with the
graphs it names; an update token is configured and every request presents it, so a
refusal the suite expects must come from the protocol, not from a missing token.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

from api.app import create_app
from kg.graph.store import OxigraphGraphStore
from kg.settings import Settings

# The suite is third-party data read in place (never copied into the project); set
# KG_EVAL_DIR when ../shared/eval is elsewhere.
EVAL = Path(
    os.environ.get("KG_EVAL_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "eval")
)
SUITE = EVAL / "w3c-sparql-protocol"
MISSING = f"the W3C protocol suite is not at {SUITE}: set KG_EVAL_DIR to the eval folder"
MANIFEST = SUITE / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
STATUS_CLASS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
TOKEN = "w3c-protocol-token"

#: Media types each expected format may come as (the manifest's names for them).
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}


@dataclass(frozen=True)
class Exchange:
    """One request of a test and what its response must be."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    status_classes: frozenset[int]  # 2 for 2xx...
    format: str | None
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    graphs: tuple[tuple[Path, str], ...]  # (N-Triples file, graph IRI)
    exchanges: tuple[Exchange, ...]


def load_manifest(path: Path) -> list[ProtocolTest]:
    """The manifest's entries, in its order."""
    graph = Graph().parse(path, format="turtle")
    manifest = next(graph.subjects(MF.entries, None))
    entries = Collection(graph, graph.value(manifest, MF.entries))
    return [_test(graph, entry, path.parent) for entry in entries]


def _test(graph: Graph, entry: URIRef, folder: Path) -> ProtocolTest:
    action = graph.value(entry, MF.action)
    data = tuple(
        (folder / Path(str(graph.value(item, UT.graph))).name, str(graph.value(item, RDFS.label)))
        for item in graph.objects(entry, UT.graphData)
    )
    requests = Collection(graph, graph.value(action, HT.requests))
    return ProtocolTest(
        name=str(entry).rpartition("#")[2],
        title=str(graph.value(entry, MF.name)),
        graphs=data,
        exchanges=tuple(_exchange(graph, request) for request in requests),
    )


def _exchange(graph: Graph, request: URIRef) -> Exchange:
    headers = graph.value(request, HT.headers)
    pairs = tuple(
        (str(graph.value(h, HT.fieldName)), str(graph.value(h, HT.fieldValue)))
        for h in (Collection(graph, headers) if headers is not None else [])
    )
    body = graph.value(request, HT.body)
    content = None
    if body is not None:
        encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
        content = str(graph.value(body, CNT.chars)).encode(encoding)
    response = graph.value(request, HT.resp)
    statuses = frozenset(
        int(str(code).removeprefix(STATUS_CLASS)[0])
        for code in graph.objects(response, MF.expectedStatus)
    )
    expected_format = graph.value(response, MF.expectedFormat)
    expected_boolean = graph.value(response, MF.expectedBoolean)
    return Exchange(
        method=str(graph.value(request, HT.methodName)),
        path=str(graph.value(request, HT.absolutePath)),
        headers=pairs,
        body=content,
        status_classes=statuses,
        format=str(expected_format) if expected_format is not None else None,
        boolean=expected_boolean.toPython() if expected_boolean is not None else None,
    )


def _cases() -> list:
    if not MANIFEST.exists():
        return [pytest.param(None, id="suite-missing")]  # fails below, saying why
    return [pytest.param(test, id=test.name) for test in load_manifest(MANIFEST)]


CASES = _cases()


def replay(client: TestClient, exchange: Exchange):
    """Send one request of the suite to our endpoint (``/sparql/`` becomes ``/sparql``)."""
    path = "/sparql" + exchange.path.removeprefix("/sparql/")
    headers = {**dict(exchange.headers), "authorization": f"Bearer {TOKEN}"}
    return client.request(exchange.method, path, content=exchange.body, headers=headers)


def check(exchange: Exchange, response) -> None:
    """The status class, media type and answer the manifest expects."""
    status = response.status_code
    assert status // 100 in exchange.status_classes, f"{status}: {response.text}"
    if exchange.status_classes == {4}:
        assert status != 403, "refused for want of the token, not for the protocol's reason"
    if exchange.format is None:
        return
    media_type = response.headers["content-type"].split(";")[0].strip()
    assert media_type in FORMATS[exchange.format], media_type
    if exchange.format == "RDF":
        list(ox.parse(response.content, format=ox.RdfFormat.from_media_type(media_type)))
        return
    if media_type == "text/csv":  # pyoxigraph does not read CSV results back
        assert response.text.splitlines()
        return
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    results = ox.parse_query_results(response.content, format=results_format)
    if exchange.format == "boolean":
        assert isinstance(results, ox.QueryBoolean)
        if exchange.boolean is not None:
            assert bool(results) is exchange.boolean
    else:
        assert isinstance(results, ox.QuerySolutions)
        list(results)


def test_the_suite_has_its_34_tests():
    assert MANIFEST.exists(), MISSING
    assert len(CASES) == 34


@pytest.mark.parametrize("where", ["memory", "disk"])
@pytest.mark.parametrize("case", CASES)
def test_w3c_protocol(case: ProtocolTest | None, where: str, tmp_path: Path):
    """Each test on an in-memory store (queries in a thread) and on disk (queries in
    read-only worker processes, which must see the updates the server makes)."""
    assert case is not None, MISSING
    path = tmp_path / "store" if where == "disk" else None
    with OxigraphGraphStore(path) as store:
        for data, graph in case.graphs:
            store.load(data, "nt", graph=graph)
        settings = Settings(store=store.spec, update_token=TOKEN)
        with TestClient(create_app(settings, store)) as client:
            assert (client.app.state.query_workers is None) is (where == "memory")
            for exchange in case.exchanges:
                check(exchange, replay(client, exchange))
