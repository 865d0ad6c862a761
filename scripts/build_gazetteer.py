"""Regenerate ontology/gazetteer.ttl, the actor gazetteer, as RDF Turtle.

One node per real-world actor, whatever the surface form. Sources:

- pycountry: every ISO 3166-1 country (and the few ISO 3166-3 historic ones that
  scripts/gazetteer/countries.yaml names) with its codes and ISO names;
- scripts/gazetteer/countries.yaml: preferred English names, news variants,
  demonyms, capitals used as metonyms, Wikidata ids;
- scripts/gazetteer/{igos,organisations,persons}.yaml: the named actors.

Hand-written labels win over derived ones (pycountry names and ASCII foldings of
labels with accents): a derived label that another actor claims is dropped and
reported. Two actors claiming the same hand-written label (case-insensitive) is an
error, as are dangling kgo:country / kgo:memberOf links and duplicate Wikidata ids.

A build tool, not part of the package (needs pycountry). From the repository root:

    .venv/bin/python scripts/build_gazetteer.py [--check]

Same inputs, same output bytes.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import pycountry
import yaml
from generated import write_or_check  # scripts/generated.py
from rdflib import RDF, Graph, Literal
from rdflib.namespace import OWL, RDFS, SKOS

from kg.graph.vocab import ACTOR, KGO, WD
from kg.models import ACTOR_TYPES

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "scripts/gazetteer"
COUNTRIES = DATA / "countries.yaml"
ACTOR_FILES = tuple(DATA / f"{name}.yaml" for name in ("igos", "organisations", "persons"))
DEFAULT_OUT = ROOT / "ontology/gazetteer.ttl"

TYPES = frozenset(ACTOR_TYPES)
COUNTRY_KEYS = frozenset({"wd", "label", "alt", "dem", "met", "cameo", "iso"})
ACTOR_KEYS = frozenset({"id", "label", "type", "alt", "title", "country", "member", "cameo", "wd"})
QID_RE = re.compile(r"Q[1-9][0-9]*")
CAMEO_RE = re.compile(r"[A-Z]{3}(?:[A-Z]{3})*")
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

HEADER = """\
# Actor gazetteer of kg-geopolitics: one node per real-world actor, whatever the
# surface form (skos:prefLabel, skos:altLabel, kgo:demonym, kgo:title).
#
# GENERATED FILE, do not edit: run `.venv/bin/python scripts/build_gazetteer.py`.
# Edit the inputs in scripts/gazetteer/*.yaml instead.
#
# Sources and licences:
# - ISO 3166-1 codes and names: pycountry {pycountry_version} (LGPL-2.1; data from
#   Debian iso-codes).
# - Name variants, demonyms and CAMEO actor codes: hand-written, cross-checked
#   against the Phoenix/PETRARCH2 actor dictionaries, Copyright (c) 2014 Open Event
#   Data Alliance, MIT licence; see ontology/NOTICE-phoenix.txt.
# - Wikidata identifiers (CC0), given only where checked against public tables.
#
# Actors: {actors}; labels: {labels}; demonyms: {demonyms}.

"""


class GazetteerError(Exception):
    """The inputs do not make a valid gazetteer; the message lists every problem."""


@dataclass
class Actor:
    """One gazetteer entry before it becomes RDF."""

    key: str
    kind: str
    pref: str
    source: str
    alt: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    country: str | None = None
    members: list[str] = field(default_factory=list)
    cameo: str | None = None
    wikidata: str | None = None
    iso3: str | None = None
    iso2: str | None = None
    derived_alt: list[str] = field(default_factory=list)
    derived_demonyms: list[str] = field(default_factory=list)


def slug(label: str) -> str:
    """The IRI local name for a non-state actor: lower-case ASCII words joined by '-'."""
    ascii_ = fold(label).lower().replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")


def fold(text: str) -> str:
    """Drop accents ('Erdoğan' -> 'Erdogan'); other non-ASCII letters stay."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def norm(label: str) -> str:
    """The key under which two labels count as the same (case-insensitive)."""
    return " ".join(label.casefold().split())


def strings(entry: dict, key: str, where: str) -> list[str]:
    value = entry.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not all(isinstance(v, str) and v.strip() == v and v for v in value):
        raise GazetteerError(f"{where}: {key} must be a list of trimmed strings: {value!r}")
    return list(value)


def iso_names(record: object) -> list[str]:
    """pycountry's names that read like running text (no 'Korea, Republic of')."""
    names = []
    for attr in ("common_name", "name", "official_name"):
        name = getattr(record, attr, None)
        if not name or "," in name or "(" in name:
            continue
        names.append(name[4:] if name.startswith("the ") else name)
    return names


