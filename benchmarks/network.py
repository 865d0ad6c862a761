"""Build time, memory and query latency of the actor network (``kg.network.projection``) on a
synthetic network of ``--actors`` actors and ``--events`` events (100k and 1M).

A seeded generator draws the network: actors ranked by popularity (the first 20 are
states, the rest a shuffled mix of states, governments, armed groups, persons,
media…), each event's source and target drawn from a Zipf law over that ranking
(exponent ``--zipf``, 1.0: a few hubs take part in a large share of the events, most
actors in a handful; source and target never the same), CAMEO codes drawn by root with
a GDELT-like skew (``benchmarks/store.py``'s ``ROOT_WEIGHTS``) and uniformly within a
root, with the quad class and Goldstein score the CAMEO scheme (``ontology/cameo.ttl``)
gives them, events grouped into articles of 5 to 15 (about 10), dates over 2019-2022
(5% undated), confidence in [0.4, 1.0], 1 to 10 mentions. Each event is first a row of
strings shaped like a row of ``kg.network.projection.EDGES_QUERY`` and goes through
``kg.network.projection.event_edge``, so the edges have exactly its keys and types. Where events
go into a store, each is one mention (``kg.models.Event``) of an article, and the
store merges them into events as ``kg ingest`` does. The same seed gives the same
network. It measures, in one run on one machine:

* **build**: ``ActorNetwork.from_events(actors, events)`` over the generated actor rows
  (actor, label, type IRI, country: only actors that take part in events, as
  ``from_store`` takes them) and event edges, held in lists before timing. Memory is
  the growth of the resident set (RSS, from ``/proc/self/statm``) over the build; the
  rows are already in memory then, so it counts what the projection adds on top of
  the strings, dates and floats it shares with them. The RSS of the input lists and
  the process's RSS after the build are reported beside it.
* **paths**: ``ActorNetwork.paths(a, b, max_hops=4, k=3)`` between ``--queries``
  random pairs of actors that take part in events (the same pairs undirected and
  ``directed=True``), after a few warm-up queries: median and p99 latency (ms), and
  how many found a path. Target: median under 50 ms.
* **ego**: ``ego(actor, depth=1, max_actors=200)`` and ``depth=2`` for
  ``--ego-queries`` actors (fewer than paths: around hubs an ego network holds a large
  share of all events, and copying them takes seconds): one in ten is one of the
  busiest actors (the hubs), the rest random participants; median and p99 (ms), the
  hubs' median and maximum, and how many actors and events the networks held.
* **update**: 1k new mentions (``--update-articles`` articles of 10, about 5% of their
  endpoints actors the network lacks) are ingested into an empty in-memory store
  (``kg.graph.store.open_store("memory")``) by ``kg.ingest.ingest`` itself, with a stand-in
  extractor that hands it the generated ``kg.models`` objects (so the reference
  graphs, the CAMEO scheme among them, the mention graphs and the merged events are
  exactly what ``kg ingest`` writes). Then ``ActorNetwork.update_events(store,
  summary.events_removed, summary.events_written)`` on the built network is timed,
  its SPARQL queries apart, and one path query right after it (from an actor the
  update added, on the same network object: no rebuild). A second batch is timed
  the same way against the larger store below, with the events an ingest would
  report written (every event of a (source, target, root) the new mentions touch),
  to show how the update's query depends on what else the store holds. Target:
  under 1 s.
* **full rebuild**: the baseline of the update: ``from_events`` over the network's
  events plus the new ones (as ``EDGES_QUERY`` rows of the update's store through
  ``event_edge``), timed after the first network is dropped; the ratio update /
  rebuild.
* **from_store**: ``ActorNetwork.from_store`` on an in-memory store holding the
  articles of the network's first ``--store-events`` events and the second update
  batch, written in one go with the functions ``kg.ingest`` uses (ingesting them one
  article at a time gives the same graphs, but slower and slower as the store
  grows); its two queries (``NODES_QUERY``, ``EDGES_QUERY``) are timed apart from
  the projection.

``--profile N`` then runs cProfile over the slowest undirected path query, the slowest
ego query and the update against the larger store (again), and prints the top ``N``
entries of each (by cumulative time) to stderr.

Run from the repository root::

    .venv/bin/python benchmarks/network.py [--json] [--actors 100000] [--events 1000000]
        [--queries 200] [--ego-queries 50] [--update-articles 100] [--store-events 50000]
        [--zipf 1.0] [--seed 7] [--profile N]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import hashlib
import io
import json
import math
import os
import pstats
import random
import resource
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import networkx as nx  # noqa: E402
from rdflib import Graph  # noqa: E402

from benchmarks.store import (  # noqa: E402
    BASE,
    OUTLETS,
    ROOT_WEIGHTS,
    WORDS,
    K,
    machine,
)
from kg.extraction.extractor import ArticleEvents  # noqa: E402
from kg.graph.merge import MentionFacts, MergedEvent, merge_mentions  # noqa: E402
from kg.graph.queries import PREFIXES  # noqa: E402
from kg.graph.rdf import Minter, article_graphs, direct_triple, event_triples  # noqa: E402
from kg.graph.store import Store, open_store  # noqa: E402
from kg.graph.vocab import ACTOR  # noqa: E402
from kg.ingest import IngestSummary, _facts, ensure_reference_graphs, ingest  # noqa: E402
from kg.models import Actor, Article, Event  # noqa: E402
from kg.network.projection import (  # noqa: E402
    CONCEPT_PATTERN,
    EDGES_QUERY,
    NODES_QUERY,
    ActorNetwork,
    event_edge,
)
from kg.settings import ONTOLOGY_DIR  # noqa: E402

PATH_GOAL_MS = 50.0
UPDATE_GOAL_MS = 1000.0
MAX_HOPS, K_PATHS, EGO_MAX_ACTORS = 4, 3, 200
WARMUP_QUERIES = 5
#: Actors at the head of the popularity ranking that are states.
HEAD_STATES = 20
#: Share of the non-state actors by type (kgo class names).
TYPE_WEIGHTS = {
    "Government": 15, "Military": 10, "ArmedGroup": 8, "Party": 6, "IGO": 2, "NGO": 5,
    "Person": 40, "Media": 6, "Other": 8,
}  # fmt: skip
FIRST_DAY, DAYS = dt.date(2019, 1, 1), 4 * 365
UPDATE_EVENTS_PER_ARTICLE = 10
#: Share of the update's event endpoints that are actors the network does not hold.
NEW_ACTOR_SHARE = 0.05


# ---------------------------------------------------------------------------------
# The synthetic network


@dataclass(frozen=True, slots=True)
class SyntheticActor:
    iri: str
    label: str
    type: str  # a kgo class name
    country: str | None  # an ISO-like alpha-3 code

    def row(self) -> dict[str, str | None]:
        """The actor as a row of ``kg.network.projection.NODES_QUERY``."""
        return {
            "actor": self.iri,
            "label": self.label,
            "type": K + self.type,
            "country": self.country,
        }

    def model(self) -> Actor:
        return Actor(id=self.iri, label=self.label, type=self.type, country=self.country)


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    root: str
    quad: str  # as the store gives them: strings
    goldstein: str


@dataclass
class Vocabulary:
    """What the generator draws from: actors by popularity, CAMEO codes, words."""

    actors: list[SyntheticActor]
    actor_weights: list[float]  # cumulative, Zipf over the ranking
    codes: list[Code]
    code_weights: list[float]  # cumulative
    triggers: dict[str, list[str]]  # root -> trigger lemmas
    fillers: list[str]  # word runs that pad sentences to a realistic length


def _country_code(index: int) -> str:
    """QMA, QMB… QZZ: ISO 3166's user-assigned codes, so no state of the gazetteer's."""
    return f"Q{chr(77 + index // 26 % 14)}{chr(65 + index % 26)}"


def cameo_codes(store: Store) -> list[Code]:
    """Every CAMEO code with its quad class and Goldstein score, as the network reads them."""
    rows = store.select(
        PREFIXES + f"SELECT ?code ?quad ?goldstein WHERE {{{CONCEPT_PATTERN}\n}} ORDER BY ?code"
    )
    return [
        Code(r["code"] or "", (r["code"] or "")[:2], r["quad"] or "0", r["goldstein"] or "0")
        for r in rows
    ]


def vocabulary(rng: random.Random, n_actors: int, zipf: float, codes: list[Code]) -> Vocabulary:
    """``n_actors`` actors ranked by popularity, and the codes weighted by root."""
    n_states = max(HEAD_STATES, min(364, n_actors // 400))
    codes_of_states = [_country_code(i) for i in range(n_states)]
    states = [SyntheticActor(f"{ACTOR}{c}", f"State {c}", "State", c) for c in codes_of_states]
    state_weights = list(_cumulative(n_states, 1.0))
    types, type_weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    others: list[SyntheticActor] = []
    for number in range(max(0, n_actors - n_states)):
        kind = rng.choices(types, type_weights)[0]
        country = rng.choices(states, cum_weights=state_weights)[0].country
        path = "person" if kind == "Person" else "sector"
        iri = f"{BASE}actor/{path}/a{number:07d}"
        others.append(SyntheticActor(iri, f"{kind} {number} of {country}", kind, country))
    rest = states[HEAD_STATES:] + others
    rng.shuffle(rest)
    actors = (states[:HEAD_STATES] + rest)[:n_actors]

    per_root: dict[str, int] = defaultdict(int)
    for code in codes:
        per_root[code.root] += 1
    code_weights, total = [], 0.0
    for code in codes:
        total += ROOT_WEIGHTS.get(code.root, 1) / per_root[code.root]
        code_weights.append(total)

    triggers: dict[str, list[str]] = defaultdict(list)
    lines = (ONTOLOGY_DIR / "cameo-triggers.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        if line and not line.startswith("#"):
            _pos, lemma, _context, code = line.split("\t")[:4]
            if lemma not in triggers[code[:2]]:
                triggers[code[:2]].append(lemma)
    fillers = [" ".join(rng.choices(WORDS, k=rng.randrange(8, 30))) for _ in range(1000)]
    return Vocabulary(
        actors, list(_cumulative(len(actors), zipf)), codes, code_weights, dict(triggers), fillers
    )


def _cumulative(n: int, exponent: float) -> Iterable[float]:
    total = 0.0
    for rank in range(n):
        total += 1.0 / (rank + 1) ** exponent
        yield total


@dataclass
class Batch:
    """Generated events: edges (``event_edge`` dicts) and what the store needs of them."""

    edges: list[dict]
    actors: dict[str, SyntheticActor]  # every actor the edges use, by IRI
    triggers: list[str]  # the trigger lemma of each edge
    article_dates: dict[str, dt.date]


def generate(
    rng: random.Random,
    vocab: Vocabulary,
    n_events: int,
    prefix: str,
    *,
    article_size: tuple[int, int] = (5, 15),
    new_actor_share: float = 0.0,
) -> Batch:
    """``n_events`` events in articles ``{prefix}-0000001``…, endpoints Zipf-distributed;
    a ``new_actor_share`` of the endpoints are actors outside the vocabulary."""
    actors, n_actors = vocab.actors, len(vocab.actors)
    ends = rng.choices(range(n_actors), cum_weights=vocab.actor_weights, k=2 * n_events)
    codes = rng.choices(vocab.codes, cum_weights=vocab.code_weights, k=n_events)
    used: dict[str, SyntheticActor] = {}
    edges: list[dict] = []
    triggers: list[str] = []
    article_dates: dict[str, dt.date] = {}
    fillers, all_triggers = vocab.fillers, vocab.triggers
    index, number, fresh = 0, 0, 0
    while index < n_events:
        number += 1
        article = f"{prefix}-{number:07d}"
        size = min(rng.randint(*article_size), n_events - index)
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        article_dates[article] = day
        for i in range(index, index + size):
            pair = []
            for end in (ends[2 * i], ends[2 * i + 1] if ends[2 * i + 1] != ends[2 * i] else -1):
                if new_actor_share and rng.random() < new_actor_share:
                    fresh += 1
                    actor = SyntheticActor(
                        f"{BASE}actor/person/{prefix}-new-{fresh:05d}",
                        f"New Person {fresh} ({prefix})",
                        "Person",
                        actors[0].country,
                    )
                else:
                    actor = actors[end if end >= 0 else (ends[2 * i] + 1) % n_actors]
                used[actor.iri] = actor
                pair.append(actor)
            source, target = pair
            code = codes[i]
            trigger = rng.choice(all_triggers.get(code.root) or ["act"])
            date = day - dt.timedelta(days=rng.randrange(7)) if rng.random() < 0.95 else None
            key = hashlib.sha1(f"{prefix}|{i}".encode()).hexdigest()[:20]
            row = {
                "event": f"{BASE}event/{key}",
                "source": source.iri,
                "target": target.iri,
                "code": code.code,
                "quad": code.quad,
                "goldstein": code.goldstein,
                "date": date.isoformat() if date else None,
                "confidence": f"{rng.uniform(0.4, 1.0):.3f}",
                "mentions": "1" if rng.random() < 0.7 else str(rng.randint(2, 10)),
                "article": article,
                "sentence": f"{source.label} {trigger} {target.label} {rng.choice(fillers)}.",
            }
            edges.append(event_edge(row))
            triggers.append(trigger)
        index += size
    return Batch(edges, used, triggers, article_dates)


@dataclass
class Replay:
    """A stand-in for the extractor that gives back the generated events, so that
    ``kg.ingest.ingest`` stores them exactly as it stores extracted ones."""

    events: dict[str, list[Event]]  # by article id
    base_iri: str = BASE
    #: No gazetteer actors: every actor the events use is described in the actors graph.
    gazetteer: SimpleNamespace = field(default_factory=lambda: SimpleNamespace(surface_forms={}))

    def extract(self, articles: Iterable[Article]) -> Iterator[ArticleEvents]:
        for article in articles:
            yield ArticleEvents(article, self.events[article.id], 0)


def ingest_batch(store: Store, batch: Batch) -> IngestSummary:
    """Store the batch's articles with ``kg.ingest.ingest``, one article at a time."""
    articles, events = _articles(batch)
    return ingest(articles, Replay(events), store)  # type: ignore[arg-type]


