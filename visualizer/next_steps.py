"""The brief's risks beyond the status, and its next steps: each answers one reading.

A next step names the person it is about, the reading it answers (and that reading's
finding), and why this person: a quiet champion the status names is re-engaged by
name; a champion who moved is replaced here (by the person who can take their place)
and followed to their new company; a single point of failure is widened by the people
who close the gap it leaves (the others in the department only they reach), not by
whoever is strongest; an inherited account starts from what the last owner knew.
Every threshold behind these findings is the readings' (the rules file's): this module
only chooses and words.
"""

from __future__ import annotations

from collections.abc import Sequence

from visualizer.brief_types import Deal, Departed, Handed, Person, Step, Touch
from visualizer.inputs import AccountReadings, category_label

MAX_STEPS = 5
MIN_STEPS = 3
RECENT_DAYS = 90  # how far back "recent touchpoints" reach (a window shown, not a judgement)


def _by_strength(people: Sequence[Person]) -> list[Person]:
    return sorted(people, key=lambda p: (-p.strength, -p.touchpoints, p.name))


def evidence(p: Person) -> str:
    """What a relationship's strength stands on, in words."""
    if not p.touchpoints:
        return "no touchpoint with us yet"
    last = f", the last on {p.last_touch.date().isoformat()}" if p.last_touch else ""
    n = p.touchpoints
    return f"strength {p.strength:.2f} from {n} touchpoint{'' if n == 1 else 's'}{last}"


def _knower(p: Person) -> str:
    if not p.known_by:
        return "nobody on our side has met them"
    name, s = p.known_by[0]
    return f"{name} knows them best ({s:.2f})"


def _intro(p: Person) -> str:
    return f" (ask {p.known_by[0][0]} to introduce you)" if p.known_by else ""


def _spof_gap(p: Person) -> str:
    lost = [*(f"into {d}" for d in p.cut_departments)]
    return "the only warm route " + " and ".join(lost) if lost else (p.why_key or
                                                                       "a single point of failure")


def risks_beyond_status(readings: AccountReadings, people: dict[str, Person],
                        departed: Sequence[Departed] = ()) -> list[str]:
    """What threatens the account that "Why this status" does not already say.

    The status reading's at-risk findings that did not decide the status (a dormant
    account's quiet champion), single points of failure, and key people who left
    where the reasons do not name them. Nothing is said twice.
    """
    said = set(readings.status_reasons)
    text = " ".join(readings.status_reasons)
    risks = [r for r in readings.risks if r not in said]
    for p in sorted(people.values(), key=lambda p: (-len(p.cut_departments), p.name)):
        if p.single_point_of_failure and not p.left:
            risks.append(f"{p.name} is a single point of failure: {_spof_gap(p)}")
    for d in departed:
        if d.person.name not in text:
            risks.append(f"{d.role} {d.person.name} has left"
                         + (f" and is now at {d.now_at}" if d.now_at else ""))
    return list(dict.fromkeys(risks))


def _departed_steps(d: Departed, active: list[Person]) -> list[Step]:
    p, role = d.person, d.role.lower()
    left = (f"Job changes: {p.name} left on {d.left_on.isoformat()}" if d.left_on
            else f"Job changes: {p.name} has left") + (f" for {d.now_at}" if d.now_at else "")
    same = [q for q in active if p.department and q.department == p.department]
    heirs = ([q for q in same if q.has(d.category)] or same
             or [q for q in active if q.has(d.category)])
    steps = []
    if heirs:
        heir = _by_strength(heirs)[0]
        why = (f"{heir.name} ({heir.where}) "
               + (f"works in {p.department}, as {p.name} did, " if heir in same else "")
               + (f"already acts as a {role}" if heir.has(d.category)
                  else "is our strongest relationship there")
               + f": {evidence(heir)}; {_knower(heir)}")
        steps.append(Step(f"Replace {role} {p.name} here: win over {heir.name}.", left, why))
    else:
        steps.append(Step(
            f"Replace {role} {p.name} here: find a new {role}"
            + (f" in {p.department}." if p.department else "."),
            left, f"nobody we know is left in {p.department or 'their department'}"))
    if d.now_at and d.opening:
        steps.append(Step(
            f"Follow {p.name} to {d.now_at}: a {role} who knows us is an opening there.",
            f"Job changes: {p.name} now works at {d.now_at}",
            f"{_knower(p)}; before leaving: {evidence(p)}"))
    return steps


