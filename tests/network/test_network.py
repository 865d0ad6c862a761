"""The actor network (kg.network.projection and its metrics, exports and plot): small graphs whose
answers can be checked by hand, and a store built from real news sentences."""

from __future__ import annotations

import datetime as dt
import io
import json

import networkx as nx
import pytest

from kg.errors import InputError, NotFoundError
from kg.graph.store import OxigraphGraphStore
from kg.ingest import IngestSummary, ensure_reference_graphs, ingest
from kg.models import Article
from kg.network.export import network_bytes, node_link
from kg.network.live import LiveActorNetwork
from kg.network.metrics import DyadMonth, Ranked, centrality, communities, dyad, timeline
from kg.network.plot import draw_network, save_network_plot
from kg.network.projection import ActorNetwork, NetworkFilter, resolve_actor
from kg.settings import Settings

ACTOR = "https://w3id.org/kg-geo/actor/"
BASE = Settings().base_iri
USA, IRN, IRQ, SAU, ARE, BHR, SYR, GBR = (
    ACTOR + code for code in ("USA", "IRN", "IRQ", "SAU", "ARE", "BHR", "SYR", "GBR")
)
KHATAMI, HASHD, HEZBOLLAH, HOUTHIS, HAMAS, WAPO, KATAIB, KHAMENEI, ZARIF = (
    ACTOR + name
    for name in (
        "ahmad-khatami",
        "hashd-al-shaabi",
        "hezbollah",
        "houthis",
        "hamas",
        "the-washington-post",
        "kataib-hezbollah",
        "ali-khamenei",
        "mohammad-javad-zarif",
    )
)

#: Quad class and Goldstein score of the CAMEO codes used here (as in ontology/cameo.ttl).
CODES = {
    "010": (1, 0.0),
    "036": (1, 4.0),
    "042": (1, 1.9),
    "057": (1, 8.0),
    "061": (2, 6.4),
    "111": (3, -2.0),
    "138": (3, -7.0),
    "190": (4, -10.0),
    "191": (4, -9.5),
    "195": (4, -10.0),
}

ACTORS = [
    {"actor": USA, "label": "United States", "type": "State", "country": "USA"},
    {"actor": IRN, "label": "Iran", "type": "State", "country": "IRN"},
    {"actor": IRQ, "label": "Iraq", "type": "State", "country": "IRQ"},
    {"actor": SAU, "label": "Saudi Arabia", "type": "State", "country": "SAU"},
    {"actor": ARE, "label": "United Arab Emirates", "type": "State", "country": "ARE"},
    {"actor": BHR, "label": "Bahrain", "type": "State", "country": "BHR"},
    {"actor": SYR, "label": "Syria", "type": "State", "country": "SYR"},
    {"actor": GBR, "label": "United Kingdom", "type": "State", "country": "GBR"},
    {"actor": KHATAMI, "label": "Ahmad Khatami", "type": "Person", "country": "IRN"},
    {"actor": HASHD, "label": "al-Ḥashd al-Shaʿbī", "type": "ArmedGroup", "country": "IRQ"},
    {"actor": HEZBOLLAH, "label": "Hezbollah", "type": "ArmedGroup", "country": "LBN"},
    {"actor": HOUTHIS, "label": "Houthis", "type": "ArmedGroup", "country": "YEM"},
    {"actor": HAMAS, "label": "Hamas", "type": "ArmedGroup", "country": None},
    {"actor": WAPO, "label": "The Washington Post", "type": "Media", "country": None},
]


def edge(
    source: str,
    target: str,
    name: str,
    code: str = "190",
    date: dt.date | None = dt.date(2020, 1, 6),
    confidence: float = 0.9,
    article: str = "gulf-1",
) -> dict:
    """One event edge as the store gives it (with the article and sentence of its first
    report); ``name`` makes the event IRI."""
    quad, goldstein = CODES[code]
    return {
        "source": source,
        "target": target,
        "event": f"{BASE}event/{name}",
        "code": code,
        "root": code[:2],
        "quad_class": quad,
        "goldstein": goldstein,
        "date": date,
        "confidence": confidence,
        "mentions": 1,
        "article": article,
        "sentence": f"Sentence of {name}.",
    }


def names(events: list[dict]) -> list[str]:
    return [e["event"].rsplit("/", 1)[-1] for e in events]


def route(paths) -> list[list[str]]:
    return [path.actors for path in paths]


def assert_consistent(network: ActorNetwork) -> None:
    """The simple graphs count exactly the events of the multigraph, pair by pair."""
    graph = network.graph
    directed = {(u, v): graph.number_of_edges(u, v) for u, v in graph.edges()}
    assert {(u, v): d["weight"] for u, v, d in network.simple(True).edges(data=True)} == directed
    undirected: dict[frozenset, int] = {}
    for (u, v), n in directed.items():
        undirected[frozenset((u, v))] = undirected.get(frozenset((u, v)), 0) + n
    simple = network.simple(False)
    assert {frozenset((u, v)): d["weight"] for u, v, d in simple.edges(data=True)} == undirected
    assert set(simple) == set(graph) == set(network.simple(True))


