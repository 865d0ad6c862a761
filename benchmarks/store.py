"""Load throughput and SPARQL latency of ``kg.graph.store`` against pyoxigraph used directly.

A seeded generator writes synthetic event graphs shaped like the ones ``kg ingest``
builds (``kg/rdf.py``): the ontology and CAMEO scheme (``ontology/kg.ttl``,
``ontology/cameo.ttl``) and the gazetteer (``ontology/gazetteer.ttl``) in their
reference graphs, then one named graph per article (about 10 reports each) holding
the article node and its mentions (type, source, target, eventCode, eventRoot,
trigger, confidence, sentence, offsets, dateInferred, eventDate over 2019-2020,
location, surface forms, ``prov:wasDerivedFrom``); in the events graph one event per
mention (the coding, counts, ``hasMention``, ``firstMention``) and the direct
``source —kgo:<rootProperty>→ target`` triple (``kg.graph.vocab.ROOT_PROPERTIES``); and a
description of each minted actor (person, sector) the article uses. Actors are picked
with a Zipf-like skew, so a few (the United States, Iran…) take part in many events.
Each size (in quads) is written once to an N-Quads file in a temporary directory; the
same seed and the same ``ontology/`` files give the same file.

For each size it measures, in one run on one machine:

* **load**: triples per second into a fresh on-disk store, through ``kg.graph.store`` the
  way ``kg import`` loads (``OxigraphGraphStore(path).load(file)``, then ``flush``)
  and through pyoxigraph directly (``pyoxigraph.Store(path).bulk_load(...)``, then
  ``flush``) on the same file. Each load runs in a fresh child process (so each
  reports its own peak RSS), ``--load-repeat`` times in alternating order; the
  median is reported and the ratio ``kg / direct`` (goal: at least 0.5).
* **queries**: the median and 90th percentile latency of five representative SPARQL
  SELECT queries over ``--repeat`` runs after one warm-up, on one on-disk store (the
  last one loaded, opened once as an ``OxigraphGraphStore``; the direct runs use its
  ``pyoxigraph.Store`` object): through ``OxigraphGraphStore.select`` and
  through ``Store.query(q, use_default_graph_as_union=True)`` with every row consumed
  and every value turned into a ``str`` (``.value``), as ``select`` does. kg and
  direct alternate order on every repetition. The ratio is ``kg / direct`` median
  (goal: at most 1.5 at 1M triples); both must return the same number of rows.
  Queries 1, 4 and 5 use DISTINCT: Oxigraph 0.5's union default graph keeps one copy of
  a triple per named graph (oxigraph/oxigraph#1919, fixed after 0.5), and kg describes
  a minted actor again in every article graph that uses it (``kg.graph.rdf._add_actor``), so
  its label would repeat.

Run from the repository root::

    .venv/bin/python benchmarks/store.py [--json] [--sizes 100000,1000000]
        [--repeat 20] [--load-repeat 3] [--seed 7] [--tmp DIR]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import hashlib
import json
import math
import multiprocessing
import os
import platform
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pyoxigraph as ox  # noqa: E402
import rdflib  # noqa: E402

from kg.graph.rdf import Minter  # noqa: E402
from kg.graph.store import OxigraphGraphStore  # noqa: E402
from kg.graph.vocab import ACTOR, CAMEO, KGO, ROOT_PROPERTIES  # noqa: E402
from kg.settings import ONTOLOGY_DIR, Settings  # noqa: E402

BASE = str(Settings.model_fields["base_iri"].default)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCTERMS = "http://purl.org/dc/terms/"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
SDO_URL = "https://schema.org/url"
K = str(KGO._NS)

#: Reference graphs as ``kg.ingest`` loads them: (graph name under the base IRI, files).
REFERENCE_GRAPHS = (
    ("graph/ontology", ("kg.ttl", "cameo.ttl")),
    ("graph/gazetteer", ("gazetteer.ttl",)),
)
#: Actors the queries name, first in the popularity ranking.
KEY_ACTORS = ("USA", "IRN", "IRQ", "ISR", "RUS", "CHN", "SAU", "SYR", "TUR", "GBR", "FRA")
#: Rough share of events per CAMEO root in news event data (GDELT-like skew).
ROOT_WEIGHTS = {
    "01": 20, "02": 3, "03": 8, "04": 18, "05": 6, "06": 2, "07": 2, "08": 2, "09": 2,
    "10": 2, "11": 5, "12": 2, "13": 2, "14": 2, "15": 1, "16": 1, "17": 6, "18": 3,
    "19": 7, "20": 1,
}  # fmt: skip
SECTORS = {
    "military": "Military",
    "rebels": "ArmedGroup",
    "civilians": "Other",
    "opposition": "Party",
    "media": "Media",
}
FIRST_NAMES = ("Ali", "John", "Maria", "Hassan", "Olga", "Wei", "Fatima", "Ahmed", "Anna")
LAST_NAMES = ("Rahimi", "Smith", "Ivanova", "Khan", "Chen", "Haddad", "Novak", "Silva")
WORDS = (
    "the", "officials", "said", "on", "tuesday", "that", "forces", "near", "border", "region",
    "talks", "government", "statement", "after", "attack", "week", "minister", "spokesman",
    "according", "to", "reports", "capital", "agency", "news", "security", "council",
    "sanctions", "deal", "nuclear", "troops", "strike", "protest", "leaders", "meeting",
    "agreement", "warned", "called", "for", "response", "crisis",
)  # fmt: skip
OUTLETS = ("Reuters", "AFP", "AP", "BBC", "Al Jazeera", "Xinhua", "TASS")

P = "PREFIX kgo: <https://w3id.org/kg-geo/ontology#>\n"
P += "PREFIX actor: <https://w3id.org/kg-geo/actor/>\n"
P += "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
P += "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
_ROOT_PATHS = [f"kgo:{ROOT_PROPERTIES[root].removeprefix(K)}" for root in sorted(ROOT_PROPERTIES)]
#: One undirected hop over the 20 interaction properties (sub-properties are not inferred).
HOP = "(" + "|".join(_ROOT_PATHS + [f"^{path}" for path in _ROOT_PATHS]) + ")"

QUERIES: dict[str, str] = {
    "events of an actor, with labels": P
    + """SELECT DISTINCT ?event ?code ?date ?other ?label WHERE {
  ?event a kgo:Event .
  { ?event kgo:source actor:IRN ; kgo:target ?other }
  UNION { ?event kgo:target actor:IRN ; kgo:source ?other }
  ?event kgo:eventCode ?code .
  OPTIONAL { ?event kgo:eventDate ?date }
  OPTIONAL { ?other skos:prefLabel ?label }
}""",
    "counts by root": P
    + """SELECT ?root ?label (COUNT(?event) AS ?n) WHERE {
  ?event a kgo:Event ; kgo:eventRoot ?root .
  ?root skos:prefLabel ?label .
} GROUP BY ?root ?label ORDER BY DESC(?n)""",
    "events between two actors, date range": P
    + """SELECT ?event ?source ?code ?date ?trigger WHERE {
  VALUES (?source ?target) { (actor:USA actor:IRN) (actor:IRN actor:USA) }
  ?event a kgo:Mention ; kgo:source ?source ; kgo:target ?target ; kgo:eventDate ?date ;
         kgo:eventCode ?code ; kgo:trigger ?trigger .
  FILTER (?date >= "2019-06-01"^^xsd:date && ?date < "2020-03-01"^^xsd:date)
} ORDER BY ?date""",
    "actors within two hops (path)": P
    + f"""SELECT DISTINCT ?actor ?label WHERE {{
  actor:ISR {HOP}/{HOP}? ?actor .
  FILTER (?actor != actor:ISR)
  OPTIONAL {{ ?actor skos:prefLabel ?label }}
}}""",
    "label search": P
    + """SELECT DISTINCT ?actor ?label ?type WHERE {
  ?actor skos:prefLabel ?label ; a ?type .
  FILTER (CONTAINS(LCASE(STR(?label)), "iran"))
}""",
}


# ---------------------------------------------------------------------------------
# The synthetic data


@dataclass(frozen=True, slots=True)
class ActorSpec:
    iri: str
    label: str
    type: str  # a kgo class name
    country: str | None  # an ISO alpha-3 code
    minted: bool  # described in the article graphs that use it (kg.graph.rdf's _add_actor)


@dataclass
class Vocabulary:
    """What the generator draws from: actors by popularity, CAMEO codes, triggers."""

    actors: list[ActorSpec]
    actor_weights: list[float]  # cumulative
    codes_by_root: dict[str, list[str]]
    triggers: dict[str, list[str]]


def _lit(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def _typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def reference_quads() -> list[ox.Quad]:
    """The ontology, CAMEO scheme and gazetteer in their named graphs, as kg loads them."""
    quads: list[ox.Quad] = []
    for name, files in REFERENCE_GRAPHS:
        graph = ox.NamedNode(f"{BASE}{name}")
        for file in files:
            for triple in ox.parse(path=str(ONTOLOGY_DIR / file), format=ox.RdfFormat.TURTLE):
                quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
    return quads


def vocabulary(rng: random.Random, n_minted: int, quads: list[ox.Quad]) -> Vocabulary:
    """Gazetteer actors plus ``n_minted`` person and sector actors, ranked by popularity."""
    types: dict[str, str] = {}
    labels: dict[str, str] = {}
    countries: dict[str, str] = {}
    for quad in quads:
        subject, predicate, obj = quad.subject.value, quad.predicate.value, quad.object.value
        if not subject.startswith(str(ACTOR)):
            continue
        if predicate == RDF_TYPE and obj.startswith(K):
            types[subject] = obj.removeprefix(K)
        elif predicate == f"{SKOS}prefLabel":
            labels[subject] = obj
        elif predicate == f"{K}country":
            countries[subject] = obj.removeprefix(str(ACTOR))
    known = [
        ActorSpec(iri, labels[iri], kind, countries.get(iri), minted=False)
        for iri, kind in sorted(types.items())
        if iri in labels
    ]
    states = [actor for actor in known if actor.type == "State"]
    minted: dict[str, ActorSpec] = {}
    for i in range(n_minted):
        state = states[min(int(rng.paretovariate(1.0)) - 1, len(states) - 1)]
        country = state.country or "XXX"
        if i % 3:  # one actor per state and sector, like kg.actors.resolution.sector_actor
            sector = rng.choice(sorted(SECTORS))
            iri = f"{BASE}actor/sector/{country.lower()}-{sector}"
            label, kind = f"{state.label} ({sector})", SECTORS[sector]
        else:  # a person the gazetteer does not know, like kg.actors.resolution.mint_actor
            label = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {i}"
            iri, kind = f"{BASE}actor/person/{label.lower().replace(' ', '-')}", "Person"
        minted.setdefault(iri, ActorSpec(iri, label, kind, country, minted=True))
    key = {f"{ACTOR}{code}": rank for rank, code in enumerate(KEY_ACTORS)}
    head = sorted((a for a in known if a.iri in key), key=lambda a: key[a.iri])
    rest = [a for a in known if a.iri not in key] + list(minted.values())
    rng.shuffle(rest)
    actors = head + rest
    cumulative, total = [], 0.0
    for rank in range(len(actors)):
        total += 1.0 / (rank + 1) ** 0.9
        cumulative.append(total)

    codes_by_root: dict[str, list[str]] = defaultdict(list)
    for line in (ONTOLOGY_DIR / "cameo-codes.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        if line and not line.startswith("#"):
            code = line.split("\t", 1)[0]
            codes_by_root[code[:2]].append(code)
    triggers: dict[str, list[str]] = defaultdict(list)
    for line in (ONTOLOGY_DIR / "cameo-triggers.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        if line and not line.startswith("#"):
            _pos, lemma, _context, code = line.split("\t")[:4]
            if len(triggers[code]) < 20:
                triggers[code].append(lemma)
    return Vocabulary(actors, cumulative, dict(codes_by_root), dict(triggers))


def _event_lines(
    rng: random.Random, vocab: Vocabulary, article_iri: str, graph: str, article_id: str, n: int
) -> Iterator[str]:
    """The quads of ``n`` reports of one article (kg.graph.rdf's mentions, in the article's
    graph), of the event each reports (kg.graph.rdf's event_triples, in the events graph;
    one report per event) and of the minted actors they use."""
    roots = sorted(ROOT_WEIGHTS)
    root_weights = [ROOT_WEIGHTS[r] for r in roots]
    described: set[str] = set()
    g = f" <{graph}> .\n"
    start = dt.date(2019, 1, 1)
    for index in range(n):
        source, target = rng.choices(vocab.actors, cum_weights=vocab.actor_weights, k=2)
        has_target = rng.random() < 0.9 and target.iri != source.iri
        root = rng.choices(roots, root_weights)[0]
        code = rng.choice(vocab.codes_by_root[root])
        trigger = rng.choice(vocab.triggers.get(code) or vocab.triggers.get(root) or ["act"])
        sentence_start = rng.randrange(0, 4000)
        words = rng.choices(WORDS, k=rng.randrange(8, 30))
        object_label = f" {target.label}" if has_target else ""
        sentence = f"{source.label} {trigger}{object_label} {' '.join(words)}."
        trigger_start = sentence_start + len(source.label) + 1
        key = f"{article_id}|{trigger_start}|{source.iri}|{target.iri}|{code}|{index}"
        digest = hashlib.sha1(key.encode()).hexdigest()[:20]
        mention, event = f"<{BASE}mention/{digest}>", f"<{BASE}event/{digest}>"
        confidence = _typed(f"{rng.uniform(0.4, 1.0):.3f}", "decimal")
        inferred = _typed("true" if rng.random() < 0.3 else "false", "boolean")
        coding = [
            f"<{K}source> <{source.iri}>",
            f"<{K}eventCode> <{CAMEO}{code}>",
            f"<{K}eventRoot> <{CAMEO}{root}>",
            f"<{K}confidence> {confidence}",
            f"<{K}dateInferred> {inferred}",
        ]
        if rng.random() < 0.95:
            date = start + dt.timedelta(days=rng.randrange(731))
            coding.append(f"<{K}eventDate> {_typed(date.isoformat(), 'date')}")
        if rng.random() < 0.4:
            coding.append(f"<{K}location> {_lit(rng.choice(vocab.actors[:60]).label)}")
        if has_target:
            coding.append(f"<{K}target> <{target.iri}>")
        end = trigger_start + len(trigger)
        yield f"{mention} <{RDF_TYPE}> <{K}Mention>{g}"
        for statement in coding:
            yield f"{mention} {statement}{g}"
        yield f"{mention} <{K}trigger> {_lit(trigger)}{g}"
        yield f"{mention} <{K}sentence> {_lit(sentence)}{g}"
        yield f"{mention} <{K}sentenceStart> {_typed(sentence_start, 'integer')}{g}"
        yield f"{mention} <{K}sentenceEnd> {_typed(sentence_start + len(sentence), 'integer')}{g}"
        yield f"{mention} <{K}triggerStart> {_typed(trigger_start, 'integer')}{g}"
        yield f"{mention} <{K}triggerEnd> {_typed(end, 'integer')}{g}"
        yield f"{mention} <{PROV_DERIVED}> {article_iri}{g}"
        yield f"{mention} <{K}sourceText> {_lit(source.label)}{g}"
        if has_target:
            yield f"{mention} <{K}targetText> {_lit(target.label)}{g}"
        e = f" <{BASE}graph/events> .\n"
        yield f"{event} <{RDF_TYPE}> <{K}Event>{e}"
        for statement in coding:
            yield f"{event} {statement}{e}"
        for count in ("mentionCount", "articleCount", "sourceCount"):
            yield f"{event} <{K}{count}> {_typed(1, 'integer')}{e}"
        yield f"{event} <{K}hasMention> {mention}{e}"
        yield f"{event} <{K}firstMention> {mention}{e}"
        if has_target:
            yield f"<{source.iri}> <{ROOT_PROPERTIES[root]}> <{target.iri}>{e}"
        for actor in (source, target) if has_target else (source,):
            if actor.minted and actor.iri not in described:
                described.add(actor.iri)
                node = f"<{actor.iri}>"
                yield f"{node} <{RDF_TYPE}> <{K}{actor.type}>{g}"
                yield f"{node} <{SKOS}prefLabel> {_lit(actor.label)}@en{g}"
                if actor.country:
                    yield f"{node} <{K}country> <{ACTOR}{actor.country}>{g}"


def generate(path: Path, size: int, seed: int) -> int:
    """Write about ``size`` quads (at least) to ``path`` (N-Quads); returns the count."""
    rng = random.Random(seed)
    reference = reference_quads()
    vocab = vocabulary(rng, n_minted=max(200, size // 500), quads=reference)
    minter = Minter(BASE)
    with path.open("wb") as binary:
        ox.serialize(reference, binary, ox.RdfFormat.N_QUADS)
    written = len(reference)
    with path.open("a", encoding="utf-8") as out:
        article = 0
        while written < size:
            article += 1
            written += _write_article(out, rng, vocab, minter, article)
    return written


def _write_article(
    out: TextIO, rng: random.Random, vocab: Vocabulary, minter: Minter, number: int
) -> int:
    article_id = f"synthetic-{number:07d}"
    node = f"<{minter.article(article_id)}>"
    graph = str(minter.graph(article_id))
    g = f" <{graph}> .\n"
    date = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(731))
    lines = [
        f"{node} <{RDF_TYPE}> <{K}Article>{g}",
        f"{node} <{DCTERMS}identifier> {_lit(article_id)}{g}",
        f"{node} <{DCTERMS}title> {_lit(' '.join(rng.choices(WORDS, k=8)).capitalize())}{g}",
        f"{node} <{DCTERMS}date> {_typed(date.isoformat(), 'date')}{g}",
        f"{node} <{DCTERMS}source> {_lit(rng.choice(OUTLETS))}{g}",
        f"{node} <{SDO_URL}> {_typed(f'https://news.example/{article_id}', 'anyURI')}{g}",
    ]
    lines.extend(_event_lines(rng, vocab, node, graph, article_id, rng.randrange(5, 16)))
    out.writelines(lines)
    return len(lines)


# ---------------------------------------------------------------------------------
# Measurements


def _rss_mb() -> float:
    """The current resident set size, in MB (0 where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _load_child(how: str, data: str, directory: str) -> dict[str, float]:
    """Load ``data`` into a fresh store at ``directory`` (run in a child process)."""
    started = time.perf_counter()
    if how == "kg":
        store = OxigraphGraphStore(Path(directory))
        store.load(Path(data))
        store.flush()
        raw = store.oxigraph
    else:
        raw = ox.Store(directory)
        raw.bulk_load(path=data, format=ox.RdfFormat.N_QUADS)
        raw.flush()
    seconds = time.perf_counter() - started
    rss = _rss_mb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "quads": float(len(raw)), "rss_mb": rss, "peak_rss_mb": peak}


