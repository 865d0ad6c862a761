"""Targets an article names before the sentence: "McGurk also criticized the decision"
after "Trump announced the withdrawal of US troops from Syria" criticises Trump. A definite
noun that stands for an act ("the decision", "the move", "the subpoena"), with no owner in
its own sentence, belongs to whoever did the last such act in the sentences just before.

The hand-judged Wikinews samples (``benchmarks/judgements/``) found this the most frequent
fault left on real events: the target lost because it was named a sentence earlier.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Token

from kg.extraction.coded import Coded
from kg.extraction.lexicon import Cues
from kg.extraction.mention import Mention

__all__ = ["EarlierActs"]

#: Roots whose object is often an act named before: endorsing, criticising, rejecting it.
_REACTION_ROOTS = frozenset({"05", "11", "12"})
#: How many sentences back an act may be named.
_WINDOW = 3
_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})


@dataclass
class EarlierActs:
    """The acts of one article so far, to give an owner to "the decision" later."""

    cues: Cues
    _acts: list[tuple[int, Coded]] = field(default_factory=list)  # (sentence number, act)
    _sentence: int = 0

    def next_sentence(self) -> None:
        self._sentence += 1

    def note(self, coded: Coded) -> None:
        if coded.kind != "statement" and coded.root not in ("01", *_REACTION_ROOTS):
            self._acts.append((self._sentence, coded))

    def owner(self, coded: Coded) -> Coded:
        """``coded`` with the doer of the act its object stands for as its target, when
        the sentence names none."""
        if coded.target is not None or coded.root not in _REACTION_ROOTS:
            return coded
        noun = _referring_object(coded.trigger, self.cues)
        if noun is None:
            return coded
        lemma = noun.lemma_.lower()
        recent = [
            act
            for at, act in reversed(self._acts)
            if self._sentence - at <= _WINDOW
            and act.source.actor.id != coded.source.actor.id
            and (act.target is None or act.target.actor.id != coded.source.actor.id)
        ]
        same = [a for a in recent if lemma in (a.trigger.lemma_.lower(), a.match.lemma)]
        chosen = (same or (recent if lemma in self.cues.act_nouns_generic else []))[:1]
        if not chosen:
            return coded
        doer = chosen[0].source.actor
        return replace(
            coded, target=Mention(doer, noun.text, "implied"), confidence=coded.confidence * 0.8
        )


def _referring_object(trigger: Token, cues: Cues) -> Token | None:
    """The definite act noun ``trigger`` takes as its object (or passive subject: "The
    call was quickly seconded by Merkel"), with no owner named in it."""
    for child in trigger.children:
        if child.dep_ not in ("dobj", "nsubjpass") or child.lemma_.lower() not in cues.act_nouns:
            continue
        if not any(c.dep_ == "det" and c.lower_ in _DETERMINERS for c in child.children):
            return None  # "criticized a decision", "his decision" (the owner is named)
        if any(c.dep_ in ("poss", "compound", "amod", "prep", "relcl") for c in child.children):
            return None  # "the Turkish decision", "the decision to withdraw"
        return child
    return None
