"""Regenerate ontology/gazetteer-phoenix.ttl, the fallback actor list, from Phoenix.

Reads the Phoenix actor dictionaries of PETRARCH2 (TABARI format, MIT licence): people
from Phoenix.Countries.actors.txt (never its country-level blocks), people and
organisations from Phoenix.International.actors.txt and Phoenix.MilNonState.actors.txt.
Each kept entry becomes ``actor:phx-<slug>`` with natural-case labels, a type, its most
recent CAMEO code and, when that code starts with a state of ontology/gazetteer.ttl, its
country. The hand-built gazetteer wins: an entry sharing a label with it is skipped (and
its other labels with it). One-word labels, labels under 5 characters and labels given to
actors of different countries are dropped. Only this script reads the dictionaries; the
output is committed. From the repository root:

    .venv/bin/python scripts/build_phoenix_gazetteer.py [DICTIONARY_DIR] [--check]

Same inputs, same output bytes.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from generated import write_or_check  # scripts/generated.py
from rdflib import RDF, Graph, Literal
from rdflib.namespace import SKOS

from kg.actors.resolution import normalise as norm  # the resolver's lookup key
from kg.graph.vocab import ACTOR, KGO

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "../shared/eval/petrarch2/dictionaries"
MAIN = ROOT / "ontology/gazetteer.ttl"
DEFAULT_OUT = ROOT / "ontology/gazetteer-phoenix.ttl"
FILES = ("Countries", "International", "MilNonState")


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: CAMEO country codes that are not ISO 3166 alpha-3 (ANG is a typo in the dictionary).
CAMEO_ISO = {"ROM": "ROU", "ZAI": "COD", "TMP": "TLS", "KSV": "XKX", "USR": "SUN", "ANG": "AGO"}
ROLES = words("GOV MIL REB OPP PTY COP JUD SPY LEG ELI BUS MED EDU HLH HRI LAB REF AGR DEV ENV CVL")
TITLES = words(
    "SIR DAME LORD LADY BARON BARONESS PRESIDENT PRESIDENT-ELECT VICE PRIME MINISTER FOREIGN "
    "DEFENSE DEFENCE INTERIOR FINANCE SECRETARY SECRETARY-GENERAL GENERAL GEN GEN. LT LT. "
    "LIEUTENANT COL. COLONEL MAJOR CAPTAIN CAPT. ADMIRAL MARSHAL FIELD COMMANDER BRIGADIER "
    "KING QUEEN PRINCE PRINCESS CROWN EMPEROR EMIR AMIR SHEIKH SHEIK SHAIKH SHAYKH MULLAH "
    "AYATOLLAH GRAND IMAM POPE CARDINAL ARCHBISHOP BISHOP REVEREND REV. DR DR. DOCTOR MR MR. "
    "MRS MRS. MS. MADAME SENATOR SEN. CONGRESSMAN CONGRESSWOMAN REPRESENTATIVE GOVERNOR "
    "AMBASSADOR CHANCELLOR CHAIRMAN PREMIER FORMER ACTING DEPUTY LEADER CHIEF JUDGE MAYOR "
    "SPEAKER MAWLAWI MAULANA UN U.N. US U.S. UNITED NATIONS STATES STATE OF THE COMMUNIST "
    "SOVIET PARTY"
)
ORG_WORDS = words(
    "ORGANIZATION ORGANISATION COUNCIL PARTY ARMY FRONT MOVEMENT BRIGADE BRIGADES FORCE FORCES "
    "ASSEMBLY AGENCY DEPARTMENT MINISTRY INC INC. CORP CORP. CORPORATION COMPANY LTD GROUP BANK "
    "FUND UNION ASSOCIATION COMMITTEE COMMISSION INSTITUTE FOUNDATION SOCIETY LEAGUE CENTER "
    "CENTRE NETWORK UNIVERSITY COLLEGE CHURCH COURT TRIBUNAL PARLIAMENT CONGRESS GOVERNMENT "
    "ADMINISTRATION AUTHORITY SERVICE SERVICES OFFICE BUREAU POLICE GUARD GUARDS MILITIA JAYSH "
    "JAISH JABHAT HARAKAT FEDERATION ALLIANCE COALITION COMMAND CORPS CELL CELLS NUCLEI "
    "COMMUNITY STATE REPUBLIC INTERNATIONAL NATIONAL WORLD GLOBAL OBSERVATORY THINK TANK "
    "PROGRAM PROGRAMME PROJECT INITIATIVE WATCH ACTION AID RELIEF CROSS SECRETARIAT MISSION "
    "OF AND FOR"
)
NOT_PERSON_TAIL = words("ADMINISTRATION GOVERNMENT REGIME CABINET FORCES SUPPORTERS")
LOWER = words("de van von al el bin ibn bint da das dos du del della der den ter y of and the for")
LOWER_ORG = LOWER | words("in on at to la le les des et")
UPPER = words(
    "UN US UK EU UAE USA OAS OAU AU ANC IRA ETA PLO CIA FBI NSA NATO OPEC ASEAN IAEA UNICEF "
    "UNDP UNHCR II III IV"
)
CAPITAL = words("JR SR ST MT NG LTD")  # consonant-only words that are not acronyms
INITIALS = re.compile(r"(?:[A-Z]\.)+")

HEADER = """\
# Fallback actor list of kg-geopolitics: people and organisations that the hand-built
# gazetteer (ontology/gazetteer.ttl) does not know, with type, country and CAMEO code.
#
# GENERATED FILE, do not edit: run `.venv/bin/python scripts/build_phoenix_gazetteer.py`.
# Derived mechanically from the Phoenix actor dictionaries of PETRARCH2
# (Phoenix.Countries.actors.txt, Phoenix.International.actors.txt,
# Phoenix.MilNonState.actors.txt), Copyright (c) 2014 Open Event Data Alliance, MIT
# licence; see ontology/NOTICE-phoenix.txt.
#
# Actors: {actors}; labels: {labels}.