def load_countries(path: Path) -> list[Actor]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    current = {c.alpha_3: c for c in pycountry.countries}
    historic = {c.alpha_3: c for c in pycountry.historic_countries}
    actors = []
    for code in sorted(set(current) | set(spec)):
        entry = spec.get(code) or {}
        where = f"{path.name}: {code}"
        if unknown := set(entry) - COUNTRY_KEYS:
            raise GazetteerError(f"{where}: unknown keys {sorted(unknown)}")
        is_iso = entry.get("iso", True)
        record = current.get(code) or historic.get(code)
        if record is None and is_iso:
            raise GazetteerError(f"{where}: not an ISO 3166 code (set iso: false)")
        names = iso_names(record) if record else []
        pref = entry.get("label") or (names[0] if names else getattr(record, "name", None))
        if not pref:
            raise GazetteerError(f"{where}: needs a label")
        actor = Actor(
            key=code,
            kind="State",
            pref=pref,
            source=path.name,
            alt=strings(entry, "alt", where) + strings(entry, "met", where),
            demonyms=strings(entry, "dem", where),
            country=code,
            cameo=entry.get("cameo", code),
            wikidata=entry.get("wd"),
            derived_alt=names,
        )
        if is_iso and record is not None:
            actor.iso3 = code
            actor.iso2 = getattr(record, "alpha_2", None) or record.alpha_4[:2]
        actors.append(actor)
    return actors


def load_actors(path: Path) -> list[Actor]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    actors = []
    for index, entry in enumerate(entries, 1):
        where = f"{path.name} #{index} ({entry.get('label', '?')})"
        if unknown := set(entry) - ACTOR_KEYS:
            raise GazetteerError(f"{where}: unknown keys {sorted(unknown)}")
        if entry.get("type") not in TYPES - {"State"}:
            raise GazetteerError(f"{where}: type must be one of {sorted(TYPES - {'State'})}")
        label = entry.get("label")
        if not isinstance(label, str) or not label:
            raise GazetteerError(f"{where}: needs a label")
        key = entry.get("id") or slug(label)
        if not SLUG_RE.fullmatch(key):
            raise GazetteerError(f"{where}: bad id {key!r}")
        actors.append(
            Actor(
                key=key,
                kind=entry["type"],
                pref=label,
                source=path.name,
                alt=strings(entry, "alt", where),
                titles=strings(entry, "title", where),
                country=entry.get("country"),
                members=strings(entry, "member", where),
                cameo=entry.get("cameo"),
                wikidata=entry.get("wd"),
            )
        )
    return actors


def dedupe(labels: list[str], taken: set[str]) -> list[str]:
    """Labels not yet in `taken` (case-insensitive), first spelling kept; updates `taken`."""
    kept = []
    for label in labels:
        if norm(label) not in taken:
            taken.add(norm(label))
            kept.append(label)
    return kept


def tidy(actor: Actor) -> None:
    """Drop repeats within one actor and add ASCII foldings as derived labels."""
    taken = {norm(actor.pref)}
    actor.alt = dedupe(actor.alt, taken)
    actor.demonyms = dedupe(actor.demonyms, taken)
    names = [actor.pref, *actor.alt, *actor.derived_alt]
    actor.derived_alt = dedupe(actor.derived_alt + [fold(x) for x in names], taken)
    actor.derived_demonyms = dedupe([fold(x) for x in actor.demonyms], taken)
    actor.titles = dedupe(actor.titles, set())


def claim_labels(actors: list[Actor]) -> list[str]:
    """Give every label one owner; returns the derived labels dropped as a result."""
    owner: dict[str, str] = {}
    clashes = []
    for actor in actors:
        for label in [actor.pref, *actor.alt, *actor.demonyms]:
            first = owner.setdefault(norm(label), actor.key)
            if first != actor.key:
                clashes.append(f"label {label!r} is on actor:{first} and actor:{actor.key}")
    if clashes:
        raise GazetteerError("duplicate labels:\n  " + "\n  ".join(clashes))
    dropped = []
    for actor in actors:
        for attr in ("derived_alt", "derived_demonyms"):
            kept = []
            for label in getattr(actor, attr):
                first = owner.setdefault(norm(label), actor.key)
                if first == actor.key:
                    kept.append(label)
                else:
                    dropped.append(f"{label!r} (actor:{actor.key}; belongs to actor:{first})")
            setattr(actor, attr, kept)
    return dropped


