"""An actor found at a token, and how it was found."""

from __future__ import annotations

from dataclasses import dataclass

from kg.models import Actor

__all__ = ["Mention"]


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor found at a token, and how it was found (name, demonym, agent, title,
    pronoun, minted, crowd)."""

    actor: Actor
    text: str
    how: str

    @property
    def certainty(self) -> float:
        return {
            "name": 1.0,
            "demonym": 0.9,
            "agent": 0.85,
            "title": 0.8,
            "pronoun": 0.7,
            "crowd": 0.7,
            "minted": 0.75,
        }.get(self.how, 0.7)
