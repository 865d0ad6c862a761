"""Rules that turn one parsed sentence into coded events.

Constructions: active and passive voice (by-agent), prepositional targets,
reported speech (the speaker's statement and the reported act), coordinated
actors, appositions, nominal events ("the US strike on a convoy"), negation
(no event), hypotheticals (no event), threats and vows (13x, not the act).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from kg.lexicon import Cues, Lexicon, TriggerMatch
from kg.mentions import Mention, MentionResolver
from kg.models import Actor
from kg.resolution import sector_actor

__all__ = ["Coded", "SentenceCoder"]

_SUBJECT_DEPS = frozenset({"nsubj"})
_INHERIT_DEPS = frozenset({"xcomp", "advcl", "pcomp", "conj", "prep", "acomp"})
_VERB_TARGET_PREPS = frozenset(
    {"against", "on", "at", "with", "to", "toward", "towards", "into", "upon"}
)
_NOUN_TARGET_PREPS = _VERB_TARGET_PREPS | {"of"}
_DEEP_TARGET_PREPS = _VERB_TARGET_PREPS | {"for", "over", "from"}
_OBJECT_DEPS = frozenset({"dobj", "dative", "attr", "oprd"})
_TARGETING_VERBS = frozenset({"target", "hit", "aim"})


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


class SentenceCoder:
    """Finds triggers in a sentence and fills their source and target."""

    def __init__(self, lexicon: Lexicon, cues: Cues, mentions: MentionResolver) -> None:
        self.lexicon = lexicon
        self.cues = cues
        self.mentions = mentions

    def code(self, sentence: Span) -> Iterator[Coded]:
        seen: set[tuple[int, str, str | None]] = set()
        for token in sentence:
            if token.ent_type_ and token.ent_type_ not in ("DATE", "TIME", "CARDINAL"):
                continue  # "Popular Mobilization Forces" names an actor, not an act
            if token.pos_ == "VERB":
                found = self._verb_events(token)
            elif token.pos_ in ("NOUN", "PROPN") and self.lexicon.has("NOUN", token.lemma_.lower()):
                found = self._noun_events(token)
            else:
                continue
            for coded in found:
                coded = self._implied_target(coded)
                key = (
                    coded.trigger.i,
                    coded.source.actor.id,
                    coded.target.actor.id if coded.target else None,
                )
                if key in seen or (coded.target and coded.target.actor.id == coded.source.actor.id):
                    continue
                seen.add(key)
                yield coded

    def _implied_target(self, coded: Coded) -> Coded:
        """CAMEO's conventions for acts that name no target: a protest is aimed at the
        government of the place where it happens ("US activists protested in Beijing" is
        USA -> China) or else at the protesters' own government ("Iraqi Kurds demonstrated
        in Kirkuk" is IRQCVL -> IRQ); a visit or meeting abroad is with the host state
        ("arrived in Amman on a visit" is -> Jordan)."""
        if coded.target is not None or coded.root not in ("04", "14"):
            return coded
        source = coded.source.actor
        place = self._place_state(coded.trigger)
        if place is not None and place.country == source.country:
            place = None if coded.root == "04" else place
        if place is None and coded.root == "14" and source.type != "State" and source.country:
            place = self.mentions.gazetteer.state(source.country)
        if place is None or place.id == source.id:
            return coded
        return replace(
            coded, target=Mention(place, "", "implied"), confidence=coded.confidence * 0.8
        )

    def _place_state(self, trigger: Token) -> Actor | None:
        """The state of the place named by "in/at/to <place>" on the trigger or its verb."""
        anchors = [trigger] if trigger.pos_ == "VERB" else [trigger, trigger.head]
        for anchor in anchors:
            for prep in anchor.children:
                if prep.dep_ != "prep" or prep.lower_ not in ("in", "at", "to", "outside"):
                    continue
                for pobj in prep.children:
                    ent = self.mentions.entity(pobj)
                    if ent is None or ent.label_ not in ("GPE", "LOC", "FAC"):
                        continue
                    actor = self.mentions.gazetteer.actors.get(ent.id_)
                    if actor is not None and actor.country:
                        return self.mentions.gazetteer.state(actor.country)
        return None

    def _domestic_targets(self, verb: Token, source: Mention) -> list[Mention]:
        """Unnamed people acted on at home: "police dispersed demonstrators" gives the
        demonstrators the country of the place, or else of the source (CAMEO's default)."""
        objects = [c for c in verb.children if c.dep_ == "dobj"] + [
            g for c in verb.children if c.dep_ == "prep" and c.lower_ in _VERB_TARGET_PREPS
            for g in c.children if g.dep_ == "pobj"
        ]
        for obj in objects:
            if not self.mentions.is_agent(obj):
                continue
            state = self._place_state(verb)
            if state is None and source.actor.country:
                state = self.mentions.gazetteer.state(source.actor.country)
            if state is None:
                return []
            sector = self.cues.agent_nouns.get(obj.lower_) or self.cues.agent_nouns.get(
                obj.lemma_.lower(), "Government")
            actor = sector_actor(state, sector, self.mentions.base_iri)
            if actor.id != source.actor.id:
                return [Mention(actor, obj.text, "implied")]
        return []

    # -- verbs -------------------------------------------------------------------------

    def _verb_events(self, verb: Token) -> Iterator[Coded]:
        lemma = verb.lemma_.lower()
        if not self.lexicon.has("VERB", lemma) and lemma not in self.cues.reporting_verbs:
            return
        if self._negated(verb) or self._hypothetical(verb) or self._headline_gerund(verb):
            return
        if lemma in self.cues.light_verbs and any(
            self.lexicon.has("NOUN", c.lemma_.lower()) for c in verb.children if c.dep_ == "dobj"
        ):
            return  # the noun trigger codes it: "launched a strike on ..."
        match = self.lexicon.lookup("VERB", lemma, self._context(verb))
        is_statement = lemma in self.cues.reporting_verbs
        clausal = (
            any(c.dep_ in ("ccomp", "parataxis") for c in verb.children) or verb.dep_ == "parataxis"
        )
        if match is None or (is_statement and clausal):
            if not is_statement:
                return
            match = TriggerMatch(lemma, "VERB", self.cues.statement_code, ())
        if (
            lemma in self.cues.threat_verbs or lemma in self.cues.intent_verbs
        ) and self._threatened_act(verb) is not None:
            return  # the complement is coded as the threat or the intent
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        speaker = self._speaker(verb)
        if passive:
            sources = self._agents(verb, speaker)
            targets = self._actors_of(verb, ("nsubjpass",), speaker)
        else:
            sources = self._subjects(verb, speaker)
            targets = self._targets(verb, speaker, is_statement)
        confidence = 0.9 - (0.1 if speaker is not None else 0.0)
        code, kind = match.code, "statement" if is_statement else "act"
        threat = self._threat_code(verb, code)
        if threat is not None:
            code, kind = threat, "threat" if threat.startswith("13") else "intent"
            threatener = self._threatener(verb)
            if threatener:
                sources = threatener
            if not targets and kind == "threat":
                targets = self._addressees(verb, sources)
        if not targets and not is_statement and sources:
            targets = self._domestic_targets(verb, sources[0])
        for source in sources:
            for target in targets or [None]:
                score = confidence * min(source.certainty, target.certainty if target else 1.0)
                yield Coded(verb, match, code, source, target, score, kind)

    def _context(self, token: Token) -> list[str]:
        words = []
        for child in token.children:
            if child.dep_ in (
                "prt",
                "prep",
                "dobj",
                "attr",
                "acomp",
                "dative",
                "oprd",
                "compound",
                "amod",
                "agent",
                "xcomp",
                "advmod",
            ):
                words.append(child.lemma_.lower())
                for grandchild in child.children:
                    if grandchild.dep_ in ("pobj", "compound", "amod", "prep"):
                        words.append(grandchild.lemma_.lower())
                        words.extend(
                            g.lemma_.lower()
                            for g in grandchild.children
                            if g.dep_ in ("compound", "amod", "pobj")
                        )
        return words

    def _negated(self, token: Token) -> bool:
        for child in token.children:
            if child.dep_ == "neg" or child.lower_ in ("never", "n't", "not"):
                return True
        return any(
            c.dep_ == "det" and c.lower_ == "no" for c in token.children if token.pos_ == "NOUN"
        )

    def _headline_gerund(self, verb: Token) -> bool:
        """ "Soleimani killing: ..." is a noun phrase (he is the victim), not "Soleimani kills"."""
        return (
            verb.tag_ == "VBG"
            and verb.dep_ == "ROOT"
            and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
        )

    def _future(self, verb: Token) -> bool:
        """ "will strike"; in reported speech "said it would strike" is the same future."""
        for child in verb.children:
            if child.dep_ != "aux":
                continue
            if child.lower_ in self.cues.future_auxiliaries:
                return True
            if child.lower_ == "would" and self._reported(verb):
                return True
        return False

    def _reported(self, verb: Token) -> bool:
        """Whether ``verb`` is the complement of a reporting, threat or intent verb."""
        head = verb.head
        lemma = head.lemma_.lower()
        return verb.dep_ in ("ccomp", "xcomp", "parataxis") and (
            lemma in self.cues.reporting_verbs
            or lemma in self.cues.threat_verbs
            or lemma in self.cues.intent_verbs
        )

    def _hypothetical(self, verb: Token) -> bool:
        if any(
            c.dep_ == "aux" and c.lower_ in self.cues.hypothetical_auxiliaries
            for c in verb.children
        ) and not self._future(verb):
            return True
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children):
            return True  # "if Iran attacked Americans": a condition, not an act
        head = verb
        while head.dep_ in ("xcomp", "ccomp", "advcl", "conj", "pcomp") and head.head.i != head.i:
            parent = head.head
            if parent.pos_ == "ADP" and parent.head.i != parent.i:
                parent = parent.head  # "accused Iran of attacking": through the preposition
            if parent.lemma_.lower() in self.cues.allegation_verbs:
                return True  # an allegation is coded as the accusation, not as the act
            if head.dep_ == "xcomp" and parent.lemma_.lower() in self.cues.non_factual_verbs:
                return True
            if head.dep_ == "xcomp" and self._negated(parent):
                return True
            if head.dep_ != "conj":
                break
            head = parent
        return False

    def _threatened_act(self, verb: Token) -> Token | None:
        """The act a threat or intent verb governs ("vowed to retaliate"), if it is a trigger."""
        deps = ("xcomp", "ccomp") if verb.lemma_.lower() in self.cues.threat_verbs else ("xcomp",)
        for child in verb.children:
            if (
                child.dep_ in deps
                and child.pos_ == "VERB"
                and self.lexicon.lookup("VERB", child.lemma_.lower(), self._context(child))
            ):
                return child
        return None

    def _governor(self, verb: Token) -> Token | None:
        """The threat or intent word that ``verb`` is the complement of, if any."""
        if verb.dep_ not in ("xcomp", "ccomp"):
            return None
        head = verb.head
        lemma = head.lemma_.lower()
        if lemma in self.cues.threat_verbs:
            return head
        if lemma in self.cues.intent_verbs and verb.dep_ == "xcomp":
            return head
        if head.pos_ == "ADJ" and lemma in self.cues.intent_adjectives:
            return head
        return None

    def _threat_code(self, verb: Token, code: str) -> str | None:
        """13x or 03x when the act is vowed, threatened or announced instead of done."""
        root = int(code[:2])
        governor = self._governor(verb)
        threat = governor is not None and governor.lemma_.lower() in self.cues.threat_verbs
        future = self._future(verb)
        if root >= 14 and (governor is not None or future):
            return {16: "131", 17: "137"}.get(root, "138" if root >= 18 else "130")
        if 9 <= root <= 13 and threat:
            return "130"
        if 4 <= root <= 8 and (governor is not None or future):
            return {4: "036", 5: "030", 6: "031", 7: "033", 8: "035"}[root]
        return None

    def _threatener(self, verb: Token) -> list[Mention]:
        governor = self._governor(verb)
        if governor is not None and governor.pos_ == "VERB":
            return self._subjects(governor, self._speaker(governor))
        return []

    def _addressees(self, verb: Token, sources: list[Mention]) -> list[Mention]:
        """Who a threat is aimed at when no target is attached: "telling Americans ... we will"."""
        excluded = {s.actor.id for s in sources}
        sentence = verb.sent
        for token in sentence:
            if token.dep_ in ("dobj", "dative", "pobj") and token.i != verb.i:
                mention = self.mentions.resolve(token)
                if mention is not None and mention.actor.id not in excluded:
                    return [mention]
        return []

    # -- arguments ---------------------------------------------------------------------

    def _speaker(self, token: Token) -> Mention | None:
        """The speaker when ``token`` sits in the complement of a reporting verb."""
        node = token
        while node.head.i != node.i:
            if (
                node.dep_ in ("ccomp", "parataxis")
                and node.head.lemma_.lower() in self.cues.reporting_verbs
            ):
                subjects = self._subjects(node.head, None)
                return subjects[0] if subjects else None
            node = node.head
        return None

    def _subjects(self, verb: Token, speaker: Mention | None) -> list[Mention]:
        found = self._actors_of(verb, _SUBJECT_DEPS, speaker)
        if found:
            return found
        for child in verb.children:  # "a US drone strike ... killed Soleimani"
            if child.dep_ in _SUBJECT_DEPS and self.lexicon.has("NOUN", child.lemma_.lower()):
                found = [
                    m
                    for m in (
                        self._modifier_actor(c, speaker)
                        for c in child.children
                        if c.dep_ in ("compound", "amod", "poss", "nmod")
                    )
                    if m
                ]
                if found:
                    return found
        relative = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        if verb.dep_ in ("relcl", "acl") and (relative or verb.tag_ == "VBG"):
            mention = self._resolve_expanding(verb.head, speaker)
            if mention:
                return mention
        if relative:
            return []
        for_subject = self._for_subject(verb, speaker)
        if for_subject:
            return for_subject
        node = verb
        while node.dep_ in _INHERIT_DEPS and node.head.i != node.i:
            node = node.head
            if node.lemma_.lower() in self.cues.reporting_verbs:
                return []  # the reporter is not the actor of what is reported
            if node.pos_ in ("VERB", "AUX"):
                found = self._actors_of(node, _SUBJECT_DEPS, self._speaker(node))
                if found:
                    return found
                if any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
                    return []
        return []

    def _for_subject(self, verb: Token, speaker: Mention | None) -> list[Mention]:
        """The subject of an infinitive introduced by "for": "for it to murder the general"."""
        if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            return []
        for sibling in verb.head.children:
            if sibling.dep_ == "prep" and sibling.lower_ == "for" and sibling.i < verb.i:
                return self._actors_of(sibling, ("pobj",), speaker)
        return []

    def _agents(self, verb: Token, speaker: Mention | None) -> list[Mention]:
        for child in verb.children:
            if child.dep_ == "agent":
                return self._actors_of(child, ("pobj",), speaker)
        for token in verb.subtree:  # "designated as X by Y": the parser may attach "by" low
            if token.lower_ == "by" and token.dep_ in ("prep", "agent"):
                path = token.head
                while path.i != verb.i and path.pos_ not in ("VERB",):
                    path = path.head
                if path.i == verb.i:
                    return self._actors_of(token, ("pobj",), speaker)
        return []

    def _targets(self, verb: Token, speaker: Mention | None, statement: bool) -> list[Mention]:
        found = self._actors_of(verb, _OBJECT_DEPS, speaker)
        if found:
            return found
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in _VERB_TARGET_PREPS:
                found = self._actors_of(child, ("pobj",), speaker)
                if found:
                    return found
        if statement:
            return []
        for child in verb.children:
            if child.dep_ == "dobj":
                inner = self._actor_inside(child, speaker)
                if inner:
                    return [inner]
        for child in verb.children:  # "demanded that the United States match ..."
            if child.dep_ == "ccomp" and child.pos_ in ("VERB", "AUX"):
                found = self._actors_of(child, _SUBJECT_DEPS, speaker)
                if found:
                    return found
        for child in verb.children:  # "mobilized reservists for a possible war against Iraq"
            if child.dep_ == "prep" and child.lower_ in _DEEP_TARGET_PREPS:
                for pobj in (g for g in child.children if g.dep_ == "pobj"):
                    inner = self._resolve_expanding(pobj, speaker) or (
                        [m] if (m := self._actor_inside(pobj, speaker)) else []
                    )
                    if inner:
                        return inner
        return []

    def _actors_of(self, head: Token, deps, speaker: Mention | None) -> list[Mention]:
        found: list[Mention] = []
        for child in head.children:
            if child.dep_ in deps:
                found.extend(self._resolve_expanding(child, speaker))
        return found

    def _resolve_expanding(self, token: Token, speaker: Mention | None) -> list[Mention]:
        """The actors of ``token`` and of the nouns coordinated with it."""
        found = []
        for node in self._conjuncts(token):
            for mention in self.mentions.resolve_all(node, speaker):
                if all(m.actor.id != mention.actor.id for m in found):
                    found.append(mention)
        return found

    def _conjuncts(self, token: Token) -> Iterator[Token]:
        yield token
        for child in token.children:
            if child.dep_ == "conj":
                yield from self._conjuncts(child)

    def _actor_inside(self, phrase: Token, speaker: Mention | None) -> Mention | None:
        """The first actor named inside an object: "a convoy belonging to the Hashed"."""
        for token in phrase.subtree:
            if token.i == phrase.i or token.pos_ not in ("PROPN", "NOUN", "ADJ"):
                continue
            if (
                token.dep_ == "pobj"
                and token.head.lower_ in self.cues.location_prepositions
                and token.ent_type_ in ("GPE", "LOC", "FAC")
            ):
                continue  # "a convoy near Baghdad airport": a place, not the target
            if token.dep_ in ("pobj", "compound", "poss", "amod", "nmod", "appos"):
                mention = self.mentions.resolve(token, speaker)
                if mention is not None:
                    return mention
        return None

    # -- nouns -------------------------------------------------------------------------

    def _noun_events(self, noun: Token) -> Iterator[Coded]:
        if self._negated(noun):
            return
        context = [c.lemma_.lower() for c in noun.children] + [
            g.lemma_.lower() for c in noun.children for g in c.children if c.dep_ == "prep"
        ]
        match = self.lexicon.lookup("NOUN", noun.lemma_.lower(), context)
        if match is None:
            return
        head = noun.head
        speaker = self._speaker(noun)
        sources = [
            m
            for m in (
                self._modifier_actor(c, speaker)
                for c in noun.children
                if c.dep_ in ("compound", "amod", "poss", "nmod")
            )
            if m
        ]
        by = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"]
        if not sources and by:
            sources = self._actors_of(by[0], ("pobj",), speaker)
        light = noun.dep_ == "dobj" and head.lemma_.lower() in self.cues.light_verbs
        if not sources and light and not self._negated(head) and not self._hypothetical(head):
            sources = self._subjects(head, self._speaker(head))
        if not sources:
            return
        targets: list[Mention] = []
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in _NOUN_TARGET_PREPS:
                targets = self._actors_of(child, ("pobj",), speaker)
                if not targets:
                    for pobj in (g for g in child.children if g.dep_ == "pobj"):
                        inner = self._actor_inside(pobj, speaker)
                        targets = [inner] if inner else []
                if targets:
                    break
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

    def _modifier_actor(self, token: Token, speaker: Mention | None) -> Mention | None:
        mention = self.mentions.resolve(token, speaker)
        if mention is None and token.pos_ == "ADJ":
            actor = self.mentions.gazetteer.by_demonym(token.text)
            mention = Mention(actor, token.text, "demonym") if actor else None
        return mention

    def _targeting(self, verb: Token, speaker: Mention | None) -> list[Mention]:
        """A target named by a participle: "reported a strike ..., targeting a convoy of X"."""
        for child in verb.children:
            if child.dep_ in ("advcl", "xcomp", "acl") and child.lemma_.lower() in _TARGETING_VERBS:
                for obj in (g for g in child.children if g.dep_ == "dobj"):
                    mention = self.mentions.resolve(obj, speaker) or self._actor_inside(
                        obj, speaker
                    )
                    if mention is not None:
                        return [mention]
        return []
