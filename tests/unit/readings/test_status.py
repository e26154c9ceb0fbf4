"""Status that tells accounts apart: unknown is not a gap, churned is churned, quiet is judged
with the rules' days and against the other champions."""

from __future__ import annotations

import json
from pathlib import Path

from graph.readings import account_readings
from graph.readings.testing import AccountBuilder, relayed

from .conftest import AS_OF


def _globex(departments: bool = True, lifecycle: str = "customer") -> AccountBuilder:
    """The healthy sample (a decision maker, a champion and an evaluator), departments optional."""
    b = AccountBuilder("globex", name="Globex", lifecycle=lifecycle)
    b.user("una", owner=True)
    b.user("sam", role="sales_rep")
    b.contact("gus", name="Gus", title="CEO", seniority="C-level",
              department="Executive" if departments else None)
    b.contact("hal", name="Hal", title="Head of Operations", seniority="Director",
              department="Operations" if departments else None)
    b.contact("ivy", name="Ivy", title="Architect", seniority="Manager",
              department="IT" if departments else None)
    b.touch("sig", "contract_signature", "2025-06-01", contacts=["gus"], users=["una"])
    b.touch("ref", "reference", "2025-06-10", contacts=["hal"], users=["sam"], outcome="positive")
    b.touch("demo", "demo", "2025-06-15", contacts=["ivy"], users=["sam"])
    b.touch("call", "call", "2025-06-20", contacts=["gus", "hal"], users=["una"])
    return b


def test_an_account_with_no_department_data_can_grow_and_says_departments_are_unknown():
    r = account_readings(_globex(departments=False).G, as_of=AS_OF)
    assert r.status.status == "can_grow", r.status.checks
    assert "no data on departments: not counted as a gap" in r.status.reasons
    assert r.breadth.unknown == ["departments"]
    assert r.breadth.department_coverage is None
    assert "departments: unknown (no contact has department data)" in r.breadth.reasons
    assert not any("0 of" in x for x in r.breadth.reasons)
    assert r.whitespace.empty_departments == [] and r.whitespace.gaps == []
    assert r.whitespace.unknown == ["departments"]
    data = json.loads(json.dumps(r.to_dict()))
    assert data["breadth"]["unknown"] == ["departments"]
    assert data["breadth"]["department_coverage"] is None


def test_known_departments_still_count_as_gaps():
    b = _globex(departments=False)
    b.contact("dot", name="Dot", title="Clerk", department="Finance")  # the only one we know
    r = account_readings(b.G, as_of=AS_OF)
    assert r.status.status == "at_risk"
    # We know people in one department only, so one is "several" here; nobody in it is
    # engaged.
    assert "only 0 departments covered (can grow needs 1)" in r.status.reasons
    assert r.breadth.unknown == []


def test_departments_where_we_know_nobody_are_whitespace_not_a_narrow_relationship():
    b = _globex(departments=False)
    for c, dep in (("gus", "Executive"), ("hal", "Executive"), ("ivy", "Executive")):
        b.G.add_edge(f"contact:{c}", b.department(dep), key="WORKS_IN", kind="WORKS_IN")
    r = account_readings(b.G, as_of=AS_OF)
    assert r.status.status == "can_grow", r.status.checks  # all we know is one department
    assert "Finance" in r.whitespace.empty_departments  # where we know nobody: whitespace
    b.contact("fay", name="Fay", title="Controller", department="Finance")
    r = account_readings(b.G, as_of=AS_OF)
    assert "only 1 department covered (can grow needs 2)" in r.status.reasons


def test_which_missing_roles_put_an_account_at_risk_is_the_rules_call(tmp_path: Path):
    b = _globex()
    b.G.remove_node("touchpoint:ref")  # Hal gave the reference: now nobody is a champion
    r = account_readings(b.G, as_of=AS_OF)
    assert r.status.status == "at_risk" and "no champion engaged" in r.status.reasons
    rules = tmp_path / "rules.toml"
    rules.write_text("[status]\nat_risk_without = [\"decision_maker\"]\n")
    r = account_readings(b.G, rules=rules, as_of=AS_OF)
    assert r.status.status == "can_grow", r.status.checks
    assert "no champion engaged yet: the next one to find" in r.status.notes


