"""The browser face of the service: the explorer at ``/``, the SPARQL editor that a
browser gets at ``/sparql``, and ``/docs`` and ``/redoc`` served from the package.

Every script and style sheet is vendored under ``api/static`` (see its
``vendor/README.md``), so all of it works with the network switched off. The
explorer page only calls the REST routes the API already has; what it needs to know
beforehand (the SPARQL prefixes, the CAMEO codes with their quad classes and
Goldstein scores, example queries) is written into the page as JSON when it is served.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from kg.extraction.lexicon import load_cameo_codes
from kg.graph.store import PREFIXES

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "EXAMPLE_QUERIES",
    "STATIC_DIR",
    "explorer_config",
    "router",
    "sparql_editor",
    "static_files",
    "wants_html",
]

STATIC_DIR = Path(__file__).resolve().parent / "static"
_VENDOR = "/static/vendor"
#: Where the page's configuration goes; the JSON is escaped so it cannot close the tag.
_CONFIG_SLOT = "<!--KG_CONFIG-->"

router = APIRouter(include_in_schema=False)

#: The pages load scripts, styles, images and data from this service only, so a page that
#: works here works offline; a vendored script that reaches elsewhere (ReDoc's logo) is
#: stopped by the browser before any request leaves.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)

#: Queries offered as tabs in the SPARQL editor: (tab name, query without prefixes).
EXAMPLE_QUERIES: tuple[tuple[str, str], ...] = (
    (
        "Who fights whom",
        """SELECT ?source ?target ?date ?sentence WHERE {
  ?event a kgo:Event ;
         kgo:eventRoot cameo:19 ;
         kgo:source/skos:prefLabel ?source ;
         kgo:target/skos:prefLabel ?target ;
         kgo:firstMention/kgo:sentence ?sentence .
  OPTIONAL { ?event kgo:eventDate ?date }
}
ORDER BY DESC(?date)
LIMIT 50""",
    ),
    (
        "Events by root",
        """SELECT ?root ?label (COUNT(?event) AS ?events) WHERE {
  ?event a kgo:Event ; kgo:eventRoot ?concept .
  ?concept skos:notation ?root ; skos:prefLabel ?label .
}
GROUP BY ?root ?label
ORDER BY ?root""",
    ),
    (
        "Direct interactions",
        """SELECT ?a ?interaction ?b WHERE {
  ?property rdfs:subPropertyOf kgo:interactsWith .
  ?x ?property ?y .
  ?x skos:prefLabel ?a . ?y skos:prefLabel ?b .
  BIND(STRAFTER(STR(?property), "#") AS ?interaction)
}
LIMIT 100""",
    ),
)


def static_files() -> StaticFiles:
    """The vendored assets and the explorer's own scripts, mounted at ``/static``."""
    return StaticFiles(directory=STATIC_DIR)


@cache
def explorer_config() -> dict:
    """What the pages know before their first request: prefixes, CAMEO codes, examples."""
    codes = load_cameo_codes()
    return {
        "prefixes": PREFIXES,
        "cameo": {
            code: {
                "label": c.label,
                "root": code[:2],
                "quad": c.quad_class,
                "goldstein": c.goldstein,
            }
            for code, c in codes.items()
        },
        "quads": {
            "1": "verbal cooperation",
            "2": "material cooperation",
            "3": "verbal conflict",
            "4": "material conflict",
        },
        "examples": [{"name": name, "query": query} for name, query in EXAMPLE_QUERIES],
    }


@cache
def _page(name: str) -> str:
    config = json.dumps(explorer_config(), ensure_ascii=False).replace("</", "<\\/")
    slot = f'<script type="application/json" id="kg-config">{config}</script>'
    return (STATIC_DIR / name).read_text(encoding="utf-8").replace(_CONFIG_SLOT, slot)


def _offline(page: HTMLResponse, **headers: str) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    page.headers.update(headers)
    return page


@router.get("/", response_class=HTMLResponse)
def explorer() -> HTMLResponse:
    """The explorer: actors, their network, timelines, paths and the evidence."""
    return _offline(HTMLResponse(_page("index.html")))


def wants_html(accept: str | None) -> bool:
    """True when ``Accept`` names ``text/html`` (as browsers do), with a non-zero q-value.

    Protocol clients ask for result formats and never list ``text/html``, so they are
    not affected.
    """
    for item in (accept or "").split(","):
        media_type, *params = (part.strip() for part in item.split(";"))
        if media_type.lower() == "text/html":
            q = next((p.split("=", 1)[1] for p in params if p.lower().startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def sparql_editor() -> HTMLResponse:
    """YASGUI pointed at ``/sparql``, with the project's prefixes and example queries."""
    return _offline(HTMLResponse(_page("sparql.html")), Vary="Accept")


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI from the vendored ``swagger-ui-dist``."""
    page = get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} - Swagger UI",
        swagger_js_url=f"{_VENDOR}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{_VENDOR}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=f"{_VENDOR}/swagger-ui/favicon-32x32.png",
    )
    return _offline(page)


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc from the vendored ``redoc`` bundle, without web fonts."""
    page = get_redoc_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{_VENDOR}/redoc/redoc.standalone.js",
        redoc_favicon_url=f"{_VENDOR}/swagger-ui/favicon-32x32.png",
        with_google_fonts=False,
    )
    return _offline(page)
