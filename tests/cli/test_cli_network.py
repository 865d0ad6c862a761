"""The network commands as an analyst runs them on the seed article: kg path, network,
plot, centrality, communities, dyad and timeline."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import Result
from typer.testing import CliRunner

from kg.cli.main import app
from kg.graph.store import OxigraphGraphStore
from kg.ingest import ingest
from kg.reading.readers import read_articles

pytestmark = pytest.mark.slow

SEED = Path(__file__).resolve().parents[2] / "seeds" / "soleimani-2020-01-05.txt"
ACTOR = "https://w3id.org/kg-geo/actor/"
USA, KHATAMI, HASHD, TRUMP = (
    ACTOR + name for name in ("USA", "ahmad-khatami", "hashd-al-shaabi", "donald-trump")
)


@pytest.fixture(scope="module")
def store(tmp_path_factory, extractor) -> str:
    """A store on disk holding the seed article (the session's pipeline extracts it)."""
    path = tmp_path_factory.mktemp("cli-network") / "store"
    graph = OxigraphGraphStore(path)
    ingest(read_articles([SEED]), extractor, graph)
    graph.close()
    return str(path)


@pytest.fixture
def kg(store):
    """``kg(*args)``: run a command on the seed store."""

    def kg(*args: str) -> Result:
        return CliRunner().invoke(app, [*args, "--store", store])

    return kg


def test_path_from_khatami_to_hashd_runs_through_the_united_states(kg):
    result = kg("path", "Ahmad Khatami", "Hashed al-Shaabi")
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first == "1. Ahmad Khatami → United States → Hashd al-Shaabi (2 hops)"
    evidence = (
        r"Ahmad Khatami —(010|138)→ United States, 2020-01-05, soleimani-2020-01-05 \(\+1 more\)"
    )
    assert re.search(evidence, result.stdout), result.stdout
    assert "revenge" in result.stdout  # the evidence sentence


def test_path_as_json_carries_the_evidence(kg):
    result = kg("path", "Ahmad Khatami", "Hashed al-Shaabi", "--json", "--k", "2")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert len(found) == 1, "in the seed article only the United States links them"
    assert found[0]["actors"] == [KHATAMI, USA, HASHD]
    assert found[0]["labels"] == ["Ahmad Khatami", "United States", "Hashd al-Shaabi"]
    threat, strike = found[0]["hops"]
    assert {e["code"] for e in threat["events"]} == {"010", "138"}
    assert all(e["source"] == KHATAMI for e in threat["events"])
    convoy = [e for e in strike["events"] if e["source"] == USA and e["code"] == "190"]
    assert convoy and convoy[0]["date"] == "2020-01-04"
    assert "convoy" in convoy[0]["sentence"]


def test_path_filters_and_no_path(kg):
    fights = kg("path", "Ahmad Khatami", "Hashed al-Shaabi", "--root", "19")
    assert fights.exit_code == 1
    assert "no path of at most 4 hops" in fights.output
    threats = kg("path", "Ahmad Khatami", "Hashed al-Shaabi", "--root", "13", "--root", "19")
    assert threats.exit_code == 0, threats.output
    assert "—138→" in threats.stdout and "—010→" not in threats.stdout
    empty = kg("path", "Ahmad Khatami", "Hashed al-Shaabi", "--since", "2021-01-01", "--json")
    assert empty.exit_code == 0 and json.loads(empty.stdout) == []
    directed = kg("path", "Hashed al-Shaabi", "Ahmad Khatami", "--directed", "--json")
    assert directed.exit_code == 0 and json.loads(directed.stdout) == []


def test_path_with_an_unknown_actor_is_a_clear_error(kg):
    result = kg("path", "Atlantis", "United States")
    assert result.exit_code == 2
    assert "no actor named 'Atlantis'" in result.output
    assert "Traceback" not in result.output
    same = kg("path", "USA", "United States")
    assert same.exit_code == 2 and "same actor" in same.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "yesterday"), "'yesterday' is not a date (YYYY-MM-DD)"),
        (("--until", "2020-13-01"), "'2020-13-01' is not a date"),
        (("--since", "2020-02-01", "--until", "2020-01-01"), "is after until"),
        (("--root", "33"), "not a CAMEO root"),
        (("--quad", "5"), "not a quad class"),
    ],
)
def test_bad_filters_are_clear_errors(kg, args, message):
    result = kg("path", "Ahmad Khatami", "Hashed al-Shaabi", *args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_ego_network_as_graphml(kg, tmp_path):
    out = tmp_path / "usa.graphml"
    result = kg("network", "USA", "--format", "graphml", "-o", str(out))
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    assert graph.nodes[USA]["label"] == "United States"
    assert {KHATAMI, HASHD} <= set(graph)
    assert TRUMP not in graph  # two hops away
    assert any((u, v) == (KHATAMI, USA) for u, v in graph.edges())
    assert f"{graph.number_of_nodes()} actors, {graph.number_of_edges()} events" in result.output
    deeper = tmp_path / "usa-2.graphml"
    assert kg("network", "USA", "--depth", "2", "-f", "graphml", "-o", str(deeper)).exit_code == 0
    assert TRUMP in nx.read_graphml(deeper)


def test_whole_network_as_json_and_gexf_on_stdout(kg):
    as_json = kg("network", "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    assert {KHATAMI, USA, HASHD, TRUMP} <= {n["id"] for n in data["nodes"]}
    assert any(
        (e["source"], e["target"], e["code"], e["date"]) == (USA, HASHD, "190", "2020-01-04")
        for e in data["edges"]
    )
    gexf = kg("network", "--format", "gexf")
    assert gexf.exit_code == 0
    graph = nx.read_gexf(io.BytesIO(gexf.stdout_bytes))
    assert graph.number_of_edges() == len(data["edges"])


def test_network_table_and_a_bad_format(kg, tmp_path):
    table = kg("network", "Ahmad Khatami")
    assert table.exit_code == 0, table.output
    assert "ego network of Ahmad Khatami" in table.stdout
    assert "United States" in table.stdout and "Donald Trump" in table.stdout
    out = tmp_path / "khatami.txt"
    assert kg("network", "Ahmad Khatami", "-o", str(out)).exit_code == 0
    assert "ego network of Ahmad Khatami" in out.read_text(encoding="utf-8")
    bad = kg("network", "--format", "xml")
    assert bad.exit_code == 2 and "unknown format 'xml'" in bad.output


def test_plot_writes_a_png(kg, tmp_path):
    out = tmp_path / "x.png"
    result = kg("plot", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    ego = tmp_path / "usa.svg"
    assert kg("plot", "USA", "-o", str(ego)).exit_code == 0
    assert "<svg" in ego.read_text(encoding="utf-8")
    bad = kg("plot", "-o", str(tmp_path / "x.gif"))
    assert bad.exit_code == 2 and "x.gif" in bad.output
    assert not (tmp_path / "x.gif").exists()


def test_centrality_by_pagerank_as_json(kg):
    result = kg("centrality", "--by", "pagerank", "--json")
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.stdout)
    assert ranked[0]["actor"] == USA and ranked[0]["label"] == "United States"
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)
    assert ranked[0]["events"] >= 5
    top = json.loads(kg("centrality", "--by", "degree", "--top", "2", "--json").stdout)
    assert [r["actor"] for r in top][:1] == [USA] and len(top) == 2
    table = kg("centrality", "--by", "betweenness")
    assert table.exit_code == 0 and "top 20 by betweenness" in table.stdout
    assert kg("centrality", "--by", "closeness").exit_code == 2


def test_communities(kg):
    result = kg("communities", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [c["number"] for c in found] == list(range(1, len(found) + 1))
    members = [a for c in found for a in c["actors"]]
    assert len(members) == len(set(members))  # each actor in one community at most
    (usa,) = [c for c in found if USA in c["actors"]]
    assert {HASHD, ACTOR + "qassem-soleimani"} <= set(usa["actors"])  # struck by it alone
    assert usa["actors"][0] == USA and usa["labels"][0] == "United States"
    assert "communities (Louvain)" in kg("communities").stdout


def test_dyad_of_the_united_states_and_khatami(kg):
    result = kg("dyad", "USA", "Ahmad Khatami")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "United States – Ahmad Khatami: 2 events" in text
    assert "Ahmad Khatami → United States: 2" in text
    assert "by root: 01: 1, 13: 1" in text
    assert "2020-01" in text
    summary = json.loads(kg("dyad", "USA", "Ahmad Khatami", "--json").stdout)
    assert summary["by_direction"] == {"a->b": 0, "b->a": 2}
    assert summary["goldstein"] == -7.0
    assert summary["months"] == [
        {"month": "2020-01", "events": 2, "goldstein": -7.0, "cooperation": 1, "conflict": 1}
    ]
    assert kg("dyad", "USA", "Atlantis").exit_code == 2


def test_timeline_of_the_united_states_in_date_order(kg):
    result = kg("timeline", "USA", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates) and dates[0] == "2020-01-04"
    assert rows[0]["counterpart"] == HASHD and rows[0]["role"] == "source"
    assert {(r["role"], r["counterpart"]) for r in rows} >= {("target", KHATAMI)}
    table = kg("timeline", "United States")
    assert table.exit_code == 0
    assert table.stdout.index("2020-01-04") < table.stdout.index("2020-01-05")
    fights = json.loads(kg("timeline", "USA", "--root", "19", "--json").stdout)
    assert fights and all(r["root"] == "19" for r in fights)
    assert len(fights) < len(rows)