# --- paths -----------------------------------------------------------------------------
#
#   Khatami -138-> United States <-191- Hashd     (January; Khatami's event weakly attested)
#   Khatami <-111- United States                  (undated)
#   Khatami -010-> Iran -061-> Iraq -057-> Hashd  (February, cooperation, well attested)
#
# Undirected, the short way runs through the United States; following events in their
# direction, only the long way through Iran and Iraq reaches Hashd.

PATH_EVENTS = [
    edge(KHATAMI, USA, "k-usa", "138", dt.date(2020, 1, 5), 0.6, "seed"),
    edge(USA, KHATAMI, "usa-k", "111", None, 0.5, "seed"),
    edge(HASHD, USA, "hashd-usa", "191", dt.date(2020, 1, 5), 0.68, "seed"),
    edge(KHATAMI, IRN, "k-irn", "010", dt.date(2020, 2, 3), 0.9, "feb"),
    edge(IRN, IRQ, "irn-irq", "061", dt.date(2020, 2, 10), 0.9, "feb"),
    edge(IRQ, HASHD, "irq-hashd", "057", dt.date(2020, 2, 12), 0.9, "feb"),
]
SHORT = [KHATAMI, USA, HASHD]
LONG = [KHATAMI, IRN, IRQ, HASHD]


@pytest.fixture
def network() -> ActorNetwork:
    return ActorNetwork.from_events(ACTORS, PATH_EVENTS)


def test_shortest_paths_first_then_longer_ones(network):
    assert route(network.paths(KHATAMI, HASHD)) == [SHORT, LONG]
    assert route(network.paths(KHATAMI, HASHD, k=1)) == [SHORT]
    assert route(network.paths(HASHD, KHATAMI)) == [SHORT[::-1], LONG[::-1]]


def test_max_hops_cuts_longer_paths(network):
    assert route(network.paths(KHATAMI, HASHD, max_hops=2)) == [SHORT]
    assert route(network.paths(KHATAMI, HASHD, max_hops=3)) == [SHORT, LONG]
    assert network.paths(KHATAMI, HASHD, max_hops=1) == []


def test_directed_paths_follow_events_from_source_to_target(network):
    assert route(network.paths(KHATAMI, HASHD, directed=True)) == [LONG]
    assert network.paths(KHATAMI, HASHD, max_hops=2, directed=True) == []
    assert route(network.paths(HASHD, KHATAMI, directed=True)) == [[HASHD, USA, KHATAMI]]


def test_each_hop_carries_its_events_in_both_directions_newest_first(network):
    short = network.paths(KHATAMI, HASHD)[0]
    assert [(h.source, h.target) for h in short.hops] == [(KHATAMI, USA), (USA, HASHD)]
    first, second = short.hops
    assert names(first.events) == ["k-usa", "usa-k"]  # the undated one last
    assert [(e["source"], e["target"]) for e in first.events] == [(KHATAMI, USA), (USA, KHATAMI)]
    assert names(second.events) == ["hashd-usa"]
    assert second.events[0]["sentence"] == "Sentence of hashd-usa."
    assert second.events[0]["article"] == "seed"


def test_directed_hops_carry_only_the_events_in_their_direction(network):
    (back,) = network.paths(HASHD, KHATAMI, directed=True)
    assert [names(h.events) for h in back.hops] == [["hashd-usa"], ["usa-k"]]
    (long,) = network.paths(KHATAMI, HASHD, directed=True)
    assert [names(h.events) for h in long.hops] == [["k-irn"], ["irn-irq"], ["irq-hashd"]]


def test_no_path_is_an_empty_list(network):
    assert network.paths(KHATAMI, WAPO) == []  # an actor with no events
    assert network.paths(USA, IRN, max_hops=1) == []