"""

Span = tuple[int, ...] | None  # (end y, m, d, start y, m, d) of a date restriction


@dataclass
class Entry:
    """One dictionary entry: names (primary first), codes, comments; then the result."""

    source: str
    names: list[str]
    comment: str = ""
    codes: list[tuple[str, Span]] = field(default_factory=list)
    kind: str = ""
    code: str = ""
    country: str | None = None
    labels: list[str] = field(default_factory=list)


def ymd(digits: str) -> tuple[int, int, int]:
    """A TABARI date: YYYYMMDD, or YYMMDD with YY <= 30 meaning 20YY (as PETRARCH)."""
    if len(digits) < 8:
        digits = str(int(digits[:2]) + (2000 if int(digits[:2]) <= 30 else 1900)) + digits[2:]
    return int(digits[:4]), int(digits[4:6]), int(digits[6:8])


def code_span(text: str) -> tuple[str, Span]:
    """'FRAGOV 810521-950517' -> the code and its span; None when undated."""
    code, _, rest = text.strip().partition(" ")
    dates = [ymd(d) for d in re.findall(r"\d{6,}", rest)]
    if not dates or not re.search(r"[<>-]", rest):
        return code, None  # PETRARCH reads a bare date as a default code
    if rest.lstrip()[0] in "<>":
        return code, (*dates[0], 0, 0, 0) if rest.lstrip()[0] == "<" else (9999, 0, 0, *dates[0])
    return code, (*dates[-1], *dates[0])


def read_dictionary(path: Path, source: str) -> list[Entry]:
    """TABARI entries; an entry without codes shares the next one's (as in PETRARCH)."""
    entries: list[Entry] = []
    current: Entry | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if "---STOP---" in line:
            break
        body, _, comment = line.partition("#")
        if not body.strip() or line.startswith("<"):
            continue
        codes = [code_span(c) for c in re.findall(r"\[([^\]]*)\]", body)]
        if line[0] in " \t":
            if current:
                current.codes += codes
        elif line[0] == "+":
            if current:
                current.names += [n for n in body[1:].split("+") if n.strip()]
        elif current and not current.codes:
            current.names.append(body.split("[")[0])
            current.comment += comment
            current.codes += codes
        else:
            current = Entry(source, [body.split("[")[0]], comment, codes)
            entries.append(current)
    return entries


def tokens(name: str) -> list[str]:
    """Upper-case words of a name, without parenthesised acronyms or quoted nicknames."""
    text = re.sub(r'\([^)]*\)|"[^"]*"|[()"]', " ", name.replace("_", " ").replace("`", "'"))
    return text.upper().split()


def strip_titles(toks: list[str], demonyms: frozenset[str]) -> list[str]:
    i = 0
    while i < len(toks) and (
        toks[i] in TITLES
        or toks[i].startswith("EX-")
        or (toks[i] in demonyms and i + 1 < len(toks) and toks[i + 1] in TITLES)
    ):
        i += 1
    return toks[i:]


