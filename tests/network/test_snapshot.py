"""The served graph's snapshot (issue 18: ready in seconds at 10M triples): a restart
loads what the last run built, and never a graph the store has moved away from."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

import pytest

from api.network import all_communities, new_live_graph, ranking
from kg.graph.store import OxigraphGraphStore
from kg.ingest import ingest
from kg.network.live import LiveGraph
from kg.network.metrics import Centrality
from kg.network.projection import NetworkFilter
from kg.network.snapshot import SNAPSHOT_FILE
from kg.reading.readers import read_articles
from kg.settings import Settings

GULF = Path(__file__).resolve().parents[2] / "seeds" / "gulf-2019-2020"
ARTICLES = sorted(GULF.glob("*.txt"))
LOADED = "loaded the served graph from its snapshot"


@pytest.fixture
def store_path(tmp_path, extractor) -> Path:
    """An on-disk store holding the first twelve Gulf articles."""
    path = tmp_path / "store"
    with OxigraphGraphStore(path) as store:
        ingest(read_articles(ARTICLES[:12]), extractor, store)
    return path


def started(store: OxigraphGraphStore) -> LiveGraph:
    live = new_live_graph(store)
    live.start().join()
    assert live.ready
    return live


def view(live: LiveGraph) -> dict:
    """What the routes answer from memory: totals, per-actor aggregates, the network,
    and the whole network's centralities and communities."""
    everything = NetworkFilter()
    with live.index() as index:
        actors = sorted({a for record in index.events.values() for a in record.sources})
        state = {
            "stats": index.stats().model_dump(),
            "roots": {a: dict(index.roots_of(a)) for a in actors},
            "partners": {a: index.counterparts(a, top=50) for a in actors},
        }
    with live.network.reading() as network:
        state["nodes"] = sorted(network.graph.nodes)
        state["edges"] = sorted(key for _, _, key in network.graph.edges(keys=True))
    state["pagerank"] = [
        (r.actor, round(r.score, 9)) for r in ranking(live, everything, Centrality.pagerank)
    ]
    state["communities"] = [sorted(c.actors) for c in all_communities(live, everything)]
    return state


def loads_as_built(path: Path, caplog) -> dict:
    """Start on the store at ``path``: it must load the snapshot there, and answer as a
    build from the store itself does; returns what it answers."""
    with caplog.at_level(logging.INFO), OxigraphGraphStore(path) as store:
        loaded = view(started(store))
        assert LOADED in caplog.text
        (path / SNAPSHOT_FILE).unlink()
        assert view(started(store)) == loaded
    return loaded


def test_a_restart_loads_what_the_last_start_built(store_path, caplog):
    with OxigraphGraphStore(store_path) as store:
        first = view(started(store))
    assert (store_path / SNAPSHOT_FILE).is_file()
    with caplog.at_level(logging.INFO), OxigraphGraphStore(store_path) as store:
        again = started(store)
        assert LOADED in caplog.text
        assert view(again) == first


def test_a_write_deletes_the_snapshot_and_the_next_start_sees_it(store_path, extractor, caplog):
    with OxigraphGraphStore(store_path) as store:
        before = view(started(store))
    with OxigraphGraphStore(store_path) as store:
        ingest(read_articles(ARTICLES[12:16]), extractor, store)
        assert not (store_path / SNAPSHOT_FILE).exists()
    with caplog.at_level(logging.INFO), OxigraphGraphStore(store_path) as store:
        after = view(started(store))
        assert LOADED not in caplog.text
    assert after["stats"]["articles"] == before["stats"]["articles"] + 4
    assert after != before


def test_changes_folded_in_while_serving_are_saved_true(store_path, extractor, caplog):
    """An ingest and a removal while serving, then a stop: the next start loads a
    snapshot equal to a build from the store itself."""
    from kg.graph.removal import remove_articles

    with OxigraphGraphStore(store_path) as store:
        live = started(store)
        summary = ingest(read_articles(ARTICLES[12:18]), extractor, store)
        live.events_changed(summary.events_removed, summary.events_written)
        gone = next(read_articles([ARTICLES[3]])).id
        removed = remove_articles(store, [gone], Settings().base_iri)
        live.events_changed(removed.events_removed, removed.events_written, removed.actors)
        assert not (store_path / SNAPSHOT_FILE).exists()
        assert live.save()  # what kg serve does when it stops
    loads_as_built(store_path, caplog)


def test_a_write_nobody_reported_is_not_saved_over(store_path, extractor):
    with OxigraphGraphStore(store_path) as store:
        live = started(store)
        ingest(read_articles(ARTICLES[12:13]), extractor, store)  # live graph not told
        assert not live.save()
        assert not (store_path / SNAPSHOT_FILE).exists()


@pytest.mark.parametrize(
    "content",
    [b"not a pickle", pickle.dumps((1, "code of another version")) + pickle.dumps(None)],
    ids=["corrupt", "other-code"],
)
def test_a_snapshot_that_cannot_be_used_is_ignored(store_path, content, caplog):
    with OxigraphGraphStore(store_path) as store:
        expected = view(started(store))
    (store_path / SNAPSHOT_FILE).write_bytes(content)
    with caplog.at_level(logging.INFO), OxigraphGraphStore(store_path) as store:
        assert view(started(store)) == expected
        assert LOADED not in caplog.text
    # and the build wrote a good one in its place
    with caplog.at_level(logging.INFO), OxigraphGraphStore(store_path) as store:
        started(store)
        assert LOADED in caplog.text


def test_a_store_in_memory_keeps_no_snapshot(extractor):
    with OxigraphGraphStore(None) as store:
        ingest(read_articles(ARTICLES[:2]), extractor, store)
        live = started(store)
        assert not live.save()


def test_kg_ingest_keeps_the_snapshot_current(store_path, caplog):
    from typer.testing import CliRunner

    from kg.cli.main import app

    with OxigraphGraphStore(store_path) as store:
        started(store)
    more = [str(a) for a in ARTICLES[12:16]]
    result = CliRunner().invoke(app, ["ingest", *more, "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert (store_path / SNAPSHOT_FILE).is_file()
    assert loads_as_built(store_path, caplog)["stats"]["articles"] == 16


def test_kg_ingest_into_a_new_store_prepares_the_served_graph(tmp_path, monkeypatch, caplog):
    from typer.testing import CliRunner

    from kg.cli.main import app

    monkeypatch.chdir(tmp_path)  # a relative --store, as the README's examples give
    result = CliRunner().invoke(app, ["ingest", *map(str, ARTICLES[:6]), "--store", "data/gulf"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "data" / "gulf"
    assert (path / SNAPSHOT_FILE).is_file()
    assert loads_as_built(path, caplog)["stats"]["articles"] == 6
