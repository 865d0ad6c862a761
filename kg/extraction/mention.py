"""An actor found at a token, and how it was found; lists the parser took for appositions."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from kg.models import Actor

__all__ = ["Mention", "listed"]


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


def listed(appos: Token) -> bool:
    """Whether an apposition the parser made is the next item of a list: "The Afghan
    government, a number of political parties and the Taliban" (a name joined in it by a
    conjunction); "Hamza bin Ladin, the al-Qaeda member and son of Usama bin Ladin" is
    one person described twice."""
    return any(t.dep_ == "conj" and t.pos_ == "PROPN" for t in appos.subtree)
