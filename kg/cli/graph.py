"""The ``kg`` commands that touch the store: ingest, remove, export, import, query, stats,
event.

Read commands work while ``kg serve`` holds an on-disk store (they open it read-only,
:func:`open_existing`). ``kg ingest`` and ``kg remove`` write to a store directly, or,
with ``--store http://HOST:PORT/``, through a running ``kg serve`` (:mod:`kg.cli.remote`).
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.cli.remote import KgServer, batches
from kg.errors import KGError, NotFoundError
from kg.extraction.extractor import RuleExtractor
from kg.graph.gdelt import write_events_csv, write_mentions_csv
from kg.graph.queries import event_detail, event_iri
from kg.graph.removal import remove_articles
from kg.graph.stats import graph_stats
from kg.graph.store import FORMATS, Store, kg_server_sparql, open_store
from kg.ingest import IngestSummary, ingest
from kg.models import ReadProblem
from kg.reading.readers import CsvColumns, read_articles
from kg.settings import Settings

__all__ = [
    "MinConfidenceOption",
    "OutputOption",
    "StoreOption",
    "exit_on_error",
    "fail",
    "open_existing",
    "open_existing_for_writing",
    "register",
    "report_skipped",
    "require_inputs",
    "settings_for",
]

err = Console(stderr=True, soft_wrap=True)  # an error stays one line, however long

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        "-s",
        help="A directory, 'memory', or a SPARQL endpoint URL "
        "(default: $KG_STORE or ./data/store).",
    ),
]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")]
SchedulerOption = Annotated[
    str | None,
    typer.Option(help="Extract on the Dask cluster of this scheduler (tcp://HOST:PORT)."),
]
WorkersOption = Annotated[
    int | None, typer.Option(help="Extract in this many Dask worker processes on this machine.")
]
TaskSizeOption = Annotated[
    int, typer.Option(min=1, help="Articles per Dask task (with --scheduler or --workers).")
]


class QueryFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def register(app: typer.Typer) -> None:
    """Add the store commands to ``app``."""
    app.command("ingest")(ingest_command)
    app.command("remove")(remove_command)
    app.command("export")(export_command)
    app.command("import")(import_command)
    app.command("query")(query_command)
    app.command("stats")(stats_command)
    app.command("event")(event_command)


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories of articles.")],
    store: StoreOption = None,
    gazetteer: Annotated[list[Path] | None, typer.Option("--gazetteer", "-g")] = None,
    force: Annotated[bool, typer.Option(help="Re-extract articles already stored.")] = False,
    csv_text: Annotated[str, typer.Option(help="CSV column holding the text.")] = "text",
    csv_id: Annotated[str, typer.Option(help="CSV column holding the article id.")] = "id",
    min_confidence: MinConfidenceOption = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    task_size: TaskSizeOption = 8,
) -> None:
    """Extract events from articles and add them to the store, one transaction per article."""
    settings = settings_for(store, gazetteer)
    if min_confidence is not None:
        settings = settings.model_copy(update={"min_confidence": min_confidence})
    require_inputs(paths)
    if scheduler or workers is not None:  # extraction on a Dask cluster (kg.cli.cluster)
        from kg.cli.cluster import ingest_on_dask

        columns = CsvColumns(text=csv_text, id=csv_id)
        summary = ingest_on_dask(paths, columns, settings, scheduler, workers, task_size, force)
        _ingest_report(summary, settings.store, len(summary.events_written), len(summary.actors))
        return
    items = list(read_articles(paths, csv_columns=CsvColumns(text=csv_text, id=csv_id)))
    total = sum(1 for item in items if not hasattr(item, "message"))
    if kg_server_sparql(settings.store):
        if force:
            fail("--force cannot be sent to a kg server: remove the articles, then ingest them")
        if gazetteer or min_confidence is not None:
            fail("a kg server extracts with its own settings: drop --gazetteer/--min-confidence")
        with exit_on_error():
            summary, events = _ingest_through(
                KgServer(settings.store, settings.update_token), items
            )
        _ingest_report(summary, settings.store, events, actors=None)
        return
    with exit_on_error(), open_store(settings.store) as graph:
        extractor = RuleExtractor.from_settings(settings)
        from kg.network.live import LiveGraph  # networkx: only here

        served = LiveGraph.from_snapshot(graph)  # kept current for the next kg serve
        columns = (TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err, transient=True, disable=total < 2) as progress:
            task = progress.add_task("ingest", total=total)
            summary = ingest(
                items, extractor, graph, force=force, on_article=lambda _: progress.advance(task)
            )
        with err.status("preparing the served graph for kg serve"):
            LiveGraph.after_ingest(graph, served, summary)
    _ingest_report(summary, settings.store, len(summary.events_written), len(summary.actors))


def _ingest_through(server: KgServer, items: list) -> tuple[IngestSummary, int]:
    """Send the articles read to a running ``kg serve`` (it extracts and stores them);
    what it did, and how many events it wrote."""
    summary = IngestSummary(problems=[i for i in items if isinstance(i, ReadProblem)])
    events = 0
    for batch in batches(i for i in items if not isinstance(i, ReadProblem)):
        answer = server.post_articles(batch)
        summary.read += answer["articles"]
        summary.stored += answer["stored"]
        summary.already_stored += answer["already_stored"]
        summary.mentions += answer["mentions"]
        summary.triples_added += answer["triples_added"]
        events += answer["events"]
        summary.problems += [ReadProblem(server.url, None, reason) for reason in answer["skipped"]]
    return summary, events


def _ingest_report(summary: IngestSummary, store: str, events: int, actors: int | None) -> None:
    for problem in summary.problems:
        report_skipped(problem)
    table = Table(title=f"ingested into {store}", show_header=False)
    for name, value in (
        ("articles read", summary.read),
        ("articles stored", summary.stored),
        ("already stored (unchanged)", summary.already_stored),
        ("skipped (bad input)", summary.skipped),
        ("event mentions extracted", summary.mentions),
        ("events written (merged)", events),
        ("actors in those events", "—" if actors is None else actors),
        ("triples added", summary.triples_added),
    ):
        table.add_row(name, str(value))
    err.print(table)


def remove_command(
    ids: Annotated[list[str], typer.Argument(help="Ids of stored articles (as ingested).")],
    store: StoreOption = None,
) -> None:
    """Remove articles and their reports; events only they reported disappear, and the
    events they shared with other articles are recomputed.

    All the ids must be stored, else nothing is removed (an id removed already counts
    as unknown). With --store http://HOST:PORT/ the running kg serve removes them.
    """
    settings = settings_for(store)
    if kg_server_sparql(settings.store):
        with exit_on_error():
            answers = _remove_through(KgServer(settings.store, settings.update_token), ids)
        mentions = sum(a["mentions"] for a in answers)
        gone = sum(a["events_removed"] for a in answers)
        changed = sum(a["events_changed"] for a in answers)
    else:
        with exit_on_error(), open_existing_for_writing(settings) as graph:
            summary = remove_articles(graph, ids, settings.base_iri)
        answers, mentions = summary.articles, summary.mentions
        gone, changed = len(summary.events_removed), len(summary.events_written)
    plural = "s" if len(answers) != 1 else ""
    err.print(
        f"removed {len(answers)} article{plural} from {settings.store}: {mentions} reports, "
        f"{gone} events gone, {changed} events recomputed"
    )


def export_command(
    format: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}, csv.")
    ] = "turtle",
    output: OutputOption = None,
    mentions: Annotated[
        bool, typer.Option(help="With csv: one row per report (GDELT's mentions table).")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Write the whole graph (all named graphs) to a file or stdout.

    ``--format csv`` writes one row per event in GDELT's event-table columns
    (``--mentions``: one row per report, in its mentions-table columns).
    """
    settings = settings_for(store)
    with exit_on_error(), open_existing(settings) as graph:
        if format == "csv":
            with _text_output(output) as out:
                rows = (write_mentions_csv if mentions else write_events_csv)(graph, out)
            err.print(f"{rows} {'mentions' if mentions else 'events'} written")
        elif output is None:
            graph.dump(sys.stdout.buffer, format)
        else:
            with output.open("wb") as handle:
                graph.dump(handle, format)


