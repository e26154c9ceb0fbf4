"""Build small, readable account graphs by hand (tests, doctests, benches, demos).

The graphs follow :mod:`graph.neighbourhood` exactly, so what a reading answers on
them it answers on a graph fetched from a store.

>>> b = AccountBuilder("acme", name="Acme")
>>> _ = b.contact("ann", title="CFO", department="Finance")
>>> sorted(b.G.nodes)
['company:acme', 'contact:ann', 'department:acme/finance']
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import networkx as nx

from graph.model import department_id
from graph.neighbourhood import key
from graph.readings.facts import as_datetime


def _person(ref: str) -> str:
    """``"ann"`` -> ``"contact:ann"``; keys (``"user:u1"``) pass through."""
    return ref if ":" in ref else key("contact", ref)


class AccountBuilder:
    """Adds nodes and edges of one account with sensible defaults."""

    def __init__(self, company_id: str, **company: Any):
        self.company_id = company_id
        self.G = nx.MultiDiGraph(company_id=company_id)
        attrs = {"name": company_id.title(), "lifecycle": "customer", "target": False}
        attrs.update(company)
        self.G.add_node(
            key("company", company_id), kind="company", outside=False, id=company_id, **attrs
        )

    def _edge(self, rel: str, u: str, v: str, **props: Any) -> None:
        self.G.add_edge(u, v, key=rel, kind=rel, **props)

    def department(self, function: str) -> str:
        """The department node of ``function`` (created once)."""
        did = department_id(self.company_id, function)
        k = key("department", did)
        if k not in self.G:
            self.G.add_node(
                k,
                kind="department",
                outside=False,
                id=did,
                company_id=self.company_id,
                function=function,
                name=None,
            )
            self._edge("HAS_DEPARTMENT", key("company", self.company_id), k)
        return k

    def contact(
        self,
        id: str,
        *,
        name: str | None = None,
        title: str | None = None,
        seniority: str | None = None,
        department: str | None = None,
        sources: Iterable[str] = (),
        status: str = "active",
        left_on: date | str | None = None,
        moved_to: str | None = None,
        outside: bool = False,
        buying_roles: Iterable[str] = (),
        role_entered_by: str | None = None,
        role_entered_at: str | None = None,
    ) -> str:
        """A contact; ``left_on`` ends their employment here, ``moved_to`` names the next one.

        ``buying_roles``: the role(s) a rep entered for them (our category names).
        """
        dep = self.department(department) if department else None
        k = key("contact", id)
        self.G.add_node(
            k,
            kind="contact",
            outside=outside,
            id=id,
            name=name or id.title(),
            title=title,
            seniority=seniority,
            status="left" if (left_on or moved_to) else status,
            company_id=moved_to or self.company_id,
            department_id=self.G.nodes[dep]["id"] if dep else None,
            sources=list(sources),
            email=None,
            phone=None,
            buying_roles=list(buying_roles),
            role_entered_by=role_entered_by,
            role_entered_at=as_datetime(role_entered_at) if role_entered_at else None,
            role_source="crm" if buying_roles else None,
        )
        if moved_to:
            # Named as a store would name the stub company records_of writes for it.
            self.G.graph.setdefault("company_names", {})[moved_to] = moved_to.title()
        if not outside:
            end = date.fromisoformat(left_on) if isinstance(left_on, str) else left_on
            self._edge(
                "EMPLOYED_AT",
                k,
                key("company", self.company_id),
                title=title,
                start_date=None,
                end_date=end,
            )
        if dep:
            self._edge("WORKS_IN", k, dep)
        return k

    def user(
        self,
        id: str,
        *,
        name: str | None = None,
        role: str | None = "account_manager",
        owner: bool | tuple[str, str | None] = False,
        active: bool = True,
    ) -> str:
        """One of our users, on the account team with ``role`` (None: not on the team).

        ``owner``: True owns the account since 2020; a ``(since, until)`` pair of ISO
        dates is one ownership period (``until`` None: owns it now), and may be given
        again with :meth:`owns`. ``active=False``: has left us.
        """
        k = key("user", id)
        self.G.add_node(
            k,
            kind="user",
            outside=False,
            id=id,
            name=name or id.title(),
            role="account_manager",
            access="member",
            active=active,
            email=None,
        )
        company = key("company", self.company_id)
        if role:
            self._edge("ON_TEAM", k, company, role=role)
        if owner:
            self.owns(id, *(owner if isinstance(owner, tuple) else ("2020-01-01", None)))
        return k

    def owns(self, user: str, since: str, until: str | None = None) -> None:
        """``user`` owned the account from ``since`` until ``until`` (None: owns it now)."""
        k, company = key("user", user), key("company", self.company_id)
        periods = sum(1 for _, v, kk in self.G.out_edges(k, keys=True)
                      if v == company and str(kk).startswith("OWNS"))
        self.G.add_edge(k, company, key="OWNS" if not periods else f"OWNS#{periods + 1}",
                        kind="OWNS", since=as_datetime(since),
                        until=as_datetime(until) if until else None)

    def note(self, id: str, contact: str, key_: str, value: str, *, personal: bool = True,
             by: str | None = None, at: str | None = None) -> str:
        """A profile item about ``contact``, entered by the user ``by``."""
        k = key("profile_item", id)
        self.G.add_node(k, kind="profile_item", outside=False, id=id, contact_id=contact,
                        key=key_, value=value, visibility="personal" if personal else "public",
                        entered_by=by, entered_at=as_datetime(at) if at else None)
        self._edge("HAS_PROFILE_ITEM", key("contact", contact), k)
        return k

    def touch(
        self,
        id: str,
        kind: str,
        at: str | date | datetime,
        *,
        contacts: Iterable[str] = (),
        users: Iterable[str] = (),
        outcome: str | None = None,
        direction: str = "outbound",
        subject: str | None = None,
        campaign: str | None = None,
    ) -> str:
        """A touchpoint on the account; ``contacts`` and ``users`` are ids that exist."""
        k = key("touchpoint", id)
        cids, uids = list(contacts), list(users)
        self.G.add_node(
            k,
            kind="touchpoint",
            outside=False,
            id=id,
            company_id=self.company_id,
            type=kind,
            at=as_datetime(at if not isinstance(at, str) or "T" in at else at + "T12:00:00"),
            direction=direction,
            outcome=outcome,
            campaign=campaign,
            subject=subject,
            contact_ids=cids,
            user_ids=uids,
        )
        self._edge("ON_ACCOUNT", k, key("company", self.company_id))
        for c in cids:
            self._edge("PARTICIPATED_IN", key("contact", c), k)
        for u in uids:
            self._edge("PARTICIPATED_IN", key("user", u), k)
        return k

    def reports(self, contact: str, manager: str) -> None:
        self._edge("REPORTS_TO", key("contact", contact), key("contact", manager))

    def knows(self, a: str, b: str, strength: float | None = 0.5,
              origin: str | None = None) -> None:
        """``a`` knows ``b``: bare ids are contacts, ``"user:u1"`` a user."""
        self._edge("KNOWS", _person(a), _person(b), strength=strength, origin=origin)

    def opportunity(
        self,
        id: str,
        *,
        stage: str = "closed_won",
        amount: float = 10_000.0,
        close_date: str | date | None = None,
        contacts: Iterable[str] = (),
    ) -> str:
        k = key("opportunity", id)
        cids = list(contacts)
        closed = date.fromisoformat(close_date) if isinstance(close_date, str) else close_date
        self.G.add_node(
            k,
            kind="opportunity",
            outside=False,
            id=id,
            company_id=self.company_id,
            name=id,
            amount=amount,
            stage=stage,
            close_date=closed,
            contact_ids=cids,
        )
        self._edge("FOR_ACCOUNT", k, key("company", self.company_id))
        for c in cids:
            self._edge("INVOLVED_IN", key("contact", c), k)
        return k

    def deal_role(self, opportunity: str, contact: str, role: str | None,
                  primary: bool = False) -> str:
        """``contact``'s role on ``opportunity`` (both already added), as a rep entered it."""
        id = f"{opportunity}/{contact}"
        k = key("deal_role", id)
        self.G.add_node(k, kind="deal_role", outside=False, id=id, opportunity_id=opportunity,
                        contact_id=contact, role=role, is_primary=primary)
        self._edge("HAS_ROLE", key("opportunity", opportunity), k)
        self._edge("PLAYS", key("contact", contact), k)
        return k


