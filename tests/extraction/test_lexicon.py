"""The trigger lexicon (kg.extraction.lexicon): verb and noun lemmas, in context, to CAMEO codes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.errors import OntologyError
from kg.extraction.lexicon import NO_EVENT, Lexicon, load_cameo_codes, load_cues, load_lexicon
from kg.settings import ONTOLOGY_DIR

ROOTS = [f"{n:02d}" for n in range(1, 21)]


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_the_lexicon_covers_all_twenty_cameo_roots(lexicon: Lexicon) -> None:
    covered: dict[str, str] = {}
    for row in _rows(ONTOLOGY_DIR / "cameo-triggers.tsv"):
        match = lexicon.lookup(row["pos"], row["lemma"], row["context"].split())
        if row["code"] == NO_EVENT:  # "fight for justice": no event in that context
            assert match is None, row
            continue
        assert match is not None, row
        covered.setdefault(match.code[:2], f"{row['pos']} {row['lemma']}")
    assert sorted(covered) == ROOTS


def test_the_lexicon_has_at_least_400_distinct_triggers(lexicon: Lexicon) -> None:
    verbs, nouns = lexicon.lemmas("VERB"), lexicon.lemmas("NOUN")
    assert len(verbs) + len(nouns) >= 400
    assert len(nouns) >= 50  # nominal events: "strike", "sanctions", "talks"
    assert len(lexicon) >= len(verbs) + len(nouns)


def test_every_trigger_code_is_a_cameo_code(lexicon: Lexicon) -> None:
    codes = load_cameo_codes()
    assert set(ROOTS) <= set(codes)
    rows = _rows(ONTOLOGY_DIR / "cameo-triggers.tsv")
    unknown = {row["code"] for row in rows if row["code"] != NO_EVENT} - set(codes)
    assert unknown == set()
    assert codes["195"].parent == "19" and codes["19"].quad_class == 4
    assert codes["010"].goldstein > codes["190"].goldstein


@pytest.mark.parametrize(
    ("pos", "lemma", "root"),
    [
        ("VERB", "say", "01"),
        ("VERB", "urge", "02"),
        ("VERB", "pledge", "03"),
        ("VERB", "meet", "04"),
        ("VERB", "praise", "05"),
        ("VERB", "cooperate", "05"),
        ("NOUN", "aid", "07"),
        ("VERB", "release", "08"),
        ("VERB", "investigate", "09"),
        ("VERB", "demand", "10"),
        ("VERB", "condemn", "11"),
        ("VERB", "accuse", "11"),
        ("VERB", "reject", "12"),
        ("VERB", "threaten", "13"),
        ("VERB", "protest", "14"),
        ("VERB", "demonstrate", "14"),
        ("VERB", "mobilize", "15"),
        ("VERB", "sanction", "16"),
        ("NOUN", "sanction", "16"),
        ("VERB", "seize", "17"),
        ("VERB", "expel", "17"),
        ("VERB", "assassinate", "18"),
        ("VERB", "attack", "19"),
        ("VERB", "kill", "19"),
        ("NOUN", "strike", "19"),
        ("NOUN", "massacre", "20"),
    ],
)
def test_news_triggers_get_their_cameo_root(
    lexicon: Lexicon, pos: str, lemma: str, root: str
) -> None:
    match = lexicon.lookup(pos, lemma)
    assert match is not None and match.code[:2] == root
    assert (match.lemma, match.pos) == (lemma, pos)


@pytest.mark.parametrize(
    ("pos", "lemma", "context", "code", "without"),
    [
        ("VERB", "impose", ["sanction"], "163", "170"),  # "imposed sanctions on Iran"
        ("VERB", "impose", ["new", "sanction", "on", "iran"], "163", "170"),
        ("NOUN", "strike", ["air"], "195", "190"),  # "US air strikes on Kata'ib Hezbollah"
        ("NOUN", "strike", ["drone"], "1952", "190"),  # "a US drone strike"
        ("VERB", "hold", ["talk"], "046", None),  # "held talks with"
    ],
)
def test_context_picks_the_more_specific_code(
    lexicon: Lexicon, pos: str, lemma: str, context: list[str], code: str, without: str | None
) -> None:
    match = lexicon.lookup(pos, lemma, context)
    assert match is not None and match.code == code
    assert set(match.context) <= set(context)
    plain = lexicon.lookup(pos, lemma)
    assert (plain.code if plain else None) == without


def test_words_that_are_no_trigger(lexicon: Lexicon) -> None:
    assert lexicon.lookup("VERB", "photosynthesize") is None
    assert not lexicon.has("NOUN", "photosynthesis")
    assert lexicon.has("VERB", "attack") and lexicon.has("NOUN", "attack")


def test_negotiate_is_a_negotiation(lexicon: Lexicon) -> None:
    match = lexicon.lookup("VERB", "negotiate")
    assert match is not None and match.code[:2] == "04"


# --- malformed files ------------------------------------------------------------------


HEADER = "pos\tlemma\tcontext\tcode\n"


def test_a_valid_custom_lexicon_file(tmp_path: Path) -> None:
    path = tmp_path / "triggers.tsv"
    path.write_text(HEADER + "# a comment\n\nVERB\tstorm\t\t190\nVERB\tstorm\tembassy\t1711\n")
    lexicon = load_lexicon(path)
    assert len(lexicon) == 2
    assert lexicon.lookup("VERB", "storm", ["the", "embassy"]).code == "1711"
    assert lexicon.lookup("VERB", "storm").code == "190"


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ("VERB\tstorm\t190\n", "columns"),  # the context column is missing
        ("ADJ\thostile\t\t111\n", "bad row"),  # not a verb or a noun
        ("VERB\tstorm\t\tnineteen\n", "bad row"),  # not a code
    ],
)
def test_a_malformed_row_names_the_file_and_line(tmp_path: Path, bad_row: str, reason: str) -> None:
    path = tmp_path / "triggers.tsv"
    path.write_text(HEADER + "# hand-written rows\nVERB\tcondemn\t\t111\n" + bad_row)
    with pytest.raises(OntologyError, match=reason) as error:
        load_lexicon(path)
    assert (error.value.path, error.value.line) == (str(path), 4)
    assert f"{path}:4" in str(error.value)


def test_the_cues_file_loads_and_a_missing_key_is_an_error(tmp_path: Path) -> None:
    cues = load_cues()
    assert {"say", "tell"} <= cues.reporting_verbs and cues.statement_code == "010"
    assert {"vow", "threaten"} <= cues.threat_verbs
    broken = tmp_path / "cues.yaml"
    broken.write_text("reporting_verbs: [say]\n")
    with pytest.raises(OntologyError) as error:
        load_cues(broken)
    assert error.value.path == str(broken)


def test_cue_words_yaml_reads_as_booleans_are_kept_as_words() -> None:
    cues = load_cues()
    assert "on" in cues.target_prepositions  # "sanctions on Iran"
    assert "off" in cues.location_prepositions  # "off the coast of Yemen"
    assert "no" in cues.negation_words


def test_an_unquoted_yaml_boolean_in_a_cue_list_is_an_error(tmp_path: Path) -> None:
    text = (ONTOLOGY_DIR / "extraction-cues.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "cues.yaml"
    broken.write_text(text.replace('against, "on", at', "against, on, at"), encoding="utf-8")
    with pytest.raises(OntologyError, match=r"target_prepositions.*True.*quote") as error:
        load_cues(broken)
    assert error.value.path == str(broken)


def test_a_reading_that_names_a_thing_beats_one_of_particles_only() -> None:
    lexicon = Lexicon(
        [
            ("VERB", "break", ("off",), "130"),
            ("VERB", "break", ("relation",), "161"),
        ]
    )
    # "Venezuela broke off diplomatic relations with Colombia"
    match = lexicon.lookup("VERB", "break", ["off", "relation", "diplomatic", "with"])
    assert match is not None and match.code == "161"
    assert lexicon.lookup("VERB", "break", ["off", "talk"]).code == "130"
