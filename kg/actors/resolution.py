"""Actors: the gazetteer, and resolving a mention to one actor node.

The gazetteer is RDF (``ontology/gazetteer.ttl`` plus user files): SKOS labels,
demonyms, titles, a type, the country an actor is or acts for, a Wikidata link.
Mentions that name no known actor get a deterministic minted IRI from the
normalised name and NER type.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF
from rdflib.namespace import OWL, SKOS

from kg.errors import OntologyError
from kg.graph.vocab import ACTOR, KGO, WD
from kg.models import ACTOR_TYPES, Actor
from kg.settings import ONTOLOGY_DIR

__all__ = [
    "ArticleActors",
    "Gazetteer",
    "is_generation",
    "load_gazetteer",
    "mint_actor",
    "normalise",
    "sector_actor",
]

_DASHES = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-", "’": "'", "‘": "'", "`": "'"})
_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|')$")


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """The lookup key of a name: case, accents, dashes, articles and possessives ignored."""
    text = unicodedata.normalize("NFKD", name.translate(_DASHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _POSSESSIVE.sub("", text.strip())
    text = _LEADING_ARTICLE.sub("", text)
    text = re.sub(r"[\s-]+", " ", text.replace(".", ""))
    return text.lower().strip()


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise(name)).strip("-") or "unnamed"


_NER_TYPES = {"PERSON": "Person", "ORG": "Other", "NORP": "Other", "GPE": "State"}


def mint_actor(name: str, ner_label: str, base_iri: str) -> Actor:
    """A deterministic actor for a name the gazetteer does not know."""
    actor_type = _NER_TYPES.get(ner_label, "Other")
    iri = f"{base_iri}actor/{ner_label.lower()}/{slugify(name)}"
    label = _LEADING_ARTICLE.sub("", name.strip())
    return Actor(id=iri, label=label, type=actor_type)


_ADJECTIVE_ENDINGS = ("ish", "ese", "an", "ian", "i", "ic", "ch", "ot")
_SECTOR_TYPES = {
    "Military": "Military",
    "Rebels": "ArmedGroup",
    "Civilians": "Other",
    "Opposition": "Party",
    "Parties": "Party",
    "Media": "Media",
}
_SECTOR_LABELS = {
    "Military": "military",
    "Rebels": "rebels",
    "Civilians": "civilians",
    "Opposition": "opposition",
    "Parties": "political parties",
    "Media": "media",
}


def sector_actor(
    state: Actor,
    sector: str,
    base_iri: str,
    demonym: str | None = None,
    group: str | None = None,
) -> Actor:
    """One actor per state and sector, like CAMEO's IRQCVL: "Iraqi civilians", "Turkish
    military" (with the state's adjective), else "Iraq (civilians)". Every mention of
    the sector ("US forces", "American warships") is the same actor. A civilian
    ``group`` ("protesters", "workers") is an actor of its own, named as the group with
    its state beside it, "protesters (Nepal)": a group acts for itself, not for its state
    (the events-dev conventions code "Nepalese protesters" as the protesters).

    Government nouns stand for the state itself ("Iranian officials" is Iran).
    """
    if sector not in _SECTOR_TYPES:
        return state
    code = state.country or slugify(state.label)
    noun = group or _SECTOR_LABELS[sector]
    return Actor(
        id=f"{base_iri}actor/sector/{code.lower()}-{slugify(group or sector)}",
        label=(
            f"{group} ({state.label})"
            if group
            else f"{demonym} {noun}"
            if demonym
            else f"{state.label} ({noun})"
        ),
        type=_SECTOR_TYPES[sector],
        country=state.country,
    )


@dataclass
class Gazetteer:
    """Known actors indexed by every surface form a text may use for them."""

    actors: dict[str, Actor] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # normalised label -> IRI
    demonyms: dict[str, str] = field(default_factory=dict)  # normalised demonym -> IRI
    titles: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    members: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    fallback_labels: dict[str, str] = field(default_factory=dict)  # Phoenix names -> IRI
    _iso: dict[str, str] = field(default_factory=dict)  # state IRI -> ISO alpha-3
    surface_forms: dict[str, list[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # IRI -> [(text as written, kind)] for the entity ruler

    def lookup(self, name: str) -> Actor | None:
        key = normalise(name)
        iri = self.labels.get(key) or self.demonyms.get(key) or self.fallback_labels.get(key)
        return self.actors.get(iri) if iri else None

    def state(self, iso3: str) -> Actor | None:
        """The state actor of an ISO 3166 alpha-3 code."""
        actor = self.actors.get(f"{ACTOR}{iso3}")
        return actor if actor is not None and actor.type == "State" else None

    def adjective(self, actor: Actor) -> str:
        """The adjective of a state ("Turkish", "American"), else its name, for sector
        labels."""
        forms = [text for text, kind in self.surface_forms.get(actor.id, ()) if kind == "demonym"]
        for form in forms:
            if form.endswith(_ADJECTIVE_ENDINGS) and not form.endswith("ans"):
                return form
        return actor.label  # "Hong Kong protesters": the name as the modifier

    def by_demonym(self, word: str) -> Actor | None:
        iri = self.demonyms.get(normalise(word))
        return self.actors.get(iri) if iri else None

    def members_with_title(self, organisation: str, title: str) -> list[Actor]:
        """Actors with ``title`` who belong to ``organisation`` (directly)."""
        return [
            self.actors[iri]
            for iri in self.titles.get(title, [])
            if organisation in self.members.get(iri, ())
        ]

    def with_title(self, title: str) -> list[Actor]:
        return [self.actors[iri] for iri in self.titles.get(title, [])]

    def add_description(self, subjects: Description, origin: str, fallback: bool = False) -> None:
        """Index the actors described in one file (later files override earlier labels).

        A ``fallback`` file (the large Phoenix-derived list) only answers lookups of
        names that NER found and the main files do not know; it feeds no entity ruler.
        """
        types = {str(KGO[name]): name for name in ACTOR_TYPES}
        iso = str(KGO.isoCode)
        for iri, properties in subjects.items():
            codes = properties.get(iso)
            if codes:
                self._iso[iri] = codes[0]
        for iri, properties in subjects.items():
            actor_type = next((types[t] for t in properties.get(_TYPE, ()) if t in types), None)
            if actor_type is None:
                continue
            labels = properties.get(_PREF_LABEL)
            if not labels:
                raise OntologyError(f"actor <{iri}> has no skos:prefLabel", origin)
            country_node = next(iter(properties.get(str(KGO.country), ())), None)
            country = None
            if country_node is not None:
                country = self._iso.get(country_node) or (
                    self.actors[country_node].country if country_node in self.actors else None
                )
            wikidata = next(
                (o[len(str(WD)) :] for o in properties.get(_SAME_AS, ()) if o.startswith(str(WD))),
                None,
            )
            alt = sorted(properties.get(_ALT_LABEL, ()))
            self.actors[iri] = Actor(iri, labels[0], actor_type, country, wikidata, tuple(alt))
            index = self.fallback_labels if fallback else self.labels
            for name in (labels[0], *alt):
                index[normalise(name)] = iri
                if not fallback:
                    self.surface_forms[iri].append((name, "label"))
            if fallback:
                continue
            for demonym in properties.get(str(KGO.demonym), ()):
                self.demonyms[normalise(demonym)] = iri
                self.surface_forms[iri].append((demonym, "demonym"))
            for title in properties.get(str(KGO.title), ()):
                self.titles[title.lower()].append(iri)
            for organisation in properties.get(str(KGO.memberOf), ()):
                self.members[iri].add(organisation)
        # Transitive membership: a Quds Force commander is also an IRGC member.
        for organisations in self.members.values():
            stack = list(organisations)
            while stack:
                for parent in self.members.get(stack.pop(), ()):
                    if parent not in organisations:
                        organisations.add(parent)
                        stack.append(parent)


#: subject IRI -> predicate IRI -> object values (IRIs or literal text)
Description = dict[str, dict[str, list[str]]]
_TYPE = str(RDF.type)
_PREF_LABEL = str(SKOS.prefLabel)
_ALT_LABEL = str(SKOS.altLabel)
_SAME_AS = str(OWL.sameAs)


def read_description(path: Path) -> Description:
    """The triples of an RDF file grouped by subject (parsed by Oxigraph: fast on large files)."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise OntologyError(
            f"unknown RDF file type {path.suffix!r} (use .ttl, .nt or .rdf)", str(path)
        )
    subjects: Description = defaultdict(lambda: defaultdict(list))
    try:
        for triple in ox.parse(path=str(path), format=fmt):
            subjects[triple.subject.value][triple.predicate.value].append(triple.object.value)
    except (SyntaxError, ValueError, OSError) as error:
        raise OntologyError(f"cannot parse gazetteer: {error}", str(path)) from error
    return subjects