def validate(actors: list[Actor]) -> None:
    """Every link resolves, every actor is well formed; raises with all problems."""
    problems = []
    by_key: dict[str, Actor] = {}
    for actor in actors:
        if actor.key in by_key:
            problems.append(f"actor:{actor.key} defined twice ({actor.source})")
        by_key[actor.key] = actor
    qids = Counter(a.wikidata for a in actors if a.wikidata)
    for actor in actors:
        name = f"actor:{actor.key}"
        if actor.kind not in TYPES:
            problems.append(f"{name}: unknown type {actor.kind}")
        if actor.country is not None:
            target = by_key.get(actor.country)
            if target is None or target.kind != "State":
                problems.append(f"{name}: kgo:country {actor.country} is not a state")
        for member in actor.members:
            if member not in by_key or member == actor.key:
                problems.append(f"{name}: kgo:memberOf {member} is not another actor")
        if actor.wikidata and not QID_RE.fullmatch(actor.wikidata):
            problems.append(f"{name}: bad Wikidata id {actor.wikidata!r}")
        if actor.wikidata and qids[actor.wikidata] > 1:
            problems.append(f"{name}: Wikidata id {actor.wikidata} is on another actor too")
        if actor.cameo and not CAMEO_RE.fullmatch(actor.cameo):
            problems.append(f"{name}: bad CAMEO code {actor.cameo!r}")
        if actor.demonyms and actor.kind != "State":
            problems.append(f"{name}: only states have demonyms")
        problems += [
            f"{name}: title {t!r} must be lower case" for t in actor.titles if t != t.lower()
        ]
    if problems:
        raise GazetteerError("invalid gazetteer:\n  " + "\n  ".join(problems))


def to_graph(actors: list[Actor]) -> Graph:
    graph = Graph()
    for prefix, namespace in (
        ("kgo", KGO._NS),
        ("actor", ACTOR),
        ("wd", WD),
        ("skos", SKOS),
        ("owl", OWL),
        ("rdfs", RDFS),
    ):
        graph.bind(prefix, namespace)
    for actor in actors:
        node = ACTOR[actor.key]
        graph.add((node, RDF.type, KGO[actor.kind]))
        graph.add((node, SKOS.prefLabel, Literal(actor.pref, lang="en")))
        for label in actor.alt + actor.derived_alt:
            graph.add((node, SKOS.altLabel, Literal(label, lang="en")))
        for label in actor.demonyms + actor.derived_demonyms:
            graph.add((node, KGO.demonym, Literal(label, lang="en")))
        for title in actor.titles:
            graph.add((node, KGO.title, Literal(title, lang="en")))
        if actor.country:
            graph.add((node, KGO.country, ACTOR[actor.country]))
        for member in actor.members:
            graph.add((node, KGO.memberOf, ACTOR[member]))
        if actor.iso3:
            graph.add((node, KGO.isoCode, Literal(actor.iso3)))
        if actor.iso2:
            graph.add((node, KGO.iso2, Literal(actor.iso2)))
        if actor.cameo:
            graph.add((node, KGO.cameoCode, Literal(actor.cameo)))
        if actor.wikidata:
            graph.add((node, OWL.sameAs, WD[actor.wikidata]))
    return graph


def build() -> tuple[str, list[Actor], list[str]]:
    """The Turtle text, the actors and the dropped derived labels."""
    actors = load_countries(COUNTRIES)
    for path in ACTOR_FILES:
        actors += load_actors(path)
    for actor in actors:
        tidy(actor)
    validate(actors)
    dropped = claim_labels(actors)
    graph = to_graph(actors)
    labels = sum(1 + len(a.alt) + len(a.derived_alt) for a in actors)
    demonyms = sum(len(a.demonyms) + len(a.derived_demonyms) for a in actors)
    header = HEADER.format(
        pycountry_version=version("pycountry"),
        actors=len(actors),
        labels=labels,
        demonyms=demonyms,
    )
    return header + graph.serialize(format="turtle"), actors, dropped


def report(actors: list[Actor], dropped: list[str]) -> str:
    kinds = Counter(a.kind for a in actors)
    states = [a for a in actors if a.kind == "State"]
    lines = [f"actors: {len(actors)}"]
    lines += [f"  {kind}: {count}" for kind, count in sorted(kinds.items())]
    lines += [
        f"labels (pref + alt): {sum(1 + len(a.alt) + len(a.derived_alt) for a in actors)}",
        f"demonyms: {sum(len(a.demonyms) + len(a.derived_demonyms) for a in actors)}",
        f"titles: {sum(len(a.titles) for a in actors)}",
        f"memberOf links: {sum(len(a.members) for a in actors)}",
        f"with Wikidata id: {sum(1 for a in actors if a.wikidata)}"
        f" (states: {sum(1 for a in states if a.wikidata)} of {len(states)})",
        f"derived labels dropped (another actor owns them): {len(dropped)}",
    ]
    lines += [f"  {d}" for d in dropped]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Turtle file to write")
    parser.add_argument(
        "--check", action="store_true", help="fail if the file on disk is out of date"
    )
    args = parser.parse_args(argv)
    try:
        text, actors, dropped = build()
    except GazetteerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    Graph().parse(data=text, format="turtle")  # the output must read back
    print(report(actors, dropped))
    return write_or_check(args.out, text, args.check)


if __name__ == "__main__":
    sys.exit(main())
