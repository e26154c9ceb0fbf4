"""Accounts and their buying committees: who is there, in which job, and who talks to us.

Roles, levels and functions follow how B2B buying committees are usually staffed:
an economic buyer high up (CEO, CFO, CIO, a VP), technical evaluators in IT and
engineering, end users in the business functions, procurement and accounts
payable in their own departments, and at most one champion, who can sit anywhere
and is seldom at the top. Titles are drawn from the function and level, so a
title says something about the role but never everything.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from graph.model import Function, Seniority
from seed.worlds import vocab
from seed.worlds.params import Params
from seed.worlds.titles import DIR, IC, MGR, VP, C, title_for
from seed.worlds.truth import Role

Weights = dict[Role, float]
K = TypeVar("K")

# How many contacts of a buying company hold each role.
ROLE_SHARE: Weights = {
    Role.ECONOMIC_BUYER: 0.2, Role.TECHNICAL_EVALUATOR: 0.26, Role.END_USER: 0.3,
    Role.CHAMPION: 0.1, Role.PURCHASER: 0.07, Role.FINANCE: 0.07,
}
SENIORITY: dict[Role, dict[Seniority, float]] = {
    Role.ECONOMIC_BUYER: {C: 0.5, VP: 0.4, DIR: 0.1},
    Role.TECHNICAL_EVALUATOR: {DIR: 0.2, MGR: 0.3, IC: 0.5},
    Role.END_USER: {MGR: 0.3, IC: 0.7},
    Role.CHAMPION: {VP: 0.1, DIR: 0.4, MGR: 0.4, IC: 0.1},
    Role.PURCHASER: {DIR: 0.25, MGR: 0.5, IC: 0.25},
    Role.FINANCE: {DIR: 0.1, MGR: 0.4, IC: 0.5},
    Role.ANALYST: {DIR: 0.4, IC: 0.6},
    Role.MEDIA: {IC: 1.0},
}
# The job a role sits in depends on what is being bought, so functions overlap:
# a sales-ops manager can be the technical evaluator of a sales tool.
FUNCTION: dict[Role, dict[Function, float]] = {
    Role.ECONOMIC_BUYER: {Function.EXECUTIVE: 0.3, Function.FINANCE: 0.2, Function.IT: 0.15,
                          Function.RND: 0.1, Function.OPERATIONS: 0.1, Function.SALES: 0.1,
                          Function.MARKETING: 0.05},
    Role.TECHNICAL_EVALUATOR: {Function.IT: 0.45, Function.RND: 0.3, Function.OPERATIONS: 0.15,
                               Function.MARKETING: 0.05, Function.SALES: 0.05},
    Role.END_USER: {Function.OPERATIONS: 0.25, Function.SALES: 0.2, Function.MARKETING: 0.15,
                    Function.SUPPORT: 0.2, Function.IT: 0.1, Function.RND: 0.1},
    Role.CHAMPION: {Function.IT: 0.3, Function.OPERATIONS: 0.25, Function.MARKETING: 0.15,
                    Function.SALES: 0.15, Function.RND: 0.15},
    Role.PURCHASER: {Function.PROCUREMENT: 0.85, Function.FINANCE: 0.1,
                     Function.OPERATIONS: 0.05},
    Role.FINANCE: {Function.FINANCE: 0.9, Function.OPERATIONS: 0.1},
    Role.ANALYST: {Function.OTHER: 1.0},
    Role.MEDIA: {Function.MARKETING: 1.0},
}
# Chance that a contact of this role ever talks to us (before the account's appetite).
ENGAGES: Weights = {
    Role.ECONOMIC_BUYER: 0.7, Role.TECHNICAL_EVALUATOR: 0.8, Role.END_USER: 0.65,
    Role.CHAMPION: 0.95, Role.PURCHASER: 0.6, Role.FINANCE: 0.6, Role.ANALYST: 0.8,
    Role.MEDIA: 0.7,
}
# Where we first heard of people (Contact.LeadSource in a Salesforce export).
SILO: dict[Role, tuple[str, ...]] = {
    Role.FINANCE: ("finance", "finance", "sales"),
    Role.END_USER: ("support", "marketing", "sales"),
    Role.ANALYST: ("investor_relations",),
    Role.MEDIA: ("investor_relations",),
}


def pick(rng: random.Random, weights: Mapping[K, float]) -> K:
    """One key of ``weights``, drawn in proportion to its weight."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def logit(p: float) -> float:
    return math.log(p / (1 - p))


@dataclass
class Person:
    """A contact and what only the world knows about them."""

    id: str
    name: str
    email: str
    role: Role
    seniority: Seniority
    function: Function
    title: str | None
    silo: str
    engaged: bool = False
    activity: float = 1.0  # how talkative, whatever the role
    window: tuple[datetime, datetime] | None = None  # when they are around in our history
    shows_department: bool = True
    shows_seniority: bool = True


