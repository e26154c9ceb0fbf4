"""The revenue triggers planted in the world are really there, and only those.

docs/demo-world.md promises analysts (and the revenue-trigger analysis) that
these fields move win rates; here we check the promise on the raw deals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from seed.generator import Sizes, generate
from seed.generator.deals import TRIGGERS, win_probability
from seed.generator.vocab import RARE_DECOY, RARE_DECOY_CASES
from tests.unit.seed.conftest import Generated, run

MEDIUM = Sizes(companies=300, contacts=9_000, touchpoints=30_000)


@pytest.fixture(scope="module")
def medium() -> Generated:
    return run(generate(11, MEDIUM, keep_roles=True))


def lift(g: Generated, holds: Callable[[Any], bool]) -> tuple[float, int]:
    """Win rate of closed deals where ``holds``, over the rate where it does not."""
    closed = [o for o in g.of("opportunity") if o.stage.startswith("closed")]
    with_ = [o.stage == "closed_won" for o in closed if holds(o)]
    without = [o.stage == "closed_won" for o in closed if not holds(o)]
    return (sum(with_) / len(with_)) / (sum(without) / len(without)), len(with_)


def has_item(g: Generated, key: str, value: str) -> Callable[[Any], bool]:
    people = {i.contact_id for i in g.of("profile_item") if (i.key, i.value) == (key, value)}
    return lambda o: any(c in people for c in o.contact_ids)


def test_each_planted_trigger_lifts_win_rate(medium: Generated) -> None:
    industry = {c.id: c.industry for c in medium.of("company")}
    checks = {
        "profile:values_in_vendor=responsiveness": has_item(
            medium, "values_in_vendor", "responsiveness"
        ),
        "firmographic:industry=Healthcare": lambda o: industry[o.company_id] == "Healthcare",
        "mix:champion_on_deal": lambda o: any(
            medium.world.roles[c] == "champion" for c in o.contact_ids
        ),
    }
    assert set(checks) == set(TRIGGERS)
    for name, holds in checks.items():
        ratio, cases = lift(medium, holds)
        assert cases >= 30, name
        assert ratio >= 1.3, (name, ratio)


def test_hobbies_and_schools_are_not_triggers(medium: Generated) -> None:
    weakest = min(
        lift(medium, has_item(medium, "values_in_vendor", "responsiveness"))[0],
        lift(medium, lambda o: any(medium.world.roles[c] == "champion" for c in o.contact_ids))[0],
    )
    for key, value in [("hobby", "golf"), ("school", "State University"), ("sports", "tennis")]:
        ratio, cases = lift(medium, has_item(medium, key, value))
        assert cases >= 10, (key, value)
        assert ratio < weakest, (key, value, ratio)


def test_rare_decoy_sits_on_three_winners(medium: Generated) -> None:
    holders = {i.contact_id for i in medium.of("profile_item")
               if (i.key, i.value) == RARE_DECOY}  # fmt: skip
    assert len(holders) == RARE_DECOY_CASES
    # Each holder was on a won deal: a perfect but tiny win record that an
    # honest analysis must not call a trigger.
    for person in holders:
        deals = [o for o in medium.of("opportunity") if person in o.contact_ids]
        assert any(o.stage == "closed_won" for o in deals), person


def test_win_probability_is_the_documented_formula() -> None:
    assert win_probability([]) == pytest.approx(0.214, abs=0.001)
    assert win_probability(list(TRIGGERS)) == pytest.approx(0.931, abs=0.001)
