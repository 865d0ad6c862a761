"""One error tree for the whole package.

    KGError                      base of everything kg raises on purpose
    ├── ConfigurationError       a setting, model name or data file is wrong
    ├── InputError               an input file or record cannot be read
    │   └── (carries path and line)
    ├── OntologyError            a gazetteer or lexicon file is malformed
    ├── StoreError               the store cannot be opened, read or written
    ├── NotFoundError            an actor, event or article that the graph does not hold
    ├── ExtractionError          the extraction process died before it answered
    └── QueryError               a query was stopped before it gave an answer
        ├── QueryTimeout         it ran past the time limit (its process was killed)
        ├── QueryTooLarge        it needed more memory than the limit (likewise)
        ├── QueryTooComplex      it crashed the process evaluating it (nesting too deep)
        └── ServerBusy           no query process came free within the time limit

The API maps these to HTTP statuses in one handler; the CLI prints them.
"""

from __future__ import annotations

__all__ = [
    "ConfigurationError",
    "ExtractionError",
    "InputError",
    "KGError",
    "NotFoundError",
    "OntologyError",
    "QueryError",
    "QueryTimeout",
    "QueryTooComplex",
    "QueryTooLarge",
    "ServerBusy",
    "StoreError",
]


class KGError(Exception):
    """Base class of the errors kg raises on purpose."""


class ConfigurationError(KGError):
    """A setting, a model name or a data file path is wrong."""


class InputError(KGError):
    """An input file or record cannot be read (names the file and line)."""

    def __init__(self, message: str, path: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class OntologyError(KGError):
    """A gazetteer, lexicon or other ontology file is malformed."""

    def __init__(self, message: str, path: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class StoreError(KGError):
    """The store cannot be opened, queried or written (names the store and the reason)."""


class NotFoundError(KGError):
    """An actor, event or article the graph does not hold (the API answers 404)."""


class ExtractionError(KGError):
    """The process extracting events died before it answered (kg.extraction.process)."""


class QueryError(KGError):
    """A query was stopped before it gave an answer (kg.graph.query_workers)."""


class QueryTimeout(QueryError):
    """The query ran past the time limit; the process evaluating it was killed."""


class QueryTooLarge(QueryError):
    """The query needed more memory than the limit; the process evaluating it died."""


class QueryTooComplex(QueryError):
    """The query crashed the process evaluating it (mostly: nested too deeply to parse)."""


class ServerBusy(QueryError):
    """Every query process stayed busy for as long as the query could wait."""
