from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.model import Outcome, TouchpointKind
from graph.readings.strength import contact_strength, decay, pair_strength
from graph.readings.testing import AccountBuilder


def _account(touches):
    b = AccountBuilder("acme")
    b.user("una")
    b.contact("ann")
    for i, (kind, day, outcome) in enumerate(touches):
        b.touch(f"t{i}", kind, day, contacts=["ann"], users=["una"], outcome=outcome)
    return b.G


def test_a_relationship_nobody_touched_in_a_year_is_weak():
    fresh = _account([("meeting", "2025-06-01", None)])
    stale = _account([("meeting", "2024-06-01", None)])
    s_fresh = contact_strength(fresh, as_of="2025-06-02")["ann"]
    s_stale = contact_strength(stale, as_of="2025-06-02")["ann"]
    assert s_stale.strength < s_fresh.strength / 3
    assert s_fresh.live and not s_stale.live


def test_half_life_halves_the_score():
    G = _account([("meeting", "2025-01-01", None)])
    now = contact_strength(G, as_of="2025-01-01T12:00:00", half_life_days=30)["ann"].score
    later = contact_strength(G, as_of="2025-01-31T12:00:00", half_life_days=30)["ann"].score
    assert abs(later - now / 2) < 1e-6


def test_outcome_weights_a_positive_meeting_above_an_unanswered_one():
    pos = contact_strength(_account([("meeting", "2025-01-01", "positive")]), as_of="2025-02-01")
    none = contact_strength(_account([("meeting", "2025-01-01", "no_response")]),
                            as_of="2025-02-01")
    assert pos["ann"].strength > none["ann"].strength > 0
    assert "meeting on 2025-01-01 (positive)" in pos["ann"].reasons[0]


def test_pair_strength_only_counts_touchpoints_both_took_part_in():
    b = AccountBuilder("acme")
    b.user("una")
    b.user("sam")
    b.contact("ann")
    b.touch("t1", "meeting", "2025-05-01", contacts=["ann"], users=["una"])
    b.touch("t2", "email", "2025-05-02", contacts=["ann"], users=["sam"])
    pairs = pair_strength(b.G, as_of="2025-06-01")
    assert pairs[("una", "ann")].touchpoints == 1
    assert pairs[("una", "ann")].strength > pairs[("sam", "ann")].strength


touch = st.tuples(
    st.sampled_from([str(k) for k in TouchpointKind]),
    st.dates(date(2020, 1, 1), date(2025, 1, 1)).map(str),
    st.one_of(st.none(), st.sampled_from([str(o) for o in Outcome])),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(touch, max_size=8), st.integers(0, 2000), st.integers(1, 2000))
def test_strength_is_never_negative_and_decays_monotonically(touches, gap, more):
    G = _account(touches)
    first = date(2025, 1, 2) + timedelta(days=gap)
    s1 = contact_strength(G, as_of=first)["ann"]
    s2 = contact_strength(G, as_of=first + timedelta(days=more))["ann"]
    assert 0.0 <= s2.strength <= s1.strength < 1.0
    assert s1.score >= 0.0


@given(st.floats(0, 5000), st.floats(0, 5000), st.floats(1, 1000))
def test_decay_is_between_zero_and_one_and_never_rises(a, b, half):
    lo, hi = sorted((a, b))
    assert 0.0 <= decay(hi, half) <= decay(lo, half) <= 1.0
