"""The trigger lexicon: verb and noun lemmas (with optional context words) to CAMEO codes.

Data lives in ``ontology/``: ``cameo-triggers.tsv`` (triggers), ``cameo-codes.tsv``
(the CAMEO scheme) and ``extraction-cues.yaml`` (word lists the rules use).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from kg.actors.resolution import normalise
from kg.errors import OntologyError
from kg.settings import ONTOLOGY_DIR

__all__ = [
    "NO_EVENT",
    "CameoCode",
    "Cues",
    "Lexicon",
    "TriggerMatch",
    "load_cues",
    "load_lexicon",
]

#: The code of a lexicon row that makes its context no event ("fight for justice").
NO_EVENT = "none"


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    """The lexicon's answer for one trigger: its code and the context words that chose it."""

    lemma: str
    pos: str
    code: str
    context: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One concept of the CAMEO event scheme."""

    code: str
    label: str
    parent: str | None
    goldstein: float
    quad_class: int


class Lexicon:
    """Maps (part of speech, lemma, context lemmas) to the most specific CAMEO code."""

    def __init__(self, rows: Iterable[tuple[str, str, tuple[str, ...], str]]) -> None:
        self._entries: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for pos, lemma, context, code in rows:
            self._entries[(pos, lemma)].append((context, code))
        # Context words each trigger can use, to skip the rows that cannot match.
        self._words: dict[tuple[str, str], frozenset[str]] = {
            key: frozenset(w for context, _ in entries for w in context)
            for key, entries in self._entries.items()
        }
        for entries in self._entries.values():
            # Longest context first, so the most specific reading wins; of two as long,
            # one that names a thing before one of particles only ("broke off diplomatic
            # relations" is "break relation", 161, not "break off", 130).
            entries.sort(key=lambda entry: (-len(entry[0]), _particles(entry[0]), entry[0]))

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._entries.values())

    def has(self, pos: str, lemma: str) -> bool:
        return (pos, lemma) in self._entries

    def lemmas(self, pos: str) -> set[str]:
        return {lemma for (p, lemma) in self._entries if p == pos}

    def lookup(self, pos: str, lemma: str, context: Iterable[str] = ()) -> TriggerMatch | None:
        """The code of ``lemma`` given the lemmas around it, or None if it is no trigger."""
        entries = self._entries.get((pos, lemma))
        if not entries:
            return None
        present = self._words[(pos, lemma)].intersection(context)
        for needed, code in entries:
            if len(needed) <= len(present) and present.issuperset(needed):
                return None if code == NO_EVENT else TriggerMatch(lemma, pos, code, needed)
        return None


#: Particles and prepositions of the lexicon's contexts ("call off", "step up", "call on").
_PARTICLES = frozenset(
    {"off", "up", "down", "out", "in", "on", "to", "with", "for", "from", "against", "at",
     "over", "into", "back", "away", "by", "of", "about", "upon", "through"}
)  # fmt: skip


def _particles(context: tuple[str, ...]) -> bool:
    return bool(context) and all(word in _PARTICLES for word in context)


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Read ``cameo-triggers.tsv`` (columns: pos, lemma, context, code)."""
    path = path or ONTOLOGY_DIR / "cameo-triggers.tsv"
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if fields[0] == "pos":
                continue
            if len(fields) < 4:
                raise OntologyError(
                    f"expected 4 tab-separated columns, got {len(fields)}", str(path), number
                )
            pos, lemma, context, code = (field.strip() for field in fields[:4])
            if pos not in ("VERB", "NOUN") or not (code.isdigit() or code == NO_EVENT):
                raise OntologyError(f"bad row {fields[:4]!r}", str(path), number)
            rows.append((pos, lemma.lower(), tuple(context.lower().split()), code))
    return Lexicon(rows)


def load_cameo_codes(path: Path | None = None) -> dict[str, CameoCode]:
    """Read ``cameo-codes.tsv`` (columns: code, label, parent, goldstein, quad_class)."""
    path = path or ONTOLOGY_DIR / "cameo-codes.tsv"
    codes: dict[str, CameoCode] = {}
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t"):
            codes[row["code"]] = CameoCode(
                code=row["code"],
                label=row["label"],
                parent=row["parent"] or None,
                goldstein=float(row["goldstein"]),
                quad_class=int(row["quad_class"]),
            )
    return codes


