"""Throughput and latency of the HTTP service (``kg serve``) on a synthetic event graph.

The graph comes from the seeded generator of ``benchmarks/store.py`` (N-Quads shaped
like ``kg ingest``'s output; the same seed gives the same file), rewritten so that each
minted actor is described once, in the shared actors graph, as ``kg.graph.rdf`` now does
(``--per-article-actors`` keeps the generator's older layout, one description per
article graph that uses the actor). It is loaded into an on-disk store in a temporary
directory with ``OxigraphGraphStore(path).load(file)`` and closed; a byte copy of that
store is made for the direct pyoxigraph runs (the server holds the store's lock). The
real server then runs in another process (``kg serve --store DIR --host 127.0.0.1
--port FREE_PORT``) and this process drives it over loopback with httpx. It measures,
in one run on one machine:

* **first /paths**: the latency of the first ``/paths`` request, which projects the
  store into the actor network (``kg.network.projection.ActorNetwork.from_store``); later
  requests reuse the projection.
* **load**: for ``/actors/{id}`` (the busiest actor), ``/events?source=&limit=50``,
  ``/paths?source=&target=`` (the busiest actor and the gazetteer actor farthest from
  it within four hops, over events with a target), ``/dyads`` (the two busiest),
  the busiest actor's ego network and timeline, ``/network/centrality`` by degree,
  betweenness and PageRank, ``/network/communities``, ``/stats`` (every REST route's
  median goal: under 50 ms) and ``/sparql``
  (``benchmarks/store.py``'s query "events of an actor, with labels", SPARQL JSON):
  after a warm-up, ``--requests`` requests per route from ``--concurrency`` concurrent
  clients of one ``httpx.AsyncClient`` (each route stops early after
  ``--max-seconds``); requests per second, p50 and p99 latency (ms), non-200 count.
* **ready**: seconds from starting ``kg serve`` until ``/health`` says ``ready`` (the
  in-memory graph built: actor network, counts and per-actor aggregates, whole-network
  centralities and communities; the query processes started).
* **/export vs a direct dump**: N-Quads and TriG streamed from ``/export`` against
  ``pyoxigraph.serialize`` of the same quads with the same prefixes; the ratio.
* **SPARQL via the API vs pyoxigraph direct**: the same query, ``--repeat`` runs in
  alternating order, one at a time: (a) ``GET /sparql?query=...`` with
  ``Accept: application/sparql-results+json``, body read in full, vs (b)
  ``pyoxigraph.Store(copy).query(q, use_default_graph_as_union=True)`` serialised to
  SPARQL JSON bytes with ``QuerySolutions.serialize(format=QueryResultsFormat.JSON)``.
  Ratio of the medians, API / direct (goal: at most 1.1); both must give the same
  number of solutions.
* **/health under a heavy query**: while one client runs a deliberately heavy
  ``/sparql`` query (the count of all two-hop actor pairs over the 20 interaction
  properties, both directions; it may hit the server's time limit), another polls
  ``/health`` every ``--poll-ms``; max and p99 latency (goal: under 100 ms). Then the
  server's CPU use (``/proc/PID/stat``) over the next few seconds: near one core if a
  query the server gave up on still runs. Run last for that reason.
* **memory**: the server's RSS (``VmRSS`` in ``/proc/PID/status``, and its anonymous
  part ``RssAnon``: heap and caches, not mapped files) once it answers, after the
  warm-up (network projection included) and after each route's load. The load runs
  ``--rounds`` times (the same requests; the table shows each round): what the first
  round adds is mostly caches filling (Oxigraph's, the allocator's), what a later round
  adds is what requests cost (goal: about nothing: memory grows with the graph, not
  with requests).

The client and the server share the machine (loopback): on 2 cores they compete for
the CPU, so read the latencies as an upper bound. If the server has no ``/sparql``
route (404), the SPARQL figures are ``null``.

Run from the repository root::

    .venv/bin/python benchmarks/api.py [--json] [--triples 1000000] [--requests 200]
        [--concurrency 4] [--warmup 5] [--repeat 20] [--max-seconds 120] [--rounds 3]
        [--poll-ms 20] [--seed 7] [--tmp DIR] [--per-article-actors]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import pyoxigraph as ox  # noqa: E402

from benchmarks.store import (  # noqa: E402
    BASE,
    HOP,
    KEY_ACTORS,
    QUERIES,
    RDF_TYPE,
    SKOS,
    K,
    P,
    generate,
    machine,
)
from kg.graph.rdf import Minter  # noqa: E402
from kg.graph.store import PREFIXES as STORE_PREFIXES  # noqa: E402
from kg.graph.store import OxigraphGraphStore  # noqa: E402
from kg.graph.vocab import ACTOR  # noqa: E402

KG = Path(sys.executable).with_name("kg")
SPARQL_JSON = "application/sparql-results+json"
#: The SELECT measured under load and against pyoxigraph direct.
SPARQL_NAME = "events of an actor, with labels"
SPARQL_QUERY = QUERIES[SPARQL_NAME]
#: Deliberately heavy: every two-hop actor pair over the interaction properties.
HEAVY_QUERY = P + f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a {HOP}/{HOP} ?b }}"
#: The actor of /actors/{id} and /events?source= (the busiest in the generator).
BUSY_ACTOR = KEY_ACTORS[0]
#: The other actor of ``/dyads`` (the second busiest).
DYAD_PARTNER = KEY_ACTORS[1]
#: The route medians' goal (issue 15): every REST route under this on the busiest actor.
ROUTE_GOAL_MS = 50.0
HEALTH_GOAL_MS = 100.0
SPARQL_RATIO_GOAL = 1.1  # issue 15: within 1.1x of pyoxigraph direct
#: How long the server's CPU use is watched after the heavy query answered (seconds).
AFTERMATH_SECONDS = 3.0


# ---------------------------------------------------------------------------------
# Figures


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class RouteLoad:
    route: str
    url: str
    requests: int
    errors: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    stopped_early: bool
    response_bytes: int  # of one response


@dataclass
class SparqlRatio:
    query: str
    runs: int
    solutions: int
    response_bytes: dict[str, int]
    api_median_ms: float
    api_p90_ms: float
    direct_median_ms: float
    direct_p90_ms: float
    ratio: float  # api / direct medians


@dataclass
class HealthUnderLoad:
    heavy_query_status: int | None
    heavy_query_seconds: float
    heavy_query_body: str
    polls: int
    failed_polls: int  # not 200
    interval_ms: float
    idle_p50_ms: float
    p50_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    over_goal: int  # polls slower than HEALTH_GOAL_MS
    #: Server CPU (cores busy) in the ``AFTERMATH_SECONDS`` after the heavy query answered:
    #: about 1 if a query the server gave up on still runs in its thread.
    cpu_after_answer: float | None


@dataclass
class Memory:
    samples_mb: list[tuple[str, float]] = field(default_factory=list)
    anonymous_mb: list[tuple[str, float]] = field(default_factory=list)
    peak_mb: float = 0.0

    def sample(self, pid: int, when: str) -> None:
        status = _proc_status(pid)
        self.samples_mb.append((when, round(status.get("VmRSS", 0.0), 1)))
        self.anonymous_mb.append((when, round(status.get("RssAnon", 0.0), 1)))
        self.peak_mb = round(status.get("VmHWM", 0.0), 1)

    def value(self, when: str) -> float:
        return next(mb for name, mb in self.samples_mb if name == when)


def _proc_status(pid: int) -> dict[str, float]:
    """The kB fields of ``/proc/PID/status`` in MB (empty where /proc is missing)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    found = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        parts = rest.split()
        if len(parts) == 2 and parts[1] == "kB":
            found[name] = int(parts[0]) / 1024
    return found


