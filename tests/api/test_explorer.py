"""The explorer's pages without a browser: what they are made of and where it comes from.

The browser drives them in ``test_explorer_browser.py``; these checks are quick and
say which file is wrong when a page would not work offline.
"""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.explorer import CONTENT_SECURITY_POLICY, STATIC_DIR, wants_html
from kg.graph.store import OxigraphGraphStore
from kg.settings import Settings

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
#: src= and href= of a page's scripts, style sheets and icons.
LOADED = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"')


@pytest.fixture(scope="module")
def client() -> TestClient:
    with TestClient(create_app(Settings(), OxigraphGraphStore(None))) as client:
        yield client


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (BROWSER_ACCEPT, True),
        ("text/html", True),
        ("TEXT/HTML; charset=utf-8", True),
        ("text/html;q=0, application/json", False),
        ("application/sparql-results+json", False),
        ("*/*", False),
        (None, False),
        ("text/html;q=bad", False),
    ],
)
def test_wants_html_only_when_html_is_named(accept, html):
    assert wants_html(accept) is html


@pytest.mark.parametrize("path", ["/", "/sparql", "/docs", "/redoc"])
def test_pages_load_only_what_the_package_ships(client, path):
    page = client.get(path, headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    loaded = LOADED.findall(page.text)
    assert loaded, "a page without scripts or styles"
    for url in loaded:
        assert url.startswith("/static/"), f"{path} loads {url} from elsewhere"
        assert client.get(url).status_code == 200, f"{path} loads {url}, which is missing"
    assert "fonts.googleapis" not in page.text and "cdn.jsdelivr" not in page.text


def test_every_vendored_library_has_its_licence():
    folders = [p for p in (STATIC_DIR / "vendor").iterdir() if p.is_dir()]
    assert {p.name for p in folders} == {"cytoscape", "yasgui", "swagger-ui", "redoc"}
    for folder in folders:
        assert (folder / "LICENSE").stat().st_size > 500, folder.name


def test_the_pages_carry_prefixes_cameo_and_examples(client):
    page = client.get("/").text
    slot = re.search(r'<script type="application/json" id="kg-config">(.*?)</script>', page, re.S)
    config = json.loads(slot.group(1))
    assert config["prefixes"]["kgo"] == "https://w3id.org/kg-geo/ontology#"
    assert config["cameo"]["19"] == {"label": "Fight", "root": "19", "quad": 4, "goldstein": -10.0}
    assert config["cameo"]["010"]["quad"] == 1
    assert {e["name"] for e in config["examples"]} >= {"Who fights whom", "Events by root"}


def test_example_queries_run(client):
    page = client.get("/sparql", headers={"Accept": "text/html"}).text
    config = json.loads(re.search(r'id="kg-config">(.*?)</script>', page, re.S).group(1))
    prefixes = "".join(f"PREFIX {k}: <{v}>\n" for k, v in config["prefixes"].items())
    for example in config["examples"]:
        answer = client.post("/sparql", data={"query": prefixes + example["query"]})
        assert answer.status_code == 200, (example["name"], answer.text)


def test_sparql_editor_only_for_a_browser_without_a_query(client):
    assert client.get("/sparql").status_code == 400  # the protocol's answer to no query
    editor = client.get("/sparql", headers={"Accept": BROWSER_ACCEPT})
    assert "yasgui.min.js" in editor.text and editor.headers["vary"] == "Accept"
    answer = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": BROWSER_ACCEPT})
    assert answer.headers["content-type"].startswith("application/xml")  # results, not the editor
    assert "<boolean>true</boolean>" in answer.text
    assert client.post("/sparql", headers={"Accept": "text/html"}).status_code == 415


def test_explorer_routes_stay_out_of_the_api_schema(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert not {"/", "/docs", "/redoc"} & set(paths)
    assert "/sparql" in paths
