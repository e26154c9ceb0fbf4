"""The people of one company: who they are, their role with us, where they sit.

A contact's **role** is the generator's ground truth of how that person deals
with us (the category DOMAIN.md's classification should find); it drives their
title, department, source silo and touchpoint mix, and is reported per contact
in the manifest when asked for (see :mod:`seed.generator.world`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from graph.model import ContactStatus, Function, Seniority, Silo, department_id
from seed.generator import vocab
from seed.generator.plan import CompanyPlan, Scenario
from seed.generator.sizes import HISTORY_DAYS, REFERENCE_NOW


class Role(StrEnum):
    """How a generated contact deals with us (DOMAIN.md contact categories)."""

    DECISION_MAKER = "decision_maker"
    PURCHASER = "purchaser"
    FINANCE = "finance"
    END_USER = "end_user"
    TECHNICAL_EVALUATOR = "technical_evaluator"
    CHAMPION = "champion"
    ANALYST = "analyst"
    MEDIA = "media"
    INVESTOR = "investor"
    PARTNER = "partner"
    # Reached only by marketing campaigns that they (mostly) ignore.
    MARKETING_LEAD = "marketing_lead"
    UNENGAGED = "unengaged"


R = Role
SENIORITY_RANK = {
    Seniority.C_LEVEL: 0, Seniority.VP: 1, Seniority.DIRECTOR: 2, Seniority.MANAGER: 3,
    Seniority.INDIVIDUAL: 4,
}
_S = list(SENIORITY_RANK)
# The silos a CRM export knows (capture finds people in mailboxes, not in the world's CRMs);
# the same list, in the same order, as before there was one more.
_CRM_SILOS = [s for s in Silo if s is not Silo.CAPTURE]

# Role mix of an ordinary account.
TYPICAL_ROLES = (
    (R.END_USER, 30), (R.UNENGAGED, 20), (R.MARKETING_LEAD, 6), (R.TECHNICAL_EVALUATOR, 8),
    (R.FINANCE, 7), (R.PURCHASER, 6), (R.DECISION_MAKER, 4), (R.CHAMPION, 3), (R.INVESTOR, 1),
)
_TYPICAL_R = [r for r, _ in TYPICAL_ROLES]
_TYPICAL_W = [w for _, w in TYPICAL_ROLES]

# role -> (functions, seniority weights C/VP/Dir/Mgr/IC)
ROLE_SHAPE: dict[Role, tuple[tuple[Function, ...], tuple[int, ...]]] = {
    R.DECISION_MAKER: ((Function.EXECUTIVE, Function.IT, Function.FINANCE, Function.OPERATIONS),
                       (50, 25, 15, 10, 0)),
    R.PURCHASER: ((Function.PROCUREMENT,), (0, 2, 15, 40, 43)),
    R.FINANCE: ((Function.FINANCE,), (0, 0, 10, 35, 55)),
    R.END_USER: ((Function.OPERATIONS, Function.SUPPORT, Function.SALES, Function.MARKETING,
                  Function.RND, Function.HR, Function.IT), (0, 0, 2, 18, 80)),
    R.TECHNICAL_EVALUATOR: ((Function.IT, Function.RND), (0, 0, 15, 35, 50)),
    R.CHAMPION: ((Function.IT, Function.OPERATIONS, Function.RND, Function.SUPPORT,
                  Function.MARKETING), (0, 10, 45, 45, 0)),
    R.ANALYST: ((Function.OTHER,), (0, 0, 20, 30, 50)),
    R.MEDIA: ((Function.OTHER,), (0, 0, 20, 30, 50)),
    R.INVESTOR: ((Function.INVESTOR_RELATIONS,), (0, 10, 30, 30, 30)),
    R.PARTNER: ((Function.SALES,), (0, 5, 30, 65, 0)),
    R.MARKETING_LEAD: ((Function.MARKETING, Function.OPERATIONS, Function.IT, Function.SALES,
                        Function.HR), (3, 7, 20, 35, 35)),
    R.UNENGAGED: ((Function.OPERATIONS, Function.IT, Function.SALES, Function.MARKETING,
                   Function.FINANCE, Function.RND, Function.HR, Function.LEGAL, Function.SUPPORT),
                  (2, 5, 15, 30, 48)),
}

ROLE_SOURCES: dict[Role, tuple[Silo, ...]] = {
    R.DECISION_MAKER: (Silo.SALES,), R.PURCHASER: (Silo.SALES, Silo.FINANCE),
    R.FINANCE: (Silo.FINANCE,), R.END_USER: (Silo.SUPPORT,),
    R.TECHNICAL_EVALUATOR: (Silo.SALES, Silo.SUPPORT), R.CHAMPION: (Silo.SALES, Silo.EVENT),
    R.ANALYST: (Silo.INVESTOR_RELATIONS,), R.MEDIA: (Silo.INVESTOR_RELATIONS,),
    R.INVESTOR: (Silo.INVESTOR_RELATIONS,), R.PARTNER: (Silo.SALES,),
    R.MARKETING_LEAD: (Silo.MARKETING, Silo.EVENT), R.UNENGAGED: (Silo.MARKETING, Silo.PURCHASED),
}


@dataclass(slots=True)
class Person:
    """A contact being built, with what the generator knows about them."""

    id: str
    company_id: str
    name: str
    email: str
    phone: str | None
    role: Role
    function: Function
    seniority: Seniority
    title: str
    dept_id: str
    sources: list[Silo]
    start_date: date
    # Touchpoints fall between ``hi`` and ``lo`` days before now.
    lo: float = 0.0
    hi: float = float(HISTORY_DAYS)
    status: ContactStatus = ContactStatus.ACTIVE
    end_date: date | None = None
    # A champion who moved: (company id, department id, title, start date, users).
    moved_to: tuple[str, str, str, date, tuple[str, ...]] | None = None
    touch_weight: float = 0.0
    tags: set[str] = field(default_factory=set)


def roles_for(rng: random.Random, plan: CompanyPlan) -> list[Role]:
    """The role of every contact of a company, shaped by its scenario."""
    n, s = plan.contacts, plan.scenario
    if n == 0:
        return []
    if s is Scenario.PURCHASED_ONLY:
        return [R.UNENGAGED] * n
    if s is Scenario.MARKETING_ONLY:
        return [R.MARKETING_LEAD] * n
    if s is Scenario.MEDIA_ONLY:
        return [rng.choice((R.ANALYST, R.MEDIA)) for _ in range(n)]
    if s is Scenario.SINGLE_THREADED:
        # One person carries the whole relationship; nobody else hears from us.
        return [R.TECHNICAL_EVALUATOR] + [R.UNENGAGED] * (n - 1)
    roles = rng.choices(_TYPICAL_R, _TYPICAL_W, k=n)
    if s is Scenario.NO_DECISION_MAKER:
        return [R.END_USER if r in (R.DECISION_MAKER, R.CHAMPION) else r for r in roles]
    if s is Scenario.CHAMPION_ARRIVED:
        # Their champion is the one who arrives from another account.
        roles = [R.END_USER if r is R.CHAMPION else r for r in roles]
    if plan.partner:
        roles[-1] = R.PARTNER
    # Every other account has a decision maker; growing ones two, plus champions.
    must = [R.DECISION_MAKER]
    if s in (Scenario.GROWING, Scenario.MAP):
        must += [R.DECISION_MAKER, R.CHAMPION, R.CHAMPION, R.TECHNICAL_EVALUATOR, R.FINANCE]
    elif s in (Scenario.CHAMPION_QUIET, Scenario.CHAMPION_LEFT) or (
        s is Scenario.TYPICAL and n >= 5 and rng.random() < 0.7
    ):
        must += [R.CHAMPION]
    for i, role in enumerate(must[:n]):
        roles[i] = role
    # Scenario accounts keep only the champions they were given, so no stray
    # champion (one who happens to be quiet) muddles the story they tell.
    if s is not Scenario.TYPICAL:
        k = len(must)
        roles = roles[:k] + [R.END_USER if r is R.CHAMPION else r for r in roles[k:]]
    return roles


def _title(rng: random.Random, role: Role, function: Function, seniority: Seniority) -> str:
    if role is R.ANALYST:
        return rng.choice(vocab.ANALYST_TITLES)
    if role is R.MEDIA:
        return rng.choice(vocab.MEDIA_TITLES)
    if role is R.INVESTOR:
        return rng.choice(vocab.INVESTOR_TITLES)
    if role is R.PARTNER:
        return "Alliance Manager" if seniority is Seniority.MANAGER else "Director of Partnerships"
    return rng.choice(vocab.TITLES[(function, seniority)])


def _phone(rng: random.Random, region: str) -> str:
    code = {"North America": "+1", "EMEA": "+44", "APAC": "+61", "LATAM": "+55"}[region]
    return f"{code} 555 {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}"


def make_people(rng: random.Random, plan: CompanyPlan, first_id: int) -> list[Person]:
    """The contacts of one company (ids from ``first_id`` on), roles and windows set."""
    people: list[Person] = []
    emails: set[str] = set()
    today = REFERENCE_NOW.date()
    for k, role in enumerate(roles_for(rng, plan)):
        functions, sen_w = ROLE_SHAPE[role]
        function = rng.choice(functions)
        seniority = rng.choices(_S, sen_w)[0]
        if role is R.DECISION_MAKER and function is Function.EXECUTIVE:
            seniority = Seniority.C_LEVEL
        elif role is R.DECISION_MAKER and rng.random() < 0.15:
            # The "IT Manager who signs every renewal": interactions beat titles.
            function, seniority = Function.IT, Seniority.MANAGER
        first, last = rng.choice(vocab.FIRST_NAMES), rng.choice(vocab.LAST_NAMES)
        local = f"{first}.{last}".lower().replace(" ", "")
        email, n = f"{local}@{plan.domain}", 2
        while email in emails:
            email, n = f"{local}{n}@{plan.domain}", n + 1
        emails.add(email)
        sources = [rng.choice(ROLE_SOURCES[role])]
        if plan.scenario is Scenario.PURCHASED_ONLY:
            sources = [Silo.PURCHASED]
        elif plan.scenario is Scenario.MARKETING_ONLY:
            pass  # marketing or event only: nobody else in the company knows them
        elif rng.random() < 0.15:
            extra = rng.choice(_CRM_SILOS)
            if extra not in sources and extra is not Silo.PURCHASED:
                sources.append(extra)
        people.append(
            Person(
                id=f"ct-{first_id + k:07d}",
                company_id=plan.id,
                name=f"{first} {last}",
                email=email,
                phone=_phone(rng, plan.region) if rng.random() < 0.6 else None,
                role=role,
                function=function,
                seniority=seniority,
                title=_title(rng, role, function, seniority),
                dept_id=department_id(plan.id, function),
                sources=sources,
                start_date=today - timedelta(days=rng.randrange(200, 4000)),
            )
        )
    return people


def departments_for(plan: CompanyPlan, people: list[Person]) -> list[Function]:
    """Functions the company has: a core set, more with size, and any a contact works in."""
    size_i = vocab.SIZE_BANDS.index(plan.size_band)
    have = list(vocab.CORE_FUNCTIONS) + list(vocab.MORE_FUNCTIONS[: 2 * size_i])
    if plan.scenario is Scenario.MEDIA_ONLY:
        have.append(Function.OTHER)
    for p in people:
        if p.function not in have:
            have.append(p.function)
    return have


def reporting_lines(rng: random.Random, people: list[Person]) -> list[tuple[str, str]]:
    """(report, manager) pairs: each active person reports to someone more senior.

    Within a department to the next level up that exists; department heads to
    the company's chief executive, who reports to nobody.
    """
    active = [p for p in people if p.status is ContactStatus.ACTIVE and p.moved_to is None]
    chiefs = [p for p in active if p.seniority is Seniority.C_LEVEL]
    execs = [p for p in chiefs if p.function is Function.EXECUTIVE]
    ceo = (execs or chiefs)[0] if chiefs else None
    by_dept: dict[str, list[list[Person]]] = {}
    for p in active:
        levels = by_dept.setdefault(p.dept_id, [[] for _ in _S])
        levels[SENIORITY_RANK[p.seniority]].append(p)
    lines: list[tuple[str, str]] = []
    for levels in by_dept.values():
        for rank, members in enumerate(levels):
            above = next((levels[r] for r in range(rank - 1, -1, -1) if levels[r]), None)
            for p in members:
                if above:
                    lines.append((p.id, rng.choice(above).id))
                elif ceo is not None and p is not ceo:
                    lines.append((p.id, ceo.id))
    return lines
