"""Sources and targets (kg.extraction.arguments): who acts and on whom."""

from __future__ import annotations

from tests.extraction.test_extraction import matching, show


def test_every_actor_coordinated_inside_an_object_is_a_target(events_of):
    events = events_of("France agreed to provide aid for Romania and Poland.")
    assert matching(events, "FRA", ("03",), "ROU"), show(events)
    assert matching(events, "FRA", ("03",), "POL"), show(events)
