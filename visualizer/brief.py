"""The onboarding brief: what a rep who has just inherited an account reads first.

:func:`build_brief` gathers, from an account graph and its readings, the status and
why, the key people by role (with how strong our relationship is and who on our side
knows them), the whitespace, recent and upcoming touchpoints, open and recent
opportunities, the personal notes the viewer may see, the risks, and three to five
next steps that follow from all of that. :mod:`visualizer.brief_render` writes it as
Markdown or HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import networkx as nx

from graph.neighbourhood import nodes_of
from visualizer.inputs import (
    CATEGORIES,
    AccountReadings,
    Viewer,
    category_label,
    personal_reads,
    profile_items,
)

PER_ROLE = 3  # key people shown per category
RECENT_DAYS = 90  # how far back "recent touchpoints" reach (a window shown, not a judgement)
# The roles that decide whether we keep an account, in the order a rep should care.
KEY_ROLES = ("decision_maker", "champion", "purchaser", "finance", "technical_evaluator")


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    title: str | None
    department: str | None
    category: str
    strength: float
    known_by: list[tuple[str, float]]  # our users' names and pair strengths, strongest first
    left: bool = False
    single_point_of_failure: bool = False
    why_key: str = ""


@dataclass(frozen=True)
class Touch:
    at: datetime
    kind: str
    subject: str | None
    contacts: list[str]
    users: list[str]
    outcome: str | None


@dataclass(frozen=True)
class Deal:
    name: str
    stage: str
    amount: float
    close_date: date | None
    contacts: list[str]


@dataclass(frozen=True)
class Note:
    contact: str
    key: str
    value: str


@dataclass
class Brief:
    company_id: str
    name: str
    facts: dict[str, str]  # industry, region, lifecycle... as shown
    owner: str | None
    team: list[tuple[str, str]]  # (name, role)
    status: str
    status_reasons: list[str]
    breadth: dict[str, Any]
    people_by_role: dict[str, list[Person]]  # category label -> people
    whitespace: list[str]
    recent: list[Touch]
    upcoming: list[Touch]
    deals: list[Deal]
    notes: list[Note]
    hidden_notes: int  # personal notes the viewer may not see
    risks: list[str]
    next_steps: list[str]
    as_of: datetime
    contacts: int
    personal_reads: list[tuple[str, str]] = field(default_factory=list)


def _name(G: nx.MultiDiGraph, node: str) -> str:
    return str(G.nodes[node].get("name") or node.partition(":")[2]) if node in G else node


def _department(G: nx.MultiDiGraph, node: str) -> str:
    """A department as people name it: its name, else its function; never its id
    (an imported one's is ``salesforce-.../procurement``)."""
    attrs = G.nodes[node] if node in G else {}
    function = attrs.get("function")
    return str(attrs.get("name") or getattr(function, "value", function) or "another department")


def _aware(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            return _aware(datetime.fromisoformat(value))
        except ValueError:
            return None
    return None


def _team(G: nx.MultiDiGraph, company: str) -> tuple[str | None, list[tuple[str, str]]]:
    owner, team = None, []
    if company not in G:
        return None, []
    for u, _, k, data in G.in_edges(company, keys=True, data=True):
        if k == "OWNS" and data.get("until") is None:
            owner = _name(G, u)
        elif k == "ON_TEAM":
            team.append((_name(G, u), str(data.get("role") or "member").replace("_", " ")))
    return owner, sorted(team)


def _people(G: nx.MultiDiGraph, readings: AccountReadings) -> dict[str, Person]:
    dept = {u: _department(G, v) for u, v, k in G.edges(keys=True) if k == "WORKS_IN"}
    spof = {k.contact: k for k in readings.key_people}
    out = {}
    for c in nodes_of(G, "contact"):
        attrs = G.nodes[c]
        if attrs.get("outside"):
            continue
        r = readings.contact(c)
        kp = spof.get(c)
        out[c] = Person(
            key=c,
            name=_name(G, c),
            title=attrs.get("title"),
            department=dept.get(c),
            category=r.category,
            strength=r.strength,
            known_by=[
                (_name(G, u), s) for u, s in sorted(r.known_by.items(), key=lambda kv: -kv[1])
            ],
            left=attrs.get("status") == "left",
            single_point_of_failure=bool(kp and kp.single_point_of_failure),
            why_key=kp.why if kp else "",
        )
    return out


def _touches(G: nx.MultiDiGraph, since: datetime) -> list[Touch]:
    """Touchpoints at or after ``since``, newest first, with who took part.

    Only these get their participants looked up: a large account has tens of
    thousands of touchpoints and the brief shows twenty.
    """
    out = []
    for t in nodes_of(G, "touchpoint"):
        attrs = G.nodes[t]
        at = _aware(attrs.get("at"))
        if at is None or at < since:
            continue
        contacts: list[str] = []
        users: list[str] = []
        for u in G.predecessors(t):
            (users if G.nodes[u].get("kind") == "user" else contacts).append(_name(G, u))
        kind = attrs.get("touchpoint_kind") or attrs.get("type") or "touchpoint"
        out.append(
            Touch(
                at,
                str(kind).replace("_", " "),
                attrs.get("subject"),
                sorted(contacts),
                sorted(users),
                attrs.get("outcome"),
            )
        )
    return sorted(out, key=lambda t: t.at, reverse=True)


def _deals(G: nx.MultiDiGraph, as_of: datetime) -> list[Deal]:
    involved: dict[str, list[str]] = {}
    for u, v, k in G.edges(keys=True):
        if k == "INVOLVED_IN":
            involved.setdefault(v, []).append(_name(G, u))
    out = []
    for o in nodes_of(G, "opportunity"):
        attrs = G.nodes[o]
        stage = str(attrs.get("stage") or "prospecting")
        close = attrs.get("close_date")
        closed = stage.startswith("closed")
        close_at = _aware(close)
        # Open deals, and deals closed in the last year: what a new rep gets asked about.
        if closed and (close_at is None or close_at < as_of - timedelta(days=365)):
            continue
        out.append(
            Deal(
                str(attrs.get("name") or o.partition(":")[2]),
                stage.replace("_", " "),
                float(attrs.get("amount") or 0.0),
                close if isinstance(close, date) else None,
                sorted(involved.get(o, [])),
            )
        )
    return sorted(out, key=lambda d: (d.stage.startswith("closed"), -d.amount))


def build_brief(
    G: nx.MultiDiGraph, readings: AccountReadings, viewer: Viewer, *, as_of: datetime | None = None
) -> Brief:
    """The onboarding brief of one account, for one viewer.

    Parameters
    ----------
    G
        The account graph (``Store.account_graph``).
    readings
        The account's readings (:func:`visualizer.inputs.readings_for`).
    viewer
        Personal notes are included only where ``viewer.rule`` lets the viewer see
        that contact's personal data; the others are counted, never shown.
    as_of
        "Now" for recent and upcoming touchpoints; default: now (the readings have
        their own as_of, and judge quiet champions with the rules file's days).

    Returns
    -------
    Brief
        ``personal_reads`` lists the (contact id, item key) personal values it holds,
        for the caller's audit.
    """
    as_of = as_of or datetime.now(UTC)
    company_id = str(G.graph.get("company_id"))
    company = f"company:{company_id}"
    attrs = G.nodes[company] if company in G else {}
    owner, team = _team(G, company)
    people = _people(G, readings)

    by_role: dict[str, list[Person]] = {}
    for cat in (*CATEGORIES, "unclassified"):
        if cat == "unengaged":
            continue
        members = sorted(
            (p for p in people.values() if p.category == cat and not p.left),
            key=lambda p: -p.strength,
        )[:PER_ROLE]
        if members:
            by_role[category_label(cat)] = members

    touches = _touches(G, as_of - timedelta(days=RECENT_DAYS))
    recent = [t for t in touches if t.at <= as_of][:10]
    upcoming = sorted((t for t in touches if t.at > as_of), key=lambda t: t.at)[:10]

    items = profile_items(G, viewer)
    inside_items = {c: i for c, i in items.items() if c in people}
    notes = [
        Note(_name(G, c), i.key, i.value)
        for c, its in sorted(inside_items.items(), key=lambda kv: _name(G, kv[0]))
        for i in its
        if i.value is not None
    ]
    hidden = sum(1 for its in inside_items.values() for i in its if i.redacted)

    deals = _deals(G, as_of)
    risks = _risks(readings, people)
    steps = next_steps(readings, people, recent, upcoming, deals, owner)
    facts = {
        label: str(attrs[k]).replace("_", " ")
        for k, label in (("industry", "Industry"), ("region", "Region"), ("size_band", "Size"),
                         ("revenue_band", "Revenue"), ("lifecycle", "Lifecycle"),
                         ("domain", "Web"))
        if attrs.get(k)
    }  # fmt: skip
    return Brief(
        company_id=company_id,
        name=str(attrs.get("name") or company_id),
        facts=facts,
        owner=owner,
        team=team,
        status=readings.status,
        status_reasons=list(readings.status_reasons),
        breadth=dict(readings.breadth),
        people_by_role=by_role,
        whitespace=list(readings.whitespace),
        recent=recent,
        upcoming=upcoming,
        deals=deals,
        notes=notes,
        hidden_notes=hidden,
        risks=risks,
        next_steps=steps,
        as_of=as_of,
        contacts=len(people),
        personal_reads=personal_reads(inside_items),
    )


def _risks(readings: AccountReadings, people: dict[str, Person]) -> list[str]:
    """The status reading's risks (its thresholds are the rules file's), then the people's.

    A quiet champion is the status reading's call: it knows the rules' quiet days and
    that one quiet champion among active ones is not a risk.
    """
    notes = set(readings.status_notes)
    risks: list[str] = []
    if readings.status in ("at_risk", "dormant", "no_relationship", "churned"):
        risks.extend(r for r in readings.status_reasons if r not in notes)
    risks.extend(readings.risks)
    said = " ".join(risks)
    for p in people.values():
        if p.single_point_of_failure and not p.left:
            risks.append(
                f"{p.name} is a single point of failure" + (f": {p.why_key}" if p.why_key else "")
            )
        # The status reasons may already say it (in their own words): say it once.
        if p.name in said:
            continue
        if p.left and p.category in ("champion", "decision_maker"):
            risks.append(f"{category_label(p.category)} {p.name} has left the company")
    # The same fact can arrive from the status reasons and from our own checks.
    return list(dict.fromkeys(risks))


def next_steps(
    readings: AccountReadings,
    people: dict[str, Person],
    recent: list[Touch],
    upcoming: list[Touch],
    deals: list[Deal],
    owner: str | None = None,
) -> list[str]:
    """Three to five concrete actions, each following from one reading."""
    steps: list[str] = []
    active = sorted((p for p in people.values() if not p.left), key=lambda p: -p.strength)

    def intro(p: Person) -> str:
        return f" (ask {p.known_by[0][0]} to introduce you)" if p.known_by else ""

    if upcoming:
        t = upcoming[0]
        who = ", ".join(t.contacts) or "the account"
        steps.append(f"Prepare for the {t.kind} on {t.at.date().isoformat()} with {who}.")
    deciders = [p for p in active if p.category == "decision_maker"]
    if not deciders:
        base = active[0] if active else None
        steps.append(
            "Find the decision maker: nobody engaged decides here"
            + (f"; start with {base.name}, our strongest relationship." if base else ".")
        )
    elif deciders[0].strength < 0.4:
        dm = deciders[0]
        steps.append(f"Meet {dm.name}, the decision maker (strength {dm.strength:.2f}){intro(dm)}.")
    for p in people.values():
        if p.left and p.category == "champion":
            heir = next((q for q in active if q.department == p.department), None)
            steps.append(
                f"Replace champion {p.name}, who has left"
                + (f": {heir.name} in {heir.department} is next strongest." if heir else ".")
            )
            break
    spof = [p for p in active if p.single_point_of_failure]
    if spof:
        others = [p.name for p in active if p is not spof[0]][:2]
        steps.append(
            f"Widen beyond {spof[0].name}: build a second relationship"
            + (f" with {' or '.join(others)}." if others else ".")
        )
    open_deals = [d for d in deals if not d.stage.startswith("closed")]
    if open_deals:
        d = open_deals[0]
        steps.append(
            f"Move {d.name} ({d.stage}, {d.amount:,.0f}) forward"
            + (f" with {', '.join(d.contacts[:3])}." if d.contacts else ".")
        )
    if readings.whitespace:
        steps.append(f"Open whitespace: {readings.whitespace[0]}.")
    if not recent and active:
        steps.append(
            f"Re-engage: no touchpoint in {RECENT_DAYS} days; start with {active[0].name}."
        )
    for p in active[:3]:
        if len(steps) >= 3:
            break
        steps.append(f"Introduce yourself to {p.name} ({category_label(p.category)}){intro(p)}.")
    if len(steps) < 3:
        steps.append(
            f"Ask {owner or 'the previous owner'} for a handover call: who matters here and why."
        )
    if len(steps) < 3:
        steps.append("Add the people you know at this account: the map is nearly empty.")
    return list(dict.fromkeys(steps))[:5]
