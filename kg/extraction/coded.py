"""A coded event before it becomes an ``Event``: trigger, lexicon match, CAMEO code,
source and target mentions, the rules' score and the kind of rule that found it."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from kg.extraction.lexicon import TriggerMatch
from kg.extraction.mentions import Mention

__all__ = ["Coded"]


@dataclass(frozen=True, slots=True)
class Coded:
    """One event found in a sentence, before dates and offsets are attached."""

    trigger: Token
    match: TriggerMatch
    code: str
    source: Mention
    target: Mention | None
    confidence: float
    kind: str  # "act", "statement", "threat", "intent", "nominal"

    @property
    def root(self) -> str:
        return self.code[:2]
