"""Reading articles: files and directories of news text in, `Article` records out.

Formats (DESIGN, "Reading articles"): ``.txt`` with optional YAML front matter,
``.jsonl`` and ``.json`` records, ``.html``/``.htm`` pages (main text extracted by
trafilatura, offline) and ``.csv`` with columns named by `CsvColumns`.

Bad input never raises: it becomes a `ReadProblem` naming the file and line, so the
caller can count it and the batch goes on. That covers what parsers choke on, not only
what they reject: numbers past Python's 4,300-digit limit, JSON nested deeper than the
interpreter's recursion limit, lone surrogates (``"\\ud800"``), pages that make the HTML
and date libraries assert, dates too close to year 1 or 9999 for date arithmetic, and
special files (named pipes, devices), which are never opened for a blocking read.

Ids are the given ``id`` (numbers become strings), else `content_id` of the normalised
text, so identical text always gets the same id; a second article with an id already
read in the batch is a problem too. An unparseable date keeps the article with
``date=None`` and logs a warning: a bad date should not cost the events in the text.
A date that parses but lies outside `DATE_RANGE` (``0001-01-01``, a common stand-in
for "no date") is a problem instead: relative dates resolved against it would fall
off the calendar, and silently dropping it would hide the stand-in.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.errors import InputError
from kg.models import Article, ReadProblem

__all__ = [
    "SUPPORTED_SUFFIXES",
    "CsvColumns",
    "ReadSummary",
    "article_from_record",
    "content_id",
    "load_json",
    "normalise_text",
    "read_articles",
]

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".csv", ".htm", ".html", ".json", ".jsonl", ".txt")
_BLANK_RUNS = re.compile(r"\n{3,}")
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Article dates must leave a year either side for relative dates ("last Friday").
DATE_RANGE = (dt.date(dt.MINYEAR + 1, 1, 1), dt.date(dt.MAXYEAR - 1, 12, 31))
_LONGEST_DATE = 100  # characters: longer strings are not dates, and slow dateparser down
_FILE_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}
_DATE_SETTINGS: dict[str, Any] = {
    "REQUIRE_PARTS": ["day", "month", "year"],  # never invent a day, month or year
    "PARSERS": ["custom-formats", "absolute-time"],  # "yesterday" would depend on today
    "RETURN_AS_TIMEZONE_AWARE": False,
}


@dataclass(frozen=True, slots=True)
class CsvColumns:
    """Which CSV column holds each article field; only ``text`` must be present."""

    text: str = "text"
    id: str = "id"
    title: str = "title"
    date: str = "date"
    url: str = "url"
    source: str = "source"


@dataclass(slots=True)
class ReadSummary:
    """Everything read from a batch: the articles and the inputs that were skipped."""

    articles: list[Article] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)

    @property
    def article_count(self) -> int:
        return len(self.articles)

    @property
    def problem_count(self) -> int:
        return len(self.problems)

    @classmethod
    def collect(cls, items: Iterable[Article | ReadProblem]) -> ReadSummary:
        """Drain `read_articles` (or any mix of the two) into one summary."""
        items = list(items)
        return cls(
            [item for item in items if isinstance(item, Article)],
            [item for item in items if isinstance(item, ReadProblem)],
        )


def normalise_text(text: str) -> str:
    """LF line ends, no BOM, NFC, no trailing spaces, one blank line between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n")  # Unicode separators
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()


def content_id(text: str) -> str:
    """Stable id of an article without one: 16 hex digits of the SHA-256 of its text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


def read_articles(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    csv_columns: CsvColumns | None = None,
) -> Iterator[Article | ReadProblem]:
    """Yield the articles in files and directories (recursively), and a problem per bad input.

    Directories are walked in sorted order, skipping hidden entries and files with an
    unsupported suffix; a file named explicitly with an unsupported suffix is a problem.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    batch = _Batch(csv_columns or CsvColumns())
    for path in _expand(paths):
        if isinstance(path, ReadProblem):
            yield path
            continue
        try:
            data = _read_file(path)
        except InputError as err:
            yield ReadProblem(err.path, err.line, err.reason)
            continue
        except OSError as err:
            yield ReadProblem(str(path), None, f"cannot read file: {err.strerror or err}")
            continue
        if not data.strip():
            yield ReadProblem(str(path), None, "empty file")
            continue
        try:
            yield from _READERS[_suffix(path)](batch, str(path), data)
        except InputError as err:
            yield ReadProblem(err.path, err.line, err.reason)


