from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.readings import testing
from graph.readings.concentration import concentration, list_purchase_plan
from graph.readings.database import (
    account_summary,
    iter_account_summaries,
    job_change_openings,
    opportunity_cases,
)
from graph.readings.mix import mix_by_segment
from graph.readings.testing import AccountBuilder
from graph.readings.triggers import revenue_triggers, wilson_interval

from .conftest import AS_OF


class GraphsStore:
    """The two Store methods the database walk uses, over hand-built graphs."""

    def __init__(self, graphs):
        self.graphs = {G.graph["company_id"]: G for G in graphs}
        self.fetched: list[str] = []

    def iter_ids(self, kind, batch=10_000):
        ids = sorted(self.graphs)
        for i in range(0, len(ids), batch):
            yield ids[i:i + batch]

    def account_graph(self, company_id):
        self.fetched.append(company_id)
        return self.graphs[company_id]

    def account_data(self, company_id, people=True):
        # The summaries read "data"; the readings take a hand-built graph for it too.
        return self.account_graph(company_id)


def test_database_walk_summarises_every_account_one_at_a_time():
    store = GraphsStore([f() for f in testing.SAMPLES.values()])
    rows = list(iter_account_summaries(store, as_of=AS_OF))
    assert store.fetched == sorted(store.graphs)
    by_id = {r["company_id"]: r for r in rows}
    assert by_id["initech"]["status"] == "at_risk"
    assert by_id["acme"]["mix"] == {"decision_maker": 1, "unengaged": 2}
    openings = job_change_openings(rows)
    assert [(o["name"], o["from_company_id"], o["to_company_id"]) for o in openings] == [
        ("Carl", "initech", "globex")]


def test_mix_by_segment_sums_accounts_of_each_industry():
    rows = [
        account_summary(testing.single_threaded(), as_of=AS_OF) | {"industry": "Retail"},
        account_summary(testing.healthy(), as_of=AS_OF) | {"industry": "Retail"},
        account_summary(testing.warm_path(), as_of=AS_OF) | {"industry": None},
    ]
    seg = mix_by_segment(rows, "industry", categories=["champion"])
    assert set(seg) == {"Retail", "unknown"}
    assert seg["Retail"].accounts == 2 and seg["Retail"].total == 6
    assert seg["Retail"].counts["champion"] == 1
    assert seg["unknown"].counts["champion"] == 0
    assert mix_by_segment(rows, "all")["all"].total == 9


def test_concentration_finds_the_pile_and_the_thin_targets():
    rows = [{"company_id": "big", "contacts": 900}] + [
        {"company_id": f"c{i:02}", "contacts": 10, "target": i < 3} for i in range(10)]
    rows[1]["contacts"] = 2  # c00: a thin target
    c = concentration(rows, thin_below=5)
    assert c.top[0]["company_id"] == "big"
    assert c.share_top_1pct == round(900 / 992, 4)
    assert [t["company_id"] for t in c.thin_targets] == ["c00"]
    assert c.hhi > 0.8


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=50))
def test_concentration_shares_are_ordered_and_bounded(sizes):
    c = concentration({"company_id": f"c{i}", "contacts": n} for i, n in enumerate(sizes))
    assert 0 <= c.share_top_1pct <= c.share_top_10pct <= 1
    assert c.share_top_1pct <= c.share_top_10 <= 1
    if sum(sizes):
        assert 1 / len(sizes) - 1e-4 <= c.hhi <= 1


def test_purchase_plan_buys_what_can_be_bought_at_the_price():
    rows = [
        {"company_id": "t1", "target": True, "mix": {"decision_maker": 1, "end_user": 5}},
        {"company_id": "t2", "target": True, "mix": {}},
        {"company_id": "other", "target": False, "mix": {}},
    ]
    plan = list_purchase_plan(rows, price_per_contact=20)
    assert [a.company_id for a in plan.accounts] == ["t2", "t1"]
    t1 = next(a for a in plan.accounts if a.company_id == "t1")
    assert t1.buy == {"decision_maker": 1, "purchaser": 1, "finance": 1,
                      "technical_evaluator": 2}
    assert t1.engage == {"champion": 1}
    assert plan.contacts_to_buy == 5 + 9
    assert plan.total_cost == 14 * 20


