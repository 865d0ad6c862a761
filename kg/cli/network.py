"""The ``kg`` commands on the actor network: path, network, plot, centrality,
communities, dyad and timeline."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kg.cli.graph import OutputOption, StoreOption, exit_on_error, open_existing, settings_for
from kg.errors import InputError
from kg.network.export import NetworkFormat, network_bytes
from kg.network.metrics import Centrality, centrality, communities, dyad, timeline
from kg.network.projection import ActorNetwork, NetworkFilter, resolve_actor
from kg.settings import Settings

__all__ = ["register"]

err = Console(stderr=True)
out = Console()

Since = Annotated[str | None, typer.Option(help="Only events on or after YYYY-MM-DD.")]
Until = Annotated[str | None, typer.Option(help="Only events on or before YYYY-MM-DD.")]
Roots = Annotated[
    list[str] | None, typer.Option("--root", help="Only these CAMEO roots (repeat: 18, 19).")
]
Quads = Annotated[
    list[int] | None,
    typer.Option(
        "--quad",
        help="Only these quad classes: 1 verbal coop., 2 material coop., "
        "3 verbal conflict, 4 material conflict (repeat).",
    ),
]
MinConfidence = Annotated[float, typer.Option(help="Only events at least this confident.")]


def register(app: typer.Typer) -> None:
    """Add the network commands to ``app``."""
    app.command("path")(path_command)
    app.command("network")(network_command)
    app.command("plot")(plot_command)
    app.command("centrality")(centrality_command)
    app.command("communities")(communities_command)
    app.command("dyad")(dyad_command)
    app.command("timeline")(timeline_command)


def path_command(
    source: Annotated[str, typer.Argument(help="Actor id, IRI or any alias.")],
    target: Annotated[str, typer.Argument(help="Actor id, IRI or any alias.")],
    max_hops: Annotated[int, typer.Option(min=1, max=8)] = 4,
    k: Annotated[int, typer.Option(min=1, max=20, help="How many paths.")] = 3,
    directed: Annotated[bool, typer.Option(help="Follow events source to target only.")] = False,
    since: Since = None,
    until: Until = None,
    root: Roots = None,
    quad: Quads = None,
    min_confidence: MinConfidence = 0.0,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store: StoreOption = None,
) -> None:
    """The k shortest paths between two actors, each hop with its evidence."""
    network, (a, b) = _network_from(store, since, until, root, quad, min_confidence, source, target)
    with exit_on_error():
        found = network.paths(a, b, max_hops=max_hops, k=k, directed=directed)
    if json_output:
        _print_json([_path_json(network, p) for p in found])
        return
    if not found:
        err.print(f"no path of at most {max_hops} hops between {source} and {target}")
        raise typer.Exit(1)
    for number, path in enumerate(found, 1):
        route = " → ".join(network.label(a) for a in path.actors)
        out.print(f"[bold]{number}. {route}[/bold] ({len(path.hops)} hops)")
        for hop in path.hops:
            first = hop.events[0]
            more = f" (+{len(hop.events) - 1} more)" if len(hop.events) > 1 else ""
            out.print(
                f"   {network.label(first['source'])} —{first['code']}→ "
                f"{network.label(first['target'])}, {first['date'] or 'undated'}, "
                f"{first['article']}{more}\n     [dim]{first['sentence']}[/dim]"
            )


def network_command(
    actor: Annotated[
        str | None, typer.Argument(help="Centre actor; omit for the whole network.")
    ] = None,
    depth: Annotated[int, typer.Option(min=1, max=4)] = 1,
    max_actors: Annotated[int, typer.Option(min=1, help="Keep at most this many actors.")] = 200,
    format: Annotated[
        str, typer.Option("--format", "-f", help="table, graphml, gexf or json (node-link).")
    ] = "table",
    since: Since = None,
    until: Until = None,
    root: Roots = None,
    quad: Quads = None,
    min_confidence: MinConfidence = 0.0,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """An actor's ego network (or the whole network) as a table, GraphML, GEXF or JSON."""
    with exit_on_error():
        if format != "table" and format not in NetworkFormat.__members__:
            raise InputError(
                f"unknown format {format!r}; use table, graphml, gexf or json", "--format"
            )
    network, (centre,) = _network_from(store, since, until, root, quad, min_confidence, actor)
    with exit_on_error():
        chosen = network.ego(centre, depth, max_actors) if centre else network.graph
    if format != "table":
        data = network_bytes(chosen, format)
        if output:
            output.write_bytes(data)
            err.print(
                f"{chosen.number_of_nodes()} actors, {chosen.number_of_edges()} events → {output}"
            )
        else:
            sys.stdout.buffer.write(data + b"\n")
        return
    table = Table(
        "source", "code", "target", "date", "article", title=_title(network, centre, chosen)
    )
    for u, v, data in sorted(
        chosen.edges(data=True), key=lambda e: (e[2]["date"] or dt.date.min, e[2]["event"])
    ):
        table.add_row(
            network.label(u),
            data["code"],
            network.label(v),
            str(data["date"] or ""),
            data["article"],
        )
    Console(file=output.open("w", encoding="utf-8") if output else None).print(table)


