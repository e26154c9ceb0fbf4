"""Small, named account graphs whose right answers are obvious by eye."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.readings.testing import AccountBuilder

AS_OF = "2025-06-30"


@pytest.fixture
def single_threaded() -> nx.MultiDiGraph:
    """Acme: Ann (CFO) carries everything; Bob and Cat are names on a list."""
    b = AccountBuilder("acme", name="Acme")
    b.user("una", owner=True)
    b.contact("ann", name="Ann", title="CFO", seniority="C-level", department="Finance")
    b.contact("bob", name="Bob", title="Engineer", department="IT", sources=["marketing"])
    b.contact("cat", name="Cat", title="Buyer", department="Procurement", sources=["purchased"])
    for i, day in enumerate(["2025-04-02", "2025-05-06", "2025-06-10"]):
        b.touch(f"m{i}", "meeting", day, contacts=["ann"], users=["una"], outcome="positive",
                subject="Quarterly review")
    b.touch("sig", "contract_signature", "2025-05-20", contacts=["ann"], users=["una"])
    return b.G


@pytest.fixture
def champion_left() -> nx.MultiDiGraph:
    """Initech: Carl gave references for us, then left for Globex; Dee still signs."""
    b = AccountBuilder("initech", name="Initech")
    b.user("una", owner=True)
    b.contact("carl", name="Carl", title="Director of Operations", department="Operations",
              left_on="2025-03-01", moved_to="globex")
    b.contact("dee", name="Dee", title="VP Finance", seniority="VP", department="Finance")
    b.contact("eve", name="Eve", title="Developer", department="IT")
    b.touch("ref1", "reference", "2024-11-05", contacts=["carl"], users=["una"],
            outcome="positive", subject="Case study")
    b.touch("ref2", "referral", "2025-01-15", contacts=["carl"], users=["una"])
    b.touch("sig", "contract_signature", "2025-05-01", contacts=["dee"], users=["una"])
    b.touch("demo", "demo", "2025-06-01", contacts=["eve"], users=["una"])
    return b.G


@pytest.fixture
def healthy() -> nx.MultiDiGraph:
    """Globex: a decision maker, a champion and an evaluator in three departments."""
    b = AccountBuilder("globex", name="Globex")
    b.user("una", owner=True)
    b.user("sam", role="sales_rep")
    b.contact("gus", name="Gus", title="CEO", seniority="C-level", department="Executive")
    b.contact("hal", name="Hal", title="Head of Operations", seniority="Director",
              department="Operations")
    b.contact("ivy", name="Ivy", title="Architect", seniority="Manager", department="IT")
    b.touch("sig", "contract_signature", "2025-06-01", contacts=["gus"], users=["una"])
    b.touch("ref", "reference", "2025-06-10", contacts=["hal"], users=["sam"], outcome="positive")
    b.touch("demo", "demo", "2025-06-15", contacts=["ivy", "hal"], users=["sam"])
    b.touch("call", "call", "2025-06-20", contacts=["gus", "hal"], users=["una"])
    return b.G


@pytest.fixture
def warm_path() -> nx.MultiDiGraph:
    """Hooli: Una met Ann at the summit; Ann knows Bob, the CEO. Dave knows nobody."""
    b = AccountBuilder("hooli", name="Hooli")
    b.user("una", owner=True)
    b.contact("ann", name="Ann", title="Engineer", department="IT")
    b.contact("bob", name="Bob", title="CEO", seniority="C-level", department="Executive")
    b.contact("dave", name="Dave", title="Controller", department="Finance")
    b.touch("summit", "event", "2025-05-20", contacts=["ann"], users=["una"],
            subject="2025 summit", outcome="positive")
    b.knows("ann", "bob", 0.8, origin="worked together")
    return b.G
