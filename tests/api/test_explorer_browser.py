"""The explorer as a user meets it: headless Chromium against a real ``kg serve``.

The module ingests the seed article into a temporary store, serves it with CORS open to
one other origin, and drives Debian's Chromium (``/usr/bin/chromium``, which ``make
test`` installs) through Playwright's Python client. Every page must work with nothing
but this service: a request to anywhere else fails the test. Screenshots go to
``$SCREENSHOTS_DIR`` (default ``data/screenshots``); the README's come from there.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from kg.graph.store import OxigraphGraphStore
from kg.ingest import ingest
from kg.reading.readers import read_articles

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "soleimani-2020-01-05.txt"
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(os.environ.get("SCREENSHOTS_DIR", ROOT / "data" / "screenshots"))
#: Flags that keep Chromium from calling home: the tests must see only our own requests.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ACTOR = "https://w3id.org/kg-geo/actor/"

pytestmark = pytest.mark.slow

# The page loads its views one request after another; on a loaded CI machine the 5 s
# default for each expectation was seen to run out (the timeline title once arrived late).
expect.set_options(timeout=20_000)


class _OtherOrigin(BaseHTTPRequestHandler):
    """Serves one page that calls the API from another origin (see ``origin_page``)."""

    page = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args: object) -> None:  # keep pytest's output clean
        pass


def _serve_elsewhere() -> Iterator[str]:
    """A second web server on 127.0.0.1: another port is another origin."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _OtherOrigin)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def other_origin() -> Iterator[str]:
    """The origin KG_CORS_ORIGINS allows."""
    yield from _serve_elsewhere()


@pytest.fixture(scope="module")
def third_origin() -> Iterator[str]:
    """An origin the server does not allow."""
    yield from _serve_elsewhere()


@pytest.fixture(scope="module")
def server(tmp_path_factory, extractor, other_origin, kg_serve) -> str:
    path = tmp_path_factory.mktemp("explorer") / "store"
    with OxigraphGraphStore(path) as store:
        ingest(read_articles([SEED]), extractor, store)
    url, _process = kg_serve(path, KG_CORS_ORIGINS=other_origin)
    return url


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():  # a failure, never a skip: `make test` installs it
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A fresh page that records every request leaving for elsewhere than the service.

    Requests the page's Content-Security-Policy stopped inside the browser (ReDoc's
    logo) never reach the network, so they are allowed.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def leaving(request) -> None:
        if not request.url.startswith((server, "data:", "blob:")):
            outside.append(request.url)

    def failed(request) -> None:
        if request.url in outside and request.failure in ("csp", "net::ERR_BLOCKED_BY_CSP"):
            outside.remove(request.url)

    page.on("request", leaving)
    page.on("requestfailed", failed)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not outside, f"the page reached outside the service: {outside}"
    assert not errors, f"script errors: {errors}"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _click_edge(page: Page, a: str, b: str) -> None:
    """Click the middle of the drawn edge between two actors, as a user would, once the
    layout has come to rest (a click while nodes still move can land on a node)."""
    midpoint = """([a, b]) => {
          const cy = window.kgExplorer.cy;
          const key = a < b ? `${a}|${b}` : `${b}|${a}`;
          const edge = cy.edges().filter((e) => e.data("key") === key)[0];
          const box = cy.container().getBoundingClientRect();
          const mid = edge.renderedMidpoint();
          return { x: box.left + mid.x, y: box.top + mid.y };
        }"""
    point = page.evaluate(midpoint, [a, b])
    for _ in range(50):  # at most 10 s
        page.wait_for_timeout(200)
        again = page.evaluate(midpoint, [a, b])
        if abs(again["x"] - point["x"]) < 0.5 and abs(again["y"] - point["y"]) < 0.5:
            break
        point = again
    page.mouse.click(point["x"], point["y"])


