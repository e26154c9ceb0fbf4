"""igraph gives NetworkX's answers: distances, hop counts, dominators and betweenness on
random graphs, through the very functions the readings call."""

from __future__ import annotations

import math

import igraph as ig
import networkx as nx
import numpy as np
import pytest

from graph.readings import engines
from graph.readings.links import links_of


def _people(seed: int) -> nx.Graph:
    G = nx.gnm_random_graph(60, 110, seed=seed)
    P = nx.relabel_nodes(G, {n: f"contact:{n}" for n in G})
    for i, (u, v) in enumerate(P.edges()):
        P[u][v]["cost"] = 0.1 + (i * 37 % 11) / 7
    return P


def _with_hubs(seed: int) -> nx.Graph:
    """A people graph's shape: people linked directly, and through hubs linking only people."""
    P = _people(seed)
    nx.set_node_attributes(P, False, "hub")
    for h in range(6):
        hub = f"department:{h}"
        P.add_node(hub, hub=True)
        for m in range(h, 60, 9):
            P.add_edge(f"contact:{m}", hub, cost=0.5)
    return P


@pytest.mark.parametrize("seed", range(6))
def test_distances_match_dijkstra(seed):
    P = _people(seed)
    ref = nx.single_source_dijkstra_path_length(P, "contact:0", weight="cost")
    L = links_of(P)
    row = L.distances(L.index["contact:0"])
    got = {L.keys[i]: d for i, d in enumerate(row) if d != math.inf}
    assert got.keys() == ref.keys()
    for n, d in ref.items():
        assert got[n] == pytest.approx(d)


@pytest.mark.parametrize("seed", range(6))
def test_hop_counts_match_networkx_where_entering_a_hub_is_free(seed):
    P = _with_hubs(seed)
    hubs = {n for n, h in P.nodes(data="hub") if h}
    ref = nx.single_source_dijkstra_path_length(
        P, "contact:0", weight=lambda u, v, d: 0 if v in hubs else 1)
    L = links_of(P)
    row = L.hops(L.index["contact:0"])
    assert {L.keys[i]: d for i, d in enumerate(row) if d != math.inf} == ref


@pytest.mark.parametrize("seed", range(6))
def test_dominators_match_networkx(seed):
    D = nx.gnm_random_graph(50, 90, seed=seed, directed=True)
    D.add_node(50)  # nobody reaches it
    ref = nx.immediate_dominators(D, 0)
    idom = engines.dominators(ig.Graph(n=51, edges=list(D.edges()), directed=True), 0)
    assert {i: d for i, d in enumerate(idom) if d is not None and i != 0} == {
        n: d for n, d in ref.items() if n != 0}
    assert idom[50] is None and idom[0] == 0


def _ends(G: nx.Graph) -> tuple[np.ndarray, np.ndarray]:
    ends = np.array(list(G.edges()), dtype=np.int64).reshape(-1, 2)
    return ends[:, 0], ends[:, 1]


def test_betweenness_normalised_like_networkx_on_a_star():
    star = nx.star_graph(5)
    got = engines.betweenness_of(6, *_ends(star))
    assert got[0] == pytest.approx(nx.betweenness_centrality(star)[0])
    assert all(math.isclose(got[i], 0.0) for i in range(1, 6))


@pytest.mark.parametrize("seed", range(4))
def test_estimated_betweenness_is_networkx_subset_scaled_up(seed):
    G = nx.gnm_random_graph(80, 200, seed=seed)
    chosen = engines.pivots(list(G), 20)
    assert len(set(chosen)) == 20
    got = engines.betweenness_of(80, *_ends(G), sources=chosen)
    sub = nx.betweenness_centrality_subset(G, sources=chosen, targets=list(G))
    scale = 2 / (79 * 78) * 80 / 20
    for n in G:
        assert got[n] == pytest.approx(sub[n] * scale)


def test_estimate_with_every_node_as_source_is_exact():
    G = nx.gnm_random_graph(30, 60, seed=9)
    exact = nx.betweenness_centrality(G)
    got = engines.betweenness_of(30, *_ends(G), sources=list(range(30)))
    for n in G:
        assert got[n] == pytest.approx(exact[n])
