"""The actor network in the formats network tools read: GraphML and GEXF (Gephi,
yEd, Cytoscape) and node-link JSON (D3, Cytoscape.js, networkx)."""

from __future__ import annotations

import datetime as dt
import io
import json
from enum import StrEnum

import networkx as nx

__all__ = ["NetworkFormat", "network_bytes", "node_link"]


class NetworkFormat(StrEnum):
    graphml = "graphml"
    gexf = "gexf"
    json = "json"  # node-link


MEDIA_TYPES = {
    NetworkFormat.graphml: "application/graphml+xml",
    NetworkFormat.gexf: "application/gexf+xml",
    NetworkFormat.json: "application/json",
}


def node_link(graph: nx.MultiDiGraph) -> dict:
    """Node-link data: ``nodes`` (id, label, type, country) and ``edges`` (source,
    target, event, code, root, quad_class, goldstein, date, confidence, article,
    sentence), with dates as ISO strings."""
    data = nx.node_link_data(_portable(graph, keep_none=True), edges="edges")
    for edge in data["edges"]:
        edge.pop("key", None)  # the key is the event IRI, already in "event"
    return data


def network_bytes(graph: nx.MultiDiGraph, format: NetworkFormat | str) -> bytes:
    """The network serialised in ``format``."""
    format = NetworkFormat(format)
    if format is NetworkFormat.json:
        return json.dumps(node_link(graph), ensure_ascii=False).encode("utf-8")
    buffer = io.BytesIO()
    portable = _portable(graph, keep_none=False)
    if format is NetworkFormat.graphml:
        nx.write_graphml(portable, buffer, named_key_ids=True)
    else:
        nx.write_gexf(portable, buffer)
    return buffer.getvalue()


def _portable(graph: nx.MultiDiGraph, keep_none: bool) -> nx.MultiDiGraph:
    """A copy whose attributes XML formats accept: dates as ISO strings, no None
    (GraphML and GEXF have no null), and each node's label as ``label``."""

    def clean(attributes: dict) -> dict:
        out = {}
        for name, value in attributes.items():
            if isinstance(value, dt.date):
                value = value.isoformat()
            if value is None and not keep_none:
                continue
            out[name] = value
        return out

    copy = nx.MultiDiGraph()
    copy.add_nodes_from((n, clean(d)) for n, d in graph.nodes(data=True))
    copy.add_edges_from((u, v, k, clean(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    return copy