def test_search_open_actor_and_read_the_edge(page: Page, server: str):
    page.goto(f"{server}/")
    expect(page.locator("#status")).to_contain_text("14 events")
    expect(page.locator("#status")).to_contain_text("store:")
    page.locator("#search").press_sequentially("Soleim", delay=40)
    suggestion = page.locator("#search-results li[data-i]").first
    expect(suggestion).to_contain_text("Qassem Soleimani")
    expect(suggestion).to_contain_text("Person")
    suggestion.click()

    expect(page.locator("#actor-label")).to_have_text("Qassem Soleimani")
    expect(page.locator("#profile")).to_contain_text("IRN")
    expect(page.locator("#profile .roots")).to_contain_text("Fight")
    expect(page.locator("#profile .counterparts")).to_contain_text("United States")
    assert "actor=qassem-soleimani" in page.url
    page.wait_for_function("window.kgExplorer && window.kgExplorer.cy.nodes().length >= 2")
    labels = page.evaluate("window.kgExplorer.cy.nodes().map((n) => n.data('label'))")
    assert {"Qassem Soleimani", "United States"} <= set(labels)
    expect(page.locator("#timeline svg.chart rect.bar").first).to_be_visible()

    _click_edge(page, f"{ACTOR}USA", f"{ACTOR}qassem-soleimani")
    event = page.locator("#evidence-list li.event").first
    expect(event).to_contain_text("United States → Qassem Soleimani")
    sentence = event.locator(".event-head + blockquote.sentence")
    expect(sentence).to_contain_text("before striking the Islamic Revolutionary Guard Corps")
    expect(sentence.locator("mark.trigger")).to_have_text("striking")
    expect(event).to_contain_text("190")
    expect(event).to_contain_text("2020-01-05")
    expect(event).to_contain_text("Qassem Soleimani killing")  # the article's title
    event.locator("button.reports").click()
    expect(event.locator(".mentions > li")).to_have_count(2)
    expect(page.locator("#timeline-title")).to_contain_text("net Goldstein -10.0")
    assert re.search(r"edge=USA(%7C|\|)qassem-soleimani", page.url)
    _shot(page, "explorer-actor")

    # the URL is the view: opening it again shows the same edge's evidence
    page.goto(page.url)
    expect(page.locator("#evidence-list mark.trigger").first).to_have_text("striking")


def test_search_narrowed_by_type_and_country(page: Page, server: str):
    page.goto(f"{server}/")
    page.locator("#search").fill("type:Person country:IRQ")
    found = page.locator("#search-results li[data-i]")
    expect(found.filter(has_text="Abu Mahdi al-Muhandis")).to_have_count(1)
    for text in found.all_inner_texts():
        assert "Person · IRQ" in text


