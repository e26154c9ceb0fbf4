"""The account map: one account's people and our relationships, as vis-network data.

:func:`map_data` turns an account graph (:mod:`graph.neighbourhood`) and its
readings into plain node and edge dicts in one pass (pyvis's ``from_nx`` and
``add_node`` take 1.6 s for 2,000 nodes; building the lists directly takes a few
milliseconds); :func:`render_map` puts them in our own template
(``templates/map.html``), which carries vis-network inline so the page needs
nothing but itself.

What is drawn: the company, its departments, its contacts (coloured by category,
sized by strength, faded when they have left), our users on the team (a distinct
shape and colour), people from outside who know someone here, and the links:
works in, reports to, knows, and our relationships (a user who knows a contact).
Touchpoints, profile items and opportunities are not nodes; they feed the hover
cards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.neighbourhood import nodes_of
from graph.readings.facts import knows_strength
from visualizer.inputs import (
    CATEGORIES,
    UNKNOWN_CATEGORY,
    AccountReadings,
    InfluencePath,
    Item,
    Viewer,
    category_label,
    last_touch,
    personal_reads,
    profile_items,
)
from visualizer.layout import account_layout

# Above this many nodes the layout is computed here and physics stays off in the
# browser: a force layout of 2,000 nodes takes tens of seconds to settle.
LARGE = 300

# Colour-blind-safe where it matters (Okabe-Ito first), then distinct extras.
CATEGORY_COLOURS: dict[str, str] = {
    "decision_maker": "#D55E00",
    "champion": "#009E73",
    "purchaser": "#E69F00",
    "finance": "#CC79A7",
    "technical_evaluator": "#0072B2",
    "end_user": "#56B4E9",
    "partner": "#8C6D31",
    "investor": "#6B4C9A",
    "analyst": "#B8860B",
    "media": "#A0522D",
    "unengaged": "#B0B0B0",
    UNKNOWN_CATEGORY: "#9AA5B1",
}
USER_COLOUR = "#1F2A44"
COMPANY_COLOUR = "#333333"
DEPARTMENT_COLOUR = "#DDE3EA"
NO_DEPARTMENT = "department:(none)"
# A contact with no department: we were not told it, which is not "in none".
UNKNOWN_DEPARTMENT = "(department unknown)"


@dataclass
class MapData:
    """Everything the page draws, and what the caller must audit."""

    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[dict[str, str]]
    departments: list[str]
    large: bool
    paths: list[dict[str, Any]] = field(default_factory=list)
    target: str | None = None
    # (contact id, profile item key) of every personal value in the page.
    personal_reads: list[tuple[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "nodes": self.nodes,
            "edges": self.edges,
            "legend": self.legend,
            "departments": self.departments,
            "large": self.large,
            "paths": self.paths,
            "target": self.target,
        }


def _date(value: Any) -> str | None:
    return value.date().isoformat() if hasattr(value, "date") else None


def _department_name(attrs: dict[str, Any]) -> str:
    return str(attrs.get("name") or attrs.get("function") or "Department")


def _card(
    G: nx.MultiDiGraph,
    node: str,
    readings: AccountReadings,
    department: str | None,
    last: dict[str, Any],
    items: list[Item],
) -> dict[str, Any]:
    attrs = G.nodes[node]
    reading = readings.contact(node)
    return {
        "name": attrs.get("name") or node,
        "title": attrs.get("title"),
        "department": department,
        "seniority": attrs.get("seniority"),
        "status": attrs.get("status", "active"),
        "outside": bool(attrs.get("outside")),
        "category": category_label(reading.category),
        "secondary": [category_label(c) for c in reading.secondary],
        "reasons": list(reading.reasons),
        "strength": round(reading.strength, 2),
        "last_touch": _date(last.get(node)),
        "known_by": [
            {"name": G.nodes[u].get("name", u) if u in G else u, "strength": round(s, 2)}
            for u, s in sorted(reading.known_by.items(), key=lambda kv: -kv[1])
        ],
        "profile": [{"key": i.key, "value": i.value, "redacted": i.redacted} for i in items],
    }


def map_data(
    G: nx.MultiDiGraph,
    readings: AccountReadings,
    viewer: Viewer,
    *,
    paths: Iterable[InfluencePath] = (),
    target: str | None = None,
) -> MapData:
    """The map of one account as vis-network node and edge dicts.

    Parameters
    ----------
    G
        The account graph (``Store.account_graph``).
    readings
        Categories, strengths and pair strengths per contact (:class:`AccountReadings`).
    viewer
        Who will see the page; a personal profile value appears only where
        ``viewer.rule`` lets them see that contact's personal data.
    paths
        Influence paths to highlight (``?to=CONTACT``), best first.
    target
        The contact key those paths lead to (shown even when there is no path).

    Returns
    -------
    MapData
        Node dicts carry vis-network fields plus ``kind``, ``category``,
        ``department`` and ``strength`` for the page's filters, and ``card`` for a
        contact's hover card; ``personal_reads`` lists the personal values shown.
    """
    company_id = G.graph.get("company_id")
    company = f"company:{company_id}" if f"company:{company_id}" in G else None
    title = str(G.nodes[company].get("name", company_id)) if company else str(company_id)
    items = profile_items(G, viewer)
    last = last_touch(G)

    departments = {d: _department_name(G.nodes[d]) for d in nodes_of(G, "department")}
    dept_of: dict[str, str] = {}
    for u, v, kind in G.edges(keys=True):
        if kind == "WORKS_IN" and v in departments:
            dept_of[u] = v

    contacts = nodes_of(G, "contact")
    inside = [c for c in contacts if not G.nodes[c].get("outside")]
    outside = [c for c in contacts if G.nodes[c].get("outside")]
    users = [u for u in nodes_of(G, "user") if _is_on_account(G, u, company, readings)]
    strength = {c: readings.contact(c).strength for c in contacts}

    groups: dict[str, list[str]] = {
        d: [] for d in sorted(departments, key=lambda d: departments[d])
    }
    for c in sorted(inside, key=lambda c: -strength[c]):
        groups.setdefault(dept_of.get(c, NO_DEPARTMENT), []).append(c)
    pos = account_layout(company, groups, users, outside)
    large = 1 + len(departments) + len(contacts) + len(users) > LARGE

    nodes: list[dict[str, Any]] = []
    if company:
        nodes.append(
            _fixed_node(
                company,
                title,
                "company",
                pos,
                shape="diamond",
                size=34,
                color=COMPANY_COLOUR,
                font={"size": 90 if large else 22, "bold": True},
            )
        )
    for d, name in departments.items():
        nodes.append(
            _fixed_node(
                d,
                name,
                "department",
                pos,
                shape="box",
                color=DEPARTMENT_COLOUR,
                department=name,
                font={"size": 60 if large else 16, "strokeWidth": 10 if large else 3,
                      "strokeColor": "#FFFFFF"},
            )
        )
    for u in users:
        nodes.append(
            _fixed_node(
                u,
                str(G.nodes[u].get("name", u)),
                "user",
                pos,
                shape="star",
                size=60 if large else 22,
                color=USER_COLOUR,
                # Our people are what a rep looks for first: labelled at every zoom,
                # with a white outline so no edge or node beneath hides the name.
                font={"color": USER_COLOUR, "size": 70 if large else 16, "bold": True,
                      "strokeWidth": 12 if large else 4, "strokeColor": "#FFFFFF"},
            )
        )
    for c in contacts:
        reading = readings.contact(c)
        attrs = G.nodes[c]
        dept = departments.get(dept_of.get(c, ""))
        colour = CATEGORY_COLOURS.get(reading.category, CATEGORY_COLOURS[UNKNOWN_CATEGORY])
        left = attrs.get("status") == "left"
        node = {
            "id": c,
            "label": str(attrs.get("name") or c),
            "kind": "contact",
            "category": reading.category,
            "department": dept or UNKNOWN_DEPARTMENT,
            "strength": round(reading.strength, 3),
            "left": left,
            "shape": "dot",
            "size": round(8 + 22 * max(0.0, min(1.0, reading.strength)), 1),
            # Someone who left is drawn hollow in their category's colour: unlike an
            # unengaged contact, who is a filled grey dot.
            "color": {"background": "#FFFFFF", "border": colour} if left else colour,
            "borderWidth": 3 if left else 1,
            "opacity": 0.6 if left else 1.0,
            "card": _card(G, c, readings, dept or UNKNOWN_DEPARTMENT, last, items.get(c, [])),
            **_xy(pos, c),
        }
        if attrs.get("outside"):
            node["shapeProperties"] = {"borderDashes": [4, 3]}
            node["borderWidth"] = 2
            node["color"] = {"background": colour, "border": "#555555"}
        nodes.append(node)

    edges = _edges(G, readings, set(departments), company, users, dept_of, large)
    path_dicts = _paths(G, paths, edges)
    present = {c: readings.contact(c).category for c in contacts}
    legend = [
        {"category": cat, "label": category_label(cat), "color": CATEGORY_COLOURS[cat]}
        for cat in (*CATEGORIES, UNKNOWN_CATEGORY)
        if cat in present.values()
    ]
    return MapData(
        title=title,
        nodes=nodes,
        edges=edges,
        legend=legend,
        departments=sorted(
            {*departments.values(), *([UNKNOWN_DEPARTMENT] if groups.get(NO_DEPARTMENT) else [])}
        ),
        large=large,
        paths=path_dicts,
        target=target,
        personal_reads=personal_reads({c: items.get(c, []) for c in contacts}),
    )


def _is_on_account(
    G: nx.MultiDiGraph, user: str, company: str | None, readings: AccountReadings
) -> bool:
    """A user belongs on the map if on the team, an owner, or someone knows them here."""
    if company and any(G.has_edge(user, company, k) for k in ("ON_TEAM", "OWNS")):
        return True
    return any(user in r.known_by for r in readings.contacts.values()) or any(
        k == "KNOWS" for _, _, k in G.edges(user, keys=True)
    )


def _xy(pos: dict[str, tuple[float, float]], node: str) -> dict[str, float]:
    if node not in pos:
        return {}
    x, y = pos[node]
    return {"x": round(x, 1), "y": round(y, 1)}


def _fixed_node(
    node: str, label: str, kind: str, pos: dict[str, tuple[float, float]], **vis: Any
) -> dict[str, Any]:
    return {"id": node, "label": label, "kind": kind, **_xy(pos, node), **vis}


def fade(strength: float) -> float:
    """An edge's opacity for a strength 0..1: weak ties faint, strong ones solid."""
    return round(0.15 + 0.75 * max(0.0, min(1.0, strength)), 3)


