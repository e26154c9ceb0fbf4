"""Influence paths: the k best warm routes from our users to a target contact.

A path's strength is the product of its hops' strengths (its cost, the sum of
``-log(strength)``, is what is minimised). The search is a hop-bounded best-first
search over the people graph (:mod:`graph.readings.people`), not Yen's algorithm,
which ignores hop limits:

* partial paths are expanded cheapest first from every source user at once;
* a person never appears twice on a path and a path never exceeds ``max_hops``
  (going through a department hub, "colleagues in IT", is one hop);
* a path starts at one of our users and never passes through another: Parker ->
  customer -> Jamie (ours) -> target is Jamie's route, Jamie -> target, and an
  introduction between colleagues is not a warm route into the account;
* alternatives differ: no two paths share their last two hops (the same last
  introducer and the same person before them), as a route that only swaps the
  first hop would end with the same asks;
* it is guided by the exact remaining cost to the target (A*, from one Dijkstra
  search backwards from the target), and a branch that cannot reach the target
  within the remaining hops (one backwards hop count) is never pushed;
* each (person, hops used, person before) state is expanded at most ``k`` times
  and the whole search at most ``max_expansions`` times, so a dense neighbourhood
  cannot explode (the person before is part of the state so that prefixes ending
  alike, which would give alternatives with the same last two hops, do not use up
  the expansions a different route needs).

The first path found is the exact best within the hop limit (a cheaper prefix that
crossed the rest of the path would give an even cheaper, shorter path); the next
ones are the best the bounded search sees. With no path within the limit the answer
says so, and whether the target is reachable at all.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import networkx as nx

from graph.readings.links import PeopleLinks, links_of

DEFAULT_MAX_EXPANSIONS = 200_000


@dataclass
class Hop:
    source: str  # person key
    target: str  # person key
    source_name: str
    target_name: str
    strength: float
    evidence: list[str] = field(default_factory=list)


@dataclass
class InfluencePath:
    hops: list[Hop]
    strength: float

    @property
    def people(self) -> list[str]:
        return [self.hops[0].source, *(h.target for h in self.hops)] if self.hops else []


@dataclass
class PathsReading:
    target: str
    target_name: str
    paths: list[InfluencePath] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    complete: bool = True  # False when the expansion budget stopped the search


def _hops(L: PeopleLinks, nodes: list[int]) -> list[Hop]:
    hops: list[Hop] = []
    i = 0
    while i < len(nodes) - 1:
        a, b = nodes[i], nodes[i + 1]
        e = L.edge(a, b)
        if L.hub[b]:
            c = nodes[i + 2]
            s = float(L.strength[e] * L.strength[L.edge(b, c)])
            i += 2
        else:
            c, s = b, float(L.strength[e])
            i += 1
        hops.append(Hop(str(L.keys[a]), str(L.keys[c]), L.names[a], L.names[c], round(s, 6),
                        L.evidence(e)))
    return hops


def k_best_paths(
    P: nx.Graph | PeopleLinks,
    sources: Iterable[Hashable],
    target: Hashable,
    *,
    k: int = 3,
    max_hops: int = 4,
    max_expansions: int = DEFAULT_MAX_EXPANSIONS,
) -> tuple[list[list[Hashable]], bool]:
    """Up to ``k`` cheapest simple paths (node lists) from any source to ``target``.

    Parameters
    ----------
    P : nx.Graph or PeopleLinks
        A people graph: edge attribute ``cost`` >= 0, hub nodes marked ``hub=True``.
    sources : iterable
        Start nodes (cost 0); a path starts at exactly one of them.
    target
        The node to reach.
    k, max_hops, max_expansions : int
        How many paths, how many person-to-person hops at most, and the search budget.

    Returns
    -------
    (paths, complete)
        Paths cheapest first, and False when the budget ran out first.

    Examples
    --------
    >>> P = nx.Graph()
    >>> P.add_edge("u", "a", cost=0.1); P.add_edge("a", "t", cost=0.1)
    >>> P.add_edge("u", "t", cost=1.0)
    >>> k_best_paths(P, ["u"], "t", k=2)[0]
    [['u', 'a', 't'], ['u', 't']]
    """
    L = links_of(P)
    if target not in L.index:
        return [], True
    found, complete = _search(L, [L.index[s] for s in sources if s in L.index],
                              L.index[target], k, max_hops, max_expansions)
    return [[L.keys[i] for i in path] for path in found], complete


def _tail(hub: list[bool], path: tuple[int, ...]) -> tuple[int, ...]:
    """The last two person-to-person hops of a path: its last three people (hubs left out)."""
    people = [x for x in path[-5:] if not hub[x]]
    return tuple(people[-3:])


def _search(L: PeopleLinks, sources: list[int], target: int, k: int, max_hops: int,
            max_expansions: int) -> tuple[list[list[int]], bool]:
    """:func:`k_best_paths` on node numbers (numbered in key order, so ties break alike)."""
    hub = L.hub.tolist()
    user = [kind == "user" for kind in L.kinds]
    neighbours = L.neighbours
    # Exact remaining cost and remaining hops to the target, from one search each
    # backwards: the first guides the search straight to the target (A*), the second
    # cuts every branch that can no longer arrive within the hop limit. Both ignore
    # the rule against passing through our users, so they stay lower bounds.
    to_go = L.distances(target)
    hops_to_go = [h if h <= max_hops else math.inf for h in L.hops(target)]
    # Ties break on the path itself, not on insertion order, so two stores that hand
    # back the same graph in a different node order give the same answer.
    heap: list[tuple[float, float, int, tuple[int, ...], int]] = []
    starts = set(sources)
    for s in sorted(starts):
        if hops_to_go[s] != math.inf:
            heapq.heappush(heap, (to_go[s], 0.0, 0, (s,), s))
    popped: dict[tuple[int, int, int], int] = defaultdict(int)
    found: list[list[int]] = []
    tails: set[tuple[int, ...]] = set()
    expansions = 0
    while heap and len(found) < k:
        _, cost, hops, path, node = heapq.heappop(heap)
        if node == target:
            tail = _tail(hub, path)
            if len(path) > 1 and tail not in tails:
                tails.add(tail)
                found.append(list(path))
            continue
        before = next((x for x in reversed(path[:-1]) if not hub[x]), -1)
        state = (node, hops, before)
        if popped[state] >= k:
            continue
        popped[state] += 1
        expansions += 1
        if expansions > max_expansions:
            return found, False
        at_hub = hub[node]
        # Person -> person or person -> hub spends a hop; hub -> person finishes it.
        nh = hops if at_hub else hops + 1
        for nb, d in neighbours(node):
            if nh + hops_to_go[nb] > max_hops or nb in path or (at_hub and hub[nb]):
                continue
            if (user[nb] or nb in starts) and nb != target:
                continue  # through one of our users: that user's own path says it
            c = cost + d
            heapq.heappush(heap, (c + to_go[nb], c, nh, (*path, nb), nb))
    return found, True


def influence_paths(
    P: nx.Graph | PeopleLinks,
    target: str,
    *,
    sources: Iterable[str] | None = None,
    k: int = 3,
    max_hops: int = 4,
    max_expansions: int = DEFAULT_MAX_EXPANSIONS,
) -> PathsReading:
    """The k best warm routes from our users to a target contact, each hop with evidence.

    Parameters
    ----------
    P : nx.Graph or PeopleLinks
        The account's people graph (:func:`graph.readings.people.people_graph`), or
        the same as arrays (:func:`graph.readings.people.people_links`).
    target : str
        The person key to reach, e.g. ``"contact:c-17"``.
    sources : iterable of str, optional
        Person keys to start from (one named user: ``["user:u-1"]``); every user in
        the people graph ("anyone on our side") when None. When the users named
        have fewer than ``k`` routes, ``reasons`` also names the best route of
        anyone else on our side.
    k, max_hops, max_expansions : int
        Paths wanted, hop limit, and search budget.

    Returns
    -------
    PathsReading
        Paths strongest first; with none, ``reasons`` says why honestly.
    """
    L = links_of(P)
    t = L.index.get(target)
    name = L.names[t] if t is not None else target
    reading = PathsReading(target=target, target_name=name)
    srcs = list(sources) if sources is not None else [
        str(k) for k, kind in zip(L.keys, L.kinds, strict=True) if kind == "user"]
    known = [L.index[s] for s in srcs if s in L.index]
    if t is None:
        reading.reasons.append(f"{target} is not in this account's people graph")
        return reading
    if not known:
        reading.reasons.append(
            "no warm path: none of our users (" + (", ".join(srcs) or "none given")
            + ") has a warm link into this account")
        if sources is not None:
            reading.reasons += _colleagues(L, known, t, max_hops, max_expansions)
        return reading
    found, complete = _search(L, known, t, k, max_hops, max_expansions)
    reading.complete = complete
    for nodes in found:
        hops = _hops(L, nodes)
        reading.paths.append(InfluencePath(hops, round(math.prod(h.strength for h in hops), 6)))
    if not complete:
        reading.reasons.append(f"search stopped after {max_expansions} expansions: "
                               "alternatives may be missing")
    if t in known and not found:
        reading.reasons.append(f"{name} is one of the starting users")
    elif not found:
        # Undirected: the hops from the target to the nearest source are the same.
        hops_from = L.hops(t)
        dist = min((hops_from[s] for s in known), default=math.inf)
        if dist == math.inf:
            reading.reasons.append(
                f"no warm path: nobody we know links to {name} (disconnected)")
        else:
            reading.reasons.append(
                f"no warm path within {max_hops} hops: the nearest route takes {int(dist)}")
    else:
        reading.reasons.append(f"{len(found)} warm path(s) within {max_hops} hops")
    if sources is not None and len(found) < k:
        reading.reasons += _colleagues(L, known, t, max_hops, max_expansions)
    return reading


def _colleagues(L: PeopleLinks, asked: list[int], t: int, max_hops: int,
                max_expansions: int) -> list[str]:
    """Where the users asked for have few routes, the best route of anyone else on our side.

    A route never relays through another of our users, so "ask Jamie" is said here
    rather than drawn as a hop.
    """
    others = [i for i, kind in enumerate(L.kinds) if kind == "user" and i not in set(asked)]
    found, _ = _search(L, others, t, 1, max_hops, max_expansions) if others else ([], True)
    if not found:
        return []
    hops = _hops(L, found[0])
    chain = " -> ".join([hops[0].source_name, *(h.target_name for h in hops)])
    strength = math.prod(h.strength for h in hops)
    return [f"from anyone on our side: ask {hops[0].source_name}, {chain} "
            f"(strength {strength:.2f})"]