def _load_in_child(how: str, data: Path, directory: Path) -> dict[str, float]:
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_load_child, how, str(data), str(directory)).result()


@dataclass
class LoadResult:
    seconds: dict[str, list[float]] = field(default_factory=lambda: {"kg": [], "direct": []})
    rss_mb: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    quads: dict[str, int] = field(default_factory=dict)


def measure_load(data: Path, work: Path, repeat: int) -> tuple[LoadResult, Path]:
    """Alternating kg/direct loads into fresh stores; keeps the last store for the queries.

    Both loaders run the same Oxigraph bulk loader, so the stores are identical; every
    other store is deleted (and the disk synced) before the next load, so that no load
    pays for writing back the previous one.
    """
    result = LoadResult()
    kept: Path | None = None
    for run in range(repeat):
        order = ("kg", "direct") if run % 2 == 0 else ("direct", "kg")
        for how in order:
            if kept is not None:
                shutil.rmtree(kept)
            os.sync()
            kept = work / f"store-{how}-{run}"
            figures = _load_in_child(how, data, kept)
            result.seconds[how].append(figures["seconds"])
            result.rss_mb[how] = max(result.rss_mb.get(how, 0.0), figures["rss_mb"])
            result.peak_rss_mb[how] = max(result.peak_rss_mb.get(how, 0.0), figures["peak_rss_mb"])
            result.quads[how] = int(figures["quads"])
    assert kept is not None
    return result, kept


