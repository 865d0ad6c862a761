"""Ingest into SPARQL servers: triples per second of the store side of ``kg ingest`` into
the embedded store, an Oxigraph server and Virtuoso, article by article in SPARQL
updates (the path before the Graph Store Protocol, ``SparqlServerStore(graph_store=False)``)
and in batches through each server's GSP endpoint (``kg.ingest_batches``), in one run.

The articles are extracted once, before any timing (spaCy costs the same whatever the
store); each run then replays those extractions through :func:`kg.ingest.ingest` into
an empty store: the reference graphs, the merge lookups, the events and the articles'
graphs. Triples/s is the triples the store holds at the end over the wall time of the
ingest; the ratio is against the embedded store in the same run. The servers are
started on 127.0.0.1 free ports as the tests start them (tests/graph/sparql_servers.py:
Oxigraph ``oxigraph serve``; Virtuoso 7.2 with its own ini, limits raised, updates
granted), one fresh server per run, and stopped after.

Run from the repository root (Virtuoso from ``make virtuoso``)::

    .venv/bin/python benchmarks/servers.py [--corpus seeds/] [--limit N] [--json]

``benchmarks/scale.py`` imports :func:`measure_server_ingest` and :func:`print_table`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "graph"))  # the server launchers the tests use

from sparql_servers import oxigraph_server, virtuoso_server  # noqa: E402

from kg.extraction.extractor import ArticleEvents, RuleExtractor  # noqa: E402
from kg.graph.server_store import SparqlServerStore  # noqa: E402
from kg.graph.store import OxigraphGraphStore, Store  # noqa: E402
from kg.ingest import ingest  # noqa: E402
from kg.models import Article  # noqa: E402
from kg.reading.readers import read_articles  # noqa: E402
from kg.settings import Settings  # noqa: E402

__all__ = ["ServerIngest", "measure_server_ingest", "print_table"]


@dataclass
class ServerIngest:
    """One ingest of the corpus into one kind of store by one write path."""

    store: str
    path: str
    articles: int
    triples: int
    seconds: float

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds else 0.0


class _Replay:
    """An extractor that hands back extractions made beforehand (what ingest calls)."""

    def __init__(self, extractor: RuleExtractor, results: list[ArticleEvents]) -> None:
        self.base_iri = extractor.base_iri
        self.gazetteer = extractor.gazetteer
        self._results = {result.article.id: result for result in results}

    def extract(self, articles: list[Article]) -> Iterator[ArticleEvents]:
        for article in articles:
            yield self._results[article.id]


def _embedded(_root: Path) -> AbstractContextManager[str]:
    return nullcontext("memory")


#: (store, write path, server launcher, whether writes go through GSP).
RUNS: tuple[tuple[str, str, Callable[[Path], AbstractContextManager[str]], bool], ...] = (
    ("embedded (memory)", "one transaction per article", _embedded, False),
    ("Oxigraph server", "SPARQL update per article", oxigraph_server, False),
    ("Oxigraph server", "GSP batches", oxigraph_server, True),
    ("Virtuoso 7.2", "SPARQL update per article", virtuoso_server, False),
    ("Virtuoso 7.2", "GSP batches", virtuoso_server, True),
)


def measure_server_ingest(
    corpus: Path, limit: int | None = None, extractor: RuleExtractor | None = None
) -> list[ServerIngest]:
    """Ingest the articles of ``corpus`` (the first ``limit``) into every store of
    :data:`RUNS`, each empty at the start; one :class:`ServerIngest` each."""
    extractor = extractor or RuleExtractor.from_settings(Settings(store="memory"))
    articles = [a for a in read_articles([corpus]) if isinstance(a, Article)][:limit]
    replay = _Replay(extractor, list(extractor.extract(articles)))
    measured = []
    with tempfile.TemporaryDirectory(prefix="kg-servers-") as tmp:
        for number, (name, path, launch, graph_store) in enumerate(RUNS):
            with launch(Path(tmp) / f"run-{number}") as url:
                store: Store = (
                    OxigraphGraphStore(None)
                    if url == "memory"
                    else SparqlServerStore(url, graph_store=graph_store)
                )
                start = time.perf_counter()
                summary = ingest(articles, replay, store)
                seconds = time.perf_counter() - start
                triples = store.count()
                store.close()
            assert summary.stored == len(articles), f"{name}: {summary.stored} stored"
            measured.append(ServerIngest(name, path, len(articles), triples, seconds))
    return measured


def print_table(measured: list[ServerIngest], out=sys.stdout) -> None:
    """The figures as a Markdown table, with ratios to the first row (the anchor)."""
    anchor = measured[0].triples_per_second
    print("| store | write path | articles | triples | s | triples/s | vs embedded |", file=out)
    print("|---|---|---:|---:|---:|---:|---:|", file=out)
    for run in measured:
        ratio = run.triples_per_second / anchor if anchor else 0.0
        print(
            f"| {run.store} | {run.path} | {run.articles} | {run.triples:,} | "
            f"{run.seconds:.1f} | {run.triples_per_second:,.0f} | {ratio:.2f}x |",
            file=out,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "seeds")
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--json", action="store_true", help="print JSON, not a table")
    args = parser.parse_args()
    measured = measure_server_ingest(args.corpus, args.limit)
    if args.json:
        rows = [{**asdict(m), "triples_per_second": m.triples_per_second} for m in measured]
        print(json.dumps(rows, indent=2))
    else:
        print_table(measured)


if __name__ == "__main__":
    main()