def _articles(
    batch: Batch, limit: int | None = None
) -> tuple[list[Article], dict[str, list[Event]]]:
    """The batch's articles (those holding its first ``limit`` events, whole articles)
    and their events as ``kg.models`` objects, as the extractor gives them."""
    indexes: dict[str, list[int]] = defaultdict(list)
    for index, edge in enumerate(batch.edges):
        indexes[edge["article"]].append(index)
    articles: list[Article] = []
    events: dict[str, list[Event]] = {}
    written = 0
    for article_id, chosen in indexes.items():
        if limit is not None and written >= limit:
            break
        articles.append(
            Article(
                id=article_id,
                text="",
                title=f"Synthetic article {article_id}",
                date=batch.article_dates[article_id],
                url=f"https://news.example/{article_id}",
                source=OUTLETS[len(articles) % len(OUTLETS)],
            )
        )
        events[article_id] = [_event_model(batch, i, offset) for offset, i in enumerate(chosen)]
        written += len(chosen)
    return articles, events


def bulk_store(store: Store, parts: list[tuple[Batch, int | None]]) -> list[MergedEvent]:
    """Store the articles of each (batch, limit) part (those holding the batch's first
    ``limit`` mentions) in one go: the graphs ``kg.ingest`` writes article by article,
    built with the same functions (mention graphs, one merge of all mentions, the
    events graph). Ingesting one article at a time gives the same graphs (merging
    depends only on the set of mentions, :mod:`kg.graph.merge`) in time that grows with the
    store. Returns the merged events."""
    ensure_reference_graphs(store, BASE)
    minter = Minter(BASE)
    graphs: list[Graph] = []
    mentions: list[MentionFacts] = []
    for batch, limit in parts:
        articles, events = _articles(batch, limit)
        for article in articles:
            graphs.extend(article_graphs(article, events[article.id], minter, set()))
            mentions.extend(_facts(article, event, minter) for event in events[article.id])
    merged = merge_mentions(mentions)
    events_graph = Graph(identifier=minter.events_graph())
    for event in merged:
        for triple in event_triples(event, minter):
            events_graph.add(triple)
        if event.target:
            events_graph.add(direct_triple(event.source, event.target, event.root))
    store.add_graphs([*graphs, events_graph])
    return merged


