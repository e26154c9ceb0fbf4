"""Issue 14's acceptance bars, measured on worlds our rules did not shape (docs/worlds.md).

These read what a user would notice: whether a contact's category is their real
role more often than a constant or a title rule would guess it, whether accounts
that buy can read "can grow" when nobody recorded departments, and whether the
purchase drivers planted in a world come out above fields that drive nothing.
"""

from __future__ import annotations

import pytest

from graph.store import Store
from seed.worlds import CrmWorld, build_world, params_for
from seed.worlds.load import load_into
from seed.worlds.measure import WorldScore, read_world, score_world
from seed.worlds.score import score_triggers


def _loaded(store: Store, scenario: str, scale: float) -> CrmWorld:
    base = params_for(scenario)
    sizes = {k: round(getattr(base, k) * scale)
             for k in ("accounts", "contacts", "touchpoints", "opportunities")}
    world = build_world(scenario, seed=1, **sizes)
    assert not load_into(store, world).rejected
    return world


def _measured(store: Store, scenario: str) -> WorldScore:
    # 120 accounts, 480 contacts, about 12,000 touchpoints: stable numbers in seconds.
    world = _loaded(store, scenario, 0.4)
    return score_world(read_world(store, world), world)


def test_role_independent_classification_beats_majority_and_titles(store: Store) -> None:
    c = _measured(store, "role_independent").classification
    assert c.contacts > 250
    assert c.accuracy >= c.majority_accuracy + 0.20, c
    assert c.accuracy > c.title_accuracy, c


def test_no_departments_some_accounts_can_grow(store: Store) -> None:
    s = _measured(store, "no_departments").status
    assert sum(counts.get("can_grow", 0) for counts in s.counts.values()) > 0, s.counts
    assert s.can_grow_buying > s.can_grow_not_buying, s


@pytest.mark.slow
def test_drivers_rank_above_noise_and_losing_drivers_are_flagged(store: Store) -> None:
    # The full-size world: about 1,100 closed deals, enough support for every driver.
    world = _loaded(store, "drivers", 1.0)
    t = score_triggers(read_world(store, world, accounts=False, triggers=True).triggers,
                       world.truth)
    assert t.drivers_above_noise, t
    assert t.losing_flagged, t
