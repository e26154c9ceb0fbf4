"""The onboarding brief as Markdown (the CLI) and as an HTML page with the map in it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from visualizer.brief import Brief, Person, Touch
from visualizer.brief_types import Departed, Handed, Known, Note, Step
from visualizer.map import MapData
from visualizer.next_steps import evidence
from visualizer.render import render


def status_label(status: str) -> str:
    return status.replace("_", " ")


def _md(text: object) -> str:
    """Text from the data, safe in Markdown: no stray emphasis, links or tables."""
    out = str(text)
    for ch in "\\`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return out


def _known(p: Person) -> str:
    if not p.known_by:
        return "nobody on our side"
    return ", ".join(f"{name} ({s:.2f})" for name, s in p.known_by)


def _touch(t: Touch) -> str:
    who = ", ".join(t.contacts) or "no contact recorded"
    ours = f" with {', '.join(t.users)}" if t.users else ""
    about = f": {t.subject}" if t.subject else ""
    outcome = f" ({t.outcome.replace('_', ' ')})" if t.outcome else ""
    return f"{t.at.date().isoformat()} {t.kind}{about}, {who}{ours}{outcome}"


def _spof(p: Person) -> str:
    if p.cut_departments:
        return "only warm route into " + ", ".join(p.cut_departments)
    return p.why_key


def _departed(d: Departed) -> str:
    p = d.person
    when = f" on {d.left_on.isoformat()}" if d.left_on else ""
    where = f", now at {d.now_at}" + (": an opening there" if d.opening else "") \
        if d.now_at else ""
    return f"{d.role} {p.name}" + (f" ({p.where})" if p.where else "") + f" left{when}{where}"


def _period(h: Handed) -> str:
    since = f"from {h.since.isoformat()} " if h.since else ""
    then = f"; then {h.successor}" if h.successor else ""
    status = "still with us" if h.active else "has since left us"
    return f"{h.name} ({status}) owned the account {since}until {h.until.isoformat()}{then}"


def _their_touches(h: Handed) -> str:
    if not h.touchpoints:
        return "no touchpoint on record here"
    kinds = ", ".join(f"{n} {k}" for k, n in h.kinds[:5])
    last = f", the last on {h.last_touch.isoformat()}" if h.last_touch else ""
    return f"{h.touchpoints} touchpoint{'' if h.touchpoints == 1 else 's'} here{last}: {kinds}"


def _knew(k: Known) -> str:
    bits = []
    if k.touchpoints:
        last = f", the last on {k.last_touch.isoformat()}" if k.last_touch else ""
        bits.append(f"strength {k.strength:.2f} at the handover from {k.touchpoints} "
                    f"touchpoint{'' if k.touchpoints == 1 else 's'}{last}")
    if k.knows is not None:
        bits.append(f"knows them ({k.knows:.2f})")
    if not k.current:
        bits.append("has left the account")
    return f"{k.name}" + (f" ({k.where})" if k.where else "") + ": " + "; ".join(bits)


def _note(n: Note) -> str:
    by = f" (by {n.by}" + (f", {n.at.isoformat()}" if n.at else "") + ")" if n.by else ""
    return f"{n.contact}: {n.key}: {n.value}{by}"


def _hidden(n: int) -> str:
    return (f"{n} personal note{'' if n == 1 else 's'} hidden: only the account team may "
            "read them.")


def to_markdown(b: Brief) -> str:
    """The brief as Markdown, for the terminal or a wiki page."""
    lines = [f"# {_md(b.name)}: onboarding brief", ""]
    meta = [f"Status: **{_md(status_label(b.status))}**"]
    if b.owner:
        meta.append(f"owner {_md(b.owner)}")
    meta.append(f"{b.contacts} contacts")
    meta.append(f"as of {b.as_of.date().isoformat()}")
    lines += [" · ".join(meta), ""]
    if b.facts:
        lines += [" · ".join(f"{k}: {_md(v)}" for k, v in b.facts.items()), ""]

    def section(title: str, items: Iterable[str], empty: str, level: str = "##") -> None:
        items = list(items)
        lines.extend([f"{level} {title}", ""])
        lines.extend(f"- {i}" for i in items) if items else lines.append(f"_{empty}_")
        lines.append("")

    section("Why this status", map(_md, b.status_reasons), "No reasons given.")
    section("Risks", map(_md, b.risks),
            "Nothing beyond the reasons above." if b.status_reasons else "No risks found.")
    lines += ["## Suggested next steps", ""]
    lines += [f"{i}. {_step_md(s)}" for i, s in enumerate(b.next_steps, 1)] or \
        ["_Nothing to suggest._"]
    lines.append("")
    lines += ["## Key people by role", ""]
    if not b.people_by_role:
        lines += ["_Nobody engaged yet._", ""]
    for role, people in b.people_by_role.items():
        lines += [f"### {role}", ""]
        for p in people:
            flag = f" · **single point of failure**: {_md(_spof(p))}" \
                if p.single_point_of_failure else ""
            lines.append(
                f"- **{_md(p.name)}**{f' ({_md(p.where)})' if p.where else ''}: "
                f"{_md(evidence(p))}; known by {_md(_known(p))}{flag}"
            )
        lines.append("")
    if b.departed:
        section("Left the account", (_md(_departed(d)) for d in b.departed), "")
    if b.handovers:
        lines += ["## Handed over", ""]
        for h in b.handovers:
            lines += [f"### {_md(_period(h))}", ""]
            lines.append(f"- Their touchpoints: {_md(_their_touches(h))}")
            lines += [f"  - {_md(_touch(t))}" for t in h.recent]
            lines.append("- The people they knew best:" if h.knew_best
                         else "- The people they knew best: nobody on record")
            lines += [f"  - {_md(_knew(k))}" for k in h.knew_best]
            notes = [_md(_note(n)) for n in h.notes]
            if h.hidden_notes:
                notes.append(f"_{_hidden(h.hidden_notes)}_")
            lines.append("- Their notes:" if notes else "- Their notes: none")
            lines += [f"  - {n}" for n in notes]
            lines.append("")
    if b.breadth:
        section("Breadth", (f"{_md(k)}: {_md(v)}" for k, v in b.breadth.items()), "")
    section("Whitespace", map(_md, b.whitespace), "No gaps found.")
    section("Upcoming touchpoints", (_md(_touch(t)) for t in b.upcoming), "Nothing scheduled.")
    section("Recent touchpoints", (_md(_touch(t)) for t in b.recent), "No touchpoints in 90 days.")
    section(
        "Opportunities",
        (
            f"{_md(d.name)}: {d.stage}, {d.amount:,.0f}"
            + (f", closes {d.close_date.isoformat()}" if d.close_date else "")
            + (f", with {_md(', '.join(d.contacts))}" if d.contacts else "")
            for d in b.deals
        ),
        "No open or recent opportunities.",
    )
    notes = [_md(_note(n)) for n in b.notes]
    if b.hidden_notes:
        notes.append(f"_{_hidden(b.hidden_notes)}_")
    section("Personal notes", notes, "No notes.")
    section("Our team", (f"{_md(n)} ({_md(r)})" for n, r in b.team), "No team recorded.")
    return "\n".join(lines).rstrip() + "\n"


def _step_md(s: Step) -> str:
    return f"**{_md(s.action)}** Answers {_md(s.answers)}. Why: {_md(s.why)}."


def to_html(
    b: Brief,
    map_data: MapData | None = None,
    *,
    links: Iterable[tuple[str, str]] = (),
    viewer_name: str | None = None,
    account_href: Callable[[str], str] | None = None,
    reach_href: Callable[[str, str], str] | None = None,
) -> str:
    """The brief as one self-contained HTML page, with the account map embedded.

    ``account_href(company_id)``: where another account's page is (a champion who
    moved there); ``reach_href(company_id, contact_id)``: the warm paths to a person
    there. Without them, no link (a file written by the command line, where no
    server answers).
    """
    return render(
        "brief.html",
        b=b,
        data=map_data.as_json() if map_data else None,
        links=list(links),
        viewer_name=viewer_name,
        status_label=status_label,
        touch_line=_touch,
        known=_known,
        evidence=evidence,
        spof=_spof,
        departed_line=_departed,
        period=_period,
        their_touches=_their_touches,
        knew=_knew,
        note_line=_note,
        hidden=_hidden,
        account_href=account_href,
        reach_href=reach_href,
    )
