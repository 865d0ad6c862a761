"""The table of office holders (ontology/incumbents.tsv)."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.actors.offices import load_incumbents
from kg.errors import OntologyError


def test_terms_start_on_their_first_day_and_end_on_the_successors():
    incumbents = load_incumbents()
    assert incumbents.holder("prime minister", "GBR", dt.date(2019, 7, 23)) == "theresa-may"
    assert incumbents.holder("prime minister", "GBR", dt.date(2019, 7, 24)) == "boris-johnson"
    assert incumbents.holder("president", "USA", dt.date(2030, 1, 1)) == "donald-trump"
    assert incumbents.holder("president", "GHA", dt.date(2019, 1, 1)) is None


def test_every_holder_is_a_gazetteer_person(extractor):
    incumbents = load_incumbents()
    for holder in incumbents.holders():
        actor = extractor.gazetteer.actors.get(f"https://w3id.org/kg-geo/actor/{holder}")
        assert actor is not None and actor.type == "Person", holder


def test_a_malformed_row_names_its_line(tmp_path):
    table = tmp_path / "incumbents.tsv"
    table.write_text(
        "# comment\ntitle\tcountry\tactor\tfrom\tto\npresident\tUSA\tx\t2019-13-01\t\n"
    )
    with pytest.raises(OntologyError, match=r"incumbents.tsv:3: "):
        load_incumbents(table)
