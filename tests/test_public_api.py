"""The public surface of ``kg``: what ``import kg`` offers, pinned, typed and cheap to import.

Changing this list is changing the API: do it on purpose, in this test too.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
import typing
from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parent.parent

PUBLIC = [
    "Actor",
    "ActorProfile",
    "Article",
    "ConfigurationError",
    "Dyad",
    "Event",
    "IngestSummary",
    "InputError",
    "KGError",
    "KnowledgeGraph",
    "NetworkFilters",
    "NotFoundError",
    "OntologyError",
    "PathResult",
    "Settings",
    "StoreError",
    "draw_network",
    "network_bytes",
    "node_link",
    "open",
    "read_articles",
    "save_network_plot",
]

#: The methods of a KnowledgeGraph that notebooks rely on.
METHODS = [
    "actor",
    "actors",
    "centrality",
    "close",
    "communities",
    "count",
    "dyad",
    "events",
    "export",
    "extract",
    "ingest",
    "load",
    "mentions",
    "network",
    "path",
    "resolve",
    "sparql",
    "timeline",
]


def test_all_is_the_pinned_list() -> None:
    assert kg.__all__ == PUBLIC


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_resolves_and_says_what_it_is(name: str) -> None:
    value = getattr(kg, name)
    assert inspect.getdoc(value), f"kg.{name} has no docstring"
    assert name in dir(kg)


def test_unknown_names_are_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="no attribute 'opne'"):
        kg.opne  # noqa: B018


def test_the_errors_are_the_projects_own_tree() -> None:
    for name in ("ConfigurationError", "InputError", "NotFoundError", "OntologyError"):
        assert issubclass(getattr(kg, name), kg.KGError)
    assert issubclass(kg.StoreError, kg.KGError)


@pytest.mark.parametrize("method", METHODS)
def test_graph_methods_are_typed(method: str) -> None:
    function = getattr(kg.KnowledgeGraph, method)
    # kg.session names IngestSummary only for type checkers (kg.ingest loads spaCy)
    hints = typing.get_type_hints(function, localns={"IngestSummary": kg.IngestSummary})
    assert "return" in hints, f"KnowledgeGraph.{method} has no return type"
    parameters = inspect.signature(function).parameters
    untyped = [p for p in parameters if p != "self" and p not in hints and p != "filters"]
    assert not untyped, f"KnowledgeGraph.{method}: untyped {untyped}"
    assert inspect.getdoc(function)


def test_open_is_typed_and_returns_a_knowledge_graph() -> None:
    hints = typing.get_type_hints(kg.open)
    assert hints["return"] is kg.KnowledgeGraph
    with kg.open("memory") as graph:
        assert isinstance(graph, kg.KnowledgeGraph)


def test_the_package_is_marked_typed() -> None:
    assert (ROOT / "kg" / "py.typed").is_file()


def test_import_and_queries_load_neither_spacy_nor_plotting() -> None:
    """``import kg`` is cheap, and querying a store never loads the spaCy pipeline."""
    script = (
        "import sys, kg\n"
        "heavy = {'spacy', 'pandas', 'matplotlib'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
        "with kg.open('memory') as graph:\n"
        "    assert len(graph.events()) == 0 and len(graph.actors()) == 0\n"
        "    graph.network()\n"
        "assert 'spacy' not in sys.modules\n"
        "assert 'matplotlib' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
