"""``/sparql``: the SPARQL 1.1 Protocol over two events of the seed article."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api import sparql
from api.app import create_app
from api.sparql import (
    SOLUTION_OFFERS,
    Operation,
    QueryPlan,
    SparqlError,
    answer_query,
    capped,
    negotiate,
    plan_query,
    plan_update,
    rows_exceed,
    tokenize,
)
from kg.graph.store import OxigraphGraphStore
from kg.settings import Settings

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "sparql" / "soleimani.trig"
ID = "https://w3id.org/kg-geo/id/"
ACTORS = f"{ID}graph/actors"
ARTICLE = f"{ID}graph/article/soleimani-2020-01-05"
PREFIXES = (
    "PREFIX kgo: <https://w3id.org/kg-geo/ontology#>\n"
    "PREFIX actor: <https://w3id.org/kg-geo/actor/>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)
#: Who fights whom, by name: the labels are in the actor graph, the events in the article's.
WHO_FIGHTS = PREFIXES + (
    "SELECT ?source ?target WHERE { ?s kgo:fights ?t . "
    "?s skos:prefLabel ?source . ?t skos:prefLabel ?target }"
)
SENTENCES = PREFIXES + "SELECT ?e ?sentence WHERE { ?e kgo:sentence ?sentence } ORDER BY ?e"
FORM = "application/x-www-form-urlencoded"
TOKEN = "s3cret-token"

MakeClient = Callable[..., TestClient]


@pytest.fixture
def store() -> OxigraphGraphStore:
    store = OxigraphGraphStore(None)
    store.load(FIXTURE, "trig")
    return store


@pytest.fixture
def make_client(store: OxigraphGraphStore) -> MakeClient:
    """``make_client(**settings)``: a TestClient on the fixture store with those settings."""

    def make_client(**settings: object) -> TestClient:
        return TestClient(create_app(Settings(store="memory", **settings), store))

    return make_client


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    return make_client()


def solutions(response) -> list[dict[str, str]]:
    """The rows of a SPARQL JSON, XML or TSV response, as plain strings."""
    media_type = response.headers["content-type"].split(";")[0]
    results = ox.parse_query_results(
        response.content, format=ox.QueryResultsFormat.from_media_type(media_type)
    )
    names = [v.value for v in results.variables]
    return [
        {n: t.value for n, t in zip(names, row, strict=True) if t is not None} for row in results
    ]


def triples(response) -> set[ox.Triple]:
    media_type = response.headers["content-type"].split(";")[0]
    fmt = ox.RdfFormat.from_media_type(media_type)
    return {quad.triple for quad in ox.parse(response.content, format=fmt)}


def assert_error(response, status: int, error: str, *words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error
    assert all(word in body["detail"] for word in words), body["detail"]


# -- the three ways to send a query ---------------------------------------------------------


def _get(client: TestClient, query: str, **kw):
    return client.get("/sparql", params={"query": query}, **kw)


def _form(client: TestClient, query: str, **kw):
    return client.post("/sparql", data={"query": query}, **kw)


def _direct(client: TestClient, query: str, **kw):
    headers = {"content-type": "application/sparql-query", **kw.pop("headers", {})}
    return client.post("/sparql", content=query.encode(), headers=headers, **kw)


@pytest.mark.parametrize("send", [_get, _form, _direct], ids=["GET", "form POST", "direct POST"])
def test_each_method_answers_sparql_json_by_default(client, send):
    response = send(client, WHO_FIGHTS)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert solutions(response) == [{"source": "United States", "target": "Qassem Soleimani"}]


# -- formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("*/*;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/xml"),
    ],
)
def test_select_results_follow_accept(client, accept, media_type):
    response = _get(client, SENTENCES, headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["vary"] == "Accept"
    if media_type == "application/json":
        rows = response.json()["results"]["bindings"]
        assert [row["e"]["value"] for row in rows] == [f"{ID}event/siege", f"{ID}event/strike"]
    else:
        rows = solutions(response)
        assert rows[0]["sentence"].startswith("In response, streams of Hashed supporters")


def test_csv_quotes_what_needs_quoting(client):
    response = _get(client, SENTENCES, headers={"accept": "text/csv"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["e"] for row in rows] == [f"{ID}event/siege", f"{ID}event/strike"]
    assert "Tehran's power" in rows[1]["sentence"]


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+json", "application/sparql-results+xml"]
)
def test_ask_answers_a_boolean(client, accept):
    query = PREFIXES + "ASK { actor:USA kgo:fights actor:qassem-soleimani }"
    response = _get(client, query, headers={"accept": accept})
    assert response.headers["content-type"] == accept
    media = ox.QueryResultsFormat.from_media_type(accept)
    assert bool(ox.parse_query_results(response.content, format=media)) is True


CONSTRUCT = PREFIXES + "CONSTRUCT { ?s kgo:fights ?t } WHERE { ?s kgo:fights ?t }"
FIGHTS = ox.Triple(
    ox.NamedNode("https://w3id.org/kg-geo/actor/USA"),
    ox.NamedNode("https://w3id.org/kg-geo/ontology#fights"),
    ox.NamedNode("https://w3id.org/kg-geo/actor/qassem-soleimani"),
)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "text/turtle"),
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
    ],
)
def test_construct_comes_as_rdf(client, accept, media_type):
    headers = {"accept": accept} if accept else {}
    response = _get(client, CONSTRUCT, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert triples(response) == {FIGHTS}


def test_describe_gives_the_triples_about_a_resource(client):
    response = _get(client, PREFIXES + "DESCRIBE actor:qassem-soleimani")
    labels = {t.object.value for t in triples(response) if t.predicate.value.endswith("prefLabel")}
    assert labels == {"Qassem Soleimani"}


def test_nothing_acceptable_is_406(client):
    response = _get(client, SENTENCES, headers={"accept": "image/png"})
    assert_error(response, 406, "NotAcceptable", "image/png", "application/sparql-results+json")
    response = _get(client, CONSTRUCT, headers={"accept": "text/csv"})
    assert_error(response, 406, "NotAcceptable", "text/turtle")


def test_negotiate_prefers_the_most_specific_range():
    chosen = negotiate("text/*;q=0.2, text/csv;q=0, */*;q=0.1", SOLUTION_OFFERS)
    assert chosen is not None and chosen.media_type == "text/tab-separated-values"
    assert negotiate(None, SOLUTION_OFFERS) == SOLUTION_OFFERS[0]
    assert negotiate("application/sparql-results+json;q=0", SOLUTION_OFFERS) is None


# -- the dataset ------------------------------------------------------------------------------


def test_the_default_graph_is_the_union_of_the_named_graphs(client):
    """Labels (actor graph) and events (article graph) join without GRAPH, as in kg query."""
    assert solutions(_get(client, WHO_FIGHTS))


def test_default_graph_uri_chooses_the_default_graph(client):
    params = {"query": WHO_FIGHTS, "default-graph-uri": ACTORS}
    assert solutions(client.get("/sparql", params=params)) == []
    params["default-graph-uri"] = [ACTORS, ARTICLE]  # repeated: their merge
    assert len(solutions(client.get("/sparql", params=params))) == 1
    assert len(solutions(client.post("/sparql", data=params))) == 1  # in a form too


def test_named_graph_uri_chooses_the_named_graphs(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.post(f"/sparql?named-graph-uri={quote(ARTICLE)}", data={"query": query})
    assert solutions(response) == [{"g": ARTICLE}]
    everything = "SELECT * WHERE { ?s ?p ?o }"  # and the default graph is then empty
    response = client.get("/sparql", params={"query": everything, "named-graph-uri": ARTICLE})
    assert solutions(response) == []


def test_from_in_the_query_is_respected(client):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{ACTORS}> WHERE {{ ?e a ?type }}"
    assert solutions(_get(client, query)) == [{"n": "4"}]


def test_a_graph_parameter_must_be_an_iri(client):
    params = {"query": WHO_FIGHTS, "default-graph-uri": "not an iri"}
    assert_error(client.get("/sparql", params=params), 400, "BadRequest", "not an iri")


# -- errors -----------------------------------------------------------------------------------


def test_a_malformed_query_gets_the_parsers_message(client):
    response = _get(client, "SELECT * WHERE { ?s ?p ")
    assert_error(response, 400, "QuerySyntaxError", "error at 1:")


def test_a_query_cannot_update(client, store):
    before = store.count()
    response = _get(client, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert_error(response, 400, "QuerySyntaxError")
    assert store.count() == before


@pytest.mark.parametrize(
    ("send", "status", "words"),
    [
        (lambda c: c.get("/sparql"), 400, ["missing query"]),
        (lambda c: c.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D"), 400, ["2 query"]),
        (lambda c: c.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"}), 400, []),
        (lambda c: c.get("/sparql", params={"update": "CLEAR ALL"}), 400, ["POST"]),
        (
            lambda c: c.post("/sparql", content=b"ASK {}", headers={"content-type": "text/plain"}),
            415,
            ["text/plain"],
        ),
        (lambda c: c.post("/sparql", content=b"query=ASK%20%7B%7D"), 415, ["no Content-Type"]),
        (
            lambda c: c.post(
                "/sparql",
                content="ASK {}".encode("utf-16"),
                headers={"content-type": "application/sparql-query; charset=UTF-16"},
            ),
            415,
            ["utf-16"],
        ),
        (
            lambda c: c.post(
                "/sparql?query=ASK%7B%7D",
                content=b"ASK {}",
                headers={"content-type": "application/sparql-query"},
            ),
            400,
            ["body"],
        ),
        (
            lambda c: c.get("/sparql", params={"query": "ASK {}", "using-graph-uri": ACTORS}),
            400,
            ["using-graph-uri"],
        ),
        (
            lambda c: c.post("/sparql", content=b"\xff", headers={"content-type": FORM}),
            400,
            ["UTF-8"],
        ),
    ],
    ids=[
        "missing",
        "two queries",
        "query and update",
        "update by GET",
        "wrong type",
        "no type",
        "UTF-16",
        "query in URL and body",
        "update parameter on a query",
        "not UTF-8",
    ],
)
def test_protocol_violations_say_what_is_wrong(client, send, status, words):
    response = send(client)
    assert response.status_code == status, response.text
    assert set(response.json()) == {"error", "detail"}
    assert all(word in response.json()["detail"] for word in words), response.json()


def test_other_methods_are_405(client):
    response = client.put("/sparql", params={"query": "ASK {}"})
    assert_error(response, 405, "MethodNotAllowed", "PUT")
    assert response.headers["allow"] == "GET, POST"


def test_a_body_over_the_limit_is_413(make_client):
    client = make_client(max_body_bytes=100)
    response = _direct(client, "ASK { " + "?s ?p ?o . " * 20 + "}")
    assert_error(response, 413, "PayloadTooLarge", "100 bytes")


def test_service_is_refused(client):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:7878/query> { ?s ?p ?o } }"
    assert_error(_get(client, query), 403, "Forbidden", "SERVICE")
    # ...but the word in a literal, an IRI or a comment is no SERVICE
    query = 'SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE <http://x/>\n'
    assert _get(client, query).status_code == 200


def test_a_store_without_oxigraph_is_501():
    class Remote:
        spec = "http://127.0.0.1:7878/query"

    client = TestClient(create_app(Settings(store="memory"), Remote()))  # type: ignore[arg-type]
    assert_error(_get(client, "ASK {}"), 501, "NotImplemented", "http://127.0.0.1:7878/query")


# -- updates ----------------------------------------------------------------------------------

INSERT = f"INSERT DATA {{ GRAPH <{ARTICLE}> {{ <urn:x> <urn:y> <urn:z> }} }}"
HAS_INSERTED = "ASK { <urn:x> <urn:y> <urn:z> }"


def _update(client: TestClient, update: str, token: str | None = TOKEN, path: str = "/sparql"):
    headers = {"content-type": "application/sparql-update"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    return client.post(path, content=update.encode(), headers=headers)


def test_updates_are_refused_without_a_configured_token(client, store):
    # even with a token in the request: writes are closed until the server has one
    for token in (None, TOKEN):
        assert_error(_update(client, INSERT, token), 403, "Forbidden", "KG_UPDATE_TOKEN")
    assert not store.ask(HAS_INSERTED)


@pytest.mark.parametrize("token", [None, "wrong"])
def test_updates_need_the_right_token(make_client, store, token):
    client = make_client(update_token=TOKEN)
    response = _update(client, INSERT, token)
    assert_error(response, 401, "Unauthorized", "KG_UPDATE_TOKEN")
    assert response.headers["www-authenticate"] == "Bearer"
    assert not store.ask(HAS_INSERTED)


def test_an_update_with_the_token_runs(make_client, store):
    client = make_client(update_token=TOKEN)
    response = _update(client, INSERT)
    assert response.status_code == 204, response.text
    assert store.ask(HAS_INSERTED)
    form = {"update": f"DELETE DATA {{ GRAPH <{ARTICLE}> {{ <urn:x> <urn:y> <urn:z> }} }}"}
    response = client.post("/sparql", data=form, headers={"authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204, response.text
    assert not store.ask(HAS_INSERTED)


def test_using_graph_uri_sets_the_updates_default_graph(make_client, store):
    client = make_client(update_token=TOKEN)
    update = (
        PREFIXES + "INSERT { GRAPH <urn:copy> { ?s a kgo:Labelled } } "
        "WHERE { ?s skos:prefLabel ?label }"
    )
    response = _update(client, update, path=f"/sparql?using-graph-uri={quote(ACTORS)}")
    assert response.status_code == 204, response.text
    assert len(store.select("SELECT ?s WHERE { GRAPH <urn:copy> { ?s ?p ?o } }")) == 4


def test_a_malformed_update_gets_the_parsers_message(make_client):
    client = make_client(update_token=TOKEN)
    assert_error(_update(client, "CLEAR XYZ"), 400, "UpdateSyntaxError", "error at 1:")


@pytest.mark.parametrize(
    "update", ["LOAD <file:///etc/passwd>", "LOAD SILENT <data.ttl>", "LOAD ex:x INTO GRAPH <a:b>"]
)
def test_load_never_reads_files_even_with_the_token(make_client, update):
    client = make_client(update_token=TOKEN)
    assert_error(_update(client, update), 403, "Forbidden", "LOAD")


# -- limits -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_a_result_over_the_row_limit_is_refused(make_client, accept):
    client = make_client(sparql_max_rows=3)
    everything = "SELECT * WHERE { ?s ?p ?o }"
    response = _get(client, everything, headers={"accept": accept})
    assert_error(response, 400, "ResultTooLarge", "3 rows", "LIMIT")
    assert _get(client, everything + " LIMIT 3", headers={"accept": accept}).status_code == 200
    response = _get(client, SENTENCES, headers={"accept": accept})  # 2 rows: under the limit
    assert response.status_code == 200, response.text


def test_the_row_limit_counts_triples_of_a_construct(make_client):
    client = make_client(sparql_max_rows=3)
    response = _get(client, "CONSTRUCT WHERE { ?s ?p ?o }")
    assert_error(response, 400, "ResultTooLarge", "LIMIT")
    assert _get(client, CONSTRUCT).status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT * { ?s ?p ?o }\nLIMIT 11"),
        ("SELECT * { ?s ?p ?o } LIMIT 5", "SELECT * { ?s ?p ?o } LIMIT 5"),
        ("SELECT * { ?s ?p ?o } limit 500 OFFSET 2", "SELECT * { ?s ?p ?o } limit 11 OFFSET 2"),
        (
            "SELECT * { { SELECT * { ?s ?p ?o } LIMIT 50 } }",
            "SELECT * { { SELECT * { ?s ?p ?o } LIMIT 50 } }\nLIMIT 11",
        ),
        ("SELECT * { ?s ?p ?o } # LIMIT 50", "SELECT * { ?s ?p ?o } # LIMIT 50\nLIMIT 11"),
        (
            "SELECT * { ?s ?p ?o } VALUES ?s { <a:b> }",
            "SELECT * { ?s ?p ?o } LIMIT 11\nVALUES ?s { <a:b> }",
        ),
        ("ASK { ?s ?p ?o }", "ASK { ?s ?p ?o }"),
        ('SELECT * { ?s ?p "LIMIT 50" }', 'SELECT * { ?s ?p "LIMIT 50" }\nLIMIT 11'),
    ],
)
def test_the_limit_is_lowered_to_the_row_limit_plus_one(query, expected):
    assert capped(query, tokenize(query), 10) == expected


@pytest.mark.parametrize("fmt", [f.format for f in SOLUTION_OFFERS[:4]])
def test_rows_are_counted_exactly_whatever_the_literals_hold(fmt):
    store = ox.Store()
    tricky = ['},{"a":{', "line\nbreak", 'quote " and , comma', "<result>", "tab\there"]
    store.extend(
        ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(text))
        for i, text in enumerate(tricky)
    )
    data = store.query("SELECT * { ?s ?p ?o }").serialize(format=fmt)
    assert not rows_exceed(data, fmt, 5)
    assert rows_exceed(data, fmt, 4)


def test_a_query_past_the_time_limit_is_503_and_the_server_keeps_answering():
    """A cross join over 3,000 triples (9M rows) cannot finish in 1 s; /health answers
    at once meanwhile, since Oxigraph evaluates without holding the GIL."""
    store = OxigraphGraphStore(None)
    store.oxigraph.extend(
        ox.Quad(
            ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(i), ox.NamedNode("urn:g")
        )
        for i in range(3000)
    )
    settings = Settings(store="memory", sparql_timeout=1.0, sparql_max_rows=10**8)
    heavy = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d }"
    with TestClient(create_app(settings, store)) as client:
        answers: list = []
        worker = threading.Thread(target=lambda: answers.append(_get(client, heavy)))
        started = time.monotonic()
        worker.start()
        time.sleep(0.2)
        health_started = time.monotonic()
        assert client.get("/health").status_code == 200
        assert time.monotonic() - health_started < 0.3
        worker.join(timeout=10)
        elapsed = time.monotonic() - started
    assert_error(answers[0], 503, "QueryTimeout", "1 s")
    assert elapsed < 3
    assert _all_slots_free_within(2.0), "the abandoned evaluation stops at its next write"


def _all_slots_free_within(seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        taken = [sparql._SLOTS.acquire(blocking=False) for _ in range(sparql.SLOTS)]
        for _ in range(sum(taken)):
            sparql._SLOTS.release()
        if all(taken):
            return True
        time.sleep(0.05)
    return False


def test_a_query_that_finds_no_free_slot_is_503_busy(make_client):
    client = make_client(sparql_timeout=0.3)
    for _ in range(sparql.SLOTS):  # as if abandoned queries ran on in every slot
        sparql._SLOTS.acquire()
    try:
        response = _get(client, "ASK {}")
    finally:
        for _ in range(sparql.SLOTS):
            sparql._SLOTS.release()
    assert_error(response, 503, "ServerBusy", "try again")
    assert response.headers["retry-after"] == "1"
    assert _get(client, "ASK {}").status_code == 200


def test_an_abandoned_evaluation_stops_at_its_next_write():
    store = ox.Store()
    store.extend(
        ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(i))
        for i in range(3000)
    )
    operation = Operation("query", "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d }")
    plan = plan_query(operation, "http://testserver/sparql", 10**8)
    cancelled = threading.Event()
    cancelled.set()
    started = time.monotonic()
    with pytest.raises(sparql._Cancelled):  # raised by the serialiser's first write
        answer_query(store, plan, None, 10**8, cancelled)
    assert time.monotonic() - started < 1


# -- looking inside queries and updates -------------------------------------------------------


def test_a_query_that_the_cap_would_break_runs_as_sent():
    plan = QueryPlan(text="ASK { LIMIT", original="ASK {}", options={})
    body, media_type = answer_query(ox.Store(), plan, None, 10, threading.Event())
    assert (body, media_type) == (b'{"head":{},"boolean":true}', "application/sparql-results+json")


def test_using_graph_uri_becomes_using_clauses_except_for_delete_where():
    update = "DELETE WHERE { ?s ?p ?o } ; INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }"
    planned = plan_update(Operation("update", update, ("urn:a",), ("urn:b",)))
    assert planned == (
        "DELETE WHERE { ?s ?p ?o } ; INSERT { ?s ?p 1 } USING <urn:a> USING NAMED <urn:b>\n"
        "WHERE { ?s ?p ?o }"
    )


def test_using_graph_uri_with_a_with_clause_is_a_conflict():
    update = "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    with pytest.raises(SparqlError) as raised:
        plan_update(Operation("update", update, ("urn:a",)))
    assert raised.value.status == 400


def test_a_relative_iri_resolves_against_the_endpoint(client):
    response = _get(client, "SELECT (<thing> AS ?iri) WHERE {}")
    assert solutions(response) == [{"iri": "http://testserver/thing"}]
