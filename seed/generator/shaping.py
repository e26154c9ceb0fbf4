"""Bend a company's people to its scenario: who is in touch, since when, who left.

Everything that makes an account read as growing, quiet, dormant or at risk
is decided here, in one place, so docs/demo-world.md can describe it exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from graph.model import ContactStatus, Employment, Function, Knows, Seniority
from seed.generator import vocab
from seed.generator.people import Person, Role
from seed.generator.plan import CompanyPlan, Scenario
from seed.generator.sizes import REFERENCE_NOW

# Share of the company's touchpoints each person gets, by role.
TOUCH_WEIGHT = {
    Role.DECISION_MAKER: 3.0, Role.CHAMPION: 5.0, Role.TECHNICAL_EVALUATOR: 3.0,
    Role.END_USER: 1.5, Role.FINANCE: 1.5, Role.PURCHASER: 1.0, Role.INVESTOR: 1.0,
    Role.PARTNER: 2.0, Role.ANALYST: 2.0, Role.MEDIA: 1.5, Role.MARKETING_LEAD: 0.7,
    Role.UNENGAGED: 0.0,
}

# A quiet champion's last touch is at least this many days ago.
QUIET_DAYS = (210.0, 420.0)
# A dormant account has had no touchpoint for at least this long.
DORMANT_DAYS = 380.0
# When the champion who moved left (days before now).
MOVED_DAYS = (120.0, 300.0)
# Share of ordinary people who have left, and when.
LEAVER_RATE = 0.03
LEFT_DAYS = (30.0, 700.0)

# Where ordinary people leave. Not in accounts meant to read "can grow": anyone
# who left there may read as a decision maker gone, which is a risk.
_LEAVER_SCENARIOS = (Scenario.TYPICAL, Scenario.CHAMPION_QUIET, Scenario.NO_DECISION_MAKER,
                     Scenario.SINGLE_THREADED, Scenario.DORMANT)


@dataclass(frozen=True)
class Landing:
    """An earlier account a champion can move to."""

    company_id: str
    departments: dict[Function, str]
    users: tuple[str, ...]
    built_for_it: bool = False  # a champion_arrived account: moves land here first


def shape(
    rng: random.Random, plan: CompanyPlan, people: list[Person], landing: Landing | None
) -> dict[str, str]:
    """Set touch weights and windows, leavers and movers; notes for the manifest."""
    today = REFERENCE_NOW.date()
    notes: dict[str, str] = {}
    for p in people:
        p.touch_weight = TOUCH_WEIGHT[p.role]
        if plan.scenario is Scenario.DORMANT:
            p.lo = DORMANT_DAYS
    champion = next((p for p in people if p.role is Role.CHAMPION), None)
    dm = next((p for p in people if p.role is Role.DECISION_MAKER), None)
    if dm is not None:
        notes["decision_maker"] = dm.id
    if champion is not None:
        notes["champion"] = champion.id
    if plan.scenario is Scenario.SINGLE_THREADED and people:
        notes["only_thread"] = people[0].id
    if plan.scenario is Scenario.CHAMPION_QUIET and champion is not None:
        champion.lo = rng.uniform(*QUIET_DAYS)
    if plan.scenario is Scenario.CHAMPION_LEFT and champion is not None:
        days = rng.uniform(*MOVED_DAYS)
        _leave(champion, today, days)
        if landing is not None:
            fn = champion.function if champion.function in landing.departments else next(
                iter(landing.departments))
            assert champion.end_date is not None  # set by _leave just above
            start = champion.end_date + timedelta(days=rng.randrange(20, 60))
            title = rng.choice(vocab.TITLES[(fn, Seniority.DIRECTOR)])
            champion.moved_to = (landing.company_id, landing.departments[fn], title, start,
                                 landing.users)
            # Still active: at the new employer.
            champion.status = ContactStatus.ACTIVE
            notes["moved_to"] = landing.company_id
    if plan.scenario in _LEAVER_SCENARIOS:
        for p in people[6:]:
            # Decision makers and champions leave only where the scenario says.
            if p.role not in (Role.DECISION_MAKER, Role.CHAMPION) and rng.random() < LEAVER_RATE:
                _leave(p, today, rng.uniform(*LEFT_DAYS))
    return notes


def _leave(p: Person, today: date, days: float) -> None:
    p.status = ContactStatus.LEFT
    p.end_date = today - timedelta(days=int(days))
    # Nothing after they left; keep at least a month of history before it.
    p.lo = max(p.lo, float(int(days)) + 1)
    p.hi = max(p.hi, p.lo + 30)


def employment(p: Person) -> list[Employment]:
    """Employment history: the company they were created at, then any move."""
    rels = [
        Employment(source=p.id, target=p.company_id, title=p.title, start_date=p.start_date,
                   end_date=p.end_date)
    ]
    if p.moved_to is not None:
        company, _, title, start, _ = p.moved_to
        rels.append(Employment(source=p.id, target=company, title=title, start_date=start))
    return rels


def knows(
    rng: random.Random, people: list[Person], owner: str, support: list[str]
) -> list[Knows]:
    """Who knows whom at one account: colleagues, and our people who met them.

    A pair is written once, in one direction (so counts stay exact); pairs
    cannot repeat across accounts, since every pair here has one of this
    account's people in it and each contact is built with one account only.
    """
    out: list[Knows] = []
    taken: set[tuple[str, str]] = set()

    def add(a: str, b: str, strength: float, origin: str) -> None:
        if a != b and (a, b) not in taken and (b, a) not in taken:
            taken.add((a, b))
            out.append(Knows(source=a, target=b, strength=round(strength, 2), origin=origin))

    engaged = [p for p in people if p.touch_weight > 0]
    by_dept: dict[str, list[Person]] = {}
    for p in engaged:
        if p.moved_to is None and p.end_date is None:
            by_dept.setdefault(p.dept_id, []).append(p)
    for p in engaged:
        if p.role in (Role.DECISION_MAKER, Role.CHAMPION):
            add(owner, p.id, rng.uniform(0.5, 0.95), "account team")
        elif p.role is Role.END_USER and rng.random() < 0.1:
            add(rng.choice(support), p.id, rng.uniform(0.3, 0.7), "support cases")
        mates = by_dept.get(p.dept_id, [])
        if len(mates) > 1 and rng.random() < 0.3:
            add(p.id, rng.choice(mates).id, rng.uniform(0.3, 0.9), "works with")
        if p.moved_to is not None:
            stayed = [q for q in engaged if q.moved_to is None and q.end_date is None]
            for q in rng.sample(stayed, min(2, len(stayed))):
                add(p.id, q.id, 0.7, "former colleague")
            new_owner = p.moved_to[4][0] if p.moved_to[4] else None
            if new_owner:
                add(new_owner, p.id, 0.4, "met at new company")
    return out
