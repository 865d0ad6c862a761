"""Places in a sentence: the country of a place it names ("south Serbia", "Kirkuk")."""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.actors.resolution import Gazetteer

__all__ = ["PLACE_LABELS", "PlaceContext"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


class PlaceContext:
    """Place rules of ``MentionResolver``."""

    gazetteer: Gazetteer
    _entities: dict[int, Span]

    def _place_country(self, token: Token) -> str | None:
        """The country of the place ``token`` names ("south Serbia", "Kirkuk"), if any."""
        for node in (token, *[c for c in token.children if c.dep_ == "appos"]):
            ent = self._entities.get(node.i)
            if ent is not None and ent.label_ in PLACE_LABELS:
                actor = self.gazetteer.actors.get(ent.id_) or self.gazetteer.lookup(ent.text)
                if actor is not None and actor.country:
                    return actor.country
        return None
