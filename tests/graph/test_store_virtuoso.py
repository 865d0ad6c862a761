"""kg on a real Virtuoso (Debian's virtuoso-opensource 7.2, installed by ``make test``)
started on 127.0.0.1 for this module with its own ini (limits raised, updates granted:
tests/graph/sparql_servers.py): ingest and import through its Graph Store endpoint
(``/sparql-graph-crud``, one request per graph), export streamed from it graph by graph,
the service on top of it (the checks: tests/graph/server_checks.py).

Virtuoso keeps graphs of its own (its RDF views, the LDP vocabulary, its service
description): they are not counted or exported, so the export equals an embedded
ingest's. What it changes in literals (it writes non-ASCII characters as ``\\u``
escapes, and language tags in lower case) is undone by reading its output with
Oxigraph's parser, so the quads compared are the ones a user gets from ``kg export``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import server_checks as checks
from sparql_servers import virtuoso_server

from kg.graph.server_store import VIRTUOSO_SYSTEM_GRAPHS, SparqlServerStore


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The /sparql URL of a Virtuoso into which `kg ingest seeds/` has run."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso-seeds")) as url:
        checks.cli_ingest_of_the_seeds(url)
        yield url


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Another Virtuoso, for the checks that start from an empty store."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso-fresh")) as url:
        yield url


def test_writes_go_to_the_graph_crud_endpoint_graph_by_graph(ingested):
    store = SparqlServerStore(ingested)
    assert store.graph_store is not None
    assert store.graph_store.url == ingested + "-graph-crud"
    assert not store.graph_store.datasets, "Virtuoso's GSP takes one graph at a time"
    assert store.article_batch > 1
    system = set(VIRTUOSO_SYSTEM_GRAPHS)
    every = {row["g"] for row in store.select("SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }")}
    assert system <= every, "Virtuoso's own graphs are there"
    assert not system & set(store.graphs()), "and are not the user's data"


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
