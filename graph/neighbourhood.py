"""An account's neighbourhood as a NetworkX graph: the shape every reading reads.

``Store.account_data(company_id)`` reads an account's neighbourhood with a few named
queries into :class:`AccountData` (plain rows, touchpoints as one Arrow table);
``Store.account_graph(company_id)`` is :func:`build_graph` of it, an
``nx.MultiDiGraph``, so both backends produce the same graph. The readings read
``AccountData`` directly (:func:`graph.readings.facts.facts_from_data`): building a
20,000-touchpoint graph costs several times more than reading it.

Nodes
    Keyed ``"{kind}:{id}"`` (see :func:`key`), e.g. ``"contact:c-17"``. Attributes:
    ``kind`` (``company``, ``department``, ``contact``, ``user``, ``touchpoint``,
    ``profile_item``, ``opportunity``, ``deal_role``), then every field of that kind's model in
    :mod:`graph.model` with plain Python values (enums as their string value,
    datetimes timezone-aware UTC, dates as ``date``), and ``outside=True`` on
    people pulled in only because they know someone here or took part in one of
    the account's touchpoints while working elsewhere. A touchpoint's own kind
    (email, meeting, invoice...) is its ``type`` attribute: ``kind`` is "touchpoint".

Edges (``key`` and ``kind`` are the relationship name; direction as stored)
    company   -HAS_DEPARTMENT->   department
    contact   -EMPLOYED_AT->      company      title, start_date, end_date (history:
                                               a contact who left has end_date set)
    contact   -WORKS_IN->         department
    contact   -REPORTS_TO->       contact
    person    -KNOWS->            person       strength (0..1), origin
    person    -PARTICIPATED_IN->  touchpoint   (person: contact or user)
    touchpoint-ON_ACCOUNT->       company
    contact   -HAS_PROFILE_ITEM-> profile_item
    opportunity-FOR_ACCOUNT->     company
    contact   -INVOLVED_IN->      opportunity
    opportunity-HAS_ROLE->        deal_role    (a contact's role on the deal)
    contact   -PLAYS->            deal_role
    user      -ON_TEAM->          company      role
    user      -OWNS->             company      since, until (history; until=None: current)

``G.graph["company_id"]`` names the account; ``G.graph["company_names"]`` maps the id of
every other company one of its people works at now to its name (a champion who moved
is "now at Northwind", not "now at co-00003").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pyarrow as pa

from graph import collector
from graph.digest import schema_of
from graph.schema import NODE_KINDS, REL_KINDS
from graph.writer import utc

Row = dict[str, Any]


def key(kind: str, id: str) -> str:
    """The node key of a node in an account graph."""
    return f"{kind}:{id}"


def split_key(node: str) -> tuple[str, str]:
    """``"contact:c-1"`` -> ``("contact", "c-1")``."""
    kind, _, id = node.partition(":")
    return kind, id


def nodes_of(G: nx.MultiDiGraph, kind: str) -> list[str]:
    """The keys of every node of one kind."""
    return [n for n, k in G.nodes(data="kind") if k == kind]


class GraphBuilder:
    """Accumulates nodes and edges, then hands back the graph.

    Writes straight into the ``nx.MultiDiGraph``'s own dicts (``_node``, ``_succ``,
    ``_pred``: NetworkX's documented adjacency layout), exactly as ``add_node`` and
    ``add_edges_from`` would fill them: same order, a repeated edge key updating
    the first edge's attributes. A call per node and per edge (20,000 edges on a
    2,000-contact account) cost most of every account read; a dict insert each
    is several times cheaper, and each edge's attribute dict is kept, not copied.
    """

    def __init__(self, company_id: str):
        self._G = nx.MultiDiGraph(company_id=company_id)
        self._edges: list[tuple[str, str, str, dict[str, Any]]] = []

    def node(self, kind: str, props: Mapping[str, Any], *, outside: bool = False) -> str:
        """Hold a node (the first of a key wins); returns its key."""
        self.nodes(kind, (props,), outside=outside)
        return key(kind, props["id"])

    def nodes(self, kind: str, rows: Iterable[Mapping[str, Any]], *, outside: bool = False) -> None:
        """Hold a node per row (the first of a key wins)."""
        held, succ, pred = self._G._node, self._G._succ, self._G._pred
        for props in rows:
            k = f"{kind}:{props['id']}"
            if k not in held:
                held[k] = {"kind": kind, "outside": outside, **props}
                succ[k] = {}
                pred[k] = {}

    def held(self) -> Iterable[dict[str, Any]]:
        """The attributes of every node held so far."""
        return self._G._node.values()

    def has(self, kind: str, id: str) -> bool:
        return key(kind, id) in self._G._node

    def edge(
        self,
        rel: str,
        src: tuple[str, str],
        tgt: tuple[str, str],
        props: Mapping[str, Any] | None = None,
        *,
        edge_key: str | None = None,
    ) -> None:
        self._edges.append((key(*src), key(*tgt), edge_key or rel, {"kind": rel, **(props or {})}))

    def edges(self, prepared: Iterable[tuple[str, str, str, dict[str, Any]]]) -> None:
        """Edges as (source key, target key, edge key, attributes with ``kind``), kept as given.

        Each attribute dict becomes the edge's own: it must not be shared.
        """
        self._edges.extend(prepared)

    @property
    def G(self) -> nx.MultiDiGraph:
        """The graph, with every edge whose two ends are held."""
        if self._edges:
            G = self._G
            held, succ, pred = G._node, G._succ, G._pred
            for u, v, k, d in self._edges:
                # Edges only join nodes we hold: a dangling id would create an
                # attribute-less node that every reading would have to guard against.
                if u not in held or v not in held:
                    continue
                keys = succ[u].get(v)
                if keys is None:
                    succ[u][v] = pred[v][u] = {k: d}
                elif k in keys:
                    keys[k].update(d)
                else:
                    keys[k] = d
            self._edges = []
            cache = getattr(G, "__networkx_cache__", None)
            if cache:
                cache.clear()  # as networkx's own writes do
        return self._G


def touchpoint_schema() -> pa.Schema:
    """The Arrow schema of :attr:`AccountData.touchpoints` (timestamps naive UTC)."""
    return schema_of(NODE_KINDS["touchpoint"].columns)


@dataclass
class AccountData:
    """One account's neighbourhood as read from a store, before any graph is built.

    Rows carry exactly their kind's columns (times UTC-aware), plus the columns of
    the relationship that brought them in: ``emp_title``, ``emp_start``, ``emp_end``
    on employees, ``team_role`` on the team, ``owns_since``, ``owns_until`` on owners
    (one row per ownership period). Touchpoints are one Arrow table
    (:func:`touchpoint_schema`), the bulk of a busy account.
    """

    company_id: str
    company: Row
    departments: list[Row] = field(default_factory=list)
    employees: list[Row] = field(default_factory=list)
    team: list[Row] = field(default_factory=list)
    owners: list[Row] = field(default_factory=list)
    touchpoints: pa.Table = field(default_factory=lambda: touchpoint_schema().empty_table())
    profile_items: list[Row] = field(default_factory=list)
    opportunities: list[Row] = field(default_factory=list)
    deal_roles: list[Row] = field(default_factory=list)
    # contacts and users from elsewhere: participants and acquaintances, by kind
    outside: dict[str, list[Row]] = field(default_factory=dict)
    # REPORTS_TO and KNOWS: (relationship, source kind, target kind, row with
    # ``source``, ``target`` and the relationship's columns)
    links: list[tuple[str, str, str, Row]] = field(default_factory=list)
    # id -> name of the other companies the account's people work at now
    company_names: dict[str, str] = field(default_factory=dict)


def build_graph(data: AccountData) -> nx.MultiDiGraph:
    """The account graph (see the module docstring) of one account's data."""
    with collector.paused():  # tens of thousands of dicts, none in a reference cycle
        return _build(data)


