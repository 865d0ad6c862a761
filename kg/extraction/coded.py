"""A coded event before it becomes an ``Event``: trigger, lexicon match, CAMEO code,
source and target mentions, the rules' score and the kind of rule that found it."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from spacy.tokens import Token

from kg.extraction.lexicon import TriggerMatch
from kg.extraction.mentions import Mention

__all__ = [
    "Coded",
    "carries_another_act",
    "domestic_policy",
    "one_speaker",
    "one_statement_per_speaker",
]


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


def one_speaker(sources: list[Mention]) -> list[Mention]:
    """A statement has the person who spoke, not the titles around the name: in
    "Conservative Party leader and Prime Minister Boris Johnson said" or "A member of
    the Tunisian Parliament, Samir Dilou said" only the named person speaks. Two named
    people ("Trump and Putin said") both speak."""
    named = [m for m in sources if m.how == "name" and m.actor.type == "Person"]
    return named if named and len(named) < len(sources) else sources


def one_statement_per_speaker(found: list[Coded], statement: str) -> list[Coded]:
    """A speaker's plain statement (010) once per sentence: "said on Friday "We made a
    plea to the president" and "So we told the president ..."" is one statement (and the
    plea), not two."""
    kept: list[Coded] = []
    stated: set[tuple[str, str | None]] = set()
    for coded in found:
        key = (coded.source.actor.id, coded.target.actor.id if coded.target else None)
        if coded.code == statement and key in stated:
            continue  # (a targetless one goes later when the speaker addressed someone)
        if coded.code == statement:
            stated.add(key)
        kept.append(coded)
    return kept


def carries_another_act(coded: Coded, found: list[Coded], carriers: Container[str]) -> bool:
    """A letter or message sent only carries the act it is named by: "Pompeo sent a
    letter requesting the new rules to Elaine Chao" is the request (02), not also a
    consultation (040); "Iran sent a letter to the United Nations" stays 040."""
    carried = {
        c.i for c in coded.trigger.children if c.dep_ == "dobj" and c.lemma_.lower() in carriers
    }
    return bool(carried) and any(
        other is not coded
        and other.trigger.dep_ == "acl"
        and other.trigger.head.i in carried
        and other.source.actor.id == coded.source.actor.id
        for other in found
    )


def voices_a_protest(coded: Coded, found: list[Coded]) -> bool:
    """What protesters demand or call for while they protest is the protest's message,
    not a second event: "Thousands of Iraqi Kurds demonstrated in Kirkuk calling for
    independence", "blocked roads ... demanding that he be reinstated", "staged rallies
    ... saying he must resign" (PLOVER GSR read by hand) and "Protesters, carrying
    placards asking the government to revoke Article 50, marched" (events-dev d-wn-048)
    are one protest (14)."""
    if coded.root not in ("02", "10"):
        return False
    protests = {
        i
        for c in found
        if c.root == "14" and c.source.actor.id == coded.source.actor.id
        for i in (c.trigger.i, c.trigger.head.i)  # "staged rallies": the light verb too
    }
    node = coded.trigger
    for _ in range(3):  # "joining demonstrators in demanding": up to the protest
        if node.dep_ not in _CLAUSE_OF_AN_ACT or node.head.i == node.i:
            return False
        node = node.head
        if node.i in protests:
            return True
    return False


_CLAUSE_OF_AN_ACT = frozenset({"advcl", "xcomp", "acl", "pcomp", "prep", "pobj", "ccomp", "dobj"})

#: CAMEO 014, consider policy option.
POLICY_OPTION = "014"


def domestic_policy(coded: Coded) -> bool:
    """A policy option considered at home, with no foreign target: "The bill was drafted
    by Alex Greenwich", "Hungary launched a military development program" (Wikinews
    2019). events-dev codes domestic policy as no event ("Lam also introduced housing and
    property initiatives"); a policy aimed at another state stays."""
    if not coded.code.startswith(POLICY_OPTION):
        return False
    target = coded.target.actor if coded.target else None
    return target is None or target.country == coded.source.actor.country
