"""The few graph algorithms NetworkX is too slow for here, run on igraph.

NetworkX stays the graph model and the reference: each function here is tested
against the NetworkX algorithm it stands in for (``tests/unit/readings/test_engines.py``).
igraph (C core) does the work: on a 1,000-person account graph its betweenness is
about two hundred times faster than NetworkX's and its dominator tree and Dijkstra
about twenty times. The functions take nodes as positions ``0..n-1`` and links as
arrays, the form :class:`graph.readings.links.PeopleLinks` keeps them in (its
Dijkstras run on igraph too: :meth:`~graph.readings.links.PeopleLinks.distances`).
"""

from __future__ import annotations

from typing import Any

import igraph as ig
import numpy as np


def pivots(nodes: list[Any], k: int) -> list[int]:
    """``k`` of ``nodes``' positions spread evenly over them in key order (deterministic)."""
    order = sorted(range(len(nodes)), key=lambda i: str(nodes[i]))
    step = len(order) / k
    return sorted(order[int(j * step)] for j in range(k))


def betweenness_of(
    n: int, a: np.ndarray, b: np.ndarray, *, sources: list[int] | None = None
) -> list[float]:
    """Unweighted betweenness of nodes ``0..n-1`` linked ``a[i]`` - ``b[i]``, by position.

    Normalised as NetworkX does for an undirected graph. With ``sources`` (positions,
    see :func:`pivots`), shortest paths are counted from those nodes only and scaled
    up by ``n / len(sources)``: the Brandes-Pich estimate NetworkX computes with
    ``k``, at ``len(sources) / n`` of the cost. The unscaled sums are exactly
    ``nx.betweenness_centrality_subset`` from those sources to every node.

    Examples
    --------
    >>> betweenness_of(3, np.array([0, 1]), np.array([1, 2]))
    [0.0, 1.0, 0.0]
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


def dominators(g: ig.Graph, root: int) -> list[int | None]:
    """Immediate dominator of each node of the directed graph ``g`` from ``root``.

    ``root`` for the root itself, None for a node the root does not reach; otherwise
    what ``nx.immediate_dominators`` (NetworkX 3.5 on) gives.
    """
    out: list[int | None] = []
    for i, dom in enumerate(g.dominator(root, mode="out")):
        # NaN: unreachable; -1: the root itself
        out.append(None if dom != dom else root if dom < 0 or i == root else int(dom))
    return out
