"""The pages read graph.readings through one adapter: check it keeps what they show."""

from __future__ import annotations

from graph.readings.testing import AccountBuilder
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
