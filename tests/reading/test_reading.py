"""Reading articles from .txt, .jsonl, .json, .html and .csv files (kg.reading.readers)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kg.reading.readers
from kg.models import Article, ReadProblem
from kg.reading.readers import CsvColumns, ReadSummary, content_id, normalise_text, read_articles

DATA = Path(__file__).resolve().parents[1] / "data" / "reading"

STENA = "Iran's Islamic Revolutionary Guard Corps seized the British-flagged tanker Stena Impero"


def read(*paths: str | Path, csv_columns: CsvColumns | None = None) -> ReadSummary:
    return ReadSummary.collect(read_articles(paths, csv_columns=csv_columns))


def where(problem: ReadProblem) -> tuple[str, int | None]:
    return Path(problem.path).name, problem.line


def test_public_surface_is_explicit() -> None:
    assert sorted(kg.reading.readers.__all__) == sorted(
        [
            "SUPPORTED_SUFFIXES",
            "CsvColumns",
            "ReadSummary",
            "article_from_record",
            "content_id",
            "load_json",
            "normalise_text",
            "read_articles",
        ]
    )
    assert all(hasattr(kg.reading.readers, name) for name in kg.reading.readers.__all__)


# --- .txt -----------------------------------------------------------------------------


def test_txt_front_matter_becomes_metadata_and_stays_out_of_the_text() -> None:
    summary = read(DATA / "stena-impero.txt")

    assert summary.problems == []
    [article] = summary.articles
    assert article.title == "Iran's Revolutionary Guards seize British-flagged tanker Stena Impero"
    assert article.date == dt.date(2019, 7, 19)
    assert article.source == "Gulf Wire"
    assert article.url is None
    assert article.text.startswith(STENA)
    assert "---" not in article.text and "title:" not in article.text
    assert article.text.count("\n\n") == 2  # three paragraphs, blank lines kept
    assert article.origin == str(DATA / "stena-impero.txt")


def test_txt_given_id_is_kept_as_a_string_and_loose_dates_are_parsed(tmp_path: Path) -> None:
    path = tmp_path / "oman.txt"
    path.write_text(
        "---\nid: 0042\ntitle: Oman's foreign minister holds talks in Tehran\n"
        "date: Monday, 20 May 2019\nurl: https://example.org/oman\n---\n"
        "Oman's foreign minister Yusuf bin Alawi held talks in Tehran with Mohammad Javad Zarif.\n",
        encoding="utf-8",
    )

    [article] = read(path).articles

    assert article.id == "0042"  # not the YAML 1.1 octal number 34
    assert article.date == dt.date(2019, 5, 20)
    assert article.url == "https://example.org/oman"


def test_txt_without_front_matter_and_with_crlf_bom_and_trailing_spaces(tmp_path: Path) -> None:
    text = "Rockets landed near the US embassy in Baghdad.  \r\n\r\n\r\n\r\nNo one was hurt.\t\r\n"
    path = tmp_path / "green-zone.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))

    [article] = read(path).articles

    assert article.text == "Rockets landed near the US embassy in Baghdad.\n\nNo one was hurt."
    assert article.title is None and article.date is None


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("---\ntitle: Trump warns Iran\nThe president said.\n", 1, "never closed"),
        ("---\ntitle: Trump: a warning: to Iran\n---\nThe president said.\n", 2, "front matter"),
        ("---\n- a list\n---\nThe president said.\n", 2, "key: value"),
        ("---\ntitle: Only a title\n---\n\n   \n", None, "empty text"),
    ],
)
def test_txt_bad_front_matter_or_no_body_is_a_problem(
    tmp_path: Path, content: str, line: int | None, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")

    summary = read(path)

    assert summary.articles == []
    [problem] = summary.problems
    assert (problem.path, problem.line) == (str(path), line)
    assert message in problem.message


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2020-01-08", dt.date(2020, 1, 8)),
        ("2020-01-08T01:30:00+03:30", dt.date(2020, 1, 8)),
        ("8 January 2020", dt.date(2020, 1, 8)),
        ("Jan 8, 2020", dt.date(2020, 1, 8)),
        ("January 2020", None),  # no day given: do not invent the 1st
        ("yesterday", None),  # relative to when we read it, not when it was written
        ("", None),
    ],
)
def test_dates_are_parsed_when_a_day_month_and_year_are_given(
    tmp_path: Path, date: str, expected: dt.date | None
) -> None:
    path = tmp_path / "ain-al-asad.txt"
    path.write_text(f"---\ndate: '{date}'\n---\nIran fired missiles at the Ain al-Asad air base.")

    [article] = read(path).articles

    assert article.date == expected


# --- .jsonl and .json -----------------------------------------------------------------


def test_jsonl_bad_lines_are_reported_by_number_and_the_rest_is_read(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="kg.reading.readers"):
        summary = read(DATA / "articles.jsonl")

    troops = (
        "President Donald Trump said the United States would send about 1,500 additional"
        " troops to the Middle East, describing the deployment as mostly protective."
    )
    assert [a.id for a in summary.articles] == [
        "gw-2019-06-20-drone",
        "20190621",
        content_id(troops),
    ]
    assert [a.origin for a in summary.articles] == [
        f"{DATA / 'articles.jsonl'}:{n}" for n in (1, 3, 9)
    ]
    assert [(where(p), p.message.split(":")[0]) for p in summary.problems] == [
        (("articles.jsonl", 4), "malformed JSON"),
        (("articles.jsonl", 5), "missing 'text'"),
        (("articles.jsonl", 6), "empty 'text'"),
        (("articles.jsonl", 7), "expected an object, got an array"),
        (("articles.jsonl", 8), "'text' must be a string, got a number"),
    ]
    first, second, third = summary.articles
    assert first.title == "Iran shoots down US Global Hawk drone"
    assert first.url == "https://example.org/gw/2019/06/20/drone"
    assert first.text.split("\n\n")[1].startswith("Foreign Minister Mohammad Javad Zarif")
    assert second.date == dt.date(2019, 6, 21) and second.source == "Capital Ledger"
    # an unreadable date keeps the article, without a date, and says so in the log
    assert third.title == "Pentagon approves 1,500 troops" and third.date is None
    assert "sometime in May" in caplog.text


def test_json_array_items_are_named_by_the_line_they_start_on() -> None:
    summary = read(DATA / "articles.json")

    assert [(a.id, a.origin, a.date) for a in summary.articles] == [
        ("ml-2020-01-03", f"{DATA / 'articles.json'}:2", dt.date(2020, 1, 3)),
        ("ml-2020-01-08", f"{DATA / 'articles.json'}:14", dt.date(2020, 1, 8)),
    ]
    assert [(where(p), p.message) for p in summary.problems] == [
        (("articles.json", 9), "empty 'text'")
    ]


def test_json_single_object_and_malformed_file(tmp_path: Path) -> None:
    single = tmp_path / "single.json"
    single.write_text('{"text": "Iran admitted shooting down the Ukrainian airliner."}')
    broken = tmp_path / "broken.json"
    broken.write_text('[\n  {"text": "Canada demanded a full investigation."},\n  {"text": ]\n')

    summary = read(single, broken)

    [article] = summary.articles
    assert article.origin == str(single)
    [problem] = summary.problems
    assert where(problem) == ("broken.json", 3)
    assert problem.message.startswith("malformed JSON")


# --- .html ----------------------------------------------------------------------------


def test_html_keeps_the_article_paragraphs_and_drops_the_boilerplate() -> None:
    [article] = read(DATA / "aramco-attack.html").articles

    paragraphs = article.text.split("\n\n")
    assert [p.split()[:3] for p in paragraphs] == [
        ["Drone", "attacks", "on"],
        ["Yemen's", "Houthi", "movement"],
        ["US", "Secretary", "of"],
    ]
    for boilerplate in ("cookies", "Subscribe", "Most read", "OPEC", "Privacy", "All rights"):
        assert boilerplate not in article.text
    assert article.title == "Drone attacks knock out half of Saudi oil output"
    assert article.date == dt.date(2019, 9, 14)
    assert article.url == "https://example.org/gw/2019/09/14/abqaiq-khurais-attack"
    assert article.source == "Gulf Wire"


def test_html_without_main_text_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "nav-only.htm"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")

    summary = read(path)

    assert summary.articles == []
    assert [where(p) for p in summary.problems] == [("nav-only.htm", None)]


# --- .csv -----------------------------------------------------------------------------

STORY_COLUMNS = CsvColumns(
    text="body", id="story_id", title="headline", date="published", url="link", source="outlet"
)


def test_csv_with_custom_column_names() -> None:
    summary = read(DATA / "stories.csv", csv_columns=STORY_COLUMNS)

    first, second = summary.articles
    assert (first.id, first.title, first.date, first.url, first.source) == (
        "lr-0001",
        "Iraq condemns US strikes on Kataib Hezbollah",
        dt.date(2019, 12, 30),
        "https://example.org/lr/0001",
        "Levant Report",
    )
    assert first.text.split("\n\n")[1].startswith("The National Security Council")
    assert (second.id, second.date, second.url) == ("lr-0003", dt.date(2020, 1, 4), None)
    # the quoted first body spans lines 2-4, so the empty body is on line 5
    assert [(where(p), p.message) for p in summary.problems] == [
        (("stories.csv", 5), "empty 'body' column")
    ]
    assert first.origin == f"{DATA / 'stories.csv'}:2"
    assert second.origin == f"{DATA / 'stories.csv'}:6"


def test_csv_without_the_text_column_is_one_problem() -> None:
    summary = read(DATA / "stories.csv")  # default columns: no "text" column

    assert summary.articles == []
    [problem] = summary.problems
    assert where(problem) == ("stories.csv", 1)
    assert "no 'text' column" in problem.message and "'body'" in problem.message


# --- bad input ------------------------------------------------------------------------


def test_undecodable_bytes_name_the_offset_and_the_batch_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "a-bad.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    latin = tmp_path / "b-latin.jsonl"
    latin.write_bytes(b'{"text": "Iran"}\n{"text": "Caf\xe9 in Tehran"}\n')
    good = tmp_path / "c-good.txt"
    good.write_text("Iraq's parliament voted to expel foreign troops.", encoding="utf-8")

    summary = read(bad, latin, good)

    assert [a.text for a in summary.articles] == [
        "Iran",
        "Iraq's parliament voted to expel foreign troops.",
    ]
    first, second = summary.problems
    assert where(first) == ("a-bad.txt", 1)
    assert "not UTF-8" in first.message and "offset 0" in first.message
    assert "UTF-16" in first.message
    assert where(second) == ("b-latin.jsonl", 2)
    assert "byte 0xe9 at offset 30" in second.message


def test_empty_missing_and_unsupported_inputs_are_problems(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n  \n")
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nIran and Oman held talks.")

    summary = read(empty, tmp_path / "missing.txt", notes, DATA / "stena-impero.txt")

    assert summary.article_count == 1
    assert summary.problem_count == 3
    assert [(where(p), p.message.split(" (")[0]) for p in summary.problems] == [
        (("empty.jsonl", None), "empty file"),
        (("missing.txt", None), "no such file or directory"),
        (("notes.md", None), "unsupported file type"),
    ]
    assert str(summary.problems[1]) == f"{tmp_path / 'missing.txt'}: no such file or directory"


# --- directories ----------------------------------------------------------------------


def test_directory_is_read_recursively_in_a_stable_order(tmp_path: Path) -> None:
    (tmp_path / "2020" / "01").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    shutil.copy(DATA / "stena-impero.txt", tmp_path / "b-stena.txt")
    shutil.copy(DATA / "aramco-attack.html", tmp_path / "2020" / "01" / "aramco.HTML")
    shutil.copy(DATA / "articles.json", tmp_path / "2020" / "a.json")
    for name in ("e-rocket", "d-rouhani", "c-funeral", "a-drone"):  # not created in order
        (tmp_path / f"{name}.txt").write_text(f"Iran: {name}, as reported from Tehran.")
    (tmp_path / "README.md").write_text("This folder holds the Gulf corpus.")
    (tmp_path / "LICENSE").write_text("CC0 1.0 Universal")
    (tmp_path / ".draft.txt").write_text("A hidden draft about Iraq.")
    (tmp_path / ".git" / "notes.txt").write_text("A git note about Iran.")

    first = read(tmp_path)
    second = read(tmp_path)

    assert first.problems == [ReadProblem(str(tmp_path / "2020" / "a.json"), 9, "empty 'text'")]
    assert [Path(a.origin or "").relative_to(tmp_path).as_posix() for a in first.articles] == [
        "2020/01/aramco.HTML",
        "2020/a.json:2",
        "2020/a.json:14",
        "a-drone.txt",
        "b-stena.txt",
        "c-funeral.txt",
        "d-rouhani.txt",
        "e-rocket.txt",
    ]
    assert first == second


def test_a_directory_without_articles_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("Nothing to read here.")

    summary = read(tmp_path)

    assert summary.articles == []
    assert [p.path for p in summary.problems] == [str(tmp_path)]


# --- ids ------------------------------------------------------------------------------


def test_ids_are_content_hashes_that_ignore_line_endings_and_trailing_space(
    tmp_path: Path,
) -> None:
    (tmp_path / "unix.txt").write_text("Iran seized the Stena Impero.\n\nBritain protested.\n")
    (tmp_path / "dos.txt").write_bytes(b"Iran seized the Stena Impero. \r\n\r\nBritain protested.")
    (tmp_path / "other.txt").write_text("Iran released the Stena Impero.")

    summary = read(tmp_path / "unix.txt", tmp_path / "other.txt", tmp_path / "dos.txt")

    unix, other = summary.articles
    assert len(unix.id) == 16 and int(unix.id, 16) >= 0
    assert unix.id != other.id
    # the same text again is skipped as a duplicate, pointing at the first copy
    [duplicate] = summary.problems
    assert where(duplicate) == ("dos.txt", None)
    assert f"same text as {tmp_path / 'unix.txt'}" in duplicate.message


def test_content_ids_are_the_same_in_a_fresh_interpreter() -> None:
    [article] = read(DATA / "stena-impero.txt").articles

    script = "import sys, kg.reading.readers as r; print(next(r.read_articles(sys.argv[1])).id)"
    run = subprocess.run(
        [sys.executable, "-c", script, str(DATA / "stena-impero.txt")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},  # str hashes differ between runs
    )

    assert run.stdout.strip() == article.id


def test_a_given_id_reused_for_different_text_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text(
        '{"id": 7, "text": "Iraq summoned the US and UK ambassadors."}\n'
        '{"id": "7", "text": "Rockets hit Camp Taji north of Baghdad."}\n'
    )

    summary = read(path)

    assert [(a.id, a.text[:4]) for a in summary.articles] == [("7", "Iraq")]
    [problem] = summary.problems
    assert where(problem) == ("wire.jsonl", 2)
    assert problem.message == f"duplicate id '7': id already used by {path}:1; skipped"


def test_normalise_text_is_idempotent() -> None:
    messy = "\ufeffIran  \r\nsaid.\r\r\r\rOman agreed.  \u2029Qatar\u2028too.\n\n\n"
    once = normalise_text(messy)

    assert once == "Iran\nsaid.\n\nOman agreed.\n\nQatar\ntoo."
    assert normalise_text(once) == once
    assert content_id(messy) == content_id(once)


def test_summary_collects_any_mix_of_articles_and_problems() -> None:
    article = Article(id="a", text="Iran and Iraq signed a deal.")
    problem = ReadProblem("x.txt", None, "empty file")

    summary = ReadSummary.collect([problem, article])

    assert (summary.articles, summary.problems) == ([article], [problem])
    assert (summary.article_count, summary.problem_count) == (1, 1)
