"""Clear mistakes, never a crash (issue 15): bad input costs one ``skipped FILE:LINE:
reason`` line and the batch goes on; a missing input, a missing or unreadable store, a
missing ``@file``, a locked store and a full disk each give one error line and exit 2;
read commands never create a store."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.main import app
from kg.graph.store import OxigraphGraphStore

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "soleimani-2020-01-05.txt"
KG = [sys.executable, "-m", "kg.cli"]

TANKER = (
    "Iran's Revolutionary Guards seized the British-flagged tanker Stena Impero in the "
    "Strait of Hormuz on Friday, state media reported."
)
DRONE = "Iran shot down a US surveillance drone over the Strait of Hormuz on Thursday."


@pytest.fixture
def bad_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two good articles among every kind of input that used to crash or hang a batch."""
    monkeypatch.chdir(tmp_path)
    folder = Path("batch")
    folder.mkdir()
    good = json.dumps({"id": "tanker", "text": TANKER, "date": "2019-07-19"})
    lines = [
        json.dumps({"id": "old", "text": DRONE, "date": "0001-01-01"}),
        good,
        '{"id": "deep", "text": ' + "[" * 50_000 + "]" * 50_000 + "}",
        '{"id": "lone", "text": "Iran \\ud800 seized a tanker."}',
    ]
    (folder / "a-wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "b-number.json").write_text('{"text": "x", "n": ' + "9" * 5000 + "}")
    (folder / "c-tiny.html").write_bytes(b"<math><math><html><time>")
    (folder / "d-quotes.txt").write_text('"' * 40_000)
    # one paragraph of over 1,000,000 characters (spaCy refuses those whole, E088)
    long = "Iraq condemned the strike." + " " * 1_000_000 + "Iran denied any role."
    (folder / "e-long.txt").write_text(f"{DRONE}\n\n{long}\n", encoding="utf-8")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "f-pipe.txt")
    return folder


SKIPPED = [
    "skipped batch/a-wire.jsonl:1: date 0001-01-01 is out of range",
    "skipped batch/a-wire.jsonl:3: JSON nested too deeply",
    "skipped batch/a-wire.jsonl:4: lone surrogate \\ud800 in 'text'",
    "skipped batch/b-number.json: unreadable JSON: Exceeds the limit (4300 digits)",
    "skipped batch/c-tiny.html: no main text found in the page",
]


def skipped_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("skipped ")]


def test_extract_goes_on_past_every_bad_input(bad_batch: Path) -> None:
    result = CliRunner().invoke(app, ["extract", str(bad_batch), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = skipped_lines(result.stderr)
    pipe = ["skipped batch/f-pipe.txt: a named pipe"] if hasattr(os, "mkfifo") else []
    expected = SKIPPED + pipe
    assert len(lines) == len(expected)
    assert all(line.startswith(start) for line, start in zip(lines, expected, strict=True))
    events = [json.loads(line) for line in result.stdout.splitlines()]
    by_article = {e["article"] for e in events}
    assert "tanker" in by_article  # the good line between the bad ones
    assert any(e["action"] == "condemn" for e in events)  # the 1M-character paragraph
    assert "Traceback" not in result.output
    assert "3 articles read" in result.stderr  # tanker, the quotes, the long article


def test_ingest_stores_the_good_articles_of_a_bad_batch(bad_batch: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = CliRunner().invoke(app, ["ingest", str(bad_batch), "--store", str(store)])
    assert result.exit_code == 0, result.output
    lines = skipped_lines(result.stderr)
    assert len(lines) == len(SKIPPED) + hasattr(os, "mkfifo")
    assert all(line.startswith(start) for line, start in zip(lines, SKIPPED, strict=False))
    with OxigraphGraphStore(store) as graph:
        articles = graph.select(
            "SELECT ?id WHERE { ?a a <https://w3id.org/kg-geo/ontology#Article> ; "
            "<http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id"
        )
    assert "tanker" in {row["id"] for row in articles}
    assert len(articles) == 3


def test_a_missing_input_path_stops_before_any_work(tmp_path: Path) -> None:
    store = tmp_path / "store"
    for command in (["ingest", "no/such/path", "--store", str(store)], ["extract", "no/such"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2
        assert result.output.strip().splitlines() == [
            f"error: {command[1]}: no such file or directory"
        ]
    assert not store.exists()


READ_COMMANDS = [
    ["stats"],
    ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"],
    ["export", "--format", "nt"],
    ["event", "abc"],
    ["path", "USA", "Iran"],
    ["network", "--format", "json"],
]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_read_commands_never_create_a_store(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "sotre"  # misspelt
    result = CliRunner().invoke(app, [*command, "--store", str(missing)])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        f"error: no store at {missing} (only 'kg ingest' and 'kg import' create one)"
    ]
    assert not missing.exists()
    folder = tmp_path / "notes"  # a directory that is not a store is left untouched
    folder.mkdir()
    (folder / "todo.txt").write_text("x")
    result = CliRunner().invoke(app, [*command, "--store", str(folder)])
    assert result.exit_code == 2
    assert (
        result.output.strip() == f"error: {folder} is not a kg store (no Oxigraph database in it)"
    )
    assert [p.name for p in folder.iterdir()] == ["todo.txt"]


def test_a_missing_query_file_is_one_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    OxigraphGraphStore(store).close()
    result = CliRunner().invoke(
        app, ["query", f"@{tmp_path / 'missing.rq'}", "--store", str(store)]
    )
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: cannot read the query file {tmp_path / 'missing.rq'}: No such file or directory"
    ]


def run_kg(*args: str, **options) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "80"}  # a narrow terminal must not wrap the one line
    return subprocess.run(
        [*KG, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, **options
    )


@pytest.mark.parametrize(
    "command", [["ingest", str(SEED)], ["remove", "some-id"], ["serve", "--port", "0"]]
)
def test_a_store_another_process_holds_is_one_clear_line(tmp_path: Path, command) -> None:
    """Commands that write (read commands open a held store read-only: test_cli_serving)."""
    store = tmp_path / "store"
    with OxigraphGraphStore(store):  # as a running `kg serve` holds it
        result = run_kg(*command, "--store", str(store))
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot open the store at {store}: another process has it")


def test_a_full_disk_is_one_clear_line(tmp_path: Path) -> None:
    """The store cannot grow past 200 kB (a file size limit stands in for a full disk:
    RocksDB reports both the same way, as an I/O error on write)."""

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    store = tmp_path / "store"
    result = run_kg("ingest", str(SEED), "--store", str(store), preexec_fn=small_disk)
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot write to the store at {store}: a file reached its size")


def test_serve_never_creates_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "sotre"
    result = run_kg("serve", "--store", str(missing), "--port", "0")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: no store at {missing} (only 'kg ingest' and 'kg import' create one)"
    ]
    assert not missing.exists()


def test_an_output_file_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    OxigraphGraphStore(store).close()
    nowhere = tmp_path / "no" / "such" / "folder" / "out.csv"
    for command in (
        ["query", "SELECT * WHERE { ?s ?p ?o }", "-f", "csv", "-o", str(nowhere)],
        ["export", "--format", "nt", "-o", str(nowhere)],
    ):
        result = CliRunner().invoke(app, [*command, "--store", str(store)])
        assert result.exit_code == 2, result.output
        assert result.output.strip().splitlines() == [
            f"error: {nowhere}: No such file or directory"
        ]