def _directory_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


# ---------------------------------------------------------------------------------
# Data and server


def shared_actors(source: Path, target: Path) -> dict[str, int]:
    """Copy the generator's N-Quads with minted actors described once, in the shared graph.

    ``benchmarks/store.py``'s generator describes a minted actor (type, label, country)
    in every article graph that uses it; ``kg.graph.rdf.article_graphs`` now describes each
    once, in ``Minter.actors_graph()``. Over the union default graph the old layout
    repeats such an actor's triples once per article, which multiplies the rows of
    every query with OPTIONALs on actors, so the served graph follows kg's layout.
    """
    shared = f" <{Minter(BASE).actors_graph()}> .\n"
    described = {RDF_TYPE, f"{SKOS}prefLabel", f"{K}country"}
    actors, articles = (f"<{BASE}actor/", f"<{ACTOR}"), f"<{BASE}graph/article/"
    seen: set[str] = set()
    counts = {"quads": 0, "moved": 0, "dropped": 0}
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for line in lines:
            subject, predicate, rest = line.split(" ", 2)
            if subject.startswith(actors) and predicate[1:-1] in described:
                triple, graph, _dot = rest.rsplit(" ", 2)
                if graph.startswith(articles):
                    key = f"{subject} {predicate} {triple}"
                    if key in seen:
                        counts["dropped"] += 1
                        continue
                    seen.add(key)
                    counts["moved"] += 1
                    line = key + shared
            counts["quads"] += 1
            out.write(line)
    return counts


