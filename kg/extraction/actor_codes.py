"""Codes that depend on who acts, not only on the verb: killing by a state is CAMEO 19,
by militants 18; blocking by the authorities is repression (17), by protesters an
obstruction (144); storming by a crowd is a riot (145); a people that protests is its
protesters. :class:`ActorDependentCodes` is a part of
:class:`~kg.extraction.coding.SentenceCoder`.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from kg.actors.resolution import sector_actor
from kg.extraction.coded import Coded
from kg.extraction.lexicon import Cues, Lexicon
from kg.extraction.mentions import Mention, MentionResolver
from kg.models import Actor

__all__ = ["ActorDependentCodes"]


class ActorDependentCodes:
    """Who-acts rules of ``SentenceCoder``."""

    cues: Cues
    lexicon: Lexicon
    mentions: MentionResolver

    def _violence_code(self, coded: Coded) -> Coded:
        """Codes that depend on who acts. Killing is CAMEO 19 (conventional military force)
        when a state or its military does it, 18 (unconventional violence) when militants,
        mobs or unknown people do: "Hezbollah guerrillas killed the deputy chief" is 18,
        "Serb forces killed" 19. Blocking by the authorities is repression (17), by
        protesters or rebels an obstruction (144): "Angry French paper workers blocked
        the Europe Bridge". Storming by a crowd is a violent protest (145): "supporters of
        Iran-backed militias forced their way into the US embassy". Force an armed group
        turns on civilians is an assault (18), not combat: "a camp for Congolese refugees
        was attacked by Burundian militiamen"."""
        state = coded.source.actor.type in ("State", "Government", "Military")
        if coded.root == "17" and coded.match.lemma in self.cues.obstruction_lemmas:
            return coded if state else replace(coded, code=self.cues.obstruction_code)
        if (
            coded.root in ("18", "19")
            and coded.match.lemma in self.cues.rioting_lemmas
            and self._crowd_subject(coded.trigger)
        ):
            return replace(coded, code=self.cues.riot_code)
        if (
            coded.code == "190"
            and coded.source.actor.type == "ArmedGroup"
            and coded.target is not None
            and coded.target.how != "implied"  # shelling a town is still combat
            and _civilians(coded.target.actor)
        ):
            return replace(coded, code="180")  # armed groups attacking civilians assault them
        if coded.code != "190" or coded.match.lemma not in self.cues.killing_lemmas:
            return coded
        if coded.source.actor.type in ("State", "Military"):
            return coded
        if coded.trigger.dep_ in ("advcl", "acl", "xcomp", "conj"):
            return coded  # "rebels shelled Juba, killing 20": the toll of the attack
        return replace(coded, code="180")

    def _crowd_subject(self, verb: Token) -> bool:
        """Whether the subject names protesters, supporters or a crowd ("smashing a gate"
        has the subject of the clause it goes with)."""
        while not any(c.dep_ == "nsubj" for c in verb.children):
            if verb.dep_ not in ("advcl", "conj", "xcomp") or verb.head.i == verb.i:
                return False
            verb = verb.head
        return any(
            self.cues.agent_nouns.get(token.lemma_.lower()) == "Civilians"
            for child in verb.children
            if child.dep_ == "nsubj"
            for token in child.subtree
        )

    def _gathers_to_protest(self, verb: Token) -> bool:
        """Whether a gathering is for a protest: "converging for a rally", "gathered to
        protest" (a noun or verb the lexicon codes 14)."""
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ == "for":
                nouns = [g for g in child.children if g.dep_ == "pobj"]
                if any(self._protest_word("NOUN", noun) for noun in nouns):
                    return True
            if child.dep_ in ("advcl", "xcomp") and self._protest_word("VERB", child):
                return True
        return False

    def _protest_word(self, pos: str, token: Token) -> bool:
        match = self.lexicon.lookup(pos, token.lemma_.lower())
        return match is not None and match.code[:2] == "14"

    def _protesting_people(self, coded: Coded) -> Coded:
        """A people that protests is protesters of its state, not the state: "Hongkongers
        have been protesting", "Iraqis marched" (a state named by its demonym, plural,
        as the source of a protest, 14); protesters who gather demonstrate (141), they do
        not meet (04)."""
        source = coded.source
        words = source.text.lower().split()
        crowd = bool(words) and self.cues.civilian_groups.get(words[-1]) == "protesters"
        if coded.root == "04" and coded.trigger.lemma_.lower() in self.cues.assembly_verbs:
            if not (crowd or self._gathers_to_protest(coded.trigger)):
                return coded
            # "thousands of Hong Kong protesters gathered around the police complex",
            # "thousands of Nigerians were converging for a rally in Lagos"
            coded = replace(coded, code=self.cues.demonstration_code)
        if coded.root != "14" or source.how != "demonym" or not source.text.endswith("s"):
            return coded  # "Iraqi protesters" is resolved as a group already
        state = source.actor
        if _civilians(state) and state.country:  # "thousands of Swedes joined the protest"
            state = self.mentions.gazetteer.state(state.country) or state
        if state.type != "State":
            return coded
        adjective = self.mentions.gazetteer.adjective(state)
        group = sector_actor(state, "Civilians", self.mentions.base_iri, adjective, "protesters")
        return replace(coded, source=Mention(group, source.text, "demonym"))


def _civilians(actor: Actor) -> bool:
    """A state's civilians or a civilian group ("refugees (DR Congo)", ``sector_actor``)."""
    return "/actor/sector/" in actor.id and actor.type == "Other"