def test_path_errors(network):
    with pytest.raises(NotFoundError, match="atlantis"):
        network.paths(KHATAMI, ACTOR + "atlantis")
    with pytest.raises(NotFoundError):
        network.paths(ACTOR + "atlantis", KHATAMI)
    with pytest.raises(InputError, match="same actor"):
        network.paths(USA, USA)
    with pytest.raises(InputError):
        network.paths(USA, IRN, k=0)
    with pytest.raises(InputError):
        network.paths(USA, IRN, max_hops=0)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        pytest.param(NetworkFilter(since=dt.date(2020, 2, 1)), [LONG], id="since"),
        pytest.param(NetworkFilter(until=dt.date(2020, 1, 31)), [SHORT], id="until"),
        pytest.param(
            NetworkFilter(since=dt.date(2020, 1, 1), until=dt.date(2020, 3, 1)),
            [SHORT, LONG],
            id="window",
        ),
        pytest.param(NetworkFilter(since=dt.date(2021, 1, 1)), [], id="since-after-all"),
        pytest.param(NetworkFilter(roots=frozenset({"13", "19"})), [SHORT], id="conflict-roots"),
        pytest.param(NetworkFilter(roots=frozenset({"01", "05", "06"})), [LONG], id="coop-roots"),
        pytest.param(NetworkFilter(quad_classes=frozenset({3, 4})), [SHORT], id="conflict-quads"),
        pytest.param(NetworkFilter(quad_classes=frozenset({1, 2})), [LONG], id="coop-quads"),
        pytest.param(NetworkFilter(quad_classes=frozenset({4})), [], id="material-conflict"),
        pytest.param(NetworkFilter(min_confidence=0.7), [LONG], id="min-confidence"),
        pytest.param(NetworkFilter(min_confidence=0.95), [], id="min-confidence-above-all"),
    ],
)
def test_filters_change_which_path_is_found(where, expected):
    built = ActorNetwork.from_events(ACTORS, PATH_EVENTS, where)
    assert route(built.paths(KHATAMI, HASHD)) == expected
    restricted = ActorNetwork.from_events(ACTORS, PATH_EVENTS).restrict(where)
    assert route(restricted.paths(KHATAMI, HASHD)) == expected


def test_a_time_window_drops_undated_events_from_a_hop():
    network = ActorNetwork.from_events(
        ACTORS, PATH_EVENTS, NetworkFilter(until=dt.date(2020, 1, 31))
    )
    (short,) = network.paths(KHATAMI, HASHD)
    assert names(short.hops[0].events) == ["k-usa"]


def test_actor_types_keep_events_between_those_types_only(network):
    assert route(network.paths(USA, IRQ)) == [[USA, HASHD, IRQ], [USA, KHATAMI, IRN, IRQ]]
    states_and_people = NetworkFilter(actor_types=frozenset({"State", "Person"}))
    assert route(network.restrict(states_and_people).paths(USA, IRQ)) == [[USA, KHATAMI, IRN, IRQ]]
    built = ActorNetwork.from_events(ACTORS, PATH_EVENTS, states_and_people)
    assert route(built.paths(USA, IRQ)) == [[USA, KHATAMI, IRN, IRQ]]


def test_restrict_gives_a_new_network_and_keeps_every_actor(network):
    fights = network.restrict(NetworkFilter(roots=frozenset({"19"})))
    assert names([d for _, _, d in fights.graph.edges(data=True)]) == ["hashd-usa"]
    assert set(fights.graph) == set(network.graph)
    assert fights.label(HASHD) == "al-Ḥashd al-Shaʿbī"
    assert fights.graph.nodes[KHATAMI]["type"] == "Person"
    assert network.summary() == {"actors": len(ACTORS), "events": len(PATH_EVENTS)}
    assert_consistent(fights)
    assert network.restrict(NetworkFilter()) is network


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param(
            {"since": dt.date(2020, 2, 1), "until": dt.date(2020, 1, 1)}, id="since>until"
        ),
        pytest.param({"roots": frozenset({"33"})}, id="root-33"),
        pytest.param({"roots": frozenset({"00"})}, id="root-00"),
        pytest.param({"roots": frozenset({"1"})}, id="root-not-padded"),
        pytest.param({"roots": frozenset({"190"})}, id="code-not-root"),
        pytest.param({"quad_classes": frozenset({5})}, id="quad-5"),
        pytest.param({"min_confidence": 1.5}, id="confidence>1"),
        pytest.param({"min_confidence": -0.1}, id="confidence<0"),
    ],
)
def test_filter_rejects_bad_values(arguments):
    with pytest.raises(InputError):
        NetworkFilter(**arguments)


def test_filter_rejects_an_unknown_actor_type():
    """A misspelt type ("state", "Dragon") would silently empty the network, where
    /actors?type= rejects it; the filter should reject it too."""
    with pytest.raises(InputError, match="Dragon"):
        NetworkFilter(actor_types=frozenset({"Dragon"}))


# --- ego networks --------------------------------------------------------------------
#
#   United States: Iran (3 events), Iraq (2), United Kingdom (1); Iran–Iraq (1)
#   ring 2: Iran–Hezbollah (1), Iraq–Hashd (2); ring 3: Hashd–Kata'ib Hezbollah (1)

EGO_EVENTS = [
    edge(USA, IRN, "usa-irn-1"),
    edge(USA, IRN, "usa-irn-2", "111"),
    edge(IRN, USA, "irn-usa", "195"),
    edge(USA, IRQ, "usa-irq", "042"),
    edge(IRQ, USA, "irq-usa", "111"),
    edge(GBR, USA, "gbr-usa", "010"),
    edge(IRN, IRQ, "irn-irq", "061"),
    edge(IRN, HEZBOLLAH, "irn-hezbollah", "061"),
    edge(IRQ, HASHD, "irq-hashd-1", "057"),
    edge(HASHD, IRQ, "hashd-irq-2", "010"),
    edge(HASHD, KATAIB, "hashd-kataib", "036"),
]


