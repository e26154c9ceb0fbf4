"""One pass over an account into plain records every reading shares.

Readings take the account graph (see :mod:`graph.neighbourhood`), the account's data
as a store reads it (``Store.account_data``) or facts already read, and call
:func:`read_facts`; :func:`graph.readings.account_readings` reads the facts once and
hands them to every reading. Touchpoints stay columns (:class:`Touches`): the
readings add them up with numpy rather than walking 20,000 objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, TypeAlias

import networkx as nx
import numpy as np
import pyarrow as pa

from graph.neighbourhood import AccountData, key, split_key
from graph.readings.touches import TOUCHPOINT_KINDS, Touch, Touches, from_us

__all__ = [
    "AccountFacts", "AccountSource", "Ownership", "Person", "Touch", "Touches",
    "account_facts", "facts_from_data", "read_facts",
]

_TOUCH_COLUMNS = ("id", "type", "at", "direction", "outcome", "campaign", "subject",
                  "contact_ids", "user_ids", "origin")


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


def now() -> datetime:
    """The moment a reading with no ``as_of`` is made at: the one clock the readings read."""
    return datetime.now(UTC)


def resolve_as_of(as_of: date | datetime | str | None) -> datetime:
    """``as_of`` as an aware UTC datetime; None means now."""
    return as_datetime(as_of) or now()


#: What a "knows" link with no strength recorded counts as.
UNRATED_KNOWS_STRENGTH = 0.5


def knows_strength(value: Any) -> float:
    """A stored "knows" strength; only a missing one counts as :data:`UNRATED_KNOWS_STRENGTH`.

    A rep who rated a link 0.0 said it is not warm: ``value or 0.5`` read that as 0.5.

    >>> knows_strength(0.0), knows_strength(None), knows_strength(0.8)
    (0.0, 0.5, 0.8)
    """
    return UNRATED_KNOWS_STRENGTH if value is None else float(value)


def touchpoint_kind(attrs: dict[str, Any]) -> str:
    """A touchpoint's kind (email, meeting...): the model's ``type`` field.

    (The node attribute ``kind`` names the node kind, "touchpoint".)
    """
    value = attrs.get("type")
    if value in TOUCHPOINT_KINDS:  # the common case: a plain string from the store
        return str(value)
    for name in ("type", "touchpoint_kind"):
        value = attrs.get(name)
        if value is not None and str(value) in TOUCHPOINT_KINDS:
            return str(value)
    return "unknown"


@dataclass(frozen=True)
class EnteredRole:
    """A contact's buying role(s) as one of our people entered them."""

    roles: tuple[str, ...]
    by: str | None
    at: datetime | None
    source: str | None


@dataclass(frozen=True)
class DealRoleFact:
    """A contact's role on one opportunity (``role`` as entered, None when blank)."""

    opportunity_id: str
    opportunity_name: str
    role: str | None
    is_primary: bool
    stage: str


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
    row: int = 0  # this contact's row in ``AccountFacts.touches`` participations
    touch_count: int = 0  # touchpoints up to as_of
    last_touch: datetime | None = None
    kinds: dict[str, tuple[int, str]] = field(default_factory=dict)  # kind -> (n, last day ISO)
    opportunities: list[dict[str, Any]] = field(default_factory=list)  # opportunity attrs
    employers: list[dict[str, Any]] = field(default_factory=list)  # employment history
    entered: EnteredRole | None = None  # the buying role a person on our side entered
    deal_roles: list[DealRoleFact] = field(default_factory=list)  # roles on opportunities

    @property
    def current(self) -> bool:
        """Works at the account now (as of)."""
        return not self.outside and not self.left


@dataclass(frozen=True)
class Ownership:
    """One period one of our users owned the account (``until`` None: owns it now)."""

    user_id: str
    since: datetime | None
    until: datetime | None


def _ownerships(periods: list[Ownership]) -> list[Ownership]:
    """Oldest first, by start then user: the same list whichever reader read it."""
    far = datetime.min.replace(tzinfo=UTC)
    return sorted(periods, key=lambda o: (o.since or far, o.until or datetime.max.replace(
        tzinfo=UTC), o.user_id))


