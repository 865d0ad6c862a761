"""The service as users meet it: a real uvicorn process on 127.0.0.1, real clients.

The module ingests the seed article into a temporary store, starts ``kg serve``
on a free port, talks to it with httpx and with SPARQLWrapper (a SPARQL 1.1
client), and stops it.
"""

from __future__ import annotations

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


def test_a_restart_loads_the_graph_the_last_run_saved(tmp_path, extractor, kg_serve):
    """Stopped, ``kg serve`` leaves its in-memory graph beside the store; started again on
    the unchanged store it loads it and answers as before. A write in between (an
    update through /sparql) is never answered from the old one."""
    path = tmp_path / "store"
    with OxigraphGraphStore(path) as store:
        ingest(read_articles([SEED]), extractor, store)

    def served(**environment: str) -> tuple[str, dict, dict, object]:
        url, process = kg_serve(path, **environment)
        with httpx.Client(base_url=url) as client:
            health = client.get("/health").json()
            ranked = client.get("/network/centrality", params={"by": "pagerank"}).json()
            health["triples"] = client.get("/stats").json()["triples"]
        return url, health, ranked, process

    def stop(process) -> None:
        process.terminate()  # uvicorn's graceful stop: the app saves on the way out
        process.wait(timeout=60)  # (uvicorn raises the signal again once stopped: -15)

    _url, health, ranked, process = served()
    assert health["graph_from"] == "store"
    stop(process)
    assert (path / "kg-served-graph.pickle").is_file()

    url, health, again, process = served(KG_UPDATE_TOKEN="secret")
    assert health["graph_from"] == "snapshot"
    assert again == ranked
    update = KGO + "INSERT DATA { GRAPH <urn:x> { <urn:a> kgo:note 'x' } }"
    answer = httpx.post(
        f"{url}/sparql",
        data={"update": update},
        headers={"Authorization": "Bearer secret"},
    )
    assert answer.status_code == 204, answer.text
    assert not (path / "kg-served-graph.pickle").exists()
    while not httpx.get(f"{url}/health").json()["ready"]:  # rebuilt after the update
        time.sleep(0.1)
    stop(process)

    triples = health["triples"]
    _url, health, _ranked, process = served()
    assert health["graph_from"] == "snapshot"  # saved again at the stop, after the update
    assert health["triples"] == triples + 1
    stop(process)
