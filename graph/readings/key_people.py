"""Key people: who holds an account's relationships together, and who is a single point of failure.

* **Centrality**: betweenness (share of shortest routes between two people that pass
  through a person) over the live links of the people graph (strength at or above
  the live threshold, no department hubs), counting hops, not strengths: it measures
  brokerage; strength is measured elsewhere. Alongside: ``weight``, the sum of the
  person's live link strengths.
* **Single points of failure**: with a virtual root linked to every one of our users,
  a person *dominates* a department (its hub, or its only member) or a decision maker
  when every route from our users to it goes through them (NetworkX
  ``immediate_dominators`` on the people graph, each link both ways). Their departure
  would cut our only route there. Our own users count too: a rep who is the only
  route in is a risk when they leave.

Betweenness is O(n m) and the slow part on a 1,000-contact account: with
``engine="auto"`` it runs on igraph (same Brandes algorithm, in C) above
``FAST_ABOVE`` nodes, estimated from ``PIVOTS`` sources above ``EXACT_UP_TO``
(Brandes-Pich, as NetworkX's ``k``); ``engine="networkx"`` is the reference the tests
compare it with. The dominator tree runs on igraph too (:mod:`graph.readings.engines`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from graph.readings import engines
from graph.readings.links import PeopleLinks, links_of

FAST_ABOVE = 150
EXACT_UP_TO = 500
PIVOTS = 256


@dataclass
class KeyPerson:
    key: str
    name: str
    kind: str
    betweenness: float
    weight: float
    links: int
    reasons: list[str] = field(default_factory=list)


@dataclass
class SinglePoint:
    key: str
    name: str
    kind: str
    cuts: list[str] = field(default_factory=list)  # what we would lose: departments, people
    reasons: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)  # the departments in ``cuts``
    people: list[str] = field(default_factory=list)  # keys of the decision makers in ``cuts``


@dataclass
class KeyPeople:
    central: list[KeyPerson] = field(default_factory=list)
    single_points: list[SinglePoint] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # departments / people no user reaches
    engine: str = "networkx"
    reasons: list[str] = field(default_factory=list)


def betweenness(H: nx.Graph, *, engine: str = "auto") -> tuple[dict[str, float], str]:
    """Normalised, unweighted betweenness centrality of every node of an undirected graph.

    Parameters
    ----------
    H : nx.Graph
        Undirected graph.
    engine : {"auto", "networkx", "igraph"}
        "auto" uses igraph above ``FAST_ABOVE`` nodes, NetworkX below; above
        ``EXACT_UP_TO`` nodes it estimates from ``PIVOTS`` source nodes
        (:func:`graph.readings.engines.betweenness_of`): a ranking of key people needs
        the order, not the fourth digit, and exact costs n / ``PIVOTS`` times more.

    Returns
    -------
    (dict, str)
        Node -> centrality (NetworkX's normalisation), and the engine used.

    Examples
    --------
    >>> b, _ = betweenness(nx.path_graph(["a", "b", "c"]), engine="networkx")
    >>> b["b"]
    1.0
    """
    nodes = list(H.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    ends = np.array([(index[u], index[v]) for u, v in H.edges() if u != v],
                    dtype=np.int64).reshape(-1, 2)
    values, used = _betweenness(nodes, ends[:, 0], ends[:, 1], engine)
    return dict(zip(nodes, values, strict=True)), used


def _dominated(L: PeopleLinks, users: np.ndarray, targets: dict[str, list[int]]) -> tuple[
        dict[int, list[str]], list[str]]:
    """Who lies on every route from our users to each target; targets nobody reaches."""
    n, labels = len(L), list(targets)
    root = n
    # Nodes: the people graph's, then the virtual root, then one per target.
    g = L.directed()
    g.add_vertices(1 + len(labels))
    g.add_edges([(root, u) for u in users.tolist()]
                + [(m, n + 1 + t) for t, label in enumerate(labels) for m in targets[label]])
    idom = engines.dominators(g, root)
    cuts: dict[int, list[str]] = {}
    unreachable: list[str] = []
    for t, label in enumerate(labels):
        node = idom[n + 1 + t]
        if node is None:
            unreachable.append(label)
            continue
        while node is not None and node != root:
            if not L.hub[node]:
                cuts.setdefault(node, []).append(label)
            node = idom[node]
    return cuts, unreachable


def key_people(
    P: nx.Graph | PeopleLinks,
    *,
    decision_makers: Iterable[str] = (),
    top: int = 10,
    engine: str = "auto",
    live_threshold: float = 0.2,
) -> KeyPeople:
    """Central people and single points of failure of an account's people graph.

    Parameters
    ----------
    P : nx.Graph or PeopleLinks
        The people graph (:func:`graph.readings.people.people_graph`), or the same
        as arrays (:func:`graph.readings.people.people_links`).
    decision_makers : iterable of str
        Person keys of the decision makers our routes must reach.
    top : int
        How many central people to list.
    engine : str
        Betweenness engine (see :func:`betweenness`).
    live_threshold : float
        Links at least this strong count for centrality (rules ``[strength]``).

    Returns
    -------
    KeyPeople
        ``central`` (highest betweenness first), ``single_points`` (with what each
        would cut), ``unreachable`` targets, each with reasons.
    """
    L = links_of(P)
    people = np.flatnonzero(~L.hub)
    at = np.full(len(L), -1, dtype=np.int64)
    at[people] = np.arange(len(people))
    # Centrality over live links only: who holds the *live* relationships together
    # (weak, decayed links would make everyone a little central, and cost time).
    live = (L.strength >= live_threshold) & ~L.hub[L.a] & ~L.hub[L.b]
    ha, hb = at[L.a[live]], at[L.b[live]]
    keys = [L.keys[i] for i in people.tolist()]
    between, used = _betweenness(keys, ha, hb, engine)
    weights = (np.bincount(ha, L.strength[live], len(people))
               + np.bincount(hb, L.strength[live], len(people)))
    degree = np.bincount(ha, minlength=len(people)) + np.bincount(hb, minlength=len(people))
    central = []
    for p in sorted(range(len(people)), key=lambda p: (-between[p], str(keys[p])))[:top]:
        i = int(people[p])
        weight = float(weights[p])
        if between[p] <= 0 and weight <= 0:
            continue
        links = int(degree[p])
        reasons = [
            f"on {between[p]:.1%} of shortest routes between two others" if between[p] > 0
            else "on no shortest route between two others",
            f"{links} warm link{'s' if links != 1 else ''}, total strength {weight:.2f}",
        ]
        if not L.current[i]:
            reasons.append("no longer works at the account")
        central.append(KeyPerson(str(L.keys[i]), L.names[i], L.kinds[i],
                                 round(between[p], 6), round(weight, 6), links, reasons))

    users = np.array([i for i, kind in enumerate(L.kinds) if kind == "user"], dtype=np.int64)
    targets: dict[str, list[int]] = {}
    departments: dict[str, list[int]] = {}
    for i, (kind, dep) in enumerate(zip(L.kinds, L.departments, strict=True)):
        if kind == "contact" and L.current[i] and dep:
            departments.setdefault(str(dep), []).append(i)
    what: dict[str, tuple[str, str]] = {}  # target label -> ("department", name) or a key
    for dep, members in sorted(departments.items()):
        targets[f"department {dep}"] = members
        what[f"department {dep}"] = ("department", dep)
    for dm in decision_makers:
        if dm in L.index:
            targets[f"decision maker {L.names[L.index[dm]]}"] = [L.index[dm]]
            what[f"decision maker {L.names[L.index[dm]]}"] = ("person", dm)
    reading = KeyPeople(central=central, engine=used)
    if "estimated" in used:
        reading.reasons.append(f"route shares {used.split(', ', 1)[1]} people's routes")
    if not len(users):
        reading.unreachable = list(targets)
        reading.reasons.append("none of our users has a warm link into this account")
        return reading
    cuts, unreachable = _dominated(L, users, targets)
    reading.unreachable = unreachable
    for i, lost in sorted(cuts.items(), key=lambda x: (-len(x[1]), str(L.keys[x[0]]))):
        name, kind = L.names[i], L.kinds[i]
        # A decision maker "cutting" the route to themselves is no news.
        lost = [t for t in lost if t != f"decision maker {name}" or kind == "user"]
        if lost:
            reading.single_points.append(SinglePoint(
                str(L.keys[i]), name, kind, lost,
                [f"every warm route from our users to {t} goes through {name}"
                 for t in lost],
                departments=[what[t][1] for t in lost if what[t][0] == "department"],
                people=[what[t][1] for t in lost if what[t][0] == "person"]))
    if unreachable:
        reading.reasons.append("no warm route at all to " + ", ".join(unreachable))
    return reading


def _betweenness(keys: list[Any], a: np.ndarray, b: np.ndarray,
                 engine: str) -> tuple[list[float], str]:
    """:func:`betweenness` of the graph of ``keys`` with links ``a[i]`` - ``b[i]``, by position."""
    if engine not in ("auto", "networkx", "igraph"):
        raise ValueError(f"engine must be auto, networkx or igraph, not {engine!r}")
    n = len(keys)
    if engine == "networkx" or (engine == "auto" and n <= FAST_ABOVE):
        H = nx.Graph()
        H.add_nodes_from(range(n))
        H.add_edges_from(zip(a.tolist(), b.tolist(), strict=True))
        values = nx.betweenness_centrality(H, normalized=True)
        return [values[i] for i in range(n)], "networkx"
    if engine == "auto" and n > EXACT_UP_TO:
        return (engines.betweenness_of(n, a, b, sources=engines.pivots(keys, PIVOTS)),
                f"igraph, estimated from {PIVOTS} of {n}")
    return engines.betweenness_of(n, a, b), "igraph"
