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
from graph.readings.links import PeopleLinks
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
            + (" (captured)" if t.captured else "")
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
    return people_links(facts, rules=rules, half_life_days=half_life_days).to_networkx()


def people_links(
    facts: AccountFacts,
    *,
    rules: Rules | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
) -> PeopleLinks:
    """The people graph as arrays (:class:`~graph.readings.links.PeopleLinks`).

    What :func:`people_graph` converts to NetworkX; the readings compute on it directly.
    """
    r = resolve(rules)
    cfg = r.section("paths")
    weigher = Weigher(r, facts.as_of, half_life_days)
    scale = weigher.scale
    min_strength = float(cfg.get("min_strength", 0.05))
    group = int(cfg.get("max_group_size", 8))
    colleague = float(cfg.get("colleague_strength", 0.15))

    # Nodes: contacts, our active users, one hub per department with two or more
    # current members; numbered in key order.
    nodes: list[tuple[str, str, str, bool, str | None, bool]] = [
        (key("contact", cid), "contact", p.name, False, p.department, p.current)
        for cid, p in facts.contacts.items()]
    nodes += [(key("user", uid), "user", str(u.get("name") or uid), False, None, True)
              for uid, u in facts.users.items() if u.get("active", True) is not False]
    by_function: dict[str, list[str]] = defaultdict(list)
    if colleague >= min_strength:
        for cid, p in facts.contacts.items():
            if p.current and p.department:
                by_function[p.department].append(key("contact", cid))
    hubs = [(key("department", did), function) for did, function in facts.departments.items()
            if len(by_function.get(function, ())) >= 2]
    nodes += [(k, "department", function, True, function, True) for k, function in hubs]
    nodes.sort(key=lambda n: n[0])
    index = {n[0]: i for i, n in enumerate(nodes)}
    n = len(nodes)

    links: dict[tuple[int, int], _Link] = defaultdict(_Link)

    def pair(a: str, b: str) -> tuple[int, int] | None:
        i, j = index.get(a), index.get(b)
        if i is None or j is None or i == j:
            return None
        return (i, j) if i < j else (j, i)

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

    # Shared touchpoints, as arrays: the touchpoints number persons contacts first,
    # then users; ``node`` maps that numbering onto ours (-1: not in the graph).
    T = facts.touches
    names = [key("contact", c) for c in T.contact_ids] + [key("user", u) for u in T.user_ids]
    node = np.array([index.get(k, -1) for k in names], dtype=np.int64)
    row = np.full(n, -1, dtype=np.int64)
    row[node[node >= 0]] = np.flatnonzero(node >= 0)
    pairs = np.array(list(links), dtype=np.int64).reshape(-1, 2)
    unlinked = np.array([math.prod(1.0 - x for x in link.parts) for link in links.values()])
    li, lj = row[pairs[:, 0]], row[pairs[:, 1]]
    both = (li >= 0) & (lj >= 0)
    keep = np.minimum(li, lj)[both] * len(names) + np.maximum(li, lj)[both]
    # A pair weaker than min_strength on shared touchpoints alone needs another link.
    pa_, pb_, score, shared, touch = shared_touches(
        T, weigher.weights(T), node >= 0, group,
        min_score=-scale * math.log1p(-min_strength), keep_pairs=keep)
    x, y = node[pa_], node[pb_]
    ea, eb = np.minimum(x, y), np.maximum(x, y)
    # 1 - prod(1 - s_i): the chance that at least one link carries an introduction.
    miss = np.exp(-score / scale)
    # Known links onto the shared-touchpoint pairs they coincide with.
    codes = ea * n + eb
    by_code = np.argsort(codes)
    link_codes = pairs[:, 0] * n + pairs[:, 1]
    at = np.minimum(np.searchsorted(codes, link_codes, sorter=by_code), max(len(codes) - 1, 0))
    pos = by_code[at] if len(codes) else np.zeros(len(link_codes), np.int64)
    hit = (codes[pos] == link_codes) if len(codes) else np.zeros(len(link_codes), bool)
    np.multiply.at(miss, pos[hit], unlinked[hit])
    evidence = [link.evidence for link in links.values()]
    words = {e: evidence[w] for w, e in zip(np.flatnonzero(hit).tolist(), pos[hit].tolist(),
                                            strict=True)}
    first = len(ea)
    alone = np.flatnonzero(~hit)  # linked without a shared touchpoint
    for w, e in enumerate(alone.tolist()):
        words[first + w] = evidence[e]
    extra_a, extra_b, extra_miss = pairs[alone, 0], pairs[alone, 1], unlinked[alone]
    ea = np.concatenate([ea, extra_a])
    eb = np.concatenate([eb, extra_b])
    es = 1.0 - np.concatenate([miss, extra_miss])
    touch = np.concatenate([touch, np.full(len(extra_a), -1, np.int64)])
    shared = np.concatenate([shared, np.zeros(len(extra_a), np.int64)])
    warm = (es >= min_strength) & (es > 0)
    renumber, kept = (np.cumsum(warm) - 1).tolist(), warm.tolist()
    words = {renumber[e]: ev for e, ev in words.items() if kept[e]}
    ea, eb, es, touch, shared = ea[warm], eb[warm], es[warm], touch[warm], shared[warm]

    # Colleagues: each current member to their department's hub.
    half = math.sqrt(colleague)
    members = [(index[m], index[h]) for h, function in hubs for m in by_function[function]]
    mem = np.array(members, dtype=np.int64).reshape(-1, 2)
    ea = np.concatenate([ea, np.minimum(mem[:, 0], mem[:, 1])])
    eb = np.concatenate([eb, np.maximum(mem[:, 0], mem[:, 1])])
    es = np.concatenate([es, np.full(len(mem), half)])
    touch = np.concatenate([touch, np.full(len(mem), -1, np.int64)])
    shared = np.concatenate([shared, np.zeros(len(mem), np.int64)])
    return PeopleLinks(
        keys=[nd[0] for nd in nodes],
        names=[nd[2] for nd in nodes],
        kinds=[nd[1] for nd in nodes],
        departments=[nd[4] for nd in nodes],
        hub=np.array([nd[3] for nd in nodes], dtype=bool),
        current=np.array([nd[5] for nd in nodes], dtype=bool),
        a=ea, b=eb, strength=es, cost=-np.log(es), touch=touch, shared=shared, words=words,
        touches=T, company_id=facts.company_id,
    )


