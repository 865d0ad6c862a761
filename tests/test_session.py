"""The Python API (kg.session) on the seed article: real dtypes, names wherever IRIs
are taken, and the project's own errors for unknown actors and bad filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import kg
from kg.extraction.extractor import RuleExtractor
from kg.graph.store import open_store

SEED = Path(__file__).resolve().parent.parent / "seeds" / "soleimani-2020-01-05.txt"
ACTOR = "https://w3id.org/kg-geo/actor/"
SOLEIMANI = f"{ACTOR}qassem-soleimani"
DATETIME = "datetime64[ns]"


@pytest.fixture(scope="module")
def graph(extractor: RuleExtractor) -> kg.KnowledgeGraph:
    graph = kg.KnowledgeGraph(
        open_store("memory"), kg.Settings(store="memory"), extractor=extractor
    )
    summary = graph.ingest(SEED)
    assert summary.stored == 1 and summary.mentions > 0 and not summary.problems
    return graph


def dtypes(frame: pd.DataFrame) -> dict[str, str]:
    return {column: str(dtype) for column, dtype in frame.dtypes.items()}


def test_events_have_real_dtypes(graph: kg.KnowledgeGraph) -> None:
    events = graph.events()
    assert len(events) > 5
    types = dtypes(events)
    assert types["date"] == types["first_reported"] == types["last_reported"] == DATETIME
    assert types["confidence"] == "float64"
    assert types["mentions"] == types["articles"] == types["sources"] == "int64"
    assert events["date"].is_monotonic_decreasing  # newest first
    assert events["confidence"].between(0, 1).all() and (events["mentions"] >= 1).all()
    strike = events[(events["target"] == SOLEIMANI) & (events["root"] == "19")]
    assert strike["source_label"].tolist() == ["United States"]
    assert strike["date"].between("2020-01-02", "2020-01-05").all()


def test_actors_are_taken_by_name_alias_id_or_iri(graph: kg.KnowledgeGraph) -> None:
    by_iri = graph.events(target=SOLEIMANI)
    assert len(by_iri) >= 1
    for name in ("Qassem Soleimani", "soleimani", "General Soleimani", "qassem-soleimani"):
        assert graph.events(target=name).equals(by_iri), name
    assert graph.resolve("Washington") == graph.resolve("USA") == f"{ACTOR}USA"
    assert graph.actor("Soleimani").id == SOLEIMANI


def test_event_filters_mirror_the_rest_routes(graph: kg.KnowledgeGraph) -> None:
    everything = graph.events()
    by_us = graph.events(actor="United States")
    as_source, as_target = graph.events(source="USA"), graph.events(target="USA")
    assert set(by_us["id"]) == set(as_source["id"]) | set(as_target["id"])
    assert (as_source["source"] == f"{ACTOR}USA").all()
    fights = graph.events(roots=["18", 19])
    assert set(fights["root"]) <= {"18", "19"} and "19" in set(fights["root"])
    assert set(graph.events(code="19")["id"]) == set(everything[everything.root == "19"]["id"])
    sure = graph.events(min_confidence=0.9)
    assert (sure["confidence"] >= 0.9).all()
    assert len(sure) == (everything["confidence"] >= 0.9).sum()
    day = everything["date"].min()  # a Timestamp, a date and a string all work
    window = graph.events(since=day, until=day.date())
    assert len(window) == (everything["date"] == day).sum() > 0
    assert graph.events(since=str(day.date() + dt.timedelta(days=1)))["date"].min() > day
    first_two = graph.events(limit=2)
    assert first_two["id"].tolist() == everything["id"].tolist()[:2]
    assert graph.events(limit=2, offset=2)["id"].tolist() == everything["id"].tolist()[2:4]


def test_bad_filters_are_input_errors(graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(kg.InputError, match="since 2020-02-01 is after until 2020-01-01"):
        graph.events(since="2020-02-01", until="2020-01-01")
    with pytest.raises(kg.InputError, match="'25' is not a CAMEO root"):
        graph.events(roots="25")
    with pytest.raises(kg.InputError, match="must be a date"):
        graph.events(since="last week")
    with pytest.raises(kg.InputError, match="CAMEO code"):
        graph.events(code="fight")
    with pytest.raises(kg.InputError, match=r"min_confidence 2\.0"):
        graph.network(min_confidence=2)
    with pytest.raises(TypeError, match="unknown filter root;"):
        graph.network(root="19")


@pytest.mark.parametrize(
    "ask",
    [
        lambda g: g.actor("Atlantis"),
        lambda g: g.events(source="Atlantis"),
        lambda g: g.events(actor=f"{ACTOR}atlantis"),
        lambda g: g.path("Atlantis", "Soleimani"),
        lambda g: g.network(actor="Atlantis"),
        lambda g: g.timeline("atlantis"),
        lambda g: g.dyad("United States", "Atlantis"),
    ],
)
def test_unknown_actors_are_not_found_errors(graph: kg.KnowledgeGraph, ask) -> None:
    with pytest.raises(kg.NotFoundError, match=r"no actor '.*tlantis' in the store memory"):
        ask(graph)


def test_an_unknown_event_is_not_found(graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(kg.NotFoundError, match="no event"):
        graph.mentions("not-an-event")
    with pytest.raises(kg.NotFoundError, match="no event"):
        graph.mentions("has space")


def test_actors_with_event_counts(graph: kg.KnowledgeGraph) -> None:
    found = graph.actors("Soleimani")
    assert dtypes(found) == {
        "id": "object",
        "label": "object",
        "type": "object",
        "country": "object",
        "events": "int64",
    }
    assert found.set_index("id").loc[SOLEIMANI, "events"] == len(graph.events(actor=SOLEIMANI))
    states = graph.actors(type="State", country="USA")
    assert states["id"].tolist() == [f"{ACTOR}USA"]
    assert states["events"].item() == len(graph.events(actor="USA")) > 3
    assert graph.actors(limit=3)["label"].is_monotonic_increasing
    with pytest.raises(kg.InputError, match="unknown actor type"):
        graph.actors(type="Country")


def test_actor_profile(graph: kg.KnowledgeGraph) -> None:
    profile = graph.actor("Qasem Suleimani")
    assert (profile.label, profile.type, profile.country) == ("Qassem Soleimani", "Person", "IRN")
    assert "Suleimani" in profile.aliases
    assert profile.events_by_root == {"19": 1} and profile.events == 1
    assert profile.counterparts["label"].tolist() == ["United States"]
    assert str(profile.counterparts["events"].dtype) == "int64"


def test_path_with_evidence(graph: kg.KnowledgeGraph) -> None:
    paths = graph.path("Soleimani", "al-Muhandis")
    assert str(paths[0]) == "Qassem Soleimani → United States → Abu Mahdi al-Muhandis"
    evidence = paths[0].evidence
    assert paths[0].hops == 2 and evidence["hop"].tolist() == [1, 2]
    assert str(evidence["date"].dtype) == DATETIME and str(evidence["goldstein"].dtype) == "float64"
    assert set(evidence["code"]) == {"190"}
    assert evidence["sentence"].str.len().min() > 20
    assert graph.path("Soleimani", "al-Muhandis", directed=True) == []


def test_network_with_filters_and_ego(graph: kg.KnowledgeGraph) -> None:
    whole = graph.network()
    assert isinstance(whole, nx.MultiDiGraph)
    assert whole.number_of_edges() == graph.events()["target"].notna().sum()
    fights = graph.network(roots="19")
    assert {d["root"] for *_, d in fights.edges(data=True)} == {"19"}
    assert 0 < fights.number_of_edges() < whole.number_of_edges()
    ego = graph.network(actor="Soleimani", depth=1)
    assert set(ego) == {SOLEIMANI, f"{ACTOR}USA"}
    with pytest.raises(nx.NetworkXError):
        whole.add_edge("a", "b")  # a view: the projection cannot be spoilt


def test_network_metrics_as_frames(graph: kg.KnowledgeGraph) -> None:
    ranked = graph.centrality("degree", top=3)
    assert ranked["label"].iloc[0] == "United States"
    assert dtypes(ranked)["score"] == "float64" and dtypes(ranked)["events"] == "int64"
    groups = graph.communities(min_size=2)
    assert dtypes(groups)["size"] == "int64" and groups["size"].sum() >= 2
    timeline = graph.timeline("Soleimani")
    assert timeline[["role", "counterpart_label", "code"]].values.tolist() == [
        ["target", "United States", "190"]
    ]
    assert str(timeline["date"].dtype) == DATETIME
    assert dtypes(timeline)["quad_class"] == "int64"
    dyad = graph.dyad("US", "Soleimani")
    assert (dyad.events, dyad.by_direction, dyad.goldstein) == (1, {"a->b": 1, "b->a": 0}, -10.0)
    assert dyad.months.to_dict("records") == [
        {
            "month": pd.Timestamp("2020-01-01"),
            "events": 1,
            "cooperation": 0,
            "conflict": 1,
            "goldstein": -10.0,
        }
    ]
    with pytest.raises(kg.InputError, match="unknown centrality"):
        graph.centrality("fame")


def test_mentions_of_an_event(graph: kg.KnowledgeGraph) -> None:
    strike = graph.events(target="Soleimani", roots="19")["id"].item()
    reports = graph.mentions(strike.rsplit("/", 1)[-1])
    assert len(reports) == graph.events(target="Soleimani", roots="19")["mentions"].item()
    assert str(reports["article_date"].dtype) == DATETIME
    assert reports["date_inferred"].dtype == bool
    assert set(reports["article"]) == {"soleimani-2020-01-05"}


def test_sparql_gives_typed_frames_and_booleans(graph: kg.KnowledgeGraph) -> None:
    counts = graph.sparql(
        "SELECT ?root (COUNT(?e) AS ?n) (AVG(?c) AS ?mean) WHERE { ?e a kgo:Event ; "
        "kgo:eventRoot/skos:notation ?root ; kgo:confidence ?c } GROUP BY ?root ORDER BY ?root"
    )
    assert dtypes(counts) == {"root": "object", "n": "int64", "mean": "float64"}
    assert counts["n"].sum() == len(graph.events())
    dated = graph.sparql("SELECT ?e ?d WHERE { ?e a kgo:Event ; kgo:eventDate ?d }")
    assert str(dated["d"].dtype) == DATETIME
    gaps = graph.sparql(
        "SELECT ?e ?n WHERE { ?e a kgo:Event OPTIONAL { ?e kgo:target ?t BIND(1 AS ?n) } }"
    )
    assert str(gaps["n"].dtype) == "Int64" and gaps["n"].isna().any()
    assert graph.sparql("ASK { ?e a kgo:Event ; kgo:target actor:qassem-soleimani }") is True
    assert graph.sparql("ASK { actor:atlantis ?p ?o }") is False
    # a prefix the query declares itself wins over the one kg would add
    own = graph.sparql("PREFIX kgo: <http://example.org/> ASK { ?e a kgo:Event }")
    assert own is False
    triples = graph.sparql(
        "CONSTRUCT { ?e kgo:target ?t } WHERE { ?e a kgo:Event ; kgo:target ?t }"
    )
    assert list(triples.columns) == ["subject", "predicate", "object"]
    assert len(triples) == graph.events()["target"].notna().sum()
    with pytest.raises(kg.StoreError, match="SPARQL syntax error"):
        graph.sparql("SELECT WHERE")


def test_extract_stores_nothing(graph: kg.KnowledgeGraph) -> None:
    before = graph.count()
    text = "The United States killed Qassem Soleimani in a drone strike in Baghdad on Friday."
    events = graph.extract(text, date="2020-01-05")
    assert graph.count() == before
    strike = events[events["root"] == "19"]
    assert strike[["source_label", "target_label"]].values.tolist() == [
        ["United States", "Qassem Soleimani"]
    ]
    assert strike["date"].tolist() == [pd.Timestamp("2020-01-03")]  # Friday before the 5th
    types = dtypes(events)
    assert types["date"] == DATETIME and types["confidence"] == "float64"
    assert types["date_inferred"] == "bool" and types["trigger_start"] == "int64"
    article = kg.Article(id="given", text=text, date=dt.date(2020, 1, 5))
    assert set(graph.extract([article, SEED])["article"]) == {"given", "soleimani-2020-01-05"}
    with pytest.raises(kg.InputError, match="empty"):
        graph.extract("   ")


def test_ingest_again_changes_nothing(graph: kg.KnowledgeGraph) -> None:
    before = graph.count()
    summary = graph.ingest([SEED])
    assert (summary.stored, summary.already_stored) == (0, 1)
    assert graph.count() == before


def test_ingest_counts_unreadable_input(graph: kg.KnowledgeGraph, tmp_path: Path) -> None:
    summary = graph.ingest(tmp_path / "missing.txt")
    assert summary.stored == 0 and len(summary.problems) == 1
    assert "missing.txt" in str(summary.problems[0])


def test_export_load_and_a_store_on_disk(graph: kg.KnowledgeGraph, tmp_path: Path) -> None:
    snapshot = graph.export(tmp_path / "seed.trig")
    directory = tmp_path / "store"
    with kg.open(directory) as copy:
        copy.load(snapshot)
        assert copy.count() == graph.count()
        assert copy.events().equals(graph.events())
    assert copy.__repr__() == "<KnowledgeGraph store='closed'>"
    with pytest.raises(kg.StoreError, match="closed"):
        copy.events()
    with pytest.raises(kg.StoreError, match="closed"):
        copy.network()
    with kg.open(directory, create=False) as again:  # the lock was released
        assert again.count() == graph.count()
    with pytest.raises(kg.StoreError):
        kg.open(tmp_path / "nowhere", create=False)


def test_open_defaults_to_the_configured_store(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KG_STORE", str(tmp_path / "configured"))
    with kg.open() as graph:
        assert graph.settings.store == str(tmp_path / "configured")
        assert repr(graph) == f"<KnowledgeGraph store={str(tmp_path / 'configured')!r}>"
    assert (tmp_path / "configured").is_dir()
    with kg.open(settings=kg.Settings(store="memory")) as graph:
        assert repr(graph) == "<KnowledgeGraph store='memory'>"


def test_an_actor_without_events_is_named_in_the_error(graph: kg.KnowledgeGraph) -> None:
    assert graph.actor("Tehran").events == 0  # in the gazetteer, in no event of the seed
    with pytest.raises(kg.NotFoundError, match=r"the actor 'Tehran' \(.*/IRN\) takes part in no"):
        graph.path("Tehran", "Soleimani")
    with pytest.raises(kg.NotFoundError, match="'Tehran'"):
        graph.timeline("Tehran")
