"""``GET /export?format=``: the whole graph in an RDF format, events as GDELT CSV, or
the actor network as GraphML or GEXF."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.network import live_network
from kg.graph.gdelt import write_events_csv, write_mentions_csv
from kg.network.export import MEDIA_TYPES as NETWORK_MEDIA_TYPES
from kg.network.export import NetworkFormat, network_bytes

router = APIRouter(tags=["export"])

MEDIA_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "csv": "text/csv",
    "graphml": NETWORK_MEDIA_TYPES[NetworkFormat.graphml],
    "gexf": NETWORK_MEDIA_TYPES[NetworkFormat.gexf],
}
SUFFIXES = {
    "turtle": "ttl",
    "nt": "nt",
    "nquads": "nq",
    "trig": "trig",
    "jsonld": "jsonld",
    "rdfxml": "rdf",
    "csv": "csv",
    "graphml": "graphml",
    "gexf": "gexf",
}


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {t: {} for t in MEDIA_TYPES.values()}}},
)
def export(
    request: Request,
    format: Annotated[
        str,
        Query(
            pattern="^(" + "|".join(MEDIA_TYPES) + ")$",
            description=f"One of: {', '.join(MEDIA_TYPES)}.",
        ),
    ] = "turtle",
    mentions: Annotated[
        bool, Query(description="With format=csv: one row per report (GDELT mentions table).")
    ] = False,
) -> Response:
    """The whole graph (all named graphs); ``csv`` gives one GDELT-style row per event;
    ``graphml`` and ``gexf`` give the actor network (see also ``/network``)."""
    store = request.app.state.store
    if format in ("graphml", "gexf"):
        with live_network(request).reading() as network:
            body = network_bytes(network.graph, format)
    elif format == "csv":
        text = io.StringIO()
        (write_mentions_csv if mentions else write_events_csv)(store, text)
        body = text.getvalue().encode("utf-8")
    else:
        buffer = io.BytesIO()
        store.dump(buffer, format)
        body = buffer.getvalue()
    headers = {"Content-Disposition": f'attachment; filename="graph.{SUFFIXES[format]}"'}
    return Response(body, media_type=MEDIA_TYPES[format], headers=headers)
