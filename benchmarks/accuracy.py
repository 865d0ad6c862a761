"""Accuracy of ``kg extract`` against human-coded event data.

Scores the rule-based extractor on two gold-standard sets read from the shared
evaluation folder at run time (they carry their own licences and are never
copied into this project):

- ``plover_gsr.jsonl``: 322 wire sentences coded by hand (PLOVER GSR; actors as
  ISO3 + sector, CAMEO root per event);
- ``universalpetrarch_petr2_gsr.jsonl``: 78 AFP sentences with CAMEO actor and
  event codes (UniversalPetrarch's PETR-2 validation set).

It also scores real news (``benchmarks/real_text.py``): the events-dev gold set
(240 hand-coded sentences, with its own scorer, on all items and on two fixed halves
by id) and the Wikinews 2019 articles (politics and off-topic: events per 1,000
words, share without a target, minted actors).

An actor is scored by its country (ISO 3166 alpha-3; people and groups count as
the state they act for), or ``IGO``/``NGO``/``IMG`` for international bodies and
militant groups with no state. Figures: precision, recall and F1 of
(source, root, target) triples and of (source, root) pairs, and the root accuracy
on events whose (source, target) pair is in the gold standard.

    python benchmarks/accuracy.py            # a table
    python benchmarks/accuracy.py --json     # one JSON object
    python benchmarks/accuracy.py --errors   # also list the wrong sentences
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.real_text import events_dev, wikinews  # noqa: E402
from kg.extraction.extractor import RuleExtractor  # noqa: E402
from kg.models import Actor, Article, Event  # noqa: E402
from kg.settings import Settings  # noqa: E402

# CAMEO country codes that differ from ISO 3166 (see the eval README).
CAMEO_TO_ISO = {"JAP": "JPN", "ITL": "ITA", "VTN": "VAT"}
NON_STATE = {"IGO": "IGO", "NGO": "NGO", "ArmedGroup": "IMG"}

Triple = tuple[str | None, str, str | None]


@dataclass
class Record:
    id: str
    text: str
    date: dt.date | None
    gold: set[Triple]


@dataclass
class Score:
    tp: int = 0
    predicted: int = 0
    gold: int = 0
    pair_matched: int = 0
    root_correct: int = 0
    pair_tp: int = 0
    pair_predicted: int = 0
    pair_gold: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict[str, float | int]:
        precision = self.tp / self.predicted if self.predicted else 0.0
        recall = self.tp / self.gold if self.gold else 0.0
        pair_p = self.pair_tp / self.pair_predicted if self.pair_predicted else 0.0
        pair_r = self.pair_tp / self.pair_gold if self.pair_gold else 0.0
        return {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(_f1(precision, recall), 3),
            "root_accuracy": round(self.root_correct / self.pair_matched, 3)
            if self.pair_matched
            else 0.0,
            "pair_matched": self.pair_matched,
            "source_root_precision": round(pair_p, 3),
            "source_root_recall": round(pair_r, 3),
            "source_root_f1": round(_f1(pair_p, pair_r), 3),
            "gold_events": self.gold,
            "predicted_events": self.predicted,
            "true_positives": self.tp,
        }


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def gold_code(code: str | None) -> str | None:
    if not code:
        return None
    head = code[:3].upper()
    return CAMEO_TO_ISO.get(head, head)


def actor_code(actor: Actor | None) -> str | None:
    if actor is None:
        return None
    if actor.country:
        return actor.country
    return NON_STATE.get(actor.type, "---")


def load_plover(path: Path) -> list[Record]:
    records = []
    for number, line in enumerate(path.open(encoding="utf-8")):
        data = json.loads(line)
        if not data.get("cameo_root"):
            continue  # 9 sentences have no recoverable CAMEO root
        gold = {
            (gold_code(e["source"]), e["code"][:2], gold_code(e["target"]))
            for e in data["events"]
            if e.get("code")
        }
        records.append(Record(f"plover-{number}", data["text"], None, gold))
    return records


def load_universal_petrarch(path: Path) -> list[Record]:
    records = []
    for line in path.open(encoding="utf-8"):
        data = json.loads(line)
        date = _compact_date(data.get("date") or "")
        gold = {
            (gold_code(e["source"]), e["code"][:2], gold_code(e["target"]))
            for e in data["events"]
            if e.get("code")
        }
        records.append(Record(data["id"], data["text"], date, gold))
    return records


def _compact_date(text: str) -> dt.date | None:
    for pattern in ("%Y%m%d", "%y%m%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def score(records: list[Record], predictions: dict[str, list[Event]], keep_errors: bool) -> Score:
    result = Score()
    for record in records:
        predicted = {
            (actor_code(e.source), e.root, actor_code(e.target))
            for e in predictions.get(record.id, [])
        }
        gold = record.gold
        result.tp += len(predicted & gold)
        result.predicted += len(predicted)
        result.gold += len(gold)
        gold_pairs = {(s, t): set() for s, _, t in gold}
        for s, root, t in gold:
            gold_pairs[(s, t)].add(root)
        for s, root, t in predicted:
            if (s, t) in gold_pairs:
                result.pair_matched += 1
                result.root_correct += root in gold_pairs[(s, t)]
        predicted_pairs = {(s, r) for s, r, _ in predicted}
        gold_source_roots = {(s, r) for s, r, _ in gold}
        result.pair_tp += len(predicted_pairs & gold_source_roots)
        result.pair_predicted += len(predicted_pairs)
        result.pair_gold += len(gold_source_roots)
        if keep_errors and predicted != gold:
            result.errors.append(
                {
                    "id": record.id,
                    "text": record.text,
                    "gold": sorted(map(str, gold)),
                    "predicted": sorted(map(str, predicted)),
                }
            )
    return result


def extract(extractor: RuleExtractor, records: Iterable[Record]) -> dict[str, list[Event]]:
    articles = [Article(id=r.id, text=r.text, date=r.date) for r in records]
    return {result.article.id: result.events for result in extractor.extract(articles)}


def as_coded_by_gold(events: list[Event]) -> list[Event]:
    """The gold standards code what is reported, not the reporting ("X said Y attacked Z"
    is Y attacked Z): drop the speakers' 010 statements when the sentence has another event."""
    acts = [e for e in events if e.extras.get("kind") != "statement"]
    return acts or events


