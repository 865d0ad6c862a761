"""Names an article gives an actor: a person introduced in full and named later by one
name, a person introduced with a political title, a national body that needs its
country, surnames of gazetteer people that are unambiguous, and "the president" as
whoever held the office on the article's date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container
from dataclasses import replace

from spacy.tokens import Span, Token

from kg.actors.naming import clean_name
from kg.actors.offices import Incumbents
from kg.actors.resolution import (
    ArticleActors,
    Gazetteer,
    is_generation,
    mint_actor,
    normalise,
    sector_actor,
)
from kg.extraction.lexicon import Cues
from kg.extraction.mention import Mention
from kg.extraction.name_shapes import NameShapes
from kg.graph.vocab import ACTOR
from kg.models import Actor

__all__ = ["ArticleNames", "known_surnames"]
_SURNAMES: dict[int, dict[str, tuple[Actor, ...]]] = {}
#: Ids of the fallback actor list (ontology/gazetteer-phoenix.ttl) start so.
FALLBACK_PREFIX = "phx-"
_PLURAL_PRONOUNS = frozenset({"they", "them", "their"})


class ArticleNames(NameShapes):
    """Name rules of ``MentionResolver`` that need the article read so far."""

    gazetteer: Gazetteer
    cues: Cues
    base_iri: str
    context: ArticleActors
    #: Words English knows (:func:`kg.extraction.pipeline.english_words`).
    words: Container[str]
    incumbents: Incumbents | None
    date: dt.date | None  # the article's
    _local_country: Callable[[Token], str | None]  # PlaceContext's
    resolve: Callable[[Token], Mention | None]  # MentionResolver's
    is_agent: Callable[[Token], bool]  # MentionResolver's
    _is_crowd: Callable[[Token], bool]  # MentionResolver's
    _crowds: list[tuple[int, Actor]]  # (char offset, actor) of named crowds
    entity: Callable[[Token], Span | None]  # MentionResolver's
    _offset: int  # the document's character offset in its article

    def _crowd_in_sentence(self, token: Token) -> Actor | None:
        """ "They" after a crowd named earlier in its sentence is the crowd, not a place
        named in between: "thousands of Hong Kong protesters gathered around Hong Kong's
        police complex ... as they chanted slogans"; a state is "it"."""
        if token.lower_ not in _PLURAL_PRONOUNS:
            return None
        for word in reversed(token.doc[token.sent.start : token.i]):
            if word.tag_ == "NNS" and self.is_agent(word) and self._is_crowd(word):
                mention = self.resolve(word)
                return mention.actor if mention is not None else None
        return None

    def _last_crowd(self, token: Token) -> Mention | None:
        """The actor of the crowd this article named last before ``token``: "supporters
        of Iran-backed militias withdrew ... Before leaving, some protesters hurled stones"."""
        offset = self._offset + token.idx
        actor = next((a for at, a in reversed(self._crowds) if at < offset), None)
        return Mention(actor, token.text, "crowd") if actor else None

    def _article_legislature(self, token: Token) -> Mention | None:
        """Legislators named with no state: those of the state their clause is set in or
        the article is about, which they act for as CAMEO's legislature (USALEG is the
        United States), else the group itself, as CAMEO codes a role with no country
        ("---LEG"): "Lam was interrupted by protesting legislators"."""
        if token.tag_ != "NNS":
            return None
        country = self._local_country(token)
        state = self.gazetteer.state(country) if country else None
        if state is None:
            state = replace(mint_actor(token.lower_, "NORP", self.base_iri), type="Government")
        return Mention(state, token.text, "agent")

    def _document(self, ent: Span, name: str) -> bool:
        """A name that ends in a document word, or stands in front of one."""
        documents = self.cues.document_nouns
        if name.split()[-1].lower() in documents:
            return True
        return any(  # "the [African ... Area] agreement": the name's words hang on the noun
            t.head.i >= ent.end and t.head.lemma_.lower() in documents
            for t in ent
            if t.dep_ in ("compound", "det", "nmod", "amod")
        )

    def _titled(self, ent: Span) -> bool:
        """A political title in the words before the name or in its apposition."""
        words = [t.lower_ for t in ent.doc[max(ent.start - 4, 0) : ent.end]]
        for token in (ent.root, ent.root.head):
            words += [w.lower_ for c in token.children if c.dep_ == "appos" for w in c.subtree]
        if ent.root.dep_ == "appos":
            words += [w.lower_ for w in ent.root.head.subtree if w.i < ent.start]
        return not self.cues.political_name_words.isdisjoint(words)

    def _article_person(self, name: str) -> Actor | None:
        """A person the article named in full, when ``name`` is one of their names."""
        words = [w for w in name.split() if normalise(w) not in self.cues.person_titles]
        if len(words) > 1:  # "Nicola Sturgeon" (tagged ORG) after the titled first mention
            person = self.context.surnames.get(normalise(words[-1]))
            same = person is not None and normalise(person.label) == normalise(" ".join(words))
            return person if same else None
        if len(words) != 1:
            return None
        key = normalise(words[0])
        return self.context.surnames.get(key) or self.context.first_names.get(key)

    def _known_person(self, ent: Span) -> Actor | None:
        if ent.label_ != "PERSON":
            return None
        actor = self.gazetteer.actors.get(ent.id_) or self.gazetteer.lookup(ent.text)
        return actor if actor is not None and actor.type == "Person" else None

    def _other_bearer(self, ent: Span) -> Span | None:
        """A person's name that is not the gazetteer person whose name it contains: a
        first name not theirs ("Cyrus R. Vance" is not JD Vance, the recogniser's "Cyrus
        R." joined to the gazetteer's "Vance"), or a generation ("Donald Trump Jr.",
        "Cyrus R. Vance, Jr.") the gazetteer's name does not have. The name, with its
        generation, without the id."""
        if ent.label_ != "PERSON":
            return None
        end = ent.end
        after = [t.lower_ for t in ent.doc[ent.end : ent.end + 2]]
        if after[:1] == [","] and after[1:] and is_generation(after[1]):
            end = ent.end + 2  # "Cyrus R. Vance, Jr."
        generation = end > ent.end or is_generation(ent[-1].text)
        actor = self.gazetteer.actors.get(ent.id_) if ent.id_ else None
        if actor is None and generation:
            return Span(ent.doc, ent.start, end, label=ent.label_)
        if actor is None or actor.type != "Person":
            return None
        forms = [actor.label, *(text for text, _ in self.gazetteer.surface_forms.get(actor.id, ()))]
        if generation and not any(is_generation(w) for form in forms for w in form.split()):
            return Span(ent.doc, ent.start, end, label=ent.label_)
        words = self._untitled(ent).split()
        if len(words) < 2 or any(_same_first_name(words[0], form) for form in forms):
            return None
        return Span(ent.doc, ent.start, end, label=ent.label_)

    def _article_bearer(self, ent: Span) -> Actor | None:
        """The person the article named in full whose surname a bare name is, when the
        gazetteer's bearer of that surname has not been named in the article: "Vance
        said" after "Cyrus R. Vance, Jr." is not JD Vance."""
        if ent.label_ != "PERSON" or not ent.id_ or len(ent) != 1:
            return None
        person = self.context.surnames.get(normalise(ent.text))
        if person is None or person.id == ent.id_:
            return None
        named = any(
            actor.id == ent.id_ for actor in self.context.before(self._offset + ent.start_char)
        )
        return None if named else person

    def _title_holder(self, ent: Span) -> Actor | None:
        """The person a titled name coded as their office names ("Agnès Callamard, a UN
        rapporteur"), so that "Callamard" later in the article is her."""
        known = self._known_person(ent)
        if known is not None or ent.label_ != "PERSON":
            return known
        name = clean_name(ent.text)
        return mint_actor(self._untitled(ent, name), "PERSON", self.base_iri) if name else None

    def _person(self, ent: Span) -> Actor | None:
        words = [t.text for t in ent if normalise(t.text) not in self.cues.person_titles]
        if not words:
            return None
        name = " ".join(words)
        actor = self.gazetteer.lookup(name)
        if actor is None and len(words) == 1:
            actor = self.context.surnames.get(normalise(words[0]))
            titled = len(ent) > 1 or (
                ent.start > 0 and normalise(ent.doc[ent.start - 1].text) in self.cues.person_titles
            )
            if actor is None and titled and words[0] == ent[-1].text:  # "President Bush"
                actor = self._known_surname(words[0])
        generation = len(words) > 2 and is_generation(words[-1])
        if generation:  # "John James Conyers Jr." after "John Conyers": the same person
            words = [w.rstrip(",") for w in words[:-1]]
        if actor is None and len(words) > 1:
            actor = self.context.surnames.get(normalise(words[-1]))
            known = self.gazetteer.lookup(words[-1])
            if actor is None and known is not None and known.type == "Person":
                actor = known
            if actor is not None and not _same_first_name(words[0], actor.label):
                actor = None  # "Hamza bin Ladin" is not Usama bin Ladin, "Jeb Bush" not George
            if generation and actor is not None and actor.id in self.gazetteer.actors:
                actor = None  # "Donald Trump Jr." is not the gazetteer's Donald Trump
        return actor

    def _incumbent(self, token: Token, modifiers: list[Actor]) -> Actor | None:
        """ "The president" (or "the US president", "the prime minister") with no name:
        whoever held that office, on the article's date, in the state named with it or
        the state the article is about ("the conflict between congressional leaders and
        the president" in a US article of 2019 is Donald Trump)."""
        if self.incumbents is None or self.date is None:
            return None
        title = token.lemma_.lower()
        if any(c.lower_ == "prime" for c in token.children if c.dep_ in ("amod", "compound")):
            title = f"prime {title}"
        if title not in self.incumbents.titles or token.tag_ == "NNS":
            return None
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
            return None
        if any(c.dep_ in ("prep", "appos", "relcl") for c in token.children):
            return None  # "the president of Ghana", "the president, Nana Akufo-Addo"
        if any(
            c.dep_ in ("amod", "compound") and c.text[:1].islower() and c.lower_ != "prime"
            for c in token.children
        ):
            return None  # "the former president", "the vice president", "the club president"
        states = {m.country for m in modifiers if m.type == "State"}
        if len(modifiers) != len(states) or len(states) > 1:
            return None  # "the Republican president", "the club president"
        country = states.pop() if states else self._local_country(token)
        holder = self.incumbents.holder(title, country, self.date) if country else None
        return self.gazetteer.actors.get(f"{ACTOR}{holder}") if holder else None

    def _parties(self, token: Token) -> Actor:
        """Parties named with no state: the parties of the state the clause is set in or
        the article is about, else the group ("political parties", "opposition parties"),
        as CAMEO codes a role with no country ("---PTY")."""
        country = self._local_country(token)
        state = self.gazetteer.state(country) if country else None
        if state is not None:
            return sector_actor(state, "Parties", self.base_iri, self.gazetteer.adjective(state))
        words = [c.lower_ for c in token.children if c.dep_ in ("amod", "compound")]
        label = f"{'opposition' if 'opposition' in words else 'political'} parties"
        return replace(mint_actor(label, "NORP", self.base_iri), type="Party")

    def _humanitarian_group(self, token: Token) -> Actor | None:
        """ "Relief workers", "aid agencies", "American aid workers": one group of the
        humanitarian trade (see ``humanitarian_groups``), never a state's civilians."""
        label = self.cues.humanitarian_groups.get(token.lower_)
        if label is None or not any(
            c.dep_ in ("compound", "amod") and c.lower_ in self.cues.humanitarian_words
            for c in token.children
        ):
            return None
        return replace(mint_actor(label, "ORG", self.base_iri), type="NGO")

    def _woman(self, ent: Span, actor: Actor) -> bool:
        """Whether the person named is a woman, by what the text and the data say: a
        gazetteer person listed in ``women``, a woman's title before the name ("Ms.",
        "Congresswoman"), or a woman's given name ("Nancy Pelosi", "Jacinda Ardern")."""
        if actor.id.rsplit("/", 1)[-1] in self.cues.women:
            return True
        before = ent.doc[ent.start - 1].lower_.rstrip(".") if ent.start > 0 else ""
        words = [normalise(w) for w in ent.text.split()]
        if before in self.cues.female_titles or (words and words[0] in self.cues.female_titles):
            return True
        given = [w for w in words if w not in self.cues.person_titles]
        return len(given) > 1 and given[0] in self.cues.female_given_names

    def _speaker_again(self, pronoun: Token, speaker: Mention | None) -> bool:
        """Whether "he" or "she" as the subject of what a person says is that person
        ("La Riva said she would not endorse him", issue 14), when the gender agrees;
        and "they" what a group named in the plural says ("Ivory Coast rebels ... said
        they also opposed the deployment", not the Senegalese plan named between)."""
        if speaker is None or pronoun.dep_ not in ("nsubj", "nsubjpass", "poss"):
            return False
        if pronoun.lower_ in ("they", "their"):  # "until their demands were met"
            words = speaker.text.lower().split()
            plural = bool(words) and words[-1].endswith("s") and words[-1] != "its"
            return speaker.actor.type not in ("Person", "State") and plural
        if pronoun.lower_ not in ("he", "she") or speaker.actor.type != "Person":
            return False  # "Houthi spokesperson Yahya Sarea said it had carried out ...":
        return pronoun.dep_ == "nsubj" and self.agrees(pronoun.lower_, speaker.actor)  # the group

    def agrees(self, pronoun: str, actor: Actor) -> bool:
        """Whether "he" or "she" can stand for ``actor``: "she" for a woman, or for a
        person the gazetteer does not know and nothing marks as a woman or a man (the
        gazetteer lists its women, so its other people are men); "he" for anyone not
        known to be a woman. Other pronouns agree with anyone."""
        if actor.type != "Person" or pronoun not in ("he", "she"):
            return True
        woman = actor.id in self.context.women
        if pronoun == "he":
            return not woman
        return woman or actor.id not in self.gazetteer.actors

    def _known_surname(self, surname: str) -> Actor | None:
        """The gazetteer person a titled surname names ("President Putin"; the
        candidates are :func:`known_surnames`'). When several share the surname and
        a state, the name is a person of that state, not one of them picked at
        random."""
        people = known_surnames(self.gazetteer).get(normalise(surname), ())
        if len(people) == 1:
            return people[0]
        countries = {person.country for person in people}
        if len(countries) != 1:
            return None
        return replace(mint_actor(surname, "PERSON", self.base_iri), country=countries.pop())

    def _unnamed_body(self, token: Token) -> Actor | None:
        """A party, front or movement the recogniser missed, named by capitalised words
        before its head noun: "The Thai Raksa Chart Party withdrew ..." (the hand-judged
        Wikinews sample made it Thai civilians, "party" being a collective noun). The
        name's state is the one a demonym or place in it names."""
        if token.tag_ != "NNP" or token.lower_ not in self.cues.body_head_words:
            return None
        compounds = [c for c in token.children if c.dep_ == "compound" and c.i < token.i]
        if not compounds:
            return None
        words = list(token.doc[min(c.left_edge.i for c in compounds) : token.i])
        if not all(w.text[:1].isupper() and w.tag_ in ("NNP", "NNPS") for w in words):
            return None
        name = " ".join(w.text for w in [*words, token])
        bare = self.gazetteer.lookup(" ".join(w.text for w in words))  # "Fatah Party"
        known = self.gazetteer.lookup(name) or (
            bare if bare is not None and bare.type not in ("State", "Person") else None
        )
        if known is not None:
            return known
        countries = {
            actor.country
            for w in words
            if (ent := self.entity(w)) is not None
            and ent.id_
            and (actor := self.gazetteer.actors.get(ent.id_)) is not None
            and actor.type == "State"
        }
        actor = mint_actor(name, "ORG", self.base_iri)
        return replace(actor, country=countries.pop()) if len(countries) == 1 else actor

    def _known_body(self, name: str, state: Actor) -> Actor | None:
        """The state's body as the main gazetteer names it ("United States House of
        Representatives", "United States Senate"), if it does."""
        adjective = self.gazetteer.adjective(state)
        for body in _BODY_NAMES.get(name.lower(), (name,)):
            for label in (
                f"{state.label} {body}",
                f"{adjective} {body}",
                f"{body} of {state.label}",
                f"{body} of the {state.label}",
            ):
                actor = self.gazetteer.lookup(label)
                if actor is not None and actor.country == state.country and actor.type != "State":
                    return actor
        return None

    def _national_body(self, name: str, country: str | None) -> Actor:
        """A body every state has, qualified by its state: the UK's and the US's Supreme
        Courts are two actors; "Parliament" alone is the parliament of the article's
        country."""
        state = self.gazetteer.state(country) if country else None
        if state is None:
            return mint_actor(name, "ORG", self.base_iri)
        known = self._known_body(name, state)
        if known is not None:  # "the House" in a US article: the House of Representatives
            return known
        actor = mint_actor(f"{country} {name}", "ORG", self.base_iri)
        return replace(actor, label=f"{name} ({state.label})", type="Government", country=country)