def _quiet_steps(readings: AccountReadings, people: dict[str, Person]) -> list[Step]:
    steps = []
    pairs = [(q, people.get(f"contact:{q.contact_id}")) for q in readings.quiet_champions]
    # Those counted against the account first, then the ones we have most history with:
    # a champion of twenty-five touchpoints is worth more than a name on two.
    for q, p in sorted(((q, p) for q, p in pairs if p is not None and not p.left),
                       key=lambda qp: (not qp[0].risk, -qp[1].touchpoints, qp[0].name)):
        quiet = (f"quiet for {q.days} days (last touch {q.last_touch.date().isoformat()})"
                 if q.last_touch is not None and q.days is not None else "never touched")
        steps.append(Step(
            f"Re-engage champion {q.name}" + (f" ({p.where})" if p.where else "") + ".",
            f"Relationship status: champion {q.name} {quiet}"
            + ("" if q.risk else ", noted while other champions are active"),
            f"{_knower(p)}; a champion who speaks for us: {p.touchpoints} touchpoints in all"))
    return steps


def _decider_step(active: list[Person]) -> Step | None:
    deciders = [p for p in active if p.category == "decision_maker"]
    if not deciders:
        base = active[0] if active else None
        return Step(
            "Find the decision maker" + (f": start with {base.name}." if base else "."),
            "Relationship status: nobody engaged decides here",
            f"{base.name} is our strongest relationship ({evidence(base)}) and knows who decides"
            if base else "we know nobody here yet")
    dm = _by_strength(deciders)[0]
    if dm.strength < 0.4:
        return Step(f"Meet {dm.name}, the decision maker{_intro(dm)}.",
                    f"Relationship strength: our strongest decision maker is weak "
                    f"({dm.strength:.2f})", f"{dm.name} decides here; {evidence(dm)}")
    return None


def _spof_steps(active: list[Person],
                people: dict[str, Person]) -> tuple[list[Step], list[Step]]:
    """Widen beyond each single point of failure with the people only they reach.

    Returns the steps someone can take now (a person to meet), then those that only
    say to look for one (the single point is the only person we know there).
    """
    spofs = [p for p in active if p.single_point_of_failure]

    def others_in(p: Person, dept: str) -> list[Person]:
        return _by_strength([q for q in active if q.department == dept and q is not p])

    # Those whose gap someone can close first, then the widest gaps.
    spofs.sort(key=lambda p: (
        not any(others_in(p, d) for d in p.cut_departments or (p.department,) if d),
        -len(p.cut_people), -len(p.cut_departments), p.name))
    steps: list[Step] = []
    search: list[Step] = []
    covered: set[str] = set()
    for p in spofs:
        for dm_key in p.cut_people:
            dm = people.get(dm_key)
            if dm is not None and dm_key not in covered:
                covered.add(dm_key)
                steps.append(Step(
                    f"Widen beyond {p.name}: meet decision maker {dm.name} directly.",
                    f"Key people: every warm route to decision maker {dm.name} goes through "
                    f"{p.name}", f"{dm.name} decides here; {evidence(dm)}; ask {p.name} to "
                    "bring you in"))
        depts = p.cut_departments or ((p.department,) if p.department else ())
        # A department someone else there can open before one where only they work.
        for dept in sorted(depts, key=lambda d: not others_in(p, d)):
            if dept in covered:
                continue
            covered.add(dept)
            gap = f"Key people: {p.name} is the only warm route into {dept}"
            others = others_in(p, dept)[:2]
            if others:
                first = others[0]
                steps.append(Step(
                    f"Widen beyond {p.name}: build a direct relationship with "
                    f"{' or '.join(q.name for q in others)} in {dept}.", gap,
                    f"{first.name} ({first.where}) is reached today only through {p.name}: "
                    f"{evidence(first)}; ask {p.name} to introduce you"))
            else:
                search.append(Step(
                    f"Widen beyond {p.name}: find a second person in {dept}.", gap,
                    f"{p.name} is the only one we know in {dept}: ask them who else there "
                    "works with us"))
    return steps, search


