"""The service as users meet it: a real uvicorn process on 127.0.0.1, real clients.

The module ingests the seed article into a temporary store, starts ``kg serve``
on a free port, talks to it with httpx and with SPARQLWrapper (a SPARQL 1.1
client), and stops it.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from kg.graph.store import OxigraphGraphStore
from kg.ingest import ingest
from kg.reading.readers import read_articles

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "soleimani-2020-01-05.txt"
KGO = "PREFIX kgo: <https://w3id.org/kg-geo/ontology#>\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory, extractor, kg_serve) -> str:
    path = tmp_path_factory.mktemp("served") / "store"
    with OxigraphGraphStore(path) as store:
        ingest(read_articles([SEED]), extractor, store)
    url, _process = kg_serve(path)
    return url


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
