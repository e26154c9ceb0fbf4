""""Knows" from co-participation: two external people repeatedly on the same messages or meetings.

A pair of contacts who took part in at least :data:`MIN_TOGETHER` captured
touchpoints together, on at least :data:`MIN_DAYS` different days (one busy
thread is not a relationship), knows each other. The strength grows with how
often and fades with how long ago:

    strength = (1 - exp(-n / 6)) * 0.5 ** (days since the last one / half-life)

``n`` the touchpoints together, the age counted from the newest captured
touchpoint (not the wall clock, so the same data gives the same links on any
day), the half-life the strength reading's (``ACCOUNTGRAPH_STRENGTH_HALF_LIFE_DAYS``).
The link's origin keeps the evidence: ``captured: 12 meetings together since 2025-03``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations

import pyarrow.compute as pc

from graph import model as m
from graph.privacy import CAPTURED
from graph.store import Store, WriteReport

MIN_TOGETHER = 3
MIN_DAYS = 2
ORIGIN_PREFIX = "captured:"


@dataclass
class _Pair:
    emails: int = 0
    meetings: int = 0
    first: datetime | None = None
    last: datetime | None = None
    days: set[object] = field(default_factory=set)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def knows_links(
    touchpoints: Iterable[tuple[list[str], datetime, str]], *, half_life_days: float = 180.0,
) -> list[m.Knows]:
    """The "knows" links of the contacts of captured touchpoints (contact ids, at, type).

    Each pair once, source the smaller id, ordered by (source, target).

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> day = lambda d: datetime(2025, 3, d, tzinfo=UTC)
    >>> rows = [(["ann", "bob"], day(3), "meeting"), (["bob", "ann", "cy"], day(10), "email"),
    ...         (["ann", "bob"], day(20), "meeting")]
    >>> [(k.source, k.target, k.strength, k.origin) for k in knows_links(rows)]
    [('ann', 'bob', 0.393, 'captured: 2 meetings and 1 email together since 2025-03')]
    """
    pairs: dict[tuple[str, str], _Pair] = {}
    newest: datetime | None = None
    for contacts, at, kind in touchpoints:
        newest = at if newest is None or at > newest else newest
        for a, b in combinations(sorted(set(contacts)), 2):
            p = pairs.get((a, b))
            if p is None:
                p = pairs[(a, b)] = _Pair()
            if kind == "meeting":
                p.meetings += 1
            else:
                p.emails += 1
            p.first = at if p.first is None or at < p.first else p.first
            p.last = at if p.last is None or at > p.last else p.last
            p.days.add(at.date())
    out = []
    for (a, b), p in sorted(pairs.items()):
        n = p.emails + p.meetings
        if n < MIN_TOGETHER or len(p.days) < MIN_DAYS:
            continue
        assert p.first is not None and p.last is not None and newest is not None
        age = (newest - p.last).total_seconds() / 86400
        strength = (1 - math.exp(-n / 6)) * 0.5 ** (age / half_life_days)
        said = " and ".join(s for s in (_plural(p.meetings, "meeting") if p.meetings else "",
                                        _plural(p.emails, "email") if p.emails else "") if s)
        out.append(m.Knows(source=a, target=b, strength=round(min(strength, 1.0), 3),
                           origin=f"{ORIGIN_PREFIX} {said} together since {p.first:%Y-%m}"))
    return out


def write_knows(store: Store, *, half_life_days: float = 180.0) -> WriteReport:
    """Every captured touchpoint's pairs of contacts written as "knows" links.

    A pair that already has a link from elsewhere (a rep's notes, an import) keeps
    it: capture writes and rewrites only its own.
    """
    table = store.get_table("touchpoint")
    table = table.filter(pc.fill_null(pc.equal(table.column("origin"), CAPTURED), False))
    rows = zip(table.column("contact_ids").to_pylist(), table.column("at").to_pylist(),
               table.column("type").to_pylist(), strict=True)
    links = knows_links(((c or [], at, t) for c, at, t in rows), half_life_days=half_life_days)
    # One read of the others' links: a read per person (100,000 of them) was still going
    # after 12 minutes of a million-message capture.
    theirs = {frozenset((r.source, r.target))
              for r in store.relationships_not_from("KNOWS", ORIGIN_PREFIX)}
    mine = [k for k in links if frozenset((k.source, k.target)) not in theirs]
    return store.link("KNOWS", mine) if mine else WriteReport("KNOWS")
