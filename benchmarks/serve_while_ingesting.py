"""Does ``kg serve`` keep answering while it ingests? (issue 15, "Done when": a
200-article ``POST /articles`` with ``/health`` polled meanwhile under 100 ms).

Starts ``kg serve`` on loopback (``benchmarks/api.py``'s ``start_server``) over a fresh
store holding five seed articles, with a write token, then sends real news articles
(the seed articles, then the Wikinews 2019 political and off-topic files, read at run
time from ``../shared/corpus/``) in ``POST /articles`` requests of ``--batch``
articles, ``--articles`` in all, while another client asks ``/health`` every
``--every`` seconds. Prints the ``/health`` latencies during the ingest (median, p99,
largest, how many over 100 ms, any status other than 200), each POST's status and
time, articles stored, and the server's RSS before and after.

    .venv/bin/python benchmarks/serve_while_ingesting.py [--articles 200] [--batch 200]
        [--every 0.05] [--warm-up] [--json] [--tmp DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from benchmarks.api import KG, start_server, stop_server  # noqa: E402
from benchmarks.load import memory  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "wikinews-2019"
TOKEN = "benchmark-token"


def real_articles(count: int) -> list[dict[str, str]]:
    """``count`` real articles: the seed files first, then Wikinews 2019."""
    from kg.models import Article
    from kg.reading.readers import read_articles

    found: list[dict[str, str]] = []
    for item in read_articles([REPO / "seeds"]):
        if isinstance(item, Article):
            found.append({"id": f"seed-{item.id}", "text": item.text})
    for name in ("politics.jsonl", "offtopic.jsonl"):
        for line in (CORPUS / name).open(encoding="utf-8"):
            record = json.loads(line)
            found.append({"id": record["id"], "text": record["text"], "date": record["date"]})
    if len(found) < count:
        raise SystemExit(f"only {len(found)} articles found, {count} asked for")
    return found[:count]


async def measure(url: str, batches: list[list[dict]], every: float) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    posts: list[dict[str, Any]] = []
    done = asyncio.Event()

    async def poll(client: httpx.AsyncClient) -> None:
        while not done.is_set():
            started = time.perf_counter()
            answer = await client.get(f"{url}/health", timeout=30)
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
            await asyncio.sleep(every)

    async def post(client: httpx.AsyncClient) -> None:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        for batch in batches:
            started = time.perf_counter()
            answer = await client.post(f"{url}/articles", json=batch, headers=auth, timeout=3600)
            posts.append(
                {
                    "articles": len(batch),
                    "status": answer.status_code,
                    "seconds": round(time.perf_counter() - started, 1),
                    "stored": answer.json().get("stored") if answer.status_code == 201 else None,
                }
            )
        done.set()

    async with httpx.AsyncClient() as poller, httpx.AsyncClient() as poster:
        await asyncio.gather(poll(poller), post(poster))
    ordered = sorted(latencies)
    return {
        "health_requests": len(latencies),
        "health_statuses": statuses,
        "health_p50_ms": round(statistics.median(ordered), 1),
        "health_p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 1),
        "health_max_ms": round(ordered[-1], 1),
        "health_over_100_ms": sum(1 for x in ordered if x > 100),
        "posts": posts,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    articles = real_articles(args.articles)
    batches = [articles[i : i + args.batch] for i in range(0, len(articles), args.batch)]
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        store = Path(tmp) / "store"
        seeds = sorted((REPO / "seeds").iterdir())[:5]
        subprocess.run(
            [str(KG), "ingest", *map(str, seeds), "--store", str(store)],
            check=True,
            capture_output=True,
        )
        os.environ["KG_UPDATE_TOKEN"] = TOKEN
        process, url = start_server(store, Path(tmp) / "serve.log")
        try:
            if args.warm_up:  # the extractor (spaCy pipeline, gazetteer) loaded before
                warm = [{"id": "warm-up", "text": "Iran condemned the strike."}]
                auth = {"Authorization": f"Bearer {TOKEN}"}
                httpx.post(f"{url}/articles", json=warm, headers=auth, timeout=600)
            before = memory(process.pid)
            report = asyncio.run(measure(url, batches, args.every))
            time.sleep(2)
            after = memory(process.pid)
            alive = httpx.get(f"{url}/health", timeout=10).status_code == 200
        finally:
            stop_server(process)
    report.update(
        articles=len(articles), batch=args.batch, rss_before=before, rss_after=after, alive=alive
    )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="articles posted in all")
    parser.add_argument("--batch", type=int, default=200, help="articles per POST")
    parser.add_argument("--every", type=float, default=0.05, help="seconds between /health")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--tmp", default=None, help="where the temporary store goes")
    parser.add_argument(
        "--warm-up", action="store_true", help="post one article first (loads the extractor)"
    )
    args = parser.parse_args(argv)
    report = run(args)
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"{report['articles']} real articles posted in requests of {report['batch']}")
    for post in report["posts"]:
        print(
            f"  POST /articles ({post['articles']}): {post['status']} in {post['seconds']} s, "
            f"stored {post['stored']}"
        )
    print(
        f"/health during the ingest: {report['health_requests']} requests, statuses "
        f"{report['health_statuses']}, p50 {report['health_p50_ms']} ms, p99 "
        f"{report['health_p99_ms']} ms, max {report['health_max_ms']} ms, "
        f"{report['health_over_100_ms']} over 100 ms"
    )
    print(f"server RSS: {report['rss_before']} -> {report['rss_after']}; alive: {report['alive']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