def build_store(work: Path, triples: int, seed: int, per_article: bool) -> dict[str, Any]:
    """Generate the data, load it into ``work/store`` through kg.graph.store, copy the store."""
    data = work / "data.nq"
    started = time.perf_counter()
    quads = generate(work / "generated.nq", triples, seed)
    layout: dict[str, int] = {}
    if per_article:
        (work / "generated.nq").rename(data)
    else:
        layout = shared_actors(work / "generated.nq", data)
        if layout["quads"] < triples:  # the duplicates dropped: generate a little more
            wanted = math.ceil(triples * quads / layout["quads"] * 1.01)
            quads = generate(work / "generated.nq", wanted, seed)
            layout = shared_actors(work / "generated.nq", data)
        (work / "generated.nq").unlink()
    generated = time.perf_counter() - started
    started = time.perf_counter()
    store = OxigraphGraphStore(work / "store")
    store.load(data)
    stored = store.count()
    store.close()
    loaded = time.perf_counter() - started
    shutil.copytree(work / "store", work / "direct")
    return {
        "triples": triples,
        "minted_actors": "per article graph" if per_article else "shared graph",
        "quads_generated": quads,
        "minted_actor_quads_moved": layout.get("moved", 0),
        "minted_actor_quads_dropped": layout.get("dropped", 0),
        "quads_in_store": stored,
        "file_mb": round(data.stat().st_size / 1e6, 1),
        "store_mb": round(_directory_mb(work / "store"), 1),
        "generate_seconds": round(generated, 2),
        "load_seconds": round(loaded, 2),
    }


def path_pair(direct: ox.Store, max_hops: int = 4) -> tuple[str, str, int]:
    """The busy actor, the gazetteer actor farthest from it (within ``max_hops``, the
    rarest among those) and their distance in hops, over events with a target."""
    query = (
        P
        + "SELECT ?source ?target WHERE { ?e a kgo:Event ; kgo:source ?source ; "
        + "kgo:target ?target }"
    )
    results = direct.query(query, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    neighbours: dict[str, set[str]] = defaultdict(set)
    events: Counter[str] = Counter()
    for row in results:
        source, target = (term.value for term in row if term is not None)
        neighbours[source].add(target)
        neighbours[target].add(source)
        events.update((source, target))
    start = f"{ACTOR}{BUSY_ACTOR}"
    distance = {start: 0}
    frontier = [start]
    while frontier and distance[frontier[0]] < max_hops:
        following = []
        for actor in frontier:
            for other in neighbours[actor] - distance.keys():
                distance[other] = distance[actor] + 1
                following.append(other)
        frontier = following

    def gazetteer(actor: str) -> bool:
        local = actor.removeprefix(str(ACTOR))
        return local != actor and "/" not in local

    far = max(
        (a for a in distance if gazetteer(a) and a != start),
        key=lambda a: (distance[a], -events[a], a),
    )
    return BUSY_ACTOR, far.removeprefix(str(ACTOR)), distance[far]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(store: Path, log: Path, timeout: float = 120.0) -> tuple[subprocess.Popen, str]:
    """``kg serve`` on a free loopback port; returns once ``/health`` answers 200."""
    port = free_port()
    command = [str(KG), "serve", "--store", str(store), "--host", "127.0.0.1"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)], stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"kg serve exited with {process.returncode}: {log.read_text()}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            stop_server(process)
            raise RuntimeError(f"kg serve did not answer /health in {timeout} s")
        time.sleep(0.1)