@pytest.fixture
def ego_network() -> ActorNetwork:
    return ActorNetwork.from_events(ACTORS, EGO_EVENTS)


def test_ego_depth_one_and_two(ego_network):
    one = ego_network.ego(USA)
    assert set(one) == {USA, IRN, IRQ, GBR}
    assert one.number_of_edges() == 7  # with the Iran–Iraq event between two neighbours
    two = ego_network.ego(USA, depth=2)
    assert set(two) == {USA, IRN, IRQ, GBR, HEZBOLLAH, HASHD}
    assert KATAIB not in two
    assert two.nodes[HASHD]["label"] == "al-Ḥashd al-Shaʿbī"
    assert set(ego_network.ego(USA, depth=3)) == set(two) | {KATAIB}


def test_ego_max_actors_keeps_the_nearest_and_most_connected(ego_network):
    assert set(ego_network.ego(USA, max_actors=3)) == {USA, IRN, IRQ}
    assert ego_network.ego(USA, max_actors=3).number_of_edges() == 6
    assert set(ego_network.ego(USA, depth=2, max_actors=5)) == {USA, IRN, IRQ, GBR, HASHD}
    assert set(ego_network.ego(USA, depth=2, max_actors=1)) == {USA}


def test_ego_errors(ego_network):
    with pytest.raises(NotFoundError):
        ego_network.ego(ACTOR + "atlantis")
    with pytest.raises(InputError):
        ego_network.ego(USA, depth=0)


# --- incremental updates -------------------------------------------------------------


def test_removing_the_only_supporting_event_removes_the_path():
    strike = edge(USA, IRQ, "usa-irq-1")
    talks = edge(USA, IRQ, "usa-irq-2", "042")
    pact = edge(IRQ, HASHD, "irq-hashd", "057")
    network = ActorNetwork.from_events(ACTORS, [strike, talks, pact])
    assert route(network.paths(USA, HASHD)) == [[USA, IRQ, HASHD]]
    assert network.simple(False)[USA][IRQ]["weight"] == 2
    assert network.simple(True)[USA][IRQ]["weight"] == 2
    assert_consistent(network)

    assert network.remove_events([pact["event"], talks["event"]]) == 2
    assert network.paths(USA, HASHD) == []
    assert network.simple(False)[USA][IRQ]["weight"] == 1
    assert not network.simple(False).has_edge(IRQ, HASHD)
    assert not network.simple(True).has_edge(IRQ, HASHD)
    assert HASHD in network.graph  # the actor stays, without events
    assert_consistent(network)
    assert network.remove_events([pact["event"], f"{BASE}event/never-stored"]) == 0

    assert network.add_events([talks, pact]) == 2
    assert network.add_events([talks, pact]) == 0  # the same events again count once
    assert route(network.paths(USA, HASHD)) == [[USA, IRQ, HASHD]]
    assert network.simple(False)[USA][IRQ]["weight"] == 2
    assert_consistent(network)


def test_weights_count_events_in_both_directions():
    network = ActorNetwork.from_events(ACTORS, EGO_EVENTS)
    assert network.simple(False)[USA][IRN]["weight"] == 3
    assert network.simple(True)[USA][IRN]["weight"] == 2
    assert network.simple(True)[IRN][USA]["weight"] == 1
    assert_consistent(network)
    assert network.remove_events(e["event"] for e in EGO_EVENTS[:3]) == 3
    assert not network.simple(False).has_edge(USA, IRN)
    assert_consistent(network)
    network.remove_events(e["event"] for e in EGO_EVENTS)
    assert network.simple(False).number_of_edges() == 0
    assert network.simple(True).number_of_edges() == 0
    assert network.summary() == {"actors": len(ACTORS) + 1, "events": 0}  # + Kata'ib


def test_add_events_applies_the_filter_and_counts_what_it_added():
    network = ActorNetwork.from_events(ACTORS, [])
    assert network.add_events(PATH_EVENTS, NetworkFilter(roots=frozenset({"19"}))) == 1
    assert names(network.events_between(USA, HASHD)) == ["hashd-usa"]
    assert network.add_events([edge(IRN, ACTOR + "IRN-new", "new", "010")]) == 1
    assert network.label(ACTOR + "IRN-new") == "IRN-new"  # undescribed: the IRI's last part
    assert_consistent(network)


# --- the projection of a store (real sentences through the extractor) -------------------

