"""The people graph as arrays: what key people and influence paths compute on.

:func:`graph.readings.people.people_graph` hands callers a NetworkX graph, the
model every reading accepts. A 1,000-contact account's people graph has about
16,000 links, and a NetworkX graph of them (a dict per link) cost more to build
and to walk than every other reading together. :class:`PeopleLinks` keeps the
same graph as columns: nodes numbered in key order (so ties between paths break
on the keys, as they would on the NetworkX graph), each link once with ``a < b``,
and its strength, cost and evidence. The readings take either form:
:func:`links_of` reads a NetworkX graph into arrays once and keeps them on it.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np

from graph.readings.touches import Touches

_CACHE = "_people_links"


@dataclass(eq=False)
class PeopleLinks:
    """An undirected people graph: nodes in key order, links as parallel arrays.

    Attributes
    ----------
    keys, names, kinds, departments : list
        Per node: ``"contact:c-1"``, display name, ``contact``/``user``/``department``,
        function (None for users).
    hub, current : ndarray of bool
        Per node: department hub; still works at the account.
    a, b : ndarray of int64
        The two ends of each link, ``a < b``.
    strength, cost : ndarray of float64
        Per link; ``cost = -log(strength)``.
    touch, shared : ndarray of int64
        Per link: the row (in ``touches``) of its strongest shared touchpoint, -1 for
        none, and how many touchpoints the two shared.
    words : dict
        Link -> evidence in words ("knows (rep notes)", "Ann reports to Bob"), for the
        links that have some besides shared touchpoints and colleague hubs.
    """

    keys: list[Hashable]
    names: list[str]
    kinds: list[str]
    departments: list[str | None]
    hub: np.ndarray
    current: np.ndarray
    a: np.ndarray
    b: np.ndarray
    strength: np.ndarray
    cost: np.ndarray
    touch: np.ndarray
    shared: np.ndarray
    words: dict[int, list[str]] = field(default_factory=dict)
    touches: Touches | None = None
    company_id: str | None = None
    # Read from a NetworkX graph: its edge dicts, whose evidence is quoted as is.
    data: list[dict[str, Any]] | None = None
    # Node -> its (neighbour, cost) pairs, made when a search first visits it.
    _neighbours: dict[int, list[tuple[int, float]]] = field(
        default_factory=dict, init=False, repr=False)

    def __len__(self) -> int:
        return len(self.keys)

    @cached_property
    def index(self) -> dict[Hashable, int]:
        return {k: i for i, k in enumerate(self.keys)}

    @cached_property
    def _csr(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Links both ways sorted by (node, neighbour): offsets, neighbours, costs, links."""
        ends = np.concatenate([self.a, self.b])
        other = np.concatenate([self.b, self.a])
        order = np.lexsort((other, ends))
        offsets = np.searchsorted(ends[order], np.arange(len(self) + 1))
        link = order % max(len(self.a), 1)
        return offsets, other[order], np.concatenate([self.cost, self.cost])[order], link

    def neighbours(self, i: int) -> list[tuple[int, float]]:
        """Node ``i``'s (neighbour, link cost) pairs, neighbours in key order.

        Made per node when first asked: a path search visits a few hundred nodes.
        """
        found = self._neighbours.get(i)
        if found is None:
            offsets, other, cost, _ = self._csr
            lo, hi = int(offsets[i]), int(offsets[i + 1])
            found = self._neighbours[i] = list(
                zip(other[lo:hi].tolist(), cost[lo:hi].tolist(), strict=True))
        return found

    def edge(self, i: int, j: int) -> int:
        """The link between nodes ``i`` and ``j`` (KeyError when there is none)."""
        offsets, other, _, link = self._csr
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        at = lo + int(np.searchsorted(other[lo:hi], j))
        if at >= hi or other[at] != j:
            raise KeyError((self.keys[i], self.keys[j]))
        return int(link[at])

    @cached_property
    def costs(self) -> ig.Graph:
        """Undirected igraph of the links (edge ``i`` is link ``i``), weights ``cost``."""
        g = ig.Graph(n=len(self), edges=np.column_stack([self.a, self.b]).tolist())
        g.es["cost"] = self.cost.tolist()
        return g

    @cached_property
    def _hop_weights(self) -> list[float]:
        # A hop is person to person; through a department hub it is two links, half
        # a hop each (hubs link only to people, so a route crosses a hub whole).
        return np.where(self.hub[self.a] | self.hub[self.b], 0.5, 1.0).tolist()

    def distances(self, source: int) -> list[float]:
        """Cheapest cost from ``source`` to every node (inf where unreachable)."""
        return list(self.costs.distances(source=[source], weights="cost")[0])

    def hops(self, source: int) -> list[float]:
        """Fewest person-to-person hops from ``source`` to every node (inf where unreachable).

        A hub counts as reached with the hop that enters it: the search spends a
        hop on person -> hub and none on hub -> person.
        """
        row = self.costs.distances(source=[source], weights=self._hop_weights)[0]
        return [math.floor(x) if x != math.inf else x for x in row]

    def directed(self) -> ig.Graph:
        """A new directed igraph with each link both ways (nodes may be added to it)."""
        return self.costs.as_directed(mode="mutual")

    def _said(self, e: int, x: int, y: int) -> list[str]:
        """Link ``e``'s (between nodes ``x`` and ``y``) evidence besides shared touchpoints."""
        if self.hub[x] or self.hub[y]:
            return [f"colleagues in {self.names[x if self.hub[x] else y]}"]
        return self.words.get(e, [])

    def evidence(self, e: int) -> list[str]:
        """Link ``e``'s evidence in words, strongest first."""
        from graph.readings.people import link_evidence

        if self.data is not None:
            return link_evidence(self.data[e], self.touches)
        row = int(self.touch[e])
        return link_evidence({"evidence": self._said(e, int(self.a[e]), int(self.b[e])),
                              "touch": row if row >= 0 else None,
                              "shared": int(self.shared[e])}, self.touches)

    def to_networkx(self) -> nx.Graph:
        """The same graph in NetworkX (see :func:`graph.readings.people.people_graph`)."""
        P = nx.Graph(company_id=self.company_id, touches=self.touches)
        P.add_nodes_from(
            (k, {"kind": kind, "name": name, "hub": bool(h), "department": dep,
                 "current": bool(c)})
            for k, kind, name, h, dep, c in zip(self.keys, self.kinds, self.names,
                                                self.hub.tolist(), self.departments,
                                                self.current.tolist(), strict=True))
        edges = []
        for e, (x, y, s, c, t, n) in enumerate(zip(
                self.a.tolist(), self.b.tolist(), self.strength.tolist(), self.cost.tolist(),
                self.touch.tolist(), self.shared.tolist(), strict=True)):
            d: dict[str, Any] = {"strength": s, "cost": c, "evidence": self._said(e, x, y)}
            if t >= 0:
                d["touch"], d["shared"] = t, n
            edges.append((self.keys[x], self.keys[y], d))
        P.add_edges_from(edges)
        P.graph[_CACHE] = ((P.number_of_nodes(), P.number_of_edges()), self)
        return P


