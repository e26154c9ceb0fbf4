"""Revenue triggers: which profile fields, firmographics and mix features go with purchases,
or with losing them.

For every feature value ``f`` (e.g. ``industry = Retail``, ``profile.values = price``,
``mix.decision_maker_engaged = yes``) over closed cases (opportunities won or lost):

* ``win_rate_with = wins_with / n_with`` and ``win_rate_without`` over the other cases;
* ``lift = win_rate_with / win_rate_without`` (None when nothing without it was won);
* ``support = n_with``;
* a Wilson score interval for each win rate, and Newcombe's hybrid score interval
  (method 10) for the difference ``win_rate_with - win_rate_without``.

Feature values seen in fewer than ``min_support`` cases (or missing from fewer than
``min_support``) are reported but **not ranked**: a field seen on three contacts is
not a trigger. A yes/no feature is one value (its "yes"): "no" is the same fact
seen from the other side.

Both ways: a value can go with winning or with losing (individual contributors on a
deal that wins half as often). Ranked ones are ordered by how far their difference
interval stays from zero, on either side (``max(low, -high)``): a large difference
on little evidence does not outrank a solid one, and a solid losing value ranks as
high as a solid winning one.

Testing many values at once finds some "effects" by chance (at 95%, one in twenty),
so by default the intervals are Bonferroni-adjusted: each is computed at confidence
``1 - (1 - confidence) / m`` for the ``m`` ranked values. ``significant`` marks a
value whose adjusted difference interval excludes zero, and ``direction`` says which
side it lies on ("wins" or "loses"). :mod:`graph.readings.triggers_adjusted` then
holds every ranked value against the others at once (a regularised logistic
regression) and says when one is explained by another.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion.

    Examples
    --------
    >>> lo, hi = wilson_interval(8, 10)
    >>> round(lo, 3), round(hi, 3)
    (0.49, 0.943)
    >>> wilson_interval(0, 0)
    (0.0, 1.0)
    """
    if n == 0:
        return 0.0, 1.0
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # min/max with p: at p = 0 or 1 rounding would otherwise put p a hair outside.
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))


