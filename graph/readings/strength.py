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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from graph.readings.facts import AccountFacts, AccountSource, facts_of
from graph.readings.rules import Rules, resolve
from graph.readings.touches import Touches, expand, from_us, to_us

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
        # Touchpoints are weighed once per reading, however many people took part.
        self._vectors: dict[int, np.ndarray] = {}
        self._base_vectors: dict[int, np.ndarray] = {}

    def bases(self, T: Touches) -> np.ndarray:
        """The undecayed weight of every touchpoint of ``T``."""
        kind = np.array([self.kind_weights.get(k or "", self.default_kind) for k in T.kinds])
        outcome = np.array([self.outcome.get(o or "unknown", 1.0) for o in T.outcomes])
        direction = np.array([self.direction.get(d or "outbound", 1.0) for d in T.directions])
        return kind[T.kind] * outcome[T.outcome] * direction[T.direction]

    def weights(self, T: Touches) -> np.ndarray:
        """The decayed weight of every touchpoint of ``T`` (computed once per ``T``)."""
        w = self._vectors.get(id(T))
        if w is None:
            age_days = np.maximum(0, to_us(self.as_of) - T.at_us) / 86_400e6
            w = self._vectors[id(T)] = self._bases(T) * np.exp2(-age_days / self.half_life)
        return w

    def reading(self, T: Touches, rows: np.ndarray, top: int = 3) -> Strength:
        """The strength carried by touchpoint ``rows`` of ``T``, the ``top`` biggest as reasons.

        ``top=0`` gives no reasons (a walk over every account shows none).
        """
        if not len(rows):
            return Strength(reasons=["no touchpoints"])
        w = self.weights(T)[rows]
        score = float(w.sum())
        value = strength_from_score(score, self.scale)
        best = np.argsort(-w, kind="stable")[:top] if top else np.zeros(0, np.int64)
        reasons = [self._reason(T, int(rows[i])) for i in best]
        if top and len(rows) > top:
            reasons.append(f"... and {len(rows) - top} more touchpoints; score {score:.2f}")
        return Strength(
            score=round(score, 6),
            strength=round(value, 6),
            touchpoints=len(rows),
            last_touch=from_us(T.at_us[rows].max()),
            live=value >= self.live_threshold,
            reasons=reasons,
        )

    def _reason(self, T: Touches, i: int) -> str:
        """Why touchpoint row ``i`` counts as much as it does, in words."""
        w, base = float(self.weights(T)[i]), float(self._bases(T)[i])
        outcome = T.outcomes[T.outcome[i]]
        what = T.text("subject", i) or T.text("campaign", i)
        return (
            f"{T.kind_of(i)} on {T.day(i)}"
            + (f" ({outcome})" if outcome else "")
            + (f" '{what}'" if what else "")
            + f": {base:.2f} x decay {w / base if base else 0.0:.2f} = {w:.2f}"
        )

    def _bases(self, T: Touches) -> np.ndarray:
        b = self._base_vectors.get(id(T))
        if b is None:
            b = self._base_vectors[id(T)] = self.bases(T)
        return b


def grouped(keys: np.ndarray, rows: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """``(key, rows with that key)`` for each distinct key, keys ascending."""
    if not len(keys):
        return
    order = np.argsort(keys, kind="stable")
    keys, rows = keys[order], rows[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    for lo, hi in zip(starts.tolist(), [*starts[1:].tolist(), len(keys)], strict=True):
        yield int(keys[lo]), rows[lo:hi]


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
    G: AccountSource,
    *,
    rules: Rules | None = None,
    as_of: date | datetime | str | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    facts: AccountFacts | None = None,
    explain: bool = True,
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
    explain : bool
        Give each strength its three heaviest touchpoints as reasons (False: none,
        for walks over many accounts that show only the numbers).

    Returns
    -------
    dict
        Contact id -> :class:`Strength` (score, strength in [0, 1), live, reasons).
    """
    f = facts_of(G, as_of, facts)
    w = Weigher(resolve(rules), f.as_of, half_life_days)
    T = f.touches
    ids = list(f.contacts)
    out = {cid: Strength(reasons=["no touchpoints"]) for cid in ids}
    for row, touched in grouped(T.c_person, T.c_touch):
        out[ids[row]] = w.reading(T, touched, top=3 if explain else 0)
    return out


def pair_strength(
    G: AccountSource,
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
    T = f.touches
    n = len(T.contact_ids)
    # Every (user, contact) who shared a touchpoint: each user participation joined
    # with the contact participations of the same touchpoint (both sorted by it).
    lo = np.searchsorted(T.c_touch, T.u_touch, side="left")
    hi = np.searchsorted(T.c_touch, T.u_touch, side="right")
    user = np.repeat(T.u_person, hi - lo)
    at = expand(lo, hi)
    return {
        (T.user_ids[pair // n], T.contact_ids[pair % n]): w.reading(T, touched)
        for pair, touched in grouped(user * n + T.c_person[at], T.c_touch[at])
    }


def strength_history(
    G: AccountSource,
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
