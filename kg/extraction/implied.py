"""Targets a sentence implies without naming them, as CAMEO's coders fill them: the
state of the place where an act happens ("lifted a curfew in Montenegro" is -> MNE), the
people acted on at home ("police dispersed demonstrators" are the country's civilians),
the host of a visit, the source's own population for repression with no place.

``ImpliedTargets`` is a base of ``kg.extraction.arguments.ArgumentFinder``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Token

from kg.actors.resolution import sector_actor
from kg.extraction.coded import Coded
from kg.extraction.lexicon import Cues
from kg.extraction.mentions import Mention, MentionResolver
from kg.models import Actor

__all__ = ["VERB_TARGET_PREPS", "ImpliedTargets", "owned"]

VERB_TARGET_PREPS = frozenset(
    {"against", "on", "at", "with", "to", "toward", "towards", "into", "upon"}
)
#: Prepositions of the place an act happens in: "struck targets across Syria" (issue 14).
_PLACE_PREPS = frozenset({"in", "at", "to", "outside", "across", "throughout", "inside"})
#: Roots whose missing target CAMEO fills from the place of the act (see _implied_target).
_IMPLIED_TARGET_ROOTS = frozenset({"04", "08", "13", "14", "15", "17", "18", "19", "20"})
_TARGETING_VERBS = frozenset({"target", "hit", "aim"})
#: Seizing property (171) and expelling (174) fall on an owner or on foreigners the
#: sentence leaves out, not on the own population.
_NOT_ON_OWN_PEOPLE = frozenset({"171", "174"})


class ImpliedTargets:
    """Targets from the place of an act and the people acted on."""

    cues: Cues
    mentions: MentionResolver
    _subjects: Callable[[Token, Mention | None], list[Mention]]  # ArgumentFinder's
    _actor_inside: Callable[[Token, Mention | None], Mention | None]  # ArgumentFinder's

    def _owned_by_subject(self, obj: Token, verb: Token, speaker: Mention | None) -> bool:
        """Whether a possessed object is the subject's own ("withdrew its troops"): "his"
        or "her" is someone else's when the subject cannot be that person, a state or a
        body ("UNESCO questioned his authority", "Greece criticised her decision"), or
        a person of the other sex; a person's "his" is their own."""
        if not owned(obj):
            return False
        pronouns = [c.lower_ for c in obj.children if c.dep_ == "poss"]
        if not pronouns or pronouns[0] not in ("his", "her"):
            return True
        subjects = self._subjects(verb, speaker)
        if not subjects:
            return True
        pronoun = "he" if pronouns[0] == "his" else "she"
        return any(
            (m.actor.type == "Person" and self.mentions.agrees(pronoun, m.actor))
            or m.how in ("title", "agent", "pronoun")  # "the UN envoy ... his concern"
            for m in subjects
        )

    def _crowd_demand(self, coded: Coded) -> Coded:
        """What a crowd demands with no addressee named, it demands of the government of
        the place, else of its own ("Protesters' demands include ... the release of
        protesters who were arrested" is -> Hong Kong), as CAMEO codes its protests."""
        source = coded.source.actor
        place = self._place_state(coded.trigger) or self.mentions.gazetteer.state(
            source.country or ""
        )
        if place is None:
            return coded
        return replace(
            coded, target=Mention(place, "", "implied"), confidence=coded.confidence * 0.8
        )

    def _place_state(self, trigger: Token, deep: bool = False) -> Actor | None:
        """The state of the place named by "in/at/to <place>" on the trigger or its verb;
        ``deep`` also looks inside the object ("lifted a curfew in Montenegro", "fired
        at targets in Jericho")."""
        anchors = [trigger] if trigger.pos_ == "VERB" else [trigger, trigger.head]
        if deep:
            anchors += [
                node
                for anchor in list(anchors)
                for child in anchor.children
                for node in (
                    [child]
                    if child.dep_ == "dobj"
                    else [g for g in child.children if g.dep_ == "pobj"]
                )
                if child.dep_ in ("dobj", "prep")
            ]
            for anchor in list(anchors):
                for child in anchor.children:
                    if child.dep_ == "xcomp":  # "threatened to resume attacks in Israel"
                        anchors.append(child)
                        anchors.extend(g for g in child.children if g.dep_ == "dobj")
        for anchor in anchors:
            for prep in anchor.children:
                if prep.dep_ != "prep" or prep.lower_ not in _PLACE_PREPS:
                    continue
                for pobj in prep.children:
                    state = self.mentions.place_state(pobj) if pobj.dep_ == "pobj" else None
                    if state is not None:
                        return state
        return None

    def _domestic_targets(self, verb: Token, source: Mention) -> list[Mention]:
        """Unnamed people acted on at home: "police dispersed demonstrators" gives the
        demonstrators the country of the place, or else of the source (CAMEO's default)."""
        objects = [c for c in verb.children if c.dep_ == "dobj"] + [
            g
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ in VERB_TARGET_PREPS
            for g in c.children
            if g.dep_ == "pobj"
        ]
        for obj in objects:
            if not self.mentions.is_agent(obj) or owned(obj) or self._title_of_name(obj):
                continue
            if self._stateless_people(obj):
                return []  # "Kurdish fighters in Syria" are not Syria's military
            sector = self.cues.agent_nouns.get(obj.lower_) or self.cues.agent_nouns.get(
                obj.lemma_.lower(), "Government"
            )
            state = self._place_state(verb)
            if state is None and source.actor.country:
                state = self.mentions.gazetteer.state(source.actor.country)
            if state is None:
                return []
            actor = sector_actor(
                state, sector, self.mentions.base_iri, self.mentions.gazetteer.adjective(state)
            )
            if actor.id != source.actor.id:
                return [Mention(actor, obj.text, "implied")]
        return []

    def _stateless_people(self, noun: Token) -> bool:
        """People named by a nationality with no state of its own ("Kurdish fighters")."""
        for child in noun.children:
            ent = self.mentions.entity(child)
            if child.dep_ in ("amod", "compound") and ent is not None and ent.label_ == "NORP":
                actor = self.mentions.gazetteer.actors.get(ent.id_)
                if actor is None or not actor.country:
                    return True
        return False

    def _title_of_name(self, noun: Token) -> bool:
        """A title the parser cut from the name after it, "on Sunday Presidents Muhammadu
        Buhari of Nigeria ... signed": the people so titled, not people acted on."""
        after = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
        return (
            noun.lemma_.lower() in self.cues.person_titles
            and after is not None
            and after.ent_type_ == "PERSON"
        )

    def _implied_target(self, coded: Coded) -> Coded:
        """CAMEO's conventions for acts that name no target: a protest is aimed at the
        government of the place where it happens ("US activists protested in Beijing" is
        USA -> China) or else at the protesters' own government ("Iraqi Kurds demonstrated
        in Kirkuk" is IRQCVL -> IRQ); a visit or meeting abroad is with the host state
        ("arrived in Amman on a visit" is -> Jordan); force, repression, threats and
        their easing fall on the place where they happen ("Serbia lifted a night curfew
        in Montenegro" is SRB -> MNE), the source's own population when at home;
        repression with no place falls on the source's own population ("Turkish
        authorities imposed a curfew" is TUR -> TUR)."""
        if coded.target is None and coded.root == "10" and _crowd(coded.source.actor):
            return self._crowd_demand(coded)
        if coded.target is not None or coded.root not in _IMPLIED_TARGET_ROOTS:
            return coded
        source = coded.source.actor
        place = self._place_state(coded.trigger, deep=True)
        if coded.root not in ("04", "14"):
            # 137: threaten repression. Seizing property (171) and expelling (174) fall on
            # an owner or on foreigners the sentence leaves out, not on the own population.
            repression = (
                coded.root == "17" and coded.code[:3] not in _NOT_ON_OWN_PEOPLE
            ) or coded.code == "137"
            if place is None and repression and source.country:
                place = self.mentions.gazetteer.state(source.country)
            if place is not None and place.country == source.country:
                place = sector_actor(
                    place,
                    "Civilians",
                    self.mentions.base_iri,
                    self.mentions.gazetteer.adjective(place),
                )
        if place is not None and place.country == source.country:
            place = None if coded.root == "04" else place
        if place is None and coded.root == "14" and source.type != "State" and source.country:
            place = self.mentions.gazetteer.state(source.country)
        if place is None or place.id == source.id:
            return coded
        return replace(
            coded, target=Mention(place, "", "implied"), confidence=coded.confidence * 0.8
        )

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


def owned(noun: Token) -> bool:
    """ "its troops", "their borders": a noun owned by the clause's own subject; "his
    Iranian counterpart" is the other side's."""
    return noun.lemma_.lower() != "counterpart" and any(
        c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her", "our")
        for c in noun.children
    )


def _crowd(actor: Actor) -> bool:
    """A crowd of a state's people ("protesters (Hong Kong)", :func:`sector_actor`)."""
    return "/actor/sector/" in actor.id and actor.type == "Other" and bool(actor.country)