def difference_interval(
    s1: int, n1: int, s2: int, n2: int, confidence: float = 0.95
) -> tuple[float, float]:
    """Newcombe's hybrid score interval for ``s1/n1 - s2/n2`` (from two Wilson intervals)."""
    p1, p2 = (s1 / n1 if n1 else 0.0), (s2 / n2 if n2 else 0.0)
    l1, u1 = wilson_interval(s1, n1, confidence)
    l2, u2 = wilson_interval(s2, n2, confidence)
    d = p1 - p2
    return (d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
            d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


@dataclass
class Trigger:
    feature: str
    value: str
    support: int
    wins_with: int
    win_rate_with: float
    win_rate_without: float
    lift: float | None
    difference: float
    difference_interval: tuple[float, float]
    win_rate_interval: tuple[float, float]
    ranked: bool
    significant: bool = False
    direction: str | None = None  # "wins" or "loses" when significant
    # The multivariable view (graph.readings.triggers_adjusted), for ranked values.
    adjusted_odds_ratio: float | None = None
    adjusted_interval: tuple[float, float] | None = None
    explained_by: str | None = None  # "feature = value" that accounts for it
    reasons: list[str] = field(default_factory=list)

    @property
    def separation(self) -> float:
        """How far the difference interval stays from zero, either side (< 0: it spans it)."""
        lo, hi = self.difference_interval
        return max(lo, -hi)


@dataclass
class Triggers:
    cases: int = 0
    wins: int = 0
    base_rate: float = 0.0
    ranked: list[Trigger] = field(default_factory=list)
    unranked: list[Trigger] = field(default_factory=list)
    min_support: int = 30
    confidence: float = 0.95
    interval_confidence: float = 0.95  # after the Bonferroni adjustment
    adjusted: bool = False  # the multivariable view filled the ranked values' adjusted_*
    reasons: list[str] = field(default_factory=list)


def feature_pairs(features: Mapping[str, Any]) -> set[tuple[str, str]]:
    """A case's (feature, value) pairs; a yes/no feature only when yes.

    >>> sorted(feature_pairs({"industry": "Retail", "mix.champion_engaged": False,
    ...                       "deal.had_demo": True, "profile.hobby": ["golf"]}))
    [('deal.had_demo', 'yes'), ('industry', 'Retail'), ('profile.hobby', 'golf')]
    """
    out: set[tuple[str, str]] = set()
    for name, value in features.items():
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        for v in values:
            if v is None or v is False:
                continue
            if v is True:
                v = "yes"
            out.add((str(name), str(v)))
    return out


def revenue_triggers(
    cases: Iterable[Mapping[str, Any]],
    *,
    min_support: int = 30,
    confidence: float = 0.95,
    adjust: bool = True,
    multivariable: bool = True,
    penalty: float = 1.0,
    min_correlation: float = 0.3,
) -> Triggers:
    """Win rate with and without each feature value, lift, support and intervals.

    Parameters
    ----------
    cases : iterable of mapping
        One per closed opportunity (or account): ``won`` (bool) and ``features``
        (name -> value, or a list of values; booleans become yes/no).
    min_support : int
        Cases needed with, and without, a value for it to be ranked.
    confidence : float
        Level of the Wilson and Newcombe intervals (family-wise when ``adjust``).
    adjust : bool
        Bonferroni-adjust the intervals for the number of ranked values.
    multivariable : bool
        Also hold every ranked value against the others
        (:func:`graph.readings.triggers_adjusted.adjust_triggers`, scikit-learn).
    penalty, min_correlation : float
        Its ``C`` (the prior variance of a standardised coefficient), and how closely
        another value must go with a trigger to be named as explaining it.

    Returns
    -------
    Triggers
        ``ranked`` by how far the difference interval stays from zero, either side;
        ``unranked`` the rest.

    Examples
    --------
    >>> cases = [{"won": i < 40, "features": {"industry": "Retail" if i < 50 else "Banking"}}
    ...          for i in range(100)]
    >>> t = revenue_triggers(cases, min_support=30)
    >>> top = t.ranked[0]
    >>> top.value, top.win_rate_with, top.lift
    ('Retail', 0.8, None)
    """
    n = wins = 0
    seen: Counter[tuple[str, str]] = Counter()
    won_with: Counter[tuple[str, str]] = Counter()
    cases = list(cases)  # read twice when the multivariable view runs
    for case in cases:
        won = bool(case.get("won"))
        n += 1
        wins += won
        for pair in feature_pairs(case.get("features") or {}):
            seen[pair] += 1
            if won:
                won_with[pair] += 1
    rankable = sum(1 for p, k in seen.items() if k >= min_support and n - k >= min_support)
    level = 1 - (1 - confidence) / max(1, rankable) if adjust else confidence
    out = Triggers(cases=n, wins=wins, base_rate=round(wins / n, 4) if n else 0.0,
                   min_support=min_support, confidence=confidence,
                   interval_confidence=round(level, 6))
    for pair, k in seen.items():
        s1 = won_with[pair]
        n2, s2 = n - k, wins - s1
        r1 = s1 / k
        r2 = s2 / n2 if n2 else 0.0
        ranked = k >= min_support and n2 >= min_support
        lo, hi = difference_interval(s1, k, s2, n2, level)
        wlo, whi = wilson_interval(s1, k, level)
        t = Trigger(
            feature=pair[0], value=pair[1], support=k, wins_with=s1,
            win_rate_with=round(r1, 4), win_rate_without=round(r2, 4),
            lift=round(r1 / r2, 4) if r2 > 0 else None, difference=round(r1 - r2, 4),
            difference_interval=(round(lo, 4), round(hi, 4)),
            win_rate_interval=(round(wlo, 4), round(whi, 4)),
            ranked=ranked, significant=ranked and (lo > 0 or hi < 0),
            direction=("wins" if lo > 0 else "loses") if ranked and (lo > 0 or hi < 0)
            else None,
        )
        t.reasons = [
            f"won {s1} of {k} with {pair[0]} = {pair[1]} ({r1:.0%}) against {s2} of {n2} "
            f"without ({r2:.0%})",
            f"{level:.2%} interval of the difference: {lo:+.0%} to {hi:+.0%}"
            + (f" (Bonferroni over {rankable} values)" if adjust else ""),
        ]
        if not ranked:
            t.reasons.append(f"not ranked: fewer than {min_support} cases with or without it")
        elif t.direction == "wins":
            t.reasons.append("goes with winning: the interval lies above no difference")
        elif t.direction == "loses":
            t.reasons.append("goes with losing: the interval lies below no difference")
        else:
            t.reasons.append("could be chance: the interval includes no difference")
        (out.ranked if ranked else out.unranked).append(t)
    # Two values that split the cases between them are mirror images (same interval,
    # other sign): the winning side goes first.
    out.ranked.sort(key=lambda t: (-round(t.separation, 9), t.difference < 0,
                                   -abs(t.difference), -t.support, t.feature, t.value))
    out.unranked.sort(key=lambda t: (-t.support, t.feature, t.value))
    out.reasons = [
        f"{n:,} closed cases, {wins:,} won (base rate {out.base_rate:.0%})",
        f"{len(out.ranked)} feature values ranked, {len(out.unranked)} below support "
        f"{min_support}; {sum(t.direction == 'wins' for t in out.ranked)} go with winning "
        f"and {sum(t.direction == 'loses' for t in out.ranked)} with losing at "
        f"{confidence:.0%}" + (" family-wise (Bonferroni)" if adjust else ""),
    ]
    if multivariable:
        from graph.readings.triggers_adjusted import adjust_triggers

        adjust_triggers(cases, out, penalty=penalty, min_correlation=min_correlation)
    return out