#: Real news sentences (see tests/test_extraction.py and tests/test_cli.py).
PROTEST = Article(
    id="kh-protest",
    text="Supporters of Kata'ib Hezbollah protested against the United States in Baghdad.",
    date=dt.date(2020, 1, 1),
)
SANCTIONS = Article(
    id="gw-sanctions",
    text="The United States imposed sanctions on Iran's Supreme Leader Ayatollah Ali Khamenei.",
    date=dt.date(2019, 6, 24),
)
#: The sanctions article corrected: same id, another target.
CORRECTED = Article(
    id="gw-sanctions",
    text="The United States imposed sanctions on Iran's Foreign Minister Mohammad Javad Zarif.",
    date=dt.date(2019, 6, 24),
)
STATEMENT = Article(
    id="pompeo-tankers", text="Pompeo said Iran attacked the tankers.", date=dt.date(2019, 6, 14)
)


@pytest.fixture(scope="module")
def reference() -> OxigraphGraphStore:
    """A store holding only the ontology, the CAMEO scheme and the gazetteer."""
    store = OxigraphGraphStore(None)
    ensure_reference_graphs(store, BASE)
    return store


@pytest.fixture
def store(reference, extractor) -> OxigraphGraphStore:
    """The reference graphs (copied, not parsed again) and the protest article."""
    store = OxigraphGraphStore(None)
    store.oxigraph.extend(reference.oxigraph)
    ingest([PROTEST], extractor, store)
    return store


def edge_keys(network: ActorNetwork) -> set[tuple[str, str, str]]:
    return set(network.graph.edges(keys=True))


def fold_in(network: ActorNetwork, store: OxigraphGraphStore, summary: IngestSummary) -> int:
    """Apply what an ingest did to ``network``, as POST /articles does."""
    return network.update_events(store, summary.events_removed, summary.events_written)


@pytest.mark.slow
def test_from_store_reads_actors_and_codes_events_from_the_cameo_scheme(store):
    network = ActorNetwork.from_store(store)
    assert network.label(USA) == "United States"
    assert network.graph.nodes[KATAIB]["type"] == "ArmedGroup"
    assert network.graph.nodes[KATAIB]["country"] == "IRQ"
    (protest,) = network.events_between(KATAIB, USA)
    assert protest["source"] == KATAIB and protest["code"] == "140"
    assert (protest["root"], protest["quad_class"], protest["goldstein"]) == ("14", 4, -6.5)
    assert protest["article"] == "kh-protest" and protest["mentions"] == 1
    assert protest["sentence"] == PROTEST.text
    assert isinstance(protest["date"], dt.date)
    assert_consistent(network)


@pytest.mark.slow
def test_update_events_folds_a_new_article_in_without_a_rebuild(store, extractor):
    network = ActorNetwork.from_store(store)
    with pytest.raises(NotFoundError):
        network.paths(KATAIB, KHAMENEI)  # Khamenei takes part in no event yet
    summary = ingest([SANCTIONS], extractor, store)
    added = fold_in(network, store, summary)
    assert added >= 1
    (path,) = network.paths(KATAIB, KHAMENEI)
    assert path.actors == [KATAIB, USA, KHAMENEI]
    assert network.label(KHAMENEI) == "Ali Khamenei"
    assert network.graph.nodes[KHAMENEI]["type"] == "Person"
    sanctions = path.hops[1].events
    assert [(e["source"], e["root"], e["article"]) for e in sanctions] == [
        (USA, "16", SANCTIONS.id)
    ]
    assert sanctions[0]["sentence"] == SANCTIONS.text
    events = network.summary()["events"]
    assert fold_in(network, store, summary) == added  # replaced, not doubled
    assert network.summary()["events"] == events
    assert network.update_events(store, [], []) == 0
    assert edge_keys(network) == edge_keys(ActorNetwork.from_store(store))
    assert_consistent(network)


@pytest.mark.slow
def test_a_second_report_of_an_event_stays_one_edge(store, extractor):
    ingest([SANCTIONS], extractor, store)
    network = ActorNetwork.from_store(store)
    again = Article(id="gw-sanctions-2", text=SANCTIONS.text, date=SANCTIONS.date)
    fold_in(network, store, ingest([again], extractor, store))
    (sanctions,) = network.events_between(USA, KHAMENEI)
    assert sanctions["mentions"] == 2
    assert network.simple(False)[USA][KHAMENEI]["weight"] == 1
    assert edge_keys(network) == edge_keys(ActorNetwork.from_store(store))
    assert_consistent(network)


@pytest.mark.slow
def test_a_corrected_article_replaces_its_events(store, extractor):
    ingest([SANCTIONS], extractor, store)
    network = ActorNetwork.from_store(store)
    assert route(network.paths(KATAIB, KHAMENEI)) == [[KATAIB, USA, KHAMENEI]]
    summary = ingest([CORRECTED], extractor, store, force=True)
    assert summary.events_removed
    fold_in(network, store, summary)
    assert KHAMENEI not in network.graph  # in no event any more: gone, as in a rebuild
    with pytest.raises(NotFoundError):
        network.paths(KATAIB, KHAMENEI)
    assert route(network.paths(KATAIB, ZARIF)) == [[KATAIB, USA, ZARIF]]
    assert network.events_between(USA, KHAMENEI) == []
    assert edge_keys(network) == edge_keys(ActorNetwork.from_store(store))
    assert_consistent(network)


