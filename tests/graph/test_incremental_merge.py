"""Ingest merges each article into the stored events through its neighbourhood only
(kg.graph.candidates): the events graph after any sequence of stores, replacements and
removals must be exactly the one that merging every stored report at once gives.

The property test builds random articles of random reports (a few actors, one of them a
state's government, so identities matter; a statement root and a loose root; stated,
inferred and missing dates close together so components chain, bridge and split),
stores them through the real store in a random order, and compares the events graph
with merge_mentions over the whole set; then it removes some of them and compares
again.
"""

from __future__ import annotations

import datetime as dt
import io

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from kg.graph.candidates import KEYS_PER_QUERY, merge_key, neighbourhood, reach_group
from kg.graph.merge import MentionFacts, MergeWindow, _components, merge_mentions, period
from kg.graph.rdf import Minter, direct_triple, event_triples
from kg.graph.removal import remove_articles
from kg.graph.store import OxigraphGraphStore
from kg.ingest import (
    KEYLESS_VERSION,
    ONTOLOGY_VERSION,
    _facts,
    add_merge_keys,
    ensure_reference_graphs,
    store_article,
)
from kg.models import Actor, Article, Event

BASE = "https://example.org/kg/"
MINTER = Minter(BASE)
WINDOW = MergeWindow()
DAY0 = dt.date(2020, 1, 1)
ONTOLOGY = "<https://w3id.org/kg-geo/ontology>"

USA = Actor(f"{BASE}actor/USA", "United States", "State", country="USA")
USAGOV = Actor(f"{BASE}actor/USAGOV", "US government", "Government", country="USA")
IRN = Actor(f"{BASE}actor/IRN", "Iran", "State", country="IRN")
IRQ = Actor(f"{BASE}actor/IRQ", "Iraq", "State", country="IRQ")
SOURCES = (USA, USAGOV, IRN)
TARGETS = (None, IRN, IRQ, USA)
CODES = ("010", "012", "190", "193")  # a statement root and a loose (force) root

report = st.fixed_dictionaries(
    {
        "source": st.sampled_from(SOURCES),
        "target": st.sampled_from(TARGETS),
        "named": st.booleans(),  # the target is named in the text, else only implied
        "code": st.sampled_from(CODES),
        "day": st.one_of(st.none(), st.integers(0, 10)),
        "inferred": st.booleans(),
        "confidence": st.sampled_from((0.3, 0.5, 0.8)),
    }
)
article = st.fixed_dictionaries(
    {
        "reports": st.lists(report, min_size=0, max_size=6),
        "day": st.one_of(st.none(), st.integers(0, 14)),
        "outlet": st.sampled_from((None, "Reuters", "AP")),
    }
)


def build(index: int, spec: dict) -> tuple[Article, list[Event]]:
    published = DAY0 + dt.timedelta(days=spec["day"]) if spec["day"] is not None else None
    item = Article(id=f"a{index}", text="x", date=published, source=spec["outlet"])
    events = []
    for n, r in enumerate(spec["reports"]):
        target = r["target"] if r["target"] != r["source"] else None
        events.append(
            Event(
                article=item.id,
                sentence="s",
                sentence_start=0,
                sentence_end=1,
                source=r["source"],
                target=target,
                action="act",
                code=r["code"],
                trigger_start=n,
                trigger_end=n + 1,
                date=DAY0 + dt.timedelta(days=r["day"]) if r["day"] is not None else None,
                date_inferred=r["inferred"],
                confidence=r["confidence"],
                source_text="source",
                target_text="target" if target and r["named"] else None,
            )
        )
    return item, events


def expected_events(stored: list[tuple[Article, list[Event]]]) -> bytes:
    """The events graph that merging every stored report at once gives, as N-Quads
    through Oxigraph (so literals are written the way the store writes them)."""
    facts = [_facts(item, event, MINTER) for item, events in stored for event in events]
    graph = Graph(identifier=MINTER.events_graph())
    for event in merge_mentions(facts, WINDOW):
        for triple in event_triples(event, MINTER):
            graph.add(triple)
        if event.target:
            graph.add(direct_triple(event.source, event.target, event.root))
    store = OxigraphGraphStore(None)
    store.add_graph(graph)
    return events_graph(store)


