"""Event extraction (kg.extraction): real news sentences in, coded events out.

Actors are named in assertions by IRI, or by ISO country code where any actor of that
state will do ("USA" matches the United States, the Pentagon and "US troops").
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from kg.models import Actor, Event

ROOT = Path(__file__).resolve().parents[2]
ACTOR = "https://w3id.org/kg-geo/actor/"
SOLEIMANI = ACTOR + "qassem-soleimani"
KHATAMI = ACTOR + "ahmad-khatami"
QUDS_FORCE = ACTOR + "quds-force"
HASHD = ACTOR + "hashd-al-shaabi"
KATAIB_HEZBOLLAH = ACTOR + "kataib-hezbollah"
IRGC = ACTOR + "islamic-revolutionary-guard-corps"
ZARIF = ACTOR + "mohammad-javad-zarif"
POMPEO = ACTOR + "mike-pompeo"
TRUMP = ACTOR + "donald-trump"
KHAMENEI = ACTOR + "ali-khamenei"
MUHANDIS = ACTOR + "abu-mahdi-al-muhandis"

_ANY: Any = object()


def names(actor: Actor | dict | None) -> set[str]:
    """The ways a test may name an actor: its IRI and its country code."""
    if actor is None:
        return set()
    if isinstance(actor, dict):
        return {actor["id"], *([actor["country"]] if actor.get("country") else [])}
    return {actor.id, *([actor.country] if actor.country else [])}


def matching(
    events: Iterable[Event],
    source: str | None = None,
    roots: tuple[str, ...] | None = None,
    target: str | None = _ANY,
) -> list[Event]:
    """Events with that source, one of those CAMEO roots and that target (None: no target)."""
    return [
        e
        for e in events
        if (source is None or source in names(e.source))
        and (roots is None or e.root in roots)
        and (
            target is _ANY
            or (target is None and e.target is None)
            or (target is not None and target in names(e.target))
        )
    ]


def one(found: list[Event], events: list[Event]) -> Event:
    """The single event in ``found``; the message lists everything that came out."""
    assert len(found) == 1, show(events)
    return found[0]


def show(events: Iterable[Event]) -> str:
    """A readable list of what came out, for assertion messages."""
    return (
        "\n".join(
            f"{e.source.label} -{e.code} {e.action}-> {e.target.label if e.target else None}"
            f" [{e.date}, {e.location}]"
            for e in events
        )
        or "(no events)"
    )


# --- acceptance: `kg extract seeds/ --format jsonl` ------------------------------------


def _kg_command() -> list[str]:
    script = shutil.which("kg", path=str(Path(sys.executable).parent)) or shutil.which("kg")
    if script:
        return [script]
    return [sys.executable, "-c", "from kg.cli.main import app; app()"]


@pytest.fixture(scope="module")
def seed_records() -> list[dict[str, Any]]:
    run = subprocess.run(
        [*_kg_command(), "extract", "seeds/soleimani-2020-01-05.txt", "--format", "jsonl"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]


def seed_matching(
    records: list[dict[str, Any]], source: str, roots: tuple[str, ...], target: str | None = _ANY
) -> list[dict[str, Any]]:
    return [
        r
        for r in records
        if source in names(r["source"])
        and r["code"][:2] in roots
        and (target is _ANY or target in names(r["target"]))
    ]


def show_records(records: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{r['source']['label']} -{r['code']} {r['action']}-> "
        f"{r['target']['label'] if r['target'] else None} [{r['date']}]: {r['sentence'][:60]}"
        for r in records
    )


def test_seed_every_line_carries_the_contract_keys(seed_records: list[dict[str, Any]]) -> None:
    assert len(seed_records) >= 6
    for record in seed_records:
        assert record["article"] == "soleimani-2020-01-05"
        assert isinstance(record["sentence"], str) and record["sentence"]
        assert set(record["source"]) >= {"id", "label", "type"}
        assert record["source"]["id"].startswith("http")
        assert record["target"] is None or set(record["target"]) >= {"id", "label", "type"}
        assert isinstance(record["action"], str) and record["action"]
        assert re.fullmatch(r"\d{3,4}", record["code"]), record["code"]
        assert record["date"] is None or dt.date.fromisoformat(record["date"])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["date"] or "2020-01-05")
        assert 0.0 <= record["confidence"] <= 1.0


def test_seed_united_states_kills_soleimani(seed_records: list[dict[str, Any]]) -> None:
    found = seed_matching(seed_records, "USA", ("18", "19"), SOLEIMANI)
    assert found, show_records(seed_records)
    assert all(r["target"]["label"] == "Qassem Soleimani" for r in found)


def test_seed_saturday_strike_on_the_hashd_convoy(seed_records: list[dict[str, Any]]) -> None:
    found = seed_matching(seed_records, "USA", ("19",), HASHD)
    assert found, show_records(seed_records)
    [strike] = [r for r in found if "convoy" in r["sentence"]]
    assert strike["date"] == "2020-01-04"  # "on Saturday morning" in a Sunday article
    assert strike["location"] == "Baghdad"


def test_seed_khatami_threatens_the_united_states(seed_records: list[dict[str, Any]]) -> None:
    found = seed_matching(seed_records, KHATAMI, ("13",), "USA")
    assert found, show_records(seed_records)
    assert found[0]["source"]["country"] == "IRN"
    # the vowed revenge is a threat, not an attack
    assert not seed_matching(seed_records, KHATAMI, ("18", "19", "20"))


def test_seed_united_states_designates_the_quds_force(seed_records: list[dict[str, Any]]) -> None:
    [designation] = [
        r
        for r in seed_records
        if "Foreign Terrorist Organization" in r["sentence"] and r["target"] is not None
    ]
    assert "USA" in names(designation["source"])
    assert designation["target"]["id"] == QUDS_FORCE
    assert designation["action"] == "designate"


@pytest.mark.parametrize(
    "speaker",
    [ACTOR + "lisa-nandy", ACTOR + "ryan-crocker", ACTOR + "hisham-al-hashemi", KHATAMI],
)
def test_seed_named_speakers_make_statements(
    seed_records: list[dict[str, Any]], speaker: str
) -> None:
    statements = [r for r in seed_records if r["source"]["id"] == speaker and r["code"] == "010"]
    assert statements, show_records(seed_records)


def test_seed_obrien_makes_a_statement(seed_records: list[dict[str, Any]]) -> None:
    statements = [
        r for r in seed_records if "O'Brien" in r["source"]["label"] and r["code"] == "010"
    ]
    assert statements, show_records(seed_records)
    assert statements[0]["source"]["type"] == "Person"


@pytest.mark.parametrize("words", ["WSWS", "advanced notice"])
def test_seed_no_event_from_the_appeal_or_the_unnotified_senator(
    seed_records: list[dict[str, Any]], words: str
) -> None:
    assert [r["sentence"] for r in seed_records if words in r["sentence"]] == []


# --- constructions --------------------------------------------------------------------


def test_active_subject_verb_object(events_of) -> None:
    events = events_of(
        "Iran shot down a U.S. drone over the Strait of Hormuz on Thursday.", "2019-06-20"
    )
    shot = one(matching(events, "IRN", ("19",), "USA"), events)
    assert shot.action == "shoot"
    assert shot.source.id == ACTOR + "IRN"
    assert shot.date == dt.date(2019, 6, 20)
    assert "Iran shot down" in shot.sentence


def test_active_voice_with_a_named_organisation(events_of) -> None:
    events = events_of(
        "Iran's Islamic Revolutionary Guard Corps seized the British-flagged tanker Stena"
        " Impero in the Strait of Hormuz on Friday.",
        "2019-07-20",
    )
    seized = one(matching(events, IRGC, ("17",)), events)
    assert seized.source.country == "IRN"
    assert seized.target is not None and "Stena Impero" in seized.target.label
    assert seized.date == dt.date(2019, 7, 19)


def test_passive_with_by_agent(events_of) -> None:
    events = events_of(
        "Muhandis, the founder of Kata'ib Hezbollah, had been designated a terrorist by Washington."
    )
    assert matching(events, ACTOR + "USA", ("17",), MUHANDIS), show(events)
    assert not matching(events, MUHANDIS), "the passive subject is the target, not the source"


def test_passive_with_a_weapon_as_agent_names_who_fired_it(events_of) -> None:
    events = events_of(
        "Canadian Prime Minister Justin Trudeau said on Thursday that intelligence from multiple"
        " sources indicated that Ukraine International Airlines Flight 752 was shot down by an"
        " Iranian surface-to-air missile.",
        "2020-01-09",
    )
    downed = one(matching(events, roots=("18", "19")), events)
    assert ACTOR + "IRN" in names(downed.source), show(events)
    assert ACTOR + "UKR" in names(downed.target), "the airline's country, named inside the flight"


def test_a_group_named_by_its_backer_is_one_actor_and_storming_by_a_crowd_is_a_riot(
    events_of,
) -> None:
    events = events_of(
        "Hundreds of supporters of Iran-backed militias forced their way into the compound of"
        " the US embassy in Baghdad on Tuesday, smashing a main gate.",
        "2019-12-31",
    )
    storming = one(matching(events, roots=("14",), target=ACTOR + "USA"), events)
    assert storming.source.label == "Iran-backed militia", "not Iran, and not nobody"
    assert storming.code == "145", "CAMEO: protesters storming a building riot (145)"
    assert not matching(events, ACTOR + "IRN"), show(events)


def test_forces_storming_a_town_use_force(events_of) -> None:
    events = events_of("US troops stormed the town of Falluja on Monday.", "2004-11-08")
    assert one(matching(events, roots=("19",)), events).code == "190"


def test_a_bare_crowd_is_the_crowd_the_article_named_before(events_of) -> None:
    events = events_of(
        "Supporters of Iran-backed militias withdrew from outside the US embassy in Baghdad on"
        " Wednesday. Before leaving, some protesters hurled stones at the building.",
        "2020-01-01",
    )
    stones = one(matching(events, roots=("14",)), events)
    assert stones.source.label == "Iran-backed militia" and stones.code == "145"


def test_an_aircraft_model_is_not_an_actor(events_of) -> None:
    events = events_of(
        "A Ukraine International Airlines Boeing 737-800 bound for Kyiv crashed minutes after"
        " taking off from Tehran's Imam Khomeini International Airport on Wednesday, killing all"
        " 176 people on board.",
        "2020-01-08",
    )
    assert not [e for e in events if "Boeing" in e.source.label], show(events)


def test_passive_with_by_agent_names_the_seizer(events_of) -> None:
    events = events_of(
        "The tanker Stena Impero was seized by Iran's Revolutionary Guards in the Strait of Hormuz."
    )
    assert matching(events, IRGC, ("17",)), show(events)


def test_prepositional_target_against(events_of) -> None:
    events = events_of("Iraqi protesters demonstrated against the United States on Tuesday.")
    protest = one(matching(events, "IRQ", ("14",), ACTOR + "USA"), events)
    assert protest.date == dt.date(2019, 12, 31)


def test_prepositional_target_of_a_group_named_through_its_supporters(events_of) -> None:
    events = events_of(
        "Supporters of Kata'ib Hezbollah protested against the United States in Baghdad."
    )
    assert matching(events, KATAIB_HEZBOLLAH, ("14",), ACTOR + "USA"), show(events)


def test_prepositional_target_strike_on(events_of) -> None:
    events = events_of("The United States launched a strike on Kata'ib Hezbollah in Iraq.")
    assert matching(events, ACTOR + "USA", ("19",), KATAIB_HEZBOLLAH), show(events)


def test_reported_speech_codes_the_statement_and_the_reported_act(events_of) -> None:
    events = events_of("Pompeo said Iran attacked the tankers.")
    assert [e.code for e in matching(events, POMPEO)] == ["010"], show(events)
    assert matching(events, "IRN", ("19",)), show(events)


def test_reported_speech_after_the_quote(events_of) -> None:
    events = events_of(
        "Iran launched more than a dozen ballistic missiles against U.S. military and"
        " coalition forces in Iraq, the Pentagon said."
    )
    assert matching(events, "IRN", ("19",), "USA"), show(events)
    said = matching(events, "USA", ("01",))
    assert said and said[0].code == "010", show(events)
    assert not matching(events, "USA", ("19",)), "the reporter is not the attacker"


def test_coordinated_subjects_give_one_event_each(events_of) -> None:
    events = events_of(
        "Britain, France and Germany blamed Iran for the attack on Saudi oil facilities."
    )
    blamers = {e.source.id for e in matching(events, None, ("11",), "IRN")}
    assert blamers == {ACTOR + "GBR", ACTOR + "FRA", ACTOR + "DEU"}, show(events)


def test_coordinated_objects_give_one_event_each(events_of) -> None:
    events = events_of(
        "Japanese Prime Minister Shinzo Abe met President Hassan Rouhani and Supreme Leader"
        " Ali Khamenei in Tehran.",
        "2019-06-13",
    )
    met = {e.target.id for e in matching(events, ACTOR + "shinzo-abe", ("04",)) if e.target}
    assert met == {ACTOR + "hassan-rouhani", KHAMENEI}, show(events)


def test_coordinated_modifiers_of_an_agent_noun(events_of) -> None:
    events = events_of("Iraqi and Iranian officials condemned the United States.")
    assert {e.source.country for e in matching(events, None, ("11",), ACTOR + "USA")} == {
        "IRQ",
        "IRN",
    }, show(events)


def test_apposition_names_the_speaker(events_of) -> None:
    events = events_of(
        '"I am telling Americans, especially Trump, we will take a revenge that will change'
        ' their daylight into a night-time darkness", said the cleric, Ayatollah Ahmad Khatami.'
    )
    assert matching(events, KHATAMI, ("01",)), show(events)
    assert matching(events, KHATAMI, ("13",), ACTOR + "USA"), show(events)


def test_apposition_in_subject_position(events_of) -> None:
    events = events_of("The cleric, Ayatollah Ahmad Khatami, condemned the United States.")
    assert matching(events, KHATAMI, ("11",), ACTOR + "USA"), show(events)


def test_apposition_names_the_target(events_of) -> None:
    events = events_of("Trump ordered the killing of Iran's top general, Qassem Soleimani.")
    assert matching(events, TRUMP, ("18", "19"), SOLEIMANI), show(events)


def test_nominal_event_with_a_state_modifier(events_of) -> None:
    events = events_of("Iraq condemned the US air strikes on Kata'ib Hezbollah.")
    strikes = one(matching(events, ACTOR + "USA", ("19",), KATAIB_HEZBOLLAH), events)
    assert strikes.code == "195"  # air strikes: the more specific code
    assert matching(events, ACTOR + "IRQ", ("11",)), show(events)


def test_nominal_event_targeting_a_convoy_of_a_group(events_of) -> None:
    events = events_of(
        "Iraqi state television reported a further US strike in Baghdad on Saturday morning,"
        " targeting a convoy belonging to the Hashed al-Shaabi."
    )
    strike = one(matching(events, "USA", ("19",), HASHD), events)
    assert strike.date == dt.date(2020, 1, 4)


def test_nominal_event_carried_out_by_forces(events_of) -> None:
    events = events_of(
        "American forces carried out air strikes on Sunday against five facilities belonging"
        " to Kata'ib Hezbollah in Iraq and Syria.",
        "2019-12-29",
    )
    assert matching(events, "USA", ("19",), KATAIB_HEZBOLLAH), show(events)


@pytest.mark.parametrize(
    "sentence",
    [
        "Iran did not attack the tankers, Foreign Minister Mohammad Javad Zarif said.",
        "Iran has not seized any British tanker.",
        "Iran never attacked the tankers.",
        "Supreme Leader Ayatollah Ali Khamenei said Iran would not negotiate with the United"
        " States.",
    ],
)
def test_negated_acts_give_no_event(events_of, sentence: str) -> None:
    events = events_of(sentence)
    acts = [e for e in events if e.root != "01"]
    assert acts == [], show(events)


def test_negation_keeps_the_statement(events_of) -> None:
    events = events_of(
        "Iran did not attack the tankers, Foreign Minister Mohammad Javad Zarif said."
    )
    assert [(e.source.id, e.code) for e in events] == [(ZARIF, "010")], show(events)


def test_vow_to_retaliate_is_a_threat_not_the_act(events_of) -> None:
    events = events_of("Iran vowed to retaliate against the United States.")
    assert matching(events, ACTOR + "IRN", ("13",), ACTOR + "USA"), show(events)
    assert not [e for e in events if e.root in ("18", "19", "20")], show(events)


def test_vowed_revenge_is_a_threat(events_of) -> None:
    events = events_of(
        "Supreme Leader Ayatollah Ali Khamenei vowed severe revenge against those responsible."
    )
    assert matching(events, KHAMENEI, ("13",)), show(events)
    assert not [e for e in events if e.root in ("18", "19", "20")], show(events)


def test_threat_to_expel_is_coded_as_a_threat(events_of) -> None:
    events = events_of("Iranian lawmakers threatened to expel US troops.")
    assert matching(events, "IRN", ("13",), "USA"), show(events)
    assert not [e for e in events if e.root == "17"], show(events)


def test_threat_to_an_act_on_a_place_has_no_target(events_of) -> None:
    events = events_of("Iran threatened to close the Strait of Hormuz.")
    threat = one(matching(events, ACTOR + "IRN", ("13",)), events)
    assert threat.target is None


def test_reported_future_threat_is_coded_for_the_threatener(events_of) -> None:
    events = events_of("Khamenei said Iran would take revenge on the United States.")
    assert matching(events, KHAMENEI, ("01",), None), show(events)
    assert matching(events, ACTOR + "IRN", ("13",), ACTOR + "USA"), show(events)
    assert not [e for e in events if e.root in ("18", "19", "20")], show(events)


def test_pronoun_resolves_to_the_person_named_before(events_of) -> None:
    events = events_of(
        "Foreign Minister Mohammad Javad Zarif arrived in Baghdad on Saturday. He condemned"
        " the United States."
    )
    condemned = one(matching(events, None, ("11",), ACTOR + "USA"), events)
    assert condemned.source.id == ZARIF
    assert condemned.source_text == "He"


def test_short_form_the_general_resolves_to_soleimani(events_of) -> None:
    events = events_of(
        "Qassem Soleimani led the Quds Force for two decades. The general had threatened the"
        " United States."
    )
    threat = one(matching(events, None, ("13",), ACTOR + "USA"), events)
    assert threat.source.id == SOLEIMANI


def test_pronoun_and_short_form_in_the_seed_sentence(events_of) -> None:
    events = events_of(
        "The death of General Soleimani, head of Iran's elite Quds force, in the airstrike at"
        " Baghdad airport has sparked an escalation in tensions between America and Iran.\n\n"
        '"What America showed was the depth of its weaknesses and defeat in the region for it'
        ' to murder the general of a country."'
    )
    murder = one(matching(events, ACTOR + "USA", ("18", "19"), SOLEIMANI), events)
    assert murder.source_text == "it"


def test_surname_resolves_to_the_full_name_given_earlier(events_of) -> None:
    events = events_of(
        "Secretary of State Mike Pompeo arrived in Riyadh on Wednesday.\n\n"
        "Pompeo accused Iran of an act of war."
    )
    assert matching(events, POMPEO, ("11", "12"), ACTOR + "IRN"), show(events)


@pytest.mark.parametrize(
    ("when", "published", "day"),
    [
        ("on Friday", "2020-01-05", "2020-01-03"),  # the Friday before a Sunday paper
        ("on Sunday", "2020-01-05", "2020-01-05"),  # the day of publication itself
        ("on Tuesday", "2020-01-01", "2019-12-31"),  # across the new year
        ("yesterday", "2020-01-05", "2020-01-04"),
        ("on Jan. 3", "2020-01-05", "2020-01-03"),
        ("on January 3, 2020", "2020-01-08", "2020-01-03"),
    ],
)
def test_stated_dates_are_resolved_against_the_article_date(
    events_of, when: str, published: str, day: str
) -> None:
    [killed] = matching(
        events_of(f"The United States killed Qassem Soleimani {when}.", published),
        ACTOR + "USA",
        ("18", "19"),
        SOLEIMANI,
    )
    assert killed.date == dt.date.fromisoformat(day)
    assert killed.date_inferred is False


def test_without_a_stated_date_the_article_date_is_used_and_marked_inferred(events_of) -> None:
    [killed] = events_of("The United States killed Qassem Soleimani.", "2020-01-03")
    assert killed.date == dt.date(2020, 1, 3)
    assert killed.date_inferred is True


def test_a_date_on_the_reporting_verb_dates_the_report_not_the_act(events_of) -> None:
    events = events_of(
        "The U.S. military killed Qassem Soleimani at the direction of President Donald Trump,"
        " the Pentagon said late on Thursday in Washington.",
        "2020-01-03",
    )
    killed = one(matching(events, None, ("18", "19"), SOLEIMANI), events)
    assert (killed.date, killed.date_inferred) == (dt.date(2020, 1, 3), True), (
        "Thursday is when the Pentagon spoke; the killing's date is only the article's"
    )
    said = one(matching(events, roots=("01",)), events)
    assert said.date == dt.date(2020, 1, 2) and not said.date_inferred


def test_an_admission_dates_the_admitting_not_the_act(events_of) -> None:
    events = events_of(
        "Iran's armed forces admitted on Saturday that they had unintentionally shot down"
        " the Ukraine International Airlines jet that crashed near Tehran on Wednesday.",
        "2020-01-11",
    )
    downed = one(matching(events, ACTOR + "IRN", ("19",), ACTOR + "UKR"), events)
    assert downed.date_inferred, show(events)


def test_without_any_date_there_is_none(events_of) -> None:
    [killed] = events_of("The United States killed Qassem Soleimani on Friday.", None)
    assert killed.date is None


def test_location_when_stated(events_of) -> None:
    [killed] = events_of("The United States killed Soleimani in a drone strike in Baghdad.")
    assert killed.location == "Baghdad"
    [seized] = events_of("Iran seized a British tanker in the Strait of Hormuz on Friday.")
    assert seized.location == "Strait of Hormuz"


def test_no_location_when_none_is_stated(events_of) -> None:
    [condemned] = events_of("The Kremlin condemned the United States.")
    assert condemned.location is None


def test_every_event_carries_its_evidence(events_of) -> None:
    text = (
        "Iran's Revolutionary Guards seized the British-flagged tanker Stena Impero on Friday."
        "\n\nIraqi protesters demonstrated against the United States on Tuesday."
    )
    events = events_of(text)
    assert len(events) >= 2
    for event in events:
        assert event.article == "test-article"
        assert text[event.sentence_start : event.sentence_end].strip() == event.sentence
        assert text[event.trigger_start : event.trigger_end].lower().startswith(event.action[:4])
        assert 0.0 <= event.confidence <= 1.0


# --- CAMEO coding conventions (the CAMEO 1.1b3 manual's own examples) -------------------


@pytest.mark.parametrize(
    ("sentence", "source", "target"),
    [
        (
            "Russia said on Tuesday that Sudan must return a Mi-26 helicopter that was captured"
            " by the Sudanese authorities last week.",
            "RUS",
            "SDN",
        ),
        (
            "A senior British minister reiterated that Libya must hand over alleged bombers of"
            " the U.S. airliner.",
            "GBR",
            "LBY",
        ),
    ],
)
def test_reported_obligation_is_a_demand(events_of, sentence, source, target) -> None:
    events = events_of(sentence)
    assert matching(events, source, ("10",), target), show(events)
    assert not [e for e in events if e.action in ("return", "hand")], show(events)  # not done


def test_demanded_clause_is_not_an_act(events_of) -> None:
    events = events_of(
        "Washington along with its allies demanded that Hamas renounce its armed struggle"
        " against Israel."
    )
    assert matching(events, "USA", ("10",), "PSE"), show(events)
    assert not matching(events, "PSE", None, _ANY), show(events)


def test_targetless_duplicate_of_an_aimed_event_is_dropped(events_of) -> None:
    events = events_of(
        "British Defence Secretary Tom King has promised to continue military aid to"
        " war-torn Mozambique."
    )
    assert matching(events, "GBR", ("03",), "MOZ"), show(events)
    assert not matching(events, "GBR", ("03",), None), show(events)


def test_repression_without_a_named_victim_falls_on_the_population(events_of) -> None:
    events = events_of(
        "Turkish authorities have imposed a curfew in the town of Cizre in southeastern Turkey"
        " after a demonstration over fraud allegations in Sunday's local elections."
    )
    assert matching(events, "TUR", ("17",), "TUR"), show(events)


@pytest.mark.parametrize(
    ("sentence", "source", "target"),
    [
        (
            "Israeli President Moshe Katsav has refused to meet Jordan's visiting King"
            " Abdullah II in Tel Aviv.",
            "ISR",
            "JOR",
        ),
        (
            "Despite warnings of starvation by humanitarian agencies, the Israeli government is"
            " refusing to lift the curfew on Palestinians living in the West Bank and Gaza.",
            "ISR",
            "PSE",
        ),
    ],
)
def test_refusal_takes_the_target_of_the_refused_act(events_of, sentence, source, target):
    events = events_of(sentence)
    assert matching(events, source, ("12",), target), show(events)


def test_denial_with_a_plain_object_is_a_rejection(events_of) -> None:
    events = events_of(
        "Ankara's Cankaya district administration has denied land allocation for the"
        " construction of an Alewite temple, Cemevi, in the district."
    )
    assert matching(events, "TUR", ("12",)), show(events)
    assert not matching(events, "TUR", ("01",)), show(events)


def test_police_dispersing_demonstrators_is_repression(events_of) -> None:
    events = events_of(
        "Liberian riot police used tear gas to disperse demonstrators protesting election"
        " results in Monrovia."
    )
    assert matching(events, "LBR", ("17",), "LBR"), show(events)
    assert not matching(events, "LBR", ("01",)), show(events)


@pytest.mark.parametrize(
    ("sentence", "source", "root"),
    [
        (
            "Hezbollah guerrillas killed the deputy chief of Israel's militia ally in southern"
            " Lebanon Sunday sources on both sides said.",
            ACTOR + "hezbollah",
            "18",
        ),
        (
            "Serb forces killed three ethnic Albanians in a gunbattle in southeastern Serbia.",
            "SRB",
            "19",
        ),
        (
            "Sudanese rebels shelled the southern regional capital Juba for the first time in a"
            " year on Sunday and Monday, killing about 20 people.",
            "SDN",
            "19",
        ),
    ],
)
def test_killing_by_militants_is_assault_by_forces_is_fight(events_of, sentence, source, root):
    events = events_of(sentence)
    killings = [e for e in events if e.action in ("kill", "shell")]
    assert killings and all(e.root == root for e in matching(killings, source)), show(events)


def test_negated_future_cooperation_is_a_refusal(events_of) -> None:
    events = events_of("Obama said he would not provide support to Israel")
    assert matching(events, "USA", ("12",), "ISR"), show(events)


def test_renewed_talks_are_coded_by_the_noun(events_of) -> None:
    events = events_of(
        "Israel and Lebanon renewed negotiations today on an Israeli troop pullback from Lebanon"
        " and their future relations."
    )
    assert matching(events, "ISR", ("04",)) and matching(events, "LBN", ("04",)), show(events)


def test_passive_with_a_nominal_agent(events_of) -> None:
    events = events_of(
        "Qassem Soleimani landed in Baghdad shortly after midnight. He was killed by a US"
        " drone strike."
    )
    assert matching(events, "USA", ("18", "19"), SOLEIMANI), show(events)


def test_act_in_a_place_falls_on_that_place(events_of) -> None:
    events = events_of(
        "Serbia lifted a night curfew in Montenegro where 28 people have been killed in ethnic"
        " riots this year and the province was reported quiet on Sunday."
    )
    assert matching(events, "SRB", ("08",), "MNE"), show(events)


@pytest.mark.parametrize(
    ("sentence", "source", "target"),
    [
        (
            "Syria says it is willing to withdraw its troops from neighboring Lebanon, after"
            " fifteen years of effective military occupation.",
            "SYR",
            "LBN",
        ),
        (
            "Russia closed its southern borders with Iran and Turkey because of fighting"
            " between Azerbaijanis and Armenians.",
            "RUS",
            "IRN",
        ),
    ],
)
def test_the_sources_own_things_are_not_the_target(events_of, sentence, source, target):
    events = events_of(sentence)
    assert matching(events, source, None, target), show(events)
    assert not matching(events, source, None, source), show(events)


def test_purpose_infinitive_under_an_intent_is_intent(events_of) -> None:
    events = events_of(
        "NATO-member Norway is willing to send material to help defend Saudi Arabia if it is"
        " attacked, Norway's foreign minister said."
    )
    assert matching(events, "NOR", ("03",), "SAU"), show(events)
    assert not matching(events, "NOR", ("07",)), show(events)


@pytest.mark.parametrize(
    ("sentence", "source", "root", "target"),
    [
        (
            "Croatia is investigating alleged war crimes by Croatian extremists against Serb"
            " civilians and prisoners and will bring suspects to trial, a Croatian official"
            " said.",
            "HRV",
            "09",
            "HRV",
        ),
        (
            "The United States suspended part of a military aid program for Bosnia aimed at"
            " bringing Bosnian Croat and Moslem armed forces together as a unified identity.",
            "USA",
            "16",
            _ANY,
        ),
        (
            "The United States continued to send arms to Pakistan last year, a State Department"
            " Spokesman said Wednesday.",
            "USA",
            "07",
            "PAK",
        ),
        (
            "President Laurent Gbagbo announced on Sunday that he will extend the night-time"
            " curfew in Abidjan in response to recent unrest within the city.",
            "CIV",
            "13",
            _ANY,
        ),
    ],
)
def test_verbs_missing_from_petrarch(events_of, sentence, source, root, target) -> None:
    events = events_of(sentence)
    assert matching(events, source, (root,), target), show(events)


@pytest.mark.parametrize(
    ("sentence", "source", "root", "target"),
    [
        (
            "Syrian officers today ended mediation efforts between rival militias in Tripoli as"
            " shells continued crashing into the north Lebanese port.",
            "SYR",
            "16",
            _ANY,
        ),
        (
            "The United Nations on Tuesday reduced food supplies to the biggest Cambodian"
            " refugee camp in Thailand because rice was being diverted to outside users.",
            ACTOR + "united-nations",
            "16",
            "KHM",
        ),
        (
            "Israel has strengthened its forces in Lebanon following the discovery of"
            " Russian-made Katyusha rockets in the area last week.",
            "ISR",
            "15",
            "LBN",
        ),
    ],
)
def test_verb_patterns_that_change_the_meaning_of_the_object(
    events_of, sentence, source, root, target
) -> None:
    events = events_of(sentence)
    assert matching(events, source, (root,), target), show(events)
    assert not matching(events, source, ("04",)), show(events)  # ending talks is no meeting


def test_subject_of_a_passive_does_its_complement(events_of) -> None:
    events = events_of("Obama is scheduled to attend a summit in Switzerland on the unrest in Iran")
    assert matching(events, "USA", ("04",), "CHE"), show(events)


@pytest.mark.parametrize(
    ("sentence", "source", "target", "answered"),
    [
        (
            "Yemen has rejected a U.S. request to interrogate detainees held after the escape of"
            " 23 al-Qaida prisoners, a security official said Tuesday.",
            "YEM",
            "USA",
            "USA",
        ),
        (
            "Palestinian leader Yasser Arafat Wednesday rejected a US offer to host a summit in"
            " mid-July to hammer out a framework agreement for peace between the Israelis and"
            " the Palestinians.",
            "PSE",
            "USA",
            "USA",
        ),
    ],
)
def test_answered_proposal_is_not_an_event_of_its_own(
    events_of, sentence, source, target, answered
) -> None:
    events = events_of(sentence)
    assert matching(events, source, ("12",), target), show(events)
    assert not [e for e in events if answered in names(e.source)], show(events)


def test_past_perfect_relative_clause_is_background(events_of) -> None:
    events = events_of(
        "The Fijian rebels said they will release Prime Minister Mahendra Chaudhry and more"
        " than 30 members of his government, whom they had taken hostage two weeks ago, on"
        " the weekend."
    )
    assert matching(events, "FJI", ("03",)), show(events)
    assert not matching(events, "FJI", ("18",)), show(events)


@pytest.mark.parametrize(
    ("sentence", "source", "target"),
    [
        (
            "Russia has threatened to stop negotiations to reduce long-range nuclear weapons if"
            " the United States goes ahead with the planned deployment of new medium-range"
            " nuclear missiles in Europe.",
            "RUS",
            "USA",
        ),
        (
            "Israel threatened to ban voting in East Jerusalem if Hamas, which advocates"
            " Israel's destruction, ran in the election.",
            "ISR",
            "PSE",
        ),
    ],
)
def test_conditional_threat_is_aimed_at_the_subject_of_the_condition(
    events_of, sentence, source, target
) -> None:
    events = events_of(sentence)
    assert matching(events, source, ("13",), target), show(events)


def test_threatened_repression_falls_on_the_own_population(events_of) -> None:
    events = events_of(
        "Iraq's interim government announced that it is prepared to impose martial law as"
        " street battles raged in central Baghdad between insurgents and security forces."
    )
    assert matching(events, "IRQ", ("13",), "IRQ"), show(events)


def test_threat_in_a_place_is_aimed_at_that_place(events_of) -> None:
    events = events_of(
        "The Hamas threatened Monday to resume terrorist activities in Israel in an escalation"
        " of the intifada (uprising)."
    )
    assert matching(events, "PSE", ("13",), "ISR"), show(events)


@pytest.mark.parametrize(
    ("sentence", "source", "root", "target"),
    [
        (
            "Italy announced a suspension of air links with Serbia on Wednesday, one day after a"
            " Serbian army jet shot down a helicopter carrying EC truce monitors.",
            "ITA",
            "16",
            "SRB",
        ),
        (
            "Czechia and Albania have upgraded their diplomatic ties back up to ambassadorial"
            " level after an 18-year break, the official CTK news agency said on Wednesday.",
            "ALB",
            "05",
            None,
        ),
        (
            "The Latvian Constitutional Court cancelled restrictions on the use of the Russian"
            " language on national radio and television.",
            "LVA",
            "08",
            _ANY,
        ),
        (
            "The Mozambique government on Thursday accepted demands from Shona rebels that it"
            " initiate political reforms.",
            "MOZ",
            "08",
            _ANY,
        ),
    ],
)
def test_lexicon_patterns_added_from_the_cameo_definitions(
    events_of, sentence, source, root, target
) -> None:
    events = events_of(sentence)
    assert matching(events, source, (root,), target), show(events)


def test_nominal_event_inside_a_condition_is_no_event(events_of) -> None:
    events = events_of(
        "Druze inhabitants of the Syrian Golan Heights threatened today to hold a general strike"
        " unless Israel rescinded its annexation of the region within 10 days."
    )
    assert not matching(events, "ISR"), show(events)


@pytest.mark.parametrize(
    ("sentence", "source", "root", "target"),
    [
        (
            "North Korea expelled inspectors of the International Atomic Energy Agency, or IAEA,"
            " from frozen nuclear facilities at Yongbyon.",
            "PRK",
            "16",
            ACTOR + "international-atomic-energy-agency",
        ),
        (
            "Benin opened its borders today to most West Africans ordered out of Nigeria as"
            " illegal aliens, but was still refusing admittance to Ghanaians, by far the biggest"
            " group involved, Benin police said.",
            "BEN",
            "07",
            _ANY,
        ),
        (
            "Israeli soldiers routinely beat up Palestinian detainees on the occupied West Bank"
            " with the knowledge of senior officers, a court martial was told today.",
            "ISR",
            "18",
            "PSE",
        ),
    ],
)
def test_codes_from_the_cameo_manuals_usage_notes(events_of, sentence, source, root, target):
    events = events_of(sentence)
    assert matching(events, source, (root,), target), show(events)


@pytest.mark.parametrize(
    ("sentence", "source", "root"),
    [
        (
            "Angry French paper workers blocked the Europe Bridge spanning the Rhine from France"
            " to Germany for more than three hours by dumping sawdust on the roadway.",
            "FRA",
            "14",
        ),
        (
            "Rebels in the Ivory Coast on Tuesday blocked transport into Abidjan as they"
            " continued their effort to overthrow the government of President Laurent Gbagbo.",
            "CIV",
            "14",
        ),
    ],
)
def test_blocking_by_protesters_or_rebels_is_obstruction(events_of, sentence, source, root):
    events = events_of(sentence)
    blocks = [e for e in events if e.action == "block"]
    assert blocks and all(e.root == root for e in matching(blocks, source)), show(events)


# --- known gaps: real-news phrasings the rules get wrong today --------------------------
# Each one is a regression test in waiting: strict, so a fix shows up as XPASS -> remove
# the mark.


@pytest.mark.parametrize(
    ("sentence", "target"),
    [
        ("Thousands of Iraqi protesters demonstrated against the United States in Baghdad.", "USA"),
        ("Hundreds of Iraqis protested against Iran outside its consulate in Najaf.", "IRN"),
    ],
)
def test_quantified_subject(events_of, sentence: str, target: str) -> None:
    events = events_of(sentence)
    assert matching(events, "IRQ", ("14",), ACTOR + target), show(events)


@pytest.mark.xfail(reason="possessive pronoun in the target ('its oil facilities')", strict=True)
def test_gap_possessive_pronoun_names_the_target(events_of) -> None:
    events = events_of("Saudi Arabia condemned the Iranian attack on its oil facilities.")
    assert matching(events, ACTOR + "IRN", ("19",), ACTOR + "SAU"), show(events)


@pytest.mark.xfail(reason="entity ruler splits 'the Gulf of Oman': location 'Gulf of'", strict=True)
def test_gap_location_with_a_country_name_inside(events_of) -> None:
    [attack] = matching(events_of("Iran attacked two tankers in the Gulf of Oman."), "IRN")
    assert attack.location == "Gulf of Oman"


@pytest.mark.xfail(reason="'Kata'ib Hezbollah' parsed as subject of 'killed'", strict=True)
def test_gap_group_in_a_nominal_subject_is_not_the_killer(events_of) -> None:
    events = events_of("The US strike on a convoy of Kata'ib Hezbollah killed 25 fighters.")
    assert matching(events, "USA", ("19",), KATAIB_HEZBOLLAH), show(events)
    assert not matching(events, KATAIB_HEZBOLLAH), show(events)


def test_nominal_event_as_subject_of_kill(events_of) -> None:
    events = events_of(
        "A US drone strike near Baghdad International Airport early on Friday killed Major"
        " General Qassem Soleimani.",
        "2020-01-03",
    )
    assert matching(events, "USA", ("18", "19"), SOLEIMANI), show(events)


def test_place_near_the_target_is_not_the_target(events_of) -> None:
    events = events_of("The US strike on a convoy near Baghdad airport killed Qassem Soleimani.")
    assert not matching(events, "USA", None, ACTOR + "IRQ"), show(events)
    assert matching(events, "USA", ("18", "19"), SOLEIMANI), show(events)


@pytest.mark.parametrize(
    "sentence",
    [
        "The United States accused Iran of attacking the tankers.",
        "Secretary of State Mike Pompeo accused Iran on Saturday of launching the attack on"
        " Saudi oil facilities.",
    ],
)
def test_accuser_is_not_the_attacker(events_of, sentence: str) -> None:
    events = events_of(sentence)
    assert matching(events, "USA", ("11", "12"), ACTOR + "IRN"), show(events)
    assert not matching(events, "USA", ("18", "19", "20")), show(events)


def test_conditional_act_is_no_event(events_of) -> None:
    events = events_of("Trump threatened to strike 52 Iranian sites if Iran attacked Americans.")
    assert matching(events, TRUMP, ("13",), "IRN"), show(events)
    assert not matching(events, "IRN", ("18", "19", "20")), show(events)


def test_backshifted_threat(events_of) -> None:
    events = events_of("Iran warned it would retaliate against the United States.")
    assert matching(events, ACTOR + "IRN", ("13",), ACTOR + "USA"), show(events)


def test_duration_is_not_a_date(events_of) -> None:
    # ("Soleimani led the Quds Force for two decades" was the sentence; leading is a
    # role, no longer an event)
    [supported] = matching(events_of("Iran has supported the Houthis for two decades."), "IRN")
    assert supported.date != dt.date(2000, 1, 5)
    assert supported.date is None or supported.date_inferred


@pytest.mark.xfail(reason="places become actors; location garbled ('Khurais Abqaiq')", strict=True)
def test_gap_attack_on_facilities_at_named_places(events_of) -> None:
    events = events_of(
        "Iran attacked Saudi oil facilities at Abqaiq and Khurais on Saturday.", "2019-09-15"
    )
    attack = one(matching(events, ACTOR + "IRN", ("19",)), events)
    assert attack.target is not None and attack.target.country == "SAU"
    assert attack.location in ("Abqaiq", "Abqaiq and Khurais")


@pytest.mark.xfail(reason="location drops a word: 'Ain al-Asad base' for the air base", strict=True)
def test_gap_location_of_an_air_base(events_of) -> None:
    [fired] = matching(
        events_of(
            "Iran fired ballistic missiles at the Ain al-Asad air base in Iraq on Wednesday."
        ),
        ACTOR + "IRN",
    )
    assert fired.location in ("Ain al-Asad air base", "Iraq")


@pytest.mark.xfail(
    reason="the country of a base becomes the target, not the troops in it", strict=True
)
def test_gap_bases_housing_us_troops(events_of) -> None:
    events = events_of("Iran fired missiles at two bases in Iraq housing US troops.")
    assert matching(events, ACTOR + "IRN", ("19",), "USA"), show(events)
    assert not matching(events, ACTOR + "IRN", None, ACTOR + "IRQ"), show(events)


def test_an_unnamed_spokesperson_speaks_for_whom_they_speak_for(events_of):
    events = events_of("A spokesman for the Iraqi government said the strike was illegal.")
    assert [(e.source.label, e.code) for e in events] == [("Iraq", "010")]
    events = events_of("A spokeswoman for President Emmanuel Macron condemned the attack.")
    assert [(e.source.label, e.code[:2]) for e in events] == [("Emmanuel Macron", "11")]


def test_a_statement_named_by_what_it_states_is_that_act(events_of):
    events = events_of(
        "Statements of condemnation came from the Arab League and the African Union."
    )
    assert {(e.source.label, e.code[:2]) for e in events} == {
        ("Arab League", "11"),
        ("African Union", "11"),
    }


def test_a_main_verb_parsed_as_a_clause_of_its_subject_keeps_its_subjects(events_of):
    # the parser roots this sentence in "government" and hangs "condemned" on "number"
    events = events_of(
        "The Afghan government, a number of political parties and the Taliban on Thursday "
        "condemned US President Donald Trump's decision to recognize Jerusalem as Israel's "
        "capital."
    )
    sources = {e.source.label for e in events if e.code[:2] == "11"}
    assert {"Afghanistan", "Taliban"} <= sources


def test_a_statement_that_is_the_speakers_own_verbal_act_is_that_act(events_of):
    # Wikinews 2019: the request is the event, the announcement adds none
    events = events_of(
        "On Tuesday, United States President Donald Trump announced he had asked for "
        "national security advisor John R. Bolton's resignation Monday night."
    )
    assert [e.code[:2] for e in events if e.source.label == "Donald Trump"] == ["02"]
    # a material act the speaker reports doing is also a claim: both stay
    events = events_of("The Houthis said they had attacked the Saudi airport.")
    assert {e.code[:2] for e in events if e.source.label == "Houthis"} >= {"01"}


def test_a_title_and_the_name_after_it_are_one_source(events_of):
    # the parser gives "rejected" two subjects: "Minister" and "al-Sarraj"
    events = events_of(
        "Libyan Prime Minister Fayez al-Sarraj meanwhile rejected the EU proposal for asylum "
        "processing centres in his country."
    )
    assert [(e.source.label, e.code[:2]) for e in events] == [("Fayez al-Sarraj", "12")]


def test_ordering_a_thing_is_no_demand(events_of):
    # events-dev class: "ordering the payments" commands no one
    events = events_of("Trump has admitted to ordering the payments, according to prosecutors.")
    assert not [e for e in events if e.code[:2] == "10"]
    events = events_of("Iran ordered the British tanker to leave its waters.")
    assert [(e.source.label, e.code[:2]) for e in events] == [("Iran", "10")]


def test_another_and_others_are_the_same_side_as_the_first_object(events_of):
    events = events_of("Israeli troops killed two Palestinians and injured three others.")
    assert {(e.code[:2], e.target and e.target.label) for e in events} == {
        ("19", "Palestine"),
        ("18", "Palestine"),
    }


def test_a_government_source_speaks_for_its_state(events_of):
    events = events_of(
        "A German government source said the ban on Mahan Air is not part of any broader "
        "plan to increase sanctions on Iran."
    )
    assert [(e.source.label, e.code) for e in events] == [("Germany", "010")]


def test_a_speaker_named_after_the_quote_is_the_source(events_of):
    # the parser takes "the government's lawyer, Richard Keen" for the object of "argued"
    events = events_of(
        "It is not for the Court to opine about the motivations, argued the government's "
        "lawyer, Richard Keen."
    )
    assert [(e.source.label, e.code, e.target) for e in events] == [("Richard Keen", "010", None)]


def test_a_decision_to_act_is_the_act(events_of):
    events = events_of("Britain decided to expel 23 Russian diplomats.")
    assert [(e.source.label, e.code[:2], e.target.country) for e in events] == [
        ("United Kingdom", "16", "RUS")
    ]
    events = events_of(
        "The United States supports Britain's decision to expel 23 Russian diplomats."
    )
    assert {(e.source.label, e.code[:2]) for e in events} == {
        ("United States", "05"),
        ("United Kingdom", "16"),
    }


def test_charges_against_someone_accuse_them(events_of):
    # Wikinews 2019: a legal act named by its noun under a light verb
    events = events_of(
        "Jong Woo Son is already in prison in South Korea, but yesterday the United States "
        "Department of Justice unsealed further charges against him."
    )
    assert [(e.source.country, e.code[:2], e.target.label) for e in events] == [
        ("USA", "11", "Jong Woo Son")
    ]


def test_a_claim_of_credit_does_not_make_the_next_clause_alleged(events_of):
    events = events_of(
        "No organization immediately claimed credit for the attack, but some Iraqi militias "
        "associated with Iran had made threats against U.S. personnel."
    )
    assert [(e.source.country, e.code[:2], e.target.label) for e in events] == [
        ("IRQ", "13", "United States")
    ]


def test_the_target_of_a_transfer_is_its_recipient(events_of):
    events = events_of(
        "U.S. and Russian authorities announced they will return weapons-usable HEU from "
        "foreign research reactors to Russia."
    )
    assert ("USA", "RUS") in {(e.source.country, e.target and e.target.country) for e in events}
    assert not [e for e in events if e.target and e.target.label == "HEU"]


def test_a_people_that_protests_is_its_protesters(events_of):
    events = events_of("Hongkongers have been protesting since early June.")
    assert [(e.source.label, e.code[:2]) for e in events] == [("protesters (Hong Kong)", "14")]


def test_a_meeting_where_another_meeting_happens_is_a_place(events_of):
    events = events_of(
        "Secretary of State Rex Tillerson and Russian Foreign Minister Sergey Lavrov will "
        "attend the meeting between President Trump and President Vladimir Putin at the G20 "
        "summit."
    )
    assert [(e.source.label, e.target.label) for e in events] == [
        ("Donald Trump", "Vladimir Putin")
    ]


def test_a_persons_killing_names_the_victim(events_of):
    # Wikinews 2019: the owner of "killing" is who was killed
    events = events_of("Iran condemned Soleimani's killing by the United States.")
    assert ("USA", "19", "Qassem Soleimani") in {
        (e.source.country, e.code[:2], e.target and e.target.label) for e in events
    }
    assert not [e for e in events if e.source.label == "Qassem Soleimani"]


def test_firing_an_official_is_no_attack(events_of):
    # Wikinews 2019 (Robert Mugabe's obituary)
    events = events_of("After Mugabe fired his vice president, the army moved.")
    assert not [e for e in events if e.code[:2] == "19"]


def test_protesters_who_gather_demonstrate_and_they_are_the_protesters(events_of):
    # Wikinews 2019 (Hong Kong)
    events = events_of(
        "On Friday, thousands of Hong Kong protesters gathered around the police complex, "
        "blocking the exits as they chanted slogans and threw eggs."
    )
    assert {(e.source.label, e.code[:2]) for e in events} == {("protesters (Hong Kong)", "14")}
    assert "141" in {e.code for e in events}


def test_a_withdrawal_is_from_a_party_and_its_pace_is_no_act(events_of):
    # the forces withdrawn are the source's own; speeding or completing it is the act
    events = events_of("The United States accelerated the withdrawal of its troops from Syria.")
    assert [(e.source.label, e.code[:3], e.target and e.target.label) for e in events] == [
        ("United States", "087", "Syria")
    ]
    events = events_of("Israel began the release of Palestinian prisoners.")
    assert [(e.code[:3], e.target and e.target.country) for e in events] == [("084", "PSE")]


def test_a_subject_before_a_participle_set_off_by_commas_acts(events_of):
    # events-dev d-wn-048: the parser makes "asking" the subject of "marched"
    events = events_of(
        "Protesters, carrying placards asking the government to revoke Article 50 — the EU "
        "treaty clause invoked by Brexit — and European Union flags, marched from Hyde Park "
        "Corner to Parliament."
    )
    assert ("protesters", "14") in {(e.source.label, e.code[:2]) for e in events}


def test_a_ruling_council_acts_for_its_state(events_of):
    # events-dev d-cb-014
    events = events_of(
        "The Egyptian military council also decided to ease restrictions on the formation of "
        "political parties."
    )
    assert [(e.source.country, e.code[:2]) for e in events] == [("EGY", "08")]


def test_the_owner_of_a_criticised_thing_is_the_target_not_a_name_inside_it(events_of):
    # events-dev d-cb-021: Trump, not the "US" of his title
    events = events_of(
        "The Afghan government, a number of political parties and the Taliban on Thursday "
        "condemned US President Donald Trump's decision to recognize Jerusalem as Israel's "
        "capital."
    )
    condemned = {(e.source.label, e.target.label) for e in events if e.code[:2] == "11"}
    assert condemned == {
        ("Afghanistan", "Donald Trump"),
        ("Afghan political parties", "Donald Trump"),
        ("Taliban", "Donald Trump"),
    }


def test_a_city_before_an_attack_says_where_not_who(events_of):
    # Wikinews 2019 (Afghanistan peace talks): no Afghan killing of the Taliban
    events = events_of(
        "Last week a Kabul car bombing killed five and wounded 110, another attack ascribed "
        "to the Taliban.",
        "2019-09-05",
    )
    assert not [e for e in events if e.source.label == "Afghanistan"]
    events = events_of("A US drone strike killed Qassem Soleimani.")
    assert [(e.source.label, e.code[:2]) for e in events] == [("United States", "19")]


def test_a_city_inside_a_name_is_no_party_and_planning_an_attack_is_the_attack(events_of):
    # Wikinews 2019: "Sweden joined the Paris Agreement" has no French party;
    # "orchestrated the 9/11 attacks on the US" is bin Laden's attack, not cooperation
    events = events_of("Sweden joined the Paris Agreement.")
    assert not [e for e in events if e.target and e.target.label == "France"]
    events = events_of(
        "Osama bin Laden founded Al-Qaeda and orchestrated the 9/11 attacks on the US of 2001."
    )
    assert [(e.source.label, e.code[:2], e.target and e.target.label) for e in events] == [
        ("Osama bin Laden", "19", "United States")
    ]


def test_according_to_is_no_context_and_whom_one_recalls_from_is_the_target(events_of):
    # issue 14's classes: "according to the filing" gave an attacked "accord" (111);
    # "recalled its ambassador from Israel" lost Israel
    events = events_of("According to the filing, Iran attacked the base.")
    assert [e.code[:2] for e in events] == ["19"]
    events = events_of("Russia recalled its ambassador from Israel.")
    assert [(e.code[:2], e.target and e.target.label) for e in events] == [("16", "Israel")]


def test_the_state_someone_is_expelled_from_expels_them(events_of):
    # events-dev d-cb-056: an agentless passive of expulsion; the gold note accepts 166
    # (expel inspectors, which the lexicon reads from the passive's subject) or 174
    events = events_of(
        "Two inspectors for the United Nations nuclear monitoring agency have been expelled "
        "from North Korea amid an escalating standoff over the regime's recent rocket launch."
    )
    assert [(e.source.label, e.code[:3]) for e in events] == [("North Korea", "166")]


def test_a_first_name_the_recogniser_left_out_belongs_to_the_name(events_of):
    # events-dev d-wn-134: "bin Ladin" alone is Usama; "Hamza bin Ladin" is his son
    events = events_of(
        "Trump's statement read: \"Hamza bin Ladin, the high-ranking al-Qa'ida member and son "
        "of Usama bin Ladin, was killed in a United States counterterrorism operation in the "
        "Afghanistan/Pakistan region."
    )
    killed = {e.target.label for e in events if e.target and e.code[:2] == "19"}
    assert killed == {"Hamza bin Ladin"}


def test_statements_with_a_phrasal_or_continuing_verb_and_an_office_of_a_place(events_of):
    # events-dev d-wn-031, d-wn-065, d-wn-107 (Wikinews 2019)
    events = events_of(
        'Johnson continued, "And I hope that Anne Sacoolas will come back and will engage '
        'properly with the processes of law as they are carried out in this country."'
    )
    assert [(e.source.label, e.code) for e in events] == [("Johnson", "010")]
    events = events_of(
        'The mayor of Paris, Anne Hidalgo, wrote on Twitter: "Paris is mourning its family '
        'this afternoon after this appalling attack on the [Police Prefecture]."'
    )
    assert [(e.source.label, e.code) for e in events] == [("Anne Hidalgo", "010")]
    events = events_of(
        "Maróth pointed out it would have been much more costly and time-consuming to "
        "research mortar technology than to acquire it this way."
    )
    assert [e.code for e in events] == ["010"]
    # "continued to send" is the sending, not a statement
    events = events_of("The United States continued to send arms to Pakistan last year.")
    assert [(e.code[:2], e.target.label) for e in events] == [("07", "Pakistan")]


def test_a_letter_sent_is_the_act_it_carries(events_of):
    # events-dev d-wn-084: the request, not also a consultation (040)
    events = events_of(
        "US Secretary of State Mike Pompeo sent a letter requesting the new rules to Elaine "
        "Chao, the Secretary of Transportation."
    )
    assert [(e.code[:2], e.target.label) for e in events] == [("02", "Elaine Chao")]
    events = events_of("Iran sent a letter to the United Nations.")
    assert [(e.code, e.target.label) for e in events] == [("040", "United Nations")]
