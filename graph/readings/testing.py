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
    ) -> str:
        """A contact; ``left_on`` ends their employment here, ``moved_to`` names the next one."""
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
        )
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
        owner: bool = False,
    ) -> str:
        """One of our users, on the account team with ``role`` (None: not on the team)."""
        k = key("user", id)
        self.G.add_node(
            k,
            kind="user",
            outside=False,
            id=id,
            name=name or id.title(),
            role="account_manager",
            access="member",
            active=True,
            email=None,
        )
        company = key("company", self.company_id)
        if role:
            self._edge("ON_TEAM", k, company, role=role)
        if owner:
            self._edge("OWNS", k, company, since=as_datetime("2020-01-01"), until=None)
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

    def knows(self, a: str, b: str, strength: float = 0.5, origin: str | None = None) -> None:
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
