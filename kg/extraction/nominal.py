"""Events named by nouns ("the US strike on a convoy", "hostilities between Israel and
Hamas", "claimed responsibility for the attack") and the light verbs that carry them
("launched a strike", "attend the meeting")."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.actors.resolution import normalise
from kg.extraction.coded import Coded
from kg.extraction.lexicon import TriggerMatch
from kg.extraction.mentions import Mention
from kg.extraction.modality import ModalityChecks

__all__ = ["NOUN_TARGET_PREPS", "VERBAL_ROOTS", "NominalEvents"]

NOUN_TARGET_PREPS = frozenset(
    {"against", "on", "at", "with", "to", "toward", "towards", "into", "upon", "of"}
)
#: How the event noun a light verb carries hangs on it: its object, or the subject of
#: its passive ("sanctions were imposed on Iran by the United States").
_LIGHT_OBJECTS = frozenset({"dobj", "nsubjpass"})
#: Roots of verbal acts (statements, appeals, intents, meetings, demands, disapproval,
#: rejection, threats): a proposal named as the object of another act is that act's.
VERBAL_ROOTS = frozenset({"01", "02", "03", "04", "05", "10", "11", "12", "13"})


class NominalEvents(ModalityChecks):
    """Nominal events and light verbs."""

    def _responsible(self, noun: Token, speaker: Mention | None) -> list[Mention]:
        """Who claimed responsibility for a nominal act: the claimer did it."""
        prep = noun.head
        if noun.dep_ != "pobj" or prep.lower_ != "for":
            return []
        owner = prep.head
        claim = owner.head
        if owner.lemma_.lower() not in self.cues.responsibility_nouns:
            return []
        if claim.lemma_.lower() not in self.cues.responsibility_verbs or self._negated(claim):
            return []
        return self._subjects(claim, speaker)

    def _light(self, verb: Token) -> bool:
        """Whether ``verb`` only carries the event named by its object ("launched a strike",
        "imposed a curfew"); a lexicon pattern for the pair wins over that reading
        ("ended talks" is CAMEO 164, halt negotiations, not a meeting)."""
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in self.cues.light_verbs:
            return False
        objects = [
            c
            for c in verb.children
            if c.dep_ in _LIGHT_OBJECTS and self.lexicon.has("NOUN", c.lemma_.lower())
        ]
        if not objects:
            return False
        match = self.lexicon.lookup("VERB", verb.lemma_.lower(), self._context(verb))
        if match is None or not match.context:
            return True
        if not {o.lemma_.lower() for o in objects} & set(match.context):
            return True  # "announced a suspension of aid": the pattern "announce aid" is
            # about a deeper word, the object names the event
        nouns = [self.lexicon.lookup("NOUN", o.lemma_.lower()) for o in objects]
        return any(n is not None and n.code[:2] == match.code[:2] for n in nouns)

    def _conditional(self, noun: Token) -> bool:
        """A nominal event inside a condition, a negation or a merely tried, planned or
        asked-for act is no event: "unless Israel rescinded its annexation of the
        region" (the verb of the condition is not coded either)."""
        verb = noun.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children):
            return True
        lemma = verb.lemma_.lower()
        if lemma in self.cues.non_factual_verbs and (
            # "asked for Bolton's resignation", "called for the release of": asked, not done
            (noun.dep_ == "pobj" and noun.head.lower_ == "for" and noun.head.head.i == verb.i)
            # "others preferred an investigation by the House Judiciary Committee" (what
            # is ordered happens: "ordered the killing of ...")
            or (noun.dep_ == "dobj" and noun.head.i == verb.i and lemma in self.cues.wishing_verbs)
        ):
            return True
        # "tried to pressure the Ukrainian government to launch an investigation of ..."
        return verb.pos_ == "VERB" and (self._hypothetical(verb) or self._negated(verb))

    def _unrealised(self, noun: Token) -> bool:
        """An event noun said not to have happened: "Trump's planned trip to Warsaw", "a
        possible US strike on Iran" (``unrealised_modifiers``)."""
        return any(
            c.dep_ in ("amod", "compound", "npadvmod")
            and c.lower_ in self.cues.unrealised_modifiers
            for c in noun.children
        )

    def _clause_subjects(self, noun: Token, speaker: Mention | None) -> list[Mention]:
        """Whom a demand, call or request is made of: the subject of its clause ("its
        demand that Israel ease restrictions", "a call for Iran to release them")."""
        for clause in (c for c in noun.children if c.dep_ in ("acl", "ccomp")):
            found = self._actors_of(clause, ("nsubj",), speaker)
            if found:
                return found
        return []

    def _answered(self, noun: Token, match: TriggerMatch) -> bool:
        """A proposal, request, demand or threat named as the object of another act is what
        that act answers, not an event of its own: "Yemen has rejected a U.S. request" is
        one rejection (12), not also a US request (02). Material acts keep their event
        ("Iraq condemned the US air strikes"), and so do nouns under reporting and light
        verbs ("reported a further US strike", "launched a strike")."""
        if match.code[:2] not in VERBAL_ROOTS:
            return False
        verb = noun.head
        if noun.dep_ == "pobj" and verb.dep_ == "prep":
            verb = verb.head
        elif noun.dep_ != "dobj":
            return False
        lemma = verb.lemma_.lower()
        return (
            verb.pos_ == "VERB"
            and self.lexicon.has("VERB", lemma)
            and lemma not in self.cues.reporting_verbs
            and not self._light(verb)
        )

    def _suffers(self, noun: Token, owner: Mention) -> bool:
        """A person named as the owner of a noun of something done to people is who
        suffered it, not who did it: "Khashoggi's killing", "his arrest", "Mugabe's
        release" (``patient_nouns``); "Iran's attack" keeps its attacker."""
        lemma = noun.lemma_.lower()
        return lemma in self.cues.patient_nouns and owner.actor.type == "Person"

    def _what_is_stated(self, noun: Token) -> TriggerMatch | None:
        """A statement named by what it states is that act: "statements of condemnation"
        condemn (111), "a message of support" supports, "a letter of protest" protests."""
        for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"):
            for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                inner = self.lexicon.lookup("NOUN", pobj.lemma_.lower(), ())
                if inner is not None and inner.code != self.cues.statement_code:
                    return inner
        return None

    def _in_a_title(self, noun: Token) -> bool:
        """An event noun that names what an office holder is for ("special envoy for
        Ukraine negotiations", "the minister for peace talks"): the office, not an act."""
        prep = noun.head
        if noun.dep_ != "pobj" or prep.lower_ not in ("for", "on"):
            return False
        holder = prep.head
        return holder.pos_ in ("NOUN", "PROPN") and (
            normalise(holder.lemma_) in self.cues.person_titles or self.mentions.is_agent(holder)
        )

    def _noun_events(self, noun: Token) -> Iterator[Coded]:
        if self._negated(noun) or self._unrealised(noun):
            return
        context = [c.lemma_.lower() for c in noun.children] + [
            g.lemma_.lower() for c in noun.children for g in c.children if c.dep_ == "prep"
        ]
        match = self.lexicon.lookup("NOUN", noun.lemma_.lower(), context)
        if match is not None and match.code == self.cues.statement_code:
            match = self._what_is_stated(noun) or match
        if match is None or self._answered(noun, match) or self._conditional(noun):
            return
        if match.code[:2] == "04" and noun.dep_ == "pobj" and noun.head.lower_ == "at":
            return  # "will attend the meeting ... at the G20 summit": where, not a second event
        if self._in_a_title(noun) or _described(noun):
            return  # "special envoy for Ukraine negotiations"; "one of his campaign promises"
        head = noun.head
        speaker = self._speaker(noun)
        sources = [
            m
            for m in (
                self._event_owner(c, speaker)
                for c in noun.children
                if c.dep_ in ("compound", "amod", "poss", "nmod")
            )
            if m
        ]
        by = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"]
        patients = [s for s in sources if self._suffers(noun, s)]
        if patients:  # "Khashoggi's killing", "his arrest": whom it was done to
            sources = [s for s in sources if s not in patients]
        if not sources and by:
            sources = self._actors_of(by[0], ("pobj",), speaker)
        if not sources:  # "claimed responsibility for (the) missile and drone attack"
            sources = self._responsible(noun, speaker)
        between = [] if sources else self._between(noun, speaker)
        if len(between) >= 2:  # "hostilities between Israel and Hamas", "a call between"
            sources = between[:1]
        if not sources and noun.dep_ == "nsubj" and match.code[:2] in VERBAL_ROOTS:
            # "condemnation has come from X, Y and Z" (attacks that came from a place did not)
            for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "from"):
                sources = self._actors_of(prep, ("pobj",), speaker)
        light = noun.dep_ in _LIGHT_OBJECTS and self._light(head)
        if not sources and light and not self._negated(head) and not self._hypothetical(head):
            sources = (  # "sanctions were imposed on Iran by the US": the by-agent
                self._agents(head, self._speaker(head))
                if noun.dep_ == "nsubjpass"
                else self._subjects(head, self._speaker(head))
            )
        if not sources:
            return
        targets: list[Mention] = between[1:] if len(between) >= 2 else patients
        preps = NOUN_TARGET_PREPS
        if match.code[:3] == "087":  # "the withdrawal of its troops from Syria": the
            preps = (preps - {"of"}) | {"from"}  # forces moved are no party; whom from is
        for child in [] if targets else noun.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                targets = self._actors_of(child, ("pobj",), speaker)
                if not targets:
                    for pobj in (g for g in child.children if g.dep_ == "pobj"):
                        inner = self._actor_inside(pobj, speaker)
                        targets = [inner] if inner else []
                if targets:
                    break
        if targets:  # "sanctions on the Central African Republic (CAR) and the Democratic
            # Republic of the Congo": the parser hangs the second target on the noun
            targets += [
                m
                for c in noun.children
                if c.dep_ == "conj" and c.pos_ == "PROPN"
                for m in self._resolve_expanding(c, speaker)
                if all(m.actor.id != t.actor.id for t in targets)
            ]
        if not targets and match.code[:2] in VERBAL_ROOTS:
            targets = self._clause_subjects(noun, speaker)  # "its demand that Israel ease"
        if not targets and len(between) >= 2:
            targets = between[1:]
        if not targets and light:
            targets = [t for t in self._targets(head, speaker, False)]
        if not targets and noun.dep_ == "dobj":
            targets = self._targeting(head, speaker)
        source_ids = {s.actor.id for s in sources}
        targets = [t for t in targets if t.actor.id not in source_ids]
        code, kind = match.code, "nominal"
        if light:
            threat = self._threat_code(head, code)
            if threat is not None:
                code, kind = threat, "threat" if threat.startswith("13") else "intent"
                if not targets and kind == "threat":
                    targets = self._addressees(head, sources)
        for source in sources:
            for target in targets or [None]:
                score = 0.8 * min(source.certainty, target.certainty if target else 1.0)
                yield Coded(noun, match, code, source, target, score, kind)


def _described(noun: Token) -> bool:
    """An event noun that describes what its clause's subject is ("the wall, which was one
    of his campaign promises"; "the shooting was a terrorist attack"): the subject is the
    thing, the noun asserts no second act."""
    node = noun
    if node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.head.dep_ == "attr":
        node = node.head.head  # "one of his promises"
        if node.lemma_.lower() in _SUFFERING_NOUNS:
            return False  # "Abqaiq was the target of an Al-Qaeda suicide attack": it happened
    return node.dep_ == "attr" and node.head.lemma_.lower() == "be"


#: What the subject of "was the target of an attack" suffered: the act happened to it.
_SUFFERING_NOUNS = frozenset({"target", "victim", "victims", "scene", "site", "object"})