def test_filters_live_in_the_url(page: Page, server: str):
    page.goto(f"{server}/?actor=USA&quad=4&min_confidence=0.5")
    expect(page.locator("#actor-label")).to_have_text("United States")
    expect(page.locator("#filters input[name=quad][value='4']")).to_be_checked()
    page.wait_for_function("window.kgExplorer && window.kgExplorer.cy.edges().length > 0")
    kinds = page.evaluate("window.kgExplorer.cy.edges().map((e) => e.data('kind'))")
    assert set(kinds) == {"conflict"}  # material conflict only: no statement edge left
    page.locator("#filters input[name=since]").fill("2020-01-05")
    page.locator("#filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"since=2020-01-05"))
    assert "quad=4" in page.url


def test_an_unknown_actor_says_so(page: Page, server: str):
    page.goto(f"{server}/?actor=no-such-actor")
    expect(page.locator("#profile .error")).to_contain_text("no-such-actor")


def test_path_finder(page: Page, server: str):
    page.goto(f"{server}/?actor=ahmad-khatami")
    expect(page.locator("#actor-label")).to_have_text("Ahmad Khatami")
    for field, typed, expected in (
        ("#path-from", "Khatami", "Ahmad Khatami"),
        ("#path-to", "Hashd", "Hashd al-Shaabi"),
    ):
        page.locator(field).press_sequentially(typed, delay=40)
        choice = page.locator(f"{field} + ul li[data-i]").first
        expect(choice).to_contain_text(expected)
        choice.click()
    page.locator("#path-go").click()
    first = page.locator("#path-result .path").first
    expect(first.locator(".path-head")).to_contain_text(
        "Ahmad Khatami → United States → Hashd al-Shaabi"
    )
    expect(first).to_contain_text("2 hops")
    expect(first.locator(".hop").first).to_contain_text("we will take a revenge")
    drawn = page.evaluate("window.kgExplorer.cy.nodes('.path').map((n) => n.data('label'))")
    assert set(drawn) == {"Ahmad Khatami", "United States", "Hashd al-Shaabi"}
    assert "path=ahmad-khatami" in page.url
    _shot(page, "explorer-path")

    page.goto(f"{server}/?path=ahmad-khatami|hashd-al-shaabi")  # no actor open: the path alone
    expect(page.locator("#path-result .path-head").first).to_contain_text("United States")
    drawn = page.evaluate("window.kgExplorer.cy.nodes('.path').length")
    assert drawn == 3


def test_sparql_editor_runs_a_query(page: Page, server: str):
    page.goto(f"{server}/sparql")
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()
    expect(page.locator(".yasqe")).to_contain_text("PREFIX kgo:")
    expect(page.locator(".tabsList")).to_contain_text("Events by root")
    page.locator(".yasqe_queryButton").click()
    table = page.locator(".yasr table")
    expect(table).to_contain_text("Hashd al-Shaabi")
    expect(table).to_contain_text("Qassem Soleimani")
    _shot(page, "sparql-editor")


def test_sparql_protocol_clients_unaffected(server: str):
    assert httpx.get(f"{server}/sparql").status_code == 400  # no query: a protocol error
    browser_get = httpx.get(f"{server}/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser_get.headers["content-type"].startswith("text/html")
    asked = httpx.get(
        f"{server}/sparql",
        params={"query": "ASK {}"},
        headers={"Accept": "text/html,application/sparql-results+json;q=0.9"},
    )
    assert asked.json()["boolean"] is True


def test_api_docs_offline(page: Page, server: str):
    page.goto(f"{server}/docs")
    expect(page.locator(".swagger-ui .opblock-summary-path").first).to_be_visible()
    expect(page.locator(".swagger-ui")).to_contain_text("/actors/{actor_id}/network")
    _shot(page, "api-docs")
    page.goto(f"{server}/redoc")
    expect(page.locator(".api-content")).to_contain_text("kg-geopolitics")


ORIGIN_PAGE = """<!doctype html><meta charset="utf-8"><title>another site</title>
<pre id="out">waiting</pre>
<script>
(async () => {
  const out = document.getElementById("out");
  try {
    const actors = await (await fetch("%(api)s/actors?q=Soleimani")).json();
    const answer = await fetch("%(api)s/sparql", {
      method: "POST",
      headers: {"Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json"},
      body: "ASK { ?s ?p ?o }",
    });
    out.textContent = actors[0].label + " / " + (await answer.json()).boolean;
  } catch (error) {
    out.textContent = "refused: " + error;
  }
})();
</script>"""


def _origin_says(browser: Browser, origin: str) -> str:
    """What the page served at ``origin`` got from the API."""
    context = browser.new_context()
    try:
        other = context.new_page()
        other.goto(f"{origin}/")
        expect(other.locator("#out")).not_to_have_text("waiting")
        return other.locator("#out").inner_text()
    finally:
        context.close()


def test_cors_lets_the_allowed_origin_call_the_api(
    browser: Browser, server: str, other_origin: str, third_origin: str
):
    _OtherOrigin.page = (ORIGIN_PAGE % {"api": server}).encode()
    # a GET, and a POST whose content type needs a preflight
    assert _origin_says(browser, other_origin) == "Qassem Soleimani / true"
    assert _origin_says(browser, third_origin).startswith("refused: TypeError")

    preflight = httpx.options(
        f"{server}/sparql",
        headers={"Origin": other_origin, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == other_origin


def test_cors_is_off_by_default():
    from fastapi.testclient import TestClient

    from api.app import create_app
    from kg.graph.store import open_store
    from kg.settings import Settings

    with open_store("memory") as store, TestClient(create_app(Settings(), store)) as client:
        origin = {"Origin": "http://elsewhere.example"}
        assert "access-control-allow-origin" not in client.get("/health", headers=origin).headers
        asked = {**origin, "Access-Control-Request-Method": "GET"}
        assert client.options("/actors", headers=asked).status_code == 405