@pytest.mark.slow
def test_update_events_gives_the_same_actors_as_a_rebuild(store, extractor):
    """Actors whose only events have no target (statements) are in a rebuilt network
    but missing from one updated in place."""
    network = ActorNetwork.from_store(store)
    fold_in(network, store, ingest([STATEMENT], extractor, store))
    rebuilt = ActorNetwork.from_store(store)
    missing = sorted(a.rsplit("/", 1)[-1] for a in set(rebuilt.graph) - set(network.graph))
    assert missing == [], f"actors of {STATEMENT.id} missing after update_events"
    assert edge_keys(network) == edge_keys(rebuilt)


@pytest.mark.slow
def test_live_network_updates_in_place_and_rebuilds_when_invalidated(store, extractor):
    live = LiveActorNetwork(store)
    with live.reading() as network:
        before = network
        assert KHAMENEI not in network.graph
    reduce_relations = NetworkFilter(roots=frozenset({"16"}))
    with live.reading(reduce_relations) as filtered:
        assert filtered is not before and filtered.graph.number_of_edges() == 0
    with live.reading(reduce_relations) as again:
        assert again is filtered  # cached until the next change

    summary = ingest([SANCTIONS], extractor, store)
    assert live.events_changed(summary.events_removed, summary.events_written) >= 1
    with live.reading() as network:
        assert network is before
        assert route(network.paths(KATAIB, KHAMENEI)) == [[KATAIB, USA, KHAMENEI]]
    with live.reading(reduce_relations) as filtered_now:
        assert filtered_now is not filtered
        assert list(filtered_now.graph.edges()) == [(USA, KHAMENEI)]

    version = live.version
    live.invalidate()
    assert live.version > version
    with live.reading() as rebuilt:
        assert rebuilt is not before
        assert edge_keys(rebuilt) == edge_keys(before)


def test_resolve_actor_by_id_label_alias_or_iri(reference):
    assert resolve_actor(reference, "USA", BASE) == USA
    assert resolve_actor(reference, "usa", BASE) == USA
    assert resolve_actor(reference, "Washington", BASE) == USA
    assert resolve_actor(reference, "Tehran", BASE) == IRN
    assert resolve_actor(reference, "Kata'ib Hezbollah", BASE) == KATAIB
    assert resolve_actor(reference, "kataib-hezbollah", BASE) == KATAIB
    assert resolve_actor(reference, "person/hashed", BASE) == f"{BASE}actor/person/hashed"
    assert resolve_actor(reference, HASHD, BASE) == HASHD
    assert resolve_actor(reference, "the Pentagon", BASE) == resolve_actor(
        reference, "Pentagon", BASE
    ), "a leading 'the' is not part of the name"
    with pytest.raises(NotFoundError, match="Atlantis"):
        resolve_actor(reference, "Atlantis", BASE)
    with pytest.raises(NotFoundError):
        resolve_actor(reference, 'Iran" } ; DROP ALL ; #', BASE)


# --- centrality and communities ---------------------------------------------------------

#: A star: four groups each turn to Iran, Hezbollah twice.
STAR = [
    edge(HEZBOLLAH, IRN, "hezbollah-1", "042"),
    edge(HEZBOLLAH, IRN, "hezbollah-2", "036"),
    edge(HOUTHIS, IRN, "houthis", "042"),
    edge(HAMAS, IRN, "hamas", "042"),
    edge(IRQ, IRN, "iraq", "042"),
]
STAR_ACTORS = [a for a in ACTORS if a["actor"] in {IRN, HEZBOLLAH, HOUTHIS, HAMAS, IRQ}]


def test_the_hub_of_a_star_ranks_first_by_every_measure():
    network = ActorNetwork.from_events(STAR_ACTORS, STAR)
    degree = centrality(network, "degree")
    assert degree == [
        Ranked(IRN, "Iran", 1.0, 5),
        Ranked(HAMAS, "Hamas", 0.25, 1),
        Ranked(HEZBOLLAH, "Hezbollah", 0.25, 2),
        Ranked(HOUTHIS, "Houthis", 0.25, 1),
        Ranked(IRQ, "Iraq", 0.25, 1),
    ]
    betweenness = centrality(network, "betweenness")
    assert [(r.actor, r.score) for r in betweenness][:2] == [(IRN, 1.0), (HAMAS, 0.0)]
    pagerank = centrality(network, "pagerank")
    assert pagerank[0].actor == IRN
    assert pagerank[0].score > 0.5
    assert [r.score for r in pagerank] == sorted((r.score for r in pagerank), reverse=True)
    assert [r.actor for r in centrality(network, "degree", top=2)] == [IRN, HAMAS]


def test_centrality_of_an_empty_network_and_an_unknown_measure():
    assert centrality(ActorNetwork(), "pagerank") == []
    with pytest.raises(InputError, match="closeness"):
        centrality(ActorNetwork.from_events(STAR_ACTORS, STAR), "closeness")


