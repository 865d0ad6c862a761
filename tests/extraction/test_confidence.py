"""Calibrated confidence and --min-confidence (issue 14). Sentences from English
Wikinews 2019 (CC BY 2.5, Wikinews contributors)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kg.cli.main import app
from kg.extraction.confidence import ConfidenceModel, event_features, load_confidence_model

TEXT = (
    "US Secretary of State Mike Pompeo posted a message on Twitter blaming Iran for the "
    'attacks, saying there was "no evidence the attacks came from Yemen."\n\n'
    "Speaking on al-Masirah TV in Yemen, Houthi military spokesperson Yahya Sarea said it had "
    "carried out the attack using ten drones."
)


def test_the_shipped_model_gives_probabilities_that_follow_the_evidence():
    model = load_confidence_model()
    assert isinstance(model, ConfidenceModel)
    named = event_features("act", "name", "name", "112")
    guessed = event_features("act", "pronoun", "pronoun", "112")
    assert 0.0 < model.score(guessed, 0.6) < model.score(named, 0.9) < 1.0


def test_events_carry_the_calibrated_confidence(events_of):
    events = events_of(TEXT)
    assert events
    model = load_confidence_model()
    for event in events:
        expected = model.score(event.extras["features"], event.extras["rules_confidence"])
        assert event.confidence == round(expected, 3)


def test_min_confidence_drops_the_less_certain_events(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    runner = CliRunner()

    def extract(*options: str) -> list[dict]:
        done = runner.invoke(app, ["extract", str(article), "--format", "jsonl", *options])
        assert done.exit_code == 0, done.output
        return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]

    everything = extract()
    confident = extract("--min-confidence", "0.75")
    assert confident and len(confident) < len(everything)
    assert all(e["confidence"] >= 0.75 for e in confident)
    assert {e["confidence"] for e in everything} - {e["confidence"] for e in confident}