def ingest_outcome(merged: list[MergedEvent], batch: Batch) -> tuple[set[str], set[str]]:
    """The event IRIs that ingesting ``batch``'s articles last would report removed and
    written (``IngestSummary``): the events holding a new mention are written (new or
    changed), and the events the touched (source, target, root) keys had before that
    no longer exist are removed."""
    minter = Minter(BASE)
    keys = {m.key for e in merged for m in e.mentions if m.article in batch.article_dates}
    touched = [e for e in merged if e.mentions[0].key in keys]
    written = {
        str(minter.event(e))
        for e in touched
        if any(m.article in batch.article_dates for m in e.mentions)
    }
    before = merge_mentions(
        m for e in touched for m in e.mentions if m.article not in batch.article_dates
    )
    return {str(minter.event(e)) for e in before} - {str(minter.event(e)) for e in touched}, written


def _event_model(batch: Batch, index: int, offset: int) -> Event:
    edge = batch.edges[index]
    source, target = batch.actors[edge["source"]], batch.actors[edge["target"]]
    trigger = batch.triggers[index]
    sentence_start = 300 * offset
    trigger_start = sentence_start + len(source.label) + 1
    return Event(
        article=edge["article"],
        sentence=edge["sentence"],
        sentence_start=sentence_start,
        sentence_end=sentence_start + len(edge["sentence"]),
        source=source.model(),
        target=target.model(),
        action=trigger,
        code=edge["code"],
        trigger_start=trigger_start,
        trigger_end=trigger_start + len(trigger),
        date=edge["date"],
        date_inferred=edge["date"] is None,
        confidence=edge["confidence"],
        source_text=source.label,
        target_text=target.label,
    )