def links_of(P: nx.Graph | PeopleLinks) -> PeopleLinks:
    """``P`` as :class:`PeopleLinks`, read once per NetworkX graph and kept on it.

    Read again when nodes or links have been added or removed since; a change to an
    attribute alone is not seen (people graphs are built, then only read).

    A graph that is not a people graph works too (any node keys; edges need ``cost``
    or ``strength``, nodes may lack every attribute), so the path search can be
    tested on plain graphs.
    """
    if isinstance(P, PeopleLinks):
        return P
    stamp = (P.number_of_nodes(), P.number_of_edges())
    cached = P.graph.get(_CACHE)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    keys = sorted(P.nodes, key=str)
    index = {k: i for i, k in enumerate(keys)}
    rows = [(index[u], index[v], d) for u, v, d in P.edges(data=True) if u != v]
    rows = [(x, y, d) if x < y else (y, x, d) for x, y, d in rows]
    strength = [float(d["strength"]) if "strength" in d
                else math.exp(-float(d.get("cost", 1.0))) for _, _, d in rows]
    cost = [float(d["cost"]) if "cost" in d else -math.log(s) if s > 0 else math.inf
            for (_, _, d), s in zip(rows, strength, strict=True)]
    nodes = [P.nodes[k] for k in keys]
    L = PeopleLinks(
        keys=keys,
        names=[str(d.get("name", k)) for k, d in zip(keys, nodes, strict=True)],
        kinds=[str(d.get("kind", "")) for d in nodes],
        departments=[d.get("department") for d in nodes],
        hub=np.array([bool(d.get("hub")) for d in nodes], dtype=bool),
        current=np.array([bool(d.get("current", True)) for d in nodes], dtype=bool),
        a=np.array([x for x, _, _ in rows], dtype=np.int64),
        b=np.array([y for _, y, _ in rows], dtype=np.int64),
        strength=np.array(strength, dtype=np.float64),
        cost=np.array(cost, dtype=np.float64),
        touch=np.array([int(d.get("touch", -1)) for _, _, d in rows], dtype=np.int64),
        shared=np.array([int(d.get("shared", 0)) for _, _, d in rows], dtype=np.int64),
        touches=P.graph.get("touches"),
        company_id=P.graph.get("company_id"),
        data=[d for _, _, d in rows],
    )
    P.graph[_CACHE] = (stamp, L)
    return L
