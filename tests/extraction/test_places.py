"""Places that decide an actor or a target: a part of a country named through a place
noun ("the capital city of Algiers", "Montenegro province") is in that country."""

from __future__ import annotations

import pytest

from tests.extraction.test_extraction import matching, show


@pytest.mark.parametrize(
    ("sentence", "source", "roots", "target"),
    [
        # a crowd acting in "the capital city of X" is X's, and so is the state it faces
        (
            "About 300 supporters of the opposition blocked roads in the capital city of "
            "Algiers on Sunday.",
            "DZA",
            ("14",),
            "DZA",
        ),
        # "the <nationality> republic of X" is in the state of that nationality
        (
            "Iran threatened to cut off electricity to the autonomous Azerbaijani republic of "
            "Nakhichevan over unpaid bills.",
            "IRN",
            ("13",),
            "AZE",
        ),
        # "<country> province": the act falls on the place where it happens
        (
            "Serbia eased emergency measures on Wednesday in Montenegro province.",
            "SRB",
            ("08",),
            "MNE",
        ),
    ],
)
def test_a_place_noun_names_the_place_after_of_or_before_it(
    events_of, sentence, source, roots, target
):
    events = events_of(sentence)
    assert matching(events, source, roots, target), show(events)


def test_a_state_of_emergency_is_no_place(events_of):
    events = events_of("Sudan's government lifted a state of emergency on Sunday.")
    assert not [e for e in events if e.target is not None and e.target.country != "SDN"]


def test_people_of_a_place_the_gazetteer_lacks_are_of_its_nationality(events_of):
    events = events_of(
        "Druze residents of the Syrian Golan Heights threatened on Monday to hold a general "
        "strike unless Israel lifted the curfew."
    )
    assert matching(events, "SYR", ("13",), "ISR"), show(events)
    events = events_of("Residents of the city of Algiers protested against the government.")
    assert matching(events, "DZA", ("14",), "DZA"), show(events)


def test_people_in_a_place_are_its_people_and_defiance_names_the_target(events_of):
    events = events_of(
        "Tens of thousands of people marched in Hong Kong on Sunday in defiance of the "
        "Chinese authorities."
    )
    assert matching(events, "HKG", ("14",), "CHN"), show(events)
    # with no place named, "people" is nobody's (the article's country is no evidence)
    assert not events_of("Tens of thousands of people marched on Sunday.")