@dataclass
class AccountFacts:
    """The parts of an account the readings use, as of one moment."""

    company_id: str
    company: dict[str, Any]
    as_of: datetime
    contacts: dict[str, Person]
    users: dict[str, dict[str, Any]]
    touches: Touches
    departments: dict[str, str]  # department id -> function
    reports_to: list[tuple[str, str]]  # (contact id, manager id)
    knows: list[tuple[str, str, float, str | None]]  # (person key, person key, strength, origin)
    team: dict[str, str]  # user id -> role on the account team (owners: "owner")
    opportunities: list[dict[str, Any]]
    # Every period one of our users owned the account, oldest first (until None: now).
    owners: list[Ownership] = field(default_factory=list)
    # id -> name of the other companies the account's people work at now
    company_names: dict[str, str] = field(default_factory=dict)

    def company_name(self, company_id: str | None) -> str | None:
        """Another company's name where the account knows it, else its id."""
        if company_id is None:
            return None
        return self.company_names.get(company_id, company_id)


def _date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _entered(row: dict[str, Any]) -> EnteredRole | None:
    roles = tuple(str(r) for r in row.get("buying_roles") or [] if r)
    if not roles:
        return None
    return EnteredRole(roles, row.get("role_entered_by"), as_datetime(row.get("role_entered_at")),
                       row.get("role_source"))


def _deal_roles(contacts: dict[str, Person], opportunities: list[dict[str, Any]],
                roles: list[dict[str, Any]]) -> None:
    """Each contact's roles on the account's deals; a role makes them part of the deal."""
    by_id = {str(o.get("id")): o for o in opportunities}
    for r in sorted(roles, key=lambda r: str(r["id"])):
        p, o = contacts.get(str(r["contact_id"])), by_id.get(str(r["opportunity_id"]))
        if p is None or o is None:
            continue
        p.deal_roles.append(DealRoleFact(
            str(o["id"]), str(o.get("name") or o["id"]), r.get("role") or None,
            bool(r.get("is_primary")), str(o.get("stage") or "")))
        if not any(x is o for x in p.opportunities):
            p.opportunities.append(o)


def _person(row: dict[str, Any], departments: dict[str, str], outside: bool) -> Person:
    dep_id = row.get("department_id")
    return Person(
        id=str(row["id"]),
        name=str(row.get("name") or row["id"]),
        title=row.get("title"),
        seniority=row.get("seniority"),
        department=departments.get(dep_id) if dep_id else None,
        sources=[str(s) for s in row.get("sources") or []],
        outside=outside,
        left=False,
        left_on=None,
        company_id=row.get("company_id"),
        entered=_entered(row),
    )


def _job(company_id: str, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "company_id": company_id,
        "title": props.get("title"),
        "start_date": _date(props.get("start_date")),
        "end_date": _date(props.get("end_date")),
    }


def _finish(
    company_id: str,
    company: dict[str, Any],
    when: datetime,
    contacts: dict[str, Person],
    status: dict[str, str],
    employed_here: dict[str, dict[str, Any]],
    users: dict[str, dict[str, Any]],
    table: pa.Table,
    **rest: Any,
) -> AccountFacts:
    """What both readers share: who has left, the touch columns, per-contact sums."""
    today = when.date()
    for cid, p in contacts.items():
        here = employed_here.get(cid)
        end = here["end_date"] if here else None
        if end is not None:
            p.left, p.left_on = end <= today, end
        elif status.get(cid, "active") == "left" or (
            here is not None and p.company_id not in (None, company_id)
        ):
            p.left = True
    ids = list(contacts)
    touches = Touches(table, when, ids, list(users))
    n, k = len(ids), len(touches.kinds)
    if n and len(touches.c_person):
        person, tp = touches.c_person, touches.c_touch
        count = np.bincount(person, minlength=n)
        last = np.full(n, -1, np.int64)
        np.maximum.at(last, person, tp)
        cell = person * k + touches.kind[tp]
        by_kind = np.bincount(cell, minlength=n * k)
        last_kind = np.full(n * k, -1, np.int64)
        np.maximum.at(last_kind, cell, tp)
        at = touches.at_us
        for i, p in enumerate(contacts.values()):
            p.row = i
            p.touch_count = int(count[i])
            if last[i] >= 0:
                p.last_touch = from_us(at[last[i]])
        # Each contact's kinds in one dict build: ten thousand (contact, kind) cells
        # on a busy account, and a dict assignment each cost more than the sums.
        cells = np.flatnonzero(by_kind)
        owner = cells // k
        kinds = [touches.kinds[c] for c in (cells % k).tolist()]
        seen = list(zip(by_kind[cells].tolist(), touches.days(last_kind[cells]), strict=True))
        people = list(contacts.values())
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        ends = [*starts[1:].tolist(), len(cells)]
        for lo, hi, c in zip(starts.tolist(), ends, owner[starts].tolist(), strict=True):
            people[c].kinds = dict(zip(kinds[lo:hi], seen[lo:hi], strict=True))
    else:
        for i, p in enumerate(contacts.values()):
            p.row = i
    return AccountFacts(
        company_id=company_id, company=company, as_of=when, contacts=contacts, users=users,
        touches=touches, **rest,
    )


