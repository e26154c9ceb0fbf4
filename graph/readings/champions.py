"""Champions from behaviour: who advocates for us, stays engaged, and comes to us.

A champion is rarely named in a title and seldom only through reference and referral
touchpoints. :func:`champion_behaviour` reads, for every contact of an account, the
behaviour the rules' ``[classification.champion]`` table weighs:

* **introductions**: someone's first touchpoint with us came in with them (an
  inbound touchpoint they were already part of the account's story before), or a
  "knows" link of theirs whose origin says they introduced someone (``introduc``,
  ``referr``);
* **several deals**: on at least ``deals`` opportunities and ``deal_share`` of the
  account's (everyone on every deal is no sign);
* **inbound**: at least ``inbound_share`` of their ``min_touches`` or more emails and
  calls (the rules' ``inbound_kinds``) came from them;
* **sustained**: conversations in at least ``months`` distinct months of the year
  before ``as_of``;
* **strong**: relationship strength at least ``strength_ratio`` times the median of the
  account's engaged contacts.

Behaviour counts towards champion only when ``min_signals`` of these show together,
one of them advocacy or initiative (``needs``: introductions, inbound): being on every
deal and busy all year is an evaluator's life too.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import numpy as np

from graph.readings.facts import AccountFacts
from graph.readings.rules import Rules
from graph.readings.touches import to_us

_YEAR_US = 365 * 86_400_000_000
_MONTH_US = 30.44 * 86_400_000_000
_INTRODUCED = ("introduc", "referr")


@dataclass
class Behaviour:
    """One contact's champion behaviour: bits and what each is for."""

    bits: float = 0.0
    said: list[str] = field(default_factory=list)
    signals: int = 0
    kinds: set[str] = field(default_factory=set)  # which behaviour showed


def champion_behaviour(facts: AccountFacts, rules: Rules,
                       strength: dict[str, float] | None = None) -> dict[str, Behaviour]:
    """Contact id -> :class:`Behaviour` for contacts showing at least ``min_signals``.

    ``strength``: contact id -> relationship strength (0..1); without it "strong" is
    not read.
    """
    cfg = rules.section("classification").get("champion", {})
    ids = list(facts.contacts)
    n = len(ids)
    found: dict[str, Behaviour] = {cid: Behaviour() for cid in ids}
    if not n:
        return {}

    def add(cid: str, key: str, words: str) -> None:
        w = float(cfg.get(key, 0.0))
        if w > 0:
            b = found[cid]
            b.bits += w
            b.said.append(words)
            b.signals += 1
            b.kinds.add(key)

    introduced = _introductions(facts, ids)
    for a, _, _, origin in facts.knows:
        kind, _, cid = a.partition(":")
        if kind == "contact" and cid in found and origin and any(
                w in origin.lower() for w in _INTRODUCED):
            introduced[cid] = introduced.get(cid, 0) + 1
    for cid, k in sorted(introduced.items()):
        add(cid, "introduction", f"brought {k} {'person' if k == 1 else 'people'} to us")
    deals, share_of = int(cfg.get("deals", 2)), float(cfg.get("deal_share", 0.5))
    every = len(facts.opportunities)
    for cid, p in facts.contacts.items():
        on = len(p.opportunities)
        if on >= deals and on >= share_of * every:
            add(cid, "several_deals", f"on {on} of the account's {every} deals")
    T = facts.touches
    talk = {i for i, k in enumerate(T.kinds)
            if k in cfg.get("conversations", ("email", "call", "meeting", "event"))}
    asks = {i for i, k in enumerate(T.kinds) if k in cfg.get("inbound_kinds", ("email", "call"))}
    if len(T.c_person) and asks:
        keep = np.isin(T.kind[T.c_touch], sorted(asks))
        person, touch = T.c_person[keep], T.c_touch[keep]
        total = np.bincount(person, minlength=n)
        inbound_code = [i for i, d in enumerate(T.directions) if d == "inbound"]
        inbound = np.isin(T.direction[touch], inbound_code)
        came = np.bincount(person[inbound], minlength=n)
        share, least = float(cfg.get("inbound_share", 0.4)), int(cfg.get("min_touches", 4))
        for i in np.flatnonzero((total >= least) & (came >= share * np.maximum(total, 1))):
            add(ids[i], "inbound", f"{came[i]} of their {total[i]} emails and calls came from "
                                   "them")
    if len(T.c_person) and talk:
        keep = np.isin(T.kind[T.c_touch], sorted(talk))
        person, touch = T.c_person[keep], T.c_touch[keep]
        since = to_us(facts.as_of) - _YEAR_US
        recent = T.at_us[touch] > since
        month = ((T.at_us[touch][recent] - since) // _MONTH_US).astype(np.int64)
        cells = np.unique(person[recent] * 13 + month)
        months = np.bincount(cells // 13, minlength=n)
        want = int(cfg.get("months", 6))
        for i in np.flatnonzero(months >= want):
            add(ids[i], "sustained", f"engaged in {months[i]} of the last 12 months")
    if strength:
        values = [s for s in strength.values() if s > 0]
        if len(values) >= 3:
            median = statistics.median(values)
            ratio = float(cfg.get("strength_ratio", 2.0))
            for cid in ids:
                s = strength.get(cid, 0.0)
                if median > 0 and s >= ratio * median:
                    add(cid, "strong", f"relationship {s / median:.1f}x the account's median")
    least_signals = int(cfg.get("min_signals", 2))
    needs = cfg.get("needs", ("introduction", "inbound"))
    return {cid: b for cid, b in found.items()
            if b.signals >= least_signals and (not needs or b.kinds & set(needs))}


def _introductions(facts: AccountFacts, ids: list[str]) -> dict[str, int]:
    """Contact id -> people whose first touchpoint with us came in with them.

    An inbound touchpoint with several of the account's contacts, the first of
    someone's, and the second or later of another's: the other brought them.
    """
    T = facts.touches
    out: dict[str, int] = {}
    if not len(T.c_person):
        return out
    person, touch = T.c_person, T.c_touch  # sorted by touchpoint, in time order
    first = np.full(len(ids), np.iinfo(np.int64).max, np.int64)
    np.minimum.at(first, person, touch)
    inbound_code = [i for i, d in enumerate(T.directions) if d == "inbound"]
    inbound = np.isin(T.direction, inbound_code)
    newcomer = first[person] == touch
    for t in np.unique(touch[newcomer & inbound[touch]]).tolist():
        lo, hi = np.searchsorted(touch, [t, t + 1])
        old = person[lo:hi][~newcomer[lo:hi]]
        new = int(newcomer[lo:hi].sum())
        for i in old.tolist():
            out[ids[i]] = out.get(ids[i], 0) + new
    return out