def _kg_rows(store: OxigraphGraphStore, sparql: str) -> int:
    return len(store.select(sparql))


def _direct_rows(store: ox.Store, sparql: str) -> int:
    results = store.query(sparql, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    rows = [tuple(None if term is None else term.value for term in row) for row in results]
    return len(rows)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure_queries(directory: Path, repeat: int) -> dict[str, dict[str, Any]]:
    """Median and p90 (ms) of each query through kg.graph.store and directly, same store."""
    store = OxigraphGraphStore(directory)
    raw = store.oxigraph
    runners: dict[str, Callable[[str], int]] = {
        "kg": lambda q: _kg_rows(store, q),
        "direct": lambda q: _direct_rows(raw, q),
    }
    figures: dict[str, dict[str, Any]] = {}
    for name, sparql in QUERIES.items():
        rows = {how: run(sparql) for how, run in runners.items()}  # warm-up
        if rows["kg"] != rows["direct"]:
            raise AssertionError(f"{name}: kg gave {rows['kg']} rows, direct {rows['direct']}")
        times: dict[str, list[float]] = {"kg": [], "direct": []}
        for run_index in range(repeat):
            order = ("kg", "direct") if run_index % 2 == 0 else ("direct", "kg")
            for how in order:
                started = time.perf_counter()
                runners[how](sparql)
                times[how].append((time.perf_counter() - started) * 1000)
        kg_median = statistics.median(times["kg"])
        direct_median = statistics.median(times["direct"])
        figures[name] = {
            "rows": rows["kg"],
            "kg_median_ms": round(kg_median, 3),
            "kg_p90_ms": round(_percentile(times["kg"], 0.9), 3),
            "direct_median_ms": round(direct_median, 3),
            "direct_p90_ms": round(_percentile(times["direct"], 0.9), 3),
            "ratio": round(kg_median / direct_median, 3),
        }
    store.close()
    return figures


def run_size(size: int, seed: int, repeat: int, load_repeat: int, tmp: Path) -> dict[str, Any]:
    """Generate, load and query one size; returns its figures."""
    with tempfile.TemporaryDirectory(prefix=f"kg-store-bench-{size}-", dir=tmp) as name:
        work = Path(name)
        data = work / "data.nq"
        started = time.perf_counter()
        quads = generate(data, size, seed)
        generate_seconds = time.perf_counter() - started
        data.read_bytes()  # into the page cache, so neither loader pays the first read
        load, kept = measure_load(data, work, load_repeat)
        kg_seconds = statistics.median(load.seconds["kg"])
        direct_seconds = statistics.median(load.seconds["direct"])
        queries = measure_queries(kept, repeat)
        return {
            "size": size,
            "quads_in_file": quads,
            "file_mb": round(data.stat().st_size / 1e6, 1),
            "quads_in_store": load.quads,
            "generate_seconds": round(generate_seconds, 2),
            "load": {
                "runs": load_repeat,
                "kg_seconds": round(kg_seconds, 3),
                "direct_seconds": round(direct_seconds, 3),
                "kg_triples_per_s": round(quads / kg_seconds),
                "direct_triples_per_s": round(quads / direct_seconds),
                "ratio": round(direct_seconds / kg_seconds, 3),
                "all_seconds": {k: [round(s, 3) for s in v] for k, v in load.seconds.items()},
                "rss_after_load_mb": {k: round(v, 1) for k, v in load.rss_mb.items()},
                "peak_rss_mb": {k: round(v, 1) for k, v in load.peak_rss_mb.items()},
            },
            "queries": queries,
        }


def machine() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "pyoxigraph": ox.__version__,
        "rdflib": rdflib.__version__,
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def print_table(report: dict[str, Any], out: TextIO) -> None:
    info = report["machine"]
    print(
        f"kg.graph.store vs pyoxigraph {info['pyoxigraph']} direct · python {info['python']} · "
        f"{info['cpu_count']} CPUs · load average {info['load_average']}",
        file=out,
    )
    for result in report["sizes"]:
        load = result["load"]
        print(
            f"\n## {result['size']:,} triples ({result['quads_in_file']:,} quads in file, "
            f"{result['file_mb']} MB N-Quads; generated in {result['generate_seconds']} s)",
            file=out,
        )
        print(
            f"load (median of {load['runs']}): kg {load['kg_triples_per_s']:,} triples/s "
            f"({load['kg_seconds']} s), direct {load['direct_triples_per_s']:,} triples/s "
            f"({load['direct_seconds']} s), ratio kg/direct {load['ratio']} (goal >= 0.5)",
            file=out,
        )
        rss, peak = load["rss_after_load_mb"], load["peak_rss_mb"]
        print(
            f"RSS after load: kg {rss['kg']} MB, direct {rss['direct']} MB "
            f"(peak {peak['kg']} / {peak['direct']} MB)",
            file=out,
        )
        header = "| query | rows | kg median ms | kg p90 | direct median ms | direct p90 | ratio |"
        print("\n" + header, file=out)
        print("|---|---:|---:|---:|---:|---:|---:|", file=out)
        for name, q in result["queries"].items():
            print(
                f"| {name} | {q['rows']:,} | {q['kg_median_ms']:.2f} | {q['kg_p90_ms']:.2f} | "
                f"{q['direct_median_ms']:.2f} | {q['direct_p90_ms']:.2f} | {q['ratio']:.2f} |",
                file=out,
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--sizes", default="100000,1000000", help="triples, comma-separated")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each query")
    parser.add_argument("--load-repeat", type=int, default=3, help="loads per loader and size")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generator")
    parser.add_argument("--tmp", type=Path, default=None, help="where the stores go (disk)")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.repeat < 1 or args.load_repeat < 1 or not sizes:
        parser.error("--repeat, --load-repeat and --sizes must be positive")
    results = []
    for size in sizes:
        if not args.json:
            print(f"size {size:,}…", file=sys.stderr, flush=True)
        results.append(run_size(size, args.seed, args.repeat, args.load_repeat, args.tmp))
    report = {
        "benchmark": "kg.graph.store vs pyoxigraph direct",
        "machine": machine(),
        "seed": args.seed,
        "repeat": args.repeat,
        "goals": {"load_ratio_min": 0.5, "query_ratio_max": 1.5},
        "sizes": results,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
