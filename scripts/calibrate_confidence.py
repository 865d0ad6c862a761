"""Fit ontology/confidence.yaml: the calibrated confidence of extracted events.

The extractor's rules give each event a score; this script learns how far that score
and a few facts about the event (trigger kind, how source and target were resolved,
root group) predict that the event is right, on half A of the events-dev gold set
(items with an odd number; half B, the even ones, is held out). An event is right
when the set's own scorer does not count it as a false positive (a match with an
optional event counts as right). The fit is an L2-regularised logistic regression
(numpy, Newton's method).

    .venv/bin/python scripts/calibrate_confidence.py [--eval-dir DIR] [--dry-run]

Prints, for each half, precision at confidence thresholds 0.5, 0.7 and 0.9 and the
mean confidence of right and wrong events, with the rules' score and with the
calibrated one. A build tool, not part of the package.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extraction.confidence import ConfidenceModel  # noqa: E402
from kg.extraction.extractor import RuleExtractor  # noqa: E402
from kg.models import Article, Event  # noqa: E402
from kg.settings import ONTOLOGY_DIR, Settings  # noqa: E402

THRESHOLDS = (0.5, 0.7, 0.9)
L2 = 1.0


def _half(item_id: str) -> str:
    return "A" if int(item_id.rsplit("-", 1)[1]) % 2 == 1 else "B"


def labelled_events(folder: Path) -> list[tuple[Event, str, int]]:
    """(event, half, 1 if right else 0) for every event extracted from the gold items."""
    gold = [json.loads(line) for line in (folder / "gold.jsonl").open(encoding="utf-8")]
    extractor = RuleExtractor.from_settings(Settings(n_process=1))
    extractor.confidence_model = None  # learn from the rules' own score
    articles = [
        Article(id=g["id"], text=g["text"], date=dt.date.fromisoformat(g["date"])) for g in gold
    ]
    events = [e for result in extractor.extract(articles) for e in result.events]
    wrong: set[int] = set()
    with tempfile.TemporaryDirectory() as tmp:
        predictions = Path(tmp) / "pred.jsonl"
        predictions.write_text(
            "".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in events),
            encoding="utf-8",
        )
        done = subprocess.run(
            [
                sys.executable,
                str(folder / "score.py"),
                str(folder / "gold.jsonl"),
                str(predictions),
                *("--json", "--errors", "100000"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    for line in json.loads(done.stdout)["errors"]["false_positives"]:
        wrong.add(int(line.split("line ", 1)[1].split(":", 1)[0]))
    return [(e, _half(e.article), 0 if n in wrong else 1) for n, e in enumerate(events, start=1)]


def design(events: list[Event], names: list[str]) -> np.ndarray:
    index = {name: i for i, name in enumerate(names)}
    x = np.zeros((len(events), len(names) + 2))
    for row, event in enumerate(events):
        x[row, 0] = 1.0
        x[row, 1] = event.extras["rules_confidence"]
        for feature in event.extras["features"]:
            if feature in index:
                x[row, 2 + index[feature]] = 1.0
    return x


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], L2)
    penalty[0] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x.T * (p * (1 - p))) @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def report(name: str, confidence: np.ndarray, y: np.ndarray) -> str:
    parts = []
    for threshold in THRESHOLDS:
        kept = confidence >= threshold
        precision = y[kept].mean() if kept.any() else float("nan")
        parts.append(f">={threshold}: P {precision:.3f} ({int(kept.sum())})")
    right = confidence[y == 1].mean()
    wrong = confidence[y == 0].mean()
    brier = ((confidence - y) ** 2).mean()
    return (
        f"{name:<14} "
        + "  ".join(parts)
        + f"  mean right {right:.2f} wrong {wrong:.2f}"
        + (f"  Brier {brier:.3f}")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--dry-run", action="store_true", help="report, do not write the file")
    args = parser.parse_args()

    labelled = labelled_events(args.eval_dir / "events-dev")
    names = sorted({f for e, _, _ in labelled for f in e.extras["features"]})
    halves = {}
    for half in ("A", "B"):
        events = [e for e, h, _ in labelled if h == half]
        y = np.array([label for _, h, label in labelled if h == half], dtype=float)
        halves[half] = (events, design(events, names), y)
    events_a, x_a, y_a = halves["A"]
    w = fit(x_a, y_a)
    model = ConfidenceModel(
        bias=float(w[0]),
        rules=float(w[1]),
        weights={name: round(float(v), 4) for name, v in zip(names, w[2:], strict=True)},
    )
    for half, (events, _, y) in halves.items():
        rules = np.array([e.extras["rules_confidence"] for e in events])
        calibrated = np.array(
            [model.score(e.extras["features"], e.extras["rules_confidence"]) for e in events]
        )
        held = "fitted on" if half == "A" else "held out"
        print(f"half {half} ({held}): {len(events)} events, {int(y.sum())} right")
        print(report("  rules", rules, y))
        print(report("  calibrated", calibrated, y))
    if args.dry_run:
        return 0
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    header = (
        "# Calibrated confidence of extracted events (kg/extraction/confidence.py).\n"
        "# GENERATED by scripts/calibrate_confidence.py: a logistic regression fitted on\n"
        f"# half A of events-dev ({len(events_a)} events, odd item numbers) at commit {commit},\n"
        "# checked on half B. Edit the script, not this file.\n"
    )
    body = {"bias": round(model.bias, 4), "rules": round(model.rules, 4), "weights": model.weights}
    path = ONTOLOGY_DIR / "confidence.yaml"
    path.write_text(header + yaml.safe_dump(body, sort_keys=True), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