_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


def load_gazetteer(extra: Iterable[Path] = (), fallback: bool = True) -> Gazetteer:
    """The built-in gazetteer, then the user's files in order, then the fallback list."""
    gazetteer = Gazetteer()
    for path in (ONTOLOGY_DIR / "gazetteer.ttl", *extra):
        path = Path(path)
        if not path.exists():
            raise OntologyError("gazetteer file not found", str(path))
        gazetteer.add_description(read_description(path), str(path))
    phoenix = ONTOLOGY_DIR / "gazetteer-phoenix.ttl"
    if fallback and phoenix.exists():
        gazetteer.add_description(read_description(phoenix), str(phoenix), fallback=True)
    return gazetteer


_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})


def is_generation(word: str) -> bool:
    """Whether ``word`` marks a generation after a name ("Jr.", "Sr", "III"): "Donald Trump
    Jr." is not Donald Trump."""
    return word.lower().strip(".,") in _GENERATIONS


@dataclass
class ArticleActors:
    """Actors mentioned so far in one article, for pronouns and short forms."""

    mentions: list[tuple[int, Actor]] = field(default_factory=list)  # (char offset, actor)
    surnames: dict[str, Actor] = field(default_factory=dict)
    first_names: dict[str, Actor | None] = field(default_factory=dict)  # None: ambiguous
    women: set[str] = field(default_factory=set)  # ids of persons known to be women

    def note(self, offset: int, actor: Actor, surface: str | None = None) -> None:
        """Note ``actor`` named at ``offset``; mentions stay in text order, whatever the
        order they are noted in (crowds are noted when a rule resolves them)."""
        if self.mentions and offset < self.mentions[-1][0]:
            bisect.insort(self.mentions, (offset, actor), key=lambda m: m[0])
        else:
            self.mentions.append((offset, actor))
        if actor.type == "Person" and surface:
            parts = surface.replace(",", " ").split()
            while len(parts) > 1 and is_generation(parts[-1]):
                parts.pop()  # "Cyrus R. Vance, Jr." is "Vance"
            if len(parts) > 1:
                self.surnames[normalise(parts[-1])] = actor
                middle = parts[-2] if len(parts) > 2 else ""
                if len(middle) > 2 and middle[:1].isupper() and middle.isalpha():
                    # "Wanda Vázquez Garced" is "Vázquez" (Spanish double surnames)
                    self.surnames.setdefault(normalise(middle), actor)
                first = normalise(parts[0])
                seen = self.first_names.get(first, actor)
                same = seen is not None and seen.id == actor.id
                self.first_names[first] = actor if same else None
            else:  # "Rosselló said": the recogniser's later "Rosselló" (ORG) is him too
                self.surnames.setdefault(normalise(parts[0]), actor)

    def main_country(self, offset: int) -> str | None:
        """The country the article is about before ``offset``: named in at least half of
        the mentions that have a country. An article about the US and Iraq has none, and
        its bare "Parliament" stays unqualified rather than guessed."""
        counts = Counter(a.country for p, a in self.mentions if p < offset and a.country)
        if not counts:
            return None
        country, count = counts.most_common(1)[0]
        return country if count * 2 >= sum(counts.values()) else None

    def before(self, offset: int) -> Iterable[Actor]:
        """Actors mentioned before ``offset``, most recent first."""
        for position, actor in reversed(self.mentions):
            if position < offset:
                yield actor

    def last_person(self, offset: int, woman: bool | None = None) -> Actor | None:
        """The person named last before ``offset``; for "she" (``woman``) the last woman
        named, if any, else the last person; for "he" the last person not known to be
        a woman ("Nancy Pelosi met Donald Trump. She criticized ..." is Pelosi)."""
        people = [a for a in self.before(offset) if a.type == "Person"]
        if woman is True:
            return next((a for a in people if a.id in self.women), people[0] if people else None)
        if woman is False:
            return next((a for a in people if a.id not in self.women), None)
        return people[0] if people else None

    def last_group(self, offset: int) -> Actor | None:
        return next((a for a in self.before(offset) if a.type != "Person"), None)

    def last_with(self, offset: int, candidates: Iterable[Actor]) -> Actor | None:
        wanted = {actor.id for actor in candidates}
        return next((a for a in self.before(offset) if a.id in wanted), None)