def actor_rows(batch: Batch) -> list[dict[str, str | None]]:
    """Rows for every actor that takes part in the batch's events, as NODES_QUERY gives."""
    return [batch.actors[iri].row() for iri in sorted(batch.actors)]


# ---------------------------------------------------------------------------------
# Measurements


def rss_mb() -> float:
    """The resident set size now (``/proc/self/statm``), in MB; 0 where /proc is missing."""
    try:
        resident = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return resident * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    """The peak resident set size of this process so far (``ru_maxrss``), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds ``call`` took, and what it returned."""
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def latencies(ms: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(ms), 3),
        "p99_ms": round(percentile(ms, 0.99), 3),
        "max_ms": round(max(ms), 3),
    }


def measure_paths(
    network: ActorNetwork, pairs: list[tuple[str, str]], directed: bool
) -> tuple[dict[str, Any], tuple[str, str]]:
    """Latency of ``paths`` over ``pairs`` (after a warm-up); also the slowest pair."""
    for source, target in pairs[:WARMUP_QUERIES]:
        network.paths(source, target, MAX_HOPS, K_PATHS, directed=directed)
    ms, found, paths, hops = [], 0, 0, []
    for source, target in pairs:
        seconds, result = timed(
            lambda s=source, t=target: network.paths(s, t, MAX_HOPS, K_PATHS, directed=directed)
        )
        ms.append(seconds * 1000)
        if result:
            found += 1
            paths += len(result)
            hops.append(len(result[0].hops))
    slowest = pairs[max(range(len(ms)), key=ms.__getitem__)]
    figures = {
        "queries": len(pairs),
        **latencies(ms),
        "found": found,
        "paths_returned": paths,
        "mean_hops_of_shortest": round(statistics.mean(hops), 2) if hops else None,
        "median_met": statistics.median(ms) < PATH_GOAL_MS,
    }
    return figures, slowest


