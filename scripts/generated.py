"""Shared by the build scripts: write a generated file, or check it is up to date."""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(out: Path, text: str, check: bool) -> int:
    """Write ``text`` to ``out``; with ``check``, only compare. Returns an exit status."""
    if check:
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            print(f"error: {out} is out of date; rerun without --check", file=sys.stderr)
            return 1
        return 0
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0
