"""Revenue triggers both ways, and held against each other: drivers above noise, losing
drivers flagged, echoes and stand-ins named."""

from __future__ import annotations

import random

import numpy as np

from graph.readings.triggers import revenue_triggers
from graph.readings.triggers_adjusted import fit_penalised

SIZES = ["1-50", "51-200", "201-1000", "1000+"]


def _drivers_world(seed: int, n: int = 1500) -> list[dict]:
    """Win odds set by revenue band (winning) and an individual contributor on the deal
    (losing); region, hobby and school are drawn at random and drive nothing."""
    rng = random.Random(seed)
    cases = []
    for _ in range(n):
        band = rng.choice(["<10M", "10-50M", "50-250M", "250M+"])
        ic = rng.random() < 0.4
        p = 0.45 + (0.25 if band == "250M+" else 0.0) - (0.2 if ic else 0.0)
        cases.append({"won": rng.random() < p, "features": {
            "revenue_band": band,
            "deal.top_seniority": ["Individual contributor"] if ic else ["Director"],
            "region": rng.choice(["NA", "EMEA", "APAC", "LATAM"]),
            "profile.hobby": rng.choice(["golf", "chess", "sailing", "running", "tennis"]),
            "profile.school": rng.choice(["MIT", "Stanford", "Oxford"]),
        }})
    return cases


def test_planted_drivers_rank_above_every_noise_field_and_the_losing_one_is_flagged():
    for seed in (1, 2, 3):
        t = revenue_triggers(_drivers_world(seed), min_support=30)
        rank = {(x.feature, x.value): i for i, x in enumerate(t.ranked)}
        drivers = [rank[("revenue_band", "250M+")],
                   rank[("deal.top_seniority", "Individual contributor")]]
        noise = [i for (f, _), i in rank.items() if f in ("region", "profile.hobby",
                                                          "profile.school")]
        assert max(drivers) < min(noise), (seed, t.ranked[:6])
        ic = t.ranked[rank[("deal.top_seniority", "Individual contributor")]]
        assert ic.significant and ic.direction == "loses" and ic.difference < 0
        assert "goes with losing" in " ".join(ic.reasons)
        # Held against each other, both drivers still stand.
        for x in (t.ranked[i] for i in drivers):
            assert x.explained_by is None
            assert not x.adjusted_interval[0] < 1 < x.adjusted_interval[1]


def test_a_had_a_demo_echo_is_explained_by_the_demo():
    # Winning follows the demo; "technical evaluator on the deal" is nearly the same
    # people (evaluators are whoever had a demo), so alone it looks like a trigger.
    rng = random.Random(5)
    cases = []
    for _ in range(1200):
        demo = rng.random() < 0.5
        tech = demo if rng.random() < 0.9 else not demo
        cases.append({"won": rng.random() < (0.7 if demo else 0.35), "features": {
            "deal.had_demo": demo, "deal.technical_evaluator_on_deal": tech}})
    t = revenue_triggers(cases, min_support=30)
    by = {x.feature: x for x in t.ranked}
    echo, demo = by["deal.technical_evaluator_on_deal"], by["deal.had_demo"]
    assert echo.significant and echo.direction == "wins"  # alone it looks like a trigger
    assert echo.explained_by == "deal.had_demo = yes"
    assert echo.adjusted_interval[0] < 1 < echo.adjusted_interval[1]
    assert demo.explained_by is None and demo.adjusted_interval[0] > 1
    assert t.adjusted


def test_industry_standing_in_for_size_is_explained_by_size():
    rng = random.Random(11)
    cases = []
    for _ in range(2000):
        size = rng.choice(SIZES)
        # Banks are mostly large companies; only size moves the win rate.
        banking = rng.random() < (0.7 if size == "1000+" else 0.1)
        cases.append({"won": rng.random() < (0.75 if size == "1000+" else 0.4), "features": {
            "size_band": size, "industry": "Banking" if banking else "Retail"}})
    t = revenue_triggers(cases, min_support=30)
    by = {(x.feature, x.value): x for x in t.ranked}
    bank, big = by[("industry", "Banking")], by[("size_band", "1000+")]
    assert bank.significant and bank.direction == "wins"
    assert bank.explained_by == "size_band = 1000+"
    assert big.explained_by is None and big.adjusted_odds_ratio > 1.5
    # Retail is Banking's mirror image: the inverse odds ratio.
    retail = by[("industry", "Retail")]
    assert abs(retail.adjusted_odds_ratio * bank.adjusted_odds_ratio - 1) < 1e-3


def test_the_adjusted_fit_is_the_penalised_likelihoods_optimum():
    """The intervals assume scikit-learn minimises ½‖w‖² + C·Σ log-loss: hold it to that."""
    rng = np.random.default_rng(0)
    X = (rng.random((500, 6)) < 0.3).astype(float)
    y = (rng.random(500) < 0.3 + 0.3 * X[:, 0]).astype(float)
    for C in (0.5, 2.0):
        beta, cov, p = fit_penalised(X, y, C)
        sd = X.std(axis=0)
        w = beta * sd  # back on the standardised scale the penalty applies to
        Z = (X - X.mean(axis=0)) / sd
        assert np.abs(w / C + Z.T @ (p - y)).max() < 1e-4
        assert np.all(np.diag(cov) > 0)


def test_no_multivariable_view_when_asked_not_to():
    t = revenue_triggers(_drivers_world(1, 400), min_support=30, multivariable=False)
    assert not t.adjusted and all(x.adjusted_odds_ratio is None for x in t.ranked)


def test_the_triggers_command_shows_both_ways_and_the_adjusted_view(monkeypatch):
    from types import SimpleNamespace

    from typer.testing import CliRunner

    from api.cli import app
    from api.commands import triggers as command

    cases = _drivers_world(1)
    monkeypatch.setattr(command, "open_store", lambda *a, **k: SimpleNamespace(close=lambda: None))
    monkeypatch.setattr(command, "iter_opportunity_cases", lambda store, rules: iter(cases))
    result = CliRunner().invoke(app, ["triggers", "--top", "5"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "WINS  revenue_band = 250M+" in out
    assert "LOSES deal.top_seniority = Individual contributor" in out
    assert "adjusted: odds x" in out
    as_json = CliRunner().invoke(app, ["triggers", "--json", "--no-adjusted"])
    assert '"adjusted": false' in as_json.output
