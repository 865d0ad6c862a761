"""Codes that depend on who acts on whom (kg.extraction.actor_codes)."""

from __future__ import annotations

from tests.extraction.test_extraction import matching, show


def test_an_armed_group_attacking_civilians_assaults_them(events_of):
    events = events_of(
        "A camp for Congolese refugees was attacked by Burundian militiamen armed with "
        "machetes on Friday."
    )
    assert matching(events, "BDI", ("18",), "COD"), show(events)
    assert not matching(events, "BDI", ("19",)), show(events)


def test_an_armed_group_fighting_troops_or_shelling_a_town_uses_force(events_of):
    events = events_of("Burundian militiamen attacked Congolese troops on Friday.")
    assert matching(events, "BDI", ("19",), "COD"), show(events)
    events = events_of("Sudanese rebels shelled the town of Kadugli on Sunday.")
    assert not matching(events, None, ("18",)), show(events)


def test_people_gathering_for_a_protest_demonstrate(events_of):
    events = events_of("Thousands of Kenyans converged on Sunday for a rally in Nairobi.")
    assert matching(events, "KEN", ("14",), "KEN"), show(events)
    events = events_of("Thousands of Kenyans gathered in Nairobi to protest against the tax.")
    assert matching(events, "KEN", ("14",)), show(events)
    events = events_of("Leaders of Kenya and Uganda gathered in Nairobi for a summit.")
    assert not matching(events, None, ("14",)), show(events)


def test_a_reason_for_punishment_or_an_instrument_is_no_act(events_of):
    events = events_of("Kenyan authorities deported 40 Somalis for traveling without visas.")
    assert matching(events, "KEN", ("17",), "SOM"), show(events)
    assert len(events) == 1, show(events)
    events = events_of("British aircraft using guided missiles killed four Iraqi soldiers.")
    assert matching(events, "GBR", ("19",), "IRQ"), show(events)
    assert len(events) == 1, show(events)


def test_what_protesters_demand_while_they_protest_is_the_protest(events_of):
    events = events_of(
        "Thousands of Iraqi Kurds demonstrated in the city of Erbil on Sunday calling for "
        "independence from Iraq."
    )
    assert matching(events, "IRQ", ("14",)), show(events)
    assert not matching(events, None, ("02", "10")), show(events)
    # a demand made apart from the protest stays
    events = events_of("Iraqi Kurds demonstrated in Erbil. Their leaders demanded independence.")
    assert matching(events, None, ("10",)), show(events)
