"""Finding the arguments of a trigger: who acts (subjects, by-agents, speakers) and on
whom (objects, prepositional and clausal targets; targets only implied are
``kg.extraction.implied``'s).

``ArgumentFinder`` is the base of ``kg.extraction.coding.SentenceCoder``; it is kept apart so that
the rules for coding an act and the rules for filling its slots can be read separately.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extraction.context import LexiconContext
from kg.extraction.implied import VERB_TARGET_PREPS, ImpliedTargets
from kg.extraction.lexicon import Cues, Lexicon
from kg.extraction.mention import listed
from kg.extraction.mentions import Mention, MentionResolver
from kg.extraction.repairs import ParseRepairs, one_phrase

__all__ = ["ArgumentFinder"]

_SUBJECT_DEPS = frozenset({"nsubj"})
_INHERIT_DEPS = frozenset({"xcomp", "advcl", "pcomp", "conj", "prep", "acomp"})
_VERB_TARGET_PREPS = VERB_TARGET_PREPS
_NOUN_TARGET_PREPS = _VERB_TARGET_PREPS | {"of"}
_OWN_OBJECT_PREPS = _VERB_TARGET_PREPS | {"from"}
_DEEP_TARGET_PREPS = _VERB_TARGET_PREPS | {"for", "over", "from"}
_OBJECT_DEPS = frozenset({"dobj", "dative", "attr", "oprd"})


class ArgumentFinder(ParseRepairs, LexiconContext, ImpliedTargets):
    """Sources and targets of triggers, resolved to actors through ``MentionResolver``."""

    def __init__(self, lexicon: Lexicon, cues: Cues, mentions: MentionResolver) -> None:
        self.lexicon = lexicon
        self.cues = cues
        self.mentions = mentions

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

    def _condition_subjects(self, verb: Token, sources: list[Mention]) -> list[Mention]:
        """Whom a conditional threat is aimed at: the subject of its condition ("threatened
        to ban voting in East Jerusalem if Hamas ran in the election" is -> Hamas)."""
        excluded = {s.actor.id for s in sources}
        nodes = [verb, *(c for c in verb.children if c.dep_ == "xcomp")]
        node = verb
        while node.dep_ in ("xcomp", "ccomp") and len(nodes) < 5:
            node = node.head
            nodes.append(node)
        for node in nodes:
            for child in node.children:
                if child.dep_ == "advcl" and any(
                    m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in child.children
                ):
                    found = self._actors_of(child, ("nsubj", "nsubjpass"), None)
                    found = [m for m in found if m.actor.id not in excluded]
                    if found:
                        return found
        return []

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
        if self._suffered_by_owner(verb):
            return []  # "revenge for Soleimani's killing": he was killed, not the killer
        shared = self._shared_subject(verb, speaker)
        if shared:
            return shared
        found = self._actors_of(verb, _SUBJECT_DEPS, speaker)
        if found:
            return found
        for child in verb.children:  # "a US drone strike ... killed Soleimani"
            if child.dep_ in _SUBJECT_DEPS and self.lexicon.has("NOUN", child.lemma_.lower()):
                found = [
                    m
                    for m in (
                        self._event_owner(c, speaker)
                        for c in child.children
                        if c.dep_ in ("compound", "amod", "poss", "nmod")
                    )
                    if m
                ]
                if found:
                    return found
        relative = [  # not a participle the parser made the subject (ParseRepairs)
            c
            for c in verb.children
            if c.dep_ in _SUBJECT_DEPS and not (c.dep_ == "nsubj" and c.tag_ == "VBG")
        ]
        if verb.dep_ in ("relcl", "acl") and (relative or verb.tag_ == "VBG"):
            mention = self._resolve_expanding(verb.head, speaker)
            if mention:
                return mention
        if (
            verb.dep_ == "acl"
            and verb.tag_ == "VBG"
            and not relative
            and (  # "posted a message on Twitter blaming Iran", not "dad fighting for"
                verb.head.pos_ != "NOUN" or verb.head.lemma_.lower() in self.cues.discourse_nouns
            )
        ):
            # "Pompeo posted a message on Twitter blaming Iran": the one who posted it
            clause = verb.head
            while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
                clause = clause.head
            if clause.pos_ in ("VERB", "AUX") and clause.i != verb.i:
                rejected = self.lexicon.lookup("VERB", clause.lemma_.lower(), self._context(clause))
                if rejected is not None and rejected.code[:2] == "12":
                    return []  # "vetoed a UN resolution condemning Syria": nobody condemned
                if clause.lemma_.lower() in self.cues.reporting_verbs:
                    return []  # "said a law allowing ... marked a sad day": not the speaker's
                return self._actors_of(clause, _SUBJECT_DEPS, self._speaker(clause))
        if relative or self._reduced_relative(verb):
            return []
        misparsed = self._misparsed_subjects(verb, speaker) or self._deciders(verb, speaker)
        if misparsed:
            return misparsed
        for_subject = self._for_subject(verb, speaker)
        if for_subject:
            return for_subject
        node = verb
        while node.dep_ in _INHERIT_DEPS and node.head.i != node.i:
            raised = node.dep_ == "xcomp"
            node = node.head
            if node.lemma_.lower() in self.cues.reporting_verbs:
                return []  # the reporter is not the actor of what is reported
            if node.pos_ in ("VERB", "AUX"):
                # "Obama is scheduled to attend": a passive's subject does the complement
                deps = ("nsubj", "nsubjpass") if raised else _SUBJECT_DEPS
                found = self._actors_of(node, deps, self._speaker(node))
                if found:
                    return found
                if any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
                    return []
        return []

    def _suffered_by_owner(self, verb: Token) -> bool:
        """A gerund of something done to people whose owner the parser made its subject:
        "Soleimani's killing", "his arrest" (``patient_nouns``), with no object."""
        if verb.tag_ != "VBG" or verb.lower_ not in self.cues.patient_nouns:
            return False
        if any(c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ == "of") for c in verb.children):
            return False  # "the militia's killing of civilians": the owner did it
        return any(
            c.dep_ == "nsubj"
            and (c.tag_ == "PRP$" or any(g.dep_ == "case" and g.lower_ == "'s" for g in c.children))
            for c in verb.children
        )

    def _shared_subject(self, verb: Token, speaker: Mention | None) -> list[Mention]:
        """ "Iran's Supreme Leader rejected Trump's offer ... and he also accused the
        government": a pronoun subject of a coordinated clause is the first clause's
        subject, not the last person named."""
        own = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        if len(own) != 1 or own[0].lower_ not in ("he", "she", "it", "they", "we"):
            return []
        head = verb.head
        pronoun = own[0].lower_
        if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
            first = self._actors_of(head, _SUBJECT_DEPS, speaker)
            return first if all(self.mentions.agrees(pronoun, m.actor) for m in first) else []
        if verb.dep_ == "ccomp" and head.lemma_.lower() in self.cues.reporting_verbs:
            # "Syrian opposition members have said they will release the peacekeepers":
            # a group's "they" (a person's "he") in what it says is the group itself
            said = self._actors_of(head, _SUBJECT_DEPS, speaker)
            person = pronoun in ("he", "she")
            if said and all(
                (m.actor.type == "Person") == person and self.mentions.agrees(pronoun, m.actor)
                for m in said
            ):
                return said
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
        """The by-agent of a passive; a nominal event as agent gives its own actor ("was
        killed by a US drone strike", "were killed in Israeli tank shelling")."""
        for child in verb.children:
            if child.dep_ == "agent":
                return (
                    self._actors_of(child, ("pobj",), speaker)
                    or self._event_actor(child, speaker)
                    or self._participle_agent(child, speaker)
                )
        for token in verb.subtree:  # "designated as X by Y": the parser may attach "by" low
            if token.lower_ == "by" and token.dep_ in ("prep", "agent"):
                path = token.head
                while path.i != verb.i and path.pos_ != "VERB" and path.lower_ != "with":
                    path = path.head  # not "destroyed, with some estimates by the Red Cross"
                if path.i == verb.i:
                    return self._actors_of(token, ("pobj",), speaker) or self._event_actor(
                        token, speaker
                    )
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ == "in":
                found = self._event_actor(child, speaker)
                if found:
                    return found
            if (
                child.dep_ == "prep"
                and child.lower_ == "from"
                and verb.lemma_.lower() in self.cues.expulsion_verbs
            ):  # "inspectors have been expelled from North Korea": by North Korea
                found = self._actors_of(child, ("pobj",), speaker)
                if found and all(m.actor.type == "State" for m in found):
                    return found
        return []

    def _participle_agent(self, by: Token, speaker: Mention | None) -> list[Mention]:
        """ "Interrupted by protesting legislators": the parser reads "protesting" as a
        gerund and the legislators as its object; they are the agent."""
        return [
            m
            for gerund in by.children
            if gerund.dep_ == "pcomp" and gerund.tag_ == "VBG"
            for noun in gerund.children
            if noun.dep_ == "dobj" and noun.tag_ == "NNS" and self.mentions.is_agent(noun)
            for m in self._resolve_expanding(noun, speaker)
        ]

    def _event_actor(self, prep: Token, speaker: Mention | None) -> list[Mention]:
        """The actor named on a nominal event or a weapon under ``prep``: "by [a US drone
        strike]", "shot down by [an Iranian missile]"."""
        for pobj in prep.children:
            lemma = pobj.lemma_.lower()
            if pobj.dep_ == "pobj" and (
                self.lexicon.has("NOUN", lemma) or lemma in self.cues.weapon_nouns
            ):
                found = [
                    m
                    for m in (
                        self._modifier_actor(c, speaker)
                        for c in pobj.children
                        if c.dep_ in ("compound", "amod", "poss", "nmod")
                    )
                    if m
                ]
                if found:
                    return found
        return []

    def _targets(self, verb: Token, speaker: Mention | None, statement: bool) -> list[Mention]:
        """Who ``verb`` is done to: its object, a prepositional object, an actor inside the
        object, the target of its complement, the subject of a demanded clause, or an
        actor deeper in a prepositional phrase. The source's own things ("withdraw its
        troops from Lebanon", "closed its borders with Iran") are what it acts with,
        not on: the target is then looked for in the rest of the phrase."""
        own = {
            c.i
            for c in verb.children
            if c.dep_ == "dobj" and self._owned_by_subject(c, verb, speaker)
        }
        recipients = self._recipients(verb, speaker)
        if recipients:  # "return weapons-usable HEU from foreign reactors to Russia"
            return recipients
        for side in [verb, *(c for c in verb.children if c.dep_ == "dobj")]:
            sides = self._between(side, speaker)
            if len(sides) >= 2:  # "mediated (a ceasefire) between Israel and Hamas": both
                return sides
        if verb.lemma_.lower() in self.cues.topic_verbs:  # "discussed Iran with Trump"
            partners = [
                m
                for child in verb.children
                if child.dep_ == "prep" and child.lower_ == "with"
                for m in self._actors_of(child, ("pobj",), speaker)
            ]
            if partners:
                return partners
        found = [
            m
            for child in verb.children
            if child.dep_ in _OBJECT_DEPS and child.i not in own
            for m in self._resolve_expanding(child, speaker)
        ]
        if found:
            return found
        for obj in (c for c in verb.children if c.i in own):  # "closed its borders with Iran"
            for prep in obj.children:  # "recalled its ambassador from Israel"
                if prep.dep_ == "prep" and prep.lower_ in _OWN_OBJECT_PREPS:
                    found = self._actors_of(prep, ("pobj",), speaker)
                    if found:
                        return found
        found = self._prepositional_targets(verb, speaker)
        if found:
            return found
        if statement:
            return []
        for child in verb.children:
            if child.dep_ == "dobj" and child.i not in own:
                inner = self._actors_inside(child, speaker)
                if inner:  # "provide aid for Romania and Poland": both
                    return inner
        addressed = any(  # "called on the people of the state to vote for the PDP"
            c.dep_ == "prep"
            and c.lower_ in ("on", "upon")
            and any(g.dep_ == "pobj" for g in c.children)
            for c in verb.children
        )
        for child in verb.children:  # "refused to meet Jordan's King Abdullah"
            if addressed:
                break
            if child.dep_ == "xcomp" and child.pos_ == "VERB":
                found = self._targets(child, speaker, False)
                if found:
                    return found
        clause = self._for_clause(verb)
        if clause is not None:  # "called for NATO members to increase military spending"
            found = self._actors_of(clause, ("nsubj",), speaker)
            if found:
                return found
        for child in verb.children:  # "send material to help defend Saudi Arabia"
            if child.dep_ == "advcl" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in child.children
            ):
                found = self._targets(child, speaker, False)
                if found:
                    return found
        for child in verb.children:  # "demanded that the United States match ..."
            if child.dep_ == "ccomp" and child.pos_ in ("VERB", "AUX"):
                found = self._actors_of(child, _SUBJECT_DEPS, speaker)
                if found:
                    return found
        for child in verb.children:  # "mobilized reservists for a possible war against Iraq"
            if child.dep_ == "prep" and child.lower_ in _DEEP_TARGET_PREPS:
                for pobj in (g for g in child.children if g.dep_ == "pobj"):
                    if child.lower_ in ("at", "on", "upon") and (
                        pobj.lemma_.lower() in self.cues.instigation_nouns
                    ):
                        continue  # "at the behest of Boris Johnson": who asked for it
                    inner = self._resolve_expanding(pobj, speaker) or (
                        [m] if (m := self._actor_inside(pobj, speaker)) else []
                    )
                    if inner:
                        return inner
        return self._stance_targets(verb, speaker)

    def _stance_targets(self, verb: Token, speaker: Mention | None) -> list[Mention]:
        """Whom an act defies or answers: "blocked streets in Hong Kong in defiance of
        Chinese authorities" (PLOVER GSR read by hand), "in protest against the Russian
        government's decision" (``stance_nouns``)."""
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "in"):
            for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                if pobj.lemma_.lower() in self.cues.stance_nouns:
                    inner = self._actors_inside(pobj, speaker)
                    if inner:
                        return inner
        return []

    def _between(self, noun: Token, speaker: Mention | None) -> list[Mention]:
        """The sides named in "between X and Y" after a nominal event, in order."""
        found: list[Mention] = []
        for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "between"):
            for token in prep.subtree:
                if token.i == prep.i or token.pos_ not in ("PROPN", "NOUN"):
                    continue
                mention = self.mentions.resolve(token, speaker)
                if mention is not None and all(m.actor.id != mention.actor.id for m in found):
                    found.append(mention)
        return found

    def _prepositional_targets(self, verb: Token, speaker: Mention | None) -> list[Mention]:
        """The actors of the first target preposition on ``verb`` that has any ("attacked
        positions in Syria" has none, "sent aid to Yemen" Yemen)."""
        for child in verb.children:
            if child.dep_ in ("prep", "dative") and child.lower_ in _VERB_TARGET_PREPS:
                found = self._actors_of(child, ("pobj",), speaker)
                if found:
                    return found
        return []

    def _actors_of(self, head: Token, deps, speaker: Mention | None) -> list[Mention]:
        found: list[Mention] = []
        children = [c for c in head.children if c.dep_ in deps]
        if len(children) > 1 and one_phrase(children):
            children = children[-1:]  # "Libyan Prime Minister Fayez al-Sarraj rejected"
        for child in children:
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
            elif child.dep_ == "appos" and listed(child):
                # "OIC head Yousef Al-Othaimeen, Pope Francis, and ..."; "The Afghan
                # government, a number of political parties and the Taliban": a list
                yield child
                for conj in (t for t in child.subtree if t.dep_ == "conj"):
                    yield from self._conjuncts(conj)

    def _actor_inside(self, phrase: Token, speaker: Mention | None) -> Mention | None:
        """The first actor named inside an object: "a convoy belonging to the Hashed"."""
        found = self._inside(phrase, speaker)
        return found[1] if found else None

    def _actors_inside(self, phrase: Token, speaker: Mention | None) -> list[Mention]:
        """The first actor named inside an object and those coordinated with it, when it
        is the object of a preposition ("aid for Romania and Poland")."""
        found = self._inside(phrase, speaker)
        if found is None:
            return []
        token, mention = found
        if token.dep_ != "pobj":
            return [mention]
        return self._resolve_expanding(token, speaker) or [mention]

    def _inside(self, phrase: Token, speaker: Mention | None) -> tuple[Token, Mention] | None:
        places = {  # "a convoy near Baghdad airport", "a meeting in the Oval Office"
            t.i
            for prep in phrase.subtree
            if prep.dep_ == "prep" and prep.lower_ in self.cues.location_prepositions
            for t in prep.subtree
        }
        for owner in (c for c in phrase.children if c.dep_ == "poss" and c.i not in places):
            mention = self.mentions.resolve(owner, speaker)  # "US President Donald Trump's
            if mention is not None:  # decision": its owner, not the first name inside
                return owner, mention
        for token in phrase.subtree:
            if token.i == phrase.i or token.pos_ not in ("PROPN", "NOUN", "ADJ"):
                continue
            if token.i in places:
                continue
            if token.dep_ in ("compound", "amod") and self.mentions.is_agent(token.head):
                continue  # "by Croatian extremists": the agent noun names the actor
            if token.dep_ in ("pobj", "compound", "poss", "amod", "nmod", "appos"):
                mention = self.mentions.resolve(token, speaker)
                if mention is not None and token.dep_ == "compound" and mention.how != "agent":
                    mention = self._event_owner(token, speaker)  # "the Paris Agreement"
                if mention is not None:
                    return token, mention
        return None

    def _owners(self, noun: Token, speaker: Mention | None) -> list[Mention]:
        """Who a criticised thing belongs to: the named object itself ("called him a
        liar"), its possessor ("Trump's decision") or its by-agent ("the proclamation
        ... by President Trump"); none for "the impeachment inquiry"."""
        if noun.pos_ in ("PROPN", "PRON") or self.mentions.is_agent(noun):
            return self._resolve_expanding(noun, speaker)
        # its own phrase first, then the rest of the clause after it, where the parser
        # may have hung the by-phrase ("the proclamation of X as Israeli territory by Y")
        later = [t for t in noun.head.subtree if t.i > noun.i and t not in set(noun.subtree)]
        for token in [*noun.subtree, *later]:
            if token.dep_ == "poss" and token.head.i == noun.i:
                return self._resolve_expanding(token, speaker)
            if token.dep_ == "pobj" and token.head.lower_ == "by":
                found = self._resolve_expanding(token, speaker)
                inner = None if found else self._actor_inside(token, speaker)
                return found or ([inner] if inner else [])
        return []

    def _modifier_actor(self, token: Token, speaker: Mention | None) -> Mention | None:
        mention = self.mentions.resolve(token, speaker)
        if mention is None and token.pos_ == "ADJ":
            actor = self.mentions.gazetteer.by_demonym(token.text)
            mention = Mention(actor, token.text, "demonym") if actor else None
        return mention