_BODY_NAMES = {"house": ("house of representatives", "house")}


def known_surnames(gazetteer: Gazetteer) -> dict[str, tuple[Actor, ...]]:
    """Surname -> the gazetteer people who bear it and may be meant by it ("President
    Bush", "the Bush administration"; see :func:`_prominent`). Built once per
    gazetteer."""
    index = _SURNAMES.get(id(gazetteer))
    if index is None:
        found: dict[str, dict[bool, list[Actor]]] = {}
        for actor in gazetteer.actors.values():
            if actor.type != "Person" or not actor.country or " " not in actor.label:
                continue
            surname = normalise(actor.label.split()[-1])
            fallback = actor.id.rsplit("/", 1)[-1].startswith(FALLBACK_PREFIX)
            found.setdefault(surname, {}).setdefault(fallback, []).append(actor)
        index = {
            name: _prominent(by.get(False, []), by.get(True, [])) for name, by in found.items()
        }
        _SURNAMES[id(gazetteer)] = index
    return index


def _prominent(curated: list[Actor], fallback: list[Actor]) -> tuple[Actor, ...]:
    """The people a surname most likely names: the hand-built gazetteer's when they
    outnumber the fallback list's (two Bushes of the United States against one of the
    Cayman Islands), else all of them (one Afghan Abdullah does not make "King Abdullah"
    Afghan among a dozen other Abdullahs)."""
    return tuple(curated) if len(curated) > len(fallback) else (*curated, *fallback)


def _same_first_name(first: str, label: str) -> bool:
    """Whether a name's first word could be the first name of ``label``: a word of the
    label that starts like it ("Mohammad" / "Mohammed bin Salman", "Bashar" / "Bashar
    al-Assad"), not another person of the family ("Hamza" / "Osama bin Laden")."""
    stem = normalise(first)[:3]
    return any(normalise(word).startswith(stem) for word in label.split())
