"""`python -m kg.cli`: the `kg` command."""

from kg.cli.main import app

app()
