"""Arguments the parser gets wrong, and roles it cannot see: subjects of a main verb hung
on its subject as a relative clause, a title and a name split into two subjects, the
doer of a decision named as a noun, the recipient of a transfer, and a city in front
of an event noun, which says where, not who."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from kg.actors.resolution import normalise
from kg.extraction.lexicon import Cues
from kg.extraction.mentions import Mention, MentionResolver

__all__ = ["ParseRepairs", "one_phrase"]

#: Conjunctions the parser may read as prepositions ("after Theresa May stepped down").
_CLAUSE_CONJUNCTIONS = frozenset({"after", "before", "since", "until", "as", "once"})

#: Children that make a clause a clause of its own: a subject, an auxiliary, a
#: subordinator ("after", "as") or a by-agent.
_CLAUSE_MARKS = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "mark", "agent"})


class ParseRepairs:
    """Argument rules of ``ArgumentFinder`` for odd parses and special roles."""

    cues: Cues
    mentions: MentionResolver
    _modifier_actor: Callable[[Token, Mention | None], Mention | None]  # ArgumentFinder's

    def _deciders(self, verb: Token, speaker: Mention | None) -> list[Mention]:
        """Who acts in "X's decision to expel 23 Russian diplomats": the owner of the
        decision (``decision_nouns``), as "X decided to expel" is X expelling."""
        noun = verb.head
        if verb.dep_ != "acl" or noun.lemma_.lower() not in self.cues.decision_nouns:
            return []
        if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            return []
        return [
            m
            for c in noun.children
            if c.dep_ in ("poss", "compound", "amod", "nmod")
            and (m := self._modifier_actor(c, speaker)) is not None
        ]

    def _subject_after_conjunction(self, verb: Token) -> Token | None:
        """The subject of a clause the parser read as a prepositional phrase: in "after
        Theresa May stepped down" it makes "May" the object of "after" and "stepped" a
        clause with no subject (the hand-judged Wikinews sample gave the resignation to
        the main clause's Johnson)."""
        if verb.dep_ != "advcl" or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return None
        for mark in verb.children:
            if mark.dep_ == "mark" and mark.lower_ in _CLAUSE_CONJUNCTIONS:
                objects = [c for c in mark.children if c.dep_ == "pobj"]
                if objects and objects[0].pos_ in ("PROPN", "NOUN", "PRON"):
                    return objects[0]
        return None

    def _misparsed_subjects(self, verb: Token, speaker: Mention | None) -> list[Mention]:
        """The subjects of a main verb the parser hung on a noun as a relative clause,
        leaving the sentence rooted in its subject: in "The Afghan government, a number of
        political parties and the Taliban on Thursday condemned ...", "condemned" becomes
        a clause of "number". A finite past tense (VBD) with no subject or relative word
        is no reduced relative ("the man arrested" is VBN): the root noun phrase, with its
        appositions and conjuncts, is the subject."""
        participle = self._participle_subject(verb)
        if participle is not None:
            return self._resolve_expanding(participle, speaker)
        marked = self._subject_after_conjunction(verb) or _name_before_participle(verb)
        if marked is not None:
            return self._resolve_expanding(marked, speaker)
        if verb.dep_ != "relcl" or verb.tag_ != "VBD":
            return []
        node = verb.head
        while node.dep_ in ("pobj", "prep", "appos", "conj") and node.head.i != node.i:
            node = node.head
        if node.dep_ != "ROOT" or node.pos_ not in ("NOUN", "PROPN"):
            return []
        found: list[Mention] = []
        heads = [node, *(c for c in node.children if c.dep_ == "appos")]
        heads += [  # "a number of political parties and the Taliban"
            pobj
            for head in heads[1:]
            for prep in head.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for pobj in prep.children
            if pobj.dep_ == "pobj"
        ]
        for token in heads:
            for mention in self._resolve_expanding(token, speaker):
                if all(m.actor.id != mention.actor.id for m in found):
                    found.append(mention)
        return found

    @staticmethod
    def _reduced_relative(verb: Token) -> bool:
        """A participle right after its verb's object that the parser made a clause of
        the verb: in "Garnar lifted the State of Emergency declared March 27", "declared"
        (tagged a past tense) says what the state of emergency is, declared earlier by
        someone unnamed; Garnar did not declare it."""
        if verb.dep_ != "advcl" or verb.tag_ not in ("VBD", "VBN"):
            return False
        if any(c.dep_ in _CLAUSE_MARKS for c in verb.children):
            return False
        return any(c.dep_ == "dobj" and c.right_edge.i == verb.i - 1 for c in verb.head.children)

    @staticmethod
    def _participle_subject(verb: Token) -> Token | None:
        """The subject the parser gave to a participle after it: in "Protesters, carrying
        placards asking the government to revoke Article 50, marched to Parliament"
        (events-dev), "asking" becomes the clausal subject of "marched" and "Protesters"
        the subject of "asking"; in "The Red Cross operating in Iraq said" (PLOVER GSR),
        "operating" becomes the subject of "said"."""
        for clause in (c for c in verb.children if c.dep_ == "nsubj" and c.tag_ == "VBG"):
            # "The Red Cross operating in Iraq said ...": the participle made the subject
            for subject in (c for c in clause.children if c.dep_ == "nsubj"):
                return subject
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return None
        for clause in (c for c in verb.children if c.dep_ == "csubj" and c.tag_ == "VBG"):
            for subject in (c for c in clause.children if c.dep_ == "nsubj"):
                after = (
                    subject.doc[subject.right_edge.i + 1]
                    if subject.right_edge.i + 1 < len(subject.doc)
                    else None
                )
                if after is not None and after.text == ",":
                    return subject
        return None

    def _event_owner(self, token: Token, speaker: Mention | None) -> Mention | None:
        """Who a modifier of an event noun names as its doer: "a US drone strike",
        "Iranian attacks", "Israel's raid"; not a city in front of it, which says where
        ("a Kabul car bombing" is no Afghan act): a state in a compound counts only by
        its own name, an abbreviation or a demonym."""
        mention = self._modifier_actor(token, speaker)
        if mention is None or token.dep_ != "compound" or mention.actor.type != "State":
            return mention
        ent = self.mentions.entity(token)
        text = ent.text if ent is not None else token.text
        gazetteer = self.mentions.gazetteer
        if (
            text.isupper()
            or normalise(text) == normalise(mention.actor.label)
            or gazetteer.by_demonym(text) is not None
        ):
            return mention
        return None

    def _recipients(self, verb: Token, speaker: Mention | None) -> list[Mention]:
        """Whom a thing is given, sent or returned to: CAMEO's target of a transfer is
        its recipient ("to Russia"), not the thing, even when the thing's name looks like
        an actor ("HEU", "the British tanker")."""
        if verb.lemma_.lower() not in self.cues.transfer_verbs:
            return []
        if not any(c.dep_ == "dobj" for c in verb.children):
            return []
        return [
            m
            for child in verb.children
            if child.dep_ in ("prep", "dative") and child.lower_ == "to"
            for m in self._actors_of(child, ("pobj",), speaker)
        ]


def one_phrase(children: list[Token]) -> bool:
    """Whether several subjects (or objects) of one verb are one noun phrase the parser
    split, a title and the name after it: "Libyan Prime Minister Fayez al-Sarraj", "The
    President of the Senate, Dr Bukola Saraki called": no conjunction between them, and
    the last is a name. The name is the actor; the title describes it."""
    first, last = children[0], children[-1]
    between = first.doc[first.i : last.i + 1]
    if any(t.pos_ == "CCONJ" or t.dep_ in ("cc", "conj") for t in between):
        return False
    return last.pos_ == "PROPN" and last.ent_type_ in ("PERSON", "ORG")


def _name_before_participle(verb: Token) -> Token | None:
    """The name a sentence opens with, when the parser made it the root and the verb after
    it a participle of it: "Trump called Nancy Pelosi a disgrace" ("trump" being an English
    word, the small model reads "Trump called" as a noun phrase). A participle with an
    object and no by-agent is the sentence's verb, and the name its subject."""
    name = verb.head
    if verb.dep_ != "acl" or verb.tag_ not in ("VBN", "VBD") or name.dep_ != "ROOT":
        return None
    if not name.ent_type_ or name.i != verb.i - 1 or name.left_edge.i != 0:
        return None
    if any(c.dep_ == "agent" for c in verb.children):
        return None  # "Troops killed by a roadside bomb": a headline's passive
    if not any(c.dep_ in ("dobj", "oprd", "ccomp", "xcomp") for c in verb.children):
        return None
    return name
