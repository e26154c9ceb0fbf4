from __future__ import annotations

import itertools
import math

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.readings import testing
from graph.readings.facts import account_facts
from graph.readings.paths import influence_paths, k_best_paths
from graph.readings.people import people_graph
from graph.readings.testing import AccountBuilder

from .conftest import AS_OF


def _people(G):
    return people_graph(account_facts(G, AS_OF))


def test_two_hop_warm_path_through_a_summit_acquaintance(warm_path):
    r = influence_paths(_people(warm_path), "contact:bob")
    best = r.paths[0]
    assert best.people == ["user:una", "contact:ann", "contact:bob"]
    assert best.hops[0].evidence == ["both took part in event '2025 summit' on 2025-05-20"]
    assert best.hops[1].evidence == ["knows (worked together)"]
    assert math.isclose(best.strength, best.hops[0].strength * best.hops[1].strength,
                        rel_tol=1e-5)


def test_disconnected_target_gets_an_honest_no_warm_path(warm_path):
    r = influence_paths(_people(warm_path), "contact:dave")
    assert r.paths == []
    assert r.reasons == ["no warm path: nobody we know links to Dave (disconnected)"]


def test_hop_limit_is_respected_and_said():
    b = AccountBuilder("chain")
    b.user("una")
    for c in "abcd":
        b.contact(c)
    b.touch("t", "meeting", "2025-06-01", contacts=["a"], users=["una"])
    b.knows("a", "b", 0.9)
    b.knows("b", "c", 0.9)
    b.knows("c", "d", 0.9)
    P = _people(b.G)
    assert influence_paths(P, "contact:d", max_hops=4).paths[0].people[-1] == "contact:d"
    r = influence_paths(P, "contact:d", max_hops=3)
    assert r.paths == []
    assert r.reasons == ["no warm path within 3 hops: the nearest route takes 4"]


def test_several_alternatives_strongest_first_and_colleagues_count_as_one_hop():
    b = AccountBuilder("alts")
    b.user("una")
    b.contact("ann", department="IT")
    b.contact("bob", department="IT")
    b.contact("cy", department="Sales")
    b.touch("t1", "meeting", "2025-06-01", contacts=["ann", "cy"], users=["una"])
    b.knows("cy", "bob", 0.9, origin="old friends")
    r = influence_paths(_people(b.G), "contact:bob", k=3)
    assert len(r.paths) >= 2
    strengths = [p.strength for p in r.paths]
    assert strengths == sorted(strengths, reverse=True)
    colleague = next(p for p in r.paths if p.people == ["user:una", "contact:ann", "contact:bob"])
    assert colleague.hops[1].evidence == ["colleagues in IT"]


def test_one_named_user_only_starts_from_themselves(warm_path):
    r = influence_paths(_people(warm_path), "contact:bob", sources=["user:nobody"])
    assert r.paths == [] and r.reasons[0].startswith("no warm path: none of our users")


# --- properties on random people graphs ------------------------------------------------

@st.composite
def people_graphs(draw):
    n = draw(st.integers(3, 9))
    P = nx.Graph()
    for i in range(n):
        P.add_node(f"p{i}", kind="user" if i == 0 else "contact", name=f"P{i}", hub=False)
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                    st.floats(0.05, 1.0)), max_size=20))
    for a, b, s in edges:
        if a != b:
            P.add_edge(f"p{a}", f"p{b}", strength=s, cost=-math.log(s), evidence=["x"])
    return P, f"p{n - 1}"


def _cost(P, path):
    return sum(P[a][b]["cost"] for a, b in itertools.pairwise(path))


@settings(max_examples=150, deadline=None)
@given(people_graphs(), st.integers(1, 4), st.integers(1, 4))
def test_paths_are_real_simple_bounded_and_the_first_is_the_true_best(case, k, hops):
    P, target = case
    found, complete = k_best_paths(P, ["p0"], target, k=k, max_hops=hops)
    assert complete and len(found) <= k
    for path in found:
        assert path[0] == "p0" and path[-1] == target
        assert len(set(path)) == len(path) and len(path) - 1 <= hops
        assert all(P.has_edge(a, b) for a, b in itertools.pairwise(path))
    costs = [_cost(P, p) for p in found]
    assert costs == sorted(costs)
    brute = sorted(_cost(P, p) for p in nx.all_simple_paths(P, "p0", target, cutoff=hops))
    if brute:
        assert found and math.isclose(costs[0], brute[0], abs_tol=1e-9)
    else:
        assert found == []


