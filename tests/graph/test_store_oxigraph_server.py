"""kg on a real Oxigraph server (``oxigraph serve``, a dev dependency) started on
127.0.0.1 for this module: ingest and import through its Graph Store endpoint
(``/store``, N-Quads, one request per batch), export streamed from it, the service on
top of it (the checks: tests/graph/server_checks.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import server_checks as checks
from rdflib import RDFS, Graph, Literal, URIRef
from sparql_servers import oxigraph_server

from kg.graph.server_store import SparqlServerStore
from kg.graph.store import OxigraphGraphStore


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The /query URL of an Oxigraph server into which `kg ingest seeds/` has run."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-seeds")) as url:
        checks.cli_ingest_of_the_seeds(url)
        yield url


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Another Oxigraph server, for the checks that start from an empty store."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-fresh")) as url:
        yield url


def test_writes_go_to_the_store_endpoint_in_batches(ingested):
    store = SparqlServerStore(ingested)
    assert store.graph_store is not None
    assert store.graph_store.url == ingested.removesuffix("/query") + "/store"
    assert store.graph_store.datasets, "one N-Quads request takes a whole batch"
    assert store.article_batch > 1
    assert SparqlServerStore(ingested, graph_store=False).article_batch == 1


def test_cli_ingest_and_export_equal_an_embedded_ingest(ingested, extractor, tmp_path):
    checks.check_export_equals_an_embedded_ingest(ingested, extractor, tmp_path)


def test_reingesting_the_seeds_stores_nothing(ingested):
    checks.check_reingesting_stores_nothing(ingested)


def test_the_service_answers_an_actor_profile(ingested, tmp_path):
    checks.check_the_service_answers_an_actor_profile(ingested, tmp_path)


def test_a_run_stopped_between_events_and_graphs_is_repaired(fresh, extractor):
    checks.check_a_run_stopped_between_events_and_graphs_is_repaired(fresh, extractor)


def test_import_goes_through_the_graph_store(fresh, extractor, tmp_path):
    checks.check_import_goes_through_the_graph_store(fresh, extractor, tmp_path)


def test_update_then_add_does_the_same_on_both_kinds_of_store(fresh):
    """The Store method ingest's batches use: on the embedded store one transaction, on
    a server an update then a GSP request; the same quads either way."""
    checks.clear(fresh)
    graph = Graph(identifier=URIRef("https://example.org/article"))
    graph.add((URIRef("https://example.org/a"), RDFS.label, Literal("é", lang="fr")))
    update = (
        "INSERT DATA { GRAPH <https://example.org/events> { <https://example.org/e> "
        '<https://example.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> } }'
    )
    embedded = OxigraphGraphStore(None)
    for store in (embedded, SparqlServerStore(fresh)):
        store.update_then_add(update, [graph])
    assert checks.nquads(SparqlServerStore(fresh)) == checks.nquads(embedded)
    assert len(checks.nquads(embedded)) == 2
