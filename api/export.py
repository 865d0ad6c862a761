"""``GET /export?format=``: the whole graph in an RDF format, events as GDELT CSV, or
the actor network as GraphML or GEXF.

RDF formats are streamed: the store serialises into a bounded queue in a thread while
the response sends what is ready, so a 40 MB dump starts at once, costs about what
a direct dump costs (``benchmarks/api.py`` measures the ratio) and never sits whole in
memory; a client that goes away stops the dump at its next chunk.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

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
    headers = {"Content-Disposition": f'attachment; filename="graph.{SUFFIXES[format]}"'}
    if format in ("graphml", "gexf"):
        with live_network(request).reading() as network:
            body = network_bytes(network.graph, format)
    elif format == "csv":
        text = io.StringIO()
        (write_mentions_csv if mentions else write_events_csv)(store, text)
        body = text.getvalue().encode("utf-8")
    else:
        return StreamingResponse(
            dump_chunks(store, format), media_type=MEDIA_TYPES[format], headers=headers
        )
    return Response(body, media_type=MEDIA_TYPES[format], headers=headers)


#: Bytes gathered before a chunk is handed to the response, and chunks waiting at most.
CHUNK_BYTES = 1 << 20
CHUNKS_AHEAD = 8


class _Gone(OSError):
    """The client went away: stops the serialiser."""


class _ChunkWriter(io.RawIOBase):
    """A file the serialiser writes to; full chunks go to ``chunks``."""

    def __init__(self, chunks: queue.Queue, gone: threading.Event) -> None:
        super().__init__()
        self.chunks, self.gone, self.pending = chunks, gone, bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data, /) -> int:  # type: ignore[override]
        self.pending += data
        if len(self.pending) >= CHUNK_BYTES:
            self.hand_over()
        return len(data)

    def hand_over(self, item: object = None) -> None:
        item = bytes(self.pending) if item is None else item
        self.pending.clear()
        while True:
            if self.gone.is_set():
                raise _Gone("the client went away")
            try:
                self.chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue


def dump_chunks(store, fmt: str) -> Iterator[bytes]:
    """The store's dump in ``fmt``, in chunks, serialised in a thread as they are sent."""
    chunks: queue.Queue = queue.Queue(CHUNKS_AHEAD)
    gone = threading.Event()
    done = object()

    def produce() -> None:
        writer = _ChunkWriter(chunks, gone)
        try:
            store.dump(writer, fmt)
            writer.hand_over()
            writer.hand_over(done)
        except _Gone:
            return
        except Exception as error:
            try:
                writer.hand_over(error)
            except _Gone:
                return

    threading.Thread(target=produce, name="export", daemon=True).start()
    try:
        while (item := chunks.get()) is not done:
            if isinstance(item, Exception):
                raise item
            if item:
                yield item
    finally:
        gone.set()
