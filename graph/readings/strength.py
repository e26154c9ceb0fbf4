"""Relationship strength of a contact, and of one of our users with a contact.

Formula (documented with its defaults in ``docs/readings.md``)::

    weight(t)  = kind_weight[t.kind] * outcome[t.outcome] * direction[t.direction]
    score      = sum over touchpoints t at or before as_of of
                 weight(t) * 0.5 ** (age_days(t) / half_life_days)
    strength   = 1 - exp(-score / scale)          # in [0, 1)

Every weight is >= 0, so a strength is never negative, and it only falls as
``as_of`` moves past the last touchpoint (each term halves every half-life).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import networkx as nx

from graph.readings.facts import AccountFacts, Touch, facts_of
from graph.readings.rules import Rules, resolve

DEFAULT_HALF_LIFE_DAYS = 180.0


@dataclass
class Strength:
    """A relationship's strength, with the touchpoints that carry it."""

    score: float = 0.0
    strength: float = 0.0
    touchpoints: int = 0
    last_touch: datetime | None = None
    live: bool = False
    reasons: list[str] = field(default_factory=list)


class Weigher:
    """Weights and decay of one rule set, as of one moment."""

    def __init__(self, rules: Rules, as_of: datetime, half_life_days: float):
        if half_life_days <= 0:
            raise ValueError(f"half_life_days must be > 0, got {half_life_days}")
        s = rules.section("strength")
        self.kind_weights: dict[str, float] = dict(s.get("kind_weights", {}))
        self.default_kind = float(s.get("default_kind_weight", 1.0))
        self.outcome: dict[str, float] = dict(s.get("outcome", {}))
        self.direction: dict[str, float] = dict(s.get("direction", {}))
        self.scale = float(s.get("scale", 5.0))
        self.live_threshold = float(s.get("live_threshold", 0.2))
        self.as_of = as_of
        self.half_life = half_life_days
        # A touchpoint is weighed once per reading, however many people took part.
        self._weights: dict[str, float] = {}

    def base(self, t: Touch) -> float:
        """The undecayed weight of one touchpoint."""
        return (
            self.kind_weights.get(t.kind, self.default_kind)
            * self.outcome.get(t.outcome or "unknown", 1.0)
            * self.direction.get(t.direction, 1.0)
        )

    def decay(self, t: Touch) -> float:
        age_days = max(0.0, (self.as_of - t.at).total_seconds() / 86400.0)
        return decay(age_days, self.half_life)

    def weight(self, t: Touch) -> float:
        w = self._weights.get(t.id)
        if w is None:
            w = self._weights[t.id] = self.base(t) * self.decay(t)
        return w

    def reading(self, touches: list[Touch], top: int = 3) -> Strength:
        """The strength carried by ``touches``, with the ``top`` biggest as reasons."""
        if not touches:
            return Strength(reasons=["no touchpoints"])
        weighted = [(self.weight(t), t) for t in touches]
        score = sum(w for w, _ in weighted)
        value = strength_from_score(score, self.scale)
        reasons = [
            f"{t.kind} on {t.at.date().isoformat()}"
            + (f" ({t.outcome})" if t.outcome else "")
            + (f" '{t.subject or t.campaign}'" if (t.subject or t.campaign) else "")
            + f": {self.base(t):.2f} x decay {self.decay(t):.2f} = {w:.2f}"
            for w, t in sorted(weighted, key=lambda x: -x[0])[:top]
        ]
        if len(touches) > top:
            reasons.append(f"... and {len(touches) - top} more touchpoints; score {score:.2f}")
        return Strength(
            score=round(score, 6),
            strength=round(value, 6),
            touchpoints=len(touches),
            last_touch=max(t.at for t in touches),
            live=value >= self.live_threshold,
            reasons=reasons,
        )


def decay(age_days: float, half_life_days: float = DEFAULT_HALF_LIFE_DAYS) -> float:
    """The share of a touchpoint's weight left after ``age_days``.

    Examples
    --------
    >>> decay(0), decay(180), decay(360)
    (1.0, 0.5, 0.25)
    """
    return float(0.5 ** (max(0.0, age_days) / half_life_days))


def strength_from_score(score: float, scale: float = 5.0) -> float:
    """Map a non-negative score onto [0, 1): ``1 - exp(-score / scale)``.

    Examples
    --------
    >>> strength_from_score(0.0)
    0.0
    >>> round(strength_from_score(5.0), 3)
    0.632
    """
    return 1.0 - math.exp(-max(0.0, score) / scale)


def contact_strength(
    G: nx.MultiDiGraph,
    *,
    rules: Rules | None = None,
    as_of: date | datetime | str | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    facts: AccountFacts | None = None,
) -> dict[str, Strength]:
    """Strength of our relationship with every contact in an account graph.

    Parameters
    ----------
    G : nx.MultiDiGraph
        An account graph (see :mod:`graph.neighbourhood`).
    rules : Rules, optional
        Weights by kind, outcome and direction; the shipped defaults when None.
    as_of : date, datetime or ISO string, optional
        Compute as of this moment (touchpoints after it are ignored); now when None.
    half_life_days : float
        Days after which a touchpoint counts half (``Settings.strength_half_life_days``).
    facts : AccountFacts, optional
        ``G`` already read by :func:`graph.readings.facts.account_facts`.

    Returns
    -------
    dict
        Contact id -> :class:`Strength` (score, strength in [0, 1), live, reasons).
    """
    f = facts_of(G, as_of, facts)
    w = Weigher(resolve(rules), f.as_of, half_life_days)
    return {cid: w.reading(p.touches) for cid, p in f.contacts.items()}


def pair_strength(
    G: nx.MultiDiGraph,
    *,
    rules: Rules | None = None,
    as_of: date | datetime | str | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    facts: AccountFacts | None = None,
) -> dict[tuple[str, str], Strength]:
    """Strength between each of our users and each contact, from touchpoints both took part in.

    Returns
    -------
    dict
        ``(user id, contact id)`` -> :class:`Strength`, only for pairs that share a touchpoint.
    """
    f = facts_of(G, as_of, facts)
    w = Weigher(resolve(rules), f.as_of, half_life_days)
    shared: dict[tuple[str, str], list[Touch]] = defaultdict(list)
    for t in f.touches:
        for uid in t.users:
            for cid in t.contacts:
                shared[(uid, cid)].append(t)
    return {pair: w.reading(ts) for pair, ts in shared.items()}


def strength_history(
    G: nx.MultiDiGraph,
    contact_id: str,
    dates: list[date],
    *,
    rules: Rules | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
) -> list[tuple[date, float]]:
    """A contact's strength at each of ``dates``: how a relationship changed over time."""
    out = []
    for d in dates:
        readings = contact_strength(G, rules=rules, as_of=d, half_life_days=half_life_days)
        s = readings.get(contact_id)
        out.append((d, s.strength if s else 0.0))
    return out