def _build(data: AccountData) -> nx.MultiDiGraph:
    b = GraphBuilder(data.company_id)
    b.G.graph["company_names"] = dict(data.company_names)
    b.node("company", data.company)
    b.nodes("department", data.departments)
    kinds = {c.name for c in NODE_KINDS["contact"].columns}
    b.nodes("contact", ({k: v for k, v in r.items() if k in kinds} for r in data.employees))
    ukinds = {c.name for c in NODE_KINDS["user"].columns}
    b.nodes("user", ({k: v for k, v in r.items() if k in ukinds} for r in data.team + data.owners))
    tps = data.touchpoints.to_pylist()
    for r in tps:
        r["at"] = utc(r["at"])
        r["contact_ids"] = r["contact_ids"] or []
        r["user_ids"] = r["user_ids"] or []
    b.nodes("touchpoint", tps)
    b.nodes("profile_item", data.profile_items)
    b.nodes("opportunity", data.opportunities)
    b.nodes("deal_role", data.deal_roles)
    for kind, rows in data.outside.items():
        b.nodes(kind, rows, outside=True)
    # Edges as prepared tuples (source, target, edge key, attributes), in the order
    # the graph has always been built in: the exports' bytes follow it.
    co = f"company:{data.company_id}"
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    add = edges.append
    for node in b.held():
        kind = node["kind"]
        if kind == "department":
            add((co, f"department:{node['id']}", "HAS_DEPARTMENT", {"kind": "HAS_DEPARTMENT"}))
        elif kind == "contact" and node.get("department_id"):
            add((f"contact:{node['id']}", f"department:{node['department_id']}", "WORKS_IN",
                 {"kind": "WORKS_IN"}))
        elif kind == "profile_item":
            add((f"contact:{node['contact_id']}", f"profile_item:{node['id']}",
                 "HAS_PROFILE_ITEM", {"kind": "HAS_PROFILE_ITEM"}))
        elif kind == "opportunity":
            opp = f"opportunity:{node['id']}"
            add((opp, co, "FOR_ACCOUNT", {"kind": "FOR_ACCOUNT"}))
            for c in node.get("contact_ids") or []:
                add((f"contact:{c}", opp, "INVOLVED_IN", {"kind": "INVOLVED_IN"}))
        elif kind == "deal_role":
            role = f"deal_role:{node['id']}"
            add((f"opportunity:{node['opportunity_id']}", role, "HAS_ROLE", {"kind": "HAS_ROLE"}))
            add((f"contact:{node['contact_id']}", role, "PLAYS", {"kind": "PLAYS"}))
    for r in data.employees:
        add((f"contact:{r['id']}", co, "EMPLOYED_AT", {
            "kind": "EMPLOYED_AT", "title": r["emp_title"], "start_date": r["emp_start"],
            "end_date": r["emp_end"]}))  # fmt: skip
    for r in data.team:
        add((f"user:{r['id']}", co, "ON_TEAM", {"kind": "ON_TEAM", "role": r["team_role"]}))
    owned: dict[str, int] = {}
    for r in data.owners:
        # Ownership is history: one OWNS edge per period, keyed OWNS, OWNS#2...
        periods = owned.setdefault(r["id"], 0) + 1
        owned[r["id"]] = periods
        add((f"user:{r['id']}", co, "OWNS" if periods == 1 else f"OWNS#{periods}", {
            "kind": "OWNS", "since": utc(r["owns_since"]), "until": utc(r["owns_until"])}))
    for r in tps:
        tp = f"touchpoint:{r['id']}"
        add((tp, co, "ON_ACCOUNT", {"kind": "ON_ACCOUNT"}))
        for c in r["contact_ids"]:
            add((f"contact:{c}", tp, "PARTICIPATED_IN", {"kind": "PARTICIPATED_IN"}))
        for u in r["user_ids"]:
            add((f"user:{u}", tp, "PARTICIPATED_IN", {"kind": "PARTICIPATED_IN"}))
    columns = {name: [c.name for c in rel.columns] for name, rel in REL_KINDS.items()}
    for rel_name, s, t, row in data.links:
        add((f"{s}:{row['source']}", f"{t}:{row['target']}", rel_name,
             {"kind": rel_name, **{c: row.get(c) for c in columns[rel_name]}}))
    b.edges(edges)
    return b.G