def word_case(tok: str, first: bool, lower: frozenset[str]) -> str:
    if INITIALS.fullmatch(tok) or tok in UPPER:
        return tok
    for sep in "-/":
        if sep in tok.strip(sep):
            parts = tok.split(sep)
            return sep.join(word_case(p, first and i == 0, lower) for i, p in enumerate(parts))
    if not first and tok.lower() in lower:
        return tok.lower()
    letters = tok.rstrip(".")
    if 2 <= len(letters) <= 3 and letters.isalpha() and not set(letters) & set("AEIOUY"):
        return tok.capitalize() if letters in CAPITAL else tok
    if re.match(r"MC[A-Z]{2}", tok):
        return "Mc" + tok[2:].capitalize()
    head, apostrophe, tail = tok.partition("'")
    if apostrophe and len(head) <= 1:  # O'Brien, D'Escoto, 'Aziz
        return head.capitalize() + "'" + tail.capitalize()
    return tok.capitalize()


def valid(label: str, person: bool) -> bool:
    key, digits = norm(label), person and re.search(r"\d", label)
    clean = label.isprintable() and "\ufffd" not in label and not digits
    return len(label) >= 5 and " " in key and key[:1].isalnum() and clean


def triples(code: str) -> set[str]:
    return {code[i : i + 3] for i in range(0, len(code), 3)}


def recent(entry: Entry) -> str:
    """The code with the latest end (then start) date, else the last undated one."""
    codes = [(c, s) for c, s in entry.codes if re.fullmatch(r"[A-Z]{3}[A-Z0-9]*", c)]
    dated = [(s, c) for c, s in codes if s]
    if dated:
        return max(dated, key=lambda pair: pair[0])[1]
    return codes[-1][0] if codes else ""


def is_person(entry: Entry, first_names: set[str], demonyms: frozenset[str]) -> bool:
    if entry.source == "Countries":
        if "countryinfo.txt" in entry.comment.lower():
            return True
        codes = [c for c, _ in entry.codes if c[:3] not in ("IGO", "NGO", "IMG", "MNC")]
        if any(c[3:6] not in ROLES for c in codes):  # a country, territory, transition
            return False
    primary = tokens(entry.names[0])
    if set(primary) & ORG_WORDS:
        return False
    if "rulers" in entry.comment or any(s or "ELI" in triples(c) for c, s in entry.codes):
        return True
    core = strip_titles(primary, demonyms)
    named = bool(core) and (core[0] in first_names or INITIALS.fullmatch(core[0]) is not None)
    return 2 <= len(core) <= 4 and named and "$" not in entry.comment  # "$": a company


def org_kind(code: str) -> str:
    parts, prefix, role = triples(code), code[:3], code[3:6]
    if prefix in ("IGO", "NGO"):
        return prefix
    if "PTY" in parts:
        return "Party"
    if parts & {"IMG", "REB", "INS", "UAF"}:
        return "ArmedGroup"
    if role == "MED" or (prefix == "MNC" and "MED" in parts):
        return "Media"
    return {"MIL": "Military", "GOV": "Government"}.get(role, "Other")


def make_labels(entry: Entry, demonyms: frozenset[str]) -> list[str]:
    """Natural-case labels, preferred first: forms without titles before titled ones."""
    person = entry.kind == "Person"
    forms = [tokens(n) for n in entry.names]
    if person:
        forms = [f for f in forms if f and f[-1] not in NOT_PERSON_TAIL]
        forms = [strip_titles(f, demonyms) for f in forms] + forms
    labels: dict[str, str] = {}
    lower = LOWER if person else LOWER_ORG
    for toks in forms:
        label = " ".join(word_case(t, i == 0, lower) for i, t in enumerate(toks)).strip(" ,-")
        if valid(label, person):
            labels.setdefault(norm(label), label)
    return list(labels.values())


def classify(entries: list[Entry], states: set[str], demonyms: frozenset[str]) -> list[Entry]:
    """The people and organisations, with type, code, country and labels."""
    first_names = Counter(
        core[0]
        for e in entries
        if "countryinfo.txt" in e.comment.lower()
        for core in [strip_titles(tokens(e.names[0]), demonyms)]
        if len(core) > 1
    )
    common = {name for name, n in first_names.items() if n >= 3 and len(name) > 2}
    actors = []
    for entry in entries:
        entry.code = recent(entry)
        if not entry.code or entry.code.startswith("KNT"):  # KNT: TABARI's test country
            continue
        if is_person(entry, common, demonyms):
            entry.kind = "Person"
        elif entry.source == "Countries":
            continue
        else:
            entry.kind = org_kind(entry.code)
        iso = CAMEO_ISO.get(entry.code[:3], entry.code[:3])
        entry.country = iso if iso in states else None
        entry.labels = make_labels(entry, demonyms)
        actors.append(entry)
    return actors