def facts_from_data(data: AccountData, as_of: date | datetime | str | None = None) -> AccountFacts:
    """Read an account's data (``Store.account_data``) into :class:`AccountFacts`.

    The same facts :func:`account_facts` reads from the account graph built from
    ``data``, without building it: the graph of a busy account costs several times
    more than every reading together.
    """
    when = resolve_as_of(as_of)
    company_id = data.company_id
    departments = {
        str(d["id"]): str(d.get("function") or d.get("name") or "Other") for d in data.departments
    }
    contacts: dict[str, Person] = {}
    status: dict[str, str] = {}
    employed_here: dict[str, dict[str, Any]] = {}
    for r in data.employees:
        p = contacts[r["id"]] = _person(r, departments, outside=False)
        status[p.id] = str(r.get("status") or "active")
        job = _job(company_id, {"title": r["emp_title"], "start_date": r["emp_start"],
                                "end_date": r["emp_end"]})
        p.employers.append(job)
        employed_here[p.id] = job
    for r in data.outside.get("contact", []):
        if r["id"] not in contacts:
            contacts[r["id"]] = _person(r, departments, outside=True)
            status[r["id"]] = str(r.get("status") or "active")
    users: dict[str, dict[str, Any]] = {}
    for r in data.team + data.owners + data.outside.get("user", []):
        users.setdefault(r["id"], {k: v for k, v in r.items()
                                   if k not in ("team_role", "owns_since", "owns_until")})
    team: dict[str, str] = {}
    for r in data.team:
        team[r["id"]] = str(r.get("team_role") or "account_manager")
    owners: list[Ownership] = []
    for r in data.owners:
        until = as_datetime(r.get("owns_until"))
        owners.append(Ownership(str(r["id"]), as_datetime(r.get("owns_since")), until))
        if until is None or until > when:
            team[r["id"]] = "owner"
    opportunities = [dict(o, kind="opportunity", outside=False) for o in data.opportunities]
    for o in opportunities:
        for c in o.get("contact_ids") or []:
            if c in contacts:
                contacts[c].opportunities.append(o)
    _deal_roles(contacts, opportunities, data.deal_roles)
    reports_to: list[tuple[str, str]] = []
    knows: list[tuple[str, str, float, str | None]] = []
    for rel, s, t, row in data.links:
        if rel == "REPORTS_TO" and row["source"] in contacts and row["target"] in contacts:
            reports_to.append((row["source"], row["target"]))
        elif rel == "KNOWS":
            knows.append((key(s, row["source"]), key(t, row["target"]),
                          knows_strength(row.get("strength")), row.get("origin")))
    return _finish(
        company_id, {"kind": "company", "outside": False, **data.company}, when, contacts,
        status, employed_here, users, data.touchpoints,
        departments=departments, reports_to=reports_to, knows=knows, team=team,
        opportunities=opportunities, owners=_ownerships(owners),
        company_names=dict(data.company_names),
    )


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
    status: dict[str, str] = {}
    users: dict[str, dict[str, Any]] = {}
    # Touchpoints as columns, straight into Arrow (a row dict each costs far more).
    tp_cols: dict[str, list[Any]] = {name: [] for name in _TOUCH_COLUMNS}
    opportunities: list[dict[str, Any]] = []
    deal_roles: list[dict[str, Any]] = []
    for n, d in G.nodes(data=True):
        kind = d.get("kind")
        if kind == "contact":
            p = contacts[d["id"]] = _person(d, departments, outside=bool(d.get("outside", False)))
            status[p.id] = str(d.get("status") or "active")
        elif kind == "user":
            users[split_key(n)[1]] = dict(d)
        elif kind == "opportunity":
            opportunities.append(dict(d))
        elif kind == "deal_role":
            deal_roles.append(d)
        elif kind == "touchpoint":
            participants = (d.get("contact_ids"), d.get("user_ids"))
            if participants == (None, None):
                # No participant lists on the node: read the PARTICIPATED_IN edges.
                participants = ([], [])
                for u in G.predecessors(n):
                    ukind, uid = split_key(u)
                    if ukind in ("contact", "user"):
                        participants[ukind == "user"].append(uid)
            tp_cols["id"].append(n.partition(":")[2])
            tp_cols["type"].append(touchpoint_kind(d))
            tp_cols["at"].append(as_datetime(d.get("at")))
            tp_cols["direction"].append(d.get("direction"))
            tp_cols["outcome"].append(str(d["outcome"]) if d.get("outcome") else None)
            tp_cols["campaign"].append(d.get("campaign"))
            tp_cols["subject"].append(d.get("subject"))
            tp_cols["contact_ids"].append(participants[0])
            tp_cols["user_ids"].append(participants[1])
            tp_cols["origin"].append(d.get("origin"))
    opp_by_id = {str(o.get("id")): o for o in opportunities}
    reports_to: list[tuple[str, str]] = []
    knows: list[tuple[str, str, float, str | None]] = []
    team: dict[str, str] = {}
    owners: list[Ownership] = []
    employed_here: dict[str, dict[str, Any]] = {}
    # Every relationship the readings use starts at a contact or a user.
    people = [f"contact:{c}" for c in contacts] + [f"user:{u}" for u in users]
    for u in people:
        ukind, uid = split_key(u)
        # The raw adjacency dict, not the G.succ view: it saves a wrapper per neighbour.
        for v, rels in G._succ[u].items():
            if v.startswith("touchpoint:"):
                continue
            vkind, vid = split_key(v)
            for edge_key, d in rels.items():
                # Ownership is history: a second period is keyed "OWNS#2".
                rel = d.get("kind") or edge_key
                if rel == "WORKS_IN" and uid in contacts and vid in departments:
                    contacts[uid].department = departments[vid]
                elif rel == "REPORTS_TO":
                    reports_to.append((uid, vid))
                elif rel == "KNOWS":
                    knows.append((u, v, knows_strength(d.get("strength")), d.get("origin")))
                elif rel == "EMPLOYED_AT" and uid in contacts:
                    job = _job(vid, d)
                    contacts[uid].employers.append(job)
                    if vid == company_id:
                        employed_here[uid] = job
                elif rel == "INVOLVED_IN" and uid in contacts and vid in opp_by_id:
                    contacts[uid].opportunities.append(opp_by_id[vid])
                elif rel in ("ON_TEAM", "OWNS") and vkind == "company":
                    until = as_datetime(d.get("until"))
                    if rel == "OWNS" and vid == company_id:
                        owners.append(Ownership(uid, as_datetime(d.get("since")), until))
                    if rel == "OWNS" and until is not None and until <= when:
                        continue
                    role = "owner" if rel == "OWNS" else d.get("role")
                    team[uid] = str(role or "account_manager")
    _deal_roles(contacts, opportunities, deal_roles)
    return _finish(
        company_id, company, when, contacts, status, employed_here, users,
        pa.table({
            name: pa.array(values, type=pa.timestamp("us", tz="UTC") if name == "at" else
                           pa.list_(pa.string()) if name.endswith("_ids") else pa.string())
            for name, values in tp_cols.items()
        }),
        departments=departments, reports_to=reports_to, knows=knows, team=team,
        opportunities=opportunities, owners=_ownerships(owners),
        company_names=dict(G.graph.get("company_names") or {}),
    )


#: What a reading can read an account from.
AccountSource: TypeAlias = "nx.MultiDiGraph | AccountData | AccountFacts"


def read_facts(
    source: AccountSource,
    as_of: date | datetime | str | None = None,
) -> AccountFacts:
    """Facts from whatever the caller holds: an account graph, its data, or the facts."""
    if isinstance(source, AccountFacts):
        return source
    if isinstance(source, AccountData):
        return facts_from_data(source, as_of)
    return account_facts(source, as_of)


def facts_of(
    G: AccountSource, as_of: date | datetime | str | None, facts: AccountFacts | None
) -> AccountFacts:
    """The facts handed in, or read from ``G``."""
    return facts if facts is not None else read_facts(G, as_of)