_NODE_ORDER = ("company", "department", "contact", "user", "touchpoint", "opportunity",
               "profile_item", "deal_role")
_EXPLICIT = ("EMPLOYED_AT", "REPORTS_TO", "KNOWS", "ON_TEAM", "OWNS")
_EDGE_FIELDS = {
    "EMPLOYED_AT": ("title", "start_date", "end_date"),
    "KNOWS": ("strength", "origin"),
    "ON_TEAM": ("role",),
    "OWNS": ("since", "until"),
}


def records_of(G: nx.MultiDiGraph) -> tuple[dict[str, list[dict[str, Any]]],
                                            dict[str, list[dict[str, Any]]]]:
    """The store records a hand-built account graph stands for: ``(nodes, rels)``.

    ``nodes`` maps node kind -> items for ``Store.upsert`` (in an order that satisfies
    references, with a stub for every other company a contact works at); ``rels`` maps
    relationship kind -> items for ``Store.link``. Use :func:`load_into` to write them.
    """
    nodes: dict[str, list[dict[str, Any]]] = {k: [] for k in _NODE_ORDER}
    companies = {d["id"] for _, d in G.nodes(data=True) if d.get("kind") == "company"}
    for _, d in G.nodes(data=True):
        props = {k: v for k, v in d.items() if k not in ("kind", "outside")}
        nodes[d["kind"]].append(props)
        if d["kind"] == "contact" and d.get("company_id") not in companies:
            companies.add(d["company_id"])
            nodes["company"].append({"id": d["company_id"], "name": d["company_id"].title()})
    rels: dict[str, list[dict[str, Any]]] = {k: [] for k in _EXPLICIT}
    for u, v, d in G.edges(data=True):
        rel = d.get("kind")
        if rel in rels:
            item = {"source": G.nodes[u]["id"], "target": G.nodes[v]["id"]}
            item.update({f: d.get(f) for f in _EDGE_FIELDS.get(rel, ()) if d.get(f) is not None})
            rels[rel].append(item)
    return nodes, rels


