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

from graph.privacy import CAPTURED
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

    def readings(
        self, T: Touches, keys: np.ndarray, rows: np.ndarray, top: int = 3
    ) -> Iterator[tuple[int, Strength]]:
        """The strength each key's touchpoints carry: ``rows[i]`` is one of ``keys[i]``'s.

        One pass over every key's rows at once (a per-key loop over numpy calls cost
        more than the arithmetic). Each strength gives its ``top`` heaviest touchpoints
        as reasons, the earliest first on a tie; ``top=0`` gives none (a walk over every
        account shows none). Keys come out ascending.
        """
        if not len(keys):
            return
        w = self.weights(T)[rows]
        order = np.lexsort((rows, -w, keys))  # by key, heaviest first, earliest on a tie
        keys, rows, w = keys[order], rows[order], w[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        ends = np.r_[starts[1:], len(keys)]
        score = np.add.reduceat(w, starts)
        value = 1.0 - np.exp(-np.maximum(score, 0.0) / self.scale)
        last = np.maximum.reduceat(T.at_us[rows], starts)
        # The touchpoints quoted (each key's ``top`` heaviest), each put in words once
        # however many contacts share it.
        quoted = rows[expand(starts, np.minimum(ends, starts + top))] if top else rows[:0]
        reason = self._reasons(T, np.unique(quoted))
        for k, lo, hi, sc, v, at in zip(
            keys[starts].tolist(), starts.tolist(), ends.tolist(), score.tolist(),
            value.tolist(), last.tolist(), strict=True,
        ):
            reasons = [reason[r] for r in rows[lo:min(hi, lo + top)].tolist()]
            if top and hi - lo > top:
                reasons.append(f"... and {hi - lo - top} more touchpoints; score {sc:.2f}")
            yield int(k), Strength(
                score=round(sc, 6),
                strength=round(v, 6),
                touchpoints=hi - lo,
                last_touch=from_us(at),
                live=v >= self.live_threshold,
                reasons=reasons,
            )

    def _reasons(self, T: Touches, rows: np.ndarray) -> dict[int, str]:
        """Why each touchpoint row of ``rows`` counts as much as it does, in words."""
        subject, campaign = T.texts("subject"), T.texts("campaign")
        out = {}
        # A reading's evidence says when a touchpoint came from a mailbox or calendar.
        captured = " (captured)"
        for i, kind, day, outcome, w, base in zip(
            rows.tolist(), T.kind[rows].tolist(), T.days(rows), T.outcome[rows].tolist(),
            self.weights(T)[rows].tolist(), self._bases(T)[rows].tolist(), strict=True,
        ):
            said, what = T.outcomes[outcome], subject[i] or campaign[i]
            out[i] = (
                f"{T.kinds[kind]}{captured if T.text('origin', i) == CAPTURED else ''} on {day}"
                + (f" ({said})" if said else "")
                + (f" '{what}'" if what else "")
                + f": {base:.2f} x decay {w / base if base else 0.0:.2f} = {w:.2f}"
            )
        return out

    def _bases(self, T: Touches) -> np.ndarray:
        b = self._base_vectors.get(id(T))
        if b is None:
            b = self._base_vectors[id(T)] = self.bases(T)
        return b


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
    for row, strength in w.readings(T, T.c_person, T.c_touch, top=3 if explain else 0):
        out[ids[row]] = strength
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
        (T.user_ids[pair // n], T.contact_ids[pair % n]): strength
        for pair, strength in w.readings(T, user * n + T.c_person[at], T.c_touch[at])
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
