"""The ``kg`` command line: one command per verb of the pipeline."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.cli.graph import MinConfidenceOption, exit_on_error, report_skipped, require_inputs
from kg.cli.graph import register as register_graph_commands
from kg.cli.network import register as register_network_commands
from kg.errors import KGError
from kg.extraction.extractor import make_extractor
from kg.ingest import extract_each
from kg.models import Article, Event, ReadProblem
from kg.reading.readers import CsvColumns, read_articles
from kg.settings import Settings

app = typer.Typer(
    help="Build knowledge graphs of geopolitical actors and events from news articles.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)


class ExtractFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    json = "json"


GazetteerOption = Annotated[
    list[Path] | None,
    typer.Option("--gazetteer", "-g", help="Extra gazetteer file (Turtle); repeatable."),
]


register_graph_commands(app)
register_network_commands(app)
for command in entry_points(group="kg.commands"):
    command.load()(app)  # e.g. `kg serve` from the api package


@app.callback()
def main() -> None:
    """kg: news articles in, CAMEO-coded actor-action-target events out, as a knowledge graph."""


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories of articles.")],
    format: Annotated[ExtractFormat, typer.Option("--format", "-f")] = ExtractFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
    gazetteer: GazetteerOption = None,
    extractor: Annotated[str, typer.Option(help="Extractor by name.")] = "rules",
    csv_text: Annotated[str, typer.Option(help="CSV column holding the text.")] = "text",
    csv_id: Annotated[str, typer.Option(help="CSV column holding the article id.")] = "id",
    csv_title: Annotated[str, typer.Option(help="CSV column holding the title.")] = "title",
    csv_date: Annotated[str, typer.Option(help="CSV column holding the date.")] = "date",
    csv_url: Annotated[str, typer.Option(help="CSV column holding the URL.")] = "url",
    csv_source: Annotated[str, typer.Option(help="CSV column holding the outlet.")] = "source",
    min_confidence: MinConfidenceOption = None,
) -> None:
    """Extract events from articles and print them; nothing is written to a store."""
    settings = Settings()
    if min_confidence is not None:
        settings = settings.model_copy(update={"min_confidence": min_confidence})
    if gazetteer:
        settings = settings.model_copy(update={"gazetteers": [*settings.gazetteers, *gazetteer]})
    columns = CsvColumns(
        text=csv_text, id=csv_id, title=csv_title, date=csv_date, url=csv_url, source=csv_source
    )
    require_inputs(paths)
    articles, problems = _read(paths, columns)
    try:
        coder = make_extractor(extractor, settings)
    except KGError as error:
        err.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(2) from error
    events: list[Event] = []
    with (
        exit_on_error(),
        _progress(len(articles), "extracting") as advance,
        _open_output(output) as out,
    ):
        failed: list[ReadProblem] = []  # articles the pipeline could not handle
        for result in extract_each(coder, articles, failed):
            advance()
            if format is ExtractFormat.jsonl:
                for event in result.events:
                    out.write(json.dumps(event.to_json(), ensure_ascii=False) + "\n")
            else:
                events.extend(result.events)
        if format is ExtractFormat.json:
            json.dump([e.to_json() for e in events], out, ensure_ascii=False, indent=2)
            out.write("\n")
        elif format is ExtractFormat.table:
            Console(file=out, width=_table_width(out)).print(_event_table(events))
        events_count = len(events) if format is not ExtractFormat.jsonl else None
    for problem in failed:
        report_skipped(problem)
    _summary(len(articles) - len(failed), problems + failed, events_count)


def _read(paths: list[Path], columns: CsvColumns) -> tuple[list[Article], list[ReadProblem]]:
    articles: list[Article] = []
    problems: list[ReadProblem] = []
    for item in read_articles(paths, csv_columns=columns):
        if isinstance(item, ReadProblem):
            problems.append(item)
            report_skipped(item)
        else:
            articles.append(item)
    return articles, problems


def _summary(read: int, problems: list[ReadProblem], events: int | None) -> None:
    parts = [f"{read} article{'s' if read != 1 else ''} read", f"{len(problems)} skipped"]
    if events is not None:
        parts.append(f"{events} events")
    err.print("[bold]" + ", ".join(parts) + "[/bold]")


def _table_width(out: TextIO) -> int | None:
    """The terminal's width, $COLUMNS, or 160 when writing to a file or pipe."""
    if out.isatty() or os.environ.get("COLUMNS"):
        return None
    return 160


def _event_table(events: list[Event]) -> Table:
    table = Table(show_lines=False, header_style="bold")
    for column in ("date", "source", "action", "code", "target", "conf", "evidence"):
        table.add_column(column, overflow="fold")
    for e in events:
        table.add_row(
            e.date.isoformat() if e.date else "",
            e.source.label,
            e.action,
            e.code,
            e.target.label if e.target else "—",
            f"{e.confidence:.2f}",
            _evidence(e),
        )
    return table


def _evidence(event: Event, width: int = 36) -> str:
    """The words around the trigger, so a table row reads on one or two lines."""
    text = " ".join(event.sentence.split())
    at = text.find(
        event.sentence[
            event.trigger_start - event.sentence_start : event.trigger_end - event.sentence_start
        ]
    )
    if len(text) <= 2 * width or at < 0:
        return text
    start, end = max(0, at - width), min(len(text), at + width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


@contextmanager
def _progress(total: int, what: str) -> Iterator[callable]:
    if total < 2 or not err.is_terminal:
        yield lambda: None
        return
    columns = (TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(what, total=total)
        yield lambda: progress.advance(task)


@contextmanager
def _open_output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    with path.open("w", encoding="utf-8") as handle:
        yield handle


if __name__ == "__main__":
    app()
