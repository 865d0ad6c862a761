"""Bad input costs one record, never the batch (issue 15): each case that crashed
``kg ingest`` or hung it becomes one `ReadProblem` naming the file and line, and the
articles around it are still read."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.extraction.pipeline import MAX_PARAGRAPH, MAX_RUN, split_paragraphs
from kg.models import Article, ReadProblem
from kg.reading.readers import ReadSummary, article_from_record, load_json, read_articles

TANKER = (
    "Iran's Revolutionary Guards seized the British-flagged tanker Stena Impero in the "
    "Strait of Hormuz on Friday, state media reported."
)
GOOD = json.dumps({"id": "tanker", "text": TANKER, "date": "2019-07-19"})


def read(*paths: Path) -> ReadSummary:
    return ReadSummary.collect(read_articles(list(paths)))


def problems(summary: ReadSummary) -> list[tuple[str, int | None]]:
    return [(Path(p.path).name, p.line) for p in summary.problems]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (json.dumps({"id": "old", "text": TANKER, "date": "0001-01-01"}), "out of range"),
        (json.dumps({"id": "far", "text": TANKER, "date": "9999-12-31"}), "out of range"),
        ('{"id": "big", "text": "Iran.", "n": ' + "9" * 5000 + "}", "4300 digits"),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
        ('{"id": "s", "text": "Iran \\ud800 seized a tanker."}', "lone surrogate \\ud800"),
        ('{"id": "t", "text": "Iran seized a tanker.", "title": "\\udfff"}', "'title'"),
        ('{"id": "\\ud83d", "text": "Iran seized a tanker."}', "'id'"),
    ],
)
def test_a_bad_jsonl_line_costs_only_that_line(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "wire.jsonl"
    after = json.dumps({"id": "after", "text": "Iraq protested to Iran on Saturday."})
    path.write_text(f"{GOOD}\n{line}\n{after}\n", encoding="utf-8")
    summary = read(path)
    assert [a.id for a in summary.articles] == ["tanker", "after"]
    assert problems(summary) == [("wire.jsonl", 2)]
    assert reason in summary.problems[0].message


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"id": "big", "text": "Iran.", "n": ' + "1" * 5000 + "}", "4300 digits"),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
        ('[{"text": "Iran \\udc00 seized a tanker."}]', "lone surrogate \\udc00"),
    ],
)
def test_a_bad_json_file_is_one_problem_and_the_next_file_is_read(
    tmp_path: Path, body: str, reason: str
) -> None:
    (tmp_path / "a.json").write_text(body, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(GOOD + "\n", encoding="utf-8")
    summary = read(tmp_path)
    assert [a.id for a in summary.articles] == ["tanker"]
    assert len(summary.problems) == 1 and reason in summary.problems[0].message
    assert Path(summary.problems[0].path).name == "a.json"


def test_a_date_too_near_the_calendars_ends_is_refused_in_front_matter(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text(f"---\ndate: 0001-01-01\n---\n{TANKER}\n")
    summary = read(tmp_path / "old.txt")
    assert summary.articles == []
    assert [str(p) for p in summary.problems] == [
        f"{tmp_path / 'old.txt'}: date 0001-01-01 is out of range (years 2 to 9998)"
    ]


@pytest.mark.parametrize("value", ["[" * 50_000 + "]" * 50_000, "{a: " * 5_000 + "1" + "}" * 5_000])
def test_front_matter_nested_too_deep_is_a_problem(tmp_path: Path, value: str) -> None:
    (tmp_path / "deep.txt").write_text(f"---\ntitle: {value}\n---\n{TANKER}\n")
    (tmp_path / "wire.jsonl").write_text(GOOD + "\n")
    summary = read(tmp_path)
    assert [a.id for a in summary.articles] == ["tanker"]
    assert [str(p) for p in summary.problems] == [
        f"{tmp_path / 'deep.txt'}:2: front matter nested too deeply"
    ]


# A 24-byte cousin of the 47-byte page from the issue: htmldate's cleaning asserts in lxml.
ASSERTING_PAGE = b"<math><math><html><time>"


def test_a_page_that_makes_the_date_library_assert_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "tiny.html").write_bytes(ASSERTING_PAGE)
    (tmp_path / "wire.jsonl").write_text(GOOD + "\n")
    summary = read(tmp_path)
    assert [a.id for a in summary.articles] == ["tanker"]
    assert problems(summary) == [("tiny.html", None)]


def test_a_page_whose_metadata_asserts_keeps_its_text(tmp_path: Path) -> None:
    page = ASSERTING_PAGE + f"<body><article><p>{TANKER}</p></article></body>".encode()
    (tmp_path / "page.html").write_bytes(page)
    (article,) = read(tmp_path / "page.html").articles
    assert article.text == TANKER and article.date is None


def test_special_files_are_skipped_and_never_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # nobody ever writes to it
    (tmp_path / "null.txt").symlink_to(os.devnull)
    (tmp_path / "wire.jsonl").write_text(GOOD + "\n")
    result: list[ReadSummary] = []
    reader = threading.Thread(target=lambda: result.append(read(tmp_path)), daemon=True)
    reader.start()
    reader.join(timeout=30)
    assert not reader.is_alive(), "reading a folder with a named pipe in it blocked"
    (summary,) = result
    assert [a.id for a in summary.articles] == ["tanker"]
    assert sorted(str(p) for p in summary.problems) == [
        f"{tmp_path / 'null.txt'}: a character device, not a regular file",
        f"{tmp_path / 'pipe.txt'}: a named pipe, not a regular file",
    ]
    named = read(tmp_path / "pipe.txt")  # named on the command line: the same
    assert named.articles == [] and "named pipe" in named.problems[0].message


def test_records_from_the_http_api_are_checked_as_file_records() -> None:
    article = article_from_record({"text": TANKER, "date": "2019-07-19"}, "POST /articles [0]")
    assert article.origin == "POST /articles [0]" and article.date.isoformat() == "2019-07-19"
    for record, reason in [
        ({"text": "Iran \ud800 seized"}, "lone surrogate"),
        ({"text": TANKER, "date": "0001-01-01"}, "out of range"),
        ({"text": "   "}, "empty"),
        ([TANKER], "expected an object"),
    ]:
        with pytest.raises(InputError, match=reason):
            article_from_record(record, "POST /articles [0]")
    with pytest.raises(InputError, match="nested too deeply"):
        load_json(b"[" * 100_000, "the body")


def test_pathological_paragraphs_are_cut_into_bounded_pieces() -> None:
    paragraph = "Iran seized the tanker. " * 50_000  # 1.2M characters: spaCy's E088
    quotes = '"' * 40_000  # one 40,000-character token run: minutes in spaCy's tokenizer
    text = f"Headline\n\n{paragraph}\n\n{quotes}\n\nLast words."
    pieces = list(split_paragraphs(text))
    for offset, piece in pieces:
        assert text[offset : offset + len(piece)] == piece
        assert len(piece) <= MAX_PARAGRAPH
        assert max(len(word) for word in piece.split()) <= MAX_RUN
    assert pieces[0] == (0, "Headline") and pieces[-1][1] == "Last words."
    sentences = [p for _, p in pieces if p.startswith("Iran")]
    assert all(p.rstrip().endswith(".") for p in sentences), "long text is cut at sentence ends"
    assert "".join(p for _, p in pieces if '"' in p) == quotes


# -- any bytes at all ------------------------------------------------------------------------

SUFFIXES = (".txt", ".json", ".jsonl", ".csv", ".html")
NOISE = st.sampled_from(
    [b"{", b"}", b"[", b"]", b'"', b"\\ud800", b"\\u0000", b"9" * 40, b"\n", b"---\n", b",",
     b'"text": ', b'"id": ', b'"date": "0001-01-01"', b"<p>", b"<math>", b"\xff", b"\xef\xbb\xbf",
     b"Iran seized a tanker. ", b"\r\n", b"\xed\xa0\x80", b":"]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    suffix=st.sampled_from(SUFFIXES),
    data=st.one_of(st.binary(max_size=300), st.lists(NOISE, max_size=40).map(b"".join)),
)
def test_no_bytes_make_a_reader_raise(tmp_path_factory, suffix: str, data: bytes) -> None:
    path = tmp_path_factory.mktemp("any") / f"input{suffix}"
    path.write_bytes(data)
    for item in read_articles([path]):
        assert isinstance(item, Article | ReadProblem)
        if isinstance(item, Article):
            assert item.text.strip() and item.id
            item.text.encode("utf-8")  # no lone surrogates reach the pipeline
            item.id.encode("utf-8")
        else:
            assert item.path == str(path) and item.message


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
RECORDS = st.fixed_dictionaries(
    {"text": st.one_of(st.text(), JSON_VALUES)},
    optional={"id": JSON_VALUES, "date": st.one_of(st.text(max_size=30), JSON_VALUES)},
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(records=st.lists(st.one_of(RECORDS, JSON_VALUES), min_size=1, max_size=6))
def test_every_jsonl_line_is_one_article_or_one_problem(tmp_path_factory, records) -> None:
    path = tmp_path_factory.mktemp("jsonl") / "records.jsonl"
    lines = [json.dumps(record) for record in records]  # json.dumps escapes surrogates
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_articles([path]))
    assert len(items) == len(lines)
    for number, item in enumerate(items, start=1):
        assert (item.origin if isinstance(item, Article) else f"{item.path}:{item.line}") == (
            f"{path}:{number}"
        )