def load_into(store: Any, G: nx.MultiDiGraph) -> None:
    """Write a hand-built account graph into a :class:`graph.store.Store`.

    Raises AssertionError naming the first rejected item: fixtures must load whole.
    """
    nodes, rels = records_of(G)
    for kind in _NODE_ORDER:
        if nodes[kind]:
            report = store.upsert(kind, nodes[kind])
            assert not report.rejected, f"{kind}: {report.rejected[0]}"
    for rel, items in rels.items():
        if items:
            report = store.link(rel, items)
            assert not report.rejected, f"{rel}: {report.rejected[0]}"


# --- sample accounts whose right answers are obvious by eye ---------------------------
# (the unit tests read them as of SAMPLE_AS_OF; the store contract suite loads them
# into every backend and compares readings_fingerprint of what comes back)

SAMPLE_AS_OF = "2025-06-30"


def single_threaded() -> nx.MultiDiGraph:
    """Acme: Ann (CFO) carries everything; Bob and Cat are names on a list."""
    b = AccountBuilder("acme", name="Acme")
    b.user("una", owner=True)
    b.contact("ann", name="Ann", title="CFO", seniority="C-level", department="Finance")
    b.contact("bob", name="Bob", title="Engineer", department="IT", sources=["marketing"])
    b.contact("cat", name="Cat", title="Buyer", department="Procurement", sources=["purchased"])
    for i, day in enumerate(["2025-04-02", "2025-05-06", "2025-06-10"]):
        b.touch(f"m{i}", "meeting", day, contacts=["ann"], users=["una"], outcome="positive",
                subject="Quarterly review")
    b.touch("sig", "contract_signature", "2025-05-20", contacts=["ann"], users=["una"])
    return b.G


def champion_left() -> nx.MultiDiGraph:
    """Initech: Carl gave references for us, then left for Globex; Dee still signs."""
    b = AccountBuilder("initech", name="Initech")
    b.user("una", owner=True)
    b.contact("carl", name="Carl", title="Director of Operations", department="Operations",
              left_on="2025-03-01", moved_to="globex")
    b.contact("dee", name="Dee", title="VP Finance", seniority="VP", department="Finance")
    b.contact("eve", name="Eve", title="Developer", department="IT")
    b.touch("ref1", "reference", "2024-11-05", contacts=["carl"], users=["una"],
            outcome="positive", subject="Case study")
    b.touch("ref2", "referral", "2025-01-15", contacts=["carl"], users=["una"])
    b.touch("sig", "contract_signature", "2025-05-01", contacts=["dee"], users=["una"])
    b.touch("demo", "demo", "2025-06-01", contacts=["eve"], users=["una"])
    return b.G


