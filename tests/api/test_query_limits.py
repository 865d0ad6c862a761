"""Issue 15: nothing a client sends takes ``kg serve`` down or holds it.

A real ``kg serve`` on 127.0.0.1 over the seed article's store, with a time limit of
3 s and a memory limit of 128 MiB per query: runaway queries are stopped (their
processes killed, not left burning a core), a memory-hungry query and queries nested
deeply enough to crash pyoxigraph's parser get an error, and the server answers
``/health`` and light queries at once afterwards.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from test_api_server import SEED

from kg.graph.store import OxigraphGraphStore
from kg.ingest import ingest
from kg.reading.readers import read_articles

CSV = {"Accept": "text/csv"}
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HUNGRY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g LIMIT 10"
LIGHT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
P = "<http://example.org/p>"
TOKEN = "s3cret"
#: An update whose WHERE nests 5,000 groups: it crashed the server before updates were
#: parsed in a query process first (api.sparql_update).
NESTED_UPDATE = f"INSERT {{ {P} {P} {P} }} WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
#: Each makes pyoxigraph's recursive parser overflow its stack (a segfault).
CRASHERS = {
    "5,000 nested groups": "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,
    "3,000 nested OPTIONALs": "SELECT * WHERE { ?s ?p ?o "
    + "OPTIONAL { ?s ?p ?o " * 3000
    + "}" * 3000
    + " }",
    "5,000 nested parentheses": "SELECT * WHERE { ?s ?p ?o FILTER("
    + "(" * 5000
    + "?o"
    + ")" * 5000
    + ") }",
    "10,000-branch UNION": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 10000) + " }",
    "10,000-step property path": f"SELECT * WHERE {{ ?s {'/'.join([P] * 10000)} ?o }}",
}


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def query_processes(server_pid: int) -> set[int]:
    """The server's query processes: the children of its fork server."""
    return {worker for child in _children(server_pid) for worker in _children(child)}


def cpu_seconds(pids: set[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@pytest.fixture(scope="module")
def served(tmp_path_factory, extractor, kg_serve):
    path = tmp_path_factory.mktemp("limits") / "store"
    with OxigraphGraphStore(path) as store:
        ingest(read_articles([SEED]), extractor, store)
    url, process = kg_serve(
        path,
        KG_SPARQL_TIMEOUT="3",
        KG_SPARQL_MAX_MEMORY="128MiB",
        KG_SPARQL_WORKERS="2",
        KG_UPDATE_TOKEN=TOKEN,
    )
    with httpx.Client(base_url=url, timeout=60) as client:
        light = client.get("/sparql", params={"query": LIGHT}, headers=CSV)
        assert light.status_code == 200
        yield client, process
    assert process.poll() is None, "the server died"


def sparql(client: httpx.Client, query: str) -> httpx.Response:
    return client.post("/sparql", data={"query": query}, headers=CSV)


def test_three_runaway_queries_then_a_light_one(served):
    client, process = served
    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(lambda _: sparql(client, RUNAWAY), range(3)))
    assert all(a.status_code == 503 for a in answers), [a.text for a in answers]
    errors = sorted(a.json()["error"] for a in answers)
    # two run until the limit; the third waits its whole limit for a free process
    assert errors.count("QueryTimeout") >= 2 and set(errors) <= {"QueryTimeout", "ServerBusy"}
    assert "3 s" in answers[0].json()["detail"] or "busy" in answers[0].json()["detail"]
    started = time.monotonic()
    light = sparql(client, LIGHT)
    assert light.status_code == 200 and int(light.text.split()[1]) > 1000
    assert time.monotonic() - started < 2.0
    # the runaway evaluations stopped: the query processes idle instead of burning cores
    workers = query_processes(process.pid)
    before = cpu_seconds(workers)
    time.sleep(1.0)
    assert cpu_seconds(workers) - before < 0.3


def test_memory_hungry_and_deeply_nested_queries_leave_the_server_answering(served):
    client, process = served
    hungry = sparql(client, HUNGRY)
    assert hungry.status_code == 503, hungry.text
    assert hungry.json()["error"] == "QueryTooLarge" and "128 MiB" in hungry.json()["detail"]
    for name, query in CRASHERS.items():
        answer = sparql(client, query)
        assert answer.status_code in (400, 503), (name, answer.status_code, answer.text[:200])
        assert answer.json()["error"] in ("QueryTooComplex", "QuerySyntaxError", "QueryTimeout")
        assert client.get("/health").json()["status"] == "ok", name
    light = sparql(client, LIGHT)
    assert light.status_code == 200 and int(light.text.split()[1]) > 1000
    assert process.poll() is None


def test_a_killed_query_process_is_replaced(served):
    client, process = served
    before = query_processes(process.pid)
    assert len(before) == 2
    assert sparql(client, RUNAWAY).json()["error"] == "QueryTimeout"
    deadline = time.monotonic() + 5
    while (after := query_processes(process.pid)) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(after) == 2 and after != before and len(after & before) == 1
    assert sparql(client, LIGHT).status_code == 200


def test_a_deeply_nested_update_costs_a_query_process_not_the_server(served):
    client, process = served
    auth = {"Authorization": f"Bearer {TOKEN}"}
    answer = client.post("/sparql", data={"update": NESTED_UPDATE}, headers=auth)
    assert answer.status_code == 400, answer.text[:200]
    assert answer.json()["error"] == "QueryTooComplex"
    assert process.poll() is None and client.get("/health").json()["status"] == "ok"
    # the server still writes: a plain update goes through and a query sees it
    marker = '<http://example.org/nested-test> <http://example.org/p> "written"'
    done = client.post(
        "/sparql", data={"update": f"INSERT DATA {{ GRAPH {P} {{ {marker} }} }}"}, headers=auth
    )
    assert done.status_code == 204, done.text
    ask = 'ASK { <http://example.org/nested-test> ?p "written" }'
    seen = client.post(
        "/sparql", data={"query": ask}, headers={"Accept": "application/sparql-results+json"}
    )
    assert seen.status_code == 200 and seen.json()["boolean"] is True
