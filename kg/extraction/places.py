"""Places in a sentence: the country of a place it names ("south Serbia", "Kirkuk"), and
the country a clause is set in."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from spacy.tokens import Span, Token

from kg.actors.resolution import ArticleActors, Gazetteer, mint_actor, sector_actor
from kg.extraction.lexicon import Cues
from kg.extraction.mention import Mention
from kg.models import Actor

__all__ = ["PLACE_LABELS", "PlaceContext"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Prepositions that set a clause in a place ("in Hong Kong", "outside the embassy").
_LOCATIVE = frozenset({"in", "at", "near", "across", "outside", "around", "throughout"})


class PlaceContext:
    """Place rules of ``MentionResolver``."""

    gazetteer: Gazetteer
    cues: Cues
    base_iri: str
    context: ArticleActors
    _entities: dict[int, Span]
    _offset: int
    _modifier: Callable[[Token], Mention | None]  # MentionResolver's
    resolve: Callable[[Token], Mention | None]  # MentionResolver's

    def _place_country(self, token: Token) -> str | None:
        """The country of the place ``token`` names ("south Serbia", "Kirkuk"), if any;
        through a place noun ("the capital city of Algiers", "Montenegro province")."""
        for node in (token, *[c for c in token.children if c.dep_ == "appos"]):
            country = self._entity_country(node, PLACE_LABELS)
            if country:
                return country
        if token.i in self._entities or token.lemma_.lower() not in self.cues.place_nouns:
            return None
        for child in token.children:  # "the city of Algiers"
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and (country := self._place_country(pobj)):
                        return country
        # "Montenegro province", "the Azerbaijani republic"
        return self._country_before(token, (*PLACE_LABELS, "NORP"))

    def _entity_country(self, token: Token, labels: Iterable[str]) -> str | None:
        """The country of the entity at ``token`` when its label is one of ``labels``."""
        ent = self._entities.get(token.i)
        if ent is None or ent.label_ not in labels:
            return None
        actor = self.gazetteer.actors.get(ent.id_) or self.gazetteer.lookup(ent.text)
        return actor.country if actor is not None else None

    def _country_before(self, token: Token, labels: Iterable[str]) -> str | None:
        """The country of a place or nationality named in front of ``token``."""
        for child in token.children:
            if child.dep_ in ("compound", "amod") and child.i < token.i:
                country = self._entity_country(child, labels)
                if country:
                    return country
        return None

    def place_state(self, token: Token) -> Actor | None:
        """The state of the place ``token`` names (see :meth:`_place_country`)."""
        country = self._place_country(token)
        return self.gazetteer.state(country) if country else None

    def _place_of(self, token: Token) -> Mention | None:
        """The state of a place named through a place noun ("residents of the city of
        Algiers") or by an unknown name with a nationality ("Druze inhabitants of the
        Syrian Golan Heights", PLOVER GSR read by hand)."""
        state = self.place_state(token)
        if state is None and token.pos_ == "PROPN":
            country = self._country_before(token, ("NORP", "GPE"))
            state = self.gazetteer.state(country) if country else None
        return Mention(state, token.text, "agent") if state is not None else None

    def _stateless_group(self, token: Token, agent: Token) -> Actor | None:
        """A civilian group the article names with no state, and no crowd before it: the
        group of the state its clause is set in or the article is about ("demonstrators
        protesting election results in Monrovia" are protesters (Liberia)), else the
        group itself, as CAMEO codes a role with no country ("---OPP"): "Protesters'
        demands include ..." is the protesters' demand."""
        groups = self.cues.civilian_groups
        group = groups.get(agent.lemma_.lower()) or groups.get(agent.lower_)
        if group is None or token.i != agent.i:
            return None
        country = self._local_country(token)  # "demonstrators ... in Monrovia"
        state = self.gazetteer.state(country) if country else None
        if state is not None:
            adjective = self.gazetteer.adjective(state)
            return sector_actor(state, "Civilians", self.base_iri, adjective, group)
        return replace(mint_actor(group, "NORP", self.base_iri), type="Other")

    def _resident(self, token: Token, people: Mention) -> Mention:
        """An ethnic group counts for the state it lives in (CAMEO codes "ethnic Albanians
        in south Serbia" as SRB, "Bosnian Serbs" as BIH): the state named in front of the
        group, the place named with it ("the Albanians of southern Serbia") or, for
        "ethnic X", the place of the clause."""
        for child in token.children:  # "Bosnian Serbs", "Iraqi Kurds": the state named
            if child.dep_ in ("amod", "compound") and child.i < token.i:
                state = self._modifier(child)
                if (
                    state is not None
                    and state.actor.type == "State"
                    and state.actor.country != people.actor.country
                ):
                    actor = sector_actor(
                        state.actor,
                        "Civilians",
                        self.base_iri,
                        self.gazetteer.adjective(state.actor),
                    )
                    return Mention(actor, f"{child.text} {people.text}", people.how)
        ethnic = any(c.lower_ == "ethnic" for c in token.children)
        anchors = [token, token.head] if ethnic and token.dep_ in ("nsubj", "dobj") else [token]
        for anchor in anchors:
            for prep in anchor.children:
                if prep.dep_ != "prep" or prep.lower_ not in ("in", "of"):
                    continue
                for pobj in prep.children:
                    place = self._place_country(pobj) or next(
                        (  # "in a gunbattle in southeastern Serbia"
                            self._place_country(g)
                            for p in pobj.children
                            if p.dep_ == "prep" and p.lower_ == "in"
                            for g in p.children
                            if g.dep_ == "pobj" and self._place_country(g)
                        ),
                        None,
                    )
                    if place and place != people.actor.country:
                        state = self.gazetteer.state(place)
                        if state is not None:
                            actor = sector_actor(
                                state, "Civilians", self.base_iri, self.gazetteer.adjective(state)
                            )
                            return Mention(actor, people.text, people.how)
        return people

    def _counted(self, token: Token) -> Mention | None:
        """People counted by a collective noun: "thousands of Swedes" are Swedish
        civilians, not the state (a demonym in the plural names people)."""
        mention = self.resolve(token)
        if mention is None or mention.actor.type != "State" or token.tag_ not in ("NNPS", "NNS"):
            return mention
        state = mention.actor
        adjective = self.gazetteer.adjective(state)
        actor = sector_actor(state, "Civilians", self.base_iri, adjective)
        return Mention(actor, mention.text, "demonym")

    def _people_in_place(self, token: Token, agent: Token) -> Actor | None:
        """People named with no state, in a clause set in a place: the civilians of its
        state ("Hundreds of thousands of people blocked streets in Hong Kong", PLOVER GSR
        read by hand); without a place named, nobody (the article's country is no
        evidence for "people")."""
        if token.i != agent.i or agent.lemma_.lower() not in ("people", "resident", "citizen"):
            return None
        country = self._local_country(token, fallback=False)
        state = self.gazetteer.state(country) if country else None
        if state is None:
            return None
        adjective = self.gazetteer.adjective(state)
        return sector_actor(state, "Civilians", self.base_iri, adjective)

    def _local_country(self, token: Token, fallback: bool = True) -> str | None:
        """The country an agent noun without a state acts in: the place its clause is set
        in ("Protesters threw eggs at police in Hong Kong", "troops opened fire in
        Baghdad"), else the country the article is about so far (see
        :meth:`ArticleActors.main_country`); None when neither names one, or when the
        clause names a place of unknown country."""
        clause = token if token.pos_ in ("VERB", "AUX") else _clause_of(token)
        unknown = False
        for prep in (*token.children, *clause.subtree):
            if prep.dep_ != "prep" or prep.lower_ not in _LOCATIVE:
                continue
            if _clause_of(prep).i != clause.i and prep.head.i != token.i:
                continue  # the place of another clause
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                country = self._place_country(pobj) or next(
                    (  # "near the border in northern Iraq"
                        country
                        for p in pobj.children
                        if p.dep_ == "prep" and p.lower_ in _LOCATIVE
                        for g in p.children
                        if g.dep_ == "pobj" and (country := self._place_country(g))
                    ),
                    None,
                )
                if country:
                    return country
                if pobj.ent_type_ in PLACE_LABELS:
                    unknown = True  # "protesters in Gaza": a place, not the article's
        if unknown or not fallback:
            return None
        return self.context.main_country(self._offset + token.idx)


def _clause_of(token: Token) -> Token:
    """The verb of the clause ``token`` is in (the root when there is none)."""
    clause = token.head
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    return clause
