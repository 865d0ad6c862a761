"""Regenerate ontology/cameo.ttl, the CAMEO event codes as a SKOS concept scheme.

Reads ontology/cameo-codes.tsv (code, label, parent, goldstein, quad_class) and
writes one skos:Concept per code (notation, English label, broader, Goldstein
score, quad class) in the scheme <https://w3id.org/kg-geo/cameo/>, the 20 roots
as its top concepts. Checks the table (unique codes, parents that exist and
prefix their children, quad classes that match the roots, scores in [-10, 10])
and that the interaction properties of ontology/kg.ttl (kgo:cameoRoot) are the
ones kg.graph.vocab.ROOT_PROPERTIES names.

A build tool, not part of the package. From the repository root:

    .venv/bin/python scripts/build_cameo_scheme.py [--check]

Same inputs, same output bytes.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from generated import write_or_check  # scripts/generated.py
from rdflib import Graph

from kg.graph.vocab import CAMEO, KGO, ROOT_PROPERTIES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_IN = ROOT / "ontology/cameo-codes.tsv"
DEFAULT_OUT = ROOT / "ontology/cameo.ttl"
ONTOLOGY = ROOT / "ontology/kg.ttl"

COLUMNS = ["code", "label", "parent", "goldstein", "quad_class"]
CODE_RE = re.compile(r"[0-9]{2,4}")
#: Quad class of each root: 1 verbal cooperation, 2 material cooperation,
#: 3 verbal conflict, 4 material conflict.
QUAD_OF_ROOT = {
    f"{n:02d}": 1 if n <= 5 else 2 if n <= 8 else 3 if n <= 13 else 4 for n in range(1, 21)
}

HEADER = """\
# The CAMEO event codes as a SKOS concept scheme: every code of CAMEO 1.1b3 (the 20
# roots and their 3- and 4-digit children) with its notation, English label, parent
# (skos:broader), Goldstein score (kgo:goldstein) and quad class (kgo:quadClass).
#
# GENERATED FILE, do not edit: run `.venv/bin/python scripts/build_cameo_scheme.py`.
# Edit the input, ontology/cameo-codes.tsv, instead.
#
# Sources and licences:
# - Codes and labels: the code list of the CAMEO manual 1.1b3 (Philip A. Schrodt,
#   Event Data Project, 2012), reproduced as facts; labels shortened (", not
#   specified below" dropped).
# - Goldstein scores: as published with GDELT (lookup table CAMEO.goldsteinscale.txt);
#   GDELT has no row for 155, 176, 1834, 1951 and 1952, which take their parent's.
# - Quad classes: the standard grouping of roots (01-05, 06-08, 09-13, 14-20).
# - This RDF encoding: MIT, like the rest of kg-geopolitics.
#
# Concepts: {concepts} ({roots} roots).

@prefix cameo: <https://w3id.org/kg-geo/cameo/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix kgo: <https://w3id.org/kg-geo/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""

SCHEME = """\
cameo: a skos:ConceptScheme ;
    skos:prefLabel "CAMEO event codes"@en ;
    dcterms:title "CAMEO event codes"@en ;
    dcterms:description '''The event codes of CAMEO (Conflict and Mediation Event
Observations) 1.1b3, each with its Goldstein score and quad class.'''@en ;
    owl:versionInfo "1.1b3" ;
    dcterms:source <http://data.gdeltproject.org/documentation/CAMEO.Manual.1.1b3.pdf> ,
        <https://www.gdeltproject.org/data/lookups/CAMEO.goldsteinscale.txt> ;
    dcterms:rights '''Codes and labels from the CAMEO manual 1.1b3 (Schrodt 2012),
as facts; Goldstein scores as published with GDELT; this encoding MIT.'''@en ;
    skos:hasTopConcept {tops} .
"""


class SchemeError(Exception):
    """The code table or the ontology is inconsistent."""


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    label: str
    parent: str  # "" for a root
    goldstein: Decimal
    quad_class: int


def read_codes(path: Path) -> list[Code]:
    """The rows of the TSV, checked row by row; comment lines start with '#'."""
    codes: list[Code] = []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(rows, None)
        if header != COLUMNS:
            raise SchemeError(f"{path}:1: expected columns {COLUMNS}, got {header}")
        for number, row in enumerate(rows, start=2):
            if not row or row[0].startswith("#"):
                continue
            where = f"{path}:{number}"
            if len(row) != len(COLUMNS):
                raise SchemeError(f"{where}: expected {len(COLUMNS)} columns, got {len(row)}")
            code, label, parent, goldstein, quad = (cell.strip() for cell in row)
            if not CODE_RE.fullmatch(code):
                raise SchemeError(f"{where}: bad code {code!r}")
            if not label:
                raise SchemeError(f"{where}: code {code} has no label")
            try:
                score = Decimal(goldstein)
            except InvalidOperation:
                raise SchemeError(f"{where}: bad Goldstein score {goldstein!r}") from None
            if not -10 <= score <= 10:
                raise SchemeError(f"{where}: Goldstein score {score} outside [-10, 10]")
            if quad not in {"1", "2", "3", "4"}:
                raise SchemeError(f"{where}: bad quad class {quad!r}")
            codes.append(Code(code, label, parent, score, int(quad)))
    return codes


