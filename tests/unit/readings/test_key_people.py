from __future__ import annotations

import networkx as nx
import pytest

from graph.readings.facts import account_facts
from graph.readings.key_people import betweenness, key_people
from graph.readings.people import people_graph
from graph.readings.testing import AccountBuilder

from .conftest import AS_OF


def _bridge_account():
    """Una only knows Ann; Ann is the only one who knows anyone in Finance."""
    b = AccountBuilder("bridge")
    b.user("una")
    b.contact("ann", name="Ann", department="IT")
    b.contact("fay", name="Fay", department="Finance")
    b.contact("fox", name="Fox", department="Finance")
    b.contact("gil", name="Gil", department="Executive", title="CEO")
    b.touch("t", "meeting", "2025-06-01", contacts=["ann"], users=["una"])
    b.knows("ann", "fay", 0.7)
    b.knows("fay", "gil", 0.7)
    b.knows("ann", "gil", 0.4)
    return b.G


def test_the_only_route_into_finance_is_a_single_point_of_failure():
    P = people_graph(account_facts(_bridge_account(), AS_OF))
    kp = key_people(P, decision_makers=["contact:gil"], engine="networkx")
    spof = {s.key: s.cuts for s in kp.single_points}
    assert "department Finance" in spof["contact:ann"]
    assert "decision maker Gil" in spof["contact:ann"]
    assert "department Finance" in spof["user:una"]  # our only rep in: a risk too
    # Fox is reached only as Fay's colleague: Fay is our one thread into Finance, but
    # not a cut for Gil, whom Ann also knows directly.
    assert spof["contact:fay"] == ["department Finance"]
    assert "contact:fox" not in spof
    assert kp.central[0].key in ("contact:ann", "contact:fay")


def test_department_nobody_reaches_is_reported_unreachable(warm_path):
    P = people_graph(account_facts(warm_path, AS_OF))
    kp = key_people(P)
    assert kp.unreachable == ["department Finance"]


def test_account_without_any_user_link_says_so():
    b = AccountBuilder("cold")
    b.contact("ann", department="IT")
    kp = key_people(people_graph(account_facts(b.G, AS_OF)))
    assert kp.unreachable == ["department IT"]
    assert kp.reasons == ["none of our users has a warm link into this account"]


@pytest.mark.parametrize("seed", range(8))
def test_igraph_betweenness_matches_networkx(seed):
    G = nx.gnm_random_graph(40, 90, seed=seed)
    H = nx.relabel_nodes(G, {n: f"contact:{n}" for n in G})
    ref, e1 = betweenness(H, engine="networkx")
    fast, e2 = betweenness(H, engine="igraph")
    assert (e1, e2) == ("networkx", "igraph")
    assert ref.keys() == fast.keys()
    for n in ref:
        assert fast[n] == pytest.approx(ref[n], abs=1e-9)
