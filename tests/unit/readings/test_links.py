"""The people graph's arrays against the readings' definitions, counted by hand.

The people graph, strength and key people are computed on columns (numpy, igraph).
These tests rebuild what they must say from the touchpoints one by one, on a busy
random account, so a slip in the vectorised bookkeeping (a pair summed twice, the
wrong touchpoint quoted, a link on the wrong people) shows up as a difference.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import datetime, timedelta

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.neighbourhood import key
from graph.readings.facts import account_facts
from graph.readings.key_people import key_people
from graph.readings.links import links_of
from graph.readings.paths import influence_paths
from graph.readings.people import people_graph, people_links
from graph.readings.rules import load_rules
from graph.readings.strength import Weigher, contact_strength, pair_strength
from graph.readings.testing import AccountBuilder

from .conftest import AS_OF

KINDS = ["email", "call", "meeting", "webinar", "event", "invoice", "support_ticket"]


def _busy_account(seed: int) -> nx.MultiDiGraph:
    """40 contacts, 4 users, 400 touchpoints from 1 to 20 people, knows and reports links."""
    rng = random.Random(seed)
    b = AccountBuilder(f"busy{seed}")
    for u in range(4):
        b.user(f"u{u}")
    ids = [f"c{i}" for i in range(40)]
    for i, cid in enumerate(ids):
        b.contact(cid, name=f"Contact {i}", department=rng.choice(["IT", "Finance", "Sales"]),
                  title=rng.choice(["CFO", "Engineer", "Buyer", "CEO"]))
        if i:
            b.reports(cid, ids[rng.randrange(i)])
    for _ in range(30):
        b.knows(rng.choice(ids), rng.choice(ids), round(rng.uniform(0.1, 0.9), 2), "notes")
    for t in range(400):
        kind = rng.choice(KINDS)
        size = rng.choice([1, 1, 2, 3, 4, 8, 9, 20])
        when = datetime.fromisoformat(AS_OF) - timedelta(days=rng.randint(0, 900))
        # Some touchpoints share a day: ties on weight must break the same way always.
        b.touch(f"t{t:03d}", kind, when.date().isoformat(),
                contacts=rng.sample(ids, size),
                users=[f"u{u}" for u in range(4) if rng.random() < 0.3],
                outcome=rng.choice([None, "positive", "negative"]))
    return b.G


@pytest.mark.parametrize("seed", range(3))
def test_shared_touchpoint_links_are_the_sums_the_definition_gives(seed):
    facts = account_facts(_busy_account(seed), AS_OF)
    rules = load_rules()
    cfg = rules.section("paths")
    group = int(cfg.get("max_group_size", 8))
    weigher = Weigher(rules, facts.as_of, 180.0)
    T = facts.touches
    w = weigher.weights(T)
    # By hand: every pair of people on each touchpoint (users with contacts only on
    # big ones), summing decayed weights and keeping the heaviest, earliest touchpoint.
    score: dict[tuple[str, str], float] = defaultdict(float)
    count: dict[tuple[str, str], int] = defaultdict(int)
    best: dict[tuple[str, str], int] = {}
    for row in range(len(T)):
        t = T.touch(row)
        people = [key("contact", c) for c in t.contacts] + [key("user", u) for u in t.users]
        if len(people) > group:
            pairs = [(c, u) for c in people if c.startswith("contact:")
                     for u in people if u.startswith("user:")]
        else:
            pairs = [(p, q) for i, p in enumerate(people) for q in people[i + 1:]]
        for p, q in pairs:
            pk = (min(p, q), max(p, q))
            score[pk] += float(w[row])
            count[pk] += 1
            if pk not in best or w[row] > w[best[pk]]:
                best[pk] = row
    P = people_graph(facts, rules=rules)
    scale = weigher.scale
    min_strength = float(cfg.get("min_strength", 0.05))
    checked = 0
    for (p, q), s in score.items():
        alone = 1.0 - math.exp(-s / scale)
        if not P.has_edge(p, q):
            assert alone < min_strength, (p, q)
            continue
        d = P[p][q]
        assert d["shared"] == count[(p, q)]
        assert d["touch"] == best[(p, q)]
        if not d["evidence"]:  # no knows / reports-to link to fold in
            assert d["strength"] == pytest.approx(alone, rel=1e-9)
        else:
            assert d["strength"] >= alone - 1e-12
        checked += 1
    assert checked > 100
    # Every other link is a known link or a colleague hub, never a shared touchpoint.
    for p, q, d in P.edges(data=True):
        if (min(p, q), max(p, q)) not in score:
            assert "touch" not in d and (d["evidence"] or P.nodes[q]["hub"] or P.nodes[p]["hub"])


@pytest.mark.parametrize("seed", range(3))
def test_strength_is_the_sum_over_each_contacts_touchpoints(seed):
    G = _busy_account(seed)
    facts = account_facts(G, AS_OF)
    rules = load_rules()
    weigher = Weigher(rules, facts.as_of, 180.0)
    T = facts.touches
    w = weigher.weights(T)
    rows: dict[str, list[int]] = defaultdict(list)
    pair_rows: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in range(len(T)):
        t = T.touch(row)
        for c in t.contacts:
            rows[c].append(row)
            for u in t.users:
                pair_rows[(u, c)].append(row)
    strength = contact_strength(G, rules=rules, as_of=AS_OF)
    for cid, s in strength.items():
        mine = rows.get(cid, [])
        assert s.touchpoints == len(mine)
        assert s.score == pytest.approx(sum(float(w[r]) for r in mine), abs=1e-6)
        if mine:
            # The reasons quote the three heaviest touchpoints, the earliest on a tie.
            top = sorted(mine, key=lambda r: (-w[r], r))[:3]
            assert [x.split(":")[0] for x in s.reasons[:3]] == [
                f"{T.kind_of(r)} on {T.day(r)}" + (f" ({T.outcomes[T.outcome[r]]})"
                                                   if T.outcomes[T.outcome[r]] else "")
                for r in top]
    pairs = pair_strength(G, rules=rules, as_of=AS_OF)
    assert set(pairs) == set(pair_rows)
    for pk, s in pairs.items():
        assert s.score == pytest.approx(sum(float(w[r]) for r in pair_rows[pk]), abs=1e-6)


@pytest.mark.parametrize("seed", range(3))
def test_readings_are_the_same_from_networkx_and_from_arrays(seed):
    facts = account_facts(_busy_account(seed), AS_OF)
    L = people_links(facts)
    # A NetworkX graph read back into arrays (no cached arrays on it), as the API's
    # callers hand it over.
    P = nx.Graph(people_graph(facts))
    P.graph.pop("_people_links", None)
    assert links_of(P) is not L
    dms = ["contact:c0", "contact:c7"]
    assert key_people(P, decision_makers=dms) == key_people(L, decision_makers=dms)
    for target in ("contact:c0", "contact:c13", "contact:c39"):
        assert influence_paths(P, target, k=3) == influence_paths(L, target, k=3)


@st.composite
def graphs_with_hubs(draw):
    """People linked directly and through department hubs (a hub links only people)."""
    n = draw(st.integers(2, 9))
    hubs = draw(st.integers(0, 3))
    P = nx.Graph()
    people = [f"p{i}" for i in range(n)]
    for p in people:
        P.add_node(p, hub=False, name=p, kind="contact")
    for h in range(hubs):
        P.add_node(f"h{h}", hub=True, name=f"h{h}", kind="department")
        for p in draw(st.lists(st.sampled_from(people), max_size=4, unique=True)):
            P.add_edge(p, f"h{h}", cost=0.5, strength=0.6)
    for a, b in draw(st.lists(st.tuples(st.sampled_from(people), st.sampled_from(people)),
                              max_size=12)):
        if a != b:
            P.add_edge(a, b, cost=1.0, strength=0.4)
    return P


@settings(max_examples=200, deadline=None)
@given(graphs_with_hubs())
def test_hops_count_a_hub_crossing_as_one_hop(P):
    L = links_of(P)
    hubs = {n for n, h in P.nodes(data="hub") if h}
    # The reference: entering a hub is free, any other step one hop.
    want = nx.single_source_dijkstra_path_length(
        P, "p0", weight=lambda u, v, d: 0 if v in hubs else 1)
    got = L.hops(L.index["p0"])
    assert {L.keys[i]: d for i, d in enumerate(got) if d != math.inf} == want


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("weakest", [0.5, 0.9])
def test_single_points_are_the_people_whose_removal_cuts_us_off(seed, weakest):
    G = _busy_account(seed)
    facts = account_facts(G, AS_OF)
    # Sparse enough for single points: one of our users, the strong links and the hubs.
    P = people_graph(facts)
    P.remove_nodes_from(["user:u1", "user:u2", "user:u3"])
    P.remove_edges_from([(u, v) for u, v, d in P.edges(data=True) if d["strength"] < weakest
                         and not (P.nodes[u]["hub"] or P.nodes[v]["hub"])])
    dms = ["contact:c0", "contact:c5"]
    kp = key_people(P, decision_makers=dms)
    # By hand: a virtual root before our users, a node per target after its members;
    # x cuts a target we reach when removing x leaves it unreachable.
    D = nx.DiGraph()
    D.add_nodes_from(P)
    D.add_edges_from(P.edges())
    D.add_edges_from((v, u) for u, v in P.edges())
    D.add_edges_from(("root", u) for u, k in P.nodes(data="kind") if k == "user")
    targets = {}
    for n, d in P.nodes(data=True):
        if d["kind"] == "contact" and d["current"] and d["department"]:
            targets.setdefault(f"department {d['department']}", []).append(n)
    for dm in dms:
        targets[f"decision maker {P.nodes[dm]['name']}"] = [dm]
    for label, members in targets.items():
        D.add_edges_from((m, label) for m in members)
    reached = nx.descendants(D, "root")
    want = set()
    for x in P:
        if P.nodes[x]["hub"]:
            continue
        H = D.copy()
        H.remove_node(x)
        left = nx.descendants(H, "root")
        self_dm = f"decision maker {P.nodes[x]['name']}"
        for label in targets:
            if label in reached and label not in left and (
                    label != self_dm or P.nodes[x]["kind"] == "user"):
                want.add((x, label))
    got = {(s.key, cut) for s in kp.single_points for cut in s.cuts}
    assert got == want and (want or kp.unreachable)  # never a case with nothing to check
    assert sorted(kp.unreachable) == sorted(t for t in targets if t not in reached)