def test_paths_do_not_relay_through_another_of_our_users():
    b = AccountBuilder("relay")
    b.user("una")
    b.user("sam")
    b.contact("bob", name="Bob")
    b.touch("t1", "meeting", "2025-06-01", contacts=["bob"], users=["sam"])
    b.knows("user:una", "user:sam", 0.9, origin="same team")
    r = influence_paths(_people(b.G), "contact:bob", k=3)
    assert [p.people for p in r.paths] == [["user:sam", "contact:bob"]]
    # From Una alone, Sam is not a hop: the reading says whom to ask instead.
    only_una = influence_paths(_people(b.G), "contact:bob", sources=["user:una"])
    assert only_una.paths == []
    assert only_una.reasons[-1].startswith("from anyone on our side: ask Sam, Sam -> Bob")


def test_a_path_by_way_of_a_customer_to_our_owner_is_the_owners_own_path():
    # Parker met Cleo, Cleo met Jamie (our owner), Jamie knows Tess: Jamie -> Tess.
    P = _people(testing.relayed())
    everyone = influence_paths(P, "contact:tess")
    assert [p.people for p in everyone.paths] == [["user:jamie", "contact:tess"]]
    parker = influence_paths(P, "contact:tess", sources=["user:parker"])
    assert parker.paths == []
    assert parker.reasons[-1] == ("from anyone on our side: ask Jamie, Jamie -> Tess "
                                  "(strength 0.70)")


def test_a_knows_link_rated_zero_is_not_warm():
    # Zed knows Tess at 0.0: not a route, and Zed is not linked to Tess at all.
    P = _people(testing.relayed())
    assert not P.has_edge("contact:zed", "contact:tess")
    b = AccountBuilder("unrated")
    b.user("una")
    b.contact("ann")
    b.knows("user:una", "ann", None)  # no strength recorded: an ordinary acquaintance
    assert _people(b.G)["user:una"]["contact:ann"]["strength"] == 0.5


def test_alternatives_do_not_share_their_last_two_hops():
    # Three of us met Xia, who knows Yan, who knows the CFO: the old search gave three
    # "alternatives" ending Xia -> Yan -> Fay. One is enough; the next goes via Zoe.
    b = AccountBuilder("alts2")
    for u in ("una", "vic", "wes"):
        b.user(u)
    for c in ("xia", "yan", "zoe", "fay"):
        b.contact(c, name=c.title())
    for i, u in enumerate(("una", "vic", "wes")):
        b.touch(f"m{i}", "meeting", "2025-06-01", contacts=["xia"], users=[u], outcome="positive")
    b.knows("xia", "yan", 0.9)
    b.knows("yan", "fay", 0.9)
    b.touch("c1", "call", "2025-06-01", contacts=["zoe"], users=["una"])
    b.knows("zoe", "fay", 0.4)
    r = influence_paths(_people(b.G), "contact:fay", k=3)
    tails = [tuple(p.people[-3:]) for p in r.paths]
    assert len(tails) == len(set(tails)) >= 2
    assert r.paths[0].people[-3:] == ["contact:xia", "contact:yan", "contact:fay"]
    assert any("contact:zoe" in p.people for p in r.paths)


@settings(max_examples=150, deadline=None)
@given(people_graphs(), st.integers(1, 4), st.integers(1, 4))
def test_alternatives_never_share_a_tail_nor_relay_through_users(case, k, hops):
    P, target = case
    P.nodes["p1"]["kind"] = "user"  # a second one of ours, never a hop in the middle
    found, _ = k_best_paths(P, ["p0", "p1"], target, k=k, max_hops=hops)
    tails = [tuple(p[-3:]) for p in found]
    assert len(tails) == len(set(tails))
    assert all(P.nodes[x]["kind"] != "user" for p in found for x in p[1:-1])
