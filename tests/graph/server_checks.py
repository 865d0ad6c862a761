"""What every SPARQL server kg writes to must do, checked the same way on each
(tests/graph/test_store_oxigraph_server.py, test_store_virtuoso.py): the real CLI ingests
``seeds/`` through the server's Graph Store endpoint in batches and exports what an
embedded ingest holds; ``kg serve`` over the server answers an actor profile; a run
stopped between a batch's events and its articles' graphs is repaired by the next run;
``kg import`` goes through the Graph Store endpoint.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
from rdflib import Graph
from sparql_servers import SEEDS, embedded_seed_nquads, free_port, nquads, stop

from kg.errors import StoreError
from kg.extraction.extractor import RuleExtractor
from kg.graph.rdf import Minter
from kg.graph.server_store import SparqlServerStore
from kg.graph.store import OxigraphGraphStore, open_store
from kg.ingest import ingest
from kg.reading.readers import read_articles

KG = Path(sys.executable).with_name("kg")
KGO = "PREFIX kgo: <https://w3id.org/kg-geo/ontology#>\n"
USA = "https://w3id.org/kg-geo/actor/USA"
#: Seconds ``kg serve`` may take to be ready (it projects the network from the server).
READY_SECONDS = 180
#: Seed articles for the crash test: enough for a batch, few enough to extract quickly.
CRASH_ARTICLES = 6


def run_kg(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(KG), *args], capture_output=True, text=True, timeout=900, env=dict(os.environ)
    )
    assert result.returncode == 0, f"kg {' '.join(args)} failed:\n{result.stderr}"
    return result


def cli_ingest_of_the_seeds(url: str) -> str:
    """``kg ingest seeds/ --store URL``; its summary (stderr)."""
    return run_kg("ingest", str(SEEDS), "--store", url).stderr


def check_export_equals_an_embedded_ingest(url: str, extractor: RuleExtractor, tmp: Path):
    """``kg export --format nquads`` from the server: the embedded ingest's quads."""
    exported = tmp / "server.nq"
    run_kg("export", "--format", "nquads", "--store", url, "--output", str(exported))
    lines = {line for line in exported.read_bytes().splitlines() if line.strip()}
    reference = embedded_seed_nquads(extractor)
    missing, extra = reference - lines, lines - reference
    assert not missing and not extra, (
        f"{len(missing)} quads missing, {len(extra)} extra; e.g. "
        f"{sorted(missing)[:3]} / {sorted(extra)[:3]}"
    )
    with open_store(url) as store:
        assert store.count() == len(reference)


def check_reingesting_stores_nothing(url: str) -> None:
    with open_store(url) as store:
        before = store.count()
    summary = cli_ingest_of_the_seeds(url)
    assert re.search(r"articles stored\D+0\b", summary), summary
    assert re.search(r"already stored \(unchanged\)\D+[1-9]", summary), summary
    with open_store(url) as store:
        assert store.count() == before


def check_the_service_answers_an_actor_profile(url: str, tmp: Path) -> None:
    """``kg serve --store URL`` answers /actors/USA from the server's data, then stops."""
    port = free_port()
    log = tmp / "kg-serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(KG), "serve", "--store", url, "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            assert process.poll() is None, f"kg serve exited: {log.read_text()}"
            try:
                if httpx.get(f"{base}/health", timeout=2).json().get("ready"):
                    break
            except (httpx.TransportError, ValueError):
                pass
            assert time.monotonic() < deadline, f"kg serve not ready: {log.read_text()}"
            time.sleep(0.2)
        response = httpx.get(f"{base}/actors/USA", timeout=60)
        assert response.status_code == 200, response.text
        profile = response.json()
        assert profile["label"] == "United States"
        assert USA in response.text
        events = httpx.get(f"{base}/actors/USA/events", timeout=60)
        assert events.status_code == 200 and len(events.json()) > 0
    finally:
        stop(process)
    assert process.returncode is not None


class _StopsBeforeTheGraphs(SparqlServerStore):
    """A client that dies between a batch's events update and its articles' graphs."""

    def update_then_add(self, sparql: str, graphs: list[Graph]) -> None:
        self.update(sparql)
        raise StoreError("the client died here")


def check_a_run_stopped_between_events_and_graphs_is_repaired(
    url: str, extractor: RuleExtractor
) -> None:
    """Events written, articles' graphs not: the articles are absent, and the next run
    stores them and replaces those events; the store ends as an embedded ingest does."""
    clear(url)
    articles = [a for a in read_articles([SEEDS]) if not hasattr(a, "message")][:CRASH_ARTICLES]
    reference = OxigraphGraphStore(None)
    ingest(articles, extractor, reference)

    with _StopsBeforeTheGraphs(url) as stopped:
        assert stopped.article_batch >= CRASH_ARTICLES, "the articles go in one batch"
        try:
            ingest(articles, extractor, stopped)
        except StoreError:
            pass
        else:
            raise AssertionError("the stopped run raised nothing")
    graphs = [str(Minter(extractor.base_iri).graph(article.id)) for article in articles]
    with open_store(url) as store:
        assert not any(store.has_graph(graph) for graph in graphs), "the articles are absent"
        assert store.ask(
            KGO + "ASK { ?e kgo:hasMention ?m FILTER NOT EXISTS { ?m a kgo:Mention } }"
        ), "the stopped run left events whose reports' articles are absent"
        summary = ingest(articles, extractor, store)
        assert summary.stored == len(articles)
        assert all(store.has_graph(graph) for graph in graphs)
        assert nquads(store) == nquads(reference)


def clear(url: str) -> None:
    """Drop every graph of the user's data (a server's own graphs stay)."""
    with open_store(url) as store:
        for graph in store.graphs():
            store.update(f"DROP SILENT GRAPH <{graph}>")
        assert store.count() == 0


def check_import_goes_through_the_graph_store(url: str, extractor: RuleExtractor, tmp: Path):
    """``kg import`` of a dataset (N-Quads) gives the dataset back, and a Turtle file
    goes into the named graph given."""
    clear(url)
    dataset = tmp / "seeds.nq"
    dataset.write_bytes(b"\n".join(sorted(embedded_seed_nquads(extractor))) + b"\n")
    turtle = tmp / "extra.ttl"
    turtle.write_text('<https://example.org/a> <https://example.org/says> "h\\u00e9llo"@EN .\n')
    with open_store(url) as store:
        assert store.graph_store is not None, f"{url} has a Graph Store endpoint"
    summary = run_kg("import", str(dataset), "--store", url).stderr
    assert f"{len(embedded_seed_nquads(extractor))} triples added" in summary, summary
    with open_store(url) as store:
        assert nquads(store) == embedded_seed_nquads(extractor)
    run_kg("import", str(turtle), "--graph", "https://example.org/g", "--store", url)
    with open_store(url) as store:
        added = nquads(store) - embedded_seed_nquads(extractor)
    assert added == {
        '<https://example.org/a> <https://example.org/says> "héllo"@en '
        "<https://example.org/g> .".encode()
    }
