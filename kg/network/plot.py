"""A static drawing of the actor network (matplotlib, no display needed).

Node size follows the number of events an actor takes part in; edges are
coloured by the net Goldstein score of the events between two actors (red for
conflict, blue for cooperation, grey when neutral) and thickened by their count.
Large networks are cut to the most active actors so labels stay readable.
"""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
from matplotlib.figure import Figure  # no pyplot: no global state, no display needed
from matplotlib.lines import Line2D

from kg.errors import InputError

__all__ = ["SUFFIXES", "draw_network", "save_network_plot"]

SUFFIXES = (".png", ".svg", ".pdf")
CONFLICT, COOPERATION, NEUTRAL = "#c0392b", "#2471a3", "#999999"


def draw_network(
    graph: nx.MultiDiGraph, title: str = "", centre: str | None = None, max_actors: int = 40
) -> Figure:
    """A figure of ``graph``: at most ``max_actors`` actors that share events with
    others, the most active first (``centre`` always kept, in another colour)."""
    if graph.number_of_nodes() == 0:
        raise InputError("the network has no actors to draw", "plot")
    activity = dict(graph.degree())
    linked = [a for a in graph if activity[a] > 0 or a == centre]  # no lone statements
    keep = sorted(linked, key=lambda a: (-activity[a], graph.nodes[a].get("label", a)))
    keep = keep[:max_actors]
    if not keep:
        raise InputError("no two actors in the network share an event", "plot")
    if centre is not None and centre in graph and centre not in keep:
        keep[-1] = centre
    dyads = _dyads(graph.subgraph(keep))

    figure = Figure(figsize=(11, 8.5), dpi=110)
    axes = figure.subplots()
    layout = _layout(dyads)
    sizes = [220 + 160 * math.sqrt(activity[a]) for a in dyads]
    colours = ["#f5b041" if a == centre else "#d6eaf8" for a in dyads]
    nx.draw_networkx_nodes(
        dyads, layout, ax=axes, node_size=sizes, node_color=colours, edgecolors="#34495e"
    )
    for (u, v), (colour, width) in _edge_styles(dyads).items():
        nx.draw_networkx_edges(
            dyads,
            layout,
            edgelist=[(u, v)],
            ax=axes,
            width=width,
            edge_color=colour,
            arrows=True,
            arrowsize=14,
            node_size=sizes,
            connectionstyle="arc3,rad=0.08",
            alpha=0.85,
        )
    labels = {a: _short(graph.nodes[a].get("label") or a) for a in dyads}
    nx.draw_networkx_labels(dyads, layout, labels=labels, ax=axes, font_size=8)
    axes.legend(
        handles=[
            Line2D([0], [0], color=CONFLICT, lw=2.5, label="conflict (net Goldstein < 0)"),
            Line2D([0], [0], color=COOPERATION, lw=2.5, label="cooperation (net Goldstein > 0)"),
            Line2D([0], [0], color=NEUTRAL, lw=2.5, label="neutral"),
        ],
        loc="lower left",
        fontsize=8,
        frameon=False,
    )
    shown = f"{dyads.number_of_nodes()} actors"
    axes.set_title(f"{title}\n{shown}, {graph.subgraph(keep).number_of_edges()} events".strip())
    axes.axis("off")
    figure.tight_layout()
    return figure


def save_network_plot(figure: Figure, path: Path) -> Path:
    """Write the figure as PNG, SVG or PDF, chosen by the file's suffix."""
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(
            f"cannot tell the image format from {path.name!r}; use {', '.join(SUFFIXES)}",
            str(path),
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, bbox_inches="tight")
    return path


def _layout(dyads: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Kamada-Kawai positions: distances on the page follow hops in the network, so
    hubs do not crush their neighbours into a knot as a force layout does. Actors in
    separate components are placed one hop beyond the farthest pair, not at infinity."""
    undirected = nx.Graph(dyads)
    hops = {actor: dict(lengths) for actor, lengths in nx.shortest_path_length(undirected)}
    apart = max((max(lengths.values()) for lengths in hops.values()), default=0) + 1
    for lengths in hops.values():
        for actor in undirected:
            lengths.setdefault(actor, apart)
    return nx.kamada_kawai_layout(undirected, dist=hops)


def _dyads(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """One edge per ordered pair of actors with the count and net Goldstein score."""
    dyads = nx.DiGraph()
    dyads.add_nodes_from(graph)
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        edge = dyads.get_edge_data(u, v) or {"events": 0, "goldstein": 0.0}
        dyads.add_edge(
            u, v, events=edge["events"] + 1, goldstein=edge["goldstein"] + data["goldstein"]
        )
    return dyads


def _edge_styles(dyads: nx.DiGraph) -> dict[tuple[str, str], tuple[str, float]]:
    styles = {}
    for u, v, data in dyads.edges(data=True):
        net = data["goldstein"]
        colour = CONFLICT if net < 0 else COOPERATION if net > 0 else NEUTRAL
        styles[(u, v)] = (colour, 1.0 + 1.5 * math.log2(data["events"]))
    return styles


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
