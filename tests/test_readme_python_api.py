"""The README's "Python API" example runs and prints what the README shows.

The example is the first ```python block of that section, its output the ``` block
after it; a traceback is shown as its first line, "  ...", and the error's last line.
When the output changes on purpose, paste the new one into the README.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECTION = re.compile(r"^## Python API\n(.*?)(?=^## )", re.MULTILINE | re.DOTALL)
BLOCKS = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def example() -> tuple[str, str]:
    section = SECTION.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert section, "the README has no '## Python API' section"
    blocks = BLOCKS.findall(section.group(1))
    kinds = [kind for kind, _ in blocks]
    assert kinds[:2] == ["python", ""], f"expected a python block and its output, got {kinds}"
    return blocks[0][1], blocks[1][1]


@pytest.mark.slow
def test_the_readme_example_prints_what_the_readme_shows() -> None:
    code, shown = example()
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    printed = done.stdout
    if done.returncode:
        last = done.stderr.strip().splitlines()[-1]
        printed += f"Traceback (most recent call last):\n  ...\n{last}\n"
    assert printed == shown, (
        "the README's Python API example prints something else now; "
        f"paste this under it:\n{printed}"
    )
