"""Targets named a sentence before (kg.extraction.earlier): the hand-judged Wikinews
samples' most frequent fault on real events. Sentences of English Wikinews 2019 (CC BY
2.5) and of our own wording."""

from __future__ import annotations


def reactions(events):
    return {
        (e.source.label, e.code[:2], e.target.label if e.target else None)
        for e in events
        if e.code[:2] in ("05", "11", "12")
    }


def test_the_decision_criticised_is_the_doer_of_the_act_named_before(events_of):
    events = events_of(
        "On Sunday, President Trump announced the withdrawal of US troops from northern "
        "Syria. Brett McGurk, Trump's former envoy, also criticized the decision via Twitter."
    )
    assert ("Brett McGurk", "11", "Donald Trump") in reactions(events), events


def test_a_call_seconded_is_the_caller_s(events_of):
    events = events_of(
        "On Thursday, French President Emmanuel Macron called for G7 action to correct the "
        "international crisis of wildfires. G7 was already scheduled to meet this weekend. "
        "The call was quickly seconded by German Chancellor Angela Merkel."
    )
    assert ("Angela Merkel", "05", "Emmanuel Macron") in reactions(events), events


def test_no_owner_from_too_far_back_nor_for_an_owned_thing(events_of):
    # an act four sentences back is not what "the decision" stands for
    events = events_of(
        "Iran seized a British tanker in the Gulf. The ship was taken to Bandar Abbas. "
        "Its crew of 23 was held on board. Oil prices rose on Monday. Markets were calm on "
        "Tuesday. Germany criticized the decision."
    )
    assert ("Germany", "11", "Iran") not in reactions(events), events
    # "his decision" names its owner in the sentence: no earlier act is looked for
    events = events_of("Iran seized a British tanker in the Gulf. Germany criticized his decision.")
    assert ("Germany", "11", "Iran") not in reactions(events), events