def healthy() -> nx.MultiDiGraph:
    """Globex: a decision maker, a champion and an evaluator in three departments."""
    b = AccountBuilder("globex", name="Globex")
    b.user("una", owner=True)
    b.user("sam", role="sales_rep")
    b.contact("gus", name="Gus", title="CEO", seniority="C-level", department="Executive")
    b.contact("hal", name="Hal", title="Head of Operations", seniority="Director",
              department="Operations")
    b.contact("ivy", name="Ivy", title="Architect", seniority="Manager", department="IT")
    b.touch("sig", "contract_signature", "2025-06-01", contacts=["gus"], users=["una"])
    b.touch("ref", "reference", "2025-06-10", contacts=["hal"], users=["sam"], outcome="positive")
    b.touch("demo", "demo", "2025-06-15", contacts=["ivy"], users=["sam"])
    b.touch("call", "call", "2025-06-20", contacts=["gus", "hal"], users=["una"])
    return b.G


def warm_path() -> nx.MultiDiGraph:
    """Hooli: Una met Ann at the summit; Ann knows Bob, the CEO. Dave knows nobody."""
    b = AccountBuilder("hooli", name="Hooli")
    b.user("una", owner=True)
    b.contact("ann", name="Ann", title="Engineer", department="IT")
    b.contact("bob", name="Bob", title="CEO", seniority="C-level", department="Executive")
    b.contact("dave", name="Dave", title="Controller", department="Finance")
    b.touch("summit", "event", "2025-05-20", contacts=["ann"], users=["una"],
            subject="2025 summit", outcome="positive")
    b.knows("ann", "bob", 0.8, origin="worked together")
    return b.G


def relayed() -> nx.MultiDiGraph:
    """Vandelay: no department data at all; Jamie (ours) knows Tess, the CEO; Parker
    (ours) knows Cleo, who also met Jamie; Zed knows Tess, but his rep rated it 0.0."""
    b = AccountBuilder("vandelay", name="Vandelay")
    b.user("jamie", name="Jamie", owner=True)
    b.user("parker", name="Parker", role="sales_rep")
    b.contact("cleo", name="Cleo", title="Operations Manager", seniority="Manager")
    b.contact("tess", name="Tess", title="CEO", seniority="C-level")
    b.contact("zed", name="Zed", title="Engineer")
    b.touch("m1", "meeting", "2025-06-02", contacts=["cleo"], users=["parker"],
            outcome="positive", subject="Kick-off")
    b.touch("m2", "meeting", "2025-06-09", contacts=["cleo"], users=["jamie"],
            outcome="positive", subject="Roadmap")
    b.touch("c1", "call", "2025-06-12", contacts=["zed"], users=["parker"])
    b.knows("user:jamie", "tess", 0.7, origin="board dinner")
    b.knows("zed", "tess", 0.0, origin="rep rated it cold")
    return b.G


def entered_roles() -> nx.MultiDiGraph:
    """Umbrella: reps entered roles; Olga signs though her title says IT, Pia only demos."""
    b = AccountBuilder("umbrella", name="Umbrella")
    b.user("una", owner=True)
    b.contact("olga", name="Olga", title="IT Manager", department="IT",
              buying_roles=["decision_maker"], role_entered_by="una",
              role_entered_at="2025-02-01")
    b.contact("pia", name="Pia", title="Sr. Software Engineer II")
    b.contact("quin", name="Quin", title="AP Clerk", sources=["finance"])
    b.touch("sig", "contract_signature", "2025-03-01", contacts=["olga"], users=["una"])
    for i in range(6):
        b.touch(f"demo{i}", "demo", f"2025-0{i % 3 + 4}-0{i + 1}", contacts=["pia", "olga"],
                users=["una"])
    b.touch("inv", "invoice", "2025-04-15", contacts=["quin"], users=["una"])
    b.opportunity("renewal", close_date="2025-03-01", contacts=["olga"])
    b.deal_role("renewal", "olga", "decision_maker", primary=True)
    b.deal_role("renewal", "pia", "Influencer")
    return b.G


SAMPLES = {
    "single_threaded": single_threaded,
    "champion_left": champion_left,
    "healthy": healthy,
    "warm_path": warm_path,
    "relayed": relayed,
    "entered_roles": entered_roles,
}
