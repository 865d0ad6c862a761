"""The one way the API tests start a real ``kg serve``: on a free port of 127.0.0.1,
ready (``/health`` says so: the in-memory graph built, the query processes started),
and stopped when the module's tests are done."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

KG = Path(sys.executable).with_name("kg")
#: How long a server may take to be ready (a loaded 2-core machine builds slowly).
READY_SECONDS = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


Serve = Callable[..., tuple[str, subprocess.Popen]]


@pytest.fixture(scope="module")
def kg_serve(tmp_path_factory) -> Iterator[Serve]:
    """``kg_serve(store_path, **environment)`` starts ``kg serve`` over the store with
    those extra environment variables and returns its URL and process, once ready."""
    started: list[subprocess.Popen] = []

    def serve(store: Path, **environment: str) -> tuple[str, subprocess.Popen]:
        port = free_port()
        log = tmp_path_factory.mktemp("serve-log") / "kg-serve.log"
        command = [str(KG), "serve", "--store", str(store), "--host", "127.0.0.1"]
        with log.open("wb") as out:  # a file, not a pipe: a full pipe would stall the server
            process = subprocess.Popen(
                [*command, "--port", str(port)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, **environment},
            )
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + READY_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"kg serve exited: {log.read_text()}")
            try:
                if httpx.get(f"{url}/health", timeout=1).json().get("ready"):
                    return url, process
            except (httpx.TransportError, ValueError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"kg serve was not ready within {READY_SECONDS} s: {log.read_text()}")
            time.sleep(0.1)

    yield serve
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
