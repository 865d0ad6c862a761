"""SPARQL updates are parsed where a crash cannot take the server down
(``api.sparql_update``); here the pieces, and the in-memory store's nesting limit
(its updates have no query process to be tried in)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.sparql_update import MAX_NESTING, check_nesting, without_loads
from kg.errors import QueryTooComplex
from kg.graph.store import OxigraphGraphStore
from kg.settings import Settings

AUTH = {"Authorization": "Bearer s3cret"}
P = "<http://example.org/p>"


def test_loads_become_clears_that_fetch_nothing():
    text = (
        "LOAD SILENT <http://example.org/a.ttl> INTO GRAPH <http://example.org/g> ;\n"
        "LOAD <http://example.org/b.ttl> ; INSERT DATA { <http://x> <http://y> 'LOAD' }"
    )
    assert without_loads(text).splitlines() == [
        "CLEAR SILENT DEFAULT ;",
        "CLEAR SILENT DEFAULT ; INSERT DATA { <http://x> <http://y> 'LOAD' }",
    ]


def test_nesting_is_counted_outside_strings_and_iris():
    check_nesting("INSERT DATA { <http://x> <http://y> '" + "{" * 5000 + "' }")
    check_nesting("SELECT * WHERE " + "{" * MAX_NESTING + "}" * MAX_NESTING)
    with pytest.raises(QueryTooComplex, match=f"at most {MAX_NESTING}"):
        check_nesting(
            "SELECT * WHERE { FILTER(" + "(" * MAX_NESTING + "1" + ")" * MAX_NESTING + ") }"
        )


def test_a_nested_update_on_a_memory_store_is_refused_before_parsing():
    app = create_app(Settings(update_token="s3cret"), OxigraphGraphStore(None))
    nested = f"INSERT {{ {P} {P} {P} }} WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    with TestClient(app) as client:
        refused = client.post("/sparql", data={"update": nested}, headers=AUTH)
        assert refused.status_code == 400 and refused.json()["error"] == "QueryTooComplex"
        done = client.post(
            "/sparql",
            data={"update": f"INSERT DATA {{ GRAPH {P} {{ {P} {P} {P} }} }}"},
            headers=AUTH,
        )
        assert done.status_code == 204, done.text
