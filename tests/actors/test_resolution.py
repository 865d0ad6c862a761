"""Actors (kg.actors.resolution): one node per real-world actor, whatever the surface form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.actors.resolution import Gazetteer, load_gazetteer, mint_actor, normalise
from kg.cli.main import app
from kg.errors import OntologyError
from kg.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "data"
USER_GAZETTEER = DATA / "gazetteer-user.ttl"
ACTOR = "https://w3id.org/kg-geo/actor/"
ANALYST = "https://example.org/analyst/"
USA = ACTOR + "USA"
IRN = ACTOR + "IRN"

TAJI = """---
title: Rockets hit Camp Taji again
date: 2020-03-14
id: taji-2020-03-14
---

Pentagon spokesman Jonathan Hoffman said the strikes were successful.

Usbat al-Thaireen fired rockets at Camp Taji on Saturday.

Jonathan Hoffman condemned Usbat al-Tha'ireen.
"""


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def user_gazetteer() -> Gazetteer:
    return load_gazetteer([USER_GAZETTEER])


# --- the built-in gazetteer -----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "USA",
        "US",
        "U.S.",
        "United States",
        "the United States",
        "America",
        "American",
        "Americans",
        "Washington",
        "the White House",
    ],
)
def test_every_name_of_the_united_states_is_one_actor(gazetteer: Gazetteer, name: str) -> None:
    actor = gazetteer.lookup(name)
    assert actor is not None, name
    assert (actor.id, actor.label, actor.type, actor.country) == (
        USA,
        "United States",
        "State",
        "USA",
    )
    assert actor.wikidata == "Q30"


@pytest.mark.parametrize(
    "name", ["Iran", "Tehran", "Iranian", "Iranians", "Islamic Republic of Iran"]
)
def test_every_name_of_iran_is_one_actor(gazetteer: Gazetteer, name: str) -> None:
    actor = gazetteer.lookup(name)
    assert actor is not None and actor.id == IRN, name
    assert actor.wikidata == "Q794"


@pytest.mark.parametrize(
    ("metonym", "country"),
    [
        ("the Kremlin", "RUS"),
        ("Moscow", "RUS"),
        ("Downing Street", "GBR"),
        ("London", "GBR"),
        ("Beijing", "CHN"),
        ("Baghdad", "IRQ"),
        ("Riyadh", "SAU"),
        ("the Elysée", "FRA"),
    ],
)
def test_capitals_and_seats_of_government_stand_for_their_state(
    gazetteer: Gazetteer, metonym: str, country: str
) -> None:
    actor = gazetteer.lookup(metonym)
    assert actor is not None and actor.id == ACTOR + country and actor.type == "State"


@pytest.mark.parametrize(
    ("demonym", "country"),
    [
        ("Iraqi", "IRQ"),
        ("Iraqis", "IRQ"),
        ("British", "GBR"),
        ("Saudi", "SAU"),
        ("Russian", "RUS"),
        ("Israeli", "ISR"),
        ("French", "FRA"),
        ("Chinese", "CHN"),
    ],
)
def test_demonyms_name_their_state(gazetteer: Gazetteer, demonym: str, country: str) -> None:
    actor = gazetteer.by_demonym(demonym)
    assert actor is not None and actor.id == ACTOR + country


def test_a_country_name_is_not_a_demonym(gazetteer: Gazetteer) -> None:
    assert gazetteer.by_demonym("Iran") is None
    assert gazetteer.lookup("Iran").id == IRN  # but it is a label


def test_every_iso_country_is_there(gazetteer: Gazetteer) -> None:
    states = [a for a in gazetteer.actors.values() if a.type == "State"]
    codes = {a.country for a in states}
    assert len(codes) >= 249  # ISO 3166-1 has 249 codes
    assert {"USA", "IRN", "IRQ", "SAU", "GBR", "RUS", "CHN", "ISR", "SYR", "YEM", "UKR"} <= codes
    assert all(a.id == ACTOR + a.country for a in states if a.country)


def test_the_main_international_and_non_state_actors(gazetteer: Gazetteer) -> None:
    kinds = {
        name: gazetteer.lookup(name).type
        for name in (
            "United Nations",
            "UN",
            "NATO",
            "European Union",
            "IAEA",
            "Hezbollah",
            "Houthis",
            "Quds Force",
            "Kata'ib Hezbollah",
            "Pentagon",
        )
    }
    assert kinds["UN"] == kinds["United Nations"] == "IGO"
    assert kinds["NATO"] == kinds["IAEA"] == kinds["European Union"] == "IGO"
    assert kinds["Hezbollah"] == kinds["Houthis"] == kinds["Kata'ib Hezbollah"] == "ArmedGroup"
    assert kinds["Quds Force"] == kinds["Pentagon"] == "Military"
    assert len(gazetteer.actors) - 249 >= 300  # named actors besides the countries


@pytest.mark.parametrize(
    ("name", "iri", "country"),
    [
        ("Qassem Soleimani", "qassem-soleimani", "IRN"),
        ("General Soleimani", "qassem-soleimani", "IRN"),
        ("Qasem Soleimani", "qassem-soleimani", "IRN"),
        ("Ayatollah Ahmad Khatami", "ahmad-khatami", "IRN"),
        ("Abu Mahdi al-Muhandis", "abu-mahdi-al-muhandis", "IRQ"),
        ("Mike Pompeo", "mike-pompeo", "USA"),
        ("Quds Force", "quds-force", "IRN"),
        ("Pentagon", "united-states-department-of-defense", "USA"),
    ],
)
def test_people_and_bodies_keep_a_link_to_their_country(
    gazetteer: Gazetteer, name: str, iri: str, country: str
) -> None:
    actor = gazetteer.lookup(name)
    assert actor is not None and actor.id == ACTOR + iri
    assert actor.country == country


def test_a_commander_is_a_member_of_his_force_and_its_parent(gazetteer: Gazetteer) -> None:
    quds = gazetteer.members_with_title(ACTOR + "quds-force", "commander")
    irgc = gazetteer.members_with_title(ACTOR + "islamic-revolutionary-guard-corps", "commander")
    assert ACTOR + "qassem-soleimani" in {a.id for a in quds}
    assert ACTOR + "qassem-soleimani" in {a.id for a in irgc}


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("The U.S.", "us"),
        ("Iran's", "iran"),
        ("Karadžić", "karadzic"),
        ("Abdel\u2011Fattah  el\u2010Sisi", "abdel fattah el sisi"),
        ("  KATA’IB Hezbollah ", "kata'ib hezbollah"),
    ],
)
def test_normalise_ignores_case_accents_dashes_articles_and_possessives(
    written: str, key: str
) -> None:
    assert normalise(written) == key


def test_lookup_ignores_case_articles_and_possessives(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("THE UNITED STATES").id == USA
    assert gazetteer.lookup("America's").id == USA
    assert gazetteer.lookup("Qassem Suleimani").id == ACTOR + "qassem-soleimani"
    assert gazetteer.lookup("Nobody In Particular") is None


# --- minted actors --------------------------------------------------------------------


def test_minted_ids_are_deterministic_and_built_from_normalised_name_and_type() -> None:
    base = Settings().base_iri
    first = mint_actor("Jonathan Hoffman", "PERSON", base)
    assert first == mint_actor("Jonathan Hoffman", "PERSON", base)
    assert first.id == mint_actor("  JONATHAN   Hoffmán ", "PERSON", base).id
    assert first.id.startswith(base) and first.id.endswith("jonathan-hoffman")
    assert "person" in first.id.removeprefix(base)
    assert first.type == "Person" and first.label == "Jonathan Hoffman"
    organisation = mint_actor("Jonathan Hoffman", "ORG", base)
    assert organisation.id != first.id and organisation.type != "Person"
    assert mint_actor("the Hormozgan Ports and Maritime Organization", "ORG", base).id == (
        mint_actor("Hormozgan Ports and Maritime Organization", "ORG", base).id
    )


def test_unknown_people_get_the_same_minted_id_in_every_article(events_of) -> None:
    first = events_of("Pentagon spokesman Jonathan Hoffman said the strikes were successful.")
    second = events_of(
        "Jonathan Hoffman said the department was working on battle damage assessments.",
        "2020-01-08",
    )
    [one] = [e.source for e in first if e.code == "010"]
    [two] = [e.source for e in second if e.code == "010"]
    assert one.id == two.id == mint_actor("Jonathan Hoffman", "PERSON", Settings().base_iri).id
    assert one.type == "Person"


# --- one actor through extraction -----------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Washington imposed sanctions on Tehran.",
        "The US imposed sanctions on Iran.",
        "The U.S. imposed sanctions on Iran.",
        "The USA imposed sanctions on Iran.",
        "The United States imposed sanctions on Iran.",
        "America imposed sanctions on Iran.",
        "The White House imposed new sanctions on Tehran on Friday.",
    ],
)
def test_surface_forms_give_the_same_source_and_target_ids(events_of, sentence: str) -> None:
    [sanctions] = events_of(sentence)
    assert (sanctions.source.id, sanctions.code, sanctions.target.id) == (USA, "163", IRN)
    assert sanctions.source.label == "United States" and sanctions.target.label == "Iran"


def test_demonyms_give_the_same_ids_through_extraction(events_of) -> None:
    events = events_of("Iraq condemned the American strike on Kata'ib Hezbollah.")
    assert {e.source.id for e in events if e.root == "19"} == {USA}
    events = events_of("The Iranian attack on Saudi Arabia drew condemnation.")
    assert {(e.source.id, e.target.id) for e in events if e.root == "19"} == {(IRN, ACTOR + "SAU")}


@pytest.mark.parametrize(
    ("sentence", "source", "target"),
    [
        ("The Kremlin condemned the United States.", "RUS", "USA"),
        ("Downing Street condemned Iran.", "GBR", "IRN"),
        ("Russian officials condemned the United States.", "RUS", "USA"),
    ],
)
def test_metonyms_and_demonyms_through_extraction(
    events_of, sentence: str, source: str, target: str
) -> None:
    [condemned] = events_of(sentence)
    assert condemned.root == "11"
    assert condemned.source.country == source
    assert condemned.target.id == ACTOR + target


# --- user gazetteer files -------------------------------------------------------------


def test_a_user_file_adds_actors_with_their_labels(user_gazetteer: Gazetteer) -> None:
    hoffman = user_gazetteer.lookup("Jonathan Hoffman")
    assert hoffman is not None and hoffman.id == ANALYST + "jonathan-hoffman"
    assert user_gazetteer.lookup("Jonathan Rath Hoffman") == hoffman
    assert (hoffman.type, hoffman.country) == ("Person", "USA")  # via kgo:country actor:USA
    group = user_gazetteer.lookup("League of the Revolutionaries")
    assert group is not None and group.id == ANALYST + "usbat-al-thaireen"
    assert user_gazetteer.lookup("Usbat al-Tha'ireen") == group
    assert (group.label, group.type, group.country) == ("Usbat al-Thaireen", "ArmedGroup", "IRQ")


def test_a_user_file_keeps_the_built_in_actors(user_gazetteer: Gazetteer) -> None:
    assert user_gazetteer.lookup("Tehran").id == IRN
    assert user_gazetteer.lookup("Jonathan Hoffman").id in {
        a.id
        for a in user_gazetteer.members_with_title(
            ACTOR + "united-states-department-of-defense", "spokesman"
        )
    }


def test_without_the_user_file_those_names_are_unknown(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Jonathan Hoffman") is None
    assert gazetteer.lookup("Usbat al-Thaireen") is None


def test_a_missing_user_file_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.ttl"
    with pytest.raises(OntologyError) as error:
        load_gazetteer([missing])
    assert error.value.path == str(missing)
    assert "nowhere.ttl" in str(error.value)


def test_a_malformed_user_file_is_an_error_naming_it(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<x> skos:prefLabel "A" ;\n'
    )
    with pytest.raises(OntologyError) as error:
        load_gazetteer([broken])
    assert error.value.path == str(broken)


def test_an_actor_without_a_preferred_label_is_an_error(tmp_path: Path) -> None:
    unnamed = tmp_path / "unnamed.ttl"
    unnamed.write_text(
        "@prefix kgo: <https://w3id.org/kg-geo/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://example.org/x> a kgo:ArmedGroup ; skos:altLabel "X Brigade" .\n'
    )
    with pytest.raises(OntologyError, match="prefLabel") as error:
        load_gazetteer([unnamed])
    assert error.value.path == str(unnamed)


def _extract(tmp_path: Path, *options: str) -> list[dict]:
    article = tmp_path / "taji.txt"
    article.write_text(TAJI, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(article), "--format", "jsonl", *options])
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_kg_extract_with_a_user_gazetteer(tmp_path: Path) -> None:
    records = _extract(tmp_path, "--gazetteer", str(USER_GAZETTEER))
    sources = {r["source"]["id"] for r in records}
    assert {ANALYST + "jonathan-hoffman", ANALYST + "usbat-al-thaireen"} <= sources
    [condemned] = [r for r in records if r["action"] == "condemn"]
    assert condemned["source"] == {
        "id": ANALYST + "jonathan-hoffman",
        "label": "Jonathan Hoffman",
        "type": "Person",
        "country": "USA",
    }
    assert condemned["target"]["id"] == ANALYST + "usbat-al-thaireen"
    [rockets] = [r for r in records if r["source"]["id"] == ANALYST + "usbat-al-thaireen"]
    assert rockets["code"].startswith("19") and rockets["date"] == "2020-03-14"


def test_kg_extract_without_the_user_gazetteer_mints_ids(tmp_path: Path) -> None:
    records = _extract(tmp_path)
    sources = {r["source"]["id"] for r in records}
    assert not any(s.startswith(ANALYST) for s in sources)
    assert mint_actor("Jonathan Hoffman", "PERSON", Settings().base_iri).id in sources


# --- who a group stands for (CAMEO actor conventions) -----------------------------------


@pytest.mark.parametrize(
    ("sentence", "country"),
    [
        ("Up to 100 ethnic Albanians demonstrated on Tuesday in Serbia.", "SRB"),
        (
            "The Albanians of southern Serbia are demanding political and territorial autonomy"
            " from Serbian authorities.",
            "SRB",
        ),
    ],
)
def test_ethnic_group_counts_for_the_state_it_lives_in(events_of, sentence, country) -> None:
    events = events_of(sentence)
    assert events and events[0].source.country == country, [e.source for e in events]


def test_led_forces_stand_for_the_leading_state(events_of) -> None:
    events = events_of(
        "Vietnamese-led forces have retaken a strategic village in Western Cambodia after"
        " fierce fighting with guerrillas who overran it late last month."
    )
    assert any(e.source.country == "VNM" for e in events), [e.source for e in events]


def test_agent_noun_in_front_of_a_collective_noun(events_of) -> None:
    events = events_of(
        "Seven opposition parties in Nepal have organized a general strike that shut down"
        " Khatmandu in protest of last week's arrest of a number of activists."
    )
    assert any(e.source.country == "NPL" and e.root == "14" for e in events), [
        (e.source, e.code) for e in events
    ]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        (
            "Arab League Secretary-General Chedli Klibi today urged the European Community to"
            " support the Palestinian Liberation Organization (PLO).",
            "IGO",
        ),
        (
            "U.N. Secretary-General Kofi Annan announced on Monday that he will withdraw"
            " weapons inspectors and humanitarian workers from Iraq.",
            "IGO",
        ),
    ],
)
def test_officer_of_an_international_body_acts_for_it(events_of, sentence, kind) -> None:
    events = events_of(sentence)
    assert events and all(e.source.type == kind for e in events), [e.source for e in events]


def test_collective_noun_with_a_demonym_stands_for_its_people(events_of) -> None:
    events = events_of(
        "In an unprecedented move, Palestinian police in Jericho confiscated weapons and"
        " explosives from Palestinian armed groups, the Israeli army said Friday."
    )
    assert any(
        e.source.country == "PSE" and e.target is not None and e.target.country == "PSE"
        for e in events
    ), [(e.source, e.target) for e in events]


def test_pronoun_for_an_officer_of_an_international_body(events_of) -> None:
    events = events_of(
        "U.N. Secretary-General Kofi Annan announced on Monday that he will withdraw weapons"
        " inspectors and humanitarian workers from Iraq."
    )
    acts = [e for e in events if e.action == "withdraw"]
    assert acts and all(e.source.type == "IGO" for e in acts), [e.source for e in events]


def test_titled_surname_of_a_known_leader(events_of) -> None:
    events = events_of(
        "The German government today welcomed President Reagan's latest policy statement as"
        " proof of Washington's earnest wish for a settlement to be reached in U.S.-Soviet"
        " nuclear talks."
    )
    assert any(e.target is not None and e.target.country == "USA" for e in events), [
        (e.source, e.target) for e in events
    ]


def test_untitled_first_name_is_not_a_surname(events_of) -> None:
    events = events_of(
        "British Defence Secretary Tom King has promised to continue military aid to"
        " war-torn Mozambique."
    )
    assert events and all(e.source.country == "GBR" for e in events), [e.source for e in events]


def test_ethnic_group_named_with_its_state(events_of) -> None:
    events = events_of(
        "Bosnian Serbs demanded a truce with Moslem forces in east Bosnia before allowing U.N."
        " aid conveys to feed starving Moslem civilians in the region."
    )
    demands = [e for e in events if e.root == "10"]
    assert demands and all(e.source.country == "BIH" for e in demands), [e.source for e in events]


def test_ethnic_group_in_a_place_named_deeper_in_the_clause(events_of) -> None:
    events = events_of(
        "Serb forces killed three ethnic Albanians in a gunbattle in southeastern Serbia Friday."
    )
    assert any(e.target is not None and e.target.country == "SRB" for e in events), [
        (e.source, e.target) for e in events
    ]


def test_advisers_stand_for_their_state(events_of) -> None:
    events = events_of(
        "Iraq's national security advisor met with Syrian President Bashar Assad Tuesday to"
        " discuss efforts to counter Islamic State militants, Reuters reports."
    )
    assert any(
        e.source.country == "IRQ" and e.root == "04" and e.target and e.target.country == "SYR"
        for e in events
    ), [(e.source, e.code, e.target) for e in events]


def test_they_after_a_crowd_in_its_sentence_is_the_crowd(events_of) -> None:
    # events-dev d-wn-091 (Wikinews 2019): a place named between the crowd and "they"
    # is no antecedent; a state is "it"
    events = events_of(
        "On Friday, thousands of Hong Kong protesters wearing black clothes, face masks, and "
        "helmets gathered around Hong Kong's principal police complex, blocking the exits as "
        "they chanted slogans and threw eggs."
    )
    chants = [e for e in events if e.action == "chant"]
    assert chants and {e.source.label for e in chants} == {"protesters (Hong Kong)"}


def test_legislators_with_no_state_act_for_the_article_s_state_or_as_a_group(events_of) -> None:
    # events-dev d-wn-099: the parser reads "protesting" as a gerund with the legislators
    # as its object; with no state named, they are a group of their own (CAMEO "---LEG")
    events = events_of(
        "Speaking in the Legislative Council, Lam was interrupted by protesting legislators."
    )
    assert [(e.source.label, e.root, e.target.label) for e in events] == [
        ("legislators", "14", "Lam")
    ]
    # in an article about one state they are that state's legislature (USALEG is USA)
    events = events_of(
        "US President Donald Trump vetoed the bill on Friday.\n\n"
        "Lawmakers criticized the decision of the Iranian government."
    )
    assert ("United States", "Iran") in {
        (e.source.label, e.target and e.target.label) for e in events if e.root == "11"
    }


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("APEC", "Asia-Pacific Economic Cooperation"),
        ("ILO", "International Labour Organization"),
        ("International Labor Office", "International Labour Organization"),
        ("FAO", "Food and Agriculture Organization"),
        ("UNEP", "United Nations Environment Programme"),
    ],
)
def test_international_bodies_news_names_by_abbreviation(name, label):
    actor = load_gazetteer(Settings().gazetteers).lookup(name)
    assert actor is not None and (actor.label, actor.type) == (label, "IGO")
