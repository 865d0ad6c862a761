"""Ingest and serving at scale: a SYNTHETIC corpus with the real extractor's event mix,
stored through ``kg.ingest.store_article`` into one embedded store that grows past
100k, 1M and 10M triples (issue 18, deliverable 4).

What is real and what is synthetic:

* **Real**: the event mix. The rule extractor (spaCy and all) runs once on ``seeds/``
  and ``../shared/corpus/wikinews-2019``; every event it finds (source and target actors,
  CAMEO code, date offset from the article date or no date, stated or inferred, target
  named or implied, confidence, location) and every article's event count goes into a
  pool. The store path is real too: each synthetic article goes through the same
  ``store_article`` as ``kg ingest`` (merge keys, neighbourhood merge, one SPARQL update
  per article) and ``kg.ingest.maintain_store`` between batches.
* **Synthetic**: the articles. Article *i* is published on day ``i // --per-day``
  (a news stream, ``--per-day`` articles a day, default 200), has the event count of a
  real article drawn at random and events drawn at random from the pool, re-dated to
  its own date; no text is parsed (spaCy would take days for 10M triples). Sentences
  are placeholders.

Measured in one run (one store, growing): ingest triples/s between checkpoints; time
per article (median over 300 articles) around the 1,000th article and around the
100,000th (or the last article, if the run stops earlier: the table says which), and
their ratio; the store's directory size sampled during the ingest, its peak against the
final size after close; the process RSS; and at each checkpoint (``--sizes``, triples)
the store is closed and ``kg serve`` started on it to time every REST route of
``benchmarks/api.py`` (``Route``, ``timed_get``, ``start_server``): ``--requests``
sequential requests each after one warm-up, median and p90 in ms, and the seconds until
``/health`` says ready. Then ``benchmarks/dask_ingest.py`` and ``benchmarks/servers.py``
run if present, so one command prints the whole table.

Run from the repository root (``df -h`` first: 10M triples take a few GB)::

    .venv/bin/python benchmarks/scale.py [--sizes 100000,1000000,10000000]
        [--articles 100000] [--per-day 200] [--max-minutes 50] [--requests 20]
        [--seed 18] [--tmp DIR] [--json] [--skip-others]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from benchmarks.api import Route, start_server, stop_server, timed_get, wait_ready  # noqa: E402
from kg.graph.merge import MergeWindow  # noqa: E402
from kg.graph.rdf import Minter  # noqa: E402
from kg.graph.removal import remove_articles  # noqa: E402
from kg.graph.store import OxigraphGraphStore  # noqa: E402
from kg.ingest import ensure_reference_graphs, maintain_store, store_article  # noqa: E402
from kg.models import Article, Event  # noqa: E402
from kg.settings import Settings  # noqa: E402

PROFILE_INPUTS = (REPO / "seeds", REPO.parent / "shared" / "corpus" / "wikinews-2019")
START = dt.date(2020, 1, 1)
OUTLETS = ("Reuters", "AP", "AFP", "BBC", "Al Jazeera", None)
SAMPLE = 300  # articles per time-per-article sample
OTHERS = ("dask_ingest.py", "servers.py")
EXPORT_FORMATS = ("nquads", "turtle")  # timed once each, after the routes


@dataclass
class Pool:
    """The real extractor's events, re-datable: (event, days from its article's date)."""

    events: list[tuple[Event, int | None]]
    counts: list[int]  # events per real article
    articles: int
    seeds: list[tuple[Article, list[Event]]]  # the seed articles (seeds/) as extracted

    @classmethod
    def from_extractor(cls, paths: tuple[Path, ...], log: TextIO) -> Pool:
        from kg.extraction.extractor import RuleExtractor
        from kg.reading.readers import read_articles

        print(f"profiling the real extractor on {', '.join(map(str, paths))}…", file=log)
        extractor = RuleExtractor.from_settings(Settings())
        articles = [a for a in read_articles([p for p in paths if p.exists()]) if a.date]
        events, counts, seeds = [], [], []
        for result in extractor.extract(articles):
            if str(result.article.origin or "").startswith(str(REPO / "seeds")):
                seeds.append((result.article, result.events))
            counts.append(len(result.events))
            for event in result.events:
                offset = (event.date - result.article.date).days if event.date else None
                events.append((event, offset))
        return cls(events, counts, len(articles), seeds)


@dataclass
class Corpus:
    """Synthetic articles drawn from the pool, ``per_day`` a day from START."""

    pool: Pool
    per_day: int
    seed: int

    def article(self, index: int) -> tuple[Article, list[Event]]:
        rng = random.Random(self.seed * 1_000_003 + index)
        day = START + dt.timedelta(days=index // self.per_day)
        article = Article(
            id=f"synthetic-{index:07d}",
            text="",
            title=f"Synthetic article {index}",
            date=day,
            source=rng.choice(OUTLETS),
        )
        events = []
        for n in range(rng.choice(self.pool.counts)):
            real, offset = rng.choice(self.pool.events)
            events.append(
                replace(
                    real,
                    article=article.id,
                    sentence=f"Synthetic sentence {n}.",
                    sentence_start=n * 100,
                    sentence_end=n * 100 + 99,
                    trigger_start=n * 100 + 10,
                    trigger_end=n * 100 + 14,
                    date=day + dt.timedelta(days=offset) if offset is not None else None,
                )
            )
        return article, events


@dataclass
class Run:
    """What the ingest measured."""

    articles: int = 0
    mentions: int = 0
    seconds: float = 0.0  # in store_article and maintenance, not generating
    per_article_ms: list[float] = field(default_factory=list)
    peak_disk_mb: float = 0.0
    seeds_empty_s: float = 0.0
    checkpoints: list[dict[str, Any]] = field(default_factory=list)


def directory_mb(path: Path) -> float:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):  # a file RocksDB deleted meanwhile
                total += os.stat(os.path.join(root, name)).st_size
    return total / 1e6


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set of this process, in MB."""
    status = Path("/proc/self/status").read_text().splitlines()
    now = next((int(line.split()[1]) for line in status if line.startswith("VmRSS")), 0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return now / 1000, peak / 1000


def ingest_growing(
    path: Path, corpus: Corpus, sizes: list[int], max_articles: int, args, log: TextIO
) -> Run:
    """Store synthetic articles until the store passes the last size (or
    ``max_articles``); at each size, time the REST routes on it."""
    run = Run()
    settings = Settings()
    minter = Minter(settings.base_iri)
    window = MergeWindow()
    empty = OxigraphGraphStore(path.parent / "empty")
    ensure_reference_graphs(empty, settings.base_iri)
    run.seeds_empty_s = seeds_into(empty, corpus, minter, window)["store_s"]
    empty.close()
    store = OxigraphGraphStore(path)
    ensure_reference_graphs(store, settings.base_iri)
    known: set[str] = set()
    triples = store.count()
    pending = list(sizes)
    per_article_triples = 300.0
    counted_at = 0
    deadline = time.monotonic() + args.max_minutes * 60
    while pending and run.articles < max_articles:
        if time.monotonic() > deadline:  # out of time: measure the size reached
            print(f"--max-minutes reached at {run.articles} articles", file=log)
            pending = [0]
        article, events = corpus.article(run.articles)
        started = time.perf_counter()
        store_article(store, minter, article, events, known, window)
        run.articles += 1
        maintain_store(store, run.articles)
        spent = time.perf_counter() - started
        run.seconds += spent
        run.per_article_ms.append(spent * 1000)
        run.mentions += len(events)
        if run.articles % 200 == 0:
            run.peak_disk_mb = max(run.peak_disk_mb, directory_mb(path))
        estimate = triples + (run.articles - counted_at) * per_article_triples
        if estimate >= pending[0] or run.articles in (1000, 2000) or run.articles % 20000 == 0:
            before = run.articles
            triples = store.count()
            per_article_triples = (triples - 10_000) / max(before, 1)
            counted_at = before
            print(f"{run.articles} articles, {triples} triples, {run.seconds:.0f} s", file=log)
        if triples >= pending[0]:
            size = pending.pop(0)
            if size == 0:  # the time limit's checkpoint: nothing after it
                triples = store.count()
                size, pending = triples, []
            seeds = seeds_into(store, corpus, minter, window)
            store.close()
            run.peak_disk_mb = max(run.peak_disk_mb, directory_mb(path))
            point = {
                "size": size,
                "triples": triples,
                "articles": run.articles,
                "mentions": run.mentions,
                "ingest_seconds": round(run.seconds, 1),
                "triples_per_s": round(triples / run.seconds, 1),
                "disk_mb": round(directory_mb(path), 1),
                "peak_disk_mb": round(run.peak_disk_mb, 1),
                "rss_mb": [round(x, 1) for x in rss_mb()],
                "seeds": seeds | {"empty_store_s": run.seeds_empty_s},
            }
            print(f"checkpoint {size}: {point}", file=log, flush=True)
            point["routes"] = route_latencies(path, corpus, args.requests, log)
            run.checkpoints.append(point)
            store = OxigraphGraphStore(path)
    store.close()
    return run


def seeds_into(store, corpus: Corpus, minter: Minter, window: MergeWindow) -> dict[str, float]:
    """Seconds to store the seed articles (their real extracted events, through
    store_article) into ``store``, and to remove them again (kg.graph.removal)."""
    started = time.perf_counter()
    for article, events in corpus.pool.seeds:
        store_article(store, minter, article, events, set(), window)
    stored = time.perf_counter() - started
    started = time.perf_counter()
    remove_articles(store, [a.id for a, _ in corpus.pool.seeds], minter.base, window)
    return {
        "articles": len(corpus.pool.seeds),
        "store_s": round(stored, 2),
        "remove_s": round(time.perf_counter() - started, 2),
    }


def busy_actors(corpus: Corpus) -> tuple[str, str, str]:
    """The pool's busiest source, its most frequent target, and a rarer actor for /paths."""
    sources = statistics.multimode(e.source.id for e, _ in corpus.pool.events)
    busiest = sorted(sources)[0]
    partners: dict[str, int] = {}
    for event, _ in corpus.pool.events:
        if event.source.id == busiest and event.target:
            partners[event.target.id] = partners.get(event.target.id, 0) + 1
    ranked = sorted(partners, key=lambda a: (-partners[a], a))
    local = [a.rsplit("/", 1)[-1] for a in (busiest, ranked[0], ranked[min(9, len(ranked) - 1)])]
    return local[0], local[1], local[2]


def routes_for(busiest: str, partner: str, far: str) -> list[Route]:
    """Every REST route of ``benchmarks/api.py``'s load table, on this corpus's actors."""
    return [
        Route("/actors/{id}", f"/actors/{busiest}", {}),
        Route("/events?source=", "/events", {"source": busiest, "limit": "50"}),
        Route("/paths", "/paths", {"source": busiest, "target": far}),
        Route("/dyads", "/dyads", {"a": busiest, "b": partner}),
        Route("/actors/{id}/network", f"/actors/{busiest}/network", {}),
        Route("/actors/{id}/timeline", f"/actors/{busiest}/timeline", {}),
        *(
            Route(f"/network/centrality?by={by}", "/network/centrality", {"by": by})
            for by in ("degree", "betweenness", "pagerank")
        ),
        Route("/network/communities", "/network/communities", {}),
        Route("/stats", "/stats", {}),
    ]


def route_latencies(path: Path, corpus: Corpus, requests: int, log: TextIO) -> dict[str, Any]:
    """``kg serve`` on the closed store: seconds to ready, each route's latency, the
    exports; then seconds to ready when started again (from the served graph's snapshot)."""
    started = time.perf_counter()
    process, url = start_server(path, path.parent / "serve.log", timeout=600)
    try:
        wait_ready(url, timeout=1800)
        ready = time.perf_counter() - started
        out: dict[str, Any] = {"ready_s": round(ready, 1)}
        with httpx.Client(base_url=url, timeout=600) as client:
            for route in routes_for(*busy_actors(corpus)):
                first, answer = timed_get(client, route)
                times = [timed_get(client, route)[0] for _ in range(requests)]
                out[route.name] = {
                    "status": answer.status_code,
                    "first_ms": round(first, 1),
                    "p50_ms": round(statistics.median(times), 1),
                    "p90_ms": round(statistics.quantiles(times, n=10)[-1], 1),
                }
                print(f"  {route.name}: {out[route.name]}", file=log, flush=True)
        out["server_rss_mb"] = _server_rss(process.pid)
        with httpx.Client(base_url=url, timeout=3600) as client:
            for rdf_format in EXPORT_FORMATS:
                out[f"export_{rdf_format}"] = timed_export(client, process.pid, rdf_format)
                print(f"  export {rdf_format}: {out[f'export_{rdf_format}']}", file=log, flush=True)
    finally:
        stop_server(process)
    # started again on the unchanged store: the graph comes from the snapshot the first
    # start saved beside it (kg.network.snapshot)
    started = time.perf_counter()
    process, url = start_server(path, path.parent / "serve-again.log", timeout=600)
    try:
        wait_ready(url, timeout=1800)
        out["restart_ready_s"] = round(time.perf_counter() - started, 1)
        out["restart_from"] = httpx.get(f"{url}/health").json().get("graph_from")
        print(f"  ready again in {out['restart_ready_s']} s", file=log, flush=True)
    finally:
        stop_server(process)
    return out


def timed_export(client: httpx.Client, pid: int, rdf_format: str) -> dict[str, Any]:
    """``/export?format=`` read as a stream (never held): seconds, MB sent, and the
    server's peak RSS since it started (VmHWM) once the export is done."""
    started = time.perf_counter()
    sent = 0
    with client.stream("GET", "/export", params={"format": rdf_format}) as answer:
        for chunk in answer.iter_bytes():
            sent += len(chunk)
    return {
        "status": answer.status_code,
        "seconds": round(time.perf_counter() - started, 1),
        "mb": round(sent / 1e6, 1),
        "server_peak_rss_mb": _server_rss(pid),
    }


def _server_rss(pid: int) -> float | None:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    return next((int(x.split()[1]) / 1000 for x in lines if x.startswith("VmHWM")), None)


def per_article(run: Run, around: int) -> dict[str, Any]:
    """Median and mean store time of the SAMPLE articles ending at ``around`` (or the
    last SAMPLE, if fewer were stored)."""
    end = min(around, len(run.per_article_ms))
    sample = run.per_article_ms[max(0, end - SAMPLE) : end]
    return {
        "articles": f"{max(0, end - SAMPLE) + 1}-{end}",
        "median_ms": round(statistics.median(sample), 2),
        "mean_ms": round(statistics.fmean(sample), 2),
    }


def others(log: TextIO) -> dict[str, Any]:
    """The other scale benchmarks' own output, when they exist."""
    found = {}
    for name in OTHERS:
        script = REPO / "benchmarks" / name
        if not script.exists():
            found[name] = "not in the repository yet (nothing run)"
            continue
        print(f"running benchmarks/{name}…", file=log, flush=True)
        done = subprocess.run(
            [sys.executable, str(script)], cwd=REPO, capture_output=True, text=True
        )
        found[name] = done.stdout.strip() or f"exit {done.returncode}: {done.stderr[-2000:]}"
    return found


def print_table(report: dict[str, Any], out: TextIO) -> None:
    print(
        "SYNTHETIC corpus: real extractor's event mix, no text parsed; see the docstring.", file=out
    )
    pool = report["pool"]
    print(
        f"pool: {pool['events']} events from {pool['articles']} real articles; "
        f"{report['settings']['per_day']} synthetic articles a day",
        file=out,
    )
    print(
        "\n| triples | articles | ingest triples/s | store MB | peak MB during ingest | "
        "ingest RSS MB | ready s (first start) | ready s (restart) | server peak RSS MB |",
        file=out,
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|", file=out)
    for point in report["checkpoints"]:
        routes = point["routes"]
        print(
            f"| {point['triples']:,} | {point['articles']:,} | {point['triples_per_s']:,.0f} | "
            f"{point['disk_mb']:,.0f} | {point['peak_disk_mb']:,.0f} | {point['rss_mb'][0]:,.0f} | "
            f"{routes['ready_s']} | {routes.get('restart_ready_s', '')} | "
            f"{routes.get('server_rss_mb') or 0:,.0f} |",
            file=out,
        )
    names = (
        [
            k
            for k in report["checkpoints"][0]["routes"]
            if isinstance(report["checkpoints"][0]["routes"][k], dict)
            and "p50_ms" in report["checkpoints"][0]["routes"][k]
        ]
        if report["checkpoints"]
        else []
    )
    sizes = " | ".join(f"{p['triples']:,}" for p in report["checkpoints"])
    print(f"\nroute median ms (p90) | {sizes} |", file=out)
    print("|---|" + "---:|" * len(report["checkpoints"]), file=out)
    for name in names:
        cells = " | ".join(
            f"{p['routes'][name]['p50_ms']} ({p['routes'][name]['p90_ms']})"
            for p in report["checkpoints"]
        )
        print(f"| {name} | {cells} |", file=out)
    for point in report["checkpoints"]:
        for rdf_format in EXPORT_FORMATS:
            if export := point["routes"].get(f"export_{rdf_format}"):
                print(
                    f"/export?format={rdf_format} at {point['triples']:,} triples: "
                    f"{export['seconds']} s for {export['mb']:,} MB, server peak RSS "
                    f"{export['server_peak_rss_mb'] or 0:,.0f} MB",
                    file=out,
                )
    for point in report["checkpoints"]:
        seeds = point["seeds"]
        print(
            f"{seeds['articles']} seed articles into the store at {point['triples']:,} triples: "
            f"{seeds['store_s']} s (into an empty store: {seeds['empty_store_s']} s), "
            f"removed again in {seeds['remove_s']} s",
            file=out,
        )
    early, late = report["per_article"]["early"], report["per_article"]["late"]
    print(
        f"\ntime per article: articles {early['articles']} median {early['median_ms']} ms "
        f"(mean {early['mean_ms']}), articles {late['articles']} median {late['median_ms']} ms "
        f"(mean {late['mean_ms']}): ratio {report['per_article']['ratio']} (goal <= 1.5)",
        file=out,
    )
    disk = report["disk"]
    print(
        f"disk: peak {disk['peak_mb']:,.0f} MB during ingest, final {disk['final_mb']:,.0f} MB: "
        f"ratio {disk['ratio']} (goal <= 1.5)",
        file=out,
    )
    for name, text in report["others"].items():
        print(f"\nbenchmarks/{name}:\n{text}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--articles", type=int, default=100_000, help="stop after this many")
    parser.add_argument("--per-day", type=int, default=200)
    parser.add_argument(
        "--max-minutes", type=float, default=50, help="stop ingesting then; measure that size"
    )
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--tmp", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--skip-others", action="store_true")
    args = parser.parse_args(argv)
    log = sys.stderr
    sizes = sorted(int(s) for s in args.sizes.split(","))
    work = Path(tempfile.mkdtemp(prefix="kg-scale-", dir=args.tmp))
    try:
        pool = Pool.from_extractor(PROFILE_INPUTS, log)
        corpus = Corpus(pool, args.per_day, args.seed)
        run = ingest_growing(work / "store", corpus, sizes, args.articles, args, log)
        final = directory_mb(work / "store")
        early = per_article(run, 1000)
        late = per_article(run, 100_000)
        report = {
            "benchmark": "ingest and serving at scale, SYNTHETIC corpus (benchmarks/scale.py)",
            "settings": vars(args) | {"tmp": str(args.tmp)},
            "pool": {"events": len(pool.events), "articles": pool.articles},
            "checkpoints": run.checkpoints,
            "per_article": {
                "early": early,
                "late": late,
                "ratio": round(late["median_ms"] / early["median_ms"], 2),
            },
            "disk": {
                "peak_mb": round(run.peak_disk_mb, 1),
                "final_mb": round(final, 1),
                "ratio": round(run.peak_disk_mb / final, 2) if final else None,
            },
            "others": {} if args.skip_others else others(log),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
    else:
        print_table(report, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
