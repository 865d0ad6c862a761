"""Every command the README and the docs show with its output runs here, and prints that.

An executed example is a ```console block after a marker naming the store it runs on::

    <!-- example: store=seeds -->
    ```console
    $ kg stats
    ...the output, exactly as printed (trailing spaces dropped)...
    ```

Stores (each built once per session, on disk in a temporary directory):

- ``seeds``: ``kg ingest seeds/``, the store ``make run`` builds, as ``./data/store``
  (the default), so the commands need no ``--store``. An example ``$ kg ingest seeds/``
  on it shows the output of that first ingest.
- ``none``: no store; the commands build what they use (``--store data/x``).
- ``server``: ``kg serve`` over a copy of ``seeds``; ``http://127.0.0.1:8000`` in the
  commands is the server's real address.

Each block runs in a fresh working directory like the repository (its ``seeds/`` and
``ontology/``, and ``data/``), with ``.venv/bin`` first on ``PATH``, no ``KG_`` setting,
``COLUMNS=100`` and no colour; the commands of one block share it (an export, then an
import of what it wrote). A command's output is what it prints on stdout, then on
stderr. A ``console`` block with output but no marker fails the test, so nothing is shown
unchecked.

When an output changes on purpose, ``make docs-examples`` (``python
tests/test_docs_examples.py --update``) writes the new outputs into the files in place.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SHOWN_PORT = "8000"
STORES = ("seeds", "none", "server")
SEEDS_INGEST = "kg ingest seeds/"

#: A console block, with the marker before it if there is one.
BLOCK = re.compile(
    r"(?:^<!-- example: store=(?P<store>[\w-]+) -->\n)?^```console\n(?P<body>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)


def documents() -> list[Path]:
    """The README and every page of the docs site."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@dataclass(frozen=True)
class Step:
    command: str  # as shown, without the "$ "
    output: str  # as shown, lines joined with "\n", no trailing newline


@dataclass(frozen=True)
class Example:
    path: Path
    line: int
    store: str | None
    body: str  # the block's text between the fences, as in the file

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    def steps(self) -> list[Step]:
        return parse_steps(self.body)


def parse_steps(body: str) -> list[Step]:
    """The commands of a console block, each with the lines shown after it."""
    steps: list[tuple[list[str], list[str]]] = []
    lines = body.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("$ "):
            command = [line[2:]]
            while not complete(command) and index + 1 < len(lines):
                index += 1
                command.append(lines[index])
            steps.append((command, []))
        elif steps:
            steps[-1][1].append(line)
        elif line.strip():
            raise ValueError(f"console block starts with output, not a command: {line!r}")
        index += 1
    return [Step("\n".join(c), "\n".join(o).rstrip("\n")) for c, o in steps]


def complete(command: list[str]) -> bool:
    text = "\n".join(command)
    if text.endswith("\\"):
        return False
    try:
        shlex.split(text)
    except ValueError:  # an open quote: the command goes on
        return False
    return True


def examples() -> list[Example]:
    found = []
    for path in documents():
        text = path.read_text(encoding="utf-8")
        for match in BLOCK.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(Example(path, line, match["store"], match["body"]))
    return found


def normalise(text: str, replacements: dict[str, str]) -> str:
    for real, shown in replacements.items():
        text = text.replace(real, shown)
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n".join(lines).strip("\n")


