"""Revenue triggers held against each other: which ones still matter with the rest fixed.

One value at a time (:func:`graph.readings.triggers.revenue_triggers`) cannot tell a
cause from its echo: "technical evaluator on the deal" goes with winning when
technical evaluators are simply the people who had a demo, and an industry goes
with winning when it is where the large companies are. This view fits one
L2-regularised logistic regression (scikit-learn) of won/lost on every ranked value
at once (a 0/1 column each, standardised), and for each value reports:

* the **adjusted odds ratio**: ``exp(β)``, the value's odds multiplier with every
  other ranked value held fixed, and its interval: ``β ± z·se`` at the same
  (Bonferroni-adjusted) level as the one-at-a-time intervals, ``se`` from the
  curvature of the penalised likelihood at the fit (the Laplace approximation:
  the ridge penalty is a Gaussian prior with variance ``C`` on each standardised
  coefficient, so this is that posterior's spread);
* **explained by**: when a value goes with winning or losing on its own but its
  adjusted interval includes 1, the other feature's value that most goes with it
  (largest correlation, at least ``min_correlation``) among those whose adjusted
  interval excludes 1: "explained by deal.had_demo = yes".

A value is compared with the other cases, as one at a time: its coefficient minus
the case-weighted average of the coefficients of its feature's other values
(``β_v - Σ n_u β_u / (n - n_v)``; a case with none of them counts 0). With a column
for every industry the coefficients alone are only fixed up to a constant the
penalty picks; this contrast cancels it, so its interval is as narrow as the data
make it. Two values that split the cases (golf / chess) come out as exact mirrors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from statistics import NormalDist
from typing import Any

import numpy as np

from graph.readings.triggers import Trigger, Triggers, feature_pairs


def _design(cases: Sequence[Mapping[str, Any]], cols: list[tuple[str, str]]
            ) -> tuple[np.ndarray, np.ndarray]:
    index = {c: j for j, c in enumerate(cols)}
    X = np.zeros((len(cases), len(cols)))
    y = np.zeros(len(cases))
    for i, case in enumerate(cases):
        y[i] = bool(case.get("won"))
        for pair in feature_pairs(case.get("features") or {}):
            j = index.get(pair)
            if j is not None:
                X[i, j] = 1.0
    return X, y


def fit_penalised(X: np.ndarray, y: np.ndarray, penalty: float
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """L2 logistic regression on standardised columns: β, its covariance, the fit's probabilities.

    The objective is ``½‖w‖² + C Σ log-loss`` (scikit-learn's, ``C = penalty``) on the
    standardised columns; β and its covariance (the inverse curvature of that
    objective at the fit) are returned on the 0/1 scale.
    """
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise ImportError("the adjusted revenue triggers need scikit-learn: "
                          "pip install scikit-learn") from e
    mean, sd = X.mean(axis=0), X.std(axis=0)
    sd[sd == 0] = 1.0
    Z = (X - mean) / sd
    model = LogisticRegression(C=penalty, max_iter=5000, tol=1e-10)
    model.fit(Z, y)
    w = model.coef_[0]
    p = model.predict_proba(Z)[:, 1]
    # Curvature of the objective at the fit (intercept unpenalised, in the last row).
    Z1 = np.column_stack([Z, np.ones(len(Z))])
    H = (Z1 * (p * (1 - p))[:, None]).T @ Z1
    m = len(w)
    H[np.arange(m), np.arange(m)] += 1.0 / penalty
    cov = np.linalg.inv(H)[:m, :m] / np.outer(sd, sd)
    return w / sd, cov, p


def _contrasts(ranked: list[Trigger], X: np.ndarray) -> np.ndarray:
    """Row j: value j against the other cases' average of its feature's other columns."""
    n = len(X)
    counts = X.sum(axis=0)
    A = np.eye(len(ranked))
    for j, t in enumerate(ranked):
        rest = n - counts[j]
        for k, u in enumerate(ranked):
            if k != j and u.feature == t.feature and rest > 0:
                A[j, k] = -counts[k] / rest
    return A


def adjust_triggers(
    cases: Sequence[Mapping[str, Any]],
    triggers: Triggers,
    *,
    penalty: float = 1.0,
    min_correlation: float = 0.3,
) -> Triggers:
    """Fill the ranked triggers' adjusted odds ratios, intervals and ``explained_by``.

    Parameters
    ----------
    cases : sequence of mapping
        The cases ``triggers`` was computed from.
    triggers : Triggers
        From :func:`graph.readings.triggers.revenue_triggers`; changed in place.
    penalty : float
        ``C``: the prior variance of a standardised coefficient (smaller shrinks more).
    min_correlation : float
        How closely another value must go with a trigger to be named as explaining it.

    Returns
    -------
    Triggers
        The same object, ``adjusted`` True when there were values to fit.

    Examples
    --------
    >>> from graph.readings.triggers import revenue_triggers
    >>> cases = [{"won": i % 10 < (7 if i < 200 else 3),
    ...           "features": {"deal.had_demo": i < 200, "deal.tech_on_deal": i < 190}}
    ...          for i in range(400)]
    >>> t = adjust_triggers(cases, revenue_triggers(cases))
    >>> [(x.feature, x.direction, x.explained_by) for x in t.ranked]
    [('deal.had_demo', 'wins', None), ('deal.tech_on_deal', 'wins', 'deal.had_demo = yes')]
    """
    ranked = triggers.ranked
    if not ranked:
        return triggers
    X, y = _design(cases, [(t.feature, t.value) for t in ranked])
    if y.min() == y.max():
        return triggers  # nothing to tell wins from losses with
    coef, cov, _ = fit_penalised(X, y, penalty)
    A = _contrasts(ranked, X)
    beta = A @ coef
    se = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", A, cov, A), 0.0))
    z = NormalDist().inv_cdf(1 - (1 - triggers.interval_confidence) / 2)
    lo, hi = beta - z * se, beta + z * se
    holds = (lo > 0) | (hi < 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.nan_to_num(np.corrcoef(X, rowvar=False))
    corr = np.atleast_2d(corr)
    for j, t in enumerate(ranked):
        t.adjusted_odds_ratio = round(math.exp(beta[j]), 4)
        t.adjusted_interval = (round(math.exp(lo[j]), 4), round(math.exp(hi[j]), 4))
        said = (f"with every other ranked value held fixed: odds x{t.adjusted_odds_ratio:.2f} "
                f"({t.adjusted_interval[0]:.2f} to {t.adjusted_interval[1]:.2f})")
        if holds[j]:
            t.reasons.append(said + (": holds" if t.significant else
                                     ": shows once the others are held fixed"))
            continue
        if not t.significant:
            continue
        others = [k for k in range(len(ranked)) if holds[k] and ranked[k].feature != t.feature
                  and abs(corr[j, k]) >= min_correlation]
        if others:
            k = max(others, key=lambda k: (abs(corr[j, k]), -k))
            t.explained_by = f"{ranked[k].feature} = {ranked[k].value}"
            t.reasons.append(f"explained by {t.explained_by} (they go together: correlation "
                             f"{corr[j, k]:+.2f}); {said}")
        else:
            t.reasons.append(f"{said}: not clear once the others are held fixed")
    triggers.adjusted = True
    explained = sum(t.explained_by is not None for t in ranked)
    triggers.reasons.append(
        f"adjusted view: one L2 logistic regression (C={penalty:g}) over the "
        f"{len(ranked)} ranked values; {int(holds.sum())} hold with the others fixed, "
        f"{explained} are explained by another")
    return triggers


__all__ = ["Trigger", "adjust_triggers", "fit_penalised"]
