"""The stored reports a change of some reports can affect: merge keys and the
neighbourhood they find.

Merging (:mod:`kg.graph.merge`) only ever puts together reports of one family (source
identity, CAMEO root) dated in one calendar week (:func:`~kg.graph.merge.period`); an
undated report joins only reports of its own article. So when reports come or go, the
events that can change are those of the reports of their family in their week: that
neighbourhood is closed (no report outside it can share an event with one inside), and
merging it alone gives exactly the events that merging the whole family gives for it.
Its size is bounded by how much one week brings, never by what the store holds, so
storing an article costs the same in a small store and a large one. For roots without
loose reports (statements, appeals, ...: everything outside
:data:`~kg.graph.merge.LOOSE_ROOTS`) it is narrower still: events are then the
components of one key (source and target identity, root), so only reports of the seeds'
keys are read.

Finding it must not read the whole family (a busy actor's statements are thousands of
reports per day of news), so every dated report carries its **merge key**, its reach
group and day (``kgo:mergeKey "IDENTITY TARGET ROOT DAY"``, or ``"IDENTITY ROOT DAY"``
for a loose root), in its article's graph: the store's predicate-object index then
answers "the reports of this group on these days" by lookups, and the key comes and
goes with the article graph (dropping or replacing an article drops its keys in the
same transaction), so it cannot fall out of step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from rdflib import Literal, URIRef

from kg.graph.merge import LOOSE_ROOTS, MentionFacts, period
from kg.graph.vocab import KGO

__all__ = ["MERGE_KEY", "key_triple", "merge_key", "neighbourhood"]

MERGE_KEY = KGO.mergeKey

#: At most this many keys per lookup query (a long VALUES block is parsed per query).
KEYS_PER_QUERY = 400


def merge_key(group: tuple, day: dt.date) -> str:
    """The reach group of a report (:func:`reach_group`) and its date, as stored:
    ``"IDENTITY ROOT DAY"`` for a family, ``"IDENTITY TARGET ROOT DAY"`` for a key
    (``-`` for no target)."""
    kind, value = group
    if kind == "family":
        identity, root = value
        return f"{identity} {root} {day.isoformat()}"
    identity, target, root = value
    return f"{identity} {target or '-'} {root} {day.isoformat()}"


def key_triple(mention: MentionFacts) -> tuple[URIRef, URIRef, Literal] | None:
    """The merge-key triple of a dated report (undated reports need none)."""
    if mention.date is None:
        return None
    key = merge_key(reach_group(mention), mention.date)
    return (URIRef(mention.mention), MERGE_KEY, Literal(key))


def neighbourhood(
    fetch: Callable[[list[str]], list[MentionFacts]], seeds: Iterable[MentionFacts]
) -> list[MentionFacts]:
    """The stored reports within reach of ``seeds`` (reports coming or leaving): the
    reports of their reach group (:func:`reach_group`) dated in a seed's week, whatever
    the merge window (the week bounds every window). ``fetch`` returns the stored reports
    with the given merge keys (at most :data:`KEYS_PER_QUERY` a call). Undated seeds
    reach nothing stored (their article's reports are all among the seeds)."""
    wanted = sorted(_week_days(seeds), key=repr)
    found: dict[str, MentionFacts] = {}
    for start in range(0, len(wanted), KEYS_PER_QUERY):
        chunk = wanted[start : start + KEYS_PER_QUERY]
        for mention in fetch([merge_key(group, day) for group, day in chunk]):
            found.setdefault(mention.mention, mention)
    return sorted(found.values(), key=lambda m: m.mention)


def reach_group(mention: MentionFacts) -> tuple:
    """The reports a report can share an event with, whatever their dates: of its key
    (source and target identity, root) when its root has no loose reports, since events
    are then the components of one key; of its whole family (source identity, root)
    when loose reports may join events of other targets (:data:`LOOSE_ROOTS`)."""
    if mention.root in LOOSE_ROOTS:
        return ("family", mention.family)
    return ("key", mention.key)


def _week_days(mentions: Iterable[MentionFacts]) -> set[tuple[tuple, dt.date]]:
    """(reach group, day) of every day in the week of a dated mention."""
    days = set()
    for mention in mentions:
        if mention.date is None:
            continue
        monday = period(mention.date)
        for offset in range(7):
            try:
                days.add((reach_group(mention), monday + dt.timedelta(days=offset)))
            except OverflowError:  # the week of 9999-12-31
                continue
    return days