def _expand(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | ReadProblem]:
    for raw in paths:
        path = Path(raw)
        if not os.fspath(raw):
            yield ReadProblem("''", None, "empty path")
        elif path.is_dir():
            files = _walk(path)
            if not files:
                yield ReadProblem(str(path), None, "no files of a supported type in directory")
            yield from files
        elif not path.exists():
            yield ReadProblem(str(path), None, "no such file or directory")
        elif _suffix(path) not in _READERS:
            kinds = ", ".join(SUPPORTED_SUFFIXES)
            yield ReadProblem(str(path), None, f"unsupported file type (expected {kinds})")
        else:
            yield path


def _read_file(path: Path) -> bytes:
    """The bytes of a regular file; anything else is refused before a read can block.

    The file is opened without blocking (a named pipe with no writer would otherwise
    wait forever) and checked on the open descriptor, so a swap after a check cannot
    slip a pipe in.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")
            raise InputError(f"{kind}, not a regular file", str(path))
        os.set_blocking(fd, True)
        return handle.read()


def _walk(root: Path) -> list[Path]:
    """Supported files under root in sorted order, hidden files and folders left out."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # and .git, .venv are not walked
        found += [Path(folder, f) for f in files if f[0] != "." and _suffix(f) in _READERS]
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def _suffix(path: str | Path) -> str:
    return Path(path).suffix.lower()


@dataclass(slots=True)
class _Batch:
    """State shared by the readers of one `read_articles` call."""

    columns: CsvColumns
    seen: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (hash, origin)

    def article(
        self, record: Any, path: str, line: int | None, label: str = "'text'"
    ) -> Article | ReadProblem:
        """Build an article from a record, or say why it cannot be one."""
        try:
            article = _make_article(record, path, line, label)
        except InputError as err:
            return ReadProblem(err.path, err.line, err.reason)
        digest, origin = content_id(article.text), article.origin or path
        first = self.seen.setdefault(article.id, (digest, origin))
        if first == (digest, origin):
            return article
        why = "same text as" if first[0] == digest else "id already used by"
        return ReadProblem(path, line, f"duplicate id {article.id!r}: {why} {first[1]}; skipped")


def article_from_record(record: Any, path: str, line: int | None = None) -> Article:
    """An article from a JSON-like record (``text``, optional ``id``, ``title``, ``date``,
    ``url``, ``source``), checked as the readers check a line of a JSONL file.

    Raises InputError naming ``path`` and ``line`` (the HTTP API passes where in the
    request body the record was).
    """
    return _make_article(record, path, line, "'text'")


