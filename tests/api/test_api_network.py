"""The actor network over HTTP (api.paths, api.network) on a store holding the seed
article: paths with evidence, filters, ego networks, network formats, centrality,
communities, dyads, timelines, and the projection kept current by POST /articles."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kg.graph.store import OxigraphGraphStore
from kg.ingest import ingest
from kg.reading.readers import read_articles
from kg.settings import Settings

pytestmark = pytest.mark.slow

SEED = Path(__file__).resolve().parents[2] / "seeds" / "soleimani-2020-01-05.txt"
ACTOR = "https://w3id.org/kg-geo/actor/"
USA, KHATAMI, HASHD, TRUMP, KATAIB = (
    ACTOR + name
    for name in ("USA", "ahmad-khatami", "hashd-al-shaabi", "donald-trump", "kataib-hezbollah")
)
KHATAMI_TO_HASHD = {"source": "Ahmad Khatami", "target": "Hashed al-Shaabi"}
TOKEN = "s3cret-token"
#: A real sentence (see tests/test_extraction.py) linking an actor new to the seed
#: network, Kata'ib Hezbollah, to the United States.
PROTEST = {
    "id": "kh-protest",
    "date": "2020-01-01",
    "text": "Supporters of Kata'ib Hezbollah protested against the United States in Baghdad.",
}


@pytest.fixture(scope="module")
def seeded(extractor) -> OxigraphGraphStore:
    store = OxigraphGraphStore(None)
    ingest(read_articles([SEED]), extractor, store)
    return store


@pytest.fixture(scope="module")
def client(seeded, extractor) -> TestClient:
    app = create_app(Settings(), seeded)
    app.state.extractor = extractor
    with TestClient(app) as client:
        yield client


@pytest.fixture
def guarded(seeded, extractor) -> TestClient:
    """A service with an update token on a copy of the seed store, to change freely."""
    store = OxigraphGraphStore(None)
    store.oxigraph.extend(seeded.oxigraph)
    app = create_app(Settings(update_token=TOKEN), store)
    app.state.extractor = extractor
    with TestClient(app) as client:
        yield client


def paths(client: TestClient, **params) -> list[dict]:
    response = client.get("/paths", params={**KHATAMI_TO_HASHD, **params})
    assert response.status_code == 200, response.text
    return response.json()


def codes(hop: dict) -> set[str]:
    return {e["code"] for e in hop["events"]}


# --- paths -----------------------------------------------------------------------------


def test_path_from_khatami_to_hashd_runs_through_the_united_states(client):
    found = paths(client)
    assert found[0]["actors"] == [KHATAMI, USA, HASHD]
    assert found[0]["labels"] == ["Ahmad Khatami", "United States", "Hashd al-Shaabi"]
    threat, strike = found[0]["hops"]
    assert (threat["source"], threat["target"]) == (KHATAMI, USA)
    assert codes(threat) == {"010", "138"}
    assert all("revenge" in e["sentence"] for e in threat["events"])
    convoy = [e for e in strike["events"] if e["code"] == "190"]
    assert convoy and convoy[0]["date"] == "2020-01-04"
    assert "convoy" in convoy[0]["sentence"]
    assert all(
        e["article"] == "soleimani-2020-01-05" for h in found[0]["hops"] for e in h["events"]
    )
    assert all(0 < e["confidence"] <= 1 for h in found[0]["hops"] for e in h["events"])


def test_path_filters(client):
    assert paths(client, root="19") == []  # Khatami threatens and speaks, never strikes
    (threat_then_strike,) = paths(client, root=["13", "19"])
    assert threat_then_strike["actors"] == [KHATAMI, USA, HASHD]
    assert codes(threat_then_strike["hops"][0]) == {"138"}  # the 010 statement is filtered out
    assert codes(paths(client, quad=["3", "4"])[0]["hops"][0]) == {"138"}
    assert paths(client, quad="4") == []
    assert paths(client, since="2021-01-01") == []
    assert paths(client, until="2020-01-03") == []
    assert paths(client, actor_type="State") == []  # Khatami is a person
    assert paths(client, actor_type=["State", "Person", "ArmedGroup"])[0]["actors"] == [
        KHATAMI,
        USA,
        HASHD,
    ]


def test_min_confidence_drops_weaker_evidence(client):
    threat = paths(client)[0]["hops"][0]
    above = max(e["confidence"] for e in threat["events"]) + 0.01
    for path in paths(client, min_confidence=above):
        assert path["actors"][:2] != [KHATAMI, USA]
        assert all(e["confidence"] >= above for h in path["hops"] for e in h["events"])


def test_directed_paths_and_path_limits(client):
    (forward,) = paths(client, directed="true")
    assert forward["actors"] == [KHATAMI, USA, HASHD]
    back = {"source": "Hashed al-Shaabi", "target": "Ahmad Khatami", "directed": True}
    assert client.get("/paths", params=back).json() == []  # no one acts on Khatami
    assert paths(client, max_hops=1) == []
    assert len(paths(client, k=1)) == 1


def test_hop_events_say_who_acted_on_whom(client):
    """Undirected, a hop lists the events of both directions; without each event's
    source and target, the convoy strike on the Hashd reads as the Hashd striking the
    United States on the hop from Hashd to the United States."""
    (back,) = paths(client, source="Hashed al-Shaabi", target="Ahmad Khatami", k=1)
    assert back["actors"] == [HASHD, USA, KHATAMI]
    hop = back["hops"][0]
    assert (hop["source"], hop["target"]) == (HASHD, USA)
    convoy = [e for e in hop["events"] if "convoy" in e["sentence"]]
    assert convoy, hop
    assert (convoy[0].get("source"), convoy[0].get("target")) == (USA, HASHD)


@pytest.mark.parametrize(
    ("params", "status", "detail"),
    [
        ({"since": "2020-02-01", "until": "2020-01-01"}, 400, "is after until"),
        ({"root": "33"}, 422, "query.root.0"),  # the OpenAPI schema states the roots
        ({"quad": "5"}, 422, "less than or equal to 4"),
        ({"source": "USA", "target": "United States"}, 400, "same actor"),
        ({"source": "Atlantis"}, 404, "no actor named 'Atlantis'"),
        ({"target": "Iran"}, 404, "takes part in no event"),
        ({"since": "last tuesday"}, 422, "since"),
        ({"min_confidence": "1.5"}, 422, "min_confidence"),
        ({"max_hops": "0"}, 422, "max_hops"),
    ],
)
def test_path_errors(client, params, status, detail):
    response = client.get("/paths", params={**KHATAMI_TO_HASHD, **params})
    assert response.status_code == status, response.text
    assert detail in json.dumps(response.json()["detail"])


def test_an_unknown_actor_type_is_refused(client):
    """An unknown type is refused (not answered with an empty network, where a misspelt
    "state" would look like "no connection"); the schema lists the types."""
    response = client.get("/paths", params={**KHATAMI_TO_HASHD, "actor_type": "Dragon"})
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    assert problem["where"] == "query.actor_type.0" and "'ArmedGroup'" in problem["problem"]


# --- ego networks and the whole network ---------------------------------------------------


def test_ego_network_with_depth_and_filters(client):
    one = client.get("/actors/Ahmad Khatami/network").json()
    assert {n["id"] for n in one["nodes"]} >= {KHATAMI, USA, TRUMP}
    assert HASHD not in {n["id"] for n in one["nodes"]}
    two = client.get("/actors/Ahmad Khatami/network", params={"depth": 2}).json()
    assert HASHD in {n["id"] for n in two["nodes"]}
    small = client.get("/actors/USA/network", params={"max_actors": 2}).json()
    assert len(small["nodes"]) == 2 and USA in {n["id"] for n in small["nodes"]}
    fights = client.get("/actors/USA/network", params={"root": "19"}).json()
    assert fights["edges"] and all(e["code"].startswith("19") for e in fights["edges"])
    alone = client.get("/actors/Ahmad Khatami/network", params={"root": "19"}).json()
    assert [n["id"] for n in alone["nodes"]] == [KHATAMI] and alone["edges"] == []
    assert client.get("/actors/Atlantis/network").status_code == 404


def test_ego_network_lists_the_centre_then_nearer_actors_first(client):
    two = client.get("/actors/Ahmad Khatami/network", params={"depth": 2}).json()
    ids = [n["id"] for n in two["nodes"]]
    assert ids[0] == KHATAMI
    assert ids.index(USA) < ids.index(HASHD)  # one hop before two


def test_whole_network_in_three_formats(client):
    as_json = client.get("/network")
    assert as_json.status_code == 200
    assert as_json.headers["content-type"].startswith("application/json")
    data = as_json.json()
    assert {KHATAMI, USA, HASHD, TRUMP} <= {n["id"] for n in data["nodes"]}
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels[USA] == "United States"
    edges = {(e["source"], e["target"], e["event"]) for e in data["edges"]}
    assert any(e[:2] == (KHATAMI, USA) for e in edges)
    for format, read, media_type in (
        ("graphml", nx.read_graphml, "application/graphml+xml"),
        ("gexf", nx.read_gexf, "application/gexf+xml"),
    ):
        response = client.get("/network", params={"format": format})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media_type)
        assert f'filename="network.{format}"' in response.headers["content-disposition"]
        graph = read(io.BytesIO(response.content))
        assert set(graph) == set(labels)
        assert graph.nodes[USA]["label"] == "United States"
        assert {(u, v, d["event"]) for u, v, d in graph.edges(data=True)} == edges
    assert client.get("/network", params={"format": "xlsx"}).status_code == 422


def test_whole_network_filtered(client):
    fights = client.get("/network", params={"root": "19", "since": "2020-01-05"}).json()
    assert fights["edges"]
    assert all(e["root"] == "19" and e["date"] >= "2020-01-05" for e in fights["edges"])
    everything = client.get("/network").json()
    assert len(fights["edges"]) < len(everything["edges"])
    assert len(fights["nodes"]) == len(everything["nodes"])  # actors are kept


# --- metrics -----------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["degree", "betweenness", "pagerank"])
def test_centrality_puts_the_united_states_first(client, by):
    ranked = client.get("/network/centrality", params={"by": by, "top": 5}).json()
    assert len(ranked) == 5
    assert ranked[0]["actor"] == USA and ranked[0]["label"] == "United States"
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)
    assert ranked[0]["events"] == max(r["events"] for r in ranked)


def test_centrality_errors(client):
    response = client.get("/network/centrality", params={"by": "foo"})
    assert response.status_code == 422
    assert "by" in json.dumps(response.json()["detail"])
    assert client.get("/network/centrality", params={"top": 0}).status_code == 422


def test_communities(client):
    found = client.get("/network/communities").json()
    assert found and [c["number"] for c in found] == list(range(1, len(found) + 1))
    sizes = [len(c["actors"]) for c in found]
    assert sizes == sorted(sizes, reverse=True) and min(sizes) >= 2
    members = [a for c in found for a in c["actors"]]
    assert len(members) == len(set(members))
    assert all(len(c["labels"]) == len(c["actors"]) and c["events_inside"] >= 1 for c in found)
    (usa,) = [c for c in found if USA in c["actors"]]
    assert HASHD in usa["actors"] and usa["actors"][0] == USA
    assert client.get("/network/communities", params={"min_size": 100}).json() == []


def test_dyad_of_the_united_states_and_khatami(client):
    response = client.get("/dyads", params={"a": "USA", "b": "Ahmad Khatami"})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "actors": [USA, KHATAMI],
        "labels": ["United States", "Ahmad Khatami"],
        "events": 2,
        "by_direction": {"a->b": 0, "b->a": 2},
        "by_root": {"01": 1, "13": 1},
        "goldstein": -7.0,
        "months": [
            {"month": "2020-01", "events": 2, "goldstein": -7.0, "cooperation": 1, "conflict": 1}
        ],
        "undated": 0,
    }
    threats = client.get("/dyads", params={"a": "USA", "b": "Ahmad Khatami", "root": "13"})
    assert threats.json()["by_root"] == {"13": 1}
    assert client.get("/dyads", params={"a": "USA", "b": "Atlantis"}).status_code == 404
    assert client.get("/dyads", params={"a": "USA"}).status_code == 422
    same = client.get("/dyads", params={"a": "USA", "b": "United States"})
    assert same.status_code == 400 and "two actors" in same.json()["detail"]


def test_timeline_of_the_united_states(client):
    rows = client.get("/actors/USA/timeline").json()
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    assert rows[0]["date"] == "2020-01-04" and rows[0]["counterpart"] == HASHD
    assert rows[0]["role"] == "source" and "convoy" in rows[0]["sentence"]
    threats = [r for r in rows if r["counterpart"] == KHATAMI]
    assert {(r["role"], r["code"]) for r in threats} == {("target", "010"), ("target", "138")}
    assert all(r["counterpart_label"] for r in rows)
    later = client.get("/actors/United States/timeline", params={"since": "2020-01-05"}).json()
    assert later == [r for r in rows if r["date"] >= "2020-01-05"]
    assert client.get("/actors/Atlantis/timeline").status_code == 404


# --- keeping the projection current ----------------------------------------------------


def test_posted_article_updates_the_network_in_place(guarded):
    app = guarded.app
    assert (
        guarded.get("/paths", params={"source": KATAIB, "target": "Hashed al-Shaabi"}).status_code
        == 404
    )
    with app.state.network.reading() as network:
        before = network
    response = guarded.post("/articles", json=PROTEST, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 201, response.text
    assert response.json()["stored"] == 1

    found = guarded.get(
        "/paths", params={"source": "Kata'ib Hezbollah", "target": "Hashed al-Shaabi"}
    ).json()
    assert found[0]["actors"] == [KATAIB, USA, HASHD]
    protest = found[0]["hops"][0]["events"]
    assert [(e["code"][:2], e["article"]) for e in protest] == [("14", "kh-protest")]
    ego = guarded.get("/actors/USA/network").json()
    assert KATAIB in {n["id"] for n in ego["nodes"]}
    assert any(e["source"] == KATAIB and e["target"] == USA for e in ego["edges"])
    assert app.state.network._network is before  # updated in place, not rebuilt


def test_sparql_update_invalidates_the_network(guarded):
    app = guarded.app
    assert paths(guarded)[0]["actors"] == [KHATAMI, USA, HASHD]
    before = app.state.network._network
    update = (
        "PREFIX kgo: <https://w3id.org/kg-geo/ontology#>\n"
        f"DELETE {{ GRAPH ?g {{ ?e ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?e kgo:source <{KHATAMI}> ;"
        f" kgo:target <{USA}> ; ?p ?o }} }}"
    )
    headers = {"content-type": "application/sparql-update"}
    refused = guarded.post("/sparql", content=update.encode(), headers=headers)
    assert refused.status_code == 401
    assert app.state.network._network is before
    headers["authorization"] = f"Bearer {TOKEN}"
    assert guarded.post("/sparql", content=update.encode(), headers=headers).status_code == 204
    assert paths(guarded) == []  # Khatami's threats against the United States are gone
    assert app.state.network._network is not before
    ego = guarded.get("/actors/Ahmad Khatami/network").json()
    assert {n["id"] for n in ego["nodes"]} == {KHATAMI, TRUMP}