def _edge_id(u: str, kind: str, v: str) -> str:
    return f"{u}|{kind}|{v}"


def _edges(
    G: nx.MultiDiGraph,
    readings: AccountReadings,
    departments: set[str],
    company: str | None,
    users: list[str],
    dept_of: dict[str, str],
    large: bool,
) -> list[dict[str, Any]]:
    drawn = set(users) | {n for n, k in G.nodes(data="kind") if k in ("contact", "department")}
    if company:
        drawn.add(company)
    edges: list[dict[str, Any]] = []
    ours: dict[tuple[str, str], float] = {}  # (user, contact) -> strongest evidence
    for u, v, kind, data in G.edges(keys=True, data=True):
        if u not in drawn or v not in drawn:
            continue
        if kind == "HAS_DEPARTMENT":
            edges.append(
                {
                    "id": _edge_id(u, kind, v),
                    "from": u,
                    "to": v,
                    "kind": kind,
                    "width": 2,
                    "color": "#9AA5B1",
                }
            )
        elif kind == "WORKS_IN" or (
            # Someone with no department hangs off the company instead.
            kind == "EMPLOYED_AT" and u not in dept_of and data.get("end_date") is None
        ):
            edges.append(
                {
                    "id": _edge_id(u, kind, v),
                    "from": u,
                    "to": v,
                    "kind": kind,
                    "width": 0.5,
                    "color": "#D0D7DE",
                }
            )
        elif kind == "REPORTS_TO":
            edges.append(
                {
                    "id": _edge_id(u, kind, v),
                    "from": u,
                    "to": v,
                    "kind": kind,
                    "width": 1.2,
                    "color": "#7B8794",
                    "arrows": "to",
                }
            )
        elif kind == "KNOWS":
            s = knows_strength(data.get("strength"))
            if G.nodes[u].get("kind") == "user" or G.nodes[v].get("kind") == "user":
                pair = (u, v) if G.nodes[u].get("kind") == "user" else (v, u)
                ours[pair] = max(ours.get(pair, 0.0), s)
                continue
            edges.append(
                {
                    "id": _edge_id(u, kind, v),
                    "from": u,
                    "to": v,
                    "kind": kind,
                    "width": round((0.5 if large else 1) + 4 * s, 2),
                    # Faded by strength, and more on a large map, where colleague
                    # links would hide everything else.
                    "color": {"color": "#E69F00",
                              "opacity": fade(s) * (0.4 if large else 1.0)},
                    "dashes": not large,
                    "strength": round(s, 3),
                    "title": data.get("origin") or "knows",
                }
            )
        elif kind in ("ON_TEAM", "OWNS") and v == company:
            edges.append(
                {
                    "id": _edge_id(u, kind, v),
                    "from": u,
                    "to": v,
                    "kind": kind,
                    "width": 1.5 if kind == "OWNS" else 1,
                    "color": USER_COLOUR,
                    "dashes": [2, 6],
                }
            )
    for c, reading in readings.contacts.items():
        for user, s in reading.known_by.items():
            if user in drawn and c in drawn:
                ours[(user, c)] = max(ours.get((user, c), 0.0), s)
    for (user, c), s in ours.items():
        edges.append(
            {
                "id": _edge_id(user, "OURS", c),
                "from": user,
                "to": c,
                "kind": "OURS",
                "width": round((0.5 + 2 * s) if large else (1 + 6 * s), 2),
                # Faded by strength (weak ties recede); hundreds of them on a large
                # map: fainter still, so the people stay readable.
                "color": {"color": USER_COLOUR, "opacity": fade(s) * (0.5 if large else 1.0)},
                "strength": round(s, 3),
            }
        )
    return edges


