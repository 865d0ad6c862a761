"""Whether a trigger is asserted as happening: negation, conditions, purposes,
hypotheticals, reported futures, threats and intents, background clauses.

The checks the sentence coder runs before it codes a trigger; their word lists are
data in ``ontology/extraction-cues.yaml`` (``hypothetical_auxiliaries``,
``non_factual_verbs``, ``allegation_verbs``, ``threat_verbs``, ``intent_verbs``...).
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extraction.arguments import ArgumentFinder
from kg.extraction.mentions import Mention

__all__ = ["ModalityChecks"]

_QUOTE_MARKS = frozenset({'"', "“", "”", "``", "''"})
_MAX_CLAUSE_DEPTH = 6  # clauses to climb looking for a condition or a purpose


class ModalityChecks(ArgumentFinder):
    """The modality of a trigger, read off the dependency parse."""

    def _negated(self, token: Token) -> bool:
        for child in token.children:
            if child.dep_ == "neg" or child.lower_ in ("never", "n't", "not"):
                return True
            if child.lower_ in ("longer", "more") and any(  # "will no longer tolerate"
                g.lower_ == "no" for g in child.children
            ):
                return True
        return any(
            c.dep_ == "det" and c.lower_ == "no" for c in token.children if token.pos_ == "NOUN"
        )

    def _background(self, verb: Token) -> bool:
        """A relative clause in the past perfect recalls an earlier event as background
        ("..., whom they had taken hostage two weeks ago"): news coders code the lead."""
        if verb.dep_ != "relcl":
            return False
        return any(c.dep_ == "aux" and c.lower_ == "had" for c in verb.children)

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

    def _speech_frame(self, verb: Token) -> bool:
        """ "Johnson told the public via Twitter, "Corbyn wants to ..."": a reporting verb
        before a quotation that the parser hung under the quoted clause; the quote's verbs
        do not make the speaking hypothetical."""
        if verb.lemma_.lower() not in self.cues.reporting_verbs or verb.i > verb.head.i:
            return False
        between = verb.doc[verb.i + 1 : verb.head.i]
        return any(t.text in _QUOTE_MARKS or t.text == ":" for t in between)

    @staticmethod
    def _present_state(verb: Token) -> bool:
        """A verb in the simple present, active ("which advocates statehood") or passive
        ("Lam, who is supported by the mainland Chinese government"): what holds."""
        auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        if not auxiliaries:
            return verb.tag_ in ("VBZ", "VBP")
        return (
            verb.tag_ == "VBN"
            and len(auxiliaries) == 1
            and auxiliaries[0].dep_ == "auxpass"
            and auxiliaries[0].tag_ in ("VBZ", "VBP")
        )

    def _hypothetical(self, verb: Token) -> bool:
        if self._speech_frame(verb):
            return False
        if any(
            c.dep_ == "aux" and c.lower_ in self.cues.hypothetical_auxiliaries
            for c in verb.children
        ) and not self._future(verb):
            return True
        if not self._negated(verb) and any(  # "Iran can attack Israel at any time"; "cannot
            c.dep_ == "aux" and c.lower_ == "can"
            for c in verb.children  # accept" refuses
        ):
            return True
        if self._as_said_before(verb):
            return True
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children):
            return True  # "if Iran attacked Americans": a condition, not an act
        if self._unasserted_clause(verb):
            return True
        if verb.dep_ == "relcl" and self._present_state(verb):
            return True  # "the ruling party, which advocates statehood": a standing position
        if verb.dep_ == "xcomp" and any(  # "whose duty it is to protect the borders"
            c.dep_ == "attr" and c.lemma_.lower() in self.cues.non_factual_nouns
            for c in verb.head.children
        ):
            return True
        if (
            verb.dep_ in ("acl", "ccomp")
            and verb.head.pos_ == "NOUN"
            and verb.head.lemma_.lower() in self.cues.non_factual_nouns
        ):
            return True  # "its demand that Israel ease restrictions": asked, not done
        if self._content_of_a_demand(verb):
            return True
        head = verb
        while head.dep_ in ("xcomp", "ccomp", "advcl", "conj", "pcomp") and head.head.i != head.i:
            parent = head.head
            if parent.pos_ == "ADP" and parent.head.i != parent.i:
                parent = parent.head  # "accused Iran of attacking": through the preposition
            if (
                head.dep_ != "conj"  # "X claimed credit, but Y made threats": Y's own act
                and parent.lemma_.lower() in self.cues.allegation_verbs
                and not self._own_claim(head, parent)
            ):
                return True  # an allegation is coded as the accusation, not as the act
            if head.dep_ == "pcomp" and parent.lemma_.lower() in self.cues.prevention_verbs:
                return True  # "prohibiting him from releasing them": kept from doing it
            if head.dep_ == "pcomp" and parent.lemma_.lower() in self.cues.penal_verbs:
                return True  # "sentenced them to life for torturing": the offence
            if head.dep_ == "pcomp" and parent.lemma_.lower() in self.cues.threat_verbs:
                return True  # "warned the US against interfering in Hong Kong": not done
            if (
                head.dep_ in ("xcomp", "ccomp")
                and parent.lemma_.lower() in self.cues.non_factual_verbs
            ):
                return True  # "demanded that Hamas renounce ...": asked for, not done
            if head.dep_ == "xcomp" and (
                self._negated(parent) or (parent.dep_ == "acomp" and self._negated(parent.head))
            ):
                return True  # "we are not prepared to risk inflicting ..."
            if head.dep_ == "xcomp" and parent.lemma_.lower() in self.cues.non_factual_adjectives:
                return True  # "was unable to negotiate a deal"
            if head.dep_ == "xcomp" and parent.lemma_.lower() in self.cues.appointment_verbs:
                return True  # "was appointed to fill Hillary Clinton's Senate seat"
            if head.dep_ == "xcomp" and any(
                c.dep_ == "aux" and c.lower_ in self.cues.hypothetical_auxiliaries
                for c in parent.children
            ):
                return True  # "might have encouraged Russia to attack": as unsure as its verb
            if (
                head.dep_ == "xcomp"
                and parent.dep_ == "acomp"
                and any(
                    c.dep_ == "aux" and c.lower_ in self.cues.obligation_auxiliaries
                    for c in parent.head.children
                )
            ):
                return True  # "the US must be ready to mediate": demanded, not done
            if head.dep_ not in ("conj", "xcomp"):
                break  # "tried to pressure Ukraine to launch": the whole chain is tried
            head = parent
        return False

    def _own_claim(self, act: Token, claim: Token) -> bool:
        """A claim of responsibility: the claimer says it did the act itself ("the Houthis
        claimed that they had attacked the Saudi airport"); the act is coded too."""
        if claim.lemma_.lower() not in self.cues.responsibility_verbs:
            return False
        doers = [c for c in act.children if c.dep_ == "nsubj"]
        claimers = [c for c in claim.children if c.dep_ == "nsubj"]
        if not doers or not claimers:
            return False
        doer, claimer = doers[0], claimers[0]
        return doer.lower_ in ("they", "it", "we", "he", "she") or doer.lower_ == claimer.lower_

    def _unasserted_clause(self, verb: Token) -> bool:
        """Whether an enclosing clause makes the act a condition or a purpose: "would
        leave if the Senate voted against confirming him" (confirming is inside the
        condition), "sent officials to Qatar to investigate" or "in order to help"
        (a purpose, not yet done). Reporting verbs close the search: what a speaker
        said happened is coded."""
        node = verb
        for _ in range(_MAX_CLAUSE_DEPTH):
            if (
                node.dep_ == "advcl"
                and node.tag_ == "VB"
                and node.head.pos_ in ("VERB", "AUX")  # not "defeat ... for it to murder"
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
            ):  # an infinitive of purpose, unless a stated intent covers it ("willing to
                # send material to help defend Saudi Arabia" is coded as the intent)
                return bool(self._for_subject(node, None)) or not self._under_intent(node)
            if self._purpose_after_object(node):
                return not self._under_intent(node)
            parent = node.head
            if parent.i == node.i or parent.lemma_.lower() in self.cues.reporting_verbs:
                return False
            if node.dep_ in ("advcl", "pcomp", "pobj", "prep", "xcomp", "ccomp") and any(
                c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in parent.children
            ):
                return True
            node = parent
        return False

    def _purpose_after_object(self, node: Token) -> bool:
        """An infinitive after the object of a verb that controls no object, which the
        parser hung as a complement: "Trump sued the Manhattan District Attorney to block
        the release of his tax returns" (Wikinews 2019) is a purpose, not a block; what
        an instrument is used for is done ("used Instagram to thank supporters")."""
        head = node.head
        return (
            node.dep_ == "xcomp"
            and node.tag_ == "VB"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
            and head.pos_ == "VERB"
            and any(c.dep_ == "dobj" and c.i < node.i for c in head.children)
            and head.lemma_.lower() not in self.cues.object_control_verbs
            and head.lemma_.lower() not in ("use", "employ")  # "used Instagram to thank"
        )

    def _content_of_a_demand(self, verb: Token) -> bool:
        """A "that" clause of the thing demanded: "demanded an immediate admission by
        Moscow that Soviet NKVD security forces murdered more than 15,000 Polish officers"
        (PLOVER GSR read by hand) asks for an admission, it reports no murder."""
        noun = verb.head
        return (
            verb.dep_ in ("acl", "ccomp")
            and any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.children)
            and noun.dep_ == "dobj"
            and self._asks(noun.head)
        )

    def _asks(self, verb: Token) -> bool:
        """Whether ``verb`` demands or appeals by the lexicon (CAMEO 02 or 10)."""
        match = self.lexicon.lookup("VERB", verb.lemma_.lower()) if verb.pos_ == "VERB" else None
        return match is not None and match.code[:2] in ("02", "10")

    def _under_intent(self, token: Token) -> bool:
        stated = self.cues.intent_verbs | self.cues.intent_adjectives | self.cues.threat_verbs
        return any(a.lemma_.lower() in stated for a in token.ancestors)

    def _as_said_before(self, verb: Token) -> bool:
        """A verbal act in an "as" clause with nothing said in it refers to what was
        proposed, promised or agreed before: "questioned the President's power to do as
        he proposed" (events-dev), "as agreed", "as requested". Force and protest in an
        "as" clause happen ("as protesters marched")."""
        if not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
            return False
        if any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in verb.children):
            return False
        match = self.lexicon.lookup("VERB", verb.lemma_.lower(), ())
        return match is not None and match.code[:2] <= "10"

    def _threatened_act(self, verb: Token) -> Token | None:
        """The act a threat or intent verb governs ("vowed to retaliate"), if it is a trigger."""
        deps = ("xcomp", "ccomp") if verb.lemma_.lower() in self.cues.threat_verbs else ("xcomp",)
        for child in verb.children:
            if (
                (child.dep_ in deps or self._threat_infinitive(child))
                and child.pos_ == "VERB"
                and self.lexicon.lookup("VERB", child.lemma_.lower(), self._context(child))
            ):
                return child
        return None

    def _governor(self, verb: Token) -> Token | None:
        """The threat or intent word that ``verb`` is the complement of, if any; an
        infinitive of purpose under such a complement shares it ("is willing to send
        material to help defend Saudi Arabia": the help is promised too)."""
        node = verb
        for _ in range(3):
            governor = self._direct_governor(node)
            if governor is not None:
                return governor
            infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
            if not (node.dep_ == "xcomp" or (node.dep_ == "advcl" and infinitive)):
                return None
            node = node.head
        return None

    def _threat_infinitive(self, verb: Token) -> bool:
        """An infinitive the parser hung on a threat verb as an adverbial clause: in
        "Ethnic Albanians have sworn to fight until they gain control of villages" (PLOVER
        GSR read by hand) "to fight" is what they swore, not why."""
        return (
            verb.dep_ == "advcl"
            and verb.head.lemma_.lower() in self.cues.threat_verbs
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
            and not any(c.dep_ in ("xcomp", "ccomp") for c in verb.head.children)
        )

    def _direct_governor(self, verb: Token) -> Token | None:
        if self._threat_infinitive(verb):
            return verb.head
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
        if 9 <= root <= 13 and governor is not None and (threat or self._intends(governor)):
            # meaning to investigate is intent (030); meaning to sue, demand or reject is
            # a threat ("said he intended to sue", events-dev d-wn-060: 01 or 13)
            return "030" if root == 9 and not threat else "130"
        if 4 <= root <= 8 and (governor is not None or future):
            return {4: "036", 5: "030", 6: "031", 7: "033", 8: "035"}[root]
        return None

    def _planned_words(self, verb: Token, code: str) -> bool:
        """A statement or appeal only planned or promised is not made: "Democrats also
        plan to address the current government shutdown" (the hand-judged Wikinews
        sample)."""
        if code[:2] not in ("01", "02"):
            return False  # most triggers: no need to look for a governor
        governor = self._governor(verb)
        return governor is not None and self._intends(governor)

    def _intends(self, governor: Token) -> bool:
        return governor.lemma_.lower() in self.cues.intent_verbs

    def _threatener(self, verb: Token) -> list[Mention]:
        governor = self._governor(verb)
        if governor is not None and governor.pos_ == "VERB":
            return self._subjects(governor, self._speaker(governor))
        return []
