"""``DELETE /articles/{id}``: an article out, its events recomputed, the live network
updated in place (issue 15, deliverable 4)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kg.graph.store import OxigraphGraphStore
from kg.ingest import ingest
from kg.network.projection import ActorNetwork
from kg.reading.readers import read_articles
from kg.settings import Settings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED = SEEDS / "soleimani-2020-01-05.txt"
GULF_WIRE = SEEDS / "gulf-2019-2020" / "2020-01-03-soleimani-killed-baghdad-airport.txt"
GULF_WIRE_ID = "01d4a11673fb5964"
LEDGER = SEEDS / "gulf-2019-2020" / "2020-01-03-pentagon-confirms-soleimani-strike.txt"
TOKEN = "s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def record(path: Path) -> dict:
    (article,) = read_articles([path])
    fields = {"id": article.id, "text": article.text, "title": article.title}
    fields |= {"source": article.source, "date": article.date and article.date.isoformat()}
    return {k: v for k, v in fields.items() if v is not None}


@pytest.fixture
def client(extractor) -> TestClient:
    """A service with writes enabled, holding the seed, Gulf Wire and Capital Ledger."""
    app = create_app(Settings(update_token=TOKEN), OxigraphGraphStore(None))
    app.state.extractor = extractor
    with TestClient(app) as client:
        posted = client.post(
            "/articles", json=[record(p) for p in (SEED, GULF_WIRE, LEDGER)], headers=AUTH
        )
        assert posted.status_code == 201, posted.text
        yield client


def strike(client: TestClient) -> dict:
    events = client.get("/events", params={"source": "USA", "target": "qassem-soleimani"})
    (event,) = [e for e in events.json() if e["code"].startswith("19")]
    return event


def test_delete_gives_the_store_and_network_that_never_had_the_article(client, extractor):
    assert strike(client)["articles"] == 3
    assert client.get("/network/centrality").status_code == 200  # the live network is built
    network = client.app.state.network

    response = client.delete(f"/articles/{GULF_WIRE_ID}", headers=AUTH)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == GULF_WIRE_ID and body["mentions"] > 0
    assert body["events_removed"] > 0 and body["events_changed"] > 0
    assert strike(client)["articles"] == 2

    never = OxigraphGraphStore(None)
    ingest(read_articles([SEED, LEDGER]), extractor, never)
    expected = io.BytesIO()
    never.dump(expected, "nquads")
    exported = client.get("/export", params={"format": "nquads"})
    assert sorted(exported.text.splitlines()) == sorted(expected.getvalue().decode().splitlines())

    assert client.app.state.network is network  # the same projection, updated
    rebuilt = ActorNetwork.from_store(never)
    graph = client.get("/network", params={"format": "json"}).json()
    assert {n["id"] for n in graph["nodes"]} == set(rebuilt.graph.nodes)
    links = graph.get("links", graph.get("edges"))
    assert {link["event"] for link in links} == {k for _, _, k in rebuilt.graph.edges(keys=True)}


def test_an_unknown_id_and_a_second_delete_are_404(client):
    first = client.delete(f"/articles/{GULF_WIRE_ID}", headers=AUTH)
    assert first.status_code == 200
    again = client.delete(f"/articles/{GULF_WIRE_ID}", headers=AUTH)
    assert again.status_code == 404
    assert again.json() == {
        "error": "NotFoundError",
        "detail": f"no article stored with id '{GULF_WIRE_ID}'; nothing removed",
    }
    unknown = client.delete("/articles/no/such/article", headers=AUTH)
    assert unknown.status_code == 404
    assert "'no/such/article'" in unknown.json()["detail"]


def test_delete_needs_the_write_token(client, extractor):
    assert client.delete(f"/articles/{GULF_WIRE_ID}").status_code == 401
    wrong = client.delete(f"/articles/{GULF_WIRE_ID}", headers={"Authorization": "Bearer no"})
    assert wrong.status_code == 401
    assert strike(client)["articles"] == 3  # nothing removed
    closed = create_app(Settings(), OxigraphGraphStore(None))
    with TestClient(closed) as anonymous:
        refused = anonymous.delete(f"/articles/{GULF_WIRE_ID}", headers=AUTH)
        assert refused.status_code == 403
        assert "KG_UPDATE_TOKEN" in refused.json()["detail"]


def test_the_statuses_are_in_the_openapi_schema(client):
    operation = client.get("/openapi.json").json()["paths"]["/articles/{article_id}"]["delete"]
    assert {"200", "400", "401", "403", "404", "503"} <= set(operation["responses"])
    assert operation["security"] == [{"updateToken": []}]
    error = operation["responses"]["404"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ErrorOut"}
