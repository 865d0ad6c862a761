"""Accuracy on real news: the events-dev gold set and Wikinews 2019 articles.

Used by ``benchmarks/accuracy.py``. Both inputs are read in place from ``../shared``
at run time (they carry their own licences: CC BY 2.5 for Wikinews, GPL-3.0 for the
ConfliBERT sentences); nothing is copied into the project.

- **events-dev** (``eval/events-dev/gold.jsonl``, 240 sentences): scored with the
  set's own ``score.py`` (``--json``), on all items and on two fixed halves by id:
  half A holds the items whose number is odd (``d-wn-001``, ``d-cb-003``, ...), half B
  the even ones. Tune on A, check on B: a change that helps only one is suspect.
- **Wikinews 2019** (``corpus/wikinews-2019/politics.jsonl`` and ``offtopic.jsonl``):
  events and non-010 events per 1,000 words, share of events without a target,
  share of minted actors among distinct actors, and the ten most frequent minted
  actors.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from kg.extraction.extractor import RuleExtractor
from kg.models import Article

__all__ = ["HALVES", "events_dev", "wikinews"]

HALVES = {"A": 1, "B": 0}  # half -> parity of the item number


def _half(item_id: str) -> str:
    return "A" if int(item_id.rsplit("-", 1)[1]) % 2 == 1 else "B"


def events_dev(extractor: RuleExtractor, folder: Path) -> dict[str, dict]:
    """Strict P/R/F1, root accuracy and no-event false positives, for all and per half."""
    gold = [json.loads(line) for line in (folder / "gold.jsonl").open(encoding="utf-8")]
    articles = [
        Article(id=g["id"], text=g["text"], date=dt.date.fromisoformat(g["date"])) for g in gold
    ]
    lines = [
        json.dumps(event.to_json(), ensure_ascii=False)
        for result in extractor.extract(articles)
        for event in result.events
    ]
    report: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        predictions = Path(tmp) / "pred.jsonl"
        predictions.write_text("\n".join(lines) + "\n", encoding="utf-8")
        parts = {"all": gold} | {h: [g for g in gold if _half(g["id"]) == h] for h in HALVES}
        for name, items in parts.items():
            subset = Path(tmp) / f"gold-{name}.jsonl"
            subset.write_text("".join(json.dumps(g) + "\n" for g in items), encoding="utf-8")
            report[name] = _score(folder / "score.py", subset, predictions)
    return report


def _score(scorer: Path, gold: Path, predictions: Path) -> dict:
    done = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(predictions), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(done.stdout)
    strict = data["strict"]
    return {
        "items": data["gold_items"],
        "precision": round(strict["precision"], 3),
        "recall": round(strict["recall"], 3),
        "f1": round(strict["f1"], 3),
        "tp": strict["tp"],
        "fp": strict["fp"],
        "fn": strict["fn"],
        "relaxed_f1": round(data["relaxed_source_root"]["f1"], 3),
        "root_accuracy": round(data["root_accuracy"]["accuracy"], 3),
        "no_event_false_positives": data["no_event_sentences"]["false_positives"],
    }


def wikinews(extractor: RuleExtractor, path: Path) -> dict:
    """Article-level figures for one Wikinews file."""
    articles = []
    for line in path.open(encoding="utf-8"):
        data = json.loads(line)
        date = dt.date.fromisoformat(data["date"]) if data.get("date") else None
        articles.append(Article(id=data["id"], text=data["text"], date=date))
    words = events = non_statements = untargeted = 0
    actors: dict[str, str] = {}
    minted: Counter[str] = Counter()
    for result in extractor.extract(articles):
        words += result.words
        for event in result.events:
            events += 1
            non_statements += not event.code.startswith("01")
            untargeted += event.target is None
            for actor in (event.source, event.target):
                if actor is None:
                    continue
                actors[actor.id] = actor.label
                if f"{extractor.base_iri}actor/" in actor.id:
                    minted[actor.label] += 1
    minted_ids = [a for a in actors if f"{extractor.base_iri}actor/" in a]
    return {
        "articles": len(articles),
        "words": words,
        "events": events,
        "events_per_1000_words": round(1000 * events / words, 2) if words else 0.0,
        "non_010_per_1000_words": round(1000 * non_statements / words, 2) if words else 0.0,
        "share_without_target": round(untargeted / events, 3) if events else 0.0,
        "distinct_actors": len(actors),
        "minted_actor_share": round(len(minted_ids) / len(actors), 3) if actors else 0.0,
        "top_minted": minted.most_common(10),
    }
