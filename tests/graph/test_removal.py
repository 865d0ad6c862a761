"""Removing an article gives the store that never ingested it (issue 15, deliverable 4).

The seeds are ingested once; each test works on a copy loaded from their N-Quads.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import NotFoundError
from kg.graph.removal import missing_articles, remove_articles
from kg.graph.store import OxigraphGraphStore
from kg.ingest import ensure_reference_graphs, ingest
from kg.models import Article
from kg.network.live import LiveActorNetwork
from kg.network.projection import ActorNetwork
from kg.reading.readers import read_articles
from kg.settings import Settings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
BASE = Settings().base_iri
KGO = "PREFIX kgo: <https://w3id.org/kg-geo/ontology#>\n"
#: Articles ranked by how many of their events other articles report too.
SHARING = (
    KGO
    + """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?id (COUNT(DISTINCT ?e) AS ?shared) WHERE {
  ?e kgo:articleCount ?n ; kgo:hasMention ?m . FILTER(?n > 1)
  ?m prov:wasDerivedFrom/dcterms:identifier ?id
} GROUP BY ?id ORDER BY DESC(?shared) ?id"""
)


def nquads(store: OxigraphGraphStore) -> list[str]:
    out = io.BytesIO()
    store.dump(out, "nquads")
    return sorted(out.getvalue().decode("utf-8").splitlines())


def copy_of(data: bytes) -> OxigraphGraphStore:
    store = OxigraphGraphStore(None)
    store.oxigraph.load(data, format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    found = [a for a in read_articles([SEEDS]) if isinstance(a, Article)]
    assert len(found) == 74
    return found


@pytest.fixture(scope="module")
def all_seeds(extractor, articles) -> bytes:
    store = OxigraphGraphStore(None)
    assert ingest(articles, extractor, store).stored == 74
    out = io.BytesIO()
    store.dump(out, "nquads")
    return out.getvalue()


@pytest.fixture(scope="module")
def shared(all_seeds) -> str:
    """The article whose events other articles report most: Gulf Wire on 3 January."""
    rows = copy_of(all_seeds).select(SHARING)
    assert int(rows[0]["shared"] or 0) >= 3
    return rows[0]["id"] or ""


def test_removing_an_article_equals_never_ingesting_it(extractor, articles, all_seeds, shared):
    store = copy_of(all_seeds)
    counts = KGO + "SELECT ?e ?n WHERE { ?e kgo:articleCount ?n }"
    before = {r["e"]: int(r["n"] or 0) for r in store.select(counts)}

    summary = remove_articles(store, [shared], BASE)

    never = OxigraphGraphStore(None)
    ingest([a for a in articles if a.id != shared], extractor, never)
    assert nquads(store) == nquads(never)
    # events it shared with others stay, recomputed: reported by fewer articles (or as
    # many, when a loose report of another article joins in its place)
    after = {r["e"]: int(r["n"] or 0) for r in store.select(counts)}
    assert summary.events_written and summary.events_written <= set(after)
    kept = [e for e in summary.events_written if e in before]
    assert any(after[e] == before[e] - 1 for e in kept)
    assert summary.events_removed and not summary.events_removed & set(after)
    assert summary.mentions > 0 and summary.articles == [shared]
    assert not store.has_graph(f"{BASE}graph/article/{shared}")


def test_removing_twice_or_an_unknown_id_changes_nothing(all_seeds, shared):
    store = copy_of(all_seeds)
    remove_articles(store, [shared], BASE)
    once = nquads(store)
    with pytest.raises(NotFoundError, match=f"no article stored with id '{shared}'"):
        remove_articles(store, [shared], BASE)
    with pytest.raises(NotFoundError, match="'no-such-article'; nothing removed"):
        remove_articles(store, ["soleimani-2020-01-05", "no-such-article"], BASE)
    assert nquads(store) == once
    assert missing_articles(store, ["soleimani-2020-01-05", shared], BASE) == [shared]


def test_reingesting_a_removed_article_restores_the_store(extractor, articles, all_seeds, shared):
    store = copy_of(all_seeds)
    remove_articles(store, [shared], BASE)
    summary = ingest(articles, extractor, store)
    assert (summary.stored, summary.already_stored) == (1, 73)
    assert nquads(store) == nquads(copy_of(all_seeds))


def test_removing_every_article_leaves_only_the_reference_graphs(articles, all_seeds):
    store = copy_of(all_seeds)
    ids = [a.id for a in articles]
    remove_articles(store, ids[:10], BASE)  # several at once, then the rest one by one
    for article_id in ids[10:]:
        remove_articles(store, [article_id], BASE)
    empty = OxigraphGraphStore(None)
    ensure_reference_graphs(empty, BASE)
    assert nquads(store) == nquads(empty)  # no event, no report, no minted actor is left


def test_the_live_network_follows_a_removal_in_place(all_seeds, shared):
    store = copy_of(all_seeds)
    live = LiveActorNetwork(store)
    with live.reading() as network:
        before = network.summary()
        built = network
    summary = remove_articles(store, [shared], BASE)
    live.events_changed(summary.events_removed, summary.events_written, summary.actors)

    rebuilt = ActorNetwork.from_store(store)
    with live.reading() as network:
        assert network is built  # updated, not rebuilt
        assert dict(network.graph.nodes(data=True)) == dict(rebuilt.graph.nodes(data=True))
        assert sorted(network.graph.edges(keys=True, data=True)) == sorted(
            rebuilt.graph.edges(keys=True, data=True)
        )
        assert nx_weights(network) == nx_weights(rebuilt)
        assert network.summary() != before


def nx_weights(network: ActorNetwork) -> tuple[list, list]:
    directed = sorted(network.simple(True).edges(data="weight"))
    undirected = sorted(
        (*sorted((a, b)), w) for a, b, w in network.simple(False).edges(data="weight")
    )
    return directed, undirected