@dataclass(frozen=True, slots=True)
class Cues:
    """Word lists from ``extraction-cues.yaml`` that steer the extraction rules."""

    reporting_verbs: frozenset[str]
    statement_code: str
    demand_code: str
    refusal_code: str
    obligation_auxiliaries: frozenset[str]
    threat_verbs: frozenset[str]
    intent_verbs: frozenset[str]
    intent_adjectives: frozenset[str]
    future_auxiliaries: frozenset[str]
    hypothetical_auxiliaries: frozenset[str]
    light_verbs: frozenset[str]
    killing_lemmas: frozenset[str]
    obstruction_lemmas: frozenset[str]
    obstruction_code: str
    rioting_lemmas: frozenset[str]
    riot_code: str
    non_factual_verbs: frozenset[str]
    non_factual_adjectives: frozenset[str]
    unrealised_modifiers: frozenset[str]
    appointment_verbs: frozenset[str]
    legislator_nouns: frozenset[str]
    body_head_words: frozenset[str]
    allegation_verbs: frozenset[str]
    negation_words: frozenset[str]
    target_prepositions: frozenset[str]
    location_prepositions: frozenset[str]
    agent_nouns: dict[str, str]  # noun -> sector
    weapon_nouns: frozenset[str]
    collective_nouns: frozenset[str]
    place_nouns: frozenset[str]
    stance_nouns: frozenset[str]
    person_titles: frozenset[str]
    verbal_attack_verbs: frozenset[str]
    discourse_nouns: frozenset[str]
    labelling_verbs: frozenset[str]
    criticism_code: str
    political_actor_types: frozenset[str]
    political_name_words: frozenset[str]
    mutual_roots: frozenset[str]
    non_actor_names: frozenset[str]
    document_nouns: frozenset[str]
    national_bodies: frozenset[str]
    civilian_groups: dict[str, str]  # noun -> group ("protester" -> "protesters")
    speech_needs_clause: frozenset[str]
    object_control_verbs: frozenset[str]
    responsibility_verbs: frozenset[str]
    responsibility_nouns: frozenset[str]
    mutual_force_roots: frozenset[str]
    spokesperson_nouns: frozenset[str]
    command_verbs: frozenset[str]
    decision_verbs: frozenset[str]
    decision_nouns: frozenset[str]
    transfer_verbs: frozenset[str]
    patient_nouns: frozenset[str]
    dismissal_verbs: frozenset[str]
    reason_verbs: frozenset[str]
    penal_verbs: frozenset[str]
    carrier_objects: frozenset[str]
    topic_verbs: frozenset[str]
    prevention_verbs: frozenset[str]
    quote_verbs: frozenset[str]
    expulsion_verbs: frozenset[str]
    speech_media: frozenset[str]
    women: frozenset[str]
    female_titles: frozenset[str]
    kin_nouns: frozenset[str]
    company_forms: frozenset[str]
    people_object_verbs: frozenset[str]
    information_nouns: frozenset[str]
    wishing_verbs: frozenset[str]
    praise_words: frozenset[str]
    praise_code: str
    appeal_code: str
    act_nouns: frozenset[str]
    act_nouns_generic: frozenset[str]
    instigation_nouns: frozenset[str]
    female_given_names: frozenset[str]
    non_factual_nouns: frozenset[str]
    intransitive_acts: frozenset[str]
    humanitarian_words: frozenset[str]
    humanitarian_groups: dict[str, str]  # noun -> group label
    assembly_verbs: frozenset[str]
    demonstration_code: str


#: Cue lists matched against normalised names ("10:30 BST", "Supreme Court", "Mary").
_NORMALISED_CUES = frozenset({"non_actor_names", "national_bodies", "female_given_names"})


def load_cues(path: Path | None = None) -> Cues:
    """The cues file, each key read as its ``Cues`` field's type says: a list is a
    frozenset of words, a code a string, and a mapping of label to words a dict from each
    word to its label (``agent_nouns``: noun -> sector)."""
    path = path or ONTOLOGY_DIR / "extraction-cues.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise OntologyError(f"not valid YAML: {error}", str(path)) from error
    values: dict[str, object] = {}
    try:
        for cue in fields(Cues):
            raw = data[cue.name]
            if cue.type == "str":
                values[cue.name] = str(raw)
                continue
            _check_words(cue.name, _words_of(raw), path)
            if cue.type.startswith("dict"):
                values[cue.name] = {word: label for label, words in raw.items() for word in words}
            elif cue.name in _NORMALISED_CUES:
                values[cue.name] = frozenset(normalise(word) for word in raw)
            else:
                values[cue.name] = frozenset(raw)
        return Cues(**values)
    except KeyError as error:
        raise OntologyError(f"missing key {error}", str(path)) from error


def _words_of(raw: object) -> list[object]:
    """The words of a cue list, or of every label of a cue mapping."""
    if isinstance(raw, dict):
        return [word for words in raw.values() for word in words]
    return list(raw)


def _check_words(name: str, words: list[object], path: Path) -> None:
    """Every cue word is a string: YAML 1.1 reads a bare ``on``, ``off``, ``no`` or ``yes``
    as a boolean, so such words must be quoted in the file."""
    for word in words:
        if not isinstance(word, str):
            raise OntologyError(
                f"cue list {name!r} holds {word!r} ({type(word).__name__}), not a word; "
                'quote words YAML reads otherwise ("on", "off", "no", "yes")',
                str(path),
            )
