"""The service as users meet it: a real uvicorn process on 127.0.0.1, real clients.

The module ingests the seed article into a temporary store, starts ``kg serve``
on a free port, talks to it with httpx and with SPARQLWrapper (a SPARQL 1.1
client), and stops it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from kg.graph.store import OxigraphGraphStore
from kg.ingest import ingest
from kg.reading.readers import read_articles

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "soleimani-2020-01-05.txt"
KG = Path(sys.executable).with_name("kg")
KGO = "PREFIX kgo: <https://w3id.org/kg-geo/ontology#>\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, extractor) -> str:
    path = tmp_path_factory.mktemp("served") / "store"
    with OxigraphGraphStore(path) as store:
        ingest(read_articles([SEED]), extractor, store)
    port = _free_port()
    process = subprocess.Popen(
        [str(KG), "serve", "--store", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"kg serve exited: {process.stdout.read().decode()}")
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("kg serve did not answer /health within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_rest_over_http(server):
    with httpx.Client(base_url=server) as client:
        assert client.get("/health").json()["status"] == "ok"
        profile = client.get("/actors/qassem-soleimani").json()
        assert profile["country"] == "IRN"
        events = client.get("/events", params={"target": "qassem-soleimani"}).json()
        assert any(e["source"]["label"] == "United States" for e in events)
        missing = client.get("/actors/no-such-actor")
        assert missing.status_code == 404 and missing.json()["detail"]
        assert client.get("/openapi.json").json()["info"]["title"] == "kg-geopolitics"


def test_sparqlwrapper_select_ask_construct(server):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setReturnFormat(JSON)
    client.setQuery(
        KGO + "SELECT ?e WHERE { ?e kgo:source <https://w3id.org/kg-geo/actor/USA> ;"
        " kgo:target <https://w3id.org/kg-geo/actor/qassem-soleimani> }"
    )
    rows = client.queryAndConvert()["results"]["bindings"]
    assert rows
    client.setQuery(
        KGO + "ASK { <https://w3id.org/kg-geo/actor/USA> kgo:fights "
        "<https://w3id.org/kg-geo/actor/hashd-al-shaabi> }"
    )
    assert client.queryAndConvert()["boolean"] is True
    client.setReturnFormat(TURTLE)
    client.setQuery(KGO + "CONSTRUCT { ?s kgo:fights ?o } WHERE { ?s kgo:fights ?o }")
    graph = client.queryAndConvert()
    text = graph.decode() if isinstance(graph, bytes) else graph.serialize(format="turtle")
    assert "qassem-soleimani" in text