class Stores:
    """The stores the examples run on, built on first use and kept for the session."""

    def __init__(self, stack: ExitStack) -> None:
        self.stack = stack
        self.tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kg-docs-")))
        self.built: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
        self.seeds_store: Path | None = None
        self.first_ingest = ""  # what `kg ingest seeds/` printed when it built "seeds"

    def env(self) -> dict[str, str]:
        """No ``KG_`` setting: the commands use ``./data/store`` as a user's would."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
        env.update(
            PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            COLUMNS="100",
            LINES="50",
            NO_COLOR="1",
            TERM="dumb",
            PYTHONHASHSEED="0",
        )
        return env

    def get(self, store: str) -> tuple[dict[str, str], dict[str, str]]:
        """The environment of ``store``'s commands, and the replacements of its output."""
        if store not in self.built:
            self.built[store] = getattr(self, f"_{store}")()
        return self.built[store]

    def _none(self) -> tuple[dict[str, str], dict[str, str]]:
        return self.env(), {}

    def _seeds(self) -> tuple[dict[str, str], dict[str, str]]:
        where = workdir(self.tmp / "seeds")
        done = subprocess.run(
            ["bash", "-c", SEEDS_INGEST],
            cwd=where,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout
        self.first_ingest = done.stdout
        self.seeds_store = where / "data" / "store"
        return self.env(), {}

    def _server(self) -> tuple[dict[str, str], dict[str, str]]:
        self.get("seeds")
        assert self.seeds_store is not None
        where = workdir(self.tmp / "server")
        shutil.copytree(self.seeds_store, where / "data" / "store")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = str(probe.getsockname()[1])
        log = (self.tmp / "server.log").open("w")
        self.stack.callback(log.close)
        server = subprocess.Popen(
            [str(BIN / "kg"), "serve", "--port", port],
            cwd=where,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.stack.callback(stop, server)
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "kg serve did not start: " + (self.tmp / "server.log").read_text()
                    ) from None
                time.sleep(0.3)
        env = self.env()
        env["KG_DOCS_PORT"] = port
        return env, {f"127.0.0.1:{port}": f"127.0.0.1:{SHOWN_PORT}"}


def workdir(path: Path) -> Path:
    """A working directory like the repository's: its seeds/ and ontology/, and data/."""
    (path / "data").mkdir(parents=True)
    for name in ("seeds", "ontology"):
        os.symlink(ROOT / name, path / name)
    return path


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run(example: Example, stores: Stores) -> list[Step]:
    """Runs the example's commands; their outputs, normalised as shown in the docs."""
    assert example.store in STORES, f"{example.name}: unknown store {example.store!r}"
    env, replacements = stores.get(example.store)
    ran = []
    with tempfile.TemporaryDirectory(prefix="kg-example-") as tmp:
        cwd = workdir(Path(tmp))
        if example.store == "seeds":
            assert stores.seeds_store is not None
            os.symlink(stores.seeds_store, cwd / "data" / "store")
        replacements = {**replacements, str(cwd): "."}
        for step in example.steps():
            command = step.command
            if example.store == "seeds" and command == SEEDS_INGEST:
                ran.append(Step(step.command, normalise(stores.first_ingest, replacements)))
                continue
            if "KG_DOCS_PORT" in env:
                command = command.replace(
                    f"127.0.0.1:{SHOWN_PORT}", f"127.0.0.1:{env['KG_DOCS_PORT']}"
                )
            done = subprocess.run(
                ["bash", "-c", command],
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            # stdout, then stderr: interleaved they would depend on timing
            printed = done.stdout + done.stderr
            ran.append(Step(step.command, normalise(printed, replacements)))
    return ran


def render(steps: list[Step]) -> str:
    parts = []
    for step in steps:
        parts.append(f"$ {step.command}\n")
        if step.output:
            parts.append(step.output + "\n")
    return "".join(parts)


@contextmanager
def session_stores() -> Iterator[Stores]:
    with ExitStack() as stack:
        yield Stores(stack)


@pytest.fixture(scope="module")
def stores() -> Iterator[Stores]:
    with session_stores() as built:
        yield built


EXAMPLES = examples()


def test_the_docs_have_executed_examples() -> None:
    names = {e.path.name for e in EXAMPLES if e.store}
    assert "README.md" in names, "the README shows no executed example"
    assert len([e for e in EXAMPLES if e.store]) >= 10


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_every_console_block_with_output_is_executed(example: Example) -> None:
    if example.store is None:
        shown = [step for step in example.steps() if step.output]
        assert not shown, (
            f"{example.name} shows output of {shown[0].command!r} but is not executed: "
            "put <!-- example: store=seeds|none|server --> before the block"
        )
    else:
        assert example.store in STORES, f"{example.name}: unknown store {example.store!r}"
        assert example.steps(), f"{example.name}: an executed example without a command"


@pytest.mark.slow
@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.store], ids=lambda e: e.name)
def test_the_example_prints_what_the_docs_show(example: Example, stores: Stores) -> None:
    ran = run(example, stores)
    for shown, printed in zip(example.steps(), ran, strict=True):
        assert printed.output == shown.output, (
            f"{example.name}: `{shown.command.splitlines()[0]}` prints something else now; "
            "if that is intended, run `make docs-examples` to update the docs"
        )


def test_the_steps_of_a_block_are_parsed_as_shown() -> None:
    body = (
        "$ kg query 'SELECT ?s\nWHERE { ?s ?p ?o }'\n┏━━┓\n1 row\n"
        "$ curl -X POST http://x \\\n    -d 'a'\n$ kg stats\nstore data/store\n"
    )
    steps = parse_steps(body)
    assert [s.command for s in steps] == [
        "kg query 'SELECT ?s\nWHERE { ?s ?p ?o }'",
        "curl -X POST http://x \\\n    -d 'a'",
        "kg stats",
    ]
    assert [s.output for s in steps] == ["┏━━┓\n1 row", "", "store data/store"]
    assert render(steps) == body


def update() -> int:
    """Writes every executed example's current output into its file; returns how many changed."""
    changed = 0
    with session_stores() as built:
        for example in [e for e in EXAMPLES if e.store]:
            new = render(run(example, built))
            if new == example.body:
                continue
            # re-read just before writing: others may have edited the file meanwhile
            text = example.path.read_text(encoding="utf-8")
            fence = f"```console\n{example.body}```"
            assert text.count(fence) == 1, f"{example.name}: the block changed or repeats"
            example.path.write_text(text.replace(fence, f"```console\n{new}```"), encoding="utf-8")
            print(f"updated {example.name}")
            changed += 1
    return changed


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_docs_examples.py --update")
    print(f"{update()} example(s) updated")
