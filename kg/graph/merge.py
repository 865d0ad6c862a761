"""Event identity: which mentions report the same real-world event.

Two mentions report the same event when they have the same source and target
actors, their CAMEO codes share a root, and their dates are close: the same day
when both sentences state the date, within two days when either date is only
inferred from the article (both configurable in :class:`MergeWindow`). Mentions
without a date join only the undated mentions of the same article.

"The same actor" follows CAMEO's actor codes, where USAGOV and USAMIL are the
United States acting through its government or military: a state's government
and military agencies (actor types Government and Military with a country) count
as that state, so "the Pentagon struck" and "the US struck" can be one event.
The event keeps the actor most of its mentions name (on a tie, the first IRI).

A report that leaves the target out ("Iran's Revolutionary Guards launched
missiles at the Ain al-Asad base") or whose target is only implied by the place
(CAMEO's convention for force: "at a base in western Iraq" is -> Iraq) is a loose
report of a physical act (:data:`LOOSE_ROOTS`). It joins the one event of the same
source and root, within the window, whose reports name the target ("Iran launched
missiles against U.S. forces"), the nearest in date when several are in the window;
with none, or with two equally near, it stays its own event, so a loose report never
joins two targets into one.

An event lasts at most one calendar week (ISO 8601, Monday to Sunday: :func:`period`):
reports in different weeks are different events even when their dates are within the
window across a Sunday night. Without that bound an act reported every day (a busy
actor's statements to another) would chain into one event spanning months, and every
new report would re-merge the whole chain, so that storing an article would cost more
the more was stored (issue 18).

Events are the connected components of that relation, so the result depends only
on the set of mentions, never on the order they arrived in; every attribute of
an event (its IRI included) is a function of its mentions:

- IRI: from the source and target identities (of the reports that name the
  target, when some do), root and earliest date (or, undated, the article);
- code: the most specific code among the mentions (``193`` beats ``190``), then
  the most frequent, then the smallest;
- date: the earliest date a sentence states, else the earliest inferred one;
- confidence: ``1 - prod(1 - c)`` over the mentions (more reports, more sure);
- counts of mentions, articles and sources (outlets), first and last report date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "LOOSE_ROOTS",
    "STATE_AGENT_TYPES",
    "MentionFacts",
    "MergeWindow",
    "MergedEvent",
    "merge_mentions",
    "period",
]

#: Actor types that act for their country in CAMEO's sense (USAGOV, USAMIL).
STATE_AGENT_TYPES = frozenset({"Government", "Military"})

#: Roots of physical acts, done once in one place, whose reports may leave out the
#: target: CAMEO's material cooperation (06-09) and material conflict (15-20), and
#: protest (14). Statements and appeals (01-05, 10-13) happen many times a day.
LOOSE_ROOTS = frozenset({"06", "07", "08", "09", "14", "15", "16", "17", "18", "19", "20"})


def period(day: dt.date) -> dt.date:
    """The Monday of ``day``'s calendar week: reports of different periods never make
    one event."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class MergeWindow:
    """How many days apart two mentions' dates may be and still report one event."""

    stated: int = 0  # both dates stated by their sentences: the same day
    inferred: int = 2  # either date inferred from the article date

    def days(self, a: MentionFacts, b: MentionFacts) -> int:
        return self.inferred if a.date_inferred or b.date_inferred else self.stated


@dataclass(frozen=True, slots=True)
class MentionFacts:
    """What merging needs to know about one report of an event."""

    mention: str  # IRI
    source: str
    target: str | None
    code: str
    date: dt.date | None
    date_inferred: bool
    confidence: float
    article: str  # article id
    article_date: dt.date | None = None
    outlet: str | None = None  # the article's source, e.g. "Reuters"
    location: str | None = None
    source_identity: str = ""  # the state a state agent acts for, else the source itself
    target_identity: str | None = None
    target_implied: bool = False  # the target is the place of the act, not named

    def __post_init__(self) -> None:
        if not self.source_identity:
            object.__setattr__(self, "source_identity", self.source)
        if self.target_identity is None and self.target is not None:
            object.__setattr__(self, "target_identity", self.target)

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def key(self) -> tuple[str, str | None, str]:
        """Mentions with different keys report the same event only through loose reports."""
        return (self.source_identity, self.target_identity, self.root)

    @property
    def family(self) -> tuple[str, str]:
        """Mentions of different families never report the same event."""
        return (self.source_identity, self.root)

    @property
    def loose(self) -> bool:
        """A report of a physical act that does not name its target."""
        return (self.target is None or self.target_implied) and self.root in LOOSE_ROOTS


@dataclass(frozen=True, slots=True)
class MergedEvent:
    """One real-world event and the mentions that report it."""

    id: str  # stable digest; the IRI is the minter's business
    source: str
    target: str | None
    code: str
    date: dt.date | None
    date_inferred: bool
    location: str | None
    confidence: float
    mentions: tuple[MentionFacts, ...]  # first report first

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def first_mention(self) -> MentionFacts:
        return self.mentions[0]

    @property
    def articles(self) -> int:
        return len({m.article for m in self.mentions})

    @property
    def sources(self) -> int:
        """Distinct outlets; an article without a named outlet counts as its own."""
        return len({m.outlet or f"article:{m.article}" for m in self.mentions})

    @property
    def first_reported(self) -> dt.date | None:
        return min((m.article_date for m in self.mentions if m.article_date), default=None)

    @property
    def last_reported(self) -> dt.date | None:
        return max((m.article_date for m in self.mentions if m.article_date), default=None)


