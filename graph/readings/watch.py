"""What changed in an account since a moment ago: the home page's watch list.

An account manager opening the explorer on Monday wants to know what moved since
last week, not to re-read every brief. :func:`moment` keeps, of one reading of an
account, only what the watch list compares (its status, its champions and whether
each is quiet, its decision makers, who works there); :func:`changes` compares
two moments of the same account and says, in a rep's words, what changed:

* the status changed (and from what);
* a champion went quiet (quiet for ``champion_quiet_days`` now, not then);
* a champion moved or left (worked here then, not now; where to, when known);
* a new decision maker (one now who was not then).

Both are pure: plain data in, plain data out.

>>> before = Moment("can_grow", {"c1": ("Ann Lee", False)}, {}, {"c1"}, {})
>>> now = Moment("at_risk", {"c1": ("Ann Lee", True)}, {"c2": "Bo Chu"}, {"c1", "c2"}, {})
>>> [c.text for c in changes(before, now)]
['status: Can grow → At risk', 'champion Ann Lee has gone quiet', 'new decision maker: Bo Chu']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from graph.readings.classification import Classification
from graph.readings.facts import AccountFacts
from graph.readings.rules import Rules, resolve

#: How statuses read to a person (the pages use the same words).
STATUS_WORDS = {
    "can_grow": "Can grow", "at_risk": "At risk", "no_relationship": "No relationship",
    "dormant": "Dormant", "churned": "Churned", "unknown": "Unknown",
}  # fmt: skip


@dataclass(frozen=True)
class Moment:
    """What the watch list compares, of one account at one moment."""

    status: str
    champions: dict[str, tuple[str, bool]]  # contact id -> (name, quiet)
    decision_makers: dict[str, str]  # contact id -> name
    current: set[str]  # contact ids working at the account
    moved_to: dict[str, str | None]  # contact id -> where they went (None: unknown)


@dataclass(frozen=True)
class Change:
    """One line of the watch list: its kind, the words, and the contact it is about."""

    kind: str  # "status", "champion_quiet", "champion_left", "new_decision_maker"
    text: str
    contact_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _has(c: Classification, category: str) -> bool:
    return c.primary == category or category in c.secondary


def moment(
    facts: AccountFacts,
    classification: Mapping[str, Classification],
    status: str,
    *,
    rules: Rules | None = None,
) -> Moment:
    """The parts of one reading the watch list compares.

    A champion is quiet as the status reading has it: no touchpoint for more than
    the rules' ``[status] champion_quiet_days``.
    """
    quiet_days = int(resolve(rules).section("status").get("champion_quiet_days", 90))
    current = {cid for cid, p in facts.contacts.items() if p.current}
    champions, deciders = {}, {}
    for cid in sorted(current):
        c = classification.get(cid)
        if c is None:
            continue
        name = facts.contacts[cid].name
        if _has(c, "champion"):
            last: datetime | None = facts.contacts[cid].last_touch
            quiet = last is None or (facts.as_of - last).days > quiet_days
            champions[cid] = (name, quiet)
        if c.primary == "decision_maker":
            deciders[cid] = name
    moved = {
        cid: (p.company_id if p.company_id and p.company_id != facts.company_id else None)
        for cid, p in facts.contacts.items() if p.left and not p.outside
    }  # fmt: skip
    return Moment(status, champions, deciders, current, moved)


def changes(before: Moment, now: Moment) -> list[Change]:
    """What changed from ``before`` to ``now``, status first, then by person."""
    out: list[Change] = []
    if before.status != now.status:
        out.append(Change(
            "status",
            f"status: {STATUS_WORDS.get(before.status, before.status)} → "
            f"{STATUS_WORDS.get(now.status, now.status)}",
            extra={"before": before.status, "now": now.status}))  # fmt: skip
    for cid, (name, quiet) in now.champions.items():
        was = before.champions.get(cid)
        if quiet and was is not None and not was[1]:
            out.append(Change("champion_quiet", f"champion {name} has gone quiet", cid))
    for cid, (name, _) in before.champions.items():
        if cid in now.current:
            continue
        to = now.moved_to.get(cid)
        text = f"champion {name} moved to another company" if to else f"champion {name} left"
        out.append(Change("champion_left", text, cid, extra={"to": to} if to else {}))
    for cid, name in now.decision_makers.items():
        if cid not in before.decision_makers:
            out.append(Change("new_decision_maker", f"new decision maker: {name}", cid))
    return out
