"""Names for actors the gazetteer does not know: cleaned before an IRI is minted.

A minted actor needs a real name: "Crete and", "Democratic Rally in", "Patrice Talon
of", "Hagia Sophia's" and "(AfCFTA" are fragments the entity recogniser left around a
name; "anti-Brexit" is a stance; "navy" and "Navy" are one actor with one label. Word
lists (time zones, words that are never actors, national bodies) are data in
``ontology/extraction-cues.yaml``.
"""

from __future__ import annotations

import re

__all__ = ["clean_name"]

_POSSESSIVE = re.compile(r"\s*(?:'s|’s|'|’)$")
_EDGE_WORDS = frozenset({"of", "and", "in", "for", "the", "to", "at", "on", "or", "by", "with"})
_LEADING = frozenset({"the", "a", "an"})
_STANCE = re.compile(r"(?i)(?:pro|anti|non)-\w")
_SHORT_ACRONYM = 4  # "NATO", "FBI" keep their capitals; "NAVY" does not


def clean_name(text: str) -> str | None:
    """The name inside an entity's text, or None when nothing name-like is left."""
    name = _POSSESSIVE.sub("", " ".join(text.split()))
    if name.count("(") > name.count(")"):
        name = name[: name.rfind("(")]
    name = name.strip(" ,;:-–—\"'“”‘’")
    words = name.split()
    while words and words[-1].lower() in _EDGE_WORDS:
        words.pop()
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    if not words or not any(ch.isalpha() for ch in "".join(words)):
        return None
    if len(words) == 1 and _STANCE.match(words[0]):
        return None  # "an anti-Brexit march", "pro-Democracy marchers": a stance, no one
    name = " ".join(words)
    if name.islower() or (name.isupper() and len(name.replace(" ", "")) > _SHORT_ACRONYM):
        name = " ".join(word[:1].upper() + word[1:].lower() for word in words)
    return name