def load_json(text: str | bytes, path: str, line: int | None = None) -> Any:
    """``json.loads``, with every way it fails turned into an InputError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        where = line if line is not None else err.lineno
        raise InputError(f"malformed JSON: {err.msg} (column {err.colno})", path, where) from None
    except RecursionError:
        raise InputError("JSON nested too deeply", path, line) from None
    except ValueError as err:  # a number past the interpreter's digit limit, bad UTF-8
        raise InputError(f"unreadable JSON: {str(err).split(';')[0]}", path, line) from None


def _make_article(record: Any, path: str, line: int | None, label: str) -> Article:
    if not isinstance(record, dict):
        raise InputError(f"expected an object, got {_json_type(record)}", path, line)
    text = record.get("text")
    if text is None:
        raise InputError(f"missing {label}", path, line)
    if not isinstance(text, str):
        raise InputError(f"{label} must be a string, got {_json_type(text)}", path, line)
    for key in ("id", "text", "title", "date", "url", "source"):
        value = record.get(key)
        if isinstance(value, str) and (bad := _SURROGATE.search(value)):
            name = label if key == "text" else repr(key)
            message = f"lone surrogate \\u{ord(bad[0]):04x} in {name} at character {bad.start()}"
            raise InputError(message + " (not valid Unicode text)", path, line)
    text = normalise_text(text)
    if not text:
        raise InputError(f"empty {label}", path, line)
    given = record.get("id")
    if isinstance(given, bool) or not isinstance(given, str | int | None):
        message = f"'id' must be a string or an integer, got {_json_type(given)}"
        raise InputError(message, path, line)
    origin = path if line is None else f"{path}:{line}"
    return Article(
        id=(str(given).strip() if given is not None else "") or content_id(text),
        text=text,
        title=_optional_str(record.get("title")),
        date=_checked_date(_parse_date(record.get("date"), origin), path, line),
        url=_optional_str(record.get("url")),
        source=_optional_str(record.get("source")),
        origin=origin,
    )


def _optional_str(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    return names.get(type(value), "null" if value is None else "a number")


def _checked_date(date: dt.date | None, path: str, line: int | None) -> dt.date | None:
    if date is not None and not DATE_RANGE[0] <= date <= DATE_RANGE[1]:
        first, last = (d.year for d in DATE_RANGE)
        message = f"date {date.isoformat()} is out of range (years {first} to {last})"
        raise InputError(message, path, line)
    return date


def _parse_date(value: object, origin: str) -> dt.date | None:
    """A calendar date from an ISO string, a looser string, or a date object."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) <= _LONGEST_DATE:
        try:
            return dt.datetime.fromisoformat(value.strip()).date()
        except ValueError:
            import dateparser  # slow to import; most dates are ISO

            try:
                parsed = dateparser.parse(value, settings=_DATE_SETTINGS)
            except (ValueError, OverflowError):  # e.g. a day past the calendar's end
                parsed = None
            if parsed is not None:
                return parsed.date()
    logger.warning("%s: ignoring unparseable date %.60r", origin, value)
    return None


