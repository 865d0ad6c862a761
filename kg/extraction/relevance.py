"""Whether a coded act is political: the filter that keeps sport scores, crimes and
lab results out of the graph.

CAMEO codes interactions of political actors (governments and their organs,
politicians, parties, armed forces and groups, international bodies, NGOs, and
groups of a country's people such as its protesters). An act other than a statement
(01) is kept when one of its sides is such an actor (a gazetteer actor of a political
type, or a sector of a named country), or when the sentence names a known political
actor that is not just a place ("Steve Scalise ... calling the investigation into
Trump ..."). Otherwise ("Caloundra defeated Wynnum 45 points to 24", "McArthur
murdered gay men", "Boeing hit the ocean") it is dropped. The types are data:
``political_actor_types`` in ``ontology/extraction-cues.yaml``.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from kg.actors.resolution import Gazetteer
from kg.extraction.lexicon import Cues
from kg.extraction.mentions import Mention

__all__ = ["is_political", "names_political_actor"]

_WORD = re.compile(r"[a-z]+")
_SECTOR = "/actor/sector/"
_TITLE_WINDOW = 4  # words before a name that may be its title


def is_political(
    mention: Mention | None,
    sentence: str,
    gazetteer: Gazetteer,
    cues: Cues,
    titled: frozenset[str] | set[str] = frozenset(),
) -> bool:
    """A known actor of a political type, a sector of a named country, or a name
    carrying a political title or body in the sentence ("Prime Minister Andrej Babis",
    "the men's rights group National Coalition for Men")."""
    if mention is None:
        return False
    actor = mention.actor
    if actor.type not in cues.political_actor_types:
        return False
    if actor.id in gazetteer.actors or (actor.country is not None and _SECTOR in actor.id):
        return True  # a known actor, or a sector of a known state ("Haitian workers")
    if actor.id in titled:
        return True  # introduced earlier with a title ("Carrie Lam, the chief executive")
    before = sentence[: sentence.find(mention.text)] if mention.text in sentence else ""
    words = _WORD.findall(f"{actor.label} {mention.text}".lower())
    words += _WORD.findall(before.lower())[-_TITLE_WINDOW:]
    return not cues.political_name_words.isdisjoint(words)


def names_political_actor(sentence: Span, gazetteer: Gazetteer, types: frozenset[str]) -> bool:
    """Whether the sentence names a known political actor other than a state (states
    and their cities are also where things happen)."""
    for ent in sentence.ents:
        actor = gazetteer.actors.get(ent.ent_id_) if ent.ent_id_ else None
        if actor is not None and actor.type in types and actor.type != "State":
            return True
    return False
