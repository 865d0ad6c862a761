"""One event, many reports: mentions merge into events across articles.

The rules are checked on hand-made mentions (kg.graph.merge), then end to end on real
sentences ingested into a store: the same killing reported by three outlets is
one event; other dates or other targets are other events; any ingest order gives
the same graph; re-ingesting adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from kg.cli.main import app as cli
from kg.graph.gdelt import write_events_csv, write_mentions_csv
from kg.graph.merge import MentionFacts, MergeWindow, merge_mentions
from kg.graph.queries import EventFilter, event_detail, find_events
from kg.graph.stats import graph_stats
from kg.graph.store import OxigraphGraphStore, open_store
from kg.ingest import ingest
from kg.models import Article
from kg.network.projection import ActorNetwork
from kg.settings import Settings

US = "https://w3id.org/kg-geo/actor/USA"
DOD = "https://w3id.org/kg-geo/actor/united-states-department-of-defense"
IRN = "https://w3id.org/kg-geo/actor/IRN"
IRQ = "https://w3id.org/kg-geo/actor/IRQ"
UKR = "https://w3id.org/kg-geo/actor/UKR"
SOLEIMANI = "https://w3id.org/kg-geo/actor/qassem-soleimani"
KH = "https://w3id.org/kg-geo/actor/kataib-hezbollah"


def mention(name, day, *, code="190", target=IRQ, inferred=False, article=None, **more):
    return MentionFacts(
        mention=f"urn:m:{name}",
        source=more.pop("source", IRN),
        target=target,
        code=code,
        date=dt.date(2020, 1, day) if day else None,
        date_inferred=inferred,
        confidence=more.pop("confidence", 0.5),
        article=article or name,
        **more,
    )


# the rules, on hand-made mentions


def test_same_actors_root_and_day_are_one_event():
    events = merge_mentions([mention("a", 8), mention("b", 8, code="195")])
    assert len(events) == 1
    assert events[0].code == "195", "the more specific code wins"
    assert len(events[0].mentions) == 2 and events[0].articles == 2


def test_stated_dates_a_day_apart_are_two_events():
    assert len(merge_mentions([mention("a", 8), mention("b", 9)])) == 2


def test_an_inferred_date_may_be_two_days_off_but_not_three():
    assert len(merge_mentions([mention("a", 8), mention("b", 10, inferred=True)])) == 1
    assert len(merge_mentions([mention("a", 8), mention("b", 11, inferred=True)])) == 2
    wider = MergeWindow(stated=0, inferred=3)
    assert len(merge_mentions([mention("a", 8), mention("b", 11, inferred=True)], wider)) == 1


def test_other_target_other_root_or_no_target_between_two_are_other_events():
    events = merge_mentions(
        [
            mention("a", 8),
            mention("b", 8, target=US),
            mention("c", 8, code="172"),
            mention("d", 8, target=None),
        ]
    )
    assert len(events) == 4


def test_a_report_that_leaves_out_the_target_joins_the_event_that_names_it():
    named = mention("named", 8, target=US, inferred=True)
    untargeted = mention("untargeted", 8, target=None, code="194")
    implied = mention("implied", 8, target=IRQ, target_implied=True)  # "a base in Iraq"
    for order in itertools.permutations([named, untargeted, implied]):
        (event,) = merge_mentions(order)
        assert event.target == US and len(event.mentions) == 3
        assert event.code == "194"


def test_a_loose_report_goes_to_the_nearest_named_event_and_never_to_two():
    missiles = mention("missiles", 8, target=US, inferred=True)
    airliner = mention("airliner", 9, target=UKR, inferred=True)
    later = mention("later", 8, target=None)
    events = merge_mentions([missiles, airliner, later])
    assert {e.target: len(e.mentions) for e in events} == {US: 2, UKR: 1}
    tied = merge_mentions([mention("a", 8, target=US), mention("b", 8, target=UKR), later])
    assert len(tied) == 3, "equally near to two targets: the loose report stays alone"


def test_statements_without_a_target_stay_their_own_events():
    events = merge_mentions(
        [mention("a", 8, code="010", target=US), mention("b", 8, code="010", target=None)]
    )
    assert len(events) == 2, "an actor makes many statements a day"


def test_undated_mentions_join_only_undated_mentions_of_their_article():
    events = merge_mentions(
        [
            mention("a1", None, article="a"),
            mention("a2", None, article="a"),
            mention("b1", None, article="b"),
            mention("c1", 8, article="c"),
        ]
    )
    assert sorted(len(e.mentions) for e in events) == [1, 1, 2]


def test_a_chain_of_close_reports_is_one_event_whatever_the_order():
    chain = [mention("a", 8, inferred=True), mention("b", 10, inferred=True), mention("c", 12)]
    results = {tuple(merge_mentions(order)) for order in itertools.permutations(chain)}
    assert len(results) == 1, "the order mentions arrive in changes nothing"
    (events,) = results
    assert len(events) == 1 and events[0].date == dt.date(2020, 1, 12), (
        "the date a sentence states beats inferred ones"
    )


def test_a_state_agent_counts_as_its_state_and_the_most_named_actor_stays():
    events = merge_mentions(
        [
            mention("a", 3, source=US, target=SOLEIMANI),
            mention("b", 3, source=US, target=SOLEIMANI),
            mention("c", 3, source=DOD, target=SOLEIMANI, source_identity=US),
        ]
    )
    assert len(events) == 1
    assert events[0].source == US and len(events[0].mentions) == 3


def test_event_counts_confidence_and_first_report():
    events = merge_mentions(
        [
            mention("a", 8, confidence=0.5, article="x", outlet="Gulf Wire",
                    article_date=dt.date(2020, 1, 9)),
            mention("b", 8, confidence=0.5, article="x", outlet="Gulf Wire",
                    article_date=dt.date(2020, 1, 9)),
            mention("c", 8, confidence=0.8, article="y", outlet=None,
                    article_date=dt.date(2020, 1, 8)),
        ]
    )  # fmt: skip
    (event,) = events
    assert (len(event.mentions), event.articles, event.sources) == (3, 2, 2)
    assert event.confidence == pytest.approx(1 - 0.5 * 0.5 * 0.2)
    assert event.first_mention.mention == "urn:m:c", "the earliest article reports first"
    assert (event.first_reported, event.last_reported) == (dt.date(2020, 1, 8), dt.date(2020, 1, 9))


# end to end, on real sentences

KILLING = [
    Article(
        id="gulf-wire-0103",
        text="A US drone strike killed Qassem Soleimani at Baghdad airport on Friday.",
        date=dt.date(2020, 1, 3),
        source="Gulf Wire",
    ),
    Article(
        id="ledger-0104",
        text="The United States killed Qassem Soleimani in Baghdad on Friday, the Pentagon said.",
        date=dt.date(2020, 1, 4),
        source="Capital Ledger",
    ),
    Article(
        id="meridian-0104",
        text="The Pentagon said US forces killed Qassem Soleimani.",
        date=dt.date(2020, 1, 4),
        source="Meridian News",
    ),
]
OTHERS = [
    Article(
        id="missiles-iraq",
        text="Iran fired ballistic missiles at Iraq on Wednesday.",
        date=dt.date(2020, 1, 8),
    ),
    Article(
        id="missiles-us",
        text="Iran fired ballistic missiles at the United States on Wednesday.",
        date=dt.date(2020, 1, 8),
    ),
    Article(
        id="kh-december",
        text="The United States struck Kata'ib Hezbollah on Sunday.",
        date=dt.date(2019, 12, 30),
    ),
    Article(
        id="kh-march",
        text="The United States struck Kata'ib Hezbollah on Thursday.",
        date=dt.date(2020, 3, 13),
    ),
]


# Reports from the Gulf corpus (2020-01-08, -09, -11, -24): the missile strikes on
# Ain al-Asad named by their target, by their place only and weeks later by their
# date; the airliner shot down on 8 January, reported by Canada and then admitted.
STRIKES_AND_AIRLINER = [
    Article(
        id="gulf-wire-0108",
        text="Iran's Revolutionary Guards launched a barrage of ballistic missiles early on"
        " Wednesday at the Ain al-Asad air base in western Iraq and at a base in Erbil.",
        date=dt.date(2020, 1, 8),
        source="Gulf Wire",
    ),
    Article(
        id="ledger-0108",
        text="Iran launched more than a dozen ballistic missiles against U.S. military and"
        " coalition forces in Iraq, the Pentagon said.",
        date=dt.date(2020, 1, 8),
        source="Capital Ledger",
    ),
    Article(
        id="ledger-0124",
        text="The Pentagon said on Friday that 34 U.S. service members had been diagnosed with"
        " concussions after Iran's January 8 missile attack on the Ain al-Asad air base.",
        date=dt.date(2020, 1, 24),
        source="Capital Ledger",
    ),
    Article(
        id="desk-0109",
        text="Canadian Prime Minister Justin Trudeau said on Thursday that intelligence"
        " indicated that Ukraine International Airlines Flight 752 was shot down by an Iranian"
        " surface-to-air missile.",
        date=dt.date(2020, 1, 9),
        source="Atlantic Desk",
    ),
    Article(
        id="gulf-wire-0111",
        text="Iran's armed forces admitted on Saturday that they had unintentionally shot down"
        " the Ukraine International Airlines jet that crashed near Tehran on Wednesday.",
        date=dt.date(2020, 1, 11),
        source="Gulf Wire",
    ),
]


SIEGE = [
    Article(
        id="gulf-wire-1231",
        text="Hundreds of supporters of Iran-backed militias forced their way into the"
        " compound of the US embassy in Baghdad on Tuesday, smashing a main gate.",
        date=dt.date(2019, 12, 31),
        source="Gulf Wire",
    ),
    Article(
        id="meridian-0101",
        text="Supporters of Iran-backed militias withdrew from outside the US embassy in"
        " Baghdad on Wednesday. Before leaving, some protesters hurled stones and set fire to"
        " the roof of a reception building.",
        date=dt.date(2020, 1, 1),
        source="Meridian News",
    ),
]


@pytest.mark.slow
def test_the_embassy_siege_in_two_articles_is_one_event(extractor):
    store = _store_of(SIEGE, extractor)
    riots = find_events(store, EventFilter(code="14", limit=50))
    (siege,) = riots
    assert (siege.source.label, siege.target.id) == ("Iran-backed militia", US)
    assert siege.date == "2019-12-31" and siege.articles == 2
    assert _quads(store) == _quads(_store_of([*reversed(SIEGE)], extractor))


@pytest.mark.slow
def test_reports_of_the_strikes_and_of_the_airliner_are_two_events(extractor):
    articles = STRIKES_AND_AIRLINER
    reference = None
    for order in (articles, [*reversed(articles)], [articles[2], articles[4], *articles[:2]]):
        store = _store_of([*order, *(a for a in articles if a not in order)], extractor)
        found = {e.target.id if e.target else None: e for e in _events(store, source=IRN)}
        assert set(found) == {DOD, UKR}, found
        strikes, airliner = found[DOD], found[UKR]
        assert {m.article for m in event_detail(store, strikes.id).mentions} == {
            "gulf-wire-0108",
            "ledger-0108",
            "ledger-0124",
        }
        assert strikes.date == "2020-01-08"
        assert (airliner.mentions, airliner.articles, airliner.sources) == (2, 2, 2)
        quads = _quads(store)
        assert reference is None or quads == reference, "any order, the same graph"
        reference = quads


def _store_of(articles, extractor):
    store = OxigraphGraphStore(None)
    ingest(articles, extractor, store)
    return store


def _quads(store) -> set[str]:
    out = io.BytesIO()
    store.dump(out, "nquads")
    return set(out.getvalue().decode("utf-8").splitlines())


def _events(store, source=None, target=None):
    return find_events(store, EventFilter(source=source, target=target, code="19", limit=500))


@pytest.fixture(scope="module")
def merged(extractor):
    return _store_of([*KILLING, *OTHERS], extractor)


@pytest.mark.slow
def test_the_same_killing_in_three_articles_is_one_event_with_three_reports(merged):
    (killing,) = _events(merged, target=SOLEIMANI)
    assert killing.source.id == US, "two reports name the United States, one US forces"
    assert (killing.mentions, killing.articles, killing.sources) == (3, 3, 3)
    assert killing.date == "2020-01-03"
    assert (killing.first_reported, killing.last_reported) == ("2020-01-03", "2020-01-04")
    detail = event_detail(merged, killing.id)
    assert detail.mentions[0].article == "gulf-wire-0103", "the first report first"
    assert {m.article for m in detail.mentions} == {a.id for a in KILLING}
    assert {m.outlet for m in detail.mentions} == {"Gulf Wire", "Capital Ledger", "Meridian News"}
    texts = {a.id: a.text for a in KILLING}
    for report in detail.mentions:
        start, end = report.sentence_span
        assert texts[report.article][start:end] == report.sentence


@pytest.mark.slow
def test_other_targets_and_other_dates_are_other_events(merged):
    assert len(_events(merged, source=IRN)) == 2, "missiles at Iraq and at the US: two events"
    strikes = _events(merged, source=US, target=KH)
    assert sorted(e.date for e in strikes) == ["2019-12-29", "2020-03-12"]
    assert all(e.mentions == 1 for e in strikes)


@pytest.mark.slow
def test_counts_network_and_csv_count_events_not_mentions(merged):
    stats = graph_stats(merged)
    assert stats.mentions > stats.events
    network = ActorNetwork.from_store(merged)
    edges = network.events_between(US, SOLEIMANI)
    assert len(edges) == 1 and edges[0]["mentions"] == 3
    events_csv, mentions_csv = io.StringIO(), io.StringIO()
    rows = write_events_csv(merged, events_csv)
    reports = write_mentions_csv(merged, mentions_csv)
    assert (rows, reports) == (stats.events, stats.mentions)
    assert ",3,3,3," in events_csv.getvalue(), "NumMentions, NumSources, NumArticles of the killing"


@pytest.mark.slow
def test_any_ingest_order_gives_the_same_graph(extractor):
    articles = [*KILLING, *OTHERS]
    reference = _quads(_store_of(articles, extractor))
    for order in ([*reversed(articles)], [articles[2], articles[5], articles[0], *articles[6:]]):
        rest = [a for a in articles if a not in order]
        assert _quads(_store_of([*order, *rest], extractor)) == reference


@pytest.mark.slow
def test_reingesting_adds_nothing_and_forcing_rewrites_the_same_graph(extractor):
    store = _store_of(KILLING, extractor)
    before = _quads(store)
    again = ingest(KILLING, extractor, store)
    assert (again.already_stored, again.triples_added) == (3, 0)
    forced = ingest(KILLING[1:2], extractor, store, force=True)
    assert forced.stored == 1
    assert _quads(store) == before, "a forced re-ingest replaces its mentions, never adds"


@pytest.mark.slow
def test_a_changed_article_leaves_the_event_and_its_other_reports(extractor):
    store = _store_of(KILLING, extractor)
    changed = Article(
        id="meridian-0104", text="Iran condemned the United States.", date=dt.date(2020, 1, 4)
    )
    ingest([changed], extractor, store, force=True)
    (killing,) = _events(store, target=SOLEIMANI)
    assert (killing.mentions, killing.articles) == (2, 2)


@pytest.mark.slow
def test_event_by_id_over_the_api_and_the_cli(merged, tmp_path, extractor):
    (killing,) = _events(merged, target=SOLEIMANI)
    event_id = killing.id.rsplit("/", 1)[-1]
    with TestClient(create_app(Settings(), merged)) as client:
        body = client.get(f"/events/{event_id}").json()
        assert body["mentions"] == 3 and len(body["mention_list"]) == 3
        assert body["mention_list"][0]["article"] == "gulf-wire-0103"
        assert {"sentence", "source", "target", "code", "span"} <= set(body["mention_list"][0])
        assert client.get("/events/no-such-event").status_code == 404
        listed = client.get("/events", params={"target": "qassem-soleimani"}).json()
        assert [e["mentions"] for e in listed] == [3]
    store_dir = tmp_path / "store"
    with open_store(str(store_dir)) as disk:
        ingest(KILLING, extractor, disk)
    result = CliRunner().invoke(cli, ["event", event_id, "--json", "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["mentions"] == 3 and len(data["mention_list"]) == 3
    missing = CliRunner().invoke(cli, ["event", "nope", "--store", str(store_dir)])
    assert missing.exit_code == 2 and "no event" in missing.output
