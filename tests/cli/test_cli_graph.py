"""The store commands as a user runs them: ingest, query, stats, export, import."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.main import app

SEED = Path(__file__).resolve().parents[2] / "seeds" / "soleimani-2020-01-05.txt"
USA_EVENTS = (
    "PREFIX kgo: <https://w3id.org/kg-geo/ontology#> "
    "SELECT ?trigger WHERE { ?e kgo:source <https://w3id.org/kg-geo/actor/USA> ; "
    "kgo:trigger ?trigger } ORDER BY ?trigger"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "store")
    result = CliRunner().invoke(app, ["ingest", str(SEED), "--store", path])
    assert result.exit_code == 0, result.output
    return path


def test_ingest_prints_a_summary_and_a_rerun_stores_nothing(store):
    result = CliRunner().invoke(app, ["ingest", str(SEED), "--store", store])
    assert result.exit_code == 0
    assert "already stored" in result.output
    assert "triples added" in result.output


def test_query_as_json_and_csv(store, tmp_path):
    runner = CliRunner()
    as_json = runner.invoke(app, ["query", USA_EVENTS, "--format", "json", "--store", store])
    assert as_json.exit_code == 0, as_json.output
    triggers = {row["trigger"] for row in json.loads(as_json.stdout)}
    assert {"strike", "designate"} <= triggers
    out = tmp_path / "rows.csv"
    as_csv = runner.invoke(
        app, ["query", USA_EVENTS, "-f", "csv", "-o", str(out), "--store", store]
    )
    assert as_csv.exit_code == 0
    assert {row["trigger"] for row in csv.DictReader(out.open())} == triggers


def test_a_bad_query_is_a_clear_error(store):
    result = CliRunner().invoke(app, ["query", "SELECT WHERE {", "--store", store])
    assert result.exit_code == 2
    assert "SPARQL syntax error" in result.output


def test_stats_counts_articles_and_events(store):
    result = CliRunner().invoke(app, ["stats", "--store", store])
    assert result.exit_code == 0
    assert "articles" in result.output and "Fight" in result.output


def test_export_then_import_into_an_empty_store_gives_the_same_triples(store, tmp_path):
    runner = CliRunner()
    dump = tmp_path / "graph.trig"
    assert (
        runner.invoke(app, ["export", "-f", "trig", "-o", str(dump), "--store", store]).exit_code
        == 0
    )
    copy = str(tmp_path / "copy")
    result = runner.invoke(app, ["import", str(dump), "--store", copy])
    assert result.exit_code == 0, result.output
    original = runner.invoke(app, ["export", "-f", "nquads", "--store", store]).stdout_bytes
    again = runner.invoke(app, ["export", "-f", "nquads", "--store", copy]).stdout_bytes
    assert set(original.splitlines()) == set(again.splitlines())


def test_csv_export_is_readable_as_gdelt_columns(store):
    result = CliRunner().invoke(app, ["export", "--format", "csv", "--store", store])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {"SQLDATE", "Actor1CountryCode", "EventRootCode", "GoldsteinScale"} <= set(
        rows[0]
    )


def test_unknown_export_format_is_a_clear_error(store):
    result = CliRunner().invoke(app, ["export", "--format", "xlsx", "--store", store])
    assert result.exit_code == 2
    assert "unknown RDF format 'xlsx'" in result.output
