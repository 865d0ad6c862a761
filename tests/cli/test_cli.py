"""The command line (kg.cli.main): `kg extract` as an analyst runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from kg.cli.main import app

ACTOR = "https://w3id.org/kg-geo/actor/"

STENA = """---
title: Iran's Revolutionary Guards seize British-flagged tanker Stena Impero
date: 2019-07-19
source: Gulf Wire
---

Iran's Islamic Revolutionary Guard Corps seized the British-flagged tanker Stena Impero in \
the Strait of Hormuz on Friday.
"""

WIRE = [
    '{"id": "gw-drone", "date": "2019-06-20", "text": "Iran shot down a US surveillance drone'
    ' over the Strait of Hormuz on Thursday."}',
    '{"id": "broken", "text": "Iran seized',
    '{"id": "gw-sanctions", "date": "2019-06-24", "text": "The United States imposed sanctions'
    " on Iran's Supreme Leader Ayatollah Ali Khamenei.\"}",
]


@pytest.fixture
def batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory of articles with one empty file and one malformed JSON line."""
    monkeypatch.chdir(tmp_path)  # short relative paths in messages
    folder = Path("batch")
    (folder / "2019").mkdir(parents=True)
    (folder / "2019" / "stena.txt").write_text(STENA, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "wire.jsonl").write_text("\n".join(WIRE) + "\n", encoding="utf-8")
    return folder


def kg(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def flat(text: str) -> str:
    """Console output with line wrapping undone."""
    return " ".join(text.split())


def test_extract_goes_on_past_bad_inputs_and_reports_them(batch: Path) -> None:
    result = kg("extract", str(batch), "--format", "jsonl")

    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    by_article = {r["article"]: r for r in records}
    assert set(by_article) >= {"gw-drone", "gw-sanctions"}
    assert len({r["article"] for r in records}) == 3  # the .txt article has a content id
    drone = by_article["gw-drone"]
    assert (drone["source"]["id"], drone["code"][:2]) == (ACTOR + "IRN", "19")
    assert drone["target"]["country"] == "USA"  # the United States or its military
    assert drone["date"] == "2019-06-20"
    sanctions = by_article["gw-sanctions"]
    assert (sanctions["code"], sanctions["target"]["label"]) == ("163", "Ali Khamenei")
    [seizure] = [r for r in records if "Stena Impero" in r["sentence"]]
    assert seizure["date"] == "2019-07-19" and seizure["code"][:2] == "17"

    errors = flat(result.stderr)
    assert "batch/empty.txt" in errors and "empty" in errors
    assert "batch/wire.jsonl:2" in errors and "malformed JSON" in errors
    assert "3 articles read, 2 skipped" in errors
    assert "broken" not in result.stdout


def test_extract_json_writes_one_array_to_the_output_file(batch: Path) -> None:
    result = kg("extract", str(batch / "wire.jsonl"), "--format", "json", "-o", "events.json")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == ""
    events = json.loads(Path("events.json").read_text(encoding="utf-8"))
    assert isinstance(events, list) and {e["article"] for e in events} == {
        "gw-drone",
        "gw-sanctions",
    }
    for event in events:
        assert set(event) >= {
            "article",
            "sentence",
            "source",
            "target",
            "action",
            "code",
            "date",
            "confidence",
        }
    assert "2 articles read, 1 skipped" in flat(result.stderr)


def test_extract_prints_a_readable_table_by_default(batch: Path) -> None:
    result = kg("extract", str(batch / "wire.jsonl"))

    assert result.exit_code == 0, result.stderr
    table = result.stdout
    for column in ("date", "source", "action", "code", "target"):
        assert column in table
    assert "United States" in table and "Ali Khamenei" in table and "2019-06-20" in table
    assert "Iran shot down" in table  # the evidence


def test_unknown_extractor_is_a_clear_error(batch: Path) -> None:
    result = kg("extract", str(batch), "--extractor", "llm")

    assert result.exit_code != 0
    errors = flat(result.stderr)
    assert "unknown extractor 'llm'" in errors
    assert "rules" in errors  # says what would work
    assert result.stdout.strip() == ""


def test_missing_gazetteer_file_is_a_clear_error(batch: Path) -> None:
    result = kg("extract", str(batch), "--gazetteer", "mine.ttl")

    assert result.exit_code != 0
    assert "mine.ttl" in flat(result.stderr)
    assert result.stdout.strip() == ""


def test_a_directory_of_bad_inputs_only_prints_no_events(batch: Path) -> None:
    (batch / "2019" / "stena.txt").unlink()
    (batch / "wire.jsonl").write_text(WIRE[1] + "\n", encoding="utf-8")

    result = kg("extract", str(batch), "--format", "jsonl")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == ""
    assert "0 articles read, 2 skipped" in flat(result.stderr)
