"""The spaCy pipeline: loading the configured model and adding the gazetteer's entity ruler."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import spacy
from spacy.language import Language

from kg.actors.resolution import Gazetteer
from kg.errors import ConfigurationError

__all__ = ["load_pipeline", "split_paragraphs"]

_NER_LABELS = {
    "State": "GPE",
    "Person": "PERSON",
}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def load_pipeline(model: str, gazetteer: Gazetteer | None = None) -> Language:
    """Load ``model`` (a package name or a path) and put the gazetteer's names before NER.

    Names from the gazetteer are matched exactly (case-sensitive), so "US" is the
    United States and "us" is a pronoun.
    """
    try:
        if Path(model).exists():
            nlp = spacy.load(model)
        else:
            importlib.import_module(model)
            nlp = spacy.load(model)
    except (ImportError, OSError) as error:
        raise ConfigurationError(
            f"cannot load spaCy pipeline {model!r} ({error}); install it or set KG_SPACY_MODEL"
        ) from error
    if gazetteer is not None and gazetteer.actors:
        ruler = nlp.add_pipe(
            "entity_ruler",
            name="gazetteer_ruler",
            before="ner",
            config={"overwrite_ents": True, "validate": False},
        )
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(list(_patterns(gazetteer)))
    return nlp


def _patterns(gazetteer: Gazetteer) -> Iterator[dict[str, str]]:
    seen: set[tuple[str, str]] = set()
    for iri, forms in gazetteer.surface_forms.items():
        actor = gazetteer.actors[iri]
        for text, kind in forms:
            label = "NORP" if kind == "demonym" else _NER_LABELS.get(actor.type, "ORG")
            for variant in _variants(text):
                if (variant, iri) in seen:
                    continue
                seen.add((variant, iri))
                yield {"label": label, "pattern": variant, "id": iri}


def _variants(text: str) -> Iterator[str]:
    text = text.strip()
    bare = re.sub(r"^(the|The)\s+", "", text)
    yield bare
    if bare[:1].islower():
        yield bare[:1].upper() + bare[1:]
    if "'" in bare:
        yield bare.replace("'", "’")


def split_paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Paragraphs (split on blank lines) with their character offset in ``text``.

    Parsing paragraphs separately keeps a headline from merging with the first
    paragraph into one sentence.
    """
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        chunk = text[start : match.start()]
        if chunk.strip():
            yield start, chunk
        start = match.end()
    chunk = text[start:]
    if chunk.strip():
        yield start, chunk