def events_graph(store) -> bytes:
    store = getattr(store, "inner", store)
    name = ox.NamedNode(str(MINTER.events_graph()))
    quads = store.oxigraph.quads_for_pattern(None, None, None, name)
    out = io.BytesIO()
    ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
    return b"\n".join(sorted(out.getvalue().splitlines()))


class SparqlOnly:
    """The embedded store seen only through SPARQL, as a server store is: ingest then
    takes the SPARQL path of kg.graph.families instead of kg.graph.lookups."""

    def __init__(self) -> None:
        self.inner = OxigraphGraphStore(None)

    def __getattr__(self, name):
        if name in ("oxigraph", "flush"):
            raise AttributeError(name)
        return getattr(self.inner, name)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    specs=st.lists(article, min_size=1, max_size=8),
    data=st.data(),
    sparql_only=st.booleans(),
)
def test_incremental_ingest_and_removal_equal_merging_everything(specs, data, sparql_only):
    built = [build(i, spec) for i, spec in enumerate(specs)]
    order = data.draw(st.permutations(range(len(built))), label="ingest order")
    store = SparqlOnly() if sparql_only else OxigraphGraphStore(None)
    for i in order:
        item, events = built[i]
        store_article(store, MINTER, item, events, set(), WINDOW)
    assert events_graph(store) == expected_events(built)

    # A replaced article (stored again with other reports) and removed ones.
    replaced = data.draw(st.sampled_from(range(len(built))), label="replaced")
    new_spec = data.draw(article, label="replacement")
    built[replaced] = build(replaced, new_spec)
    store_article(store, MINTER, *built[replaced], set(), WINDOW)
    assert events_graph(store) == expected_events(built)

    gone = data.draw(st.sets(st.sampled_from(range(len(built)))), label="removed")
    if gone:
        remove_articles(store, [built[i][0].id for i in gone], BASE, WINDOW)
    kept = [built[i] for i in range(len(built)) if i not in gone]
    assert events_graph(store) == expected_events(kept)


def dated(day: int, article: str, *, inferred=True, target=IRN) -> tuple[Article, list[Event]]:
    spec = {
        "day": day,
        "outlet": None,
        "reports": [
            {
                "source": USA,
                "target": target,
                "named": True,
                "code": "190",
                "day": day,
                "inferred": inferred,
                "confidence": 0.5,
            }
        ],
    }
    item, events = build(int(article), spec)
    return item, events


def test_a_report_between_two_events_bridges_them_and_an_earlier_one_renames_it():
    store = OxigraphGraphStore(None)
    first, second = dated(0, "1"), dated(4, "2")  # four days apart: two events
    for item, events in (first, second):
        store_article(store, MINTER, item, events, set(), WINDOW)
    before = {
        str(MINTER.event(e))
        for e in merge_mentions([_facts(i, e, MINTER) for i, es in (first, second) for e in es])
    }
    assert len(before) == 2

    bridge = dated(2, "3")  # within two days of both
    removed, written = store_article(store, MINTER, *bridge, set(), WINDOW)
    (one,) = merge_mentions([_facts(i, e, MINTER) for i, es in (first, second, bridge) for e in es])
    assert str(MINTER.event(one)) in before, "the earliest date, so the first event's IRI"
    assert removed == before - {str(MINTER.event(one))}
    assert written == {str(MINTER.event(one))}
    assert events_graph(store) == expected_events([first, second, bridge])

    earlier = dated(-1, "4")  # moves the earliest date: a new IRI, the old one goes
    removed, written = store_article(store, MINTER, *earlier, set(), WINDOW)
    assert removed == {str(MINTER.event(one))}
    assert len(written) == 1 and written != removed
    assert events_graph(store) == expected_events([first, second, bridge, earlier])

    # Taking the bridge back out splits the event again, through the same path.
    summary = remove_articles(store, ["a3"], BASE, WINDOW)
    assert len(summary.events_written) == 2
    assert events_graph(store) == expected_events([first, second, earlier])