def _decode(path: str, data: bytes, line: int | None = None, offset: int = 0) -> str:
    """UTF-8 text (a leading BOM dropped), or a problem naming the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = line or data.count(b"\n", 0, err.start) + 1
        utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
        hint = "; looks like UTF-16, re-save as UTF-8" if utf16 else ""
        message = f"not UTF-8: byte 0x{data[err.start]:02x} at offset {offset + err.start}"
        raise InputError(message + hint, path, line) from None


def _read_txt(batch: _Batch, path: str, data: bytes) -> Iterator[Article | ReadProblem]:
    lines = _decode(path, data).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta: Any = {}
    if lines[0].rstrip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
        if end is None:
            raise InputError("front matter opened with '---' is never closed", path, 1)
        try:  # BaseLoader keeps every value a string: no octal ids or boolean titles
            meta = yaml.load("\n".join(lines[1:end]), Loader=yaml.BaseLoader) or {}
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            problem = getattr(err, "problem", None) or str(err).splitlines()[0]
            raise InputError(f"bad front matter: {problem}", path, line) from None
        except RecursionError:  # PyYAML parses nested collections recursively
            raise InputError("front matter nested too deeply", path, 2) from None
        if not isinstance(meta, dict):
            raise InputError("front matter must be 'key: value' lines", path, 2)
        lines = lines[end + 1 :]
    yield batch.article({**meta, "text": "\n".join(lines)}, path, None, label="text")


def _read_jsonl(batch: _Batch, path: str, data: bytes) -> Iterator[Article | ReadProblem]:
    offset = 0  # decode line by line, so one bad byte costs one record, not the file
    for number, raw in enumerate(data.split(b"\n"), start=1):
        start, offset = offset, offset + len(raw) + 1
        if not raw.strip():
            continue
        try:
            record = load_json(_decode(path, raw, number, start), path, number)
        except InputError as err:
            yield ReadProblem(err.path, err.line, err.reason)
        else:
            yield batch.article(record, path, number)


def _read_json(batch: _Batch, path: str, data: bytes) -> Iterator[Article | ReadProblem]:
    text = _decode(path, data)
    for line, record in _json_records(text, path):
        yield batch.article(record, path, line)


def _json_records(text: str, path: str) -> list[tuple[int | None, Any]]:
    """A top-level object (line None), or each item of a top-level array with its line."""
    value = load_json(text, path)  # a malformed file is reported whole, at its first error
    if not isinstance(value, list):
        return [(None, value)]
    decoder, records, line, pos, start = json.JSONDecoder(), [], 1, 0, text.index("[") + 1
    for item in value:  # the text is valid JSON: just find where each item starts
        start = _skip_space(text, start)
        line += text.count("\n", pos, start)
        records.append((line, item))
        pos, start = start, _skip_space(text, decoder.raw_decode(text, start)[1]) + 1  # past ","
    return records


def _skip_space(text: str, pos: int) -> int:
    match = _JSON_SPACE.match(text, pos)
    return match.end() if match else pos


def _read_csv(batch: _Batch, path: str, data: bytes) -> Iterator[Article | ReadProblem]:
    columns = dataclasses.asdict(batch.columns)
    rows = csv.reader(io.StringIO(_decode(path, data), newline=""))
    try:
        header = [name.strip() for name in next(rows, [])]
        if batch.columns.text not in header:
            found = ", ".join(repr(name) for name in header)
            raise InputError(f"no {batch.columns.text!r} column (columns: {found})", path, 1)
        where = {key: header.index(name) for key, name in columns.items() if name in header}
        end = rows.line_num
        for row in rows:
            line, end = end + 1, rows.line_num  # a quoted cell may span several lines
            if any(cell.strip() for cell in row):
                record = {key: row[i] if i < len(row) else "" for key, i in where.items()}
                yield batch.article(record, path, line, label=f"{batch.columns.text!r} column")
    except csv.Error as err:
        raise InputError(f"malformed CSV: {err}", path, rows.line_num) from None


def _read_html(batch: _Batch, path: str, data: bytes) -> Iterator[Article | ReadProblem]:
    doc = _extract_html(data, path)
    if doc is None or doc.body is None:
        raise InputError("no main text found in the page", path)
    blocks = [block for block in (_flatten(el).strip() for el in doc.body) if block]
    if blocks and doc.title and blocks[0] == doc.title.strip():
        blocks = blocks[1:]  # the headline repeats the title
    record = {"text": "\n\n".join(blocks), "title": doc.title, "date": doc.date, "url": doc.url}
    yield batch.article({**record, "source": doc.sitename}, path, None, label="main text")


def _extract_html(data: bytes, path: str) -> Any:
    """trafilatura's main text and metadata; if finding the metadata fails (htmldate
    asserts on some malformed pages), the text alone; if that fails too, a problem."""
    import trafilatura  # slow to import; only needed for HTML
    from lxml.etree import LxmlError

    options: dict[str, Any] = {"include_comments": False, "include_tables": False}
    dates = {"extensive_search": False, "original_date": True}
    failures = (AssertionError, LxmlError, RecursionError, ValueError)
    try:
        return trafilatura.bare_extraction(
            data, with_metadata=True, date_extraction_params=dates, **options
        )
    except failures as err:
        logger.warning("%s: page metadata unreadable (%s); reading the text alone", path, _why(err))
    try:
        return trafilatura.bare_extraction(data, with_metadata=False, **options)
    except failures as err:
        raise InputError(f"cannot extract the page's text ({_why(err)})", path) from None


def _why(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _flatten(element: Any) -> str:
    """Text of a trafilatura XML block; line breaks and list items start new lines.
    (libxml2 caps how deep a page nests, so the recursion stays shallow.)"""
    parts = [element.text or ""]
    for child in element:
        if child.tag in ("lb", "item"):
            parts.append("\n")
        parts += [_flatten(child), child.tail or ""]
    return "".join(parts)


_READERS = {".txt": _read_txt, ".jsonl": _read_jsonl, ".json": _read_json, ".csv": _read_csv}
_READERS |= dict.fromkeys((".html", ".htm"), _read_html)