@dataclass
class Account:
    """A company, its people and its latent appetite; deals and outcome come later."""

    index: int
    id: str
    name: str
    domain: str
    industry: str
    size_band: str
    revenue_band: str
    region: str
    health: float
    purpose: str  # "buyer", "analyst" or "media"
    people: list[Person] = field(default_factory=list)
    never_engaged: bool = False
    owner: str = ""
    team: list[tuple[str, str]] = field(default_factory=list)  # (user id, team role)

    @property
    def engaged(self) -> list[Person]:
        return [p for p in self.people if p.engaged]

    def active(self, at: datetime) -> list[Person]:
        """Engaged people whose time with us covers ``at`` (everyone engaged if none)."""
        here = [p for p in self.engaged if p.window and p.window[0] <= at <= p.window[1]]
        return here or self.engaged


def make_account(rng: random.Random, index: int, params: Params, purpose: str) -> Account:
    """A company with firmographics; its people are added by :func:`staff`."""
    head, tail = rng.choice(vocab.COMPANY_HEADS), rng.choice(vocab.COMPANY_TAILS)
    suffix = rng.choice(vocab.COMPANY_SUFFIXES)
    base = f"{head}{tail}"
    rev = rng.choices(range(5), weights=vocab.REVENUE_WEIGHTS)[0]
    # Headcount follows revenue, a band either way: size is a proxy, never a cause.
    size = min(4, max(0, rev + rng.choice((-1, 0, 0, 1))))
    industry = rng.choice(vocab.INDUSTRIES)
    if purpose == "analyst":
        industry = vocab.ANALYST_INDUSTRY
    elif purpose == "media":
        industry = vocab.MEDIA_INDUSTRY
    return Account(
        index=index,
        id=f"acct-{index:04d}",
        name=f"{base} {suffix}".strip() + f" {index}",
        domain=f"{base.lower()}{index}.{rng.choice(vocab.TLDS)}",
        industry=industry,
        size_band=vocab.SIZE_BANDS[size],
        revenue_band=vocab.REVENUE_BANDS[rev],
        region=rng.choices(vocab.REGIONS, weights=vocab.REGION_WEIGHTS)[0],
        health=rng.gauss(0, params.health_sd),
        purpose=purpose,
    )


def _role(rng: random.Random, account: Account, taken: set[Role]) -> Role:
    if account.purpose == "analyst":
        return Role.ANALYST
    if account.purpose == "media":
        return Role.MEDIA
    role = pick(rng, ROLE_SHARE)
    # One champion per account: a second "champion" is just a keen end user.
    return Role.END_USER if role == Role.CHAMPION and Role.CHAMPION in taken else role


def staff(rng: random.Random, account: Account, n: int, params: Params) -> None:
    """Give ``account`` ``n`` people with roles, levels, titles and who engages."""
    taken: set[Role] = set()
    used: set[str] = set()
    for i in range(n):
        role = _role(rng, account, taken)
        taken.add(role)
        first, last = rng.choice(vocab.FIRST_NAMES), rng.choice(vocab.LAST_NAMES)
        while f"{first} {last}" in used:
            first, last = rng.choice(vocab.FIRST_NAMES), rng.choice(vocab.LAST_NAMES)
        used.add(f"{first} {last}")
        seniority = pick(rng, SENIORITY[role])
        function = pick(rng, FUNCTION[role])
        title = title_for(rng, function, seniority, media=role == Role.MEDIA,
                          style=params.title_style, missing=params.title_missing,
                          unhelpful=params.title_unhelpful)
        account.people.append(Person(
            id=f"{account.id}-c{i + 1:02d}",
            name=f"{first} {last}",
            email=f"{first}.{last}@{account.domain}".lower(),
            role=role, seniority=seniority, function=function, title=title,
            silo=rng.choice(SILO.get(role, ("sales", "sales", "marketing", "event"))),
            activity=rng.lognormvariate(0, 0.5),
            shows_department=rng.random() < params.department_share,
            shows_seniority=rng.random() < params.seniority_share,
        ))
    if account.never_engaged:
        return
    for p in account.people:
        p.engaged = rng.random() < sigmoid(logit(ENGAGES[p.role]) + 0.6 * account.health)
    if account.people and not account.engaged:
        max(account.people, key=lambda p: ENGAGES[p.role]).engaged = True


def set_windows(rng: random.Random, account: Account, start: datetime, end: datetime,
                params: Params) -> None:
    """When each engaged person is around: champions all along, others for a stretch."""
    span = max(1.0, (end - start).total_seconds() / 86400)
    for p in account.engaged:
        if p.role == Role.CHAMPION and params.champion_behaviour:
            p.window = (start, end)
            continue
        join = start + timedelta(days=rng.uniform(0, 0.5) * span)
        rest = max(1.0, (end - join).total_seconds() / 86400)
        stay = max(min(90.0, rest), rng.uniform(0.3, 1.0) * rest)
        p.window = (join, join + timedelta(days=stay))
