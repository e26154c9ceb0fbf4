"""The few graph algorithms NetworkX is too slow for here, run on igraph behind NetworkX graphs.

NetworkX stays the graph model and the reference: every function here takes a
NetworkX graph, returns plain dicts keyed by its nodes, and is tested against the
NetworkX algorithm it replaces (``tests/unit/readings/test_engines.py``). igraph
(C core) does the work: on a 1,000-person account graph its betweenness is about
two hundred times faster than NetworkX's and its dominator tree and Dijkstra about
twenty times. Conversions are cached on the graph (``G.graph``), so the several
searches of one reading pay for one.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np

_CACHE = "_igraph"


def _indexed(G: nx.Graph) -> tuple[ig.Graph, list[Any], dict[Any, int]]:
    """``G`` as an undirected igraph with a ``cost`` weight per edge (made once per ``G``)."""
    stamp = (G.number_of_nodes(), G.number_of_edges())
    cached = G.graph.get(_CACHE)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    nodes = list(G.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[u], index[v], c) for u, v, c in G.edges(data="cost", default=1.0) if u != v]
    g = ig.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in edges], directed=False)
    g.es["cost"] = [float(c) for _, _, c in edges]
    out = (g, nodes, index)
    G.graph[_CACHE] = (stamp, out)
    return out


def pivots(nodes: list[Any], k: int) -> list[int]:
    """``k`` of ``nodes``' positions spread evenly over them in key order (deterministic)."""
    order = sorted(range(len(nodes)), key=lambda i: str(nodes[i]))
    step = len(order) / k
    return sorted(order[int(j * step)] for j in range(k))


def betweenness(H: nx.Graph, *, sources: int | None = None) -> dict[Any, float]:
    """Unweighted betweenness of every node, normalised as NetworkX does (undirected).

    With ``sources`` (fewer than the nodes), shortest paths are counted from that
    many source nodes only (:func:`pivots`) and scaled up by nodes / sources: the
    Brandes-Pich estimate NetworkX computes with ``k``, at ``sources / n`` of the cost.
    The unscaled sums are exactly ``nx.betweenness_centrality_subset`` from those
    sources to every node.

    Examples
    --------
    >>> betweenness(nx.path_graph(["a", "b", "c"]))["b"]
    1.0
    """
    nodes = list(H.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    ends = np.array([(index[u], index[v]) for u, v in H.edges() if u != v],
                    dtype=np.int64).reshape(-1, 2)
    n = len(nodes)
    chosen = pivots(nodes, sources) if sources is not None and 0 < sources < n else None
    values = betweenness_of(n, ends[:, 0], ends[:, 1], sources=chosen)
    return {nodes[i]: b for i, b in enumerate(values)}


def betweenness_of(
    n: int, a: np.ndarray, b: np.ndarray, *, sources: list[int] | None = None
) -> list[float]:
    """:func:`betweenness` of the graph of nodes ``0..n-1`` and links ``a[i]`` - ``b[i]``.

    ``sources``: the positions to count shortest paths from (:func:`pivots`), the
    estimate scaled up by ``n / len(sources)``; every node when None.
    """
    g = ig.Graph(n=n, edges=np.column_stack([a, b]).tolist())
    # NetworkX normalises undirected betweenness by 2 / ((n-1)(n-2)); igraph does not.
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    if sources is not None and 0 < len(sources) < n:
        values = g.betweenness(directed=False, sources=sources, targets=None)
        scale *= n / len(sources)
    else:
        values = g.betweenness(directed=False)
    return [float(x) * scale for x in values]


def distances_from(
    G: nx.Graph,
    source: Hashable,
    *,
    hops: bool = False,
    free: Iterable[Hashable] = (),
    cutoff: float | None = None,
) -> dict[Any, float]:
    """Shortest distance from ``source`` to every node it reaches.

    An edge costs its ``cost`` attribute (``nx.single_source_dijkstra_path_length(G,
    source, weight="cost")``), or with ``hops`` one hop, except that stepping onto a
    node of ``free`` costs nothing (the hub hops of a people graph). ``cutoff`` drops
    nodes farther than it.
    """
    g, nodes, index = _indexed(G)
    if hops:
        d, weights = _hops(G, g, frozenset(index[f] for f in free if f in index))
        row = d.distances(source=[index[source]], weights=weights, mode="out")[0]
    else:
        row = g.distances(source=[index[source]], weights="cost")[0]
    limit = math.inf if cutoff is None else cutoff
    return {nodes[i]: x for i, x in enumerate(row) if x <= limit and x != math.inf}


def _hops(G: nx.Graph, g: ig.Graph, free: frozenset[int]) -> tuple[ig.Graph, list[float]]:
    """A directed copy of ``g`` where entering a ``free`` node costs 0, any other 1."""
    cached = G.graph.get(_CACHE + "_hops")
    if cached is not None and cached[0] == (g, free):
        return cached[1]
    edges = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    arcs = np.concatenate([edges, edges[:, ::-1]])
    is_free = np.zeros(g.vcount(), dtype=bool)
    is_free[list(free)] = True
    weights = np.where(is_free[arcs[:, 1]], 0.0, 1.0).tolist()
    out = (ig.Graph(n=g.vcount(), edges=arcs.tolist(), directed=True), weights)
    G.graph[_CACHE + "_hops"] = ((g, free), out)
    return out


def dominator_tree(n: int, arcs: np.ndarray, root: int) -> list[int | None]:
    """Immediate dominator of each node ``0..n-1`` of the directed graph of ``arcs``
    (rows ``(from, to)``) from ``root``: see :func:`dominators`."""
    return dominators(ig.Graph(n=n, edges=arcs.tolist(), directed=True), root)


def dominators(g: ig.Graph, root: int) -> list[int | None]:
    """Immediate dominator of each node of the directed graph ``g`` from ``root``:
    ``root`` for the root itself, None for a node the root does not reach."""
    out: list[int | None] = []
    for i, dom in enumerate(g.dominator(root, mode="out")):
        # NaN: unreachable; -1: the root itself
        out.append(None if dom != dom else root if dom < 0 or i == root else int(dom))
    return out


def immediate_dominators(
    nodes: list[Hashable], arcs: Iterable[tuple[Hashable, Hashable]], root: Hashable
) -> dict[Any, Any]:
    """Immediate dominator of every node reachable from ``root``, the root left out.

    The same answer as ``nx.immediate_dominators`` (NetworkX 3.5 on) on the directed
    graph of ``arcs``.
    """
    index = {n: i for i, n in enumerate(nodes)}
    ends = np.array([(index[a], index[b]) for a, b in arcs], dtype=np.int64).reshape(-1, 2)
    r = index[root]
    idom = dominator_tree(len(nodes), ends, r)
    return {nodes[i]: nodes[d] for i, d in enumerate(idom) if d is not None and i != r}