def validate(codes: list[Code]) -> None:
    """The codes form the CAMEO tree: 20 roots, parents that prefix their children."""
    counts = Counter(c.code for c in codes)
    if duplicates := sorted(code for code, n in counts.items() if n > 1):
        raise SchemeError(f"duplicate codes: {', '.join(duplicates)}")
    roots = sorted(c.code for c in codes if not c.parent)
    if roots != sorted(QUAD_OF_ROOT):
        raise SchemeError(f"roots are {roots}, expected 01..20")
    for c in codes:
        if c.parent:
            if c.parent not in counts:
                raise SchemeError(f"{c.code}: parent {c.parent} is not a code")
            if not (c.code.startswith(c.parent) and len(c.code) == len(c.parent) + 1):
                raise SchemeError(f"{c.code}: parent {c.parent} is not its prefix")
        elif len(c.code) != 2:
            raise SchemeError(f"{c.code}: a code without parent must be a 2-digit root")
        if c.quad_class != QUAD_OF_ROOT[c.code[:2]]:
            raise SchemeError(
                f"{c.code}: quad class {c.quad_class}, its root {c.code[:2]} is in quad class "
                f"{QUAD_OF_ROOT[c.code[:2]]}"
            )
    if sorted(ROOT_PROPERTIES) != roots:
        raise SchemeError("kg.graph.vocab.ROOT_PROPERTIES does not name exactly the 20 roots")


def check_ontology(path: Path) -> None:
    """kgo:cameoRoot in kg.ttl links the same properties and roots as ROOT_PROPERTIES."""
    graph = Graph().parse(path, format="turtle")
    linked = {str(concept): prop for prop, concept in graph.subject_objects(KGO.cameoRoot)}
    expected = {str(CAMEO[root]): prop for root, prop in ROOT_PROPERTIES.items()}
    if linked != expected:
        diff = sorted(set(linked.items()) ^ set(expected.items()))
        raise SchemeError(
            f"{path}: kgo:cameoRoot differs from kg.graph.vocab.ROOT_PROPERTIES: {diff}"
        )


def turtle_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def decimal_literal(value: Decimal) -> str:
    """A Turtle DECIMAL token (always with a point), e.g. -10.0, 3.4."""
    text = format(value, "f")
    return text if "." in text else f"{text}.0"


def concept(c: Code) -> str:
    lines = [
        f"cameo:{c.code} a skos:Concept ;",
        f"    skos:notation {turtle_string(c.code)} ;",
        f"    skos:prefLabel {turtle_string(c.label)}@en ;",
        "    skos:inScheme cameo: ;",
    ]
    if c.parent:
        lines.append(f"    skos:broader cameo:{c.parent} ;")
    else:
        lines.append("    skos:topConceptOf cameo: ;")
    lines += [
        f"    kgo:goldstein {decimal_literal(c.goldstein)} ;",
        f"    kgo:quadClass {c.quad_class} .",
    ]
    return "\n".join(lines) + "\n"


def build(source: Path) -> tuple[str, list[Code]]:
    codes = sorted(read_codes(source), key=lambda c: c.code)
    validate(codes)
    check_ontology(ONTOLOGY)
    roots = [c.code for c in codes if not c.parent]
    tops = " ,\n        ".join(f"cameo:{root}" for root in roots)
    parts = [HEADER.format(concepts=len(codes), roots=len(roots)), SCHEME.format(tops=tops)]
    parts += [concept(c) for c in codes]
    return "\n".join(parts), codes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_IN, help="code table (TSV)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Turtle file to write")
    parser.add_argument(
        "--check", action="store_true", help="fail if the file on disk is out of date"
    )
    args = parser.parse_args(argv)
    try:
        text, codes = build(args.source)
    except SchemeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    graph = Graph().parse(data=text, format="turtle")  # the output must read back
    if len(set(graph.subjects(None, None))) != len(codes) + 1:
        print("error: the output does not have one node per code", file=sys.stderr)
        return 1
    print(f"concepts: {len(codes)}")
    for length, name in ((2, "roots"), (3, "3-digit"), (4, "4-digit")):
        print(f"  {name}: {sum(1 for c in codes if len(c.code) == length)}")
    return write_or_check(args.out, text, args.check)


if __name__ == "__main__":
    sys.exit(main())
