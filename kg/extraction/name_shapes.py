"""What a name looks like: a person's name the recogniser tagged an organisation (a
title before it, beside it or inside it), a company's legal form, a name that only
modifies a common noun, titles in front of a name, names the recogniser missed."""

from __future__ import annotations

from collections.abc import Callable, Container

from spacy.tokens import Doc, Span, Token

from kg.actors.resolution import Gazetteer, mint_actor, normalise
from kg.extraction.lexicon import Cues
from kg.extraction.mention import Mention
from kg.models import Actor

__all__ = ["NameShapes"]


class NameShapes:
    """Name-shape rules of ``MentionResolver`` (mixed into ``ArticleNames``)."""

    gazetteer: Gazetteer
    cues: Cues
    base_iri: str
    #: Words English knows (:func:`kg.extraction.pipeline.english_words`).
    words: Container[str]
    _entities: dict[int, Span]  # MentionResolver's: token index -> entity
    resolve: Callable[[Token], Mention | None]  # MentionResolver's

    def _untitled(self, ent: Span, name: str | None = None) -> str:
        """A person's name without the titles in front ("Adviser John Bolton")."""
        words = (name or ent.text).split()
        while len(words) > 1 and normalise(words[0]) in self.cues.person_titles:
            words.pop(0)
        return " ".join(words)

    def _titled_person(self, ent: Span) -> Span | None:
        """The person's name in an entity the recogniser calls an organisation, when a
        title stands before it or opens it and the name is a name English does not know:
        "Dr Bukola Saraki", "Assemblywoman Selena Torres", "MP Tanya Davies",
        "archbishop Wojciech Polak" ("General Assembly" and "State Department" end in
        English words); and the name after a place that a title "of" joins to it ("First
        Minister of Scotland Nicola Sturgeon" is tagged as one organisation)."""
        if ent.label_ != "ORG" or not self.words:
            return None
        words = list(ent)
        before = ent.doc[ent.start - 1] if ent.start > 0 else None
        if len(words) > 1 and normalise(words[0].text) in self.cues.person_titles:
            words, strict = words[1:], True
        elif before is not None and before.lower_ == "of" and self._title_of(before):
            place = self._leading_place(words)
            if place is None:
                return None  # "the chairman of Goldman Sachs"
            words, strict = words[place:], False
        elif self._title_before(before, ent) or self._described_person(ent):
            strict = False
        else:
            return None
        if not all(w.text[:1].isupper() and w.text.replace("-", "").isalpha() for w in words):
            return None
        last = words[-1].lower_
        if last in self.cues.body_head_words or all(w.lower_ in self.words for w in words):
            return None  # "Minister General Assembly"
        if last in self.words and (strict or len(words) < 2):
            return None  # "Secretary General Motors"
        return Span(ent.doc, words[0].i, ent.end, label="PERSON")

    def _described_person(self, ent: Span) -> bool:
        """A name set beside a person title or a kin noun ("Ricardo Rosselló Nevares,
        Puerto Rico's governor, announced"; "Maya Rockeymoore Cummings, his wife and ...")."""
        nouns = self.cues.person_titles | self.cues.kin_nouns
        return any(
            c.dep_ in ("appos", "conj")
            and c.i > ent.end
            and c.doc[c.left_edge.i - 1].text == ","
            and c.lemma_.lower() in nouns
            for c in ent.root.children
        )

    def _names_a_thing(self, ent: Span) -> bool:
        """A person's name that only modifies a common noun ("of the Maidan Wardak
        provincial council", a province the recogniser took for a person) is no one a
        later "he" can stand for."""
        root = ent.root
        return (
            ent.label_ == "PERSON"
            and root.dep_ in ("compound", "nmod")
            and root.head.i >= ent.end
            and root.head.pos_ == "NOUN"
            and any(c.dep_ == "det" and c.i < ent.start for c in root.head.children)
        )

    def _company(self, ent: Span) -> Span | None:
        """A name the recogniser tagged a person that ends in a company's legal form
        ("HDT Védelmi Ipari Kft."): an organisation."""
        if ent.label_ != "PERSON":
            return None
        last = normalise(ent[-1].text)
        after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
        if last in self.cues.company_forms:
            return Span(ent.doc, ent.start, ent.end, label="ORG")
        if after is not None and normalise(after.text) in self.cues.company_forms:
            return Span(ent.doc, ent.start, ent.end + 1, label="ORG")
        return None

    def _title_of(self, of: Token) -> bool:
        return of.head.i < of.i and normalise(of.head.text) in self.cues.person_titles

    def _title_before(self, before: Token | None, ent: Span) -> bool:
        """A person title right before the entity and joined to it ("MP Tanya Davies")."""
        return (
            before is not None
            and normalise(before.lemma_) in self.cues.person_titles
            and before.dep_ == "compound"
            and ent.start <= before.head.i < ent.end
        )

    def _leading_place(self, words: list[Token]) -> int | None:
        """How many of the first words name the place a title is "of": a state the
        gazetteer knows ("President of Nigeria ..."), or one word before a two-word name
        ("First Minister of Scotland Nicola Sturgeon")."""
        for n in (2, 1):
            actor = self.gazetteer.lookup(" ".join(w.text for w in words[:n]))
            if actor is not None and actor.type == "State" and len(words) - n >= 2:
                return n
        if len(words) == 3 and words[1].lower_ not in self.words:
            return 1
        return None

    def missed_titled_names(self, doc: Doc) -> list[tuple[int, Actor, str]]:
        """People named after a title that the recogniser did not tag ("the resignation
        of Governor Ricardo Rosselló Nevares"): (char offset, minted person, name), so
        that a later "Rosselló" is that person."""
        found = []
        for title in doc:
            if not title.text[:1].isupper() or normalise(title.text) not in self.cues.person_titles:
                continue
            words = []
            for word in doc[title.i + 1 : title.i + 5]:
                if word.ent_type_ or word.tag_ != "NNP" or not word.text.isalpha():
                    break
                words.append(word)
            if len(words) < 2 or not all(w.text[:1].isupper() for w in words):
                continue
            if (
                words[-1].lower_ in self.words
                or normalise(words[0].text) in self.cues.person_titles
            ):
                continue
            name = " ".join(w.text for w in words)
            found.append((words[0].idx, mint_actor(name, "PERSON", self.base_iri), name))
        return found

    def _whole_name(self, ent: Span) -> Span:
        """A person's name with the first name the recogniser left out: in "Hamza bin
        Ladin, ... son of Usama bin Ladin" it tags only "bin Ladin", which is Usama's;
        the capitalised word before it in the same noun phrase belongs to the name."""
        if ent.label_ != "PERSON" or ent.start == 0:
            return ent
        before = ent.doc[ent.start - 1]
        if (
            before.dep_ == "compound"
            and ent.start <= before.head.i < ent.end
            and before.pos_ == "PROPN"
            and before.text[:1].isupper()
            and not before.ent_type_
            and normalise(before.text) not in self.cues.person_titles
            and normalise(before.text) not in self.cues.political_name_words
        ):
            return Span(ent.doc, before.i, ent.end, label=ent.label_)
        return ent

    def _unknown_name(self, token: Token) -> Actor | None:
        """A bare capitalised subject that the recogniser missed and English does not
        know is a person's name: "Pierluisi stated he would leave", "Maróth pointed
        out ..." (the small model tags such words NOUN at the start of a sentence).
        "Police said" and "Trade fell" are English words; "HEU" is an acronym."""
        if token.dep_ != "nsubj" or token.tag_ not in ("NNP", "NN"):
            return None
        if any(c.dep_ in ("det", "amod", "nummod", "poss", "prep", "case") for c in token.children):
            return None
        words = [c for c in token.children if c.dep_ == "compound" and c.i < token.i]
        words = [*words, token]
        if words[0].i + len(words) - 1 != token.i:
            return None  # not one run of words
        for word in words:
            text = word.text
            if len(text) < 2 or not text[:1].isupper() or text.isupper():
                return None
            if not text.replace("-", "").replace("'", "").isalpha():
                return None
            if normalise(text) in self.cues.person_titles:
                return None
        if token.lower_ in self.words or token.lemma_.lower() in self.words:
            return None
        name = " ".join(w.text for w in words)
        if normalise(name) in self.cues.non_actor_names:
            return None
        return mint_actor(name, "PERSON", self.base_iri)

    def _named_after_office(self, token: Token) -> Mention | None:
        """ "The mayor of Paris, Anne Hidalgo, wrote": the parser hangs the name on the
        place; a person named right after "the <office> of <place>," holds the office
        (also with no comma, "First Minister of Scotland Nicola Sturgeon")."""
        for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):
            for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                ent = self._entities.get(pobj.i)
                if ent is not None and self._titled_person(ent) is not None:
                    return self.resolve(pobj)
                for appos in (a for a in pobj.children if a.dep_ == "appos"):
                    ent = self._entities.get(appos.i)
                    if ent is not None and ent.label_ == "PERSON":
                        return self.resolve(appos)
        return None