def wait_ready(url: str, timeout: float = 600.0) -> bool:
    """Poll ``/health`` until it says ``ready`` (in-memory figures and the actor network
    built, query processes started); False for a server whose /health has no ``ready``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = httpx.get(f"{url}/health", timeout=10).json()
        if "ready" not in body:
            return False
        if body["ready"]:
            return True
        time.sleep(0.05)
    raise RuntimeError(f"kg serve was not ready in {timeout} s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def has_sparql(url: str) -> bool:
    """Whether the server has a /sparql route (404 while api/sparql.py is missing)."""
    answer = httpx.get(
        f"{url}/sparql",
        params={"query": "ASK { }"},
        headers={"Accept": SPARQL_JSON},
        timeout=30,
    )
    return answer.status_code != 404


# ---------------------------------------------------------------------------------
# Load


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    params: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)

    def url(self) -> str:
        return str(httpx.URL(self.path, params=self.params))


async def drive(
    base: str, route: Route, requests: int, concurrency: int, max_seconds: float
) -> RouteLoad:
    """``requests`` GETs of ``route`` from ``concurrency`` workers sharing one client."""
    latencies: list[float] = []
    errors = 0
    issued = 0
    size = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=300) as client:
        started = time.perf_counter()
        deadline = started + max_seconds

        async def worker() -> None:
            nonlocal errors, issued, size
            while issued < requests and time.perf_counter() < deadline:
                issued += 1
                sent = time.perf_counter()
                answer = await client.get(route.path, params=route.params, headers=route.headers)
                latencies.append((time.perf_counter() - sent) * 1000)
                size = len(answer.content)
                errors += answer.status_code != 200

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return RouteLoad(
        route=route.name,
        url=route.url(),
        requests=len(latencies),
        errors=errors,
        seconds=round(seconds, 3),
        requests_per_s=round(len(latencies) / seconds, 2),
        p50_ms=round(percentile(latencies, 0.5), 2),
        p99_ms=round(percentile(latencies, 0.99), 2),
        mean_ms=round(statistics.fmean(latencies), 2),
        max_ms=round(max(latencies), 2),
        stopped_early=len(latencies) < requests,
        response_bytes=size,
    )


def timed_get(client: httpx.Client, route: Route) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    answer = client.get(route.path, params=route.params, headers=route.headers)
    return (time.perf_counter() - started) * 1000, answer


# ---------------------------------------------------------------------------------
# SPARQL through the API vs pyoxigraph direct


def _direct_json(direct: ox.Store, sparql: str) -> bytes:
    results = direct.query(sparql, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    body = results.serialize(format=ox.QueryResultsFormat.JSON)
    assert body is not None
    return body


def _solutions(body: bytes) -> int:
    return len(json.loads(body)["results"]["bindings"])


def sparql_ratio(base: str, direct: ox.Store, sparql: str, repeat: int) -> SparqlRatio:
    """Median of ``repeat`` runs each way, alternating, after one warm-up each."""
    route = Route("sparql", "/sparql", {"query": sparql}, {"Accept": SPARQL_JSON})
    with httpx.Client(base_url=base, timeout=300) as client:
        _, answer = timed_get(client, route)
        answer.raise_for_status()
        api_body = answer.content
        direct_body = _direct_json(direct, sparql)
        counts = {"api": _solutions(api_body), "direct": _solutions(direct_body)}
        if counts["api"] != counts["direct"]:
            raise AssertionError(f"/sparql gave {counts['api']} solutions, direct {counts}")
        times: dict[str, list[float]] = {"api": [], "direct": []}
        for run in range(repeat):
            for how in ("api", "direct") if run % 2 == 0 else ("direct", "api"):
                if how == "api":
                    elapsed, answer = timed_get(client, route)
                    if answer.status_code != 200:
                        raise AssertionError(f"/sparql answered {answer.status_code}")
                else:
                    started = time.perf_counter()
                    _direct_json(direct, sparql)
                    elapsed = (time.perf_counter() - started) * 1000
                times[how].append(elapsed)
    api, raw = statistics.median(times["api"]), statistics.median(times["direct"])
    return SparqlRatio(
        query=SPARQL_NAME,
        runs=repeat,
        solutions=counts["api"],
        response_bytes={"api": len(api_body), "direct": len(direct_body)},
        api_median_ms=round(api, 2),
        api_p90_ms=round(percentile(times["api"], 0.9), 2),
        direct_median_ms=round(raw, 2),
        direct_p90_ms=round(percentile(times["direct"], 0.9), 2),
        ratio=round(api / raw, 3),
    )


# ---------------------------------------------------------------------------------
# /export against a direct dump


def export_ratio(base: str, direct: ox.Store, work: Path) -> dict[str, Any]:
    """``GET /export?format=`` (N-Quads and TriG, body streamed to a file) against
    ``pyoxigraph.serialize`` of the store copy's quads to a file with the same prefixes
    (the same bytes): one run each, seconds and the ratio API / direct (goal: about 1)."""
    figures: dict[str, Any] = {}
    for name, fmt in (("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)):
        target = work / f"export.{name}"
        started = time.perf_counter()
        with (
            httpx.stream("GET", f"{base}/export", params={"format": name}, timeout=600) as answer,
            target.open("wb") as out,
        ):
            answer.raise_for_status()
            for chunk in answer.iter_bytes(1 << 20):
                out.write(chunk)
        api = time.perf_counter() - started
        api_bytes = target.stat().st_size
        started = time.perf_counter()
        with target.open("wb") as out:
            quads = direct.quads_for_pattern(None, None, None, None)
            ox.serialize(quads, out, fmt, prefixes=STORE_PREFIXES if name == "trig" else None)
        raw = time.perf_counter() - started
        figures[name] = {
            "api_seconds": round(api, 2),
            "direct_seconds": round(raw, 2),
            "api_mb": round(api_bytes / 1e6, 1),
            "direct_mb": round(target.stat().st_size / 1e6, 1),
            "ratio": round(api / raw, 2),
        }
        target.unlink()
    return figures


# ---------------------------------------------------------------------------------
# /health while a heavy query runs


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of ``pid`` so far (``/proc/PID/stat``), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def health_under_heavy(base: str, pid: int, poll_ms: float) -> HealthUnderLoad:
    """Poll /health every ``poll_ms`` while one heavy /sparql query runs."""
    health = Route("health", "/health", {})
    heavy = Route("heavy", "/sparql", {"query": HEAVY_QUERY}, {"Accept": SPARQL_JSON})
    async with (
        httpx.AsyncClient(base_url=base, timeout=600) as poller,
        httpx.AsyncClient(base_url=base, timeout=600) as runner,
    ):
        idle = []
        for _ in range(20):
            sent = time.perf_counter()
            (await poller.get(health.path)).raise_for_status()
            idle.append((time.perf_counter() - sent) * 1000)
            await asyncio.sleep(poll_ms / 1000)

        async def run_heavy() -> tuple[httpx.Response, float]:
            sent = time.perf_counter()
            answer = await runner.get(heavy.path, params=heavy.params, headers=heavy.headers)
            return answer, time.perf_counter() - sent

        task = asyncio.create_task(run_heavy())
        await asyncio.sleep(0.05)  # let the query reach the server first
        polls: list[float] = []
        failed = 0
        while not task.done():
            sent = time.perf_counter()
            answer = await poller.get(health.path)
            elapsed = (time.perf_counter() - sent) * 1000
            if not task.done():  # only polls that overlapped the heavy query count
                polls.append(elapsed)
                failed += answer.status_code != 200
            await asyncio.sleep(max(0.0, poll_ms / 1000 - elapsed / 1000))
        answer, seconds = await task
        cpu_before, wall = _cpu_seconds(pid), time.perf_counter()
        await asyncio.sleep(AFTERMATH_SECONDS)
        cpu_after = _cpu_seconds(pid)
        busy = None
        if cpu_before is not None and cpu_after is not None:
            busy = round((cpu_after - cpu_before) / (time.perf_counter() - wall), 2)

    def figure(value: float | None) -> float | None:
        return round(value, 2) if value is not None else None

    return HealthUnderLoad(
        heavy_query_status=answer.status_code,
        heavy_query_seconds=round(seconds, 2),
        heavy_query_body=answer.text[:200],
        polls=len(polls),
        failed_polls=failed,
        interval_ms=poll_ms,
        idle_p50_ms=round(percentile(idle, 0.5), 2),
        p50_ms=figure(percentile(polls, 0.5) if polls else None),
        p99_ms=figure(percentile(polls, 0.99) if polls else None),
        max_ms=figure(max(polls) if polls else None),
        over_goal=sum(p > HEALTH_GOAL_MS for p in polls),
        cpu_after_answer=busy,
    )


# ---------------------------------------------------------------------------------
# The run


def run(args: argparse.Namespace, log: TextIO) -> dict[str, Any]:
    tmp = Path(args.tmp) if args.tmp else None
    with tempfile.TemporaryDirectory(prefix="kg-api-bench-", dir=tmp) as name:
        work = Path(name)
        print(f"generating and loading {args.triples:,} triples…", file=log, flush=True)
        data = build_store(work, args.triples, args.seed, args.per_article_actors)
        direct = ox.Store(str(work / "direct"))
        source, target, distance = path_pair(direct)
        print("starting kg serve…", file=log, flush=True)
        started = time.perf_counter()
        process, base = start_server(work / "store", work / "server.log")
        try:
            startup = time.perf_counter() - started
            ready = time.perf_counter() - started if wait_ready(base) else None
            export = export_ratio(base, direct, work)
            report = measure(args, base, process.pid, direct, source, target, log)
            report["paths"]["distance_hops"] = distance
            report["data"] = data
            report["server_startup_seconds"] = round(startup, 2)
            report["server_ready_seconds"] = round(ready, 2) if ready is not None else None
            report["export_vs_dump"] = export
        finally:
            stop_server(process)
        del direct
    return report


def measure(
    args: argparse.Namespace,
    base: str,
    pid: int,
    direct: ox.Store,
    source: str,
    target: str,
    log: TextIO,
) -> dict[str, Any]:
    memory = Memory()
    memory.sample(pid, "started")
    sparql = has_sparql(base)
    routes = [
        Route("/actors/{id}", f"/actors/{BUSY_ACTOR}", {}),
        Route("/events?source=", "/events", {"source": BUSY_ACTOR, "limit": "50"}),
        Route("/paths", "/paths", {"source": source, "target": target}),
        Route("/dyads", "/dyads", {"a": BUSY_ACTOR, "b": DYAD_PARTNER}),
        Route("/actors/{id}/network", f"/actors/{BUSY_ACTOR}/network", {}),
        Route("/actors/{id}/timeline", f"/actors/{BUSY_ACTOR}/timeline", {}),
        *(
            Route(f"/network/centrality?by={by}", "/network/centrality", {"by": by})
            for by in ("degree", "betweenness", "pagerank")
        ),
        Route("/network/communities", "/network/communities", {}),
        Route("/stats", "/stats", {}),
    ]
    if sparql:
        routes.append(Route("/sparql", "/sparql", {"query": SPARQL_QUERY}, {"Accept": SPARQL_JSON}))
    print("first /paths (builds the actor network)…", file=log, flush=True)
    with httpx.Client(base_url=base, timeout=600) as client:
        first_paths_ms, answer = timed_get(client, routes[2])
        answer.raise_for_status()
        hops = [len(path["hops"]) for path in answer.json()]
        second_paths_ms, _ = timed_get(client, routes[2])
        memory.sample(pid, "after first /paths")
        first_ms = {}
        for route in routes:
            first_ms[route.name] = round(timed_get(client, route)[0], 2)
            for _ in range(args.warmup - 1):
                timed_get(client, route)[1].raise_for_status()
    memory.sample(pid, "after warm-up")
    rounds: list[list[RouteLoad]] = []
    growth: list[float] = []
    before = "after warm-up"
    for number in range(1, args.rounds + 1):
        loads = []
        for route in routes:
            print(f"round {number}: load {route.name}…", file=log, flush=True)
            loads.append(
                asyncio.run(drive(base, route, args.requests, args.concurrency, args.max_seconds))
            )
            memory.sample(pid, f"round {number} after {route.name}")
        rounds.append(loads)
        after = f"round {number} after {routes[-1].name}"
        growth.append(round(memory.value(after) - memory.value(before), 1))
        before = after
    ratio = None
    health = None
    if sparql:
        print("SPARQL via the API vs direct…", file=log, flush=True)
        ratio = sparql_ratio(base, direct, SPARQL_QUERY, args.repeat)
        memory.sample(pid, "after SPARQL ratio")
        print("/health during a heavy query…", file=log, flush=True)
        health = asyncio.run(health_under_heavy(base, pid, args.poll_ms))
        memory.sample(pid, "after heavy query")
    return {
        "benchmark": "HTTP API (kg serve) under load",
        "machine": machine(),
        "settings": {
            "triples": args.triples,
            "requests": args.requests,
            "concurrency": args.concurrency,
            "warmup": args.warmup,
            "repeat": args.repeat,
            "max_seconds": args.max_seconds,
            "rounds": args.rounds,
            "seed": args.seed,
        },
        "goals": {"sparql_ratio_max": SPARQL_RATIO_GOAL, "health_ms_max": HEALTH_GOAL_MS},
        "sparql_route": sparql,
        "paths": {
            "source": source,
            "target": target,
            "hops": hops,
            "first_call_ms": round(first_paths_ms, 2),
            "second_call_ms": round(second_paths_ms, 2),
        },
        "first_request_ms": first_ms,
        "load": [[asdict(load) for load in loads] for loads in rounds],
        "sparql_vs_direct": asdict(ratio) if ratio else None,
        "health_during_heavy_query": asdict(health) if health else None,
        "memory": {
            "rss_mb": dict(memory.samples_mb),
            "rss_anonymous_mb": dict(memory.anonymous_mb),
            "peak_rss_mb": memory.peak_mb,
            "growth_by_round_mb": growth,
        },
    }


def print_table(report: dict[str, Any], out: TextIO) -> None:
    info, data = report["machine"], report["data"]
    print(
        f"kg serve on loopback · pyoxigraph {info['pyoxigraph']} · python {info['python']} · "
        f"{info['cpu_count']} CPUs · load average {info['load_average']}",
        file=out,
    )
    print(
        f"{data['quads_in_store']:,} quads in the store ({data['file_mb']} MB N-Quads, "
        f"{data['store_mb']} MB on disk; minted actors in the {data['minted_actors']}); "
        f"server up in {report['server_startup_seconds']} s, ready (/health) in "
        f"{report['server_ready_seconds']} s",
        file=out,
    )
    for name, figure in report["export_vs_dump"].items():
        print(
            f"/export?format={name}: {figure['api_seconds']} s for {figure['api_mb']} MB, "
            f"direct dump {figure['direct_seconds']} s for {figure['direct_mb']} MB, "
            f"ratio {figure['ratio']}",
            file=out,
        )
    paths = report["paths"]
    print(
        f"\nfirst /paths?source={paths['source']}&target={paths['target']} "
        f"(builds the actor network): {paths['first_call_ms']:.0f} ms; second "
        f"{paths['second_call_ms']:.1f} ms; hops per path {paths['hops']}",
        file=out,
    )
    settings = report["settings"]
    print(
        f"\nload: {settings['requests']} requests per route, concurrency "
        f"{settings['concurrency']}, after {settings['warmup']} warm-up requests\n",
        file=out,
    )
    print("| round | route | requests | errors | req/s | p50 ms | p99 ms | max ms |", file=out)
    print("|---:|---|---:|---:|---:|---:|---:|---:|", file=out)
    for number, loads in enumerate(report["load"], 1):
        for load in loads:
            early = " (time cap)" if load["stopped_early"] else ""
            print(
                f"| {number} | `{load['route']}` | {load['requests']}{early} | "
                f"{load['errors']} | {load['requests_per_s']:.1f} | {load['p50_ms']:.1f} | "
                f"{load['p99_ms']:.1f} | {load['max_ms']:.1f} |",
                file=out,
            )
    last = [load for load in report["load"][-1] if load["route"] != "/sparql"]
    over = [
        f"{load['route']} {load['p50_ms']:.0f} ms"
        for load in last
        if load["p50_ms"] >= ROUTE_GOAL_MS
    ]
    print(
        f"\nREST routes with a median at or over {ROUTE_GOAL_MS:.0f} ms (last round): "
        + (", ".join(over) or "none"),
        file=out,
    )
    ratio = report["sparql_vs_direct"]
    if ratio:
        print(
            f'\nSPARQL "{ratio["query"]}" ({ratio["solutions"]:,} solutions, SPARQL JSON), '
            f"median of {ratio['runs']}: API {ratio['api_median_ms']:.1f} ms, pyoxigraph "
            f"direct {ratio['direct_median_ms']:.1f} ms, ratio {ratio['ratio']:.2f} "
            f"(goal <= {SPARQL_RATIO_GOAL})",
            file=out,
        )
    else:
        print("\nno /sparql route on the server: SPARQL figures skipped", file=out)
    health = report["health_during_heavy_query"]
    if health:
        print(
            f"/health during a heavy query ({health['heavy_query_seconds']} s, HTTP "
            f"{health['heavy_query_status']}): {health['polls']} polls every "
            f"{health['interval_ms']:.0f} ms, p50 {health['p50_ms']:.1f} ms, p99 "
            f"{health['p99_ms']:.1f} ms, max {health['max_ms']:.1f} ms (goal < "
            f"{HEALTH_GOAL_MS:.0f}; idle p50 {health['idle_p50_ms']:.1f} ms); server CPU "
            f"in the {AFTERMATH_SECONDS:g} s after the answer: {health['cpu_after_answer']} cores",
            file=out,
        )
    memory = report["memory"]
    print("\n| server memory | RSS MB | anonymous MB |\n|---|---:|---:|", file=out)
    for when, mb in memory["rss_mb"].items():
        print(f"| {when} | {mb:.0f} | {memory['rss_anonymous_mb'][when]:.0f} |", file=out)
    growth = ", ".join(
        f"round {n} {mb:+.1f} MB" for n, mb in enumerate(memory["growth_by_round_mb"], 1)
    )
    print(f"peak RSS {memory['peak_rss_mb']:.0f} MB; RSS growth by load round: {growth}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the graph")
    parser.add_argument("--requests", type=int, default=200, help="requests per route")
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent clients")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up requests per route")
    parser.add_argument("--repeat", type=int, default=20, help="runs of SPARQL API vs direct")
    parser.add_argument("--max-seconds", type=float, default=120, help="time cap per route")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the load")
    parser.add_argument("--poll-ms", type=float, default=20, help="/health poll interval")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generator")
    parser.add_argument("--tmp", default=None, help="where the stores go (disk)")
    parser.add_argument(
        "--per-article-actors",
        action="store_true",
        help="keep the generator's layout (minted actors described in every article graph)",
    )
    args = parser.parse_args(argv)
    positive = (args.triples, args.requests, args.concurrency, args.warmup, args.repeat)
    positive += (args.rounds,)
    if min(positive) < 1 or args.max_seconds <= 0 or args.poll_ms <= 0:
        parser.error("every count, --max-seconds and --poll-ms must be positive")
    if not KG.exists():
        parser.error(f"{KG} not found: run with the project's venv python")
    report = run(args, sys.stderr)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