def shared_touches(
    T: Touches,
    weight: np.ndarray,
    active: np.ndarray,
    group: int,
    *,
    min_score: float = 0.0,
    keep_pairs: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of people who took part in the same touchpoints, and how much that weighs.

    People are numbered contacts first (rows of ``T.contact_ids``), then users;
    ``active`` says who may be linked. Touchpoints with more than ``group`` people
    link each user to each contact, not everyone pairwise (a webinar's audience do
    not know each other).

    With ``keep_pairs`` (codes ``min(a, b) * people + max(a, b)``), pairs whose summed
    weight is below ``min_score`` are left out unless their code is one of ``keep_pairs``.

    Returns
    -------
    (a, b, score, shared, touch) : ndarrays
        Per pair, ``a < b``: the sum of decayed weights, the number of shared
        touchpoints, and the row of the heaviest one (the earliest on a tie).
    """
    n_c = len(T.contact_ids)
    touch = np.concatenate([T.c_touch, T.u_touch])
    person = np.concatenate([T.c_person, T.u_person + n_c])
    keep = active[person] & (weight[touch] > 0)
    touch, person = touch[keep], person[keep]
    n = n_c + len(T.user_ids)
    # Each half is sorted by (touchpoint, person) already: a stable sort of the joined
    # key merges the two runs in linear time.
    order = np.argsort(touch * n + person, kind="stable")
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
        none = np.zeros(0, np.int64)
        return none, none, np.zeros(0, np.float64), none, none
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pair = lo * n + hi
    if n * n * max(len(T), 1) < 2**62:
        # One sort of (pair, touchpoint) codes: half the time of an argsort and the
        # two gathers it needs, and each pair's touchpoints come out earliest first.
        code = np.sort(pair * len(T) + t)
        pair, t = code // len(T), code % len(T)
    else:
        order = np.argsort(pair)
        pair, t = pair[order], t[order]
    w = weight[t]
    first = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    total = np.add.reduceat(w, first)
    count = np.diff(np.r_[first, len(pair)])
    # Each pair's heaviest touchpoint, the earliest on a tie.
    heaviest = np.repeat(np.maximum.reduceat(w, first), count)
    t = np.minimum.reduceat(np.where(w == heaviest, t, len(T)), first)
    pair = pair[first]
    if keep_pairs is not None:
        # Most pairs met once at a webinar long ago: drop them here, not one by one.
        strong = (total >= min_score) | np.isin(pair, keep_pairs)
        pair, total, count, t = pair[strong], total[strong], count[strong], t[strong]
    return pair // n, pair % n, total, count, t
