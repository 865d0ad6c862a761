"""The counts kept in memory (``kg.graph.event_index``) answer what the SPARQL versions
answer: ``/stats``, the actor profile's counts by root and counterparts, and the
``/events`` pages, on the seed articles; and they follow ``POST /articles`` and
``DELETE /articles/{id}`` in place (issue 15, deliverable 5)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.events import event_out
from kg.graph.event_index import EventIndex
from kg.graph.queries import EventFilter, actor_detail, find_events
from kg.graph.stats import graph_stats
from kg.graph.store import OxigraphGraphStore
from kg.ingest import ingest
from kg.network.metrics import timeline
from kg.network.projection import ActorNetwork
from kg.reading.readers import read_articles
from kg.settings import Settings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
GULF = SEEDS / "gulf-2019-2020"
GULF_WIRE = GULF / "2020-01-03-soleimani-killed-baghdad-airport.txt"
GULF_WIRE_ID = "01d4a11673fb5964"
LEDGER = GULF / "2020-01-03-pentagon-confirms-soleimani-strike.txt"
LATER = (GULF_WIRE, LEDGER)  # posted in the test; they share events with the others
TOKEN = "s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def seeded(extractor) -> OxigraphGraphStore:
    """Every seed article but the two posted later."""
    store = OxigraphGraphStore(None)
    paths = [SEEDS / "soleimani-2020-01-05.txt", *(p for p in sorted(GULF.iterdir()))]
    ingest(read_articles([p for p in paths if p not in LATER]), extractor, store)
    return store


def actors_of(store: OxigraphGraphStore) -> list[str]:
    rows = store.select(
        "PREFIX kgo: <https://w3id.org/kg-geo/ontology#>\n"
        "SELECT DISTINCT ?a WHERE { ?e a kgo:Event { ?e kgo:source ?a } UNION "
        "{ ?e kgo:target ?a } }"
    )
    return sorted(r["a"] or "" for r in rows)


def filters(store: OxigraphGraphStore) -> list[EventFilter]:
    """Event filters of every kind: each actor as source, some as target, codes, dates."""
    actors = actors_of(store)
    usa, iran = "https://w3id.org/kg-geo/actor/USA", "https://w3id.org/kg-geo/actor/IRN"
    found = [EventFilter(source=a, limit=500) for a in actors]
    found += [EventFilter(target=a, limit=500) for a in actors[::5]]
    found += [
        EventFilter(),
        EventFilter(limit=7, offset=3),
        EventFilter(source=usa, target=iran),
        EventFilter(code="19", limit=500),
        EventFilter(code="042", limit=500),
        EventFilter(source=usa, code="17", limit=500),
        EventFilter(since=dt.date(2020, 1, 3), limit=500),
        EventFilter(until=dt.date(2020, 1, 2), limit=500),
        EventFilter(source=usa, since=dt.date(2020, 1, 1), until=dt.date(2020, 1, 5)),
        EventFilter(source=usa, limit=5, offset=5),
    ]
    return found


def check_against_sparql(index: EventIndex, store: OxigraphGraphStore) -> None:
    """Every figure of the index equals what the SPARQL version answers now."""
    assert index.stats() == graph_stats(store)
    for actor in actors_of(store):
        sparql = actor_detail(store, actor)
        assert index.roots_of(actor) == sparql.events_by_root, actor
        counted = [(a.id, n) for a, n in sparql.top_counterparts]
        assert index.counterparts(actor) == counted, actor
    for where in filters(store):
        listed = [e.id for e in find_events(store, where)]
        assert index.event_page(where) == listed, where


def test_the_index_answers_what_sparql_answers(seeded):
    index = EventIndex.from_store(seeded)
    assert index.stats().events > 100 and len(actors_of(seeded)) > 50  # a real test
    check_against_sparql(index, seeded)


@pytest.fixture
def client(extractor, seeded) -> TestClient:
    store = OxigraphGraphStore(None)
    store.oxigraph.extend(seeded.oxigraph.quads_for_pattern(None, None, None, None))
    app = create_app(Settings(update_token=TOKEN), store)
    app.state.extractor = extractor
    with TestClient(app) as client:
        yield client


def routes_match_sparql(client: TestClient) -> None:
    """/stats, the profiles and the events pages of the routes, against SPARQL."""
    store = client.app.state.store
    assert client.get("/stats").json() == graph_stats(store).model_dump()
    for actor in ("USA", "IRN", "IRQ", "qassem-soleimani"):
        profile = client.get(f"/actors/{actor}").json()
        sparql = actor_detail(store, profile["id"])
        assert profile["events_by_root"] == sparql.events_by_root
        assert [(c["actor"]["id"], c["events"]) for c in profile["top_counterparts"]] == [
            (a.id, n) for a, n in sparql.top_counterparts
        ]
        listed = client.get("/events", params={"source": actor, "limit": 500}).json()
        expected = find_events(store, EventFilter(source=profile["id"], limit=500))
        assert listed == [event_out(e).model_dump() for e in expected]  # records kept too
        own = client.get(f"/actors/{actor}/events", params={"limit": 500}).json()
        assert own == listed
    # the answers kept per network version (timeline, ego network) follow the store
    rebuilt = ActorNetwork.from_store(store)
    usa = "https://w3id.org/kg-geo/actor/USA"
    answer = client.get("/actors/USA/timeline")
    assert answer.headers["content-encoding"] == "gzip"  # kept gzipped for those who take it
    timeline_now = answer.json()
    plain = client.get("/actors/USA/timeline", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.json() == timeline_now
    assert [r["event"] for r in timeline_now] == [r["event"] for r in timeline(rebuilt, usa)]
    ego = client.get("/actors/USA/network", params={"max_actors": 5000}).json()
    expected_ego = rebuilt.ego(usa, 1, 5000)
    assert {e["event"] for e in ego["edges"]} == {k for _, _, k in expected_ego.edges(keys=True)}


def test_ingest_and_removal_update_the_figures_in_place(client, extractor):
    with client.app.state.live.index() as index:
        assert index.stats() == graph_stats(client.app.state.store)
    before = client.get("/stats").json()
    routes_match_sparql(client)

    records = []
    for path in LATER:
        (article,) = read_articles([path])
        records.append({"id": article.id, "text": article.text, "title": article.title})
        records[-1]["date"] = article.date and article.date.isoformat()
    posted = client.post("/articles", json=records, headers=AUTH)
    assert posted.status_code == 201, posted.text
    after = client.get("/stats").json()
    assert after["articles"] == before["articles"] + 2
    assert after["mentions"] > before["mentions"] and after["triples"] > before["triples"]
    routes_match_sparql(client)
    live = client.app.state.live
    with live.index() as index:
        check_against_sparql(index, client.app.state.store)
        kept = index

    removed = client.delete(f"/articles/{GULF_WIRE_ID}", headers=AUTH)
    assert removed.status_code == 200, removed.text
    assert client.get("/stats").json()["articles"] == before["articles"] + 1
    routes_match_sparql(client)
    with live.index() as index:
        assert index is kept  # updated in place, not rebuilt
        check_against_sparql(index, client.app.state.store)
