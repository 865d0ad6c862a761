"""SPARQL results as typed DataFrames (kg.frames), from Oxigraph's terms and rdflib's
alike, and kg.open on a remote SPARQL server giving the same frames as in memory."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

import kg
from kg.extraction.extractor import RuleExtractor
from kg.frames import rdf_value, typed_frame
from kg.graph.store import open_store

XSD = "http://www.w3.org/2001/XMLSchema#"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "soleimani-2020-01-05.txt"


@pytest.mark.parametrize(
    ("term", "value"),
    [
        (ox.Literal("42", datatype=ox.NamedNode(f"{XSD}integer")), 42),
        (Literal(42), 42),
        (ox.Literal("0.25", datatype=ox.NamedNode(f"{XSD}decimal")), 0.25),
        (Literal(Decimal("0.25")), 0.25),
        (Literal(1.5e3), 1500.0),
        (ox.Literal("true", datatype=ox.NamedNode(f"{XSD}boolean")), True),
        (Literal(False), False),
        (ox.Literal("2020-01-03", datatype=ox.NamedNode(f"{XSD}date")), dt.date(2020, 1, 3)),
        (Literal(dt.date(2020, 1, 3)), dt.date(2020, 1, 3)),
        (
            Literal("2020-01-03T08:00:00Z", datatype=URIRef(f"{XSD}dateTime")),
            dt.datetime(2020, 1, 3, 8, tzinfo=dt.UTC),
        ),
        (Literal("Soleimani", lang="en"), "Soleimani"),
        (ox.Literal("not a number", datatype=ox.NamedNode(f"{XSD}integer")), "not a number"),
        (ox.NamedNode("https://w3id.org/kg-geo/actor/USA"), "https://w3id.org/kg-geo/actor/USA"),
        (URIRef("https://w3id.org/kg-geo/actor/USA"), "https://w3id.org/kg-geo/actor/USA"),
        (ox.BlankNode("b1"), "_:b1"),
        (BNode("b1"), "_:b1"),
        (None, None),
    ],
)
def test_rdf_values_from_either_library(term: object, value: object) -> None:
    converted = rdf_value(term)
    assert converted == value and type(converted) is type(value)


def test_columns_are_typed_by_what_they_hold() -> None:
    frame = typed_frame(
        ["n", "gaps", "x", "flag", "day", "label", "mixed"],
        [
            [1, 1, 1, True, dt.date(2020, 1, 3), "a", 1],
            [2, None, 2.5, False, None, None, "b"],
        ],
    )
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "n": "int64",
        "gaps": "Int64",
        "x": "float64",
        "flag": "bool",
        "day": "datetime64[ns]",
        "label": "object",
        "mixed": "object",
    }
    assert frame["day"].isna().tolist() == [False, True]
    assert typed_frame(["a"], []).empty


def _oxigraph() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server on a free port (its /query URL), stopped after the module."""
    executable = _oxigraph()
    # the server comes with the dev extras (pyproject.toml): missing means a broken set-up
    assert executable is not None, "no oxigraph server CLI: run `make test` (installs '.[dev]')"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [executable, "serve", "-l", str(data), "-b", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1):
                    break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        else:
            pytest.fail(f"the Oxigraph server on port {port} did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_remote_store_answers_like_the_embedded_one(
    server: str, extractor: RuleExtractor
) -> None:
    remote = kg.KnowledgeGraph(open_store(server), kg.Settings(store=server), extractor=extractor)
    local = kg.KnowledgeGraph(
        open_store("memory"), kg.Settings(store="memory"), extractor=extractor
    )
    for graph in (remote, local):
        assert graph.ingest(SEED).stored == 1
    pd.testing.assert_frame_equal(remote.events(), local.events())
    pd.testing.assert_frame_equal(remote.actors("Iran"), local.actors("Iran"))
    query = (
        "SELECT ?e ?date ?confidence (COUNT(?m) AS ?n) WHERE { ?e a kgo:Event ; "
        "kgo:eventDate ?date ; kgo:confidence ?confidence ; kgo:hasMention ?m } "
        "GROUP BY ?e ?date ?confidence ORDER BY ?e"
    )
    pd.testing.assert_frame_equal(remote.sparql(query), local.sparql(query))
    assert str(remote.sparql(query)["n"].dtype) == "int64"
    assert remote.sparql("ASK { ?e kgo:target actor:qassem-soleimani }") is True
    triples = remote.sparql(
        "CONSTRUCT { ?e kgo:target ?t } WHERE { ?e a kgo:Event ; kgo:target ?t }"
    )
    assert len(triples) == local.events()["target"].notna().sum()
    assert (
        remote.path("Soleimani", "al-Muhandis")[0].labels
        == local.path("Soleimani", "al-Muhandis")[0].labels
    )
    remote.close()
    local.close()
