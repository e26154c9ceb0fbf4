"""The onboarding brief: what a rep who has just inherited an account reads first.

:func:`build_brief` gathers, from an account graph and its readings, the status and
why, the risks beyond it, the key people by role (with how strong our relationship is,
the evidence behind it, and who on our side knows them), the key people who left and
where they went, who owned the account before and what they knew (the handover), the
whitespace, recent and upcoming touchpoints, open and recent opportunities, the
personal notes the viewer may see, and three to five next steps
(:mod:`visualizer.next_steps`), each naming the reading it answers and why that
person. :mod:`visualizer.brief_render` writes it as Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import networkx as nx

from graph.neighbourhood import nodes_of
from graph.privacy import subject_is_personal
from graph.readings.handover import Handover
from visualizer.brief_types import (
    Brief,
    Deal,
    Departed,
    Handed,
    Known,
    Note,
    Person,
    Step,
    Touch,
)
from visualizer.inputs import (
    CATEGORIES,
    AccountReadings,
    Item,
    Viewer,
    category_label,
    personal_reads,
    profile_items,
)
from visualizer.next_steps import RECENT_DAYS, next_steps, risks_beyond_status

__all__ = ["Brief", "Departed", "Handed", "Person", "Step", "Touch", "build_brief",
           "next_steps"]

PER_ROLE = 3  # key people shown per category
# The roles whose departure is a risk here and an opening where they went.
DEPARTED_ROLES = ("champion", "decision_maker")


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


def _team(G: nx.MultiDiGraph, company: str,
          as_of: datetime) -> tuple[str | None, list[tuple[str, str]]]:
    """The current owner, and the team with the owner once and first."""
    if company not in G:
        return None, []
    owner, roles = None, {}
    for u, _, data in G.in_edges(company, data=True):
        kind = data.get("kind")
        if kind == "OWNS":
            until = _aware(data.get("until"))
            if until is None or until > as_of:
                owner = u
        elif kind == "ON_TEAM":
            roles[u] = str(data.get("role") or "member").replace("_", " ")
    if owner is not None:
        roles[owner] = "owner"
    team = sorted(((_name(G, u), r) for u, r in roles.items()),
                  key=lambda nr: (nr[1] != "owner", nr))
    return (_name(G, owner) if owner else None), team


def _ended_here(G: nx.MultiDiGraph, company: str, as_of: datetime) -> set[str]:
    """The contacts whose employment at this company ended on or before ``as_of``."""
    if company not in G:
        return set()
    out = set()
    for u, _, data in G.in_edges(company, data=True):
        if data.get("kind") == "EMPLOYED_AT":
            end = _aware(data.get("end_date"))
            if end is not None and end <= as_of:
                out.add(u)
    return out


def _people(G: nx.MultiDiGraph, readings: AccountReadings, as_of: datetime) -> dict[str, Person]:
    # A department by its function, as the readings name it ("Legal"), never its id.
    dept = {u: str(getattr(f, "value", f)) if (f := G.nodes[v].get("function"))
            else _department(G, v)
            for u, v, k in G.edges(keys=True) if k == "WORKS_IN"}
    spof = {k.contact: k for k in readings.key_people}
    # A champion who moved on is active at the new company: what counts here is that
    # their employment here ended.
    gone = {f"contact:{j.contact_id}" for j in readings.departures}
    gone |= _ended_here(G, f"company:{G.graph.get('company_id')}", as_of)
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
            left=c in gone or attrs.get("status") == "left",
            single_point_of_failure=bool(kp and kp.single_point_of_failure),
            why_key=kp.why if kp else "",
            secondary=r.secondary,
            touchpoints=r.touchpoints,
            last_touch=r.last_touch,
            cut_departments=kp.cut_departments if kp else (),
            cut_people=kp.cut_people if kp else (),
        )
    return out


def _touch(G: nx.MultiDiGraph, kind: Any, at: datetime, subject: str | None,
           contacts: Iterable[str], users: Iterable[str], outcome: str | None,
           subject_of: tuple[str, ...] = ()) -> Touch:
    return Touch(at, str(kind or "touchpoint").replace("_", " "), subject,
                 sorted(_name(G, c) for c in contacts), sorted(_name(G, u) for u in users),
                 outcome, subject_of)


def _touches(
    G: nx.MultiDiGraph, since: datetime, sees: Callable[[str | None], bool]
) -> list[Touch]:
    """Touchpoints at or after ``since``, newest first, with who took part.

    Only these get their participants looked up: a large account has tens of
    thousands of touchpoints and the brief shows twenty. A captured subject
    (personal data) is kept only where ``sees`` (the viewer's rule, by account) allows.
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
            (users if G.nodes[u].get("kind") == "user" else contacts).append(u)
        subject = attrs.get("subject")
        personal: tuple[str, ...] = ()
        if subject_is_personal(attrs):
            shown = sees(attrs.get("company_id"))
            subject = subject if shown else None
            personal = tuple(attrs.get("contact_ids") or ()) if shown else ()
        kind = attrs.get("touchpoint_kind") or attrs.get("type")
        out.append(_touch(G, kind, at, subject, contacts, users, attrs.get("outcome"),
                          personal))
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


def _departed(readings: AccountReadings, people: dict[str, Person]) -> list[Departed]:
    """Champions and decision makers who left, the latest first, with where they went.

    The job changes reading says when and where; someone marked left that it does not
    list (readings made by hand) still counts, with no date or place.
    """
    out = []
    listed = set()
    for j in readings.departures:
        p = people.get(f"contact:{j.contact_id}")
        role = next((r for r in DEPARTED_ROLES if r in j.categories), None)
        listed.add(f"contact:{j.contact_id}")
        if p is None or role is None:
            continue
        out.append(Departed(p, category_label(role), role, j.on, j.other_company,
                            j.other_company_id, j.opening))
    for p in people.values():
        role = next((r for r in DEPARTED_ROLES if p.category == r), None)
        if p.left and role and p.key not in listed:
            out.append(Departed(p, category_label(role), role, None, None, None, False))
    return sorted(out, key=lambda d: (d.left_on is None, -(d.left_on or date.min).toordinal(),
                                      d.person.name))


def _note(G: nx.MultiDiGraph, c: str, i: Item) -> Note:
    by = f"user:{i.entered_by}" if i.entered_by else None
    at = _aware(i.entered_at)
    return Note(_name(G, c), i.key.replace("_", " "), str(i.value), _name(G, by) if by else None,
                at.date() if at else None)


def _handed(G: nx.MultiDiGraph, h: Handover, items: dict[str, list[Item]],
            people: dict[str, Person]) -> Handed:
    """A handover reading as the brief shows it: names, and the notes the viewer may read."""
    theirs = [(c, i) for c, its in items.items() for i in its if i.entered_by == h.user_id]
    theirs.sort(key=lambda ci: (_name(G, ci[0]), ci[1].key))
    known = []
    for k in h.knew_best:
        p = people.get(f"contact:{k.contact_id}")
        known.append(Known(k.name, p.where if p else "", k.strength, k.touchpoints,
                           k.last_touch.date() if k.last_touch else None, k.knows, k.current,
                           f"contact:{k.contact_id}"))
    return Handed(
        name=h.name, active=h.active, since=h.since.date() if h.since else None,
        until=h.until.date(), successor=h.successor, touchpoints=h.touchpoints,
        last_touch=h.last_touch.date() if h.last_touch else None,
        kinds=[(k.replace("_", " "), n) for k, n in h.kinds.items()],
        recent=[_touch(G, t.kind, t.at, t.subject, (f"contact:{c}" for c in t.contacts),
                       (f"user:{u}" for u in t.users), t.outcome) for t in h.recent],
        knew_best=known,
        notes=[_note(G, c, i) for c, i in theirs if not i.redacted],
        hidden_notes=sum(1 for _, i in theirs if i.redacted),
    )


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
        Personal notes (the handover's too) are included only where ``viewer.rule``
        lets the viewer see that contact's personal data; the others are counted,
        never shown.
    as_of
        "Now" for recent and upcoming touchpoints and the current owner; default: now
        (the readings have their own as_of, and judge quiet champions with the rules
        file's days).

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
    owner, team = _team(G, company, as_of)
    people = _people(G, readings, as_of)

    by_role: dict[str, list[Person]] = {}
    for cat in (*CATEGORIES, "unclassified"):
        if cat == "unengaged":
            continue
        members = sorted(
            (p for p in people.values() if p.category == cat and not p.left),
            key=lambda p: (-p.strength, -p.touchpoints, p.name),
        )[:PER_ROLE]
        if members:
            by_role[category_label(cat)] = members

    touches = _touches(G, as_of - timedelta(days=RECENT_DAYS), viewer.rule.sees_account)
    recent = [t for t in touches if t.at <= as_of][:10]
    upcoming = sorted((t for t in touches if t.at > as_of), key=lambda t: t.at)[:10]

    items = profile_items(G, viewer)
    inside_items = {c: i for c, i in items.items() if c in people}
    handed = [_handed(G, h, inside_items, people) for h in readings.handovers]
    # A previous owner's notes are shown with what they knew, not twice.
    previous = {h.user_id for h in readings.handovers}
    others = {c: [i for i in its if i.entered_by not in previous or i.entered_by is None]
              for c, its in inside_items.items()}
    notes = [
        _note(G, c, i)
        for c, its in sorted(others.items(), key=lambda kv: _name(G, kv[0]))
        for i in its
        if i.value is not None
    ]
    hidden = sum(1 for its in others.values() for i in its if i.redacted)

    deals = _deals(G, as_of)
    departed = _departed(readings, people)
    risks = risks_beyond_status(readings, people, departed)
    steps = next_steps(readings, people, recent, upcoming, deals, owner,
                       departed=departed, handovers=handed)
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
        personal_reads=personal_reads(inside_items) + sorted(
            {(c, "subject") for t in [*recent, *upcoming] for c in t.subject_of}),
        departed=departed,
        handovers=handed,
    )