GULF = {USA, SAU, ARE, BHR}
AXIS = {IRN, SYR, HEZBOLLAH, HOUTHIS}


def clique(members: set[str], code: str) -> list[dict]:
    ordered = sorted(members)
    return [
        edge(a, b, f"{a.rsplit('/', 1)[-1]}-{b.rsplit('/', 1)[-1]}", code)
        for i, a in enumerate(ordered)
        for b in ordered[i + 1 :]
    ]


def test_two_cliques_joined_by_one_event_are_two_communities():
    events = [*clique(GULF, "057"), *clique(AXIS, "061"), edge(USA, IRN, "usa-irn", "190")]
    network = ActorNetwork.from_events(ACTORS, events)
    found = communities(network)
    assert [c.number for c in found] == [1, 2]
    assert {frozenset(c.actors) for c in found} == {frozenset(GULF), frozenset(AXIS)}
    assert {c.actors[0] for c in found} == {USA, IRN}  # the bridge ends are most connected
    assert all(c.events_inside == 6 for c in found)
    assert all(c.labels == [network.label(a) for a in c.actors] for c in found)
    alone = communities(network, min_size=1)[2:]  # the six actors without events
    assert sorted(a for c in alone for a in c.actors) == sorted(
        a["actor"] for a in ACTORS if a["actor"] not in GULF | AXIS
    )
    assert all(len(c.actors) == 1 and c.events_inside == 0 for c in alone)
    assert communities(ActorNetwork()) == []


# --- dyads and timelines -------------------------------------------------------------

DYAD_EVENTS = [
    edge(USA, IRN, "d1", "190", dt.date(2020, 1, 3)),
    edge(IRN, USA, "d2", "195", dt.date(2020, 1, 8)),
    edge(USA, IRQ, "other", "190", dt.date(2020, 1, 10)),
    edge(USA, IRN, "d3", "036", dt.date(2020, 1, 20)),
    edge(IRN, USA, "d4", "111", dt.date(2020, 2, 2)),
    edge(IRN, USA, "d5", "010", None),
]


def test_dyad_counts_by_direction_and_root_and_goldstein_by_month():
    network = ActorNetwork.from_events(ACTORS, DYAD_EVENTS)
    summary = dyad(network, USA, IRN)
    assert summary.actors == (USA, IRN)
    assert summary.labels == ("United States", "Iran")
    assert summary.events == 5
    assert summary.by_direction == {"a->b": 2, "b->a": 3}
    assert summary.by_root == {"01": 1, "03": 1, "11": 1, "19": 2}
    assert summary.goldstein == -18.0
    assert summary.months == [
        DyadMonth("2020-01", events=3, goldstein=-16.0, cooperation=1, conflict=2),
        DyadMonth("2020-02", events=1, goldstein=-2.0, cooperation=0, conflict=1),
    ]
    assert summary.undated == 1
    assert dyad(network, IRN, USA).by_direction == {"a->b": 3, "b->a": 2}
    assert dyad(network, USA, WAPO).events == 0
    with pytest.raises(NotFoundError):
        dyad(network, USA, ACTOR + "atlantis")
    with pytest.raises(InputError, match="two actors"):
        dyad(network, USA, USA)


def test_an_event_of_an_actor_upon_itself_is_counted_once():
    network = ActorNetwork.from_events(ACTORS, [*DYAD_EVENTS, edge(IRN, IRN, "self", "111")])
    assert names(network.events_between(IRN, IRN)) == ["self"]
    assert names(timeline(network, IRN)).count("self") == 1


def test_ego_actors_nearest_first(ego_network):
    assert ego_network.ego_actors(USA, depth=2) == [USA, IRN, IRQ, GBR, HASHD, HEZBOLLAH]
    assert ego_network.ego_actors(USA, depth=2, max_actors=5) == [USA, IRN, IRQ, GBR, HASHD]
    assert set(ego_network.ego(USA, depth=2)) == set(ego_network.ego_actors(USA, depth=2))


def test_timeline_in_date_order_with_undated_events_last():
    network = ActorNetwork.from_events(ACTORS, DYAD_EVENTS)
    rows = timeline(network, USA)
    assert [(names([r])[0], r["role"], r["counterpart"]) for r in rows] == [
        ("d1", "source", IRN),
        ("d2", "target", IRN),
        ("other", "source", IRQ),
        ("d3", "source", IRN),
        ("d4", "target", IRN),
        ("d5", "target", IRN),
    ]
    assert rows[0]["counterpart_label"] == "Iran" and rows[-1]["date"] is None
    window = timeline(network, USA, since=dt.date(2020, 1, 9), until=dt.date(2020, 1, 31))
    assert names(window) == ["other", "d3"]
    assert timeline(network, WAPO) == []
    with pytest.raises(NotFoundError):
        timeline(network, ACTOR + "atlantis")


