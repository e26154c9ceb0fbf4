"""One pass over an account graph into plain records every reading shares.

Readings take the account graph (see :mod:`graph.neighbourhood`) and call
:func:`account_facts` to read it; :func:`graph.readings.account_readings` builds the
facts once and hands them to every reading so a 20,000-touchpoint account is walked
once, not ten times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

import networkx as nx

from graph.model import TouchpointKind
from graph.neighbourhood import split_key

_TP_KINDS = frozenset(str(k) for k in TouchpointKind)


def as_datetime(value: Any) -> datetime | None:
    """A UTC datetime from a datetime, a date (its end of day) or an ISO string."""
    if isinstance(value, datetime) and value.tzinfo is UTC:
        return value
    if value is None:
        return None
    if isinstance(value, str):
        value = (
            datetime.fromisoformat(value)
            if "T" in value or " " in value
            else (date.fromisoformat(value))
        )
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time.max, tzinfo=UTC)
    raise TypeError(f"not a date or time: {value!r}")


def resolve_as_of(as_of: date | datetime | str | None) -> datetime:
    """``as_of`` as an aware UTC datetime; None means now."""
    return as_datetime(as_of) or datetime.now(UTC)


def touchpoint_kind(attrs: dict[str, Any]) -> str:
    """A touchpoint's kind (email, meeting...): the model's ``type`` field.

    (The node attribute ``kind`` names the node kind, "touchpoint".)
    """
    value = attrs.get("type")
    if value in _TP_KINDS:  # the common case: a plain string from the store
        return str(value)
    for name in ("type", "touchpoint_kind"):
        value = attrs.get(name)
        if value is not None and str(value) in _TP_KINDS:
            return str(value)
    return "unknown"


@dataclass
class Touch:
    """One touchpoint of the account, with who took part."""

    id: str
    kind: str
    at: datetime
    direction: str
    outcome: str | None
    campaign: str | None
    subject: str | None
    contacts: list[str] = field(default_factory=list)  # contact ids
    users: list[str] = field(default_factory=list)  # user ids


@dataclass
class Person:
    """A contact as the readings see it."""

    id: str
    name: str
    title: str | None
    seniority: str | None
    department: str | None  # function, e.g. "IT"
    sources: list[str]
    outside: bool  # pulled in from elsewhere, not an employee of this account
    left: bool  # has left this account (as of)
    left_on: date | None
    company_id: str | None  # current or last known employer
    touches: list[Touch] = field(default_factory=list)
    opportunities: list[dict[str, Any]] = field(default_factory=list)  # opportunity attrs
    employers: list[dict[str, Any]] = field(default_factory=list)  # employment history

    @property
    def current(self) -> bool:
        """Works at the account now (as of)."""
        return not self.outside and not self.left


@dataclass
class AccountFacts:
    """The parts of an account graph the readings use, as of one moment."""

    company_id: str
    company: dict[str, Any]
    as_of: datetime
    contacts: dict[str, Person]
    users: dict[str, dict[str, Any]]
    touches: list[Touch]
    departments: dict[str, str]  # department id -> function
    reports_to: list[tuple[str, str]]  # (contact id, manager id)
    knows: list[tuple[str, str, float, str | None]]  # (person key, person key, strength, origin)
    team: dict[str, str]  # user id -> role on the account team (owners: "owner")
    opportunities: list[dict[str, Any]]


def _date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def account_facts(G: nx.MultiDiGraph, as_of: date | datetime | str | None = None) -> AccountFacts:
    """Read an account graph once into :class:`AccountFacts`, ignoring anything after ``as_of``.

    Touchpoints later than ``as_of`` are left out; a contact counts as having left
    when their employment here ended on or before ``as_of`` (or their status is
    ``left`` and no end date says otherwise).
    """
    when = resolve_as_of(as_of)
    company_id = str(G.graph.get("company_id", ""))
    company_key = f"company:{company_id}"
    company = dict(G.nodes[company_key]) if company_key in G else {"id": company_id}

    departments = {
        split_key(n)[1]: str(d.get("function") or d.get("name") or "Other")
        for n, d in G.nodes(data=True)
        if d.get("kind") == "department"
    }
    contacts: dict[str, Person] = {}
    users: dict[str, dict[str, Any]] = {}
    touches: list[Touch] = []
    opportunities: list[dict[str, Any]] = []
    from_edges: set[str] = set()
    for n, d in G.nodes(data=True):
        kind = d.get("kind")
        if kind == "contact":
            cid = split_key(n)[1]
            dep_id = d.get("department_id")
            contacts[cid] = Person(
                id=cid,
                name=str(d.get("name") or cid),
                title=d.get("title"),
                seniority=d.get("seniority"),
                department=departments.get(dep_id) if dep_id else None,
                sources=[str(s) for s in d.get("sources") or []],
                outside=bool(d.get("outside", False)),
                left=False,
                left_on=None,
                company_id=d.get("company_id"),
            )
        elif kind == "user":
            users[split_key(n)[1]] = dict(d)
        elif kind == "opportunity":
            opportunities.append(dict(d))
        elif kind == "touchpoint":
            at = as_datetime(d.get("at"))
            if at is None or at > when:
                continue
            t = Touch(
                id=n.partition(":")[2],
                kind=touchpoint_kind(d),
                at=at,
                direction=str(d.get("direction") or "outbound"),
                outcome=str(d["outcome"]) if d.get("outcome") else None,
                campaign=d.get("campaign"),
                subject=d.get("subject"),
            )
            # The node carries its participants (contact_ids, user_ids): reading them
            # there saves walking tens of thousands of PARTICIPATED_IN edges.
            if d.get("contact_ids") is not None or d.get("user_ids") is not None:
                t.contacts = list(d.get("contact_ids") or [])
                t.users = list(d.get("user_ids") or [])
            else:
                from_edges.add(n)
            touches.append(t)
    by_key = {f"touchpoint:{t.id}": t for t in touches}
    opp_by_id = {str(o.get("id")): o for o in opportunities}
    reports_to: list[tuple[str, str]] = []
    knows: list[tuple[str, str, float, str | None]] = []
    team: dict[str, str] = {}
    employed_here: dict[str, dict[str, Any]] = {}
    # Every relationship the readings use starts at a contact or a user.
    people = [f"contact:{c}" for c in contacts] + [f"user:{u}" for u in users]
    for u in people:
        ukind, uid = split_key(u)
        # The raw adjacency dict, not the G.succ view: a contact of a busy account has
        # hundreds of touchpoint edges and the view costs a wrapper per neighbour.
        for v, rels in G._succ[u].items():
            if v.startswith("touchpoint:"):
                tp = by_key.get(v) if v in from_edges else None
                if tp is not None:
                    (tp.contacts if ukind == "contact" else tp.users).append(uid)
                continue
            vkind, vid = split_key(v)
            for rel, d in rels.items():
                if rel == "WORKS_IN" and uid in contacts and vid in departments:
                    contacts[uid].department = departments[vid]
                elif rel == "REPORTS_TO":
                    reports_to.append((uid, vid))
                elif rel == "KNOWS":
                    knows.append((u, v, float(d.get("strength") or 0.5), d.get("origin")))
                elif rel == "EMPLOYED_AT" and uid in contacts:
                    job = {
                        "company_id": vid,
                        "title": d.get("title"),
                        "start_date": _date(d.get("start_date")),
                        "end_date": _date(d.get("end_date")),
                    }
                    contacts[uid].employers.append(job)
                    if vid == company_id:
                        employed_here[uid] = job
                elif rel == "INVOLVED_IN" and uid in contacts and vid in opp_by_id:
                    contacts[uid].opportunities.append(opp_by_id[vid])
                elif rel in ("ON_TEAM", "OWNS") and vkind == "company":
                    until = as_datetime(d.get("until"))
                    if rel == "OWNS" and until is not None and until <= when:
                        continue
                    role = "owner" if rel == "OWNS" else d.get("role")
                    team[uid] = str(role or "account_manager")
    # Participants the graph does not hold (ids of people it left out) are dropped.
    for t in touches:
        t.contacts = [c for c in t.contacts if c in contacts]
        t.users = [x for x in t.users if x in users]

    today = when.date()
    for cid, p in contacts.items():
        here = employed_here.get(cid)
        end = here["end_date"] if here else None
        node = G.nodes[f"contact:{cid}"]
        if end is not None:
            p.left, p.left_on = end <= today, end
        elif str(node.get("status") or "active") == "left" or (
            here is not None and p.company_id not in (None, company_id)
        ):
            p.left = True
    # Sorted once here, so every contact's own list comes out in time order too.
    touches.sort(key=lambda t: t.at)
    for t in touches:
        for cid in t.contacts:
            contacts[cid].touches.append(t)
    return AccountFacts(
        company_id=company_id,
        company=company,
        as_of=when,
        contacts=contacts,
        users=users,
        touches=touches,
        departments=departments,
        reports_to=reports_to,
        knows=knows,
        team=team,
        opportunities=opportunities,
    )


def facts_of(
    G: nx.MultiDiGraph, as_of: date | datetime | str | None, facts: AccountFacts | None
) -> AccountFacts:
    """The facts handed in, or read from ``G``."""
    return facts if facts is not None else account_facts(G, as_of)
