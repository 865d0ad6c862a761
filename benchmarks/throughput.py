"""Throughput of ``kg extract`` against the bare spaCy pipeline, on the same real text.

Measures, in one run and on one machine, words per second of

* **bare**: ``spacy.load(settings.spacy_model)`` with all its components,
  ``nlp.pipe(paragraphs, batch_size=settings.batch_size)`` with every doc consumed;
* **extract**: ``RuleExtractor.from_settings(Settings()).extract(articles)`` (what
  ``kg extract`` does: gazetteer entity ruler, parse, rules, actor resolution, dates)
  with every event consumed;

and their ratio ``extract / bare`` (DESIGN "Performance budgets": extraction costs at
most 25% on top of the bare pipeline; the goal is a ratio of at least 0.8).

The text is the seed article (``seeds/``) and every sentence of
``../shared/eval/plover_gsr.jsonl`` and ``../shared/eval/conflibert_cameo.jsonl``
(each sentence one article). The eval files carry their own licences: they are read
in place at run time, never copied into the project. Both systems parse the same
paragraphs (``kg.extraction.pipeline.split_paragraphs``, as the extractor does); words are the
non-punctuation, non-space tokens, counted once and used for both. Both pipelines
are loaded and warmed up before timing; each system runs ``--repeat`` times in
alternating order and the median is reported. The one-off start-up cost
(``spacy.load`` vs ``RuleExtractor.from_settings``) is reported apart, outside the
ratio.

Run from the repository root::

    .venv/bin/python benchmarks/throughput.py [--json] [--repeat N] [--limit N]
        [--eval-dir DIR] [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from kg.extraction.extractor import RuleExtractor
from kg.extraction.pipeline import split_paragraphs
from kg.models import Article, ReadProblem
from kg.reading.readers import read_articles
from kg.settings import Settings

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED = REPO_ROOT / "seeds" / "soleimani-2020-01-05.txt"
DEFAULT_EVAL_DIR = (REPO_ROOT.parent / "shared" / "eval").resolve()
EVAL_FILES = ("plover_gsr.jsonl", "conflibert_cameo.jsonl")  # field "text", id "id"
WARMUP_ARTICLES = 20


@dataclass(frozen=True, slots=True)
class Corpus:
    """The benchmark text: articles for the extractor, their paragraphs for bare spaCy."""

    articles: list[Article]
    paragraphs: list[str]
    sources: dict[str, int]  # articles per input file


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_corpus(eval_dir: Path, limit: int | None) -> Corpus:
    """The seed article plus the sentences of the eval files (at most ``limit`` per file)."""
    articles: list[Article] = []
    sources: dict[str, int] = {}
    for item in read_articles(SEED):
        if isinstance(item, ReadProblem):
            raise SystemExit(f"cannot read the seed article: {item}")
        articles.append(item)
    sources[SEED.name] = len(articles)
    for name in EVAL_FILES:
        path = eval_dir / name
        if not path.is_file():
            raise SystemExit(f"eval file not found: {path} (set --eval-dir)")
        count = 0
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if limit is not None and count >= limit:
                    break
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    log(f"{path}:{number}: malformed JSON ({error}), skipped")
                    continue
                text = record.get("text") if isinstance(record, dict) else None
                if not isinstance(text, str) or not text.strip():
                    log(f"{path}:{number}: no text, skipped")
                    continue
                articles.append(Article(id=str(record.get("id", f"{name}:{number}")), text=text))
                count += 1
        sources[name] = count
    paragraphs = [chunk for article in articles for _, chunk in split_paragraphs(article.text)]
    return Corpus(articles, paragraphs, sources)


def count_words(nlp: Language, paragraphs: Iterable[str]) -> int:
    """Non-punctuation, non-space tokens.

    ``is_punct`` and ``is_space`` are lexical flags and no component of the pipeline
    retokenises, so the tokenizer alone gives the count of the full pipeline's docs;
    the extractor's own count (``ArticleEvents.words``, from its parsed docs) is
    checked against it after the timed runs.
    """
    return sum(
        1 for text in paragraphs for t in nlp.make_doc(text) if not t.is_punct and not t.is_space
    )


def run_bare(
    nlp: Language, paragraphs: list[str], batch_size: int, n_process: int = 1
) -> dict[str, int]:
    docs = 0
    for _doc in nlp.pipe(paragraphs, batch_size=batch_size, n_process=n_process):
        docs += 1
    return {"docs": docs}


def run_extract(extractor: RuleExtractor, articles: list[Article]) -> dict[str, int]:
    events = words = count = 0
    for result in extractor.extract(articles):
        count += 1
        words += result.words
        for _event in result.events:
            events += 1
    return {"articles": count, "events": events, "words": words}


def code_version() -> str:
    """``git describe`` of the work tree (with ``-dirty``): kg/ may change between runs."""
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() or "unknown"


def timed(work: Callable[[], dict[str, int]]) -> tuple[float, dict[str, int]]:
    gc.collect()
    start = time.perf_counter()
    outcome = work()
    return time.perf_counter() - start, outcome


def profile_extraction(extractor: RuleExtractor, articles: list[Article], path: Path) -> str:
    """One extraction pass under cProfile; stats saved to ``path``, the top of ``kg/`` returned."""
    profiler = cProfile.Profile()
    profiler.enable()
    run_extract(extractor, articles)
    profiler.disable()
    profiler.dump_stats(str(path))
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    for order, limit in (("cumulative", 25), ("tottime", 15)):
        stats.sort_stats(order).print_stats(r"[/\\]kg[/\\]", limit)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Words/s of kg extract vs the bare spaCy pipeline on the same text."
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per system (median)")
    parser.add_argument(
        "--limit", type=int, default=None, help="use at most N sentences of each eval file"
    )
    parser.add_argument(
        "--eval-dir",
        type=Path,
        default=DEFAULT_EVAL_DIR,
        help=f"folder with {' and '.join(EVAL_FILES)} (default: {DEFAULT_EVAL_DIR})",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="after timing, profile one extraction pass with cProfile and save stats here",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    settings = Settings()
    corpus = load_corpus(args.eval_dir.resolve(), args.limit)
    log(
        f"{len(corpus.articles)} articles, {len(corpus.paragraphs)} paragraphs "
        f"({', '.join(f'{k}: {v}' for k, v in corpus.sources.items())})"
    )

    # Start-up: import the model package first so that neither timing pays for it.
    if not Path(settings.spacy_model).exists():
        importlib.import_module(settings.spacy_model)
    start = time.perf_counter()
    nlp = spacy.load(settings.spacy_model)
    spacy_load_s = time.perf_counter() - start
    start = time.perf_counter()
    extractor = RuleExtractor.from_settings(settings)
    from_settings_s = time.perf_counter() - start
    log(
        f"start-up: spacy.load {spacy_load_s:.2f} s, "
        f"RuleExtractor.from_settings {from_settings_s:.2f} s"
    )

    words = count_words(nlp, corpus.paragraphs)
    batch_size = settings.batch_size
    warm = corpus.articles[:WARMUP_ARTICLES]
    run_bare(nlp, [p for a in warm for _, p in split_paragraphs(a.text)], batch_size)
    run_extract(extractor, warm)

    # One process for the ratio to bare spaCy; two for the speed-up of parallel parsing.
    extractor.n_process = 1
    two = RuleExtractor(
        extractor.nlp,
        extractor.gazetteer,
        extractor.lexicon,
        extractor.cues,
        extractor.base_iri,
        batch_size,
        n_process=2,
    )
    systems: dict[str, Callable[[], dict[str, int]]] = {
        "bare": lambda: run_bare(nlp, corpus.paragraphs, batch_size, 1),
        "extract": lambda: run_extract(extractor, corpus.articles),
        "extract-2p": lambda: run_extract(two, corpus.articles),
    }
    seconds: dict[str, list[float]] = {name: [] for name in systems}
    outcomes: dict[str, dict[str, int]] = {}
    for round_ in range(args.repeat):
        order = list(systems) if round_ % 2 == 0 else list(reversed(systems))
        for name in order:
            elapsed, outcomes[name] = timed(systems[name])
            seconds[name].append(elapsed)
            log(f"run {round_ + 1}/{args.repeat} {name}: {elapsed:.2f} s")

    if outcomes["extract"]["words"] != words:
        log(
            f"warning: the extractor counted {outcomes['extract']['words']} words, "
            f"the bare pipeline {words}"
        )
    median = {name: statistics.median(times) for name, times in seconds.items()}
    rate = {name: words / median[name] for name in systems}
    ratio = rate["extract"] / rate["bare"]
    speedup = rate["extract-2p"] / rate["extract"]

    profile = None
    if args.profile is not None:
        profile = profile_extraction(extractor, corpus.articles, args.profile)
        log(f"cProfile stats of one extraction pass saved to {args.profile}")

    result: dict[str, Any] = {
        "words": words,
        "bare_words_per_s": round(rate["bare"], 1),
        "extract_words_per_s": round(rate["extract"], 1),
        "ratio": round(ratio, 3),
        "extract_2p_words_per_s": round(rate["extract-2p"], 1),
        "two_process_speedup": round(speedup, 3),
        "bare_seconds": round(median["bare"], 3),
        "extract_seconds": round(median["extract"], 3),
        "bare_runs": [round(s, 3) for s in seconds["bare"]],
        "extract_runs": [round(s, 3) for s in seconds["extract"]],
        "events": outcomes["extract"]["events"],
        "texts": len(corpus.articles),
        "paragraphs": len(corpus.paragraphs),
        "sources": corpus.sources,
        "repeat": args.repeat,
        "batch_size": batch_size,
        "n_process": 1,
        "model": settings.spacy_model,
        "spacy_version": spacy.__version__,
        "startup_spacy_load_s": round(spacy_load_s, 3),
        "startup_extractor_s": round(from_settings_s, 3),
        "code": code_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(result))
        if profile:
            log(profile)
        return 0

    print(
        f"model {settings.spacy_model} (spaCy {spacy.__version__}), {len(corpus.articles)} "
        f"texts, {len(corpus.paragraphs)} paragraphs, batch size {batch_size}, "
        f"median of {args.repeat}; code {result['code']}"
    )
    print(f"{'system':<12}{'words':>10}{'seconds':>10}{'words/s':>10}")
    for name in systems:
        print(f"{name:<12}{words:>10}{median[name]:>10.2f}{rate[name]:>10.0f}")
    print(
        f"ratio extract / bare: {ratio:.3f} (goal >= 0.8); {outcomes['extract']['events']} events"
    )
    print(f"speed-up of two processes over one (extract-2p / extract): {speedup:.3f}")
    print(
        f"start-up (not in the ratio): spacy.load {spacy_load_s:.2f} s, "
        f"RuleExtractor.from_settings {from_settings_s:.2f} s "
        f"(+{from_settings_s - spacy_load_s:.2f} s for gazetteer, entity ruler, lexicon)"
    )
    if profile:
        print(profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
