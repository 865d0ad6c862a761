"""The remote store against a real Oxigraph server started on 127.0.0.1 for this module.

The ``oxigraph`` package (a dev dependency) installs the server CLI next to the venv's
Python; without it the module is skipped, with the reason shown by ``pytest -ra``.
"""

from __future__ import annotations

import io
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import StoreError
from kg.extraction.extractor import RuleExtractor
from kg.graph.store import OxigraphGraphStore, SparqlServerStore, open_store
from kg.ingest import IngestSummary, ingest
from kg.reading.readers import read_articles

#: The seed article itself (other corpora live under seeds/ too).
SEED_ARTICLE = Path(__file__).resolve().parents[2] / "seeds" / "soleimani-2020-01-05.txt"
KGO = "PREFIX kgo: <https://w3id.org/kg-geo/ontology#>\n"
USA = "https://w3id.org/kg-geo/actor/USA"
SOLEIMANI = "https://w3id.org/kg-geo/actor/qassem-soleimani"
#: Seconds to wait for the server to answer on /query before failing.
STARTUP_TIMEOUT = 30.0


def _oxigraph_executable() -> str | None:
    """The ``oxigraph`` CLI: next to this Python (the venv's bin), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


OXIGRAPH = _oxigraph_executable()


def test_the_oxigraph_server_comes_with_the_dev_tools():
    """The server these tests start is a declared dev dependency; missing is a failure."""
    assert OXIGRAPH is not None, "no oxigraph server CLI: run `make test` (installs '.[dev]')"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(query_url: str) -> bool:
    url = query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The /query URL of an Oxigraph server on a free port, stopped after the module."""
    assert OXIGRAPH is not None
    root = tmp_path_factory.mktemp("oxigraph-server")
    log_path = root / "server.log"
    process: subprocess.Popen[bytes] | None = None
    try:
        # A free port can be taken between probing and binding: retry on a fresh one.
        for _attempt in range(3):
            port = _free_port()
            url = f"http://127.0.0.1:{port}/query"
            with log_path.open("wb") as log:
                process = subprocess.Popen(
                    [OXIGRAPH, "serve", "-l", str(root / "data"), "-b", f"127.0.0.1:{port}"],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while process.poll() is None and time.monotonic() < deadline:
                if _answers(url):
                    break
                time.sleep(0.1)
            else:
                output = log_path.read_text(errors="replace")
                if process.poll() is not None and "in use" in output.lower():
                    continue  # lost the race for the port
                exited = process.poll()
                _stop(process)
                why = (
                    f"exited with status {exited} before answering"
                    if exited is not None
                    else f"did not answer within {STARTUP_TIMEOUT:.0f} s"
                )
                pytest.fail(
                    f"the Oxigraph server ({OXIGRAPH} serve on {url}) {why}; "
                    f"its output:\n{log_path.read_text(errors='replace')}"
                )
            yield url
            return
        pytest.fail(f"no free port for the Oxigraph server; its last output:\n{output}")
    finally:
        if process is not None:
            _stop(process)


@pytest.fixture(scope="module")
def remote(
    server_url: str, extractor: RuleExtractor
) -> Iterator[tuple[SparqlServerStore, IngestSummary]]:
    """The seed article ingested into the server, and the ingest's summary."""
    store = open_store(server_url)
    assert isinstance(store, SparqlServerStore)
    summary = ingest(read_articles([SEED_ARTICLE]), extractor, store)
    yield store, summary
    store.close()


@pytest.fixture(scope="module")
def local(extractor: RuleExtractor) -> OxigraphGraphStore:
    """The same ingest into an embedded in-memory store, the reference."""
    store = OxigraphGraphStore(None)
    ingest(read_articles([SEED_ARTICLE]), extractor, store)
    return store


def _nquads(store) -> set[bytes]:
    buffer = io.BytesIO()
    store.dump(buffer, "nquads")
    return {line for line in buffer.getvalue().splitlines() if line.strip()}


def test_an_http_url_opens_a_sparql_server_store(server_url):
    store = open_store(server_url)
    try:
        assert isinstance(store, SparqlServerStore)
        assert store.spec == server_url
        assert store.ask("ASK {}")
    finally:
        store.close()


def test_ingest_stores_the_seed_events_on_the_server(remote):
    store, summary = remote
    assert summary.stored == 1 and summary.mentions > 0 and summary.triples_added > 0
    rows = store.select(
        KGO + f"SELECT ?e ?g WHERE {{ GRAPH ?g {{ ?e kgo:source <{USA}> ; "
        f"kgo:target <{SOLEIMANI}> }} }}"
    )
    assert rows, "United States -> Qassem Soleimani is on the server"
    assert all(row["g"].startswith("https://w3id.org/kg-geo/") for row in rows)
    assert store.ask(KGO + f"ASK {{ GRAPH ?g {{ <{USA}> kgo:fights <{SOLEIMANI}> }} }}")
    assert store.count() == summary.triples_added


def test_queries_without_graph_see_every_named_graph_like_the_embedded_store(remote, local):
    # Oxigraph server's default graph is empty unless asked for the union; the embedded
    # store queries the union, so `kg query` must give the same rows on both backends.
    query = KGO + f"SELECT ?e WHERE {{ ?e kgo:source <{USA}> ; kgo:target <{SOLEIMANI}> }}"
    store, _ = remote
    assert store.select(query), "a query without GRAPH finds the events on the server"
    assert sorted(r["e"] for r in store.select(query)) == sorted(
        r["e"] for r in local.select(query)
    )


def test_reingesting_adds_nothing(remote, extractor):
    store, _ = remote
    before = store.count()
    summary = ingest(read_articles([SEED_ARTICLE]), extractor, store)
    assert summary.already_stored == 1 and summary.stored == 0
    assert summary.triples_added == 0
    assert store.count() == before


def test_the_remote_dump_equals_the_embedded_one(remote, local):
    store, _ = remote
    dumped = _nquads(store)
    assert dumped, "the server's dump is not empty"
    # No blank nodes in our data, so equal line sets mean the same dataset.
    assert dumped == _nquads(local)
    assert store.count() == local.count()


def test_a_malformed_query_is_a_store_error_with_the_servers_reason(remote):
    store, _ = remote
    with pytest.raises(StoreError) as caught:
        store.select("SELECT ?s WHERE { ?s ?p ")
    message = str(caught.value)
    assert store.spec in message and "400" in message
    assert "error at 1:" in message, "the server's own syntax message is passed on"
    with pytest.raises(StoreError):
        store.ask("ASK { ?s ?p")


def test_an_unreachable_server_is_a_store_error():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))  # bound but not listening: connections are refused
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/query"
        store = open_store(url)
        with pytest.raises(StoreError, match=re.escape(url)):
            store.count()
