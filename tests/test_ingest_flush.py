"""An ingest flushes an embedded store every FLUSH_EVERY stored articles, so RocksDB's
write-ahead log does not grow with the whole run (issue 18: 4.1 GB of log for a
115 MB store)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg import ingest as ingest_module
from kg.extraction.extractor import ArticleEvents
from kg.graph.merge import MergeWindow
from kg.graph.rdf import Minter
from kg.graph.store import OxigraphGraphStore
from kg.ingest import IngestSummary, store_extracted
from kg.models import Article
from kg.settings import Settings


def test_store_extracted_flushes_every_flush_every_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "FLUSH_EVERY", 3)
    store = OxigraphGraphStore(tmp_path / "store")
    flushes: list[int] = []
    summary = IngestSummary()
    monkeypatch.setattr(store, "flush", lambda: flushes.append(summary.stored))
    articles = [
        Article(id=f"a{i}", text="No events here.", date=dt.date(2020, 1, 1 + i)) for i in range(7)
    ]
    try:
        store_extracted(
            (ArticleEvents(article, [], 3) for article in articles),
            store,
            Minter(Settings().base_iri),
            set(),
            MergeWindow(),
            summary,
        )
    finally:
        monkeypatch.undo()
        store.close()
    assert summary.stored == 7
    assert flushes == [3, 6]
