"""Real SPARQL servers on 127.0.0.1 for the remote-store tests and benchmarks/servers.py:
an Oxigraph server (the ``oxigraph`` CLI, a dev dependency) and Debian's Virtuoso 7.2
(``virtuoso-t``, installed by ``make test``), each on free ports with its data in a
directory of its own, stopped when the ``with`` block ends. A missing server binary is
a failure (AssertionError naming how to install it), never a skip.

Virtuoso runs from an ini written here (:func:`virtuoso_ini`), not the package's: its
ports, its files, and the limits a whole-graph load needs raised (ResultSetMaxRows,
MaxQueryCostEstimationTime, MaxQueryExecutionTime); then ``isql-vt`` lets its anonymous
SPARQL user update (``grant SPARQL_UPDATE``) and write through the Graph Store endpoint
(``RDF_DEFAULT_USER_PERMS_SET``), which docs/scaling.md tells users to do too.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Seconds a server may take to answer after it starts (a loaded 2-core machine).
STARTUP_TIMEOUT = 60.0
#: What Virtuoso's anonymous user needs to write over SPARQL and GSP (run as dba).
VIRTUOSO_GRANTS = (
    "grant SPARQL_UPDATE to \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
)


def oxigraph_executable() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    assert found, "no oxigraph server CLI: run `make test` (installs '.[dev]')"
    return found


def virtuoso_executables() -> tuple[str, str]:
    """``virtuoso-t`` and ``isql-vt`` from Debian's virtuoso-opensource."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    assert server and isql, (
        "no Virtuoso (virtuoso-t, isql-vt): run `make test`, which installs Debian's "
        "virtuoso-opensource with apt (or `make virtuoso`)"
    )
    return server, isql


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(query_url: str) -> bool:
    url = query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def oxigraph_server(root: Path) -> Iterator[str]:
    """An Oxigraph server storing in ``root/data``; yields its /query URL."""
    executable = oxigraph_executable()
    root.mkdir(parents=True, exist_ok=True)
    with _started(
        lambda port: [executable, "serve", "-l", str(root / "data"), "-b", f"127.0.0.1:{port}"],
        lambda port: f"http://127.0.0.1:{port}/query",
        root / "oxigraph.log",
    ) as (url, _port):
        yield url


def virtuoso_ini(root: Path, sql_port: int, http_port: int) -> str:
    """A Virtuoso ini with its files under ``root``, listening on 127.0.0.1 only."""
    return f"""[Database]
DatabaseFile = {root}/virtuoso.db
ErrorLogFile = {root}/virtuoso.log
LockFile = {root}/virtuoso.lck
TransactionFile = {root}/virtuoso.trx
xa_persistent_file = {root}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {root}/virtuoso-temp.db
TransactionFile = {root}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {root}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {root}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""


@contextmanager
def virtuoso_server(root: Path) -> Iterator[str]:
    """A Virtuoso with its database in ``root``, updates and GSP writes granted to its
    anonymous user; yields its /sparql URL."""
    server, isql = virtuoso_executables()
    root.mkdir(parents=True, exist_ok=True)
    ports: dict[int, int] = {}

    def command(http_port: int) -> list[str]:
        ports[http_port] = free_port()
        ini = root / "virtuoso.ini"
        ini.write_text(virtuoso_ini(root, ports[http_port], http_port))
        return [server, "-c", str(ini), "+foreground"]

    with _started(
        command, lambda port: f"http://127.0.0.1:{port}/sparql", root / "virtuoso.out"
    ) as (url, port):
        granted = subprocess.run(
            [isql, f"127.0.0.1:{ports[port]}", "dba", "dba", f"exec={VIRTUOSO_GRANTS}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert granted.returncode == 0 and "Error" not in granted.stdout, (
            f"isql-vt could not grant updates on {url}: {granted.stdout}{granted.stderr}"
        )
        yield url


@contextmanager
def _started(command, url_of, log_path: Path) -> Iterator[tuple[str, int]]:
    """Start ``command(port)`` until it answers at ``url_of(port)`` (another port when it
    loses the race for one); yields the URL and port, and stops it afterwards."""
    output = ""
    for _attempt in range(3):
        port = free_port()
        url = url_of(port)
        argv = command(port)
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while process.poll() is None and time.monotonic() < deadline:
                if answers(url):
                    break
                time.sleep(0.2)
            else:
                output = log_path.read_text(errors="replace")
                if process.poll() is not None and "in use" in output.lower():
                    continue  # lost the race for the port
                exited = process.poll()
                why = (
                    f"exited with status {exited} before answering"
                    if exited is not None
                    else f"did not answer within {STARTUP_TIMEOUT:.0f} s"
                )
                raise AssertionError(f"{argv[0]} on {url} {why}; its output:\n{output}")
            yield url, port
            return
        finally:
            stop(process)
    raise AssertionError(f"no free port for {log_path.stem}; its last output:\n{output}")


SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def nquads(store) -> set[bytes]:
    """A store's dump as a set of N-Quads lines (no blank nodes in kg's data, so equal
    sets mean equal datasets)."""
    import io

    buffer = io.BytesIO()
    store.dump(buffer, "nquads")
    return {line for line in buffer.getvalue().splitlines() if line.strip()}


_EMBEDDED: dict[int, set[bytes]] = {}


def embedded_seed_nquads(extractor) -> set[bytes]:
    """The N-Quads of ``seeds/`` ingested into an in-memory embedded store: the reference
    every server's ingest is compared with (built once per test session)."""
    if id(extractor) not in _EMBEDDED:
        from kg.graph.store import OxigraphGraphStore
        from kg.ingest import ingest
        from kg.reading.readers import read_articles

        store = OxigraphGraphStore(None)
        ingest(read_articles([SEEDS]), extractor, store)
        _EMBEDDED[id(extractor)] = nquads(store)
    return _EMBEDDED[id(extractor)]