DEV_COLUMNS = ("items", "precision", "recall", "f1", "root_accuracy", "no_event_false_positives")
WIKINEWS_COLUMNS = (
    "events_per_1000_words",
    "non_010_per_1000_words",
    "share_without_target",
    "minted_actor_share",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--errors", action="store_true", help="list sentences scored wrong")
    parser.add_argument("--eval-dir", type=Path, default=REPO.parent / "shared" / "eval")
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        default=REPO.parent / "shared" / "corpus" / "wikinews-2019",
        help="the Wikinews 2019 files (politics.jsonl, offtopic.jsonl)",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    extractor = RuleExtractor.from_settings(Settings())
    datasets = {
        "plover_gsr": load_plover(args.eval_dir / "plover_gsr.jsonl"),
        "universalpetrarch_gsr": load_universal_petrarch(
            args.eval_dir / "universalpetrarch_petr2_gsr.jsonl"
        ),
    }
    report: dict[str, object] = {}
    errors: dict[str, list[dict]] = {}
    for name, records in datasets.items():
        predictions = extract(extractor, records)
        result = score(
            records, {k: as_coded_by_gold(v) for k, v in predictions.items()}, args.errors
        )
        report[name] = {"sentences": len(records), **result.as_dict()}
        report[name]["with_speaker_statements"] = score(records, predictions, False).as_dict()
        errors[name] = result.errors
    report["events_dev"] = events_dev(extractor, args.eval_dir / "events-dev")
    for name in ("politics", "offtopic"):
        report[f"wikinews_{name}"] = wikinews(extractor, args.corpus_dir / f"{name}.jsonl")
    report["seconds"] = round(time.perf_counter() - started, 1)

    if args.json:
        print(json.dumps(report))
        return
    columns = (
        "precision",
        "recall",
        "f1",
        "root_accuracy",
        "source_root_f1",
        "gold_events",
        "predicted_events",
    )
    print(f"{'dataset':<24}" + "".join(f"{c:>18}" for c in columns))
    for name in datasets:
        row = report[name]
        print(f"{name:<24}" + "".join(f"{row[c]!s:>18}" for c in columns))
    widths = {c: max(len(c), 6) + 3 for c in DEV_COLUMNS}  # "0.711" next to "f1"
    print(f"\n{'events-dev (strict)':<24}" + "".join(f"{c:>{widths[c]}}" for c in DEV_COLUMNS))
    for part, row in report["events_dev"].items():
        print(f"{part:<24}" + "".join(f"{row[c]!s:>{widths[c]}}" for c in DEV_COLUMNS))
    print(f"\n{'wikinews 2019':<24}" + "".join(f"{c:>24}" for c in WIKINEWS_COLUMNS))
    for name in ("politics", "offtopic"):
        row = report[f"wikinews_{name}"]
        print(f"{name:<24}" + "".join(f"{row[c]!s:>24}" for c in WIKINEWS_COLUMNS))
    for name in ("politics", "offtopic"):
        top = ", ".join(f"{label} ({n})" for label, n in report[f"wikinews_{name}"]["top_minted"])
        print(f"most frequent minted actors, {name}: {top}")
    if args.errors:
        for name, items in errors.items():
            print(f"\n== {name}: {len(items)} sentences differ")
            roots = Counter()
            for item in items:
                print(f"- {item['text']}\n    gold: {item['gold']}\n    pred: {item['predicted']}")
                roots.update(g.split(",")[1] for g in item["gold"])
            print("gold roots among them:", dict(roots.most_common()))


if __name__ == "__main__":
    main()
