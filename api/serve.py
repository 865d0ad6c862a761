"""``kg serve``: the HTTP service on uvicorn, registered into the ``kg`` command line
through the ``kg.commands`` entry point (so ``kg`` itself never imports FastAPI)."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.markup import escape

from api.app import create_app
from kg.errors import KGError
from kg.graph.store import open_store
from kg.settings import Settings

__all__ = ["register"]

err = Console(stderr=True, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    store: Annotated[str | None, typer.Option("--store", "-s", help="Store spec.")] = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve SPARQL and the REST API over the store."""
    settings = Settings()
    if store:
        settings = settings.model_copy(update={"store": store})
    try:  # opened here, so a locked or missing store is one line, not a startup traceback
        store_opened = open_store(settings.store, create=False)  # `kg ingest` creates it
    except KGError as error:
        err.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(2) from error
    url = f"http://{host}:{port}"
    err.print(f"serving {settings.store} at [bold]{url}[/bold] (API docs: {url}/docs)")
    err.print("try:")
    err.print(f"  curl '{url}/actors?q=soleimani'")
    err.print(f"  curl '{url}/events?source=USA&code=19&limit=3'")
    err.print(
        f"  curl '{url}/sparql' --data-urlencode 'query=SELECT (COUNT(*) AS ?n) "
        "WHERE { ?s ?p ?o }' -H 'Accept: text/csv'"
    )
    try:
        uvicorn.run(create_app(settings, store_opened), host=host, port=port, log_level="info")
    finally:
        store_opened.close()