def measure_ego(
    network: ActorNetwork, actors: list[str], hubs: set[str], depth: int
) -> tuple[dict[str, Any], str]:
    """Latency of ``ego`` around ``actors`` (after a warm-up); also the slowest actor."""
    for actor in actors[:WARMUP_QUERIES]:
        network.ego(actor, depth=depth, max_actors=EGO_MAX_ACTORS)
    ms, hub_ms, sizes = [], [], []
    for actor in actors:
        seconds, ego = timed(lambda a=actor: network.ego(a, depth=depth, max_actors=EGO_MAX_ACTORS))
        ms.append(seconds * 1000)
        sizes.append((ego.number_of_nodes(), ego.number_of_edges()))
        if actor in hubs:
            hub_ms.append(seconds * 1000)
    slowest = actors[max(range(len(ms)), key=ms.__getitem__)]
    figures = {
        "queries": len(actors),
        **latencies(ms),
        "hubs": len(hub_ms),
        "hub_median_ms": round(statistics.median(hub_ms), 3) if hub_ms else None,
        "hub_max_ms": round(max(hub_ms), 3) if hub_ms else None,
        "mean_actors": round(statistics.mean(n for n, _ in sizes), 1),
        "mean_events": round(statistics.mean(e for _, e in sizes), 1),
        "max_events": max(e for _, e in sizes),
    }
    return figures, slowest