def import_command(
    file: Annotated[Path, typer.Argument(help="An RDF file (Turtle, N-Triples, N-Quads, TriG…).")],
    format: Annotated[str | None, typer.Option("--format", "-f")] = None,
    graph_name: Annotated[
        str | None,
        typer.Option("--graph", help="Named graph for triple formats (datasets keep their own)."),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Load an RDF file into the store."""
    settings = settings_for(store)
    if not file.is_file():
        fail(f"{file}: no such file")
    with exit_on_error(), open_store(settings.store, token=settings.update_token) as graph:
        before = graph.count()
        graph.load(file, format, graph_name or f"{settings.base_iri}graph/import/{file.stem}")
        added = graph.count() - before
    err.print(f"imported {file}: {added} triples added")


def query_command(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, or @FILE, or - for stdin.")],
    format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """Run a SPARQL SELECT or ASK query against the store."""
    settings = settings_for(store)
    text = _query_text(sparql)
    with exit_on_error(), open_existing(settings) as graph:
        if text.lstrip().upper().startswith("ASK") or " ASK " in text.upper():
            rows = [{"answer": str(graph.ask(text)).lower()}]
        else:
            rows = graph.select(text)
    with exit_on_error(), _text_output(output) as out:
        _write_rows(rows, format, out)


def stats_command(store: StoreOption = None) -> None:
    """Counts of triples, articles, events and actors, and events by CAMEO root."""
    settings = settings_for(store)
    with exit_on_error(), open_existing(settings) as graph:
        stats = graph_stats(graph)
    table = Table(title=f"store {settings.store}", show_header=False)
    for name in ("triples", "articles", "events", "mentions", "actors"):
        table.add_row(name, str(getattr(stats, name)))
    Console().print(table)
    by_root = Table("root", "label", "events", title="events by CAMEO root")
    for row in stats.events_by_root:
        by_root.add_row(row.root, row.label, str(row.events))
    Console().print(by_root)


def event_command(
    event_id: Annotated[str, typer.Argument(help="The event's id (end of its IRI) or IRI.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store: StoreOption = None,
) -> None:
    """One event with every report of it (article, outlet, date, sentence)."""
    settings = settings_for(store)
    with exit_on_error(), open_existing(settings) as graph:
        detail = event_detail(graph, event_iri(event_id, settings.base_iri))
    record = detail.event
    if json_output:
        data = {
            "id": record.id,
            "source": record.source.to_json(),
            "target": record.target.to_json() if record.target else None,
            "code": record.code,
            "date": record.date,
            "confidence": record.confidence,
            "mentions": record.mentions,
            "articles": record.articles,
            "sources": record.sources,
            "first_reported": record.first_reported,
            "last_reported": record.last_reported,
            "mention_list": [m.to_json() for m in detail.mentions],
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    target = record.target.label if record.target else "—"
    Console().print(
        f"[bold]{record.source.label} —{record.code}→ {target}[/bold], {record.date or 'undated'}: "
        f"{record.mentions} mentions in {record.articles} articles from {record.sources} sources"
    )
    table = Table("article", "published", "outlet", "code", "date", "sentence")
    for mention in detail.mentions:
        table.add_row(
            mention.article,
            mention.article_date or "",
            mention.outlet or "",
            mention.code,
            mention.date or "",
            mention.sentence,
        )
    Console().print(table)


@contextmanager
def _text_output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        yield handle


#: ``--min-confidence``: drop events whose calibrated confidence is lower.
MinConfidenceOption = Annotated[
    float | None,
    typer.Option(
        "--min-confidence",
        min=0.0,
        max=1.0,
        help="Drop events whose calibrated confidence is lower (0.7 keeps about 4 in 5 "
        "right on held-out news sentences). Default: $KG_MIN_CONFIDENCE or 0.",
    ),
]


def settings_for(store: str | None, gazetteer: list[Path] | None = None) -> Settings:
    settings = Settings()
    update: dict[str, object] = {}
    if store:
        update["store"] = store
    if gazetteer:
        update["gazetteers"] = [*settings.gazetteers, *gazetteer]
    return settings.model_copy(update=update) if update else settings


def _query_text(argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    if argument.startswith("@"):
        path = Path(argument[1:])
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            fail(f"cannot read the query file {path}: {error.strerror or error}")
        except UnicodeDecodeError as error:
            fail(f"cannot read the query file {path}: not UTF-8 ({error.reason})")
    return argument


def fail(message: str) -> NoReturn:
    """Print ``message`` as one error line and exit 2."""
    err.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(2)


def require_inputs(paths: list[Path]) -> None:
    """Stop before any work if an input path named on the command line does not exist
    (a typo should not pass for an empty batch)."""
    for path in paths:
        if not os.path.lexists(path):
            fail(f"{path}: no such file or directory")


def _remove_through(server: KgServer, ids: list[str]) -> list[dict]:
    """Remove the articles on a running ``kg serve``, one request each; an unknown id
    stops there, naming those removed before it."""
    answers: list[dict] = []
    for article_id in dict.fromkeys(ids):
        try:
            answers.append(server.delete_article(article_id))
        except NotFoundError as error:
            done = ", ".join(repr(a["id"]) for a in answers)
            detail = f"{error} (the ids before it were removed: {done})" if done else str(error)
            raise NotFoundError(detail) from None
    return answers


def open_existing(settings: Settings) -> Store:
    """The store for a read command: it must exist; it is never created; while another
    process (``kg serve``) holds it, it is opened read-only."""
    return open_store(settings.store, create=False, shared_read=True)


def open_existing_for_writing(settings: Settings) -> Store:
    """The store for a command that changes what it holds, but must not create it."""
    return open_store(settings.store, create=False)


def report_skipped(problem: object) -> None:
    """``skipped FILE:LINE: reason``, one line per input left out of the batch."""
    err.print(f"[yellow]skipped[/yellow] {escape(str(problem))}")


def _write_rows(rows: list[dict[str, str | None]], format: QueryFormat, out) -> None:
    names = list(rows[0]) if rows else []
    if format is QueryFormat.json:
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif format is QueryFormat.csv:
        writer = csv.DictWriter(out, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = Table(*names)
        for row in rows:
            table.add_row(*(row[n] or "" for n in names))
        Console(file=out).print(table)
        err.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")


class exit_on_error:
    """Print a KGError, or a file the system cannot write or read (a full disk, a
    missing folder for ``--output``), as one clear line and exit 2, not a traceback."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, _traceback) -> bool:
        if isinstance(error, KGError):
            err.print(f"[red]error:[/red] {escape(str(error))}")
            raise typer.Exit(2) from error
        if isinstance(error, OSError) and not isinstance(error, BrokenPipeError):
            where = f"{error.filename}: " if error.filename else ""
            err.print(f"[red]error:[/red] {escape(where + (error.strerror or str(error)))}")
            raise typer.Exit(2) from error
        return False
