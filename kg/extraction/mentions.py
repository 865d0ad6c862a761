"""From a token in a parsed sentence to the actor it names or refers to.

Handles names (gazetteer or minted), demonyms ("Iranians"), agent nouns with a
state or group modifier ("US troops", "Iraqi officials"), titles ("the
general", "Quds Force commander"), appositions ("the cleric, Ayatollah Ahmad
Khatami") and pronouns (resolved to the actor named earlier in the article).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from kg.actors.naming import clean_name
from kg.actors.offices import Incumbents
from kg.actors.resolution import (
    ArticleActors,
    Gazetteer,
    mint_actor,
    normalise,
    sector_actor,
    slugify,
)
from kg.extraction.lexicon import Cues
from kg.extraction.mention import Mention, listed
from kg.extraction.names import ArticleNames
from kg.extraction.places import PLACE_LABELS, PlaceContext
from kg.models import Actor

__all__ = ["Mention", "MentionResolver"]

ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_BODIES = frozenset({"IGO", "NGO"})  # actor types of international and non-governmental bodies
#: Nouns of a state's government named after its leader ("the Trump administration").
_REGIME_NOUNS = frozenset({"administration", "regime", "government", "cabinet"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod"})
_FEMININE = frozenset({"she", "her", "hers", "herself"})
_PERSONAL = {
    "he": "person",
    "him": "person",
    "she": "person",
    "her": "person",
    "his": "person",
    "it": "group",
    "its": "group",
    "they": "group",
    "them": "group",
    "their": "group",
}
_AGENT_PREPS = frozenset({"of", "in", "from", "throughout", "across"})
_FIRST_PERSON = frozenset({"i", "me", "we", "us", "my", "our"})


class MentionResolver(ArticleNames, PlaceContext):
    """Resolves tokens of one article's documents to actors."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        cues: Cues,
        base_iri: str,
        words: Container[str] = frozenset(),
        incumbents: Incumbents | None = None,
        date: dt.date | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.cues = cues
        self.base_iri = base_iri
        self.words = words
        self.incumbents = incumbents
        self.date = date  # the article's, for who held an office then
        self.context = ArticleActors()
        self._entities: dict[int, Span] = {}
        self._offset = 0
        self._offices: dict[str, Actor] = {}  # person IRI -> the body they act for
        self._crowds: list[tuple[int, Actor]] = []  # (char offset, actor) of named crowds
        #: Actors the article introduced with a political title ("Carrie Lam, the chief
        #: executive of Hong Kong"): political wherever the article names them later.
        self.titled: set[str] = set()

    def start_document(self, doc: Doc, offset: int) -> None:
        """Index ``doc``'s entities and note its named actors for later pronouns."""
        self._offset = offset
        self._entities = {token.i: ent for ent in doc.ents for token in ent}
        for at, person, name in self.missed_titled_names(doc):
            self.context.note(offset + at, person, name)
        for ent in doc.ents:
            mention = self._entity_actor(ent)
            if mention is None or self._names_a_thing(ent):
                continue
            holder = self._title_holder(ent) if mention.how == "title" else None
            if holder is not None:  # "he" later in the article is still the office
                self._offices[holder.id] = mention.actor
            self.context.note(offset + ent.start_char, holder or mention.actor, ent.text)
            if ent.label_ == "PERSON" and self._woman(ent, mention.actor):
                self.context.women.add(mention.actor.id)
            if mention.how == "minted" and ent.label_ == "PERSON" and self._titled(ent):
                self.titled.add(mention.actor.id)

    def entity(self, token: Token) -> Span | None:
        return self._entities.get(token.i)

    def resolve(self, token: Token, speaker: Mention | None = None) -> Mention | None:
        """The actor ``token`` (head of a noun phrase) stands for, or None."""
        ent = self._entities.get(token.i)
        if ent is not None and (ent.label_ in ACTOR_LABELS or ent.label_ in PLACE_LABELS):
            if ent.label_ in PLACE_LABELS and not ent.id_ and ent.label_ != "GPE":
                return None
            if _model_name(ent):
                return None
            mention = self._entity_actor(ent)
            if mention is not None and ent.label_ == "NORP" and token.i == ent.root.i:
                one = self._one_national(token, mention)
                return one if one is not None else self._resident(token, mention)
            return mention
        lower = token.lower_
        if token.pos_ == "PRON":
            if lower in _FIRST_PERSON:
                return speaker
            kind = _PERSONAL.get(lower)
            if kind is None:
                return None
            if self._speaker_again(token, speaker):
                return speaker  # "La Riva said she would not ...": the speaker herself
            offset = self._offset + token.idx
            if kind == "person":
                actor = self.context.last_person(offset, lower in _FEMININE)
            else:
                actor = self._crowd_in_sentence(token) or self.context.last_group(offset)
            if actor is not None:
                actor = self._offices.get(actor.id, actor)
            return Mention(actor, token.text, "pronoun") if actor else None
        if token.pos_ in ("NOUN", "PROPN"):
            if token.text[:1].isupper() and ent is None:  # a surname the recogniser missed
                person = self.context.surnames.get(normalise(token.text))
                if person is not None:
                    return Mention(person, token.text, "name")
                unknown = self._unknown_name(token) if self.words else None
                unknown = unknown or self._unnamed_body(token)
                if unknown is not None:
                    return Mention(unknown, token.text, "minted")
            return self._noun_actor(token)
        return None

    def _entity_actor(self, ent: Span) -> Mention | None:
        ent = self._whole_name(ent)
        ent = self._titled_person(ent) or self._company(ent) or self._other_bearer(ent) or ent
        bearer = self._article_bearer(ent)  # "Vance" after "Cyrus R. Vance, Jr."
        if bearer is not None:
            return Mention(bearer, ent.text, "name")
        if ent.id_ and ent.id_ in self.gazetteer.actors:
            how = "demonym" if ent.label_ == "NORP" else "name"
            return self._office(ent) or Mention(self.gazetteer.actors[ent.id_], ent.text, how)
        if ent.label_ not in ACTOR_LABELS:
            return None
        actor = self.gazetteer.lookup(ent.text)
        if actor is None and ent.label_ == "PERSON":  # "Adviser John Bolton"
            actor = self.gazetteer.lookup(self._untitled(ent)) or self._person(ent)
        if actor is not None:
            return self._office(ent) or Mention(actor, ent.text, "name")
        if ent.label_ in ("PERSON", "ORG", "NORP"):
            name = clean_name(ent.text)
            if name is not None and ent.label_ == "PERSON":  # "Dr Bukola Saraki"
                name = self._untitled(ent, name)
            if name is None or normalise(name) in self.cues.non_actor_names:
                return None  # "10:30 BST", "Brexit", "via Twitter"
            if ent.label_ != "PERSON" and self._document(ent, name):
                return None  # "the Paris Climate Accord", "the AfCFTA agreement"
            if self.incumbents is not None and normalise(name) in self.incumbents.titles:
                holder = self._incumbent(ent.root, [])  # "the Queen suspended parliament"
                return Mention(holder, ent.text, "title") if holder else None
            person = self._article_person(name)
            if person is not None:  # "Pierluisi" (tagged ORG) after "Pedro Pierluisi"
                return Mention(person, ent.text, "name")
            affiliation = self._affiliation(ent)
            country = affiliation.country if affiliation else None
            if ent.label_ == "NORP" and not country:
                return None  # "Christian", "Islamic": not an actor on their own
            if ent.label_ == "PERSON" and affiliation is not None and not country:
                return Mention(affiliation, ent.text, "title")  # see _office
            if ent.label_ == "ORG" and normalise(name) in self.cues.national_bodies:
                country = country or self.context.main_country(self._offset + ent.start_char)
                return Mention(self._national_body(name, country), ent.text, "minted")
            actor = mint_actor(name, ent.label_, self.base_iri)
            if country:
                actor = replace(actor, country=country)
            return Mention(actor, ent.text, "minted")
        return None

    def _office(self, ent: Span) -> Mention | None:
        """A person titled as an international body's officer acts for that body, as CAMEO
        codes them: "U.N. Secretary-General Kofi Annan", "Arab League Secretary-General
        Chedli Klibi" are the UN and the Arab League (IGO), not Ghana or Tunisia."""
        if ent.label_ != "PERSON":
            return None
        affiliation = self._affiliation(ent)
        if affiliation is None or affiliation.country or affiliation.type not in _BODIES:
            return None
        return Mention(affiliation, ent.text, "title")

    def _affiliation(self, ent: Span) -> Actor | None:
        """The state or body named beside a name: "Portuguese President Mario Soares",
        "Syria's President X", "King Hassan of Morocco", "U.N. Secretary-General X"."""
        root = ent.root
        candidates = [t for t in root.subtree if t.i < ent.start or t.i >= ent.end]
        if root.dep_ in ("appos", "compound") and root.head.pos_ in ("NOUN", "PROPN"):
            candidates.extend(t for t in root.head.subtree if t.i < ent.start)
        body = None
        for token in candidates:
            other = self._entities.get(token.i)
            if other is not None and other is not ent and other.id_ in self.gazetteer.actors:
                actor = self.gazetteer.actors[other.id_]
                if actor.country:
                    return actor
                if actor.type in _BODIES and body is None:
                    body = actor
            actor = (
                self.gazetteer.by_demonym(token.text)
                if token.pos_ in ("ADJ", "PROPN", "NOUN")
                else None
            )
            if actor is not None and actor.country:
                return actor
        return body

    def _noun_actor(self, token: Token) -> Mention | None:
        humanitarian = self._humanitarian_group(token)
        if humanitarian is not None:
            return Mention(humanitarian, token.text, "agent")
        for child in token.children:
            if child.dep_ == "appos" and not listed(child):  # "the government, X" is X
                mention = self.resolve(child)
                if mention is not None:
                    return mention
        named = self._named_after_office(token)
        if named is not None:
            return named
        lemma = token.lemma_.lower()
        modifiers = [
            m
            for m in (self._modifier(c) for c in token.children if c.dep_ in _MODIFIER_DEPS)
            if m is not None
        ]
        title_candidates = self.gazetteer.with_title(lemma)
        if title_candidates:
            mention = self._by_title(token, lemma, modifiers)
            if mention is not None:
                return mention
        holder = self._incumbent(token, [m.actor for m in modifiers])
        if holder is not None:
            return Mention(holder, token.text, "title")
        agent = token if self.is_agent(token) else self._agent_compound(token)
        if agent is not None:
            mention = self._named_agent(token, agent, modifiers)
            if mention is not None:
                if self._is_crowd(agent):  # "they" after "Hong Kong protesters" is them
                    offset = self._offset + token.idx
                    self._crowds.append((offset, mention.actor))
                    if all(
                        a.id != mention.actor.id for at, a in self.context.mentions if at == offset
                    ):
                        self.context.note(offset, mention.actor)
                return mention
            placed = self._people_in_place(token, agent)
            if placed is not None:  # "people blocked streets in Hong Kong"
                return Mention(placed, token.text, "agent")
            if self._is_crowd(agent):  # "some protesters": the crowd named before
                group = self._stateless_group(token, agent)
                return self._last_crowd(token) or (
                    Mention(group, token.text, "crowd") if group else None
                )
            if agent.lemma_.lower() in self.cues.legislator_nouns:
                return self._article_legislature(token)
        if lemma in self.cues.collective_nouns or token.lower_ in self.cues.collective_nouns:
            for child in token.children:  # "thousands of Iraqi Kurds"
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            return self._counted(pobj)
            parties = lemma == "party" and token.tag_ == "NNS"  # "Afghan political parties"
            if modifiers:  # "two American aid groups", "Palestinian factions"; a group
                groups = [m for m in modifiers if m.actor.type != "Person"]  # before its
                sector = "Parties" if parties else "Civilians"  # leader
                return self._agent((groups or modifiers)[0], token, sector)
            if parties:  # "a number of political parties", "opposition parties": the group
                return Mention(self._parties(token), token.text, "crowd")
        return None

    def _one_national(self, token: Token, people: Mention) -> Mention | None:
        """ "An Australian, Brenton Tarrant, appeared in court": one person of a country
        is the person named beside, else the country's civilians, never the state."""
        if not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in token.children):
            return None
        for appos in (c for c in token.children if c.dep_ == "appos"):
            named = self.resolve(appos)
            if named is not None:
                return named
        state = self.gazetteer.state(people.actor.country) if people.actor.country else None
        if state is None:
            return None
        adjective = self.gazetteer.adjective(state)
        return Mention(
            sector_actor(state, "Civilians", self.base_iri, adjective), token.text, "demonym"
        )

    def _agent(self, owner: Mention, noun: Token, default: str = "Government") -> Mention:
        """ "US troops" -> United States (military); "Hezbollah guerrillas" -> Hezbollah."""
        sector = self.cues.agent_nouns.get(noun.lower_) or self.cues.agent_nouns.get(
            noun.lemma_.lower(), default
        )
        if sector == "Government" and any(  # "Somali opposition leaders" (CAMEO's SOMOPP)
            self.cues.agent_nouns.get(c.lower_) == "Opposition"
            for c in noun.children
            if c.dep_ in ("compound", "amod")
        ):
            sector = "Opposition"
        actor = owner.actor
        regime = noun.lemma_.lower() in _REGIME_NOUNS
        if regime and actor.type == "Person" and not actor.country and " " not in actor.label:
            actor = self._known_surname(actor.label) or actor  # "the Bush administration"
        if actor.type == "Person" and actor.country and regime:
            # "the Trump administration", "the Assad regime": the state (CAMEO's USAGOV)
            actor = self.gazetteer.state(actor.country) or actor
        if actor.type == "State":
            groups = self.cues.civilian_groups
            group = groups.get(noun.lemma_.lower()) or groups.get(noun.lower_)
            group = group if sector == "Civilians" else None
            adjective = self.gazetteer.adjective(actor)
            actor = sector_actor(actor, sector, self.base_iri, adjective, group)
        return Mention(actor, f"{owner.text} {noun.text}", "agent")

    def _named_agent(self, token: Token, agent: Token, modifiers: list[Mention]) -> Mention | None:
        """An agent noun with its owner: "US troops", "supporters of Kata'ib Hezbollah"."""
        if modifiers:
            return self._agent(modifiers[0], agent)
        proxy = self._proxy_group(token, agent)
        if proxy is not None:
            return proxy
        speaks_for = agent.lower_ in self.cues.spokesperson_nouns
        for child in token.children:
            if speaks_for and child.dep_ == "prep" and child.lower_ in ("for", "of"):
                for pobj in (g for g in child.children if g.dep_ == "pobj"):
                    inner = self.resolve(pobj)
                    if inner is not None:  # "a spokesperson for President Duterte"
                        return Mention(inner.actor, f"{agent.text} for {inner.text}", "agent")
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in _AGENT_PREPS:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        inner = self.resolve(pobj) or self._place_of(pobj)
                        if inner is not None and inner.actor.type != "Person":
                            return self._agent(inner, agent)
        return None

    def _is_crowd(self, agent: Token) -> bool:
        return self.cues.agent_nouns.get(agent.lemma_.lower()) == "Civilians" and (
            agent.lemma_.lower() not in ("people", "citizen", "national", "resident")
        )

    def _proxy_group(self, token: Token, agent: Token) -> Mention | None:
        """ "Iran-backed militias", "pro-government gunmen": a group named by its backer
        is neither the backer nor nobody. Armed groups so named get one actor per backer
        and noun ("Iran-backed militia"), the same in every article; the backer is not
        its country."""
        if self.cues.agent_nouns.get(agent.lemma_.lower()) not in ("Rebels", "Military"):
            return None
        left = [c for c in token.children if c.i < token.i and c.dep_ not in ("det", "nummod")]
        words = [t for c in left for t in c.subtree]
        if any(_proxy_form(t) for t in words):
            start = min(t.i for t in words)
            name = token.doc[start : token.i].text_with_ws + agent.lemma_.lower()
            actor = Actor(
                id=f"{self.base_iri}actor/group/{slugify(name)}", label=name, type="ArmedGroup"
            )
            return Mention(actor, token.text, "minted")
        return None

    def _agent_compound(self, token: Token) -> Token | None:
        """The agent noun in front of a collective one: "opposition groups in Zimbabwe",
        "rebel groups" stand for their country's opposition or rebels."""
        lemma = token.lemma_.lower()
        if (
            lemma not in self.cues.collective_nouns
            and token.lower_ not in self.cues.collective_nouns
        ):
            return None
        for child in token.children:
            if child.dep_ in ("compound", "amod") and self.is_agent(child):
                return child
        return None

    def is_agent(self, token: Token) -> bool:
        """Nouns such as "officials", "troops" that stand for the state or group named with them."""
        return (
            token.lemma_.lower() in self.cues.agent_nouns or token.lower_ in self.cues.agent_nouns
        )

    def resolve_all(self, token: Token, speaker: Mention | None = None) -> list[Mention]:
        """Like ``resolve``, but "Hungarian and Romanian officials" gives both states."""
        mention = self.resolve(token, speaker)
        if mention is None or mention.how != "agent" or not self.is_agent(token):
            return [mention] if mention else []
        found = [mention]
        for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in _AGENT_PREPS):
            for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                for conj in (c for c in pobj.children if c.dep_ == "conj"):
                    # "authorities in the United Kingdom and the United States"
                    other = self.resolve(conj)
                    if other is not None and all(m.actor.id != other.actor.id for m in found):
                        found.append(self._agent(other, token))
        for child in token.children:
            if child.dep_ not in _MODIFIER_DEPS:
                continue
            for conj in child.children:
                if conj.dep_ != "conj":
                    continue
                other = self._modifier(conj)
                if other is not None and all(m.actor.id != other.actor.id for m in found):
                    found.append(self._agent(other, token))
        return found

    def _modifier(self, token: Token) -> Mention | None:
        if _proxy_form(token):
            return None
        if token.lemma_.lower() == "lead" and token.dep_ in ("amod", "compound"):
            for child in token.children:  # "Vietnamese-led forces", "the US-led coalition"
                if child.dep_ in ("npadvmod", "compound", "nmod", "amod", "nsubj"):
                    return self._modifier(child)
            return None
        ent = self._entities.get(token.i)
        if ent is not None:
            return self._entity_actor(ent)
        if token.pos_ == "PRON" and token.lower_ in ("its", "their"):
            return self.resolve(token)
        if token.pos_ in ("ADJ", "PROPN", "NOUN"):
            actor = self.gazetteer.by_demonym(token.text) or (
                self.gazetteer.lookup(token.text) if token.pos_ == "PROPN" else None
            )
            if actor is not None:
                return Mention(actor, token.text, "demonym")
        return None

    def _by_title(self, token: Token, title: str, modifiers: list[Mention]) -> Mention | None:
        offset = self._offset + token.idx
        for modifier in modifiers:
            if modifier.actor.type != "State":
                members = self.gazetteer.members_with_title(modifier.actor.id, title)
                if len(members) == 1 or (members and self.context.last_with(offset, members)):
                    actor = self.context.last_with(offset, members) or members[0]
                    return Mention(actor, f"{modifier.text} {token.text}", "title")
        candidates = self.gazetteer.with_title(title)
        countries = {m.actor.country for m in modifiers if m.actor.type == "State"}
        if countries:
            candidates = [c for c in candidates if c.country in countries]
        elif modifiers:
            return None
        actor = self.context.last_with(offset, candidates)
        return Mention(actor, token.text, "title") if actor else None


_PROXY_PREFIXES = frozenset({"pro", "anti", "non"})
_PROXY_SUFFIXES = frozenset(
    {
        "backed",
        "funded",
        "sponsored",
        "aligned",
        "allied",
        "linked",
        "inspired",
        "friendly",
        "supported",
        "armed",
        "trained",
    }
)


def _model_name(ent: Span) -> bool:
    """ "a Boeing 737-800": a maker's name with a model number names a product."""
    return (
        ent.label_ == "ORG"
        and not ent.id_
        and any(c.dep_ == "nummod" and c.i > ent.root.i for c in ent.root.children)
    )


def _proxy_form(token: Token) -> bool:
    """ "pro-Iran groups", "an Iran-backed militia": the group is not Iran itself."""
    doc = token.doc
    before = doc[token.i - 2].lower_ if token.i >= 2 and doc[token.i - 1].text == "-" else ""
    after = (
        doc[token.i + 2].lower_ if token.i + 2 < len(doc) and doc[token.i + 1].text == "-" else ""
    )
    return before in _PROXY_PREFIXES or after in _PROXY_SUFFIXES