def plot_command(
    actor: Annotated[
        str | None, typer.Argument(help="Centre actor; omit for the whole network.")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="FILE.png, .svg or .pdf")] = Path(
        "network.png"
    ),
    depth: Annotated[int, typer.Option(min=1, max=3)] = 1,
    max_actors: Annotated[int, typer.Option(min=2, max=150, help="Draw at most this many.")] = 40,
    since: Since = None,
    until: Until = None,
    root: Roots = None,
    quad: Quads = None,
    min_confidence: MinConfidence = 0.0,
    store: StoreOption = None,
) -> None:
    """Draw the network (or an actor's ego network): node size by events, edges red
    for conflict and blue for cooperation."""
    from kg.network.plot import draw_network, save_network_plot  # matplotlib loads slowly

    network, (centre,) = _network_from(store, since, until, root, quad, min_confidence, actor)
    with exit_on_error():
        chosen = network.ego(centre, depth, max_actors) if centre else network.graph
        title = f"Ego network of {network.label(centre)}" if centre else "Actor network"
        figure = draw_network(chosen, title=title, centre=centre, max_actors=max_actors)
        save_network_plot(figure, output)
    err.print(f"wrote {output}")


def centrality_command(
    measure: Annotated[
        Centrality, typer.Option("--by", help="The centrality measure.")
    ] = Centrality.degree,
    top: Annotated[int, typer.Option(min=1)] = 20,
    since: Since = None,
    until: Until = None,
    root: Roots = None,
    quad: Quads = None,
    min_confidence: MinConfidence = 0.0,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store: StoreOption = None,
) -> None:
    """The most central actors by degree, betweenness or PageRank."""
    network, _ = _network_from(store, since, until, root, quad, min_confidence)
    ranked = centrality(network, measure, top)
    if json_output:
        _print_json([asdict(r) for r in ranked])
        return
    table = Table("#", "actor", measure.value, "events", title=f"top {top} by {measure.value}")
    for number, row in enumerate(ranked, 1):
        table.add_row(str(number), row.label, f"{row.score:.4f}", str(row.events))
    out.print(table)


def communities_command(
    min_size: Annotated[int, typer.Option(min=1)] = 2,
    since: Since = None,
    until: Until = None,
    root: Roots = None,
    quad: Quads = None,
    min_confidence: MinConfidence = 0.0,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store: StoreOption = None,
) -> None:
    """Communities of actors (Louvain), largest first."""
    network, _ = _network_from(store, since, until, root, quad, min_confidence)
    found = communities(network, min_size)
    if json_output:
        _print_json([asdict(c) for c in found])
        return
    table = Table("#", "actors", "events inside", "members", title="communities (Louvain)")
    for group in found:
        members = ", ".join(group.labels[:8]) + (" …" if len(group.labels) > 8 else "")
        table.add_row(str(group.number), str(len(group.actors)), str(group.events_inside), members)
    out.print(table)


