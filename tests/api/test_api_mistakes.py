"""Writes closed by default and clear mistakes over HTTP (issue 15): one bearer-token
check for every write route, unknown query parameters refused by name, and bad article
bodies answered with a 4xx JSON error, never a 500."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from kg.graph.store import OxigraphGraphStore
from kg.models import Article
from kg.settings import Settings

TOKEN = "s3cret"
WIRE = (
    "Iran fired ballistic missiles at the Ain al-Asad air base in Iraq on Wednesday, "
    "Iranian state television reported."
)
INSERT = "INSERT DATA { GRAPH <urn:g> { <urn:x> <urn:y> <urn:z> } }"


def make_client(extractor, token: str | None) -> TestClient:
    store = OxigraphGraphStore(None)
    app = create_app(Settings(update_token=token), store)
    app.state.extractor = extractor
    return TestClient(app)


@pytest.fixture
def closed(extractor) -> TestClient:
    return make_client(extractor, None)


@pytest.fixture
def guarded(extractor) -> TestClient:
    return make_client(extractor, TOKEN)


def post_article(client: TestClient, headers: dict[str, str]):
    return client.post("/articles", json={"id": "wire", "text": WIRE}, headers=headers)


def sparql_update(client: TestClient, headers: dict[str, str]):
    headers = {"content-type": "application/sparql-update", **headers}
    return client.post("/sparql", content=INSERT.encode(), headers=headers)


WRITES = [post_article, sparql_update]


def stored(client: TestClient) -> int:
    return client.app.state.store.count()


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
@pytest.mark.parametrize("headers", [{}, {"Authorization": f"Bearer {TOKEN}"}])
def test_writes_are_closed_until_a_token_is_configured(closed, write, headers) -> None:
    response = write(closed, headers)
    assert response.status_code == 403
    assert response.json() == {
        "error": "Forbidden",
        "detail": "writes are disabled on this server: start it with KG_UPDATE_TOKEN set to "
        "a secret, then send 'Authorization: Bearer <that secret>'",
    }
    assert stored(closed) == 0


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}],
    ids=["none", "wrong", "not-bearer"],
)
def test_every_write_route_answers_a_missing_or_wrong_token_alike(guarded, write, headers) -> None:
    response = write(guarded, headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"] == "Unauthorized"
    assert "KG_UPDATE_TOKEN" in response.json()["detail"]
    assert stored(guarded) == 0


def test_the_right_token_writes_through_both_routes(guarded) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert sparql_update(guarded, auth).status_code == 204
    response = post_article(guarded, auth)
    assert response.status_code == 201, response.text
    assert response.json()["stored"] == 1 and response.json()["skipped"] == []


def test_the_openapi_schema_documents_the_write_check(guarded) -> None:
    spec = guarded.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["updateToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "The server's KG_UPDATE_TOKEN; needed by every request that writes.",
    }
    post = spec["paths"]["/articles"]["post"]
    assert post["security"] == [{"updateToken": []}]
    assert {"400", "401", "403", "413", "415", "422"} <= set(post["responses"])
    assert set(post["requestBody"]["content"]) == {"application/json", "text/plain"}


@pytest.mark.parametrize(
    ("url", "unknown", "valid"),
    [
        ("/events?roots=19", "'roots'", "code, limit, offset, since, source, target, until"),
        ("/events?sorce=USA&limit=2", "'sorce'", "source"),
        ("/actors?q=iran&typ=State", "'typ'", "q"),
        ("/paths?source=USA&target=IRN&hops=2", "'hops'", "max_hops"),
        ("/actors/USA/network?depht=2", "'depht'", "depth"),
        ("/network/centrality?metric=degree", "'metric'", "by"),
        ("/export?format=nt&gzip=1", "'gzip'", "format"),
        ("/health?verbose=1", "'verbose'", "none"),
    ],
)
def test_unknown_query_parameters_are_refused_by_name(closed, url, unknown, valid) -> None:
    response = closed.get(url)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "BadRequest"
    assert f"unknown query parameter {unknown};" in body["detail"]
    assert valid in body["detail"].split(" takes: ")[1]


def test_known_parameters_and_the_sparql_protocol_are_unaffected(closed) -> None:
    assert closed.get("/events", params={"code": "19", "limit": 2}).status_code == 200
    assert closed.get("/actors", params={"q": "iran"}).status_code == 200
    ask = closed.get("/sparql", params={"query": "ASK {}", "unrelated": "x"})
    assert ask.status_code == 200


BAD_BODIES = [
    (b'{"text": "' + WIRE.encode() + b'", "date": "0001-01-01"}', 422, "out of range"),
    (b'{"text": "x", "n": ' + b"9" * 5000 + b"}", 400, "4300 digits"),
    (b"[" * 50_000 + b"]" * 50_000, 400, "nested too deeply"),
    (b'{"text": "Iran \\ud800 fired missiles."}', 422, "article 0: text"),
    (b'[{"text": "' + WIRE.encode() + b'"}, {"text": ""}]', 422, "article 1"),
    (b'{"text": "' + WIRE.encode() + b'", "date": "2020-13-45"}', 422, "not a calendar date"),
    (b"[]", 422, "no articles"),
    (b'{"text": ', 400, "malformed JSON"),
]


@pytest.mark.parametrize(("body", "status", "words"), BAD_BODIES)
def test_bad_article_bodies_get_a_4xx_json_error(guarded, body, status, words) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "content-type": "application/json"}
    response = guarded.post("/articles", content=body, headers=headers)
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]
    assert stored(guarded) == 0  # nothing of a refused request is stored


def test_plain_text_that_is_not_utf8_is_a_400(guarded) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "content-type": "text/plain"}
    response = guarded.post("/articles", content=b"Iran \xff fired", headers=headers)
    assert response.status_code == 400
    assert response.json()["detail"] == "the body is not UTF-8 (byte 5)"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)
RECORDS = st.fixed_dictionaries(
    {"text": st.one_of(st.text(max_size=80), JSON_VALUES)},
    optional={
        "id": JSON_VALUES,
        "date": st.one_of(st.sampled_from(["0001-01-01", "9999-12-31", "2020-02-30"]), JSON_VALUES),
        "title": JSON_VALUES,
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.one_of(RECORDS, st.lists(RECORDS, max_size=3), JSON_VALUES))
def test_no_json_body_makes_post_articles_fail_with_a_5xx(extractor, body) -> None:
    client = make_client(extractor, TOKEN)
    headers = {"Authorization": f"Bearer {TOKEN}", "content-type": "application/json"}
    response = client.post("/articles", content=json.dumps(body).encode(), headers=headers)
    assert response.status_code in (201, 400, 422), response.text
    assert set(response.json()) >= ({"stored"} if response.status_code == 201 else {"error"})


def test_rest_routes_answer_as_their_openapi_schema_says(extractor) -> None:
    """Every status a REST route (and ``POST /articles``) gives is documented, with the
    body the schema states (schemathesis, all its checks but one: a ``since`` after
    ``until`` is a 400 the schema cannot express, so schema-valid data may still be
    refused)."""
    import schemathesis

    app = make_client(extractor, TOKEN).app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path == "/sparql":
            continue  # the SPARQL protocol has its own tests (the W3C suite)
        writes = operation.method.upper() == "POST"
        conforms(operation, {"Authorization": f"Bearer {TOKEN}"} if writes else {})


def conforms(operation, headers: dict[str, str]) -> None:
    """Raise schemathesis' FailureGroup, naming each failure, if ``operation`` does not."""
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    @given(case=operation.as_strategy())
    @settings(
        max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case) -> None:
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    run()


