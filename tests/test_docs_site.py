"""The docs site builds with ``mkdocs build --strict``, offline, and its generated
references list every command and every route there is."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from api.app import create_app
from kg.cli.main import app as cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr}"
    return out


def page(site: Path, name: str) -> str:
    return (site / name / "index.html").read_text(encoding="utf-8")


def test_the_site_loads_nothing_from_elsewhere(site: Path) -> None:
    remote = re.compile(r"""<(?:script|link|img)\b[^>]*(?:src|href)=["']?(?:https?:)?//""")
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 10
    for html in pages:
        text = html.read_text(encoding="utf-8")
        fetched = [m.group(0) for m in remote.finditer(text) if 'rel="canonical"' not in m.group(0)]
        assert not fetched, f"{html.relative_to(site)} loads {fetched[0]}"
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_the_cli_reference_has_every_command(site: Path) -> None:
    html = page(site, "cli")
    for name in typer.main.get_command(cli).commands:
        assert f'id="kg-{name}"' in html, f"kg {name} is missing from the CLI reference"


def test_the_rest_reference_has_every_route(site: Path) -> None:
    html = page(site, "rest-api")
    for route, operations in create_app().openapi()["paths"].items():
        for method in operations:
            assert f"{method.upper()} {route}" in html, f"{method.upper()} {route} is missing"


def test_the_python_reference_has_the_public_api(site: Path) -> None:
    html = page(site, "python-api")
    for name in ("kg.session.open", "kg.session.KnowledgeGraph.events", "kg.errors.NotFoundError"):
        assert f'id="{name}"' in html, f"{name} is missing from the Python API reference"
