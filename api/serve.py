"""``kg serve``: the HTTP service on uvicorn, registered into the ``kg`` command line
through the ``kg.commands`` entry point (so ``kg`` itself never imports FastAPI)."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from api.app import create_app
from kg.settings import Settings

__all__ = ["register"]

err = Console(stderr=True)


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
    url = f"http://{host}:{port}"
    err.print(f"serving {settings.store} at [bold]{url}[/bold] (API docs: {url}/docs)")
    err.print("try:")
    err.print(f"  curl '{url}/actors?q=soleimani'")
    err.print(f"  curl '{url}/events?source=USA&code=19&limit=3'")
    err.print(
        f"  curl '{url}/sparql' --data-urlencode 'query=SELECT (COUNT(*) AS ?n) "
        "WHERE { ?s ?p ?o }' -H 'Accept: text/csv'"
    )
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