def test_a_malformed_event_id_is_no_event(closed) -> None:
    response = closed.get("/events/not an {iri}")
    assert response.status_code == 404
    assert response.json() == {"error": "NotFoundError", "detail": "no event 'not an {iri}'"}


def test_validation_errors_carry_fastapis_fields_and_ours(closed) -> None:
    response = closed.get("/network/centrality", params={"quad": 9, "actor_type": "Pirate"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "BadRequest"
    assert {(tuple(p["loc"]), p["where"]) for p in body["detail"]} == {
        (("query", "quad", 0), "query.quad.0"),
        (("query", "actor_type", 0), "query.actor_type.0"),
    }
    assert all(p["msg"] == p["problem"] and p["type"] for p in body["detail"])


def test_the_service_answers_while_articles_are_ingested(extractor) -> None:
    """Extraction runs in a worker thread: /health answers while a POST /articles of
    twenty seed articles is still being ingested, on the same event loop."""
    import asyncio

    import httpx

    from kg.reading.readers import read_articles

    seeds = Path(__file__).resolve().parents[2] / "seeds"
    batch = [a for a in read_articles([seeds]) if isinstance(a, Article)][:20]
    body = [{"id": a.id, "text": a.text} for a in batch]
    app = make_client(extractor, TOKEN).app

    async def scenario() -> tuple[bool, int, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://kg") as client:
            auth = {"Authorization": f"Bearer {TOKEN}"}
            posting = asyncio.create_task(client.post("/articles", json=body, headers=auth))
            await asyncio.sleep(0.3)  # the ingest has started
            health = await client.get("/health")
            still_ingesting = not posting.done()
            posted = await posting
            return still_ingesting, health.status_code, posted.status_code

    still_ingesting, health, posted = asyncio.run(scenario())
    assert health == 200 and posted == 201
    assert still_ingesting, "/health waited for the ingest to finish"


def test_a_store_that_cannot_be_written_is_a_503(extractor) -> None:
    """Nothing listens on port 9 (discard): the remote store cannot be reached."""
    from kg.graph.store import SparqlServerStore

    app = create_app(Settings(update_token=TOKEN), SparqlServerStore("http://127.0.0.1:9/query"))
    app.state.extractor = extractor
    response = post_article(TestClient(app), {"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 503
    body = response.json()
    assert body["error"] == "ServiceUnavailable"
    assert body["detail"].startswith("the articles could not be stored: ")
    assert "cannot reach the server" in body["detail"]
