"""Handovers: who owned an account before, from when to when, and what they knew.

A rep who inherits an account needs first what the last owner knew: the touchpoints
they took part in, the people they knew best, and (on the pages, where privacy decides
per contact) the notes they entered. :func:`handovers` reads, for every ownership
period that ended on or before ``as_of`` (newest first):

* **who and when**: the user, the period, whether they are still one of our users
  (an inactive user cannot be asked), and who took the account over;
* **their touchpoints**: how many they took part in here, of which kinds, the last one;
* **the people they knew best**: each contact they shared a touchpoint with, by their
  pair strength *as of the handover* (the strength formula of
  :mod:`graph.readings.strength`, counting only touchpoints up to that day: what they
  knew when they left, not what has faded since), and the contacts their "knows" links
  name; the strongest ``top`` of them, with the touchpoints behind each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from graph.readings.facts import AccountFacts, Ownership
from graph.readings.rules import Rules, resolve
from graph.readings.strength import DEFAULT_HALF_LIFE_DAYS, Weigher
from graph.readings.touches import Touch, expand, from_us, to_us


@dataclass
class KnownPerson:
    """A contact a previous owner knew, as they knew them at the handover."""

    contact_id: str
    name: str
    strength: float  # their pair strength as of the handover (0..1)
    touchpoints: int  # touchpoints the two shared up to the handover
    last_touch: datetime | None
    knows: float | None = None  # the strength of their "knows" link, where one exists
    current: bool = True  # still works at the account


@dataclass
class Handover:
    """One ownership period that ended: the previous owner and what they knew."""

    user_id: str
    name: str
    active: bool  # still one of our users
    since: datetime | None
    until: datetime
    successor_id: str | None  # who owned it next
    successor: str | None
    touchpoints: int = 0  # they took part in, here, up to as_of
    last_touch: datetime | None = None
    kinds: dict[str, int] = field(default_factory=dict)  # most first
    recent: list[Touch] = field(default_factory=list)  # their last touchpoints, newest first
    knew_best: list[KnownPerson] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def handovers(
    facts: AccountFacts,
    *,
    rules: Rules | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    top: int = 5,
) -> list[Handover]:
    """Every ended ownership period of the account, the latest handover first.

    Parameters
    ----------
    facts : AccountFacts
        The account, with its ownership periods (``facts.owners``).
    rules : Rules, optional
        Touchpoint weights of the ``[strength]`` table; the defaults when None.
    half_life_days : float
        The strength half-life.
    top : int
        How many people they knew best, and how many of their touchpoints, to give.

    Returns
    -------
    list of Handover

    Examples
    --------
    >>> from graph.readings.facts import account_facts
    >>> from graph.readings.testing import AccountBuilder
    >>> b = AccountBuilder("acme")
    >>> _ = b.user("ola", name="Ola", role=None, owner=("2020-01-01", "2025-01-15"))
    >>> _ = b.user("una", name="Una", owner=("2025-01-15", None))
    >>> _ = b.contact("ann", name="Ann")
    >>> _ = b.touch("t1", "meeting", "2024-12-01", contacts=["ann"], users=["ola"])
    >>> (h,) = handovers(account_facts(b.G, "2025-06-30"))
    >>> h.name, h.successor, h.touchpoints, [p.name for p in h.knew_best]
    ('Ola', 'Una', 1, ['Ann'])
    """
    r = resolve(rules)
    ended = [o for o in facts.owners if o.until is not None and o.until <= facts.as_of]
    out = [_handover(facts, o, r, half_life_days, top) for o in ended]
    out.sort(key=lambda h: (-to_us(h.until), h.user_id))
    return out


def _successor(facts: AccountFacts, period: Ownership) -> str | None:
    """Who owned the account next: the first period starting at or after this one's end."""
    assert period.until is not None
    later = [o for o in facts.owners if o.user_id != period.user_id and o.since is not None
             and o.since >= period.until]
    return min(later, key=lambda o: (o.since, o.user_id)).user_id if later else None


def _handover(facts: AccountFacts, period: Ownership, rules: Rules, half_life_days: float,
              top: int) -> Handover:
    assert period.until is not None
    user = facts.users.get(period.user_id, {})
    nxt = _successor(facts, period)
    h = Handover(
        user_id=period.user_id,
        name=str(user.get("name") or period.user_id),
        active=user.get("active", True) is not False,
        since=period.since,
        until=period.until,
        successor_id=nxt,
        successor=str(facts.users.get(nxt, {}).get("name") or nxt) if nxt else None,
    )
    T = facts.touches
    mine = np.zeros(0, np.int64)
    if period.user_id in T.user_ids:
        mine = T.u_touch[T.u_person == T.user_ids.index(period.user_id)]  # in time order
    h.touchpoints = len(mine)
    if len(mine):
        h.last_touch = from_us(T.at_us[mine[-1]])
        kinds, counts = np.unique(T.kind[mine], return_counts=True)
        h.kinds = {T.kinds[k]: int(n) for k, n in sorted(
            zip(kinds.tolist(), counts.tolist(), strict=True),
            key=lambda kn: (-kn[1], T.kinds[kn[0]]))}
        h.recent = [T.touch(int(i)) for i in mine[::-1][:top]]
    h.knew_best = _knew_best(facts, period, mine, rules, half_life_days)[:top]
    h.reasons = _reasons(h)
    return h


def _knew_best(facts: AccountFacts, period: Ownership, mine: np.ndarray, rules: Rules,
               half_life_days: float) -> list[KnownPerson]:
    """The contacts a previous owner knew, strongest at the handover first."""
    assert period.until is not None
    T, ids = facts.touches, list(facts.contacts)
    before = mine[T.at_us[mine] <= to_us(period.until)]
    # Each of their touchpoints joined with the contacts who took part in it.
    lo = np.searchsorted(T.c_touch, before, side="left")
    hi = np.searchsorted(T.c_touch, before, side="right")
    rows, people = np.repeat(before, hi - lo), T.c_person[expand(lo, hi)]
    found: dict[str, KnownPerson] = {}
    for row, s in Weigher(rules, period.until, half_life_days).readings(T, people, rows, top=0):
        p = facts.contacts[ids[row]]
        found[p.id] = KnownPerson(p.id, p.name, s.strength, s.touchpoints, s.last_touch,
                                  current=p.current)
    me = f"user:{period.user_id}"
    for a, b, strength, _ in facts.knows:
        other = b if a == me else a if b == me else None
        if other is None or not other.startswith("contact:"):
            continue
        cid = other.partition(":")[2]
        if cid not in facts.contacts:
            continue
        p = facts.contacts[cid]
        known = found.setdefault(cid, KnownPerson(cid, p.name, 0.0, 0, None, current=p.current))
        known.knows = max(strength, known.knows or 0.0)
    return sorted(found.values(), key=lambda k: (-max(k.strength, k.knows or 0.0),
                                                 -k.touchpoints, k.name, k.contact_id))


def _reasons(h: Handover) -> list[str]:
    since = f"from {h.since.date().isoformat()} " if h.since else ""
    said = [f"owned the account {since}until {h.until.date().isoformat()}"
            + (f", then {h.successor}" if h.successor else "")]
    said.append("still one of our users: ask them" if h.active
                else "has since left us: what they knew is only what is on record")
    if h.touchpoints:
        assert h.last_touch is not None
        said.append(f"took part in {h.touchpoints} touchpoint"
                    f"{'' if h.touchpoints == 1 else 's'} here, the last on "
                    f"{h.last_touch.date().isoformat()}")
    else:
        said.append("took part in no touchpoint on record here")
    return said
