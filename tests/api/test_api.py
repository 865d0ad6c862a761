"""The REST routes with FastAPI's TestClient, on a store holding the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kg.graph.store import OxigraphGraphStore
from kg.ingest import ingest
from kg.reading.readers import read_articles
from kg.settings import Settings

SEED = Path(__file__).resolve().parents[2] / "seeds" / "soleimani-2020-01-05.txt"


@pytest.fixture(scope="module")
def client(extractor) -> TestClient:
    store = OxigraphGraphStore(None)
    ingest(read_articles([SEED]), extractor, store)
    app = create_app(Settings(), store)
    app.state.extractor = extractor
    with TestClient(app) as client:
        yield client


@pytest.fixture
def guarded(extractor) -> TestClient:
    """A service with an update token and a small body limit, on an empty store."""
    app = create_app(Settings(update_token="s3cret", max_body_bytes=2000), OxigraphGraphStore(None))
    app.state.extractor = extractor
    with TestClient(app) as client:
        yield client


def test_health_and_stats(client):
    assert client.get("/health").json()["status"] == "ok"
    stats = client.get("/stats").json()
    assert stats["articles"] == 1 and stats["events"] >= 10
    assert any(row["root"] == "19" for row in stats["events_by_root"])


def test_actor_search_by_alias_type_and_country(client):
    found = client.get("/actors", params={"q": "soleimani"}).json()
    assert [a["id"].rsplit("/", 1)[-1] for a in found] == ["qassem-soleimani"]
    states = client.get("/actors", params={"q": "tehran", "type": "State"}).json()
    assert {a["country"] for a in states} == {"IRN"}
    iraqis = client.get("/actors", params={"country": "IRQ", "type": "Person"}).json()
    assert iraqis and all(a["country"] == "IRQ" for a in iraqis)


def test_actor_profile_has_counts_and_counterparts(client):
    profile = client.get("/actors/USA").json()
    assert profile["label"] == "United States"
    assert "America" in profile["aliases"] and profile["wikidata"].endswith("Q30")
    assert profile["events_by_root"]["19"] >= 2
    partners = {c["actor"]["label"] for c in profile["top_counterparts"]}
    assert "Qassem Soleimani" in partners


def test_unknown_actor_is_404_with_a_json_reason(client):
    response = client.get("/actors/no-such-actor")
    assert response.status_code == 404
    assert "no actor" in response.json()["detail"]
    assert client.get("/actors/no-such-actor/events").status_code == 404


def test_actors_and_events_take_any_name_of_an_actor(client):
    profile = client.get("/actors/United States")
    assert profile.status_code == 200 and profile.json()["id"].endswith("/USA")
    by_name = client.get("/events", params={"source": "Washington", "code": "19"}).json()
    by_id = client.get("/events", params={"source": "USA", "code": "19"}).json()
    assert by_name == by_id and by_id
    assert client.get("/actors/the Pentagon/events").status_code == 200
    assert client.get("/events", params={"source": "Atlantis"}).status_code == 404


def test_event_by_id_or_by_iri(client):
    first = client.get("/events", params={"limit": 1}).json()[0]
    iri = first["id"]
    for given in (iri.rsplit("/", 1)[-1], iri):
        response = client.get(f"/events/{given}")
        assert response.status_code == 200, given
        assert response.json()["id"] == first["id"]


def test_events_filters_newest_first_with_evidence(client):
    events = client.get("/events", params={"source": "USA", "code": "19"}).json()
    assert events and all(e["code"].startswith("19") for e in events)
    assert all(e["source"]["id"].endswith("/USA") for e in events)
    dates = [e["date"] for e in events if e["date"]]
    assert dates == sorted(dates, reverse=True)
    convoy = client.get("/events", params={"target": "hashd-al-shaabi"}).json()
    assert convoy[0]["article"] == "soleimani-2020-01-05"
    assert "convoy" in convoy[0]["sentence"]
    window = client.get("/events", params={"since": "2020-01-04", "until": "2020-01-04"}).json()
    assert window and {e["date"] for e in window} == {"2020-01-04"}


def test_pagination(client):
    first = client.get("/events", params={"limit": 3}).json()
    second = client.get("/events", params={"limit": 3, "offset": 3}).json()
    assert len(first) == 3 and not {e["id"] for e in first} & {e["id"] for e in second}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/events", {"code": "abc"}),
        ("/events", {"since": "last tuesday"}),
        ("/events", {"limit": 0}),
        ("/events", {"since": "2020-02-01", "until": "2020-01-01"}),
        ("/actors", {"type": "Dragon"}),
        ("/actors", {"country": "Iran!"}),
    ],
)
def test_bad_parameters_get_4xx_with_a_json_reason(client, path, params):
    response = client.get(path, params=params)
    assert 400 <= response.status_code < 500
    body = response.json()
    assert body["error"] and body["detail"]


def test_client_input_cannot_break_out_of_the_query(client):
    response = client.get("/actors", params={"q": '" } ; DROP ALL ; #'})
    assert response.status_code == 200 and response.json() == []
    assert client.get("/stats").json()["articles"] == 1
    response = client.get("/events", params={"source": "x> } ; DROP ALL ; <y"})
    assert response.status_code == 404  # a name no actor has, looked up as a literal
    response = client.get("/events", params={"source": "https://x> } ; DROP ALL ; <y"})
    assert response.status_code == 400  # not a valid IRI
    assert client.get("/stats").json()["articles"] == 1


def test_export_in_rdf_formats_and_csv(client):
    turtle = client.get("/export", params={"format": "turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    assert b"kgo:Event" in turtle.content
    table = client.get("/export", params={"format": "csv"})
    assert table.text.startswith("GLOBALEVENTID,SQLDATE")
    assert client.get("/export", params={"format": "xlsx"}).status_code == 422


WIRE = (
    "Iran fired ballistic missiles at the Ain al-Asad air base in Iraq on Wednesday, "
    "Iranian state television reported."
)


def test_post_articles_ingests_and_a_repeat_adds_nothing(guarded):
    auth = {"Authorization": "Bearer s3cret"}
    body = {"id": "wire-1", "text": WIRE, "date": "2020-01-08"}
    first = guarded.post("/articles", json=body, headers=auth)
    assert first.status_code == 201, first.text
    assert first.json()["stored"] == 1 and first.json()["events"] >= 1
    again = guarded.post("/articles", json=[body], headers=auth).json()
    assert again["already_stored"] == 1 and again["triples_added"] == 0
    events = guarded.get("/events", params={"source": "IRN"}).json()
    assert any(e["article"] == "wire-1" for e in events)


def test_post_articles_needs_the_token_and_respects_the_size_limit(guarded):
    assert guarded.post("/articles", json={"text": WIRE}).status_code == 401
    auth = {"Authorization": "Bearer s3cret"}
    too_big = guarded.post("/articles", json={"text": WIRE * 50}, headers=auth)
    assert too_big.status_code == 413 and "larger than" in too_big.json()["detail"]
    empty = guarded.post("/articles", json={"text": ""}, headers=auth)
    assert empty.status_code == 422
    wrong = guarded.post(
        "/articles", content=b"<xml/>", headers={**auth, "Content-Type": "application/xml"}
    )
    assert wrong.status_code == 415


def test_paths_from_khatami_to_hashd_run_through_the_united_states(client):
    found = client.get(
        "/paths", params={"source": "Ahmad Khatami", "target": "Hashed al-Shaabi", "k": 2}
    ).json()
    assert found[0]["labels"] == ["Ahmad Khatami", "United States", "Hashd al-Shaabi"]
    assert all(hop["events"] for hop in found[0]["hops"])
    assert found[0]["hops"][1]["events"][0]["article"] == "soleimani-2020-01-05"


def test_paths_errors(client):
    unknown = client.get("/paths", params={"source": "Atlantis", "target": "USA"})
    assert unknown.status_code == 404
    assert client.get("/paths", params={"source": "USA"}).status_code == 422
    assert (
        client.get("/paths", params={"source": "USA", "target": "IRN", "k": 0}).status_code == 422
    )


def test_ego_network(client):
    ego = client.get("/actors/USA/network", params={"depth": 1}).json()
    labels = {n["label"] for n in ego["nodes"]}
    assert {"United States", "Qassem Soleimani", "Hashd al-Shaabi"} <= labels
    assert all(e["source"] in {n["id"] for n in ego["nodes"]} for e in ego["edges"])
    assert client.get("/actors/no-such-actor/network").status_code == 404