def merge_mentions(
    mentions: Iterable[MentionFacts], window: MergeWindow | None = None
) -> list[MergedEvent]:
    """Group mentions into events; the same set of mentions always gives the same
    events, in a stable order (by key, then date)."""
    window = window or MergeWindow()
    by_family: dict[tuple[str, str], list[MentionFacts]] = defaultdict(list)
    for mention in set(mentions):
        by_family[mention.family].append(mention)
    events = []
    for family in sorted(by_family):
        events.extend(_family_events(by_family[family], window))
    return sorted(
        events, key=lambda e: (e.source, e.target or "", e.root, e.date or dt.date.max, e.id)
    )


def _family_events(mentions: list[MentionFacts], window: MergeWindow) -> list[MergedEvent]:
    """Events of one source and root: the components of each key, then every loose
    component joined to the named-target component nearest to it in the window, if
    just one is nearest."""
    by_key: dict[tuple, list[MentionFacts]] = defaultdict(list)
    for mention in mentions:
        by_key[mention.key].append(mention)
    named: list[tuple[tuple, list[MentionFacts]]] = []
    loose: list[tuple[tuple, list[MentionFacts]]] = []
    for key in sorted(by_key, key=lambda k: (k[0], k[1] or "", k[2])):
        for group in _components(by_key[key], window):
            (loose if all(m.loose for m in group) else named).append((key, group))
    alone = []
    for key, group in loose:
        gaps = {i: _gap(group, other, window) for i, (_, other) in enumerate(named)}
        near = min((g for g in gaps.values() if g is not None), default=None)
        hosts = [i for i, gap in gaps.items() if near is not None and gap == near]
        if len(hosts) == 1:
            named[hosts[0]][1].extend(group)
        else:
            alone.append((key, group))
    return [_event(key, group) for key, group in (*named, *alone)]


def _gap(a: list[MentionFacts], b: list[MentionFacts], window: MergeWindow) -> int | None:
    """The fewest days between a mention of ``a`` and one of ``b`` within the window
    of each other, or None when no two are."""
    return min(
        (
            abs((m.date - n.date).days)
            for m in a
            for n in b
            if m.date
            and n.date
            and period(m.date) == period(n.date)
            and abs((m.date - n.date).days) <= window.days(m, n)
        ),
        default=None,
    )


def _components(mentions: list[MentionFacts], window: MergeWindow) -> list[list[MentionFacts]]:
    """Connected components of the same-event relation among mentions of one key.

    Mentions of one day are always connected (0 days apart is within both windows), so
    the components are those of days: two days of one week (:func:`period`) ``g`` days
    apart are connected when both have a stated date and ``g`` is within the stated
    window, or either has an inferred date and ``g`` is within the inferred one. That is
    linear in the mentions (a busy key has hundreds a day), not quadratic as comparing
    every pair within the window was.
    """
    dated = sorted((m for m in mentions if m.date), key=lambda m: (m.date, m.mention))
    days = sorted({m.date for m in dated})
    inferred = {m.date for m in dated if m.date_inferred}
    stated = {m.date for m in dated if not m.date_inferred}
    parent = {day: day for day in days}

    def find(day: dt.date) -> dt.date:
        while parent[day] != day:
            parent[day] = parent[parent[day]]
            day = parent[day]
        return day

    widest = max(window.stated, window.inferred)
    for i, day in enumerate(days):
        for later in days[i + 1 :]:
            gap = (later - day).days
            if gap > widest or period(later) != period(day):
                break
            both_stated = day in stated and later in stated
            either_inferred = day in inferred or later in inferred
            if (both_stated and gap <= window.stated) or (
                either_inferred and gap <= window.inferred
            ):
                parent[find(later)] = find(day)
    groups: dict[dt.date, list[MentionFacts]] = defaultdict(list)
    for mention in dated:
        groups[find(mention.date)].append(mention)
    undated: dict[str, list[MentionFacts]] = defaultdict(list)
    for mention in mentions:
        if mention.date is None:
            undated[mention.article].append(mention)
    return [*groups.values(), *(undated[a] for a in sorted(undated))]


def _event(key: tuple, group: list[MentionFacts]) -> MergedEvent:
    """The event of a component of mentions of ``key``, with any loose ones it took in."""
    ordered = tuple(
        sorted(group, key=lambda m: (m.article_date or dt.date.max, -m.confidence, m.mention))
    )
    own = [m for m in group if m.key == key]
    stated = [m.date for m in group if m.date and not m.date_inferred]
    inferred = [m.date for m in group if m.date and m.date_inferred]
    date = min(stated or inferred, default=None)
    dates = [m.date for m in group if m.date]
    undated = min(m.article for m in group)
    anchor = min(dates).isoformat() if dates else f"undated|{undated}"
    identity, target_identity, root = key
    digest = hashlib.sha1(
        "|".join((identity, target_identity or "", root, anchor)).encode("utf-8")
    ).hexdigest()[:20]
    unsure = 1.0
    for mention in group:
        unsure *= 1.0 - min(max(mention.confidence, 0.0), 1.0)
    return MergedEvent(
        id=digest,
        source=_most_named(m.source for m in group),
        target=_most_named(m.target for m in own) if target_identity else None,
        code=_most_specific(m.code for m in group),
        date=date,
        date_inferred=not stated,
        location=next((m.location for m in ordered if m.location), None),
        confidence=round(1.0 - unsure, 3),
        mentions=ordered,
    )


def _most_named(actors: Iterable[str | None]) -> str:
    """The actor most mentions name; a tie goes to the smallest IRI (deterministic)."""
    counts = Counter(a for a in actors if a)
    return min(counts, key=lambda a: (-counts[a], a))


def _most_specific(codes: Iterable[str]) -> str:
    """``1041`` over ``104`` over ``100``; ties go to the most frequent, then the smallest."""
    counts = Counter(codes)
    return min(counts, key=lambda c: (-len(c), c.endswith("0") and len(c) == 3, -counts[c], c))