class TimedStore:
    """A store that records how long each SELECT takes (rows included), to split a
    build or an update into its store part and its projection part."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seconds: list[float] = []

    def select(self, sparql: str) -> list[dict[str, str | None]]:
        seconds, rows = timed(partial(self.store.select, sparql))
        self.seconds.append(seconds)
        return rows

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def measure_update(
    network: ActorNetwork, store: Store, removed: set[str], written: set[str], batch: Batch
) -> dict[str, Any]:
    """Time ``update_events`` with what storing ``batch`` in ``store`` removed and wrote."""
    before = network.summary()
    timed_store = TimedStore(store)
    seconds, added = timed(partial(network.update_events, timed_store, removed, written))
    after = network.summary()
    if not added:
        raise AssertionError("the update added no event: is the store's layout the one read?")
    query_seconds = sum(timed_store.seconds)
    return {
        "articles": len(batch.article_dates),
        "mentions": len(batch.edges),
        "events_written": len(written),
        "events_added": added,
        "actors_added": after["actors"] - before["actors"],
        "ms": round(seconds * 1000, 3),
        "sparql_ms": round(query_seconds * 1000, 3),
        "queries": len(timed_store.seconds),
        "network_ms": round((seconds - query_seconds) * 1000, 3),
        "met": seconds * 1000 < UPDATE_GOAL_MS,
    }


def path_after_update(
    network: ActorNetwork, batch: Batch, known: list[str], rng: random.Random
) -> dict[str, Any]:
    """One path query right after the update, from an actor the update brought in."""
    simple = network.simple(directed=False)
    fresh = sorted(iri for iri in batch.actors if "-new-" in iri) or sorted(batch.actors)
    source = fresh[0]
    target = rng.choice([a for a in known if a != source])
    seconds, result = timed(lambda: network.paths(source, target, MAX_HOPS, K_PATHS))
    uses_update = any(
        event["article"] in batch.article_dates
        for path in result
        for hop in path.hops
        for event in hop.events
    )
    return {
        "source": source,
        "target": target,
        "ms": round(seconds * 1000, 3),
        "paths": len(result),
        "uses_updated_events": uses_update,
        "same_graph_object": network.simple(directed=False) is simple,
    }


def measure_from_store(store: Store) -> dict[str, Any]:
    """``from_store`` timed, with its two queries (NODES_QUERY, EDGES_QUERY) apart."""
    gc.collect()
    timed_store = TimedStore(store)
    seconds, network = timed(partial(ActorNetwork.from_store, timed_store))
    nodes_seconds, edges_seconds = timed_store.seconds
    return {
        **network.summary(),
        "quads_in_store": store.count(),
        "seconds": round(seconds, 3),
        "nodes_query_seconds": round(nodes_seconds, 3),
        "edges_query_seconds": round(edges_seconds, 3),
        "projection_seconds": round(seconds - nodes_seconds - edges_seconds, 3),
    }


def profile(call: Callable[[], Any], top: int) -> str:
    """The ``top`` entries of a cProfile of ``call``, by cumulative time."""
    profiler = cProfile.Profile()
    profiler.runcall(call)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# ---------------------------------------------------------------------------------
# The run


STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    rng = random.Random(args.seed)
    reference = open_store("memory")
    ensure_reference_graphs(reference, BASE)
    codes = cameo_codes(reference)
    vocab = vocabulary(rng, args.actors, args.zipf, codes)

    log(f"generating {args.events:,} events over {args.actors:,} actors…")
    rss_start = rss_mb()
    generate_seconds, batch = timed(partial(generate, rng, vocab, args.events, "synthetic"))
    actors = actor_rows(batch)
    gc.collect()
    rss_inputs = rss_mb()

    log("building the network (from_events)…")
    build_seconds, network = timed(partial(ActorNetwork.from_events, actors, batch.edges))
    gc.collect()
    rss_built = rss_mb()
    summary = network.summary()
    degrees = sorted((d for _, d in network.simple(directed=False).degree()), reverse=True)
    build = {
        **summary,
        "articles": len(batch.article_dates),
        "generate_seconds": round(generate_seconds, 2),
        "seconds": round(build_seconds, 2),
        "events_per_s": round(summary["events"] / build_seconds),
        "rss_inputs_mb": round(rss_inputs - rss_start, 1),
        "rss_build_delta_mb": round(rss_built - rss_inputs, 1),
        "memory_method": "RSS growth over the build, /proc/self/statm (inputs already held)",
        "rss_after_build_mb": round(rss_built, 1),
        "top_event_counts": sorted((d for _, d in network.graph.degree()), reverse=True)[:5],
        "top_neighbour_counts": degrees[:5],
        "median_neighbours": statistics.median(degrees),
        "simple_edges_undirected": network.simple(directed=False).number_of_edges(),
        "simple_edges_directed": network.simple(directed=True).number_of_edges(),
    }

    query_rng = random.Random(args.seed + 1)
    participants = sorted(network.graph)
    pairs = [tuple(query_rng.sample(participants, 2)) for _ in range(args.queries)]
    log(f"{len(pairs)} path queries, undirected and directed…")
    undirected, slowest_pair = measure_paths(network, pairs, directed=False)
    directed, _ = measure_paths(network, pairs, directed=True)

    events_of = network.graph.degree
    by_events = sorted(participants, key=lambda a: (-events_of(a), a))
    n_hubs = max(1, args.ego_queries // 10)
    hubs = by_events[:n_hubs]
    ego_actors = hubs + query_rng.sample(participants, max(0, args.ego_queries - n_hubs))
    query_rng.shuffle(ego_actors)
    log(f"{len(ego_actors)} ego networks, depth 1 and 2…")
    ego1, slowest_ego = measure_ego(network, ego_actors, set(hubs), depth=1)
    ego2, _ = measure_ego(network, ego_actors, set(hubs), depth=2)

    log(f"update: {args.update_articles} new articles ingested into an in-memory store…")
    update_rng = random.Random(args.seed + 2)
    n_update = args.update_articles * UPDATE_EVENTS_PER_ARTICLE
    size = (UPDATE_EVENTS_PER_ARTICLE, UPDATE_EVENTS_PER_ARTICLE)
    first = generate(
        update_rng, vocab, n_update, "update-a", article_size=size, new_actor_share=NEW_ACTOR_SHARE
    )
    small_store = open_store("memory")
    ingest_seconds, ingested = timed(partial(ingest_batch, small_store, first))
    new_edges = [event_edge(row) for row in small_store.select(EDGES_QUERY)]
    update = measure_update(
        network, small_store, ingested.events_removed, ingested.events_written, first
    )
    if update["events_added"] != len(new_edges):
        raise AssertionError(
            f"the update added {update['events_added']} events, the store holds {len(new_edges)}"
        )
    update["store_events"] = len(new_edges)
    update["store_quads"] = small_store.count()
    update["ingest_seconds"] = round(ingest_seconds, 2)
    after = path_after_update(network, first, participants, update_rng)

    log(
        f"a store of the network's first {args.store_events:,} events and "
        f"{args.update_articles} more new articles…"
    )
    second = generate(
        update_rng, vocab, n_update, "update-b", article_size=size, new_actor_share=NEW_ACTOR_SHARE
    )
    big_store = open_store("memory")
    store_seconds, merged = timed(
        partial(bulk_store, big_store, [(batch, args.store_events), (second, None)])
    )
    log("from_store…")
    from_store = measure_from_store(big_store)
    from_store["mentions_stored"] = sum(len(e.mentions) for e in merged)
    from_store["store_seconds"] = round(store_seconds, 2)
    removed, written = ingest_outcome(merged, second)
    log("update against that store…")
    update_big = measure_update(network, big_store, removed, written, second)
    update_big["store_events"] = from_store["events"]
    update_big["store_quads"] = from_store["quads_in_store"]

    profiles: dict[str, str] = {}
    if args.profile:
        log("profiling…")
        profiles["slowest undirected path query"] = profile(
            partial(network.paths, *slowest_pair, MAX_HOPS, K_PATHS), args.profile
        )
        profiles["slowest ego query (depth 1)"] = profile(
            partial(network.ego, slowest_ego, depth=1, max_actors=EGO_MAX_ACTORS), args.profile
        )
        profiles["update_events against the larger store (again)"] = profile(
            partial(network.update_events, big_store, removed, written), args.profile
        )

    log("full rebuild (from_events over the network's events and the update's)…")
    new_actors = small_store.select(NODES_QUERY)
    del network
    gc.collect()
    rebuild_seconds, rebuilt = timed(
        partial(ActorNetwork.from_events, actors + new_actors, batch.edges + new_edges)
    )
    full = {
        **rebuilt.summary(),
        "seconds": round(rebuild_seconds, 2),
        "update_ratio": round(update["ms"] / 1000 / rebuild_seconds, 6),
    }
    del rebuilt, batch
    gc.collect()

    return {
        "benchmark": "kg.network.projection.ActorNetwork on a synthetic actor network",
        "machine": machine(),
        "networkx": nx.__version__,
        "seed": args.seed,
        "actors_requested": args.actors,
        "events_requested": args.events,
        "zipf": args.zipf,
        "goals": {"path_median_ms": PATH_GOAL_MS, "update_ms": UPDATE_GOAL_MS},
        "build": build,
        "paths": {
            "max_hops": MAX_HOPS,
            "k": K_PATHS,
            "undirected": undirected,
            "directed": directed,
        },
        "ego": {"max_actors": EGO_MAX_ACTORS, "depth_1": ego1, "depth_2": ego2},
        "update": update,
        "path_after_update": after,
        "update_larger_store": update_big,
        "full_rebuild": full,
        "from_store": from_store,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        "profiles": profiles,
    }


def print_report(report: dict[str, Any], out: TextIO) -> None:
    info, build = report["machine"], report["build"]
    print(
        f"kg.network.projection · networkx {report['networkx']} · python {info['python']} · "
        f"{info['cpu_count']} CPUs · seed {report['seed']} · Zipf exponent {report['zipf']}",
        file=out,
    )
    print(
        f"\n## build: {build['actors']:,} actors, {build['events']:,} events in "
        f"{build['articles']:,} articles (generated in {build['generate_seconds']} s)",
        file=out,
    )
    print(
        f"from_events: {build['seconds']} s ({build['events_per_s']:,} events/s); "
        f"RSS +{build['rss_build_delta_mb']:,} MB over the build (inputs already held: "
        f"{build['rss_inputs_mb']:,} MB; /proc/self/statm)",
        file=out,
    )
    print(
        f"busiest actors' events: {build['top_event_counts']}; neighbours: "
        f"{build['top_neighbour_counts']} (median {build['median_neighbours']}); "
        f"simple edges {build['simple_edges_undirected']:,} undirected, "
        f"{build['simple_edges_directed']:,} directed",
        file=out,
    )
    paths = report["paths"]
    print(f"\n## paths (max_hops={paths['max_hops']}, k={paths['k']})", file=out)
    print("| mode | queries | found | median ms | p99 ms | max ms | median < 50 ms |", file=out)
    print("|---|---:|---:|---:|---:|---:|---|", file=out)
    for mode in ("undirected", "directed"):
        p = paths[mode]
        print(
            f"| {mode} | {p['queries']} | {p['found']} | {p['median_ms']:.2f} | "
            f"{p['p99_ms']:.2f} | {p['max_ms']:.2f} | {'yes' if p['median_met'] else 'NO'} |",
            file=out,
        )
    ego = report["ego"]
    print(f"\n## ego networks (max_actors={ego['max_actors']})", file=out)
    print(
        "| depth | queries | median ms | p99 ms | hubs | hub median ms | hub max ms "
        "| mean actors | mean events | max events |",
        file=out,
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|", file=out)
    for depth in (1, 2):
        e = ego[f"depth_{depth}"]
        print(
            f"| {depth} | {e['queries']} | {e['median_ms']:.2f} | {e['p99_ms']:.2f} | "
            f"{e['hubs']} | {e['hub_median_ms']:.2f} | {e['hub_max_ms']:.2f} | "
            f"{e['mean_actors']:,} | {e['mean_events']:,} | {e['max_events']:,} |",
            file=out,
        )
    update, after, big, full = (
        report["update"],
        report["path_after_update"],
        report["update_larger_store"],
        report["full_rebuild"],
    )
    print("\n## incremental update (update_events)", file=out)
    for name, u in (("store of the new articles only", update), ("larger store", big)):
        print(
            f"{name} ({u['store_events']:,} events, {u['store_quads']:,} quads): "
            f"{u['articles']} articles, {u['mentions']:,} mentions, {u['events_added']:,} events "
            f"and {u['actors_added']} actors added in {u['ms']:.1f} ms "
            f"(SPARQL {u['sparql_ms']:.1f} ms in {u['queries']} queries, "
            f"network {u['network_ms']:.1f} ms) — < 1 s: {'met' if u['met'] else 'NOT met'}",
            file=out,
        )
    print(
        f"path query right after: {after['ms']:.2f} ms, {after['paths']} paths, "
        f"uses the update's events: {after['uses_updated_events']}, "
        f"same graph object (no rebuild): {after['same_graph_object']}",
        file=out,
    )
    print(
        f"full rebuild (from_events, {full['events']:,} events): {full['seconds']} s; "
        f"ratio update / rebuild {full['update_ratio']:.4f}",
        file=out,
    )
    store = report["from_store"]
    print(
        f"\n## from_store: {store['mentions_stored']:,} mentions stored as "
        f"{store['events']:,} events ({store['quads_in_store']:,} quads, in "
        f"{store['store_seconds']} s)",
        file=out,
    )
    print(
        f"from_store {store['seconds']} s: NODES_QUERY {store['nodes_query_seconds']} s, "
        f"EDGES_QUERY {store['edges_query_seconds']} s, projection "
        f"{store['projection_seconds']} s; {store['actors']:,} actors, {store['events']:,} events",
        file=out,
    )
    print("\n## targets", file=out)
    undirected = paths["undirected"]
    print(
        f"path query median < {PATH_GOAL_MS:.0f} ms: "
        f"{'met' if undirected['median_met'] else 'NOT met'} ({undirected['median_ms']:.2f} ms "
        f"undirected; directed {paths['directed']['median_ms']:.2f} ms: "
        f"{'met' if paths['directed']['median_met'] else 'NOT met'})",
        file=out,
    )
    print(
        f"incremental update < {UPDATE_GOAL_MS / 1000:.0f} s: "
        f"{'met' if update['met'] else 'NOT met'} ({update['ms']:.1f} ms)",
        file=out,
    )
    print(
        f"\ntotal {report['total_seconds']} s; peak RSS {report['peak_rss_mb']:,} MB",
        file=out,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--actors", type=int, default=100_000, help="actors in the network")
    parser.add_argument("--events", type=int, default=1_000_000, help="events in the network")
    parser.add_argument("--queries", type=int, default=200, help="path queries (each mode)")
    parser.add_argument("--ego-queries", type=int, default=50, help="ego queries (each depth)")
    parser.add_argument(
        "--update-articles", type=int, default=100, help="new articles (10 events each)"
    )
    parser.add_argument(
        "--store-events", type=int, default=50_000, help="events in the from_store store"
    )
    parser.add_argument("--zipf", type=float, default=1.0, help="exponent of actor popularity")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generator")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="print N cProfile entries to stderr"
    )
    args = parser.parse_args(argv)
    counts = (args.actors, args.events, args.update_articles, args.store_events)
    if min(counts) < 1 or args.zipf < 0:
        parser.error("--actors, --events, --update-articles, --store-events: >= 1; --zipf >= 0")
    if args.actors < 2 or min(args.queries, args.ego_queries) <= WARMUP_QUERIES:
        parser.error(f"need --actors >= 2, and --queries and --ego-queries > {WARMUP_QUERIES}")
    report = run(args)
    for name, text in report["profiles"].items():
        log(f"\n### cProfile: {name}\n{text}")
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
