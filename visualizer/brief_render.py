"""The onboarding brief as Markdown (the CLI) and as an HTML page with the map in it."""

from __future__ import annotations

from collections.abc import Iterable

from visualizer.brief import Brief, Person, Touch
from visualizer.map import MapData
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

    def section(title: str, items: Iterable[str], empty: str) -> None:
        items = list(items)
        lines.extend([f"## {title}", ""])
        lines.extend(f"- {i}" for i in items) if items else lines.append(f"_{empty}_")
        lines.append("")

    section("Why this status", map(_md, b.status_reasons), "No reasons given.")
    section("Risks", map(_md, b.risks), "No risks found.")
    section("Suggested next steps", map(_md, b.next_steps), "Nothing to suggest.")
    lines += ["## Key people by role", ""]
    if not b.people_by_role:
        lines += ["_Nobody engaged yet._", ""]
    for role, people in b.people_by_role.items():
        lines += [f"### {role}", ""]
        for p in people:
            where = ", ".join(_md(x) for x in (p.title, p.department) if x)
            flag = " · **single point of failure**" if p.single_point_of_failure else ""
            lines.append(
                f"- **{_md(p.name)}**{f' ({where})' if where else ''}: strength {p.strength:.2f},"
                f" known by {_md(_known(p))}{flag}"
            )
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
    notes = [f"{_md(n.contact)}: {_md(n.key)}: {_md(n.value)}" for n in b.notes]
    if b.hidden_notes:
        notes.append(
            f"_{b.hidden_notes} personal note(s) hidden: only the account team may read them._"
        )
    section("Personal notes", notes, "No notes.")
    section("Our team", (f"{_md(n)} ({_md(r)})" for n, r in b.team), "No team recorded.")
    return "\n".join(lines).rstrip() + "\n"


def to_html(
    b: Brief,
    map_data: MapData | None = None,
    *,
    links: Iterable[tuple[str, str]] = (),
    viewer_name: str | None = None,
) -> str:
    """The brief as one self-contained HTML page, with the account map embedded."""
    return render(
        "brief.html",
        b=b,
        data=map_data.as_json() if map_data else None,
        links=list(links),
        viewer_name=viewer_name,
        status_label=status_label,
        touch_line=_touch,
        known=_known,
    )
