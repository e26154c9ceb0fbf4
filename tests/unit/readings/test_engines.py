"""The igraph engine gives NetworkX's answers: dominators and distances on random graphs."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from graph.readings import engines


def _people(seed: int) -> nx.Graph:
    G = nx.gnm_random_graph(60, 110, seed=seed)
    P = nx.relabel_nodes(G, {n: f"contact:{n}" for n in G})
    for i, (u, v) in enumerate(P.edges()):
        P[u][v]["cost"] = 0.1 + (i * 37 % 11) / 7
    return P


@pytest.mark.parametrize("seed", range(6))
def test_distances_match_dijkstra(seed):
    P = _people(seed)
    ref = nx.single_source_dijkstra_path_length(P, "contact:0", weight="cost")
    got = engines.distances_from(P, "contact:0")
    assert got.keys() == ref.keys()
    for n, d in ref.items():
        assert got[n] == pytest.approx(d)


@pytest.mark.parametrize("seed", range(6))
def test_hop_distances_with_free_nodes_match_networkx(seed):
    P = _people(seed)
    free = {f"contact:{i}" for i in range(0, 60, 7) if i}
    ref = nx.single_source_dijkstra_path_length(
        P, "contact:0", cutoff=3, weight=lambda u, v, d: 0 if v in free else 1)
    got = engines.distances_from(P, "contact:0", hops=True, free=free, cutoff=3)
    assert got == {n: float(d) for n, d in ref.items()}
    plain = nx.single_source_shortest_path_length(P, "contact:0")
    assert engines.distances_from(P, "contact:0", hops=True) == {
        n: float(d) for n, d in plain.items()}


@pytest.mark.parametrize("seed", range(6))
def test_dominators_match_networkx(seed):
    D = nx.gnm_random_graph(50, 90, seed=seed, directed=True)
    D.add_node("unreached")
    ref = nx.immediate_dominators(D, 0)
    got = engines.immediate_dominators(list(D.nodes), list(D.edges()), 0)
    assert got == ref
    assert "unreached" not in got


def test_betweenness_normalised_like_networkx_on_a_star():
    star = nx.star_graph(5)
    got = engines.betweenness(star)
    assert got[0] == pytest.approx(nx.betweenness_centrality(star)[0])
    assert all(math.isclose(got[i], 0.0) for i in range(1, 6))


@pytest.mark.parametrize("seed", range(4))
def test_estimated_betweenness_is_networkx_subset_scaled_up(seed):
    G = nx.gnm_random_graph(80, 200, seed=seed)
    got = engines.betweenness(G, sources=20)
    chosen = [list(G)[i] for i in engines.pivots(list(G), 20)]
    assert len(set(chosen)) == 20
    sub = nx.betweenness_centrality_subset(G, sources=chosen, targets=list(G))
    scale = 2 / (79 * 78) * 80 / 20
    for n in G:
        assert got[n] == pytest.approx(sub[n] * scale)


def test_estimate_with_every_node_as_source_is_exact():
    G = nx.gnm_random_graph(30, 60, seed=9)
    exact = nx.betweenness_centrality(G)
    got = engines.betweenness(G, sources=30)
    for n in G:
        assert got[n] == pytest.approx(exact[n])
