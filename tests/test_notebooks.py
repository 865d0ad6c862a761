"""The notebooks in notebooks/ run top to bottom and draw their figures.

Each notebook runs with nbclient in a kernel of this interpreter (the venv's
ipykernel), started in notebooks/ as Jupyter Lab starts it, with
``KG_NOTEBOOK_OUTPUT`` pointing at a temporary folder. 01 runs first and leaves the
graph snapshot (``seeds.trig``) that 02 and 03 load, so the articles are parsed once.
The notebooks are committed without outputs, never shell out, and use only ``kg``'s
public API (``import kg`` and the names in ``kg.__all__``).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest
from matplotlib.image import imread
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import kg

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
#: The notebooks in the order they run, and the figures each one saves.
FIGURES = {
    "01-quickstart.ipynb": ["01-events-by-root.png"],
    "02-actor-network.ipynb": ["02-actor-network.png", "02-ego-soleimani.png"],
    "03-timeline.ipynb": ["03-quad-classes.png", "03-dyad-balance.png"],
}
KERNEL = "kg-notebook-test"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDGET = "application/vnd.jupyter.widget-view+json"
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # in the kernel's tracebacks
SHELL_OUT = re.compile(
    r"^\s*(!|%%(bash|sh|script|system)\b|%(system|sx)\b)|\bsubprocess\b|\bos\.system\b"
)

#: ``from kg.x import y``, ``import kg.x`` or ``import kg as k``: reaching past kg's public API.
PRIVATE_IMPORT = re.compile(r"^\s*(from\s+kg\b|import\s+kg\s*\.|import\s+kg\s+as\b)")
KG_NAME = re.compile(r"\bkg\.([A-Za-z_]\w*)")

Run = Callable[[str], tuple[nbformat.NotebookNode, Path]]


def read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def test_every_notebook_is_run_by_this_suite() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(FIGURES)


@pytest.mark.parametrize("name", FIGURES)
def test_notebook_is_committed_without_outputs(name: str) -> None:
    notebook = read(name)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, (
                f"{name}: clear the outputs before committing"
            )
    assert notebook.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("name", FIGURES)
def test_notebook_does_not_shell_out(name: str) -> None:
    for cell in read(name).cells:
        if cell.cell_type == "code":
            for line in cell.source.splitlines():
                assert not SHELL_OUT.search(line), f"{name} shells out: {line}"


@pytest.mark.parametrize("name", FIGURES)
def test_notebook_uses_only_the_public_api(name: str) -> None:
    code = [cell.source for cell in read(name).cells if cell.cell_type == "code"]
    assert any(re.search(r"^import kg$", source, re.MULTILINE) for source in code)
    for source in code:
        for line in source.splitlines():
            assert not PRIVATE_IMPORT.search(line), f"{name} reaches inside kg: {line}"
            for used in KG_NAME.findall(line):
                assert used in kg.__all__, f"{name} uses kg.{used}, not in kg.__all__: {line}"


@pytest.fixture(scope="module")
def run_notebook(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """``run(name)`` executes one notebook; returns it executed and the output folder."""
    root = tmp_path_factory.mktemp("notebooks")
    output = root / "output"
    # A kernel spec naming this interpreter, so the kernel is the venv's whatever
    # "python3" kernels the machine has elsewhere.
    spec = root / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher"]
    kernel = {"argv": [*argv, "-f", "{connection_file}"], "display_name": KERNEL}
    (spec / "kernel.json").write_text(json.dumps(kernel | {"language": "python"}))

    def run(name: str) -> tuple[nbformat.NotebookNode, Path]:
        notebook = read(name)
        client = NotebookClient(
            notebook,
            kernel_name=KERNEL,
            timeout=600,
            resources={"metadata": {"path": str(NOTEBOOKS)}},
        )
        failure = None
        try:
            client.execute()
        except CellExecutionError as error:
            failure = ANSI_COLOUR.sub("", str(error))
        finally:
            nbformat.write(notebook, root / name)
        if failure:
            pytest.fail(f"{name} failed (executed copy: {root / name}):\n{failure}", pytrace=False)
        return notebook, output

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(root / "jupyter"))
        patch.setenv("KG_NOTEBOOK_OUTPUT", str(output))
        yield run


def outputs(notebook: nbformat.NotebookNode, kind: str) -> int:
    """How many outputs of the notebook carry data of this MIME type."""
    return sum(
        kind in output.get("data", {})
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", FIGURES)
def test_notebook_runs_and_draws_its_figures(name: str, run_notebook: Run) -> None:
    notebook, output = run_notebook(name)

    assert (output / "seeds.trig").is_file()  # 01 writes it; 02 and 03 write it if missing
    assert outputs(notebook, "image/png") >= len(FIGURES[name])
    for figure in FIGURES[name]:
        path = output / figure
        assert path.is_file(), f"{name} saved no {figure}"
        assert path.read_bytes().startswith(PNG_SIGNATURE), f"{figure} is not a PNG"
        pixels = imread(path)
        height, width = pixels.shape[:2]
        assert width >= 600 and height >= 400, f"{figure} is {width}x{height}"
        assert pixels[..., :3].std() > 0.05, f"{figure} is blank"
    if name == "02-actor-network.ipynb":
        assert outputs(notebook, WIDGET) == 1  # the interactive ipysigma view
