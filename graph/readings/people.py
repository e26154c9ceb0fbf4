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

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.neighbourhood import key
from graph.readings.facts import AccountFacts, Touch
from graph.readings.rules import Rules, resolve
from graph.readings.strength import DEFAULT_HALF_LIFE_DAYS, Weigher


@dataclass
class _Link:
    parts: list[float] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


def describe_touch(t: Touch) -> str:
    """``both took part in meeting 'QBR' on 2025-03-01``."""
    what = t.subject or t.campaign
    return (f"both took part in {t.kind.replace('_', ' ')}"
            + (f" '{what}'" if what else "") + f" on {t.at.date().isoformat()}")


def link_evidence(data: dict[str, Any]) -> list[str]:
    """The evidence of one people-graph link, strongest first.

    Shared touchpoints are kept as the touchpoint itself (``touch``, ``shared``) and
    only put into words here, for the few links a reader looks at.
    """
    out = list(data.get("evidence", ()))
    t = data.get("touch")
    if t is not None:
        out.append(describe_touch(t))
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

    P = nx.Graph(company_id=facts.company_id)
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

    # Shared touchpoints: the hot loop of a 20,000-touchpoint account, kept lean:
    # one dict entry per pair, [score, count, best weight, best touchpoint].
    acc: dict[tuple[str, str], list[Any]] = {}
    ckey = {c: key("contact", c) for c in facts.contacts}
    ukey = {u: key("user", u) for u in facts.users if key("user", u) in P}
    for t in facts.touches:
        w = weigher.weight(t)
        if w <= 0:
            continue
        cs = sorted({ckey[c] for c in t.contacts if c in ckey})
        us = sorted({ukey[u] for u in t.users if u in ukey})
        if len(cs) + len(us) <= group:
            pairs: Iterable[tuple[str, str]] = itertools.combinations(sorted(cs + us), 2)
        else:
            pairs = ((u, c) if u < c else (c, u) for u in us for c in cs)
        for pk in pairs:
            entry = acc.get(pk)
            if entry is None:
                acc[pk] = [w, 1, w, t]
            else:
                entry[0] += w
                entry[1] += 1
                if w > entry[2]:
                    entry[2], entry[3] = w, t

    edges: list[tuple[str, str, dict[str, Any]]] = []
    for pk in links.keys() | acc.keys():
        link = links.get(pk)
        entry = acc.get(pk)
        # 1 - prod(1 - s_i): the chance that at least one link carries an introduction.
        miss = math.exp(-entry[0] / scale) if entry else 1.0
        if link:
            for x in link.parts:
                miss *= 1.0 - x
        s = 1.0 - miss
        if s >= min_strength and s > 0:
            attrs: dict[str, Any] = {"strength": s, "cost": -math.log(s),
                                     "evidence": link.evidence if link else []}
            if entry:
                attrs["touch"] = entry[3]
                attrs["shared"] = entry[1]
            edges.append((pk[0], pk[1], attrs))
    P.add_edges_from(edges)

    colleague = float(cfg.get("colleague_strength", 0.15))
    if colleague >= min_strength:
        half = math.sqrt(colleague)
        for did, function in facts.departments.items():
            hub = key("department", did)
            members = [key("contact", cid) for cid, p in facts.contacts.items()
                       if p.current and p.department == function]
            if len(members) < 2:
                continue
            P.add_node(hub, kind="department", name=function, hub=True, department=function,
                       current=True)
            for m in members:
                P.add_edge(m, hub, strength=half, cost=-math.log(half),
                           evidence=[f"colleagues in {function}"])
    return P
