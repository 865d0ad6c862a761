"""`python -m kg.cli.main`: the `kg` command."""

from kg.cli.main.main import app

app()