def test_an_article_far_from_the_others_touches_none_of_their_events():
    store = OxigraphGraphStore(None)
    stored = [dated(day, str(day)) for day in range(0, 40, 10)]  # four separate events
    for item, events in stored:
        store_article(store, MINTER, item, events, set(), WINDOW)
    writes = []
    update = store.update
    store.update = lambda sparql: (writes.append(sparql), update(sparql))[1]
    removed, written = store_article(store, MINTER, *dated(25, "99"), set(), WINDOW)
    assert removed == set() and len(written) == 1
    (sparql,) = writes
    untouched = {
        str(MINTER.event(e))
        for e in merge_mentions([_facts(i, e, MINTER) for i, es in stored for e in es])
    }
    assert not any(event_iri in sparql for event_iri in untouched), "no other event written"


def test_the_neighbourhood_is_the_week_of_the_report():
    """Reports every two days chain into one event within a calendar week; the chain
    ends with the week (2020-01-01 is a Wednesday: its week runs from 2019-12-30 to
    2020-01-05), and no day outside the week is looked up, so the reports one article
    re-merges do not grow with the store."""
    facts = {
        day: MentionFacts(
            mention=f"m{day}",
            source=USA.id,
            target=IRN.id,
            code="190",
            date=DAY0 + dt.timedelta(days=day),
            date_inferred=True,
            confidence=0.5,
            article=f"a{day}",
        )
        for day in (-2, 0, 2, 4, 6, 9, 30)
    }
    by_key = {merge_key(reach_group(m), m.date): [m] for m in facts.values()}
    asked: list[str] = []

    def fetch(keys):
        assert len(keys) <= KEYS_PER_QUERY
        asked.extend(keys)
        return [m for k in keys for m in by_key.get(k, [])]

    seed = MentionFacts(
        mention="new",
        source=USA.id,
        target=IRN.id,
        code="193",
        date=DAY0 + dt.timedelta(days=1),
        date_inferred=True,
        confidence=0.9,
        article="b",
    )
    found = neighbourhood(fetch, [seed])
    assert {m.mention for m in found} == {"m-2", "m0", "m2", "m4"}
    days = {dt.date.fromisoformat(k.rsplit(" ", 1)[1]) for k in asked}
    assert days == {dt.date(2019, 12, 30) + dt.timedelta(days=d) for d in range(7)}
    assert len(asked) == len(set(asked)), "no day is looked up twice"
    events = merge_mentions([seed, *facts.values()], WINDOW)
    assert sorted(sorted(m.mention for m in e.mentions) for e in events) == [
        ["m-2", "m0", "m2", "m4", "new"],
        ["m30"],
        ["m6"],
        ["m9"],
    ]


def test_a_store_without_merge_keys_gets_them_and_merges_the_same():
    """A store written before merge keys (ontology 0.2.0) gets its keys when ingest
    opens it, and later articles merge with its reports."""
    store = OxigraphGraphStore(None)
    ensure_reference_graphs(store, BASE)
    first, second = dated(0, "1"), dated(1, "2")
    store_article(store, MINTER, *first, set(), WINDOW)
    ontology = f"<{BASE}graph/ontology>"
    store.update(
        "PREFIX kgo: <https://w3id.org/kg-geo/ontology#>\n"
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
        "DELETE WHERE { GRAPH ?g { ?m kgo:mergeKey ?k } } ;\n"
        f"DELETE WHERE {{ GRAPH {ontology} {{ {ONTOLOGY} owl:versionInfo ?v }} }} ;\n"
        f"INSERT DATA {{ GRAPH {ontology} {{ {ONTOLOGY} "
        f'owl:versionInfo "{KEYLESS_VERSION}" }} }}'
    )
    assert add_merge_keys(store, BASE) == 1
    store.update(
        "PREFIX kgo: <https://w3id.org/kg-geo/ontology#>\n"
        "DELETE WHERE { GRAPH ?g { ?m kgo:mergeKey ?k } }"
    )
    ensure_reference_graphs(store, BASE)
    version = store.select(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
        f"SELECT ?v WHERE {{ GRAPH {ontology} {{ {ONTOLOGY} owl:versionInfo ?v }} }}"
    )
    assert [row["v"] for row in version] == [ONTOLOGY_VERSION]
    store_article(store, MINTER, *second, set(), WINDOW)
    assert events_graph(store) == expected_events([first, second])
    assert len(merge_mentions([_facts(i, e, MINTER) for i, es in (first, second) for e in es])) == 1


