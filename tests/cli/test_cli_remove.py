"""``kg remove ID...``: articles out, events recomputed, as a user runs it (issue 15)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from kg.cli.main import app

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED = SEEDS / "soleimani-2020-01-05.txt"
#: Gulf Wire and Capital Ledger on 3 January: both report the strike the seed reports.
GULF_WIRE = SEEDS / "gulf-2019-2020" / "2020-01-03-soleimani-killed-baghdad-airport.txt"
GULF_WIRE_ID = "01d4a11673fb5964"
LEDGER = SEEDS / "gulf-2019-2020" / "2020-01-03-pentagon-confirms-soleimani-strike.txt"
STRIKE = (
    "PREFIX kgo: <https://w3id.org/kg-geo/ontology#> SELECT ?articles WHERE { "
    "?e kgo:source <https://w3id.org/kg-geo/actor/USA> ; "
    "kgo:target <https://w3id.org/kg-geo/actor/qassem-soleimani> ; "
    "kgo:eventRoot <https://w3id.org/kg-geo/cameo/19> ; kgo:articleCount ?articles }"
)
ARTICLES = (
    "PREFIX kgo: <https://w3id.org/kg-geo/ontology#> "
    "SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Article }"
)


def kg(*args: str):
    return CliRunner().invoke(app, [*map(str, args)])


def export(store: Path) -> list[str]:
    result = kg("export", "--format", "nquads", "--store", store)
    assert result.exit_code == 0, result.output
    return sorted(result.stdout.splitlines())


def test_remove_gives_the_store_that_never_had_the_article(tmp_path: Path):
    store, never = tmp_path / "store", tmp_path / "never"
    assert kg("ingest", SEED, GULF_WIRE, LEDGER, "--store", store).exit_code == 0
    assert kg("ingest", SEED, LEDGER, "--store", never).exit_code == 0
    assert kg("query", STRIKE, "-f", "csv", "--store", store).stdout.split() == ["articles", "3"]

    result = kg("remove", GULF_WIRE_ID, "--store", store)

    assert result.exit_code == 0, result.output
    assert f"removed 1 article from {store}:" in result.output
    assert "events recomputed" in result.output
    assert kg("query", STRIKE, "-f", "csv", "--store", store).stdout.split() == ["articles", "2"]
    assert export(store) == export(never)


def test_an_unknown_id_is_one_line_and_removes_nothing(tmp_path: Path):
    store = tmp_path / "store"
    assert kg("ingest", SEED, GULF_WIRE, "--store", store).exit_code == 0
    before = export(store)

    result = kg("remove", GULF_WIRE_ID, "no-such-article", "--store", store)

    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: no article stored with id 'no-such-article'; nothing removed"
    ]
    assert export(store) == before


def test_removing_twice_fails_the_second_time(tmp_path: Path):
    store = tmp_path / "store"
    assert kg("ingest", SEED, "--store", store).exit_code == 0
    assert kg("remove", "soleimani-2020-01-05", "--store", store).exit_code == 0
    again = kg("remove", "soleimani-2020-01-05", "--store", store)
    assert again.exit_code == 2
    assert "no article stored with id 'soleimani-2020-01-05'" in again.output
    assert kg("query", ARTICLES, "-f", "csv", "--store", store).stdout.split() == ["n", "0"]


def test_remove_never_creates_a_store(tmp_path: Path):
    missing = tmp_path / "sotre"
    result = kg("remove", "x", "--store", missing)
    assert result.exit_code == 2
    assert "no store at" in result.output and not missing.exists()


def test_a_server_nobody_answers_at_is_one_line(tmp_path: Path):
    """``--store http://HOST:PORT/`` names a running kg serve (test_cli_serving)."""
    for command in (["remove", "x"], ["ingest", SEED]):
        result = kg(*command, "--store", "http://127.0.0.1:9/")
        assert result.exit_code == 2
        (line,) = result.output.strip().splitlines()
        assert line.startswith("error: cannot reach the kg server at http://127.0.0.1:9 (")
    tuned = kg("ingest", SEED, "--store", "http://127.0.0.1:9/", "--min-confidence", "0.5")
    assert tuned.exit_code == 2 and "its own settings" in tuned.output
