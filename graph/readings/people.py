"""The people graph of an account: who is linked to whom, how warmly, and on what evidence.

Derived from the account graph; undirected. Nodes are person keys (``"contact:c-1"``,
``"user:u-1"``) plus one hub per department (``"department:..."``, ``hub=True``) that
stands for "colleagues in the same department" without a clique of every pair.

Links, each with ``strength`` in (0, 1], ``cost = -log(strength)`` and ``evidence``:

* ``KNOWS``: the stored strength and origin;
* ``REPORTS_TO``: ``reports_to_strength`` (rules ``[paths]``), both ways;
* shared touchpoints: ``strength_from_score`` of the decayed weights of the touchpoints
  both took part in (the relationship-strength formula); touchpoints with more than
  ``max_group_size`` people link our users to each contact but not contacts pairwise;
* colleagues: each current contact to their department hub with strength
  ``sqrt(colleague_strength)``, so going through the hub costs ``colleague_strength``.

Several links between one pair combine as ``1 - prod(1 - s_i)`` (any one of them can
carry an introduction). Links weaker than ``min_strength`` are left out: not warm.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from graph.neighbourhood import key
from graph.readings.facts import AccountFacts, Touch, Touches
from graph.readings.rules import Rules, resolve
from graph.readings.strength import DEFAULT_HALF_LIFE_DAYS, Weigher
from graph.readings.touches import expand


@dataclass
class _Link:
    parts: list[float] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


def describe_touch(t: Touch) -> str:
    """``both took part in meeting 'QBR' on 2025-03-01``."""
    what = t.subject or t.campaign
    return (f"both took part in {t.kind.replace('_', ' ')}"
            + (f" '{what}'" if what else "") + f" on {t.at.date().isoformat()}")


def link_evidence(data: dict[str, Any], touches: Touches | None) -> list[str]:
    """The evidence of one people-graph link, strongest first.

    Shared touchpoints are kept as a row of the account's touchpoints (``touch``, with
    ``touches`` the people graph's ``P.graph["touches"]``) and ``shared`` (how many), and
    only put into words here, for the few links a reader looks at.
    """
    out = list(data.get("evidence", ()))
    row = data.get("touch")
    if row is not None and touches is not None:
        out.append(describe_touch(touches.touch(row)))
        more = int(data.get("shared", 1)) - 1
        if more > 0:
            out.append(f"and {more} more shared touchpoint{'s' if more > 1 else ''}")
    return out


def people_graph(
    facts: AccountFacts,
    *,
    rules: Rules | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
) -> nx.Graph:
    """The undirected people graph of one account (see the module docstring).

    Parameters
    ----------
    facts : AccountFacts
        The account, read by :func:`graph.readings.facts.account_facts`.
    rules : Rules, optional
        ``[paths]`` and ``[strength]`` tables; the defaults when None.
    half_life_days : float
        Decay of shared touchpoints.

    Returns
    -------
    nx.Graph
        Node attributes ``kind``, ``name``, ``hub``; edge attributes ``strength``,
        ``cost``, ``evidence`` (knows / reports-to, in words) and for shared touchpoints
        ``touch`` (the strongest) and ``shared`` (how many): see :func:`link_evidence`.
    """
    r = resolve(rules)
    cfg = r.section("paths")
    weigher = Weigher(r, facts.as_of, half_life_days)
    scale = weigher.scale
    min_strength = float(cfg.get("min_strength", 0.05))
    group = int(cfg.get("max_group_size", 8))

    P = nx.Graph(company_id=facts.company_id, touches=facts.touches)
    for cid, p in facts.contacts.items():
        P.add_node(key("contact", cid), kind="contact", name=p.name, hub=False,
                   department=p.department, current=p.current)
    for uid, u in facts.users.items():
        if u.get("active", True) is not False:
            P.add_node(key("user", uid), kind="user", name=str(u.get("name") or uid), hub=False,
                       department=None, current=True)

    links: dict[tuple[str, str], _Link] = defaultdict(_Link)

    def pair(a: str, b: str) -> tuple[str, str] | None:
        if a == b or a not in P or b not in P:
            return None
        return (a, b) if a < b else (b, a)

    for a, b, s, origin in facts.knows:
        pk = pair(a, b)
        if pk:
            links[pk].parts.append(max(0.0, min(1.0, s)))
            links[pk].evidence.append(f"knows ({origin})" if origin else "knows")
    rts = float(cfg.get("reports_to_strength", 0.6))
    for c, m in facts.reports_to:
        pk = pair(key("contact", c), key("contact", m))
        if pk:
            links[pk].parts.append(rts)
            links[pk].evidence.append(
                f"{facts.contacts[c].name} reports to {facts.contacts[m].name}")

    # Shared touchpoints, as arrays: persons are numbered contacts first, then users.
    T = facts.touches
    names = [key("contact", c) for c in T.contact_ids] + [key("user", u) for u in T.user_ids]
    active = np.array([n in P for n in names], dtype=bool)
    row = {n: i for i, n in enumerate(names)}
    linked = np.array([pair_code(row[a], row[b], len(names)) for a, b in links], np.int64)
    # A pair weaker than min_strength on shared touchpoints alone needs another link.
    acc = shared_touches(T, weigher.weights(T), active, group,
                         min_score=-scale * math.log1p(-min_strength), keep_pairs=linked)
    edges: list[tuple[str, str, dict[str, Any]]] = []
    for (i, j), (score, shared, touch) in acc.items():
        a, b = names[i], names[j]
        pk = (a, b) if a < b else (b, a)
        # 1 - prod(1 - s_i): the chance that at least one link carries an introduction.
        miss = math.exp(-score / scale)
        link = links.pop(pk, None)
        if link:
            for x in link.parts:
                miss *= 1.0 - x
        s = 1.0 - miss
        if s >= min_strength and s > 0:
            edges.append((a, b, {"strength": s, "cost": -math.log(s),
                                 "evidence": link.evidence if link else [],
                                 "touch": touch, "shared": shared}))
    for (a, b), link in links.items():  # linked without a shared touchpoint
        s = 1.0 - math.prod(1.0 - x for x in link.parts)
        if s >= min_strength and s > 0:
            edges.append((a, b, {"strength": s, "cost": -math.log(s),
                                 "evidence": link.evidence}))
    P.add_edges_from(edges)

    colleague = float(cfg.get("colleague_strength", 0.15))
    if colleague >= min_strength:
        half = math.sqrt(colleague)
        by_function: dict[str, list[str]] = defaultdict(list)
        for cid, p in facts.contacts.items():
            if p.current and p.department:
                by_function[p.department].append(key("contact", cid))
        for did, function in facts.departments.items():
            hub = key("department", did)
            members = by_function.get(function, [])
            if len(members) < 2:
                continue
            P.add_node(hub, kind="department", name=function, hub=True, department=function,
                       current=True)
            evidence = [f"colleagues in {function}"]
            P.add_edges_from((m, hub, {"strength": half, "cost": -math.log(half),
                                       "evidence": evidence}) for m in members)
    return P


def shared_touches(
    T: Touches,
    weight: np.ndarray,
    active: np.ndarray,
    group: int,
    *,
    min_score: float = 0.0,
    keep_pairs: np.ndarray | None = None,
) -> dict[tuple[int, int], tuple[float, int, int]]:
    """Pairs of people who took part in the same touchpoints, and how much that weighs.

    People are numbered contacts first (rows of ``T.contact_ids``), then users;
    ``active`` says who may be linked. Touchpoints with more than ``group`` people
    link each user to each contact, not everyone pairwise (a webinar's audience do
    not know each other).

    With ``keep_pairs`` (codes, see :func:`pair_code`), pairs whose summed weight is
    below ``min_score`` are left out unless their code is one of ``keep_pairs``.

    Returns
    -------
    dict
        ``(a, b)`` with ``a < b`` -> (sum of decayed weights, number of shared
        touchpoints, row of the heaviest one, the earliest on a tie).
    """
    n_c = len(T.contact_ids)
    touch = np.concatenate([T.c_touch, T.u_touch])
    person = np.concatenate([T.c_person, T.u_person + n_c])
    keep = active[person] & (weight[touch] > 0)
    touch, person = touch[keep], person[keep]
    order = np.lexsort((person, touch))
    touch, person = touch[order], person[order]
    size = np.bincount(touch, minlength=len(T))
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    a_parts, b_parts, t_parts = [], [], []
    for g in range(2, group + 1):
        rows = np.flatnonzero(size == g)
        if not len(rows):
            continue
        members = person[start[rows][:, None] + np.arange(g)]
        i, j = np.triu_indices(g, 1)
        a_parts.append(members[:, i].ravel())
        b_parts.append(members[:, j].ravel())
        t_parts.append(np.repeat(rows, len(i)))
    # Big touchpoints: each of our users there with each contact there (participants
    # are sorted by touchpoint, so each user's contacts are one slice).
    big = size[touch] > group
    c_at = np.flatnonzero(big & (person < n_c))
    u_at = np.flatnonzero(big & (person >= n_c))
    lo = np.searchsorted(touch[c_at], touch[u_at], side="left")
    hi = np.searchsorted(touch[c_at], touch[u_at], side="right")
    c_of = c_at[expand(lo, hi)]
    a_parts.append(person[c_of])
    b_parts.append(np.repeat(person[u_at], hi - lo))
    t_parts.append(touch[c_of])
    a, b, t = np.concatenate(a_parts), np.concatenate(b_parts), np.concatenate(t_parts)
    if not len(a):
        return {}
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pair = lo * (n_c + len(T.user_ids)) + hi
    w = weight[t]
    order = np.lexsort((t, -w, pair))  # by pair, heaviest first, earliest on a tie
    pair, w, t = pair[order], w[order], t[order]
    first = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    total = np.add.reduceat(w, first)
    count = np.diff(np.r_[first, len(pair)])
    pair, t = pair[first], t[first]
    if keep_pairs is not None:
        # Most pairs met once at a webinar long ago: drop them here, not one by one.
        strong = (total >= min_score) | np.isin(pair, keep_pairs)
        pair, total, count, t = pair[strong], total[strong], count[strong], t[strong]
    n = n_c + len(T.user_ids)
    return {
        (p // n, p % n): (s, c, r)
        for p, s, c, r in zip(pair.tolist(), total.tolist(), count.tolist(), t.tolist(),
                              strict=True)
    }


def pair_code(a: int, b: int, n: int) -> int:
    """The code :func:`shared_touches` gives the pair of persons ``a`` and ``b``."""
    return min(a, b) * n + max(a, b)