def test_a_store_of_unbounded_events_gets_its_events_merged_again():
    """A store of ontology 0.3.0 (events not bounded by their week: reports on Sunday
    and Monday were one event) has its events merged again when ingest opens it: the
    events graph is then exactly what storing its articles now writes."""
    store = OxigraphGraphStore(None)
    ensure_reference_graphs(store, BASE)
    sunday, monday = dated(4, "1"), dated(5, "2")  # 2020-01-05 and 2020-01-06
    for item in (sunday, monday):
        store_article(store, MINTER, *item, set(), WINDOW)
    stored = events_graph(store)
    assert stored == expected_events([sunday, monday])
    ontology = f"<{BASE}graph/ontology>"
    store.update(  # a 0.3.0 store; its events graph emptied, so only merging again fills it
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
        f"DELETE WHERE {{ GRAPH {ontology} {{ {ONTOLOGY} owl:versionInfo ?v }} }} ;\n"
        f'INSERT DATA {{ GRAPH {ontology} {{ {ONTOLOGY} owl:versionInfo "0.3.0" }} }} ;\n'
        f"DROP GRAPH <{MINTER.events_graph()}>"
    )
    ensure_reference_graphs(store, BASE)
    assert events_graph(store) == stored
    version = store.select(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
        f"SELECT ?v WHERE {{ GRAPH {ontology} {{ {ONTOLOGY} owl:versionInfo ?v }} }}"
    )
    assert [row["v"] for row in version] == [ONTOLOGY_VERSION]
    reports = [_facts(item, e, MINTER) for item, events in (sunday, monday) for e in events]
    assert len(merge_mentions(reports)) == 2


@settings(max_examples=300, deadline=None)
@given(
    days=st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 15)), st.booleans()), max_size=25),
    stated=st.integers(0, 2),
    inferred=st.integers(0, 3),
)
def test_components_by_day_equal_comparing_every_pair(days, stated, inferred):
    """merge._components joins days, not pairs of mentions; the reference here is the
    definition: two dated mentions are linked when their gap is within the window of
    the pair (stated when both dates are stated) and they are in one calendar week,
    and components are what links reach."""
    window = MergeWindow(stated=stated, inferred=inferred)
    mentions = [
        MentionFacts(
            mention=f"m{i}", source=USA.id, target=IRN.id, code="010",
            date=DAY0 + dt.timedelta(days=day) if day is not None else None,
            date_inferred=flag, confidence=0.5, article=f"a{i % 3}",
        )
        for i, (day, flag) in enumerate(days)
    ]  # fmt: skip
    dated = [m for m in mentions if m.date]
    group = {m.mention: {m.mention} for m in dated}
    for a in dated:
        for b in dated:
            if (
                abs((a.date - b.date).days) <= window.days(a, b)
                and period(a.date) == period(b.date)
                and group[a.mention] is not group[b.mention]
            ):
                merged = group[a.mention] | group[b.mention]
                for name in merged:
                    group[name] = merged
    expected = {frozenset(g) for g in group.values()}
    expected |= {
        frozenset(m.mention for m in mentions if m.date is None and m.article == article)
        for article in {m.article for m in mentions if m.date is None}
    }
    found = {frozenset(m.mention for m in c) for c in _components(mentions, window)}
    assert found == expected
