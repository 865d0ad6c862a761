"""Senses of a trigger decided by its object: verbal attacks and labels are criticism.

PETRARCH2's verb dictionary codes "attack" as force (190) and "call" as a telephone
call (041) unless a listed pattern says otherwise. In political news the object
decides: "attacked the impeachment inquiry" and "slammed the decision" criticise
something said or decided, and "called the investigation 'Soviet-style'" labels it.
Both are CAMEO 111 (criticize or denounce). The word lists are data, in
``ontology/extraction-cues.yaml`` (``verbal_attack_verbs``, ``discourse_nouns``,
``labelling_verbs``).
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extraction.lexicon import Cues, TriggerMatch
from kg.extraction.mention import Mention

__all__ = [
    "appeal_code",
    "assault_code",
    "criticised_object",
    "praising_label",
    "quoted_word",
    "transitive_other_sense",
]

_QUOTES = frozenset({'"', "“", "”", "'", "‘", "’", "``", "''"})
#: Marks around a quoted word (single quotes are apostrophes too: "Israel's").
_WORD_QUOTES = frozenset({'"', "“", "”", "``", "''", ":"})
_PREDICATE_DEPS = frozenset({"oprd", "xcomp", "attr", "acomp", "ccomp"})
_FORCE_ROOTS = frozenset({"18", "19", "20"})
_NOMINAL = frozenset({"NOUN", "PROPN", "ADJ", "PRON"})
_LABEL_WINDOW = 6  # words of a label after its object ("humble and soft-spoken")
_QUOTE_WINDOW = 4  # words between the object and the quoted label ("into Trump "...")
_SECTOR = "/actor/sector/"  # a state's sector ("workers (France)") or civilians


def criticised_object(verb: Token, match: TriggerMatch | None, cues: Cues) -> Token | None:
    """The object ``verb`` criticises, when its sense is criticism rather than the
    lexicon's bare reading; None otherwise (the lexicon's code stands)."""
    lemma = verb.lemma_.lower()
    objects = [c for c in verb.children if c.dep_ == "dobj"] or [
        c  # "called the U.S. accusations blind": the parser makes the object the predicate
        for c in verb.children
        if c.dep_ == "oprd" and c.pos_ in ("NOUN", "PROPN") and lemma in cues.labelling_verbs
    ]
    if not objects:
        return None
    obj = objects[0]
    if lemma in cues.verbal_attack_verbs and (match is None or match.code[:2] in _FORCE_ROOTS):
        verbal = obj.lemma_.lower() in cues.discourse_nouns or _in_words(verb, cues)
        return obj if verbal else None
    if lemma in cues.labelling_verbs and (
        match is None or not match.context or _label_beats_preposition(verb, match)
    ):
        return obj if _labelled(verb, obj) else None
    return None


def _label_beats_preposition(verb: Token, match: TriggerMatch) -> bool:
    """ "Esper called the attack on the Saudi oil facilities a dramatic escalation": the
    lexicon's "call on" (an appeal) matched a preposition inside the object, but the
    verb names its object with a predicate noun: a label. A label the lexicon knows
    ("called the talks a success", 013) keeps its row."""
    named = any(c.dep_ == "oprd" and c.pos_ in ("NOUN", "PROPN") for c in verb.children)
    prepositions = {c.lower_ for c in verb.subtree if c.pos_ == "ADP"}
    return named and set(match.context) <= prepositions


def _in_words(verb: Token, cues: Cues) -> bool:
    """An attack made on or in a medium of words: "attacked Drudge on Twitter", "in a
    tweet", "in an interview" (``speech_media``)."""
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("on", "in", "via")):
        for pobj in (g for g in prep.children if g.dep_ == "pobj"):
            words = {pobj.lemma_.lower(), pobj.lower_}
            words |= {
                f"{c.lower_} {pobj.lower_}" for c in pobj.children if c.dep_ in ("compound", "amod")
            }
            if not words.isdisjoint(cues.speech_media):
                return True
    return False


