"""The nouns of the pipeline: articles, actors and events, as frozen dataclasses.

Every event carries its evidence (article, sentence, character span); none
exists without it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ACTOR_TYPES", "Actor", "Article", "Event", "ReadProblem"]

#: Actor classes of the ontology (local names of ``kgo:`` classes).
ACTOR_TYPES = (
    "State",
    "Government",
    "Military",
    "ArmedGroup",
    "Party",
    "IGO",
    "NGO",
    "Person",
    "Media",
    "Other",
)


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from a file: text plus optional metadata."""

    id: str
    text: str
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    source: str | None = None
    origin: str | None = None  # "path" or "path:line" the article was read from


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """An input that could not be read; the batch goes on without it."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Actor:
    """A real-world actor: one node whatever the surface form."""

    id: str  # IRI
    label: str
    type: str  # one of ACTOR_TYPES
    country: str | None = None  # ISO 3166-1 alpha-3 of the state it is or acts for
    wikidata: str | None = None  # e.g. "Q30"
    aliases: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "type": self.type, "country": self.country}


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event: source does action (CAMEO code) to target, with its evidence."""

    article: str
    sentence: str
    sentence_start: int  # character offsets of the sentence in the article text
    sentence_end: int
    source: Actor
    target: Actor | None
    action: str  # trigger lemma, e.g. "strike"
    code: str  # CAMEO code, e.g. "195"
    trigger_start: int  # character offsets of the trigger in the article text
    trigger_end: int
    date: dt.date | None = None
    date_inferred: bool = True  # False when the sentence states the date
    location: str | None = None
    confidence: float = 0.5
    source_text: str = ""
    target_text: str | None = None
    extras: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def root(self) -> str:
        return self.code[:2]

    def to_json(self) -> dict[str, Any]:
        """The ``kg extract --format jsonl`` record (DESIGN contract)."""
        return {
            "article": self.article,
            "sentence": self.sentence,
            "source": self.source.to_json(),
            "target": self.target.to_json() if self.target else None,
            "action": self.action,
            "code": self.code,
            "root": self.root,
            "date": self.date.isoformat() if self.date else None,
            "date_inferred": self.date_inferred,
            "location": self.location,
            "confidence": round(self.confidence, 3),
            "source_text": self.source_text,
            "target_text": self.target_text,
            "span": {
                "sentence": [self.sentence_start, self.sentence_end],
                "trigger": [self.trigger_start, self.trigger_end],
            },
        }