def _handover_step(h: Handed, named: set[str]) -> Step | None:
    until = h.until.isoformat()
    if h.active:
        best = ", ".join(k.name for k in h.knew_best[:2])
        return Step(f"Ask {h.name} for a handover call.",
                    f"Handover: {h.name} owned the account until {until}",
                    f"they are still with us and took part in {h.touchpoints} touchpoints here"
                    + (f"; they knew {best} best" if best else ""))
    known = next((k for k in h.knew_best if k.current and k.name not in named), None)
    if known is None:
        return None
    return Step(f"Meet {known.name}" + (f" ({known.where})" if known.where else "")
                + f", whom {h.name} knew best.",
                f"Handover: {h.name} owned the account until {until} and has left us",
                f"{h.name} shared {known.touchpoints} touchpoints with {known.name} "
                f"(strength {known.strength:.2f} at the handover): that relationship is yours "
                "to keep now")


def next_steps(
    readings: AccountReadings,
    people: dict[str, Person],
    recent: list[Touch],
    upcoming: list[Touch],
    deals: list[Deal],
    owner: str | None = None,
    *,
    departed: Sequence[Departed] = (),
    handovers: Sequence[Handed] = (),
) -> list[Step]:
    """Three to five concrete actions, the account's risks first, each answering a reading."""
    steps: list[Step] = []
    active = _by_strength([p for p in people.values() if not p.left])

    if upcoming:
        t = upcoming[0]
        who = ", ".join(t.contacts) or "the account"
        steps.append(Step(f"Prepare for the {t.kind} on {t.at.date().isoformat()} with {who}.",
                          "Upcoming touchpoints: the next one on the calendar",
                          f"{who} will be there" + (f", with {', '.join(t.users)} from our side"
                                                    if t.users else "")))
    for d in list(departed)[:2]:
        steps += _departed_steps(d, active)
    # A quiet champion a step above already turns to (the heir of one who left) is
    # not asked for twice.
    asked = " ".join(s.action for s in steps)
    steps += [s for s in _quiet_steps(readings, people)
              if s.action.split(" (")[0].removeprefix("Re-engage champion ").rstrip(".")
              not in asked][:2]
    decider = _decider_step(active)
    if decider:
        steps.append(decider)
    spof, search = _spof_steps(active, people)
    steps += spof[:2]
    if handovers:
        in_steps = {p.name for p in people.values() if any(p.name in s.action for s in steps)}
        step = _handover_step(handovers[0], in_steps)
        if step:
            steps.append(step)
    open_deals = [d for d in deals if not d.stage.startswith("closed")]
    if open_deals:
        deal = open_deals[0]
        on = ", ".join(deal.contacts[:3])
        steps.append(Step(
            f"Move {deal.name} ({deal.stage}, {deal.amount:,.0f}) forward"
            + (f" with {on}." if on else "."), "Opportunities: the largest open deal",
            f"{on} {'is' if len(deal.contacts) == 1 else 'are'} on the deal" if on
            else "nobody is on the deal yet"))
    # A department a widening step already leads into is not whitespace to open again.
    said = " ".join(s.action for s in spof[:2])
    widened = {d for p in active for d in p.cut_departments if f" in {d}." in said}
    gaps = [w for w in readings.whitespace if not any(d in w for d in widened)]
    if gaps:
        base = active[0] if active else None
        steps.append(Step(f"Open whitespace: {gaps[0]}.", "Whitespace: where we know nobody",
                          f"ask {base.name}, our strongest relationship, who to meet there"
                          if base else "nobody here can introduce you yet"))
    steps += search[:1]
    if not recent and active:
        steps.append(Step(f"Re-engage: start with {active[0].name}.",
                          f"Recent touchpoints: none in {RECENT_DAYS} days",
                          f"{active[0].name} is our strongest relationship: "
                          f"{evidence(active[0])}"))
    for p in active[:3]:
        if len(steps) >= MIN_STEPS:
            break
        steps.append(Step(f"Introduce yourself to {p.name} ({category_label(p.category)})"
                          f"{_intro(p)}.", "Key people by role: our strongest relationships",
                          evidence(p)))
    if len(steps) < MIN_STEPS:
        steps.append(Step(
            f"Ask {owner or 'the previous owner'} for a handover call: who matters here and why.",
            "Handover", "the map is nearly empty"))
    if len(steps) < MIN_STEPS:
        steps.append(Step("Add the people you know at this account.",
                          "Key people by role: nobody engaged yet", "the map is nearly empty"))
    seen: dict[str, Step] = {}
    for s in steps:
        seen.setdefault(s.action, s)
    return list(seen.values())[:MAX_STEPS]