# --- exports ---------------------------------------------------------------------------


def events_by_name(graph: nx.MultiDiGraph) -> dict[str, tuple[str, str, str | None]]:
    return {
        d["event"].rsplit("/", 1)[-1]: (u, v, d.get("date")) for u, v, d in graph.edges(data=True)
    }


EXPECTED_EVENTS = {
    "k-usa": (KHATAMI, USA, "2020-01-05"),
    "usa-k": (USA, KHATAMI, None),
    "hashd-usa": (HASHD, USA, "2020-01-05"),
    "k-irn": (KHATAMI, IRN, "2020-02-03"),
    "irn-irq": (IRN, IRQ, "2020-02-10"),
    "irq-hashd": (IRQ, HASHD, "2020-02-12"),
}


@pytest.mark.parametrize("format", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back_with_networkx(network, format):
    data = network_bytes(network.graph, format)
    read = nx.read_graphml if format == "graphml" else nx.read_gexf
    graph = read(io.BytesIO(data))
    assert graph.is_directed()
    assert set(graph) == {a["actor"] for a in ACTORS}
    assert graph.nodes[HASHD]["label"] == "al-Ḥashd al-Shaʿbī"
    assert graph.nodes[KHATAMI]["type"] == "Person"
    assert graph.nodes[USA]["country"] == "USA"
    assert graph.number_of_edges() == len(PATH_EVENTS)
    assert events_by_name(graph) == EXPECTED_EVENTS
    (k_usa,) = (d for _, _, d in graph.edges(data=True) if d["event"].endswith("/k-usa"))
    assert (k_usa["code"], k_usa["root"], k_usa["quad_class"]) == ("138", "13", 3)
    assert k_usa["goldstein"] == -7.0 and k_usa["confidence"] == 0.6
    assert k_usa["article"] == "seed" and k_usa["sentence"] == "Sentence of k-usa."


def test_node_link_json_keeps_nulls_and_iso_dates(network):
    data = json.loads(network_bytes(network.graph, "json").decode("utf-8"))
    assert data["directed"] and data["multigraph"]
    nodes = {n["id"]: n for n in data["nodes"]}
    assert set(nodes) == {a["actor"] for a in ACTORS}
    assert nodes[HASHD]["label"] == "al-Ḥashd al-Shaʿbī"
    assert nodes[WAPO] == {
        "id": WAPO,
        "label": "The Washington Post",
        "type": "Media",
        "country": None,
    }
    assert {
        e["event"].rsplit("/", 1)[-1]: (e["source"], e["target"], e["date"]) for e in data["edges"]
    } == EXPECTED_EVENTS
    assert all("key" not in e for e in data["edges"])
    assert node_link(network.graph) == data


def test_an_ego_network_exports_only_its_actors(ego_network):
    graph = nx.read_graphml(
        io.BytesIO(network_bytes(ego_network.ego(USA, max_actors=3), "graphml"))
    )
    assert set(graph) == {USA, IRN, IRQ}
    assert graph.number_of_edges() == 6


# --- plots ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def figure():
    network = ActorNetwork.from_events(ACTORS, EGO_EVENTS)
    return draw_network(network.graph, title="Gulf", centre=GBR, max_actors=4)


def test_plot_saves_png_svg_and_pdf(figure, tmp_path):
    png = save_network_plot(figure, tmp_path / "network.png")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    svg = save_network_plot(figure, tmp_path / "nested" / "network.svg")
    assert "<svg" in svg.read_text(encoding="utf-8")
    assert save_network_plot(figure, tmp_path / "network.PDF").read_bytes().startswith(b"%PDF")


def test_plot_errors(figure, tmp_path):
    with pytest.raises(InputError, match=r"network\.gif"):
        save_network_plot(figure, tmp_path / "network.gif")
    assert not (tmp_path / "network.gif").exists()
    with pytest.raises(InputError):
        save_network_plot(figure, tmp_path / "network")  # no suffix
    with pytest.raises(InputError, match="no actors"):
        draw_network(nx.MultiDiGraph())


def test_igraph_betweenness_equals_networkx_and_louvain_is_repeatable():
    """Betweenness is igraph's, scaled as networkx scales it: the same numbers; Louvain
    (igraph's multilevel method, seeded) gives the same partition every time."""
    from kg.network.metrics import betweenness, louvain

    graph = nx.karate_club_graph()
    graph = nx.relabel_nodes(graph, {n: f"actor-{n}" for n in graph})
    expected = nx.betweenness_centrality(graph)
    assert betweenness(graph) == pytest.approx(expected, abs=1e-12)
    nx.set_edge_attributes(graph, 1, "weight")
    first = louvain(graph)
    assert sorted(a for group in first for a in group) == sorted(graph)
    assert 2 <= len(first) <= 6
    assert [sorted(g) for g in louvain(graph)] == [sorted(g) for g in first]
