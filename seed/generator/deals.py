"""Profile items and opportunities, with revenue triggers planted on purpose.

An opportunity that has closed is won with probability
``1 / (1 + exp(-logit))`` where ``logit`` is :data:`BASE_LOGIT` plus each
effect of :data:`TRIGGERS` that holds for it. Nothing else (hobbies, schools,
size band, region) changes the odds: those are the decoys a revenue-trigger
analysis must not report. docs/demo-world.md states the same for humans.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from graph.model import (
    Lifecycle,
    Opportunity,
    OpportunityStage,
    ProfileItem,
    Visibility,
)
from seed.generator import vocab
from seed.generator.people import Person, Role
from seed.generator.plan import CompanyPlan
from seed.generator.sizes import REFERENCE_NOW

BASE_LOGIT = -1.3
# What really raises the odds of a win (added to the logit when it holds):
TRIGGERS: dict[str, float] = {
    # a contact on the deal has profile item values_in_vendor = responsiveness
    "profile:values_in_vendor=responsiveness": 1.6,
    # the account's industry is Healthcare
    "firmographic:industry=Healthcare": 1.0,
    # a contact on the deal is a champion (references, referrals, many meetings)
    "mix:champion_on_deal": 1.3,
}

# key -> (values, value weights or None, probability the item is public)
PROFILE_KEYS: dict[str, tuple[tuple[str, ...], tuple[int, ...] | None, float]] = {
    "values_in_vendor": (vocab.VALUES_IN_VENDOR, vocab.VALUES_WEIGHTS, 0.2),
    "hobby": (vocab.HOBBIES, None, 0.3),
    "school": (vocab.SCHOOLS, None, 0.9),
    "sports": (vocab.SPORTS, None, 0.3),
    "family": (vocab.FAMILY, None, 0.0),
    "charity": (vocab.CHARITIES, None, 0.5),
}
_KEYS = list(PROFILE_KEYS)
_KEY_W = (25, 20, 18, 12, 12, 10)

# How likely a rep has written anything down about someone in each role.
PROFILE_RATE = {
    Role.DECISION_MAKER: 0.85, Role.CHAMPION: 0.9, Role.TECHNICAL_EVALUATOR: 0.5,
    Role.PURCHASER: 0.35, Role.FINANCE: 0.3, Role.END_USER: 0.15, Role.INVESTOR: 0.5,
    Role.PARTNER: 0.6, Role.ANALYST: 0.3, Role.MEDIA: 0.3, Role.MARKETING_LEAD: 0.02,
    Role.UNENGAGED: 0.01,
}
BUYERS = (Role.DECISION_MAKER, Role.CHAMPION, Role.TECHNICAL_EVALUATOR, Role.PURCHASER,
          Role.FINANCE)
_DEAL_SIZE = (20_000, 50_000, 120_000, 300_000, 800_000)
_OPEN = (OpportunityStage.PROSPECTING, OpportunityStage.QUALIFICATION,
         OpportunityStage.PROPOSAL, OpportunityStage.NEGOTIATION)

Build = Callable[..., Any]


def make_profile_items(
    rng: random.Random,
    people: list[Person],
    users: list[str],
    next_id: Callable[[], str],
    build: Build,
) -> dict[str, list[ProfileItem]]:
    """Profile items by contact id: one to four distinct keys per contact who has any."""
    out: dict[str, list[ProfileItem]] = {}
    for p in people:
        if rng.random() >= PROFILE_RATE[p.role]:
            continue
        keys = set(rng.choices(_KEYS, _KEY_W, k=rng.randint(1, 4)))
        items = []
        for key in sorted(keys):
            values, weights, public = PROFILE_KEYS[key]
            value = rng.choices(values, weights)[0] if weights else rng.choice(values)
            days = p.lo + (p.hi - p.lo) * rng.random()
            items.append(
                build(
                    ProfileItem,
                    id=next_id(),
                    contact_id=p.id,
                    key=key,
                    value=value,
                    visibility=Visibility.PUBLIC if rng.random() < public else Visibility.PERSONAL,
                    entered_by=rng.choice(users),
                    entered_at=REFERENCE_NOW - timedelta(days=days),
                )
            )
        out[p.id] = items
    return out


def win_probability(effects: list[str]) -> float:
    """The planted chance of a win given the triggers that hold."""
    logit = BASE_LOGIT + sum(TRIGGERS[e] for e in effects)
    return 1 / (1 + math.exp(-logit))


def make_opportunities(
    rng: random.Random,
    plan: CompanyPlan,
    people: list[Person],
    profiles: dict[str, list[ProfileItem]],
    next_id: Callable[[], str],
    build: Build,
    *,
    oldest_days: float = 3 * 365,
    newest_days: float = 0.0,
    allow_open: bool = True,
) -> list[Opportunity]:
    """The deals of one company; outcomes drawn from :func:`win_probability`."""
    buyers = [p for p in people if p.role in BUYERS]
    if not buyers:
        return []
    responsive = {
        cid for cid, items in profiles.items()
        if any(i.key == "values_in_vendor" and i.value == "responsiveness" for i in items)
    }
    size_i = vocab.SIZE_BANDS.index(plan.size_band)
    today = REFERENCE_NOW.date()
    out: list[Opportunity] = []
    for _ in range(min(12, 1 + int(rng.random() * (3 + plan.contacts / 15)))):
        is_open = allow_open and rng.random() < 0.15
        days = -rng.uniform(10, 180) if is_open else rng.uniform(newest_days, oldest_days)
        # Only people who were there (and in touch) around the close date.
        around = max(days, 0.0)
        present = [p for p in buyers if p.lo <= around <= p.hi] or buyers
        champions = [p for p in present if p.role is Role.CHAMPION]
        others = [p for p in present if p.role is not Role.CHAMPION]
        on_deal: list[Person] = []
        if champions and rng.random() < 0.5:
            on_deal.append(rng.choice(champions))
        if others:
            on_deal += rng.sample(others, min(len(others), rng.randint(1, 2)))
        if not on_deal:
            on_deal = [rng.choice(present)]
        effects = deal_effects(plan, on_deal, responsive)
        if is_open:
            stage = rng.choice(_OPEN)
        elif rng.random() < win_probability(effects):
            stage = OpportunityStage.CLOSED_WON
        else:
            stage = OpportunityStage.CLOSED_LOST
        close = today - timedelta(days=int(days))
        amount = round(_DEAL_SIZE[size_i] * rng.lognormvariate(0, 0.5), -2)
        out.append(
            build(
                Opportunity,
                id=next_id(),
                company_id=plan.id,
                name=f"{plan.name} {rng.choice(('renewal', 'expansion', 'new platform'))} "
                f"{close.year}",
                amount=amount,
                stage=stage,
                close_date=close,
                contact_ids=[p.id for p in on_deal],
            )
        )
    return out


def deal_effects(plan: CompanyPlan, on_deal: list[Person], responsive: set[str]) -> list[str]:
    """The planted triggers that hold for a deal."""
    effects = []
    if any(p.id in responsive for p in on_deal):
        effects.append("profile:values_in_vendor=responsiveness")
    if plan.industry == "Healthcare":
        effects.append("firmographic:industry=Healthcare")
    if any(p.role is Role.CHAMPION for p in on_deal):
        effects.append("mix:champion_on_deal")
    return effects


def lifecycle(plan: CompanyPlan, deals: list[Opportunity]) -> Lifecycle:
    """Where the account stands, read from its deals.

    Partners are partners; an account that bought but whose last win is over
    400 days old with nothing open has churned; one that bought is a customer;
    anyone else a prospect.
    """
    if plan.partner:
        return Lifecycle.PARTNER
    wins = [d.close_date for d in deals if d.stage is OpportunityStage.CLOSED_WON and d.close_date]
    if not wins:
        return Lifecycle.PROSPECT
    has_open = any(d.stage in _OPEN for d in deals)
    if (REFERENCE_NOW.date() - max(wins)).days > 400 and not has_open:
        return Lifecycle.CHURNED
    return Lifecycle.CUSTOMER


def latest_closed(deals: list[Opportunity]) -> int | None:
    """Index of the most recently closed deal, if any."""
    closed = [
        (d.close_date or date.min, i) for i, d in enumerate(deals) if d.stage not in _OPEN
    ]
    return max(closed)[1] if closed else None