def _labelled(verb: Token, obj: Token) -> bool:
    """An object followed by a predicate ("called him a liar") or a quoted label
    ("calling the process "a blatant coup"")."""
    if any(c.dep_ in _PREDICATE_DEPS and c.pos_ in _NOMINAL and c != obj for c in verb.children):
        return True  # "called him a liar", "branded the vote illegitimate"
    for label in (c for c in obj.children if c.i > obj.i and c.dep_ in ("amod", "appos")):
        if label.i > 0 and obj.doc[label.i - 1].text in _QUOTES:
            return True  # "called May's Brexit deal "lousy"": the parser hangs it on the deal
        if label.dep_ == "amod" and label.pos_ == "ADJ" and label.i == obj.i + 1:
            return True  # "called the measures useless": an adjective after its noun
    # a quotation right after the object: "called the process "a blatant coup"", not
    # "calling a temporary halt to rescue work ahead of ... works "..."
    end = max(t.i for t in obj.subtree)
    for token in obj.doc[end + 1 : end + 1 + _QUOTE_WINDOW]:
        if token.text in _QUOTES:
            return True
        if token.pos_ in ("VERB", "AUX", "PUNCT"):
            return False
    return False


def appeal_code(verb: Token, match: TriggerMatch | None, cues: Cues) -> str | None:
    """The appeal an object-control verb makes when its bare lexicon row reads support
    (05): "Callamard encouraged the CIA to release the files" asks the CIA to act (020,
    ``appeal_code``), it endorses nothing; "encouraged the talks" keeps 051."""
    if match is None or match.context or match.code[:2] != "05":
        return None
    if verb.lemma_.lower() not in cues.object_control_verbs:
        return None
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    infinitive = any(
        c.dep_ in ("xcomp", "ccomp")
        and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
        for c in verb.children
    )
    return cues.appeal_code if objects and infinitive else None


def praising_label(verb: Token, obj: Token, cues: Cues) -> bool:
    """Whether the label given to ``obj`` praises it: "called D'Souza "humble and
    soft-spoken"" (Wikinews 2019) is praise (051), not criticism (``praise_words``)."""
    end = max(t.i for t in obj.subtree)
    label = [
        t
        for t in verb.subtree
        if t.i > end and t.dep_ not in ("punct",) and t.i <= end + _LABEL_WINDOW
    ]
    words = {t.lower_ for t in label} | {t.lemma_.lower() for t in label}
    return not words.isdisjoint(cues.praise_words) and words.isdisjoint(cues.negation_words)


def transitive_other_sense(verb: Token, match: TriggerMatch | None, cues: Cues) -> bool:
    """Whether ``verb``'s object takes it out of the sense its bare lexicon row codes:
    protesters demonstrate, but "the statement demonstrates a complete lack of
    understanding" shows something (``intransitive_acts``); a state releases prisoners,
    but "the White House released a summary of the call" publishes a document
    (``people_object_verbs``, ``information_nouns``). A lexicon row for the object
    ("demonstrate solidarity", "release information") still decides."""
    if match is None or match.context:
        return False
    lemma = verb.lemma_.lower()
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if lemma in cues.intransitive_acts:
        return bool(objects)
    return (
        lemma in cues.people_object_verbs
        and bool(objects)
        and objects[0].lemma_.lower() in cues.information_nouns
    )


def assault_code(code: str, source: Mention, political: bool) -> str:
    """CAMEO's fighting (19) is force by states and armed groups; the same violence by
    a private person is assault (18): "an IT worker went on a stabbing spree, killing
    four" (hand-judged Wikinews sample) is 180, not 190. A ``political`` source (a
    gazetteer actor, or a person the article gave a political title) keeps 19, and so
    does a crowd ("Georgian demonstrators launched missiles at the government" is 19 in
    UniversalPetrarch's gold)."""
    if code[:2] != "19" or political:
        return code
    actor = source.actor
    one = source.text.split()[-1].lower() if source.text else ""
    individual = actor.type == "Person" or (
        actor.type == "Other" and _SECTOR in actor.id and not one.endswith("s")
    )
    return "180" if individual else code


def quoted_word(token: Token) -> bool:
    """A word quoted on its own or in a short phrase ("as "crushing"", "a "witch hunt"")."""
    doc = token.doc
    return any(t.text in _WORD_QUOTES for t in doc[max(token.i - 2, 0) : token.i]) and any(
        t.text in _WORD_QUOTES for t in doc[token.i + 1 : token.i + 3]
    )
