"""The README's command-line examples while ``kg serve`` holds the store (issue 15,
deliverable 2).

A real ``kg serve`` process on 127.0.0.1 holds an on-disk store of the seeds (all but
one article); the read commands run against the same store path meanwhile and show the
data. Writes to the path stop with one line saying how; through the server's address
(``--store http://127.0.0.1:PORT/`` and ``KG_UPDATE_TOKEN``) they work, and the read
commands see them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kg.cli.main import app
from kg.graph.store import OxigraphGraphStore
from kg.ingest import ingest
from kg.models import Article
from kg.reading.readers import read_articles

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
#: Atlantic Desk, 5 January: one of the reports of the strike; ingested through the server.
LATE = SEEDS / "gulf-2019-2020" / "2020-01-05-iran-drops-jcpoa-limits.txt"
LATE_ID = "66424ff788d1a7b7"
KG = Path(sys.executable).with_name("kg")
TOKEN = "serving-s3cret"
#: The README's query: events whose target is Soleimani.
README_QUERY = """PREFIX kgo: <https://w3id.org/kg-geo/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?date ?source ?code ?mentions ?articles WHERE {
  ?e a kgo:Event ; kgo:target <https://w3id.org/kg-geo/actor/qassem-soleimani> ;
     kgo:source/skos:prefLabel ?source ; kgo:eventCode/skos:notation ?code ;
     kgo:eventDate ?date ; kgo:mentionCount ?mentions ; kgo:articleCount ?articles .
} ORDER BY ?date"""
STRIKE = """PREFIX kgo: <https://w3id.org/kg-geo/ontology#>
SELECT ?e ?articles WHERE {
  ?e kgo:source <https://w3id.org/kg-geo/actor/USA> ;
     kgo:target <https://w3id.org/kg-geo/actor/qassem-soleimani> ;
     kgo:eventRoot <https://w3id.org/kg-geo/cameo/19> ; kgo:articleCount ?articles }"""
ARTICLES = (
    "PREFIX kgo: <https://w3id.org/kg-geo/ontology#> "
    "SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Article }"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory, extractor):
    """(store path, server URL): ``kg serve`` holding a store of the seeds but LATE."""
    store = tmp_path_factory.mktemp("serving") / "store"
    articles = [a for a in read_articles([SEEDS]) if isinstance(a, Article) and a.id != LATE_ID]
    with OxigraphGraphStore(store) as graph:
        assert ingest(articles, extractor, graph).stored == 73
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    process = subprocess.Popen(
        [str(KG), "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, "KG_UPDATE_TOKEN": TOKEN},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"kg serve exited: {process.stdout.read().decode()}")
            try:
                with urllib.request.urlopen(f"{url}health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("kg serve did not answer /health within 60 s")
            time.sleep(0.2)
        yield store, url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def kg(*args: object, token: str | None = None):
    env = {"KG_UPDATE_TOKEN": token} if token else {}
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


def run_kg(*args: object, token: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("KG_UPDATE_TOKEN", None)
    if token:
        env["KG_UPDATE_TOKEN"] = token
    return subprocess.run(
        [str(KG), *map(str, args)], capture_output=True, text=True, env=env, timeout=300
    )


def rows(store: Path | str, query: str) -> list[dict]:
    result = kg("query", query, "--format", "json", "--store", store)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_readme_read_examples_work_while_the_server_holds_the_store(served, tmp_path):
    store, _url = served
    # the installed `kg` script, in its own process, as a user types it
    query = run_kg("query", README_QUERY, "--store", store)
    assert query.returncode == 0, query.stderr
    assert "United States" in query.stdout and "Ali Khamenei" in query.stdout
    stats = run_kg("stats", "--store", store)
    assert stats.returncode == 0, stats.stderr
    assert "articles" in stats.stdout and "73" in stats.stdout

    (strike,) = rows(store, STRIKE)
    event_id = strike["e"].rsplit("/", 1)[-1]
    event = kg("event", event_id, "--store", store)
    assert event.exit_code == 0, event.output
    assert "United States —19" in event.stdout and "Qassem Soleimani" in event.stdout

    turtle = tmp_path / "graph.ttl"
    assert kg("export", "--format", "turtle", "-o", turtle, "--store", store).exit_code == 0
    assert len(Graph().parse(turtle, format="turtle")) > 10_000
    events_csv = kg("export", "--format", "csv", "--store", store)
    assert events_csv.exit_code == 0
    assert any(line.startswith(event_id + ",") for line in events_csv.stdout.splitlines())
    mentions_csv = kg("export", "--format", "csv", "--mentions", "--store", store)
    assert next(csv.reader(io.StringIO(mentions_csv.stdout)))[0] == "GLOBALEVENTID"

    path = kg("path", "Ahmad Khatami", "Hashed al-Shaabi", "--store", store)
    assert path.exit_code == 0, path.output
    assert "Ahmad Khatami → United States → Hashd al-Shaabi" in path.stdout
    centrality = kg("centrality", "--by", "betweenness", "--top", "5", "--json", "--store", store)
    assert centrality.exit_code == 0, centrality.output
    assert "Iran" in {row["label"] for row in json.loads(centrality.stdout)}
    dyad = kg("dyad", "USA", "IRN", "--store", store)
    assert dyad.exit_code == 0 and "United States – Iran" in dyad.stdout
    network = kg("network", "USA", "--format", "json", "--store", store)
    assert network.exit_code == 0, network.output
    assert len(json.loads(network.stdout)["nodes"]) > 5


def test_writing_to_the_path_says_how_to_write_through_the_server(served):
    store, _url = served
    result = run_kg("ingest", LATE, "--store", store)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot open the store at {store}: another process has it")
    assert "--store http://HOST:PORT/" in line and "KG_UPDATE_TOKEN" in line
    removed = run_kg("remove", LATE_ID, "--store", store)
    assert removed.returncode == 2 and "--store http://HOST:PORT/" in removed.stderr


def test_ingest_and_remove_through_the_server(served):
    store, url = served
    refused = run_kg("ingest", LATE, "--store", url)
    assert refused.returncode == 2
    (line,) = refused.stderr.strip().splitlines()
    assert "answered 401" in line and "set KG_UPDATE_TOKEN" in line

    before = int(rows(store, STRIKE)[0]["articles"])
    stored = kg("ingest", LATE, "--store", url, token=TOKEN)
    assert stored.exit_code == 0, stored.output
    assert rows(store, ARTICLES) == [{"n": "74"}]  # the path, read beside the server
    assert int(rows(store, STRIKE)[0]["articles"]) == before + 1  # as in the README: 4
    with urllib.request.urlopen(f"{url}stats") as answer:
        assert json.load(answer)["articles"] == 74

    removed = kg("remove", LATE_ID, "--store", url, token=TOKEN)
    assert removed.exit_code == 0, removed.output
    assert "removed 1 article" in removed.output
    assert rows(store, ARTICLES) == [{"n": "73"}]
    assert int(rows(store, STRIKE)[0]["articles"]) == before
    again = kg("remove", LATE_ID, "--store", url, token=TOKEN)
    assert again.exit_code == 2
    assert f"no article stored with id '{LATE_ID}'" in again.output


def test_import_and_read_through_the_servers_address(served, tmp_path):
    store, url = served
    note = tmp_path / "note.ttl"
    note.write_text('<https://example.org/note> <https://example.org/says> "served" .\n')
    note_query = (
        "SELECT ?says WHERE { <https://example.org/note> <https://example.org/says> ?says }"
    )
    refused = kg("import", note, "--store", url)
    assert refused.exit_code == 2 and "HTTP 401" in refused.output

    imported = kg("import", note, "--store", url, token=TOKEN)
    assert imported.exit_code == 0, imported.output
    assert rows(store, note_query) == [{"says": "served"}]  # in the store the server holds
    assert rows(url, note_query) == [{"says": "served"}]  # read through its /sparql
    stats = kg("stats", "--store", url)
    assert stats.exit_code == 0 and "articles" in stats.stdout
