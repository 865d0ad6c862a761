"""The words around a trigger that pick its lexicon row: "call on" (an appeal), "call
for release", "impose siege". ``LexiconContext`` is a base of
``kg.extraction.arguments.ArgumentFinder``; the coder, the modality rules and the nominal
events ask it for a trigger's context words.
"""

from __future__ import annotations

from spacy.tokens import Token

__all__ = ["LexiconContext"]

_CONTEXT_DEPS = frozenset(
    {
        "prt",
        "prep",
        "dobj",
        "nsubjpass",  # the object of a passive: "the resolution was vetoed" is "veto resolution"
        "attr",
        "acomp",
        "dative",
        "oprd",
        "compound",
        "amod",
        "agent",
        "xcomp",
        "advmod",
    }
)


class LexiconContext:
    """Context words of a trigger: its particles, prepositions, objects and modifiers,
    and their own dependents, as the trigger lexicon's context column names them."""

    def _context(self, token: Token) -> list[str]:
        words = ["for"] if self._for_clause(token) is not None else []
        for child in token.children:
            if child.lower_ == "according":
                continue  # "According to the filing, Iran attacked": no "accord" attacked
            if child.dep_ == "prep" and _temporal(child):
                continue  # "Putin called Macron on Tuesday": a date, not "call on" (appeal)
            if child.dep_ in _CONTEXT_DEPS:
                words.append(child.lemma_.lower())
                for grandchild in child.children:
                    if _in_name(grandchild, child):
                        continue  # "pass the Reproductive Health Care Reform Bill": no reform
                    if grandchild.dep_ in ("pobj", "compound", "amod", "prep"):
                        words.append(grandchild.lemma_.lower())
                        words.extend(
                            g.lemma_.lower()
                            for g in grandchild.children
                            if g.dep_ in ("compound", "amod", "pobj")
                        )
        return words

    def _for_clause(self, verb: Token) -> Token | None:
        """The clause of "called for NATO members to increase military spending"."""
        for child in verb.children:
            if child.dep_ in ("advcl", "ccomp", "xcomp") and any(
                c.dep_ == "mark" and c.lower_ == "for" for c in child.children
            ):
                return child
        return None


_NAMED = frozenset({"ORG", "LAW", "WORK_OF_ART", "EVENT", "FAC", "PRODUCT"})


def _in_name(word: Token, head: Token) -> bool:
    """Whether ``word`` is part of the name ``head`` ends (a bill's, a company's); the
    words of an actor the gazetteer knows describe it ("the UN refugee agency")."""
    return (
        word.dep_ == "compound"
        and head.ent_type_ in _NAMED
        and word.ent_type_ == head.ent_type_
        and not head.ent_id_
    )


def _temporal(prep: Token) -> bool:
    """A preposition whose objects are all dates or times ("on Tuesday", "in June")."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objects) and all(o.ent_type_ in ("DATE", "TIME") for o in objects)