def test_revenue_triggers_rank_the_planted_field_first_and_skip_thin_ones():
    rng = random.Random(7)
    cases = []
    for i in range(400):
        golf = rng.random() < 0.3
        won = rng.random() < (0.7 if golf else 0.2)
        cases.append({"won": won, "features": {
            "profile.hobby": "golf" if golf else "chess",
            "industry": rng.choice(["Retail", "Banking"]),
            "profile.school": "Tiny U" if i < 3 else None,
        }})
    t = revenue_triggers(cases, min_support=30)
    assert (t.ranked[0].feature, t.ranked[0].value) == ("profile.hobby", "golf")
    assert t.ranked[0].lift > 2 and t.ranked[0].significant
    # industry was drawn at random: whatever its rate, it is not called a trigger
    assert not any(x.significant for x in t.ranked if x.feature == "industry")
    thin = [x for x in t.unranked if x.value == "Tiny U"]
    assert thin and not thin[0].ranked and thin[0].support == 3
    assert all(x.support >= 30 for x in t.ranked)


@given(st.integers(0, 200), st.integers(1, 200))
def test_wilson_interval_holds_the_observed_rate(k, n):
    k = min(k, n)
    lo, hi = wilson_interval(k, n)
    assert 0 <= lo <= k / n <= hi <= 1


def test_opportunity_cases_read_mix_as_of_the_close_date_and_public_items_only():
    b = AccountBuilder("acme", industry="Retail")
    b.contact("ann", title="CFO")
    b.contact("bob")
    b.touch("t1", "reference", "2025-03-01", contacts=["bob"])  # after the deal closed
    b.opportunity("o1", stage="closed_won", close_date="2025-02-01", contacts=["ann"])
    b.opportunity("o2", stage="proposal", contacts=["ann"])  # still open: not a case
    for i, (k, v, vis) in enumerate([("hobby", "golf", "public"), ("family", "twins", "personal")]):
        pid = f"p{i}"
        b.G.add_node(f"profile_item:{pid}", kind="profile_item", outside=False, id=pid,
                     contact_id="ann", key=k, value=v, visibility=vis)
        b.G.add_edge("contact:ann", f"profile_item:{pid}", key="HAS_PROFILE_ITEM",
                     kind="HAS_PROFILE_ITEM")
    [case] = opportunity_cases(b.G)
    assert case["won"] is True
    assert case["features"]["industry"] == "Retail"
    assert case["features"]["profile.hobby"] == ["golf"]
    assert "profile.family" not in case["features"]
    assert case["features"]["mix.champion_engaged"] is False  # Bob's reference came later
    with_personal = opportunity_cases(b.G, include_personal=True)[0]
    assert with_personal["features"]["profile.family"] == ["twins"]


@pytest.mark.parametrize("bad", [0, -1])
def test_purchase_plan_with_no_price_costs_nothing(bad):
    plan = list_purchase_plan([{"company_id": "t", "target": True}], price_per_contact=0)
    assert plan.total_cost == 0 and plan.contacts_to_buy > 0


def test_a_won_deal_does_not_explain_itself():
    """Signing the won deal makes Ann a decision maker, but only after it closed."""
    b = AccountBuilder("acme")
    b.contact("ann", title="Office manager")
    b.touch("e", "email", "2025-01-05", contacts=["ann"])
    b.touch("sig", "contract_signature", "2025-02-01", contacts=["ann"])
    b.opportunity("o1", stage="closed_won", close_date="2025-02-01", contacts=["ann"])
    b.opportunity("o2", stage="closed_lost", close_date="2025-03-01", contacts=["ann"])
    cases = {c["opportunity_id"]: c["features"] for c in opportunity_cases(b.G)}
    assert cases["o1"]["deal.decision_maker_on_deal"] is False
    assert cases["o2"]["deal.decision_maker_on_deal"] is True  # o1 was won before o2