def dyad_command(
    a: Annotated[str, typer.Argument(help="Actor id, IRI or any alias.")],
    b: Annotated[str, typer.Argument(help="Actor id, IRI or any alias.")],
    since: Since = None,
    until: Until = None,
    root: Roots = None,
    quad: Quads = None,
    min_confidence: MinConfidence = 0.0,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store: StoreOption = None,
) -> None:
    """Events between two actors: by CAMEO root, and net Goldstein per month."""
    network, (first, second) = _network_from(store, since, until, root, quad, min_confidence, a, b)
    with exit_on_error():
        summary = dyad(network, first, second)
    if json_output:
        _print_json(asdict(summary))
        return
    la, lb = summary.labels
    out.print(
        f"[bold]{la} – {lb}[/bold]: {summary.events} events "
        f"({la} → {lb}: {summary.by_direction['a->b']}, "
        f"{lb} → {la}: {summary.by_direction['b->a']}), "
        f"net Goldstein {summary.goldstein:+.1f}"
    )
    out.print("by root: " + ", ".join(f"{r}: {n}" for r, n in summary.by_root.items()))
    table = Table("month", "events", "cooperation", "conflict", "net Goldstein")
    for month in summary.months:
        table.add_row(
            month.month,
            str(month.events),
            str(month.cooperation),
            str(month.conflict),
            f"{month.goldstein:+.1f}",
        )
    out.print(table)


def timeline_command(
    actor: Annotated[str, typer.Argument(help="Actor id, IRI or any alias.")],
    since: Since = None,
    until: Until = None,
    root: Roots = None,
    quad: Quads = None,
    min_confidence: MinConfidence = 0.0,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store: StoreOption = None,
) -> None:
    """An actor's events in date order, with the counterpart of each."""
    network, (centre,) = _network_from(store, since, until, root, quad, min_confidence, actor)
    with exit_on_error():
        rows = timeline(network, centre)
    if json_output:
        _print_json(rows)
        return
    table = Table("date", "role", "code", "counterpart", "article", title=network.label(centre))
    for row in rows:
        table.add_row(
            str(row["date"] or "undated"),
            row["role"],
            row["code"],
            row["counterpart_label"],
            row["article"],
        )
    out.print(table)


def _filter(
    since: str | None,
    until: str | None,
    roots: list[str] | None,
    quads: list[int] | None,
    min_confidence: float,
) -> NetworkFilter:
    return NetworkFilter(
        since=_date(since, "--since"),
        until=_date(until, "--until"),
        roots=frozenset(r.zfill(2) for r in roots or ()),
        quad_classes=frozenset(quads or ()),
        min_confidence=min_confidence,
    )


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD)", option) from None


def _network_from(
    store: str | None,
    since: str | None,
    until: str | None,
    roots: list[str] | None,
    quads: list[int] | None,
    min_confidence: float,
    *names: str | None,
) -> tuple[ActorNetwork, list[str | None]]:
    """The network projected through the filter, and the actors ``names`` name (an
    id, IRI or alias each; None stays None). A bad value exits with a clear error."""
    settings: Settings = settings_for(store)
    with exit_on_error():
        where = _filter(since, until, roots, quads, min_confidence)
        with open_existing(settings) as graph:
            actors = [resolve_actor(graph, n, settings.base_iri) if n else None for n in names]
            with err.status("projecting the actor network…"):
                return ActorNetwork.from_store(graph, where), actors


def _title(network: ActorNetwork, centre: str | None, chosen) -> str:
    name = f"ego network of {network.label(centre)}" if centre else "actor network"
    return f"{name}: {chosen.number_of_nodes()} actors, {chosen.number_of_edges()} events"


def _path_json(network: ActorNetwork, path) -> dict:
    return {
        "actors": path.actors,
        "labels": [network.label(a) for a in path.actors],
        "hops": [{"source": h.source, "target": h.target, "events": h.events} for h in path.hops],
    }


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
