"""Who held a state's top office on a given day: "the president" in a US article of
2019 is Donald Trump. The table is data (``ontology/incumbents.tsv``, its provenance in
its header); the gazetteer's ids name the holders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kg.errors import OntologyError
from kg.settings import ONTOLOGY_DIR

__all__ = ["Incumbents", "load_incumbents"]


@dataclass(frozen=True)
class _Term:
    actor: str  # gazetteer id, without the base IRI
    start: dt.date
    end: dt.date | None  # the first day of the successor


class Incumbents:
    """Terms of office by (title, country)."""

    def __init__(self, terms: dict[tuple[str, str], list[_Term]]) -> None:
        self._terms = terms
        self.titles = frozenset(title for title, _ in terms)

    def holders(self) -> set[str]:
        """Every id the table names."""
        return {term.actor for terms in self._terms.values() for term in terms}

    def holder(self, title: str, country: str, day: dt.date) -> str | None:
        """The id of whoever held ``title`` in ``country`` on ``day``, if the table knows."""
        for term in self._terms.get((title, country), ()):
            if term.start <= day and (term.end is None or day < term.end):
                return term.actor
        return None


def load_incumbents(path: Path | None = None) -> Incumbents:
    path = path or ONTOLOGY_DIR / "incumbents.tsv"
    terms: dict[tuple[str, str], list[_Term]] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [(n, line) for n, line in enumerate(lines, start=1) if line and line[0] != "#"]
    for number, line in rows[1:]:  # the first row names the columns
        try:
            title, country, actor, start, end = line.split("\t")
            term = _Term(
                actor,
                dt.date.fromisoformat(start),
                dt.date.fromisoformat(end) if end else None,
            )
        except ValueError as error:
            raise OntologyError(
                f"not title, country, actor, from, to: {error}", str(path), number
            ) from error
        terms.setdefault((title, country), []).append(term)
    return Incumbents(terms)