def resolve(entries: list[Entry], taken: set[str], stats: Counter[str]) -> list[Entry]:
    """Apply the exclusions; merge entries that list one actor twice (same slug, type, country)."""
    skipped = [e for e in entries if {norm(label) for label in e.labels} & taken]
    shadow = {norm(label) for e in skipped for label in e.labels}  # a hand-built actor's
    stats["skipped: shares a label with gazetteer.ttl"] = len(skipped)
    rest = [e for e in entries if not {norm(label) for label in e.labels} & taken]
    firsts: dict[tuple[str, str | None, str], Entry] = {}
    for entry in rest:
        entry.labels = [label for label in entry.labels if norm(label) not in shadow]
        key = (slug(entry.labels[0]), entry.country, entry.kind) if entry.labels else None
        if key in firsts:
            owner = firsts[key]
            known = {norm(label) for label in owner.labels}
            owner.labels += [label for label in entry.labels if norm(label) not in known]
            entry.labels = []
            stats["merged: same name (as a slug), type and country"] += 1
        elif key:
            firsts[key] = entry
        else:
            stats["skipped: no usable label"] += 1
    owners: dict[str, list[Entry]] = defaultdict(list)
    for entry in rest:
        for label in entry.labels:
            owners[norm(label)].append(entry)
    for key, claimants in owners.items():
        ambiguous = len({e.country for e in claimants}) > 1
        if len(claimants) > 1:
            stats["labels dropped: different countries" if ambiguous else "labels shared"] += 1
        for entry in claimants if ambiguous else claimants[1:]:
            entry.labels = [label for label in entry.labels if norm(label) != key]
    kept = [e for e in rest if e.labels]
    stats["skipped: labels all ambiguous or shared"] = len(firsts) - len(kept)
    return kept


def to_turtle(entries: list[Entry]) -> str:
    graph = Graph()
    for prefix, namespace in (("kgo", KGO._NS), ("actor", ACTOR), ("skos", SKOS)):
        graph.bind(prefix, namespace)
    seen: Counter[str] = Counter()
    for entry in sorted(entries, key=lambda e: (slug(e.labels[0]), e.labels[0], e.code)):
        key = "phx-" + slug(entry.labels[0])
        seen[key] += 1
        node = ACTOR[key if seen[key] == 1 else f"{key}-{seen[key]}"]
        graph.add((node, RDF.type, KGO[entry.kind]))
        graph.add((node, SKOS.prefLabel, Literal(entry.labels[0], lang="en")))
        for label in entry.labels[1:]:
            graph.add((node, SKOS.altLabel, Literal(label, lang="en")))
        graph.add((node, KGO.cameoCode, Literal(entry.code)))
        if entry.country:
            graph.add((node, KGO.country, ACTOR[entry.country]))
    header = HEADER.format(actors=len(entries), labels=sum(len(e.labels) for e in entries))
    return header + graph.serialize(format="turtle")


def slug(label: str) -> str:
    text = unicodedata.normalize("NFKD", label.lower().replace("'", ""))
    return re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode()).strip("-")


def build(directory: Path) -> tuple[str, list[Entry], Counter[str]]:
    main = Graph().parse(MAIN)
    taken = {norm(str(o)) for p in (SKOS.prefLabel, SKOS.altLabel) for o in main.objects(None, p)}
    states = {str(s).rsplit("/", 1)[1] for s in main.subjects(RDF.type, KGO.State)}
    demonyms = frozenset(str(o).upper() for o in main.objects(None, KGO.demonym))
    entries = [e for f in FILES for e in read_dictionary(directory / f"Phoenix.{f}.actors.txt", f)]
    actors = classify(entries, states, demonyms)
    stats = Counter({"dictionary entries": len(entries), "people and organisations": len(actors)})
    kept = resolve(actors, taken, stats)
    return to_turtle(kept), kept, stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("directory", type=Path, nargs="?", default=DEFAULT_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Turtle file to write")
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args(argv)
    text, entries, stats = build(args.directory.resolve())
    kinds = Counter(e.kind for e in entries)
    print(f"actors: {len(entries)}; persons: {kinds.pop('Person', 0)}")
    print("organisations:", ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print(f"labels: {sum(len(e.labels) for e in entries)}")
    print(f"with a country: {sum(1 for e in entries if e.country)}")
    print("\n".join(f"{name}: {count}" for name, count in sorted(stats.items())))
    return write_or_check(args.out, text, args.check)


if __name__ == "__main__":
    sys.exit(main())