def test_no_seniority_data_is_unknown_not_zero_executives():
    b = AccountBuilder("flat")
    b.user("una")
    b.contact("ann", title="Buyer", department="Procurement")
    b.touch("po", "purchase_order", "2025-06-01", contacts=["ann"], users=["una"])
    r = account_readings(b.G, as_of=AS_OF)
    assert "seniority" in r.breadth.unknown
    assert "executives: unknown (no contact has seniority data)" in r.breadth.reasons
    assert r.whitespace.gaps == []  # no (department, seniority) cell is a known gap
    assert "no data on seniority: not counted as a gap" in r.status.notes


def test_one_quiet_champion_among_several_active_ones_is_noted_not_a_risk():
    b = _globex()
    b.contact("kim", name="Kim", title="Director of IT", department="IT")
    b.touch("ref-old", "reference", "2024-12-01", contacts=["kim"], users=["una"])
    b.contact("lou", name="Lou", title="Head of Sales", department="Operations")
    b.touch("ref-lou", "referral", "2025-06-25", contacts=["lou"], users=["una"])
    r = account_readings(b.G, as_of=AS_OF)
    assert r.status.status == "can_grow", r.status.checks
    (note,) = [n for n in r.status.notes if n.startswith("champion Kim")]
    assert note == ("champion Kim quiet for 211 days (last touch 2024-12-01) "
                    "(Hal, Lou still active within 90 days)")
    assert note in r.status.reasons


def test_one_quiet_champion_and_one_active_is_still_a_risk():
    b = _globex()
    b.contact("kim", name="Kim", title="Director of IT", department="IT")
    b.touch("ref-old", "reference", "2024-12-01", contacts=["kim"], users=["una"])
    r = account_readings(b.G, as_of=AS_OF)
    assert r.status.status == "at_risk"
    assert ("champion Kim quiet for 211 days (last touch 2024-12-01), and only 1 other "
            "champion active (Hal)") in r.status.reasons


def test_every_champion_quiet_is_a_risk():
    r = account_readings(_globex().G, as_of="2025-10-01")  # Hal's last call: 103 days ago
    assert r.status.status == "at_risk"
    assert ("champion Hal quiet for 103 days (last touch 2025-06-20), and no other champion "
            "is active") in r.status.reasons


def test_quiet_days_come_from_the_rules_file(tmp_path: Path):
    rules = tmp_path / "rules.toml"
    rules.write_text("[status]\nchampion_quiet_days = 150\n")
    r = account_readings(_globex().G, rules=rules, as_of="2025-10-01")
    assert r.status.status == "can_grow", r.status.checks


def test_a_churned_account_reads_churned_with_why():
    b = _globex(lifecycle="churned")
    b.opportunity("renewal-2024", close_date="2024-03-01", contacts=["gus"])
    b.opportunity("renewal-2025", stage="closed_lost", close_date="2025-03-01", contacts=["gus"])
    r = account_readings(b.G, as_of=AS_OF)
    assert r.status.status == "churned"
    assert r.status.reasons == [
        "lifecycle is churned: they were a customer and left us",
        "last won deal: renewal-2024 on 2024-03-01",
        "last touchpoint on 2025-06-20",
    ]
    assert "at_risk" in r.status.checks  # the other findings are still there to read


def test_the_relayed_sample_has_no_department_data_and_is_not_at_risk_for_it():
    r = account_readings(relayed(), as_of=AS_OF)
    assert "departments" in r.breadth.unknown
    assert not any("covered (can grow needs" in x for x in r.status.checks["at_risk"])
