"""Hand-judged precision of non-statement events on real news (issue 14, deliverable 1).

Two steps, standard library only:

1. **Draw** a sample from the extractor's predictions on the Wikinews 2019 politics
   articles and write a judgement template::

       kg extract ../shared/corpus/wikinews-2019/politics.jsonl --format jsonl > pred.jsonl
       python benchmarks/judged_sample.py draw pred.jsonl -o template.jsonl

   Events whose code starts with ``01`` (plain statements) are left out. The rest are
   sorted deterministically (article, sentence offset, trigger offset, code, source id,
   target id, action) and ``random.Random(SEED).sample(events, SIZE)`` picks the sample,
   which is written in that drawn order, one JSON object a line, with empty judgement
   fields (``real_event``, ``source_ok``, ``root_ok``, ``target_ok``: ``null``;
   ``note``: ``""``). ``--seed`` (default 2019) and ``--size`` (default 60) choose
   another draw; the defaults give the files drawn before these options existed::

       python benchmarks/judged_sample.py draw pred.jsonl --seed 2020 -o template2.jsonl

2. **Score** a filled judgement file (the four fields set to ``true``/``false``)::

       python benchmarks/judged_sample.py score benchmarks/judgements/after-XXXXXXX.jsonl
       python benchmarks/judged_sample.py score FILE --json

   It prints the number of events judged, the share that are real asserted events, the
   share with the source, the CAMEO root and the target right, and the precision: the
   share with all three right *and* a real event. The same figures are given per quad
   class of the predicted code (1 verbal cooperation 01-05, 2 material cooperation
   06-09, 3 verbal conflict 10-14, 4 material conflict 15-20).

   Several files are **pooled**: ``score FILE FILE ...`` scores the distinct events of
   all of them, an event (article, trigger offsets, code, source, target, action) drawn
   in more than one file counting once, with the judgement of the first file that has
   it judged; the report says how many rows were duplicates and warns when two files
   judge the same event differently.

A row counts as judged when ``real_event`` is not ``null``; rows not judged are
reported and left out of the shares.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

SEED = 2019
SIZE = 60
FIELDS = ("real_event", "source_ok", "root_ok", "target_ok")
QUADS = {
    1: "verbal cooperation (01-05)",
    2: "material cooperation (06-09)",
    3: "verbal conflict (10-14)",
    4: "material conflict (15-20)",
}


def _span(event: dict, key: str) -> int:
    span = (event.get("span") or {}).get(key) or [-1, -1]
    return int(span[0])


def _label(actor: dict | None) -> str | None:
    return None if actor is None else actor.get("label")


def _sort_key(event: dict) -> tuple:
    return (
        event.get("article") or "",
        _span(event, "sentence"),
        _span(event, "trigger"),
        event.get("code") or "",
        (event.get("source") or {}).get("id") or "",
        (event.get("target") or {}).get("id") or "",
        event.get("action") or "",
    )


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def draw(events: list[dict], size: int = SIZE, seed: int = SEED) -> list[dict]:
    """The sample of non-01 events, as judgement template rows in drawn order."""
    pool = sorted((e for e in events if not str(e.get("code", "")).startswith("01")), key=_sort_key)
    picked = random.Random(seed).sample(pool, min(size, len(pool)))
    rows = []
    for number, event in enumerate(picked, 1):
        rows.append(
            {
                "n": number,
                "article": event.get("article"),
                "sentence": event.get("sentence"),
                "source": _label(event.get("source")),
                "target": _label(event.get("target")),
                "code": event.get("code"),
                "action": event.get("action"),
                "source_text": event.get("source_text"),
                "target_text": event.get("target_text"),
                "trigger": (event.get("span") or {}).get("trigger"),
                "real_event": None,
                "source_ok": None,
                "root_ok": None,
                "target_ok": None,
                "note": "",
            }
        )
    return rows


def quad(code: str) -> int:
    root = int(str(code)[:2])
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


def _figures(rows: list[dict]) -> dict:
    n = len(rows)

    def share(test) -> float | None:
        return round(sum(1 for r in rows if test(r)) / n, 3) if n else None

    return {
        "judged": n,
        "real_event": share(lambda r: r["real_event"] is True),
        "source_ok": share(lambda r: r["source_ok"] is True),
        "root_ok": share(lambda r: r["root_ok"] is True),
        "target_ok": share(lambda r: r["target_ok"] is True),
        "precision": share(lambda r: all(r[f] is True for f in FIELDS)),
        "correct": sum(1 for r in rows if all(r[f] is True for f in FIELDS)),
    }


def event_key(row: dict) -> tuple:
    """What identifies one drawn event across files (draws of the same predictions)."""
    return (
        row.get("article"),
        tuple(row.get("trigger") or ()),
        row.get("code"),
        row.get("source"),
        row.get("target"),
        row.get("action"),
    )


def pool(files: list[list[dict]]) -> tuple[list[dict], int, list[str]]:
    """The distinct events of several judgement files, the number of duplicate rows
    dropped and a warning per event judged differently in two files. A judged row is
    preferred to an unjudged copy of the same event."""
    kept: dict[tuple, dict] = {}
    duplicates = 0
    conflicts = []
    for rows in files:
        for row in rows:
            key = event_key(row)
            if key not in kept:
                kept[key] = row
                continue
            duplicates += 1
            first = kept[key]
            if first.get("real_event") is None:
                kept[key] = row
            elif row.get("real_event") is not None and any(
                first.get(f) != row.get(f) for f in FIELDS
            ):
                conflicts.append(f"{key[0]} {key[2]} {key[3]} -> {key[4]}: judged differently")
    return list(kept.values()), duplicates, conflicts


def score(rows: list[dict]) -> dict:
    judged = [r for r in rows if r.get("real_event") is not None]
    for row in judged:
        missing = [f for f in FIELDS if not isinstance(row.get(f), bool)]
        if missing:
            raise ValueError(f"row {row.get('n')}: {', '.join(missing)} not true/false")
    report = {"rows": len(rows), "unjudged": len(rows) - len(judged), "all": _figures(judged)}
    report["by_quad"] = {
        str(q): _figures([r for r in judged if quad(r["code"]) == q]) | {"label": label}
        for q, label in QUADS.items()
    }
    return report


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{100 * value:3.0f}%"


def print_report(report: dict) -> None:
    if report["unjudged"]:
        print(f"{report['unjudged']} of {report['rows']} rows not judged (left out)")
    print(f"{'':36} {'n':>3} {'real':>5} {'source':>6} {'root':>5} {'target':>6} {'precision':>9}")
    lines = [("all", report["all"])] + [
        (f"quad {q} {f['label']}", f) for q, f in report["by_quad"].items()
    ]
    for name, f in lines:
        print(
            f"{name:36} {f['judged']:>3} {_pct(f['real_event']):>5} {_pct(f['source_ok']):>6} "
            f"{_pct(f['root_ok']):>5} {_pct(f['target_ok']):>6} {_pct(f['precision']):>9}"
        )
    a = report["all"]
    print(f"precision: {a['correct']} of {a['judged']} all right and a real event")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draw", help="draw the sample and write a judgement template")
    d.add_argument("predictions", type=Path, help="kg extract --format jsonl output")
    d.add_argument("-o", "--output", type=Path, help="template file (default: stdout)")
    d.add_argument("--size", type=int, default=SIZE)
    d.add_argument("--seed", type=int, default=SEED)
    s = sub.add_parser("score", help="figures of filled judgement files (several: pooled)")
    s.add_argument("judgements", type=Path, nargs="+")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    if args.command == "draw":
        rows = draw(read_jsonl(args.predictions), args.size, args.seed)
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    if len(args.judgements) == 1:
        report = score(read_jsonl(args.judgements[0]))
    else:
        rows, duplicates, conflicts = pool([read_jsonl(path) for path in args.judgements])
        report = score(rows) | {
            "files": [str(path) for path in args.judgements],
            "duplicates": duplicates,
            "conflicts": conflicts,
        }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        if "files" in report:
            print(
                f"pooled {len(report['files'])} files: {report['rows']} distinct events "
                f"({report['duplicates']} duplicate rows counted once)"
            )
            for warning in report["conflicts"]:
                print(f"warning: {warning}")
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
