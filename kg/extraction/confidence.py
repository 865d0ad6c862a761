"""Calibrated confidence: the probability that a coded event is right.

A logistic model over a few facts about how the event was found (the kind of
trigger, how its source and target were resolved, its CAMEO root group, the rules'
own score). Its weights are data, ``ontology/confidence.yaml``, fitted by
``scripts/calibrate_confidence.py`` on half A of the events-dev gold set and checked
on half B; the file says when and on what. Without the file every event keeps the
rules' score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg.errors import OntologyError
from kg.settings import ONTOLOGY_DIR

__all__ = ["ConfidenceModel", "event_features", "load_confidence_model"]

_ROOT_GROUPS = {"01": "statement", **{f"{r:02d}": "verbal" for r in range(2, 14)}}


def event_features(kind: str, source_how: str, target_how: str | None, code: str) -> list[str]:
    """The binary facts the model weighs ("rules" is added as a number)."""
    group = _ROOT_GROUPS.get(code[:2], "material")
    return [
        f"kind:{kind}",
        f"source:{source_how}",
        f"target:{target_how or 'none'}",
        f"root:{group}",
    ]


@dataclass(frozen=True)
class ConfidenceModel:
    """Logistic weights by feature name; ``rules`` weighs the rules' own score."""

    bias: float = 0.0
    rules: float = 1.0
    weights: dict[str, float] = field(default_factory=dict)

    def score(self, features: Iterable[str], rules_score: float) -> float:
        z = self.bias + self.rules * rules_score + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-z))


def load_confidence_model(path: Path | None = None) -> ConfidenceModel | None:
    """The fitted model, or None when no calibration file exists."""
    path = path or ONTOLOGY_DIR / "confidence.yaml"
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return ConfidenceModel(
            bias=float(data["bias"]),
            rules=float(data["rules"]),
            weights={str(k): float(v) for k, v in data["weights"].items()},
        )
    except (yaml.YAMLError, KeyError, TypeError, ValueError) as error:
        raise OntologyError(f"not a confidence model: {error}", str(path)) from error
