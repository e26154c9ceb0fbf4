"""The pages read graph.readings through one adapter: check it keeps what they show."""

from __future__ import annotations

from datetime import UTC, datetime

from graph.readings.testing import AccountBuilder
from visualizer.brief import build_brief
from visualizer.inputs import Viewer, readings_for
from visualizer.map import map_data
from visualizer.readings_adapter import paths_to


def acme() -> AccountBuilder:
    b = AccountBuilder("acme")
    b.user("una")
    b.contact("ann", title="CFO", department="Finance", seniority="C-level")
    b.contact("bob", title="Engineer", department="IT", seniority="Individual contributor")
    b.reports("bob", "ann")
    b.touch("t1", "meeting", "2025-01-10", contacts=["ann"], users=["una"])
    return b


def test_categories_strength_status_and_who_knows_whom_reach_the_pages():
    r = readings_for(acme().G, as_of="2025-02-01")
    ann, bob = r.contact("contact:ann"), r.contact("contact:bob")
    assert ann.category == "decision_maker" and ann.reasons
    assert ann.strength > bob.strength == 0.0
    assert set(ann.known_by) == {"user:una"} and bob.known_by == {}
    assert r.status == "at_risk" and r.status_reasons
    assert r.breadth["departments covered"].startswith("1 of ")  # only Finance is engaged


def test_paths_to_a_contact_go_through_the_people_we_know():
    G = acme().G
    (best, *_) = paths_to(G, "contact:bob", as_of="2025-02-01")
    assert best.nodes == ["user:una", "contact:ann", "contact:bob"]
    assert all(h.evidence for h in best.hops)
    assert paths_to(G, "contact:nobody") == []


def test_map_of_real_readings_colours_ann_as_a_decision_maker():
    G = acme().G
    data = map_data(G, readings_for(G, as_of="2025-02-01"), Viewer())
    ann = next(n for n in data.nodes if n["id"] == "contact:ann")
    assert ann["category"] == "decision_maker"
    assert ann["card"]["known_by"][0]["name"]


def _quiet_champion() -> AccountBuilder:
    """Hal gave a reference 69 days before the brief: quiet after 60 days, not after 90."""
    b = AccountBuilder("globex")
    b.user("una", owner=True)
    b.contact("gus", name="Gus", title="CEO", seniority="C-level", department="Executive")
    b.contact("hal", name="Hal", title="Head of Operations", department="Operations")
    b.touch("ref", "reference", "2025-04-21", contacts=["hal"], users=["una"])
    b.touch("sig", "contract_signature", "2025-06-20", contacts=["gus"], users=["una"])
    return b


def test_the_brief_judges_a_quiet_champion_with_the_rules_files_days(tmp_path):
    as_of = datetime(2025, 6, 30, tzinfo=UTC)
    G = _quiet_champion().G
    brief = build_brief(G, readings_for(G, as_of=as_of), Viewer(), as_of=as_of)
    said = [*brief.status_reasons, *brief.risks]
    assert not any("Hal" in r and "quiet" in r for r in said)  # 70 days < 90
    assert not any("Re-engage champion Hal" in s.action for s in brief.next_steps)
    rules = tmp_path / "rules.toml"
    rules.write_text("[status]\nchampion_quiet_days = 30\n")
    brief = build_brief(G, readings_for(G, as_of=as_of, rules=rules), Viewer(), as_of=as_of)
    # Said once, as a reason for the status, and answered by a step naming him.
    assert any(r.startswith("champion Hal quiet for 69 days") for r in brief.status_reasons)
    assert not any("quiet" in r for r in brief.risks)
    step = next(s for s in brief.next_steps if s.action.startswith("Re-engage champion Hal"))
    assert "quiet for 69 days" in step.answers


def test_no_department_data_reads_unknown_in_the_brief_and_the_map():
    b = AccountBuilder("umbrella")
    b.user("una")
    b.contact("cleo", name="Cleo", title="CFO", seniority="C-level")
    b.touch("m", "meeting", "2025-06-01", contacts=["cleo"], users=["una"])
    r = readings_for(b.G, as_of="2025-06-30")
    assert r.breadth["departments covered"] == "unknown (no department data)"
    assert "no data on departments: not counted as a gap" in r.status_reasons
    brief = build_brief(b.G, r, Viewer(), as_of=datetime(2025, 6, 30, tzinfo=UTC))
    assert "no data on departments: not counted as a gap" not in brief.risks
    assert brief.breadth["departments covered"] == "unknown (no department data)"
    data = map_data(b.G, r, Viewer())
    assert data.departments == ["(department unknown)"]
    cleo = next(n for n in data.nodes if n["id"] == "contact:cleo")
    assert cleo["department"] == "(department unknown)"
