"""Rules that turn one parsed sentence into coded events.

Constructions: active and passive voice (by-agent), prepositional targets,
reported speech (the speaker's statement and the reported act), coordinated
actors, appositions, nominal events ("the US strike on a convoy"), negation
(no event), hypotheticals (no event), threats and vows (13x, not the act).

CAMEO conventions on top of the lexicon: reported obligations are demands ("said
Sudan must return", 10), negated promises of aid are refusals (12), who acts can
change the code (killing by militants 18, by armies 19; blocking by protesters 144),
acts with no named target fall on the place or the source's own population, and a
proposal named as the object of another act is not an event of its own. Finding
sources and targets lives in ``kg.extraction.arguments``, targets the sentence only
implies in ``kg.extraction.implied``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Span, Token

from kg.extraction.actor_codes import ActorDependentCodes
from kg.extraction.coded import (
    Coded,
    carries_another_act,
    domestic_policy,
    one_speaker,
    one_statement_per_speaker,
    voices_a_protest,
)
from kg.extraction.lexicon import TriggerMatch
from kg.extraction.mentions import Mention
from kg.extraction.nominal import VERBAL_ROOTS, NominalEvents
from kg.extraction.relevance import is_political, names_political_actor
from kg.extraction.senses import (
    appeal_code,
    assault_code,
    criticised_object,
    praising_label,
    quoted_word,
    transitive_other_sense,
)

__all__ = ["Coded", "SentenceCoder"]

_QUOTES = frozenset({'"', "“", "”", "``", "''", ":"})
_QUOTE_MARKS = _QUOTES - {":"}
_THING_PRONOUNS = frozenset({"it", "they", "them", "its", "their"})
#: Objects of a label that stand for something named elsewhere: "called it deplorable",
#: "what he called absurd US claims" criticise that thing.
_LABELLED_PRONOUNS = frozenset({"it", "this", "that", "what", "which", "them", "these", "those"})
#: Meeting verbs that need a counterpart: with none named (nor a host state), a body
#: meeting is a session of its own, not a consultation (040).
#: Verbs of meeting and of moving: with no counterpart named, nobody is consulted
#: ("Parliament is to meet for an emergency session", "Macron went to the scene").
_NEED_A_COUNTERPART = frozenset(
    {"meet", "convene", "go", "travel", "come", "head", "fly", "return"}
)


class SentenceCoder(NominalEvents, ActorDependentCodes):
    """Finds triggers in a sentence, codes them and fills their source and target."""

    def code(self, sentence: Span) -> Iterator[Coded]:
        """The events of ``sentence``; an event with no target is dropped when another
        trigger of the sentence gives the same source and root a target ("promised to
        continue military aid to Mozambique": one 03 event, GBR -> MOZ)."""
        found = list(self._code_all(sentence))
        found = [c for c in found if c.root == "01" or self._antecedent_in_sentence(c, sentence)]
        found = [c for c in found if not domestic_policy(c)]
        found = one_statement_per_speaker(found, self.cues.statement_code)
        gazetteer, titled = self.mentions.gazetteer, self.mentions.titled
        if not names_political_actor(sentence, gazetteer, self.cues.political_actor_types):
            found = [
                c
                for c in found
                if c.root == "01"
                or is_political(c.source, sentence.text, gazetteer, self.cues, titled)
                or is_political(c.target, sentence.text, gazetteer, self.cues, titled)
            ]
        found = [
            replace(c, code=assault_code(c.code, c.source, self._political(c.source)))
            for c in found
        ]
        aimed = {(c.source.actor.id, c.root) for c in found if c.target is not None}
        for coded in found:
            if coded.target is None and (coded.source.actor.id, coded.root) in aimed:
                continue
            if self._carries_own_act(coded, found):
                continue
            if carries_another_act(coded, found, self.cues.carrier_objects):
                continue
            if voices_a_protest(coded, found):
                continue
            yield coded

    def _political(self, source: Mention) -> bool:
        actor_id = source.actor.id
        return actor_id in self.mentions.gazetteer.actors or actor_id in self.mentions.titled

    def _carries_own_act(self, coded: Coded, found: list[Coded]) -> bool:
        """A plain statement whose words are a verbal act of the speaker coded on its own
        is that act: "Trump announced he had asked for Bolton's resignation" is the request
        (02), "members have said they will release the peacekeepers" the intent (03); the
        statement adds no event. A material act the speaker reports doing keeps the
        statement (a claim: "the Houthis said they had attacked"), and so does what the
        speaker says others did."""
        if coded.code != self.cues.statement_code or coded.target is not None:
            return False
        said = {t.i for t in coded.trigger.subtree} - {coded.trigger.i}
        return any(
            other.root != "01"
            and other.root in VERBAL_ROOTS
            and other.source.actor.id == coded.source.actor.id
            and other.trigger.i in said
            for other in found
        )

    def _antecedent_in_sentence(self, coded: Coded, sentence: Span) -> bool:
        """An act whose doer is only "it" or "they" needs the doer named in the same
        sentence ("the Houthi spokesperson said it had carried out the attack"); an
        antecedent from earlier sentences is too often a place or a thing ("Officials
        said it killed nine people": the fire)."""
        if coded.source.how != "pronoun" or coded.source.text.lower() not in _THING_PRONOUNS:
            return True
        wanted = coded.source.actor.id
        return any(
            (m := self.mentions.resolve(token)) is not None and m.actor.id == wanted
            for token in sentence
            if token.i != coded.trigger.i and token.pos_ in ("PROPN", "NOUN", "ADJ")
        )

    def _code_all(self, sentence: Span) -> Iterator[Coded]:
        seen: set[tuple[int, str, str | None]] = set()
        for token in sentence:
            if token.ent_type_ and token.ent_type_ not in ("DATE", "TIME", "CARDINAL"):
                continue  # "Popular Mobilization Forces" names an actor, not an act
            if token.pos_ not in _TRIGGER_POS and token.lower_ != "according":
                continue
            if quoted_word(token):
                continue  # characterised the deaths as "crushing": a word, not an act
            if token.lower_ == "according":
                found = self._according_to(token)
            elif token.pos_ == "VERB":
                found = self._verb_events(token)
            elif token.pos_ in ("NOUN", "PROPN") and self.lexicon.has("NOUN", token.lemma_.lower()):
                found = self._noun_events(token)
            else:
                continue
            for coded in found:
                coded = self._implied_target(self._violence_code(self._protesting_people(coded)))
                if coded.target is None and self._label_of_no_one(coded):
                    coded = replace(coded, code=self.cues.statement_code)
                if (
                    coded.target is None
                    and coded.root == "04"
                    and coded.trigger.lemma_.lower() in _NEED_A_COUNTERPART
                ):
                    continue  # "Parliament is to meet for an emergency session": no counterpart
                key = (
                    coded.trigger.i,
                    coded.source.actor.id,
                    coded.target.actor.id if coded.target else None,
                )
                if key in seen or (coded.target and coded.target.actor.id == coded.source.actor.id):
                    continue
                seen.add(key)
                yield coded

    # -- verbs -------------------------------------------------------------------------

    def _verb_events(self, verb: Token) -> Iterator[Coded]:
        lemma = verb.lemma_.lower()
        speech = self.cues.reporting_verbs | self.cues.quote_verbs
        if not self.lexicon.has("VERB", lemma) and lemma not in speech:
            return
        bare = self.lexicon.lookup("VERB", lemma, self._context(verb))
        yielding = bare is not None and bare.code[:2] == "08"
        # "will not provide support", "did not accede to the protesters' demands": refusals
        refused = self._negated(verb) and (self._future(verb) or yielding)
        if (self._negated(verb) and not refused) or self._hypothetical(verb):
            return
        if self._headline_gerund(verb) or self._background(verb):
            return
        if self._light(verb):
            return  # the noun trigger codes it: "launched a strike on ..."
        if lemma in self.cues.decision_verbs and any(c.dep_ == "xcomp" for c in verb.children):
            return  # "decided to ease restrictions": the easing is the event
        if lemma in self.cues.dismissal_verbs and self._dismisses(verb):
            return  # "Mugabe fired his vice president": a dismissal, not gunfire
        if lemma in self.cues.reason_verbs and verb.dep_ == "advcl" and verb.tag_ == "VBG":
            return  # "refused to commit troops, citing domestic opposition": a reason
        if self._reason_or_instrument(verb):
            return
        match = self.lexicon.lookup("VERB", lemma, self._context(verb))
        if transitive_other_sense(verb, match, self.cues):
            return  # "the statement demonstrates a lack of understanding": no protest
        if (appeal := appeal_code(verb, match, self.cues)) is not None:
            match = TriggerMatch(lemma, "VERB", appeal, ())  # "encouraged the CIA to release"
        criticised = criticised_object(verb, match, self.cues)
        if criticised is not None:  # "attacked the inquiry", "called the probe a hoax"
            context = (criticised.lemma_.lower(),)
            praised = praising_label(verb, criticised, self.cues)  # "called him "humble""
            code = self.cues.praise_code if praised else self.cues.criticism_code
            match = TriggerMatch(lemma, "VERB", code, context)
        is_statement = lemma in self.cues.reporting_verbs
        clausal = (
            any(c.dep_ in ("ccomp", "parataxis") for c in verb.children) or verb.dep_ == "parataxis"
        )
        if lemma in self.cues.quote_verbs:  # "Johnson continued, "And I hope ...""
            is_statement = any(c.dep_ == "ccomp" for c in verb.children) or any(
                t.text in _QUOTE_MARKS for t in verb.subtree
            )
        if (
            is_statement
            and lemma in self.cues.speech_needs_clause
            and not (
                clausal or self._speech_frame(verb) or any(t.text in _QUOTES for t in verb.subtree)
            )
        ):
            is_statement = False  # "agreed to add two members to the council": no speech
        demanded = self._obligation(verb) if is_statement and clausal else None
        if demanded is not None:  # "Russia said Sudan must return the helicopter"
            match = TriggerMatch(lemma, "VERB", self.cues.demand_code, ("must",))
            is_statement = False
        elif match is None or (is_statement and clausal):
            if not is_statement:
                return
            match = TriggerMatch(lemma, "VERB", self.cues.statement_code, ())
        if refused:  # "he would not provide support to Israel": a refusal (12)
            if not "06" <= match.code[:2] <= "08":
                return
            match = TriggerMatch(lemma, "VERB", self.cues.refusal_code, match.context)
        if (
            lemma in self.cues.threat_verbs or lemma in self.cues.intent_verbs
        ) and self._threatened_act(verb) is not None:
            return  # the complement is coded as the threat or the intent
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
            # a headline's reduced passive: "X killed by Y"
            verb.dep_ == "ROOT"
            and verb.tag_ in ("VBN", "VBD")
            and any(c.dep_ == "agent" for c in verb.children)
            and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
        )
        if not passive and self._reduced_control_passive(verb):
            # "Boris Johnson urged to change law by dad ...": urged by the dad, to him
            speaker = self._speaker(verb)
            targets = self._actors_of(verb, ("nsubj",), speaker)
            sources = [
                m
                for prep in verb.subtree
                if prep.dep_ == "prep" and prep.lower_ == "by"
                for m in self._actors_of(prep, ("pobj",), speaker)
            ]
            for source in sources:
                for target in targets:
                    score = 0.8 * min(source.certainty, target.certainty)
                    yield Coded(verb, match, match.code, source, target, score, "act")
            return
        speaker = self._speaker(verb)
        if passive:
            sources = self._agents(verb, speaker)
            targets = (
                self._actors_of(verb, ("nsubjpass",), speaker)
                # a thing passed on: "Aid was sent to Yemen by Saudi Arabia"
                or self._recipients(verb, speaker)
                or self._prepositional_targets(verb, speaker)
                or [
                    m  # "Ukraine International Airlines Flight 752 was shot down"
                    for c in verb.children
                    if c.dep_ == "nsubjpass" and (m := self._actor_inside(c, speaker)) is not None
                ]
            )
        else:
            sources = self._subjects(verb, speaker)
            stating = is_statement or match.code == self.cues.statement_code  # "cited"
            quoted = self._quoted_as_saying(verb, speaker) if stating else []
            if quoted:  # "The BBC also cited Budi Gunawan ... as saying": Gunawan's words
                sources = quoted
            inverted = [] if sources or not is_statement else self._speaker_after(verb, speaker)
            if inverted:  # '..., argued the government's lawyer, Richard Keen.'
                sources = inverted  # what was said is the quote before: a statement
                match = TriggerMatch(lemma, "VERB", self.cues.statement_code, ())
            if is_statement:
                sources = one_speaker(sources)
            targets = (
                []
                if inverted
                else self._owners(criticised, speaker)
                if criticised is not None
                else self._targets(verb, speaker, is_statement and match.code[:2] == "01")
                # a speech verb the lexicon codes as an act looks inside its object:
                # "alleged Iranian involvement" accuses Iran (the hand-judged sample)
            )
        if not targets and not passive and self._more_of_the_same(verb):
            # "killed one Turkish soldier and wounded another": the same side
            targets = self._targets(verb.head, speaker, False)
        if demanded is not None:
            targets = self._actors_of(demanded, ("nsubj", "nsubjpass"), speaker)
        if sources and targets and all(_own_state(sources[0], t) for t in targets):
            if demanded is not None:  # "Johnson has repeatedly stated that Britain must
                # leave by that date": what one's own state must do is a position stated
                match = TriggerMatch(lemma, "VERB", self.cues.statement_code, ())
                is_statement, targets = True, []
            else:  # "Trump withdrew the US from a nuclear treaty with Iran": the source's
                # own state is what it acts with; the target is the other side named after it
                targets = self._partners(verb, speaker)
        confidence = 0.9 - (0.1 if speaker is not None else 0.0)
        code, kind = match.code, "statement" if is_statement else "act"
        if self._planned_words(verb, code):
            return
        warned = self._governor(verb) if refused else None  # "warned that police will no
        # longer tolerate rallies": a refusal under a threat verb is the threat
        threatened = warned is not None and warned.lemma_.lower() in self.cues.threat_verbs
        threat = None if refused and not threatened else self._threat_code(verb, code)
        if threat is not None:
            code, kind = threat, "threat" if threat.startswith("13") else "intent"
            threatener = self._threatener(verb)
            if threatener:
                sources = threatener
            if not targets and kind == "threat":
                targets = self._condition_subjects(verb, sources) or self._addressees(verb, sources)
        if not targets and code.startswith("13"):
            targets = self._condition_subjects(verb, sources)
        if not targets and self._orders_a_thing(verb, match):
            return
        if not targets and not is_statement and sources:
            targets = self._domestic_targets(verb, sources[0])
        if not targets and len(sources) > 1 and self._mutual(code, sources):
            # "Trump and King Abdullah will gather for a meeting": they meet each other
            for i, source in enumerate(sources):
                for target in sources[i + 1 :]:
                    score = confidence * min(source.certainty, target.certainty)
                    yield Coded(verb, match, code, source, target, score, kind)
            return
        for source in sources:
            for target in targets or [None]:
                score = confidence * min(source.certainty, target.certainty if target else 1.0)
                yield Coded(verb, match, code, source, target, score, kind)

    def _label_of_no_one(self, coded: Coded) -> bool:
        """A label on no actor, nor on anybody's act or words, is a statement: "The United
        Nations called the resulting humanitarian crisis the worst in the world" (the
        hand-judged Wikinews sample), not a disapproval (111); "called the impeachment
        inquiry a witch hunt" stays one."""
        return (
            coded.code == self.cues.criticism_code
            and coded.match.lemma in self.cues.labelling_verbs
            and bool(coded.match.context)
            and coded.match.context[0] not in _LABELLED_PRONOUNS  # "called it deplorable"
            and not self.lexicon.has("NOUN", coded.match.context[0])  # "the inquiry a hoax"
            and coded.match.context[0] not in self.cues.discourse_nouns  # "the accusations"
        )

    def _reason_or_instrument(self, verb: Token) -> bool:
        """A gerund that says why someone is punished ("deported 168 Liberians for
        traveling without documents": no Ghanaian travel) or with what an act is done
        ("aircraft using precision guided missiles killed 4 Iraqis": no act of using)."""
        if verb.tag_ != "VBG":
            return False
        head = verb.head
        if verb.dep_ == "pcomp" and head.lower_ in ("for", "over"):
            punished = head.head.lemma_.lower()
            return punished in self.cues.penal_verbs or punished in self.cues.expulsion_verbs
        return (
            verb.lemma_.lower() == "use"
            and verb.dep_ in ("acl", "advcl")
            and any(
                c.dep_ == "dobj" and c.lemma_.lower() in self.cues.weapon_nouns
                for c in verb.children
            )
        )

    def _dismisses(self, verb: Token) -> bool:
        """Whether ``verb`` ("fire", "sack") has a person or an office as its object."""
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            lemma = obj.lemma_.lower()
            if obj.ent_type_ == "PERSON" or lemma in self.cues.person_titles:
                return True
            if lemma in self.cues.political_name_words or lemma in ("aide", "adviser", "advisor"):
                return True
        return False

    def _speaker_after(self, verb: Token, speaker: Mention | None) -> list[Mention]:
        """The speaker of an attribution after the quote that the parser took for the
        verb's object: 'It is not for the Court to opine, argued the government's lawyer,
        Richard Keen.' (a reporting verb with no subject, right after a comma or quote
        mark, and its object after it)."""
        if verb.i == 0 or verb.doc[verb.i - 1].text not in (",", *_QUOTES):
            return []
        return [
            m
            for c in verb.children
            if c.dep_ == "dobj" and c.i > verb.i
            for m in self._resolve_expanding(c, speaker)
        ]

    @staticmethod
    def _more_of_the_same(verb: Token) -> bool:
        """A verb joined to the one before it whose object is "another" or "(two) others":
        its target is the earlier verb's ("killed one Turkish soldier and wounded
        another", "arrested three men and detained two others")."""
        return verb.dep_ == "conj" and any(
            c.dep_ == "dobj" and c.lower_ in _MORE_OF_THE_SAME for c in verb.children
        )

    def _orders_a_thing(self, verb: Token, match: TriggerMatch) -> bool:
        """A bare command verb with no actor commanded and no clause of what to do orders a
        thing, not an actor: "admitted to ordering the payments", "he'd ordered it"."""
        return (
            verb.lemma_.lower() in self.cues.command_verbs
            and not match.context
            and match.code[:2] == "10"
            and not any(c.dep_ in ("xcomp", "ccomp") for c in verb.children)
        )

    def _according_to(self, token: Token) -> Iterator[Coded]:
        """ "according to a statement released by the Supreme Court", "according to
        police": the political actor the report is attributed to made a statement (010);
        media and private people cited as sources did not ("according to CNN")."""
        for prep in token.children:
            if prep.dep_ != "prep" or prep.lower_ != "to":
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                sources = self._resolve_expanding(pobj, None) or self._owners(pobj, None)
                match = TriggerMatch("according to", "VERB", self.cues.statement_code, ())
                for source in sources:  # "according to CNN": a source, not a statement
                    if source.actor.type == "Media" or not is_political(
                        source, token.sent.text, self.mentions.gazetteer, self.cues
                    ):
                        continue
                    score = 0.8 * source.certainty
                    yield Coded(token, match, match.code, source, None, score, "statement")

    def _quoted_as_saying(self, verb: Token, speaker: Mention | None) -> list[Mention]:
        """The one a report cites or quotes "as saying" made the statement."""
        saying = any(
            c.dep_ == "prep"
            and c.lower_ == "as"
            and any(g.lemma_.lower() in self.cues.reporting_verbs for g in c.children)
            for c in verb.children
        )
        return self._actors_of(verb, ("dobj",), speaker) if saying else []

    def _reduced_control_passive(self, verb: Token) -> bool:
        """ "X urged to change law": a verb that needs an object before its infinitive
        (urge, ask, order...) with none is a headline's passive."""
        if verb.dep_ != "ROOT" or verb.lemma_.lower() not in self.cues.object_control_verbs:
            return False
        deps = {c.dep_ for c in verb.children}
        return "nsubj" in deps and "xcomp" in deps and not deps & {"dobj", "dative", "aux"}

    def _mutual(self, code: str, sources: list[Mention]) -> bool:
        if code[:2] in self.cues.mutual_roots or code in self.cues.mutual_roots:
            return True
        countries = {s.actor.country or s.actor.id for s in sources}
        return code[:2] in self.cues.mutual_force_roots and len(countries) == len(sources) == 2

    def _partners(self, verb: Token, speaker: Mention | None) -> list[Mention]:
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"):
            for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                inner = self._actor_inside(pobj, speaker)
                if inner is not None:
                    return [inner]
        return []

    def _obligation(self, verb: Token) -> Token | None:
        """The reported clause that states an obligation: the CAMEO manual codes "X said
        (that) Y must do Z" as X demanding of Y (10), not as a statement."""
        for child in verb.children:
            if (
                child.dep_ in ("ccomp", "parataxis")
                and any(
                    c.dep_ == "aux" and c.lower_ in self.cues.obligation_auxiliaries
                    for c in child.children
                )
                and any(c.dep_ == "nsubj" for c in child.children)
            ):  # not "the laws must be changed"
                return child
        return None


_MORE_OF_THE_SAME = frozenset({"another", "others"})
_TRIGGER_POS = frozenset({"VERB", "NOUN", "PROPN"})


def _own_state(source: Mention, target: Mention) -> bool:
    """Whether ``target`` is the state ``source`` belongs to (not the state itself)."""
    own = source.actor.country
    return (  # rebels, parties and groups of a country do act on its government
        own is not None
        and source.actor.type in ("Person", "Government", "Military")
        and target.actor.type == "State"
        and target.actor.country == own
        and source.actor.id != target.actor.id
    )
