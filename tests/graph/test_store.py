"""The graph in the store: ingest, idempotence, export/import round trip, SHACL."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Graph

from kg.errors import ConfigurationError, StoreError
from kg.extraction.extractor import RuleExtractor
from kg.graph.gdelt import write_events_csv
from kg.graph.store import OxigraphGraphStore, open_store
from kg.ingest import ingest
from kg.reading.readers import read_articles
from kg.settings import ONTOLOGY_DIR

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED = SEEDS / "soleimani-2020-01-05.txt"
KGO = "PREFIX kgo: <https://w3id.org/kg-geo/ontology#>\n"


@pytest.fixture(scope="module")
def seeded(extractor: RuleExtractor) -> OxigraphGraphStore:
    store = OxigraphGraphStore(None)
    ingest(read_articles([SEED]), extractor, store)
    return store


def test_ingest_stores_the_seed_events_with_their_direct_triples(seeded):
    rows = seeded.select(
        KGO + "SELECT ?e WHERE { ?e kgo:source <https://w3id.org/kg-geo/actor/USA> ; "
        "kgo:target <https://w3id.org/kg-geo/actor/qassem-soleimani> }"
    )
    assert rows, "United States -> Qassem Soleimani is in the store"
    assert seeded.ask(
        KGO + "ASK { <https://w3id.org/kg-geo/actor/USA> kgo:fights "
        "<https://w3id.org/kg-geo/actor/qassem-soleimani> }"
    )


def test_events_carry_their_evidence(seeded):
    rows = seeded.select(
        KGO
        + "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/>"
        " SELECT ?sentence ?id WHERE { ?e kgo:target "
        "<https://w3id.org/kg-geo/actor/hashd-al-shaabi> ; kgo:sentence ?sentence ; "
        "kgo:eventDate ?date ; prov:wasDerivedFrom ?a . ?a dcterms:identifier ?id }"
    )
    assert rows[0]["id"] == "soleimani-2020-01-05"
    assert "convoy" in rows[0]["sentence"]


def test_reingesting_changes_nothing(extractor, seeded):
    before = seeded.count()
    summary = ingest(read_articles([SEED]), extractor, seeded)
    assert summary.already_stored == 1 and summary.stored == 0
    assert seeded.count() == before


def test_export_then_import_gives_the_same_dataset(seeded):
    exported = io.BytesIO()
    seeded.dump(exported, "nquads")
    copy = OxigraphGraphStore(None)
    copy.oxigraph.load(exported.getvalue(), format=ox.RdfFormat.N_QUADS)
    again = io.BytesIO()
    copy.dump(again, "nquads")
    # No blank nodes in our data, so equal quad sets mean isomorphic datasets.
    assert sorted(again.getvalue().splitlines()) == sorted(exported.getvalue().splitlines())
    assert copy.count() == seeded.count()


def test_turtle_export_reads_back_in_rdflib(seeded):
    buffer = io.BytesIO()
    seeded.dump(buffer, "turtle")
    graph = Graph().parse(data=buffer.getvalue(), format="turtle")
    assert len(graph) > 1000


def test_a_triple_in_several_graphs_is_exported_once_in_a_triple_format(tmp_path: Path):
    store = open_store(str(tmp_path / "store"))
    shared = "<https://example.org/a> <https://example.org/p> <https://example.org/b>"
    store.update(
        f"INSERT DATA {{ GRAPH <https://example.org/g1> {{ {shared} }} "
        f"GRAPH <https://example.org/g2> {{ {shared} . <https://example.org/a> "
        f"<https://example.org/p> <https://example.org/c> }} }}"
    )
    buffer = io.BytesIO()
    store.dump(buffer, "nt")
    store.close()
    lines = sorted(buffer.getvalue().decode().splitlines())
    assert lines == [
        f"{shared} .",
        "<https://example.org/a> <https://example.org/p> <https://example.org/c> .",
    ]


def test_import_command_path_loads_a_file(tmp_path: Path, seeded):
    path = tmp_path / "seed.trig"
    with path.open("wb") as handle:
        seeded.dump(handle, "trig")
    store = open_store(str(tmp_path / "store"))
    store.load(path)
    assert store.count() == seeded.count()
    store.close()


def test_the_seed_graph_conforms_to_the_shapes(seeded):
    buffer = io.BytesIO()
    seeded.dump(buffer, "nt")
    union = Graph().parse(data=buffer.getvalue(), format="nt")
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    ontology = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    conforms, _, report = validate(union, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert conforms, report


@pytest.mark.slow
def test_the_graph_of_all_seeds_conforms_to_the_shapes(extractor: RuleExtractor):
    """All 74 seed articles: one type and one skos:prefLabel per actor (no "Navy" and
    "navy" for one minted IRI), every event with its evidence (issue 14)."""
    store = OxigraphGraphStore(None)
    ingest(read_articles([SEEDS]), extractor, store)
    buffer = io.BytesIO()
    store.dump(buffer, "nt")
    union = Graph().parse(data=buffer.getvalue(), format="nt")
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    ontology = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    conforms, _, report = validate(union, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert conforms, report


def test_a_malformed_event_does_not_conform(seeded):
    broken = Graph().parse(
        data="""
        @prefix kgo: <https://w3id.org/kg-geo/ontology#> .
        @prefix prov: <http://www.w3.org/ns/prov#> .
        <https://w3id.org/kg-geo/id/event/broken> a kgo:Event ;
            kgo:confidence 1.7 ; kgo:trigger "strike" ;
            prov:wasDerivedFrom <https://w3id.org/kg-geo/id/article/soleimani-2020-01-05> .
        """,
        format="turtle",
    )
    buffer = io.BytesIO()
    seeded.dump(buffer, "nt")
    data = Graph().parse(data=buffer.getvalue(), format="nt") + broken
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    ontology = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    conforms, _, report = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert not conforms
    assert "kgo:source" in report or "ontology#source" in report


def test_bad_store_specs_and_queries_give_clear_errors(tmp_path: Path, seeded):
    file = tmp_path / "a-file"
    file.write_text("x")
    with pytest.raises(ConfigurationError, match="not a directory"):
        open_store(str(file))
    with pytest.raises(StoreError, match="syntax"):
        seeded.select("SELECT WHERE {")


def test_csv_export_has_gdelt_columns_and_one_row_per_event(seeded):
    out = io.StringIO()
    rows = write_events_csv(seeded, out, added=dt.date(2026, 1, 1))
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows == len(table) == len(seeded.select(KGO + "SELECT ?e WHERE { ?e a kgo:Event }"))
    strike = next(r for r in table if r["Actor2Name"] == "HASHD AL-SHAABI")
    assert strike["Actor1CountryCode"] == "USA"
    assert strike["Actor2CountryCode"] == "IRQ"
    assert strike["SQLDATE"] == "20200104"
    assert strike["EventRootCode"] == "19" and strike["QuadClass"] == "4"
    assert float(strike["GoldsteinScale"]) == -10.0
    assert strike["SOURCEURL"] == "soleimani-2020-01-05"
