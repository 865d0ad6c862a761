"""The spaCy pipeline: loading the configured model and adding the gazetteer's entity ruler."""

from __future__ import annotations

import ctypes
import importlib
import os
import re
import signal
import sys
from collections.abc import Container, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.actors.resolution import Gazetteer
from kg.errors import ConfigurationError

__all__ = ["load_pipeline", "split_paragraphs"]

_NER_LABELS = {
    "State": "GPE",
    "Person": "PERSON",
}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_INITIAL = re.compile(r"^[A-Z]\.$")


#: prctl's option that asks the kernel for a signal when the parent dies (Linux).
_PR_SET_PDEATHSIG = 1
_forking_pid: int | None = None


def _note_parent() -> None:
    global _forking_pid
    _forking_pid = os.getpid()


def _end_with_parent() -> None:
    """In a forked child (spaCy's workers with ``n_process > 1``): ask the kernel to
    end it when the process that forked it dies. A ``kg ingest`` killed with SIGKILL
    otherwise left its two workers waiting for input forever (260 MB each)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # no prctl here: the child lives as before
        return
    if _forking_pid is not None and os.getppid() != _forking_pid:
        os._exit(1)  # the parent died before the request took effect


if sys.platform.startswith("linux"):  # forks that return to Python: not subprocesses
    os.register_at_fork(before=_note_parent, after_in_child=_end_with_parent)


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
    if "ner" in nlp.pipe_names:
        nlp.add_pipe("kg_join_initials", after="ner")
    return nlp


@Language.component("kg_join_initials")
def join_initials(doc: Doc) -> Doc:
    """Whole names: across a middle initial (the recogniser's "John R." and the gazetteer's
    "Bolton" are "John R. Bolton", the surname keeping its gazetteer id) and up to the
    surname the recogniser left out ("Amy Berman" Jackson); and a state's name after
    "New" is another place ("New Mexico", "New Jersey")."""
    ents = [_with_surname(doc, _new_place(doc, ent)) for ent in doc.ents]
    joined: list[Span] = []
    for ent in ents:
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.label_ == ent.label_ == "PERSON"
            and last.end == ent.start
            and _INITIAL.match(last[-1].text)
        ):
            joined[-1] = Span(doc, last.start, ent.end, label="PERSON", span_id=ent.id_)
            continue
        joined.append(ent)
    if [(e.start, e.end) for e in joined] != [(e.start, e.end) for e in doc.ents]:
        doc.ents = joined
    return doc


def _new_place(doc: Doc, ent: Span) -> Span:
    """ "retreated to New Mexico" was Mexico: the gazetteer's state name, matched inside
    the name of another place, gives that place no state."""
    if not ent.id_ or ent.start == 0 or doc[ent.start - 1].text != "New":
        return ent
    return Span(doc, ent.start - 1, ent.end, label=ent.label_)


def _with_surname(doc: Doc, ent: Span) -> Span:
    """ "Judge Amy Berman Jackson": the recogniser stops at "Amy Berman"; the proper noun
    right after it, which the name's words lean on, is the surname."""
    if ent.label_ != "PERSON" or ent.end >= len(doc):
        return ent
    following = doc[ent.end]
    if (
        following.pos_ == "PROPN"
        and not following.ent_type_
        and following.text[:1].isupper()
        and ent[-1].head.i == following.i
    ):
        return Span(doc, ent.start, ent.end + 1, label="PERSON", span_id=ent.id_)
    return ent


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
    paragraph into one sentence. Work stays bounded per paragraph: one longer than
    `MAX_PARAGRAPH` characters is cut at a line break, a sentence end or a space
    (spaCy refuses texts over 1,000,000 characters, E088), and a run of more than
    `MAX_RUN` characters without a space is cut into pieces of that size (spaCy's
    tokenizer takes time quadratic in such a run: 40,000 quote marks took minutes).
    """
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        yield from _bounded(text, start, match.start())
        start = match.end()
    yield from _bounded(text, start, len(text))


#: Longest piece of text parsed as one document, and longest run without a space.
MAX_PARAGRAPH = 10_000
MAX_RUN = 500
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1}}}")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s")


def _bounded(text: str, pos: int, end: int) -> Iterator[tuple[int, str]]:
    """The non-blank pieces of ``text[pos:end]``, each within the limits above."""
    while pos < end:
        window = min(end, pos + MAX_PARAGRAPH)
        run = _LONG_RUN.search(text, pos, min(end, window + MAX_RUN + 1))
        if run is not None and run.start() == pos:
            cut = pos + MAX_RUN
        elif run is not None and run.start() <= window:
            cut = run.start()
        elif end <= window:
            cut = end
        else:
            cut = _soft_cut(text, pos, window)
        if text[pos:cut].strip():
            yield pos, text[pos:cut]
        pos = cut


def _soft_cut(text: str, pos: int, window: int) -> int:
    """Where to end a piece that must stop by ``window``: after a line break, else
    after a sentence end, else after a space (the window has no long run)."""
    newline = text.rfind("\n", pos, window)
    if newline > pos:
        return newline + 1
    ends = [match.end() for match in _SENTENCE_END.finditer(text, pos, window)]
    if ends:
        return ends[-1]
    space = max(text.rfind(" ", pos, window), text.rfind("\t", pos, window))
    return space + 1 if space > pos else window


def english_words(nlp: Language) -> Container[str]:
    """The words the English lemmatizer knows (its WordNet index of nouns, verbs,
    adjectives and adverbs): a capitalised word outside it is a name ("Pierluisi"), one
    inside it may be a common word at the start of a sentence ("Police")."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    return frozenset(word for pos in ("noun", "verb", "adj", "adv") for word in index.get(pos, ()))