def _paths(
    G: nx.MultiDiGraph, paths: Iterable[InfluencePath], edges: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Paths as node and edge ids; a hop with no drawn edge (a shared meeting) gets one."""
    by_pair: dict[frozenset[str], str] = {}
    for e in edges:
        by_pair.setdefault(frozenset((e["from"], e["to"])), e["id"])
    out = []
    for rank, path in enumerate(paths, start=1):
        edge_ids = []
        hops = []
        for hop in path.hops:
            pair = frozenset((hop.source, hop.target))
            if pair not in by_pair:
                eid = _edge_id(hop.source, "PATH", hop.target)
                edges.append(
                    {
                        "id": eid,
                        "from": hop.source,
                        "to": hop.target,
                        "kind": "PATH",
                        "width": 1,
                        "color": "#C0392B",
                        "dashes": [6, 4],
                        "title": hop.evidence,
                        "hidden": True,
                    }
                )
                by_pair[pair] = eid
            edge_ids.append(by_pair[pair])
            hops.append(
                {
                    "from": _name(G, hop.source),
                    "to": _name(G, hop.target),
                    "strength": round(hop.strength, 2),
                    "evidence": hop.evidence,
                }
            )
        out.append(
            {
                "rank": rank,
                "strength": round(path.strength, 2),
                "nodes": path.nodes,
                "edges": edge_ids,
                "hops": hops,
            }
        )
    return out


def _name(G: nx.MultiDiGraph, node: str) -> str:
    return str(G.nodes[node].get("name", node)) if node in G else node


def render_map(
    data: MapData, *, links: Iterable[tuple[str, str]] = (), viewer_name: str | None = None
) -> str:
    """The map as one self-contained HTML page (``links``: (label, href) for the header)."""
    from visualizer.render import render

    return render("map.html", data=data.as_json(), links=list(links), viewer_name=viewer_name)
