"""The FastAPI application: thin routers over ``kg``, one error handler, one store.

    create_app(settings)   the app; ``kg serve`` and the tests build it this way

The store is opened once at start-up and shared by every request
(``request.app.state.store``); settings are on ``request.app.state.settings``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import explorer, health
from api.network import new_live_graph
from api.params import UNKNOWN_PARAMETER, known_parameters_only
from api.query_pool import start_query_workers
from kg.errors import (
    ConfigurationError,
    ExtractionError,
    InputError,
    KGError,
    NotFoundError,
    QueryError,
    QueryTooComplex,
    ServerBusy,
    StoreError,
)
from kg.extraction.process import ExtractionProcess
from kg.graph.store import Store, open_store
from kg.settings import Settings

__all__ = ["create_app"]

#: Error classes of kg and the HTTP status each becomes (one place, STYLE item 6).
STATUS_OF_ERROR: tuple[tuple[type[KGError], int], ...] = (
    (NotFoundError, 404),
    (InputError, 400),
    (ConfigurationError, 400),
    (StoreError, 400),
    (QueryTooComplex, 400),
    (QueryError, 503),  # over a time or memory limit, or no query process free
    (ExtractionError, 503),  # the extraction process died (it is replaced)
)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The HTTP service over ``store`` (default: the store the settings name)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = store is None
        app.state.store = store if store is not None else open_store(settings.store)
        # the actor network, counts and per-actor aggregates, built in the background
        app.state.live = new_live_graph(app.state.store)
        app.state.network = app.state.live.network
        app.state.live.start()
        # /sparql queries run in killable processes over the on-disk store (None: memory)
        app.state.query_workers = start_query_workers(app.state.store, settings)
        try:
            yield
        finally:
            app.state.live.save()  # the next start loads it (kg.network.snapshot)
            if app.state.query_workers is not None:
                app.state.query_workers.close()
            if isinstance(getattr(app.state, "extractor", None), ExtractionProcess):
                app.state.extractor.close()  # ours, started by POST /articles
            if opened:
                app.state.store.close()

    app = FastAPI(
        title="kg-geopolitics",
        summary="A knowledge graph of geopolitical actors and events, over SPARQL and REST.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc come from api.explorer, with vendored assets
        redoc_url=None,
    )
    app.state.settings = settings
    if origins := [o.strip() for o in settings.cors_origins.split(",") if o.strip()]:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Accept", "Authorization", "Content-Type"],
            expose_headers=["Content-Disposition", "Retry-After"],
            max_age=600,
        )
    if store is not None:
        app.state.store = store
    strict = [Depends(known_parameters_only)]  # REST routes: an unknown parameter is a 400
    app.include_router(health.router, dependencies=strict, responses=UNKNOWN_PARAMETER)
    app.include_router(explorer.router)
    app.mount("/static", explorer.static_files(), name="static")
    for module in _optional_routers():
        protocol = module.__name__ == "api.sparql"  # reads the protocol's parameters itself
        app.include_router(
            module.router,
            dependencies=[] if protocol else strict,
            responses={} if protocol else UNKNOWN_PARAMETER,
        )

    @app.exception_handler(KGError)
    async def kg_error(_request: Request, error: KGError) -> JSONResponse:
        status = next((code for kind, code in STATUS_OF_ERROR if isinstance(error, kind)), 500)
        headers = {"Retry-After": "1"} if isinstance(error, ServerBusy) else None
        body = {"error": type(error).__name__, "detail": str(error)}
        return JSONResponse(body, status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        name = HTTPStatus(error.status_code).phrase.replace(" ", "")
        return JSONResponse(
            {"error": name, "detail": error.detail},
            error.status_code,
            headers=getattr(error, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [  # loc, msg and type too: the body the OpenAPI schema documents
            {
                "where": ".".join(str(part) for part in item["loc"]),
                "problem": item["msg"],
                "loc": list(item["loc"]),
                "msg": item["msg"],
                "type": item["type"],
            }
            for item in error.errors()
        ]
        return JSONResponse({"error": "BadRequest", "detail": problems}, 422)

    return app


def _optional_routers() -> list:
    """The routers; routes under /actors/{id}/... come before /actors/{id}."""
    import importlib

    found = []
    for name in ("sparql", "paths", "network", "actors", "events", "export", "articles"):
        try:
            found.append(importlib.import_module(f"api.{name}"))
        except ModuleNotFoundError as error:
            if error.name != f"api.{name}":
                raise
    return found
