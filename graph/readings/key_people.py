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

import networkx as nx

from graph.readings import engines

FAST_ABOVE = 150
EXACT_UP_TO = 500
PIVOTS = 256
_ROOT = "__root__"


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
        (:func:`graph.readings.engines.betweenness`): a ranking of key people needs
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
    if engine not in ("auto", "networkx", "igraph"):
        raise ValueError(f"engine must be auto, networkx or igraph, not {engine!r}")
    n = H.number_of_nodes()
    if engine == "networkx" or (engine == "auto" and n <= FAST_ABOVE):
        return nx.betweenness_centrality(H, normalized=True), "networkx"
    if engine == "auto" and n > EXACT_UP_TO:
        return engines.betweenness(H, sources=PIVOTS), f"igraph, estimated from {PIVOTS} of {n}"
    return engines.betweenness(H), "igraph"


def _dominated(P: nx.Graph, users: list[str], targets: dict[str, list[str]]) -> tuple[
        dict[str, list[str]], list[str]]:
    """Who lies on every route from our users to each target; targets nobody reaches."""
    arcs: list[tuple[str, str]] = list(P.edges())
    arcs += [(v, u) for u, v in arcs]
    arcs += [(_ROOT, u) for u in users]
    for label, members in targets.items():
        arcs += [(m, label) for m in members if m in P]
    idom = engines.immediate_dominators([*P.nodes, _ROOT, *targets], arcs, _ROOT)
    cuts: dict[str, list[str]] = {}
    unreachable: list[str] = []
    for label in targets:
        if label not in idom:
            unreachable.append(label)
            continue
        node = idom[label]
        while node != _ROOT:
            if not P.nodes[node].get("hub"):
                cuts.setdefault(node, []).append(label)
            node = idom[node]
    return cuts, unreachable


def key_people(
    P: nx.Graph,
    *,
    decision_makers: Iterable[str] = (),
    top: int = 10,
    engine: str = "auto",
    live_threshold: float = 0.2,
) -> KeyPeople:
    """Central people and single points of failure of an account's people graph.

    Parameters
    ----------
    P : nx.Graph
        The people graph (:func:`graph.readings.people.people_graph`).
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
    people = [n for n, hub in P.nodes(data="hub") if not hub]
    # Centrality over live links only: who holds the *live* relationships together
    # (weak, decayed links would make everyone a little central, and cost time).
    H = nx.Graph()
    H.add_nodes_from(people)
    H.add_edges_from((u, v, d) for u, v, d in P.edges(data=True)
                     if d["strength"] >= live_threshold and u in H and v in H)
    between, used = betweenness(H, engine=engine)
    central = []
    for n in sorted(people, key=lambda n: (-between[n], n))[:top]:
        d = P.nodes[n]
        weight = sum(e["strength"] for _, _, e in H.edges(n, data=True))
        if between[n] <= 0 and weight <= 0:
            continue
        links = H.degree(n)
        reasons = [
            f"on {between[n]:.1%} of shortest routes between two others" if between[n] > 0
            else "on no shortest route between two others",
            f"{links} warm link{'s' if links != 1 else ''}, total strength {weight:.2f}",
        ]
        if not d.get("current", True):
            reasons.append("no longer works at the account")
        central.append(KeyPerson(
            n, d["name"], d["kind"], round(between[n], 6), round(weight, 6), links, reasons))

    users = [n for n, kind in P.nodes(data="kind") if kind == "user"]
    targets: dict[str, list[str]] = {}
    departments: dict[str, list[str]] = {}
    for n, d in P.nodes(data=True):
        if d.get("kind") == "contact" and d.get("current") and d.get("department"):
            departments.setdefault(str(d["department"]), []).append(n)
    for dep, members in sorted(departments.items()):
        targets[f"department {dep}"] = members
    for dm in decision_makers:
        if dm in P:
            targets[f"decision maker {P.nodes[dm]['name']}"] = [dm]
    reading = KeyPeople(central=central, engine=used)
    if "estimated" in used:
        reading.reasons.append(f"route shares {used.split(', ', 1)[1]} people's routes")
    if not users:
        reading.unreachable = list(targets)
        reading.reasons.append("none of our users has a warm link into this account")
        return reading
    cuts, unreachable = _dominated(P, users, targets)
    reading.unreachable = unreachable
    for n, lost in sorted(cuts.items(), key=lambda x: (-len(x[1]), x[0])):
        d = P.nodes[n]
        # A decision maker "cutting" the route to themselves is no news.
        lost = [t for t in lost if t != f"decision maker {d['name']}" or d["kind"] == "user"]
        if lost:
            reading.single_points.append(SinglePoint(
                n, d["name"], d["kind"], lost,
                [f"every warm route from our users to {t} goes through {d['name']}"
                 for t in lost]))
    if unreachable:
        reading.reasons.append("no warm route at all to " + ", ".join(unreachable))
    return reading
