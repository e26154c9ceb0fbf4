"""Deals and how accounts turn out: new business, renewals, expansions, losses, churn.

Each deal's chance of winning is a logistic model of the account's appetite and,
where the scenario plants them, of what is on the deal: multi-threading, an
economic buyer, a champion (``committee_effects``), or the account's revenue band
and the highest seniority among the deal's contacts (``drivers``). The account's
outcome is read off its deals, never chosen first.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from graph.model import OpportunityStage, Seniority
from seed.worlds.params import Params
from seed.worlds.people import Account, Person, sigmoid
from seed.worlds.truth import Driver, Outcome, Role

# Log-odds of winning a deal of each kind before anything else.
BASE = {"new": -0.6, "renewal": 1.0, "expansion": 0.2}
# Chance each engaged role is on a deal: buying committees bring who the stage needs.
ON_DEAL = {
    Role.ECONOMIC_BUYER: 0.6, Role.TECHNICAL_EVALUATOR: 0.6, Role.END_USER: 0.35,
    Role.CHAMPION: 0.85, Role.PURCHASER: 0.45, Role.FINANCE: 0.2,
}
# Product lines an engaged account buys or is sold beyond the first (Poisson mean).
TRACKS = 1.8
COMMITTEE = {"economic_buyer": 0.5, "champion": 0.5, "three_roles": 0.3}
PLANTED = (
    Driver("revenue_band", "1B+", 1.1, "the largest companies buy more often"),
    Driver("seniority", str(Seniority.C_LEVEL), 1.0,
           "a C-level contact on the deal (its highest seniority)"),
    Driver("revenue_band", "<1M", -1.1, "the smallest companies rarely buy"),
    Driver("seniority", str(Seniority.INDIVIDUAL), -1.0,
           "only individual contributors on the deal"),
)
NOISE_FIELDS = ("industry", "region", "profile.hobby", "profile.alma_mater")
PROXY_FIELDS = ("size_band",)
AMOUNT = {"1-50": 8_000, "51-200": 20_000, "201-1000": 50_000, "1001-5000": 120_000,
          "5001+": 300_000}
DAY = timedelta(days=1)


@dataclass
class Deal:
    id: str
    kind: str  # new, renewal, expansion
    created: datetime
    close: datetime
    stage: OpportunityStage
    amount: float
    people: list[Person] = field(default_factory=list)

    @property
    def won(self) -> bool:
        return self.stage == OpportunityStage.CLOSED_WON

    @property
    def closed(self) -> bool:
        return self.stage in (OpportunityStage.CLOSED_WON, OpportunityStage.CLOSED_LOST)


@dataclass
class History:
    """An account's deals, its outcome, and when it was with us."""

    deals: list[Deal] = field(default_factory=list)
    outcome: Outcome = Outcome.NEVER_ENGAGED
    start: datetime | None = None
    # Each time the account became a customer: (from, until), until None while it is.
    spans: list[tuple[datetime, datetime | None]] = field(default_factory=list)


def _on_deal(rng: random.Random, account: Account, params: Params) -> list[Person]:
    people = account.engaged
    chosen = [p for p in people if rng.random() < (
        ON_DEAL.get(p.role, 0.3) if params.role_acts else 0.5)]
    return chosen or [rng.choice(people)]


def win_logit(deal: Deal, account: Account, params: Params) -> float:
    """The deal's log-odds of winning: appetite plus whatever the scenario plants."""
    x = BASE[deal.kind] + account.health
    roles = {p.role for p in deal.people}
    if params.committee_effects:
        x += COMMITTEE["economic_buyer"] * (Role.ECONOMIC_BUYER in roles)
        x += COMMITTEE["champion"] * (Role.CHAMPION in roles)
        x += COMMITTEE["three_roles"] * (len(roles) >= 3)
    if params.drivers:
        order = list(Seniority)  # C-level first
        top = str(min((p.seniority for p in deal.people), key=order.index))
        for d in PLANTED:
            have = account.revenue_band if d.field == "revenue_band" else top
            x += d.effect * (have == d.value)
    return x


def _open_stage(progress: float) -> OpportunityStage:
    stages = (OpportunityStage.PROSPECTING, OpportunityStage.QUALIFICATION,
              OpportunityStage.PROPOSAL, OpportunityStage.NEGOTIATION)
    return stages[min(3, int(progress * 4))]


def deal_history(rng: random.Random, account: Account, params: Params, as_of: datetime,
                 next_id: Callable[[], str]) -> History:
    """Run the account's deals from its first contact with us to ``as_of``."""
    h = History()
    if not account.engaged or account.purpose != "buyer":
        h.outcome = Outcome.OTHER_PURPOSE if account.engaged else Outcome.NEVER_ENGAGED
        return h
    # Deal appetite scaled to the world's expected opportunities per account.
    scale = (params.opportunities / max(1, params.accounts)) / (1_300 / 300)
    retry, expand = min(0.85, 0.45 * scale), min(0.95, 0.8 * scale)
    h.start = as_of - timedelta(days=rng.uniform(60, params.history_days))
    amount = AMOUNT[account.size_band] * rng.lognormvariate(0, 0.4)

    def deal(kind: str, created: datetime, close: datetime) -> Deal:
        d = Deal(id=next_id(), kind=kind, created=created, close=close,
                 stage=OpportunityStage.PROSPECTING,
                 amount=round(amount * (0.3 if kind == "expansion" else 1.0), -2),
                 people=_on_deal(rng, account, params))
        if close > as_of:
            d.stage = _open_stage((as_of - created) / (close - created))
        else:
            won = rng.random() < sigmoid(win_logit(d, account, params))
            d.stage = OpportunityStage.CLOSED_WON if won else OpportunityStage.CLOSED_LOST
        h.deals.append(d)
        return d

    # Each product line (track) is sold, renewed and expanded on its own.
    for _ in range(1 + _poisson(rng, TRACKS * scale)):
        t = h.start + rng.uniform(0, 0.5) * (as_of - h.start)
        while True:
            first = deal("new", t, t + rng.uniform(45, 150) * DAY)
            if not first.closed:
                break
            if first.won:
                h.spans.append(_customer(rng, first.close, as_of, expand, deal))
                break
            if rng.random() >= retry:
                break
            t = first.close + rng.uniform(120, 365) * DAY
            if t >= as_of:
                break
    h.deals.sort(key=lambda d: (d.close, d.id))
    h.outcome = _outcome(h)
    return h


NewDeal = Callable[[str, datetime, datetime], Deal]


def _customer(rng: random.Random, since: datetime, as_of: datetime, expand: float,
              deal: NewDeal) -> tuple[datetime, datetime | None]:
    """Renew every year until a renewal is lost; expand now and then. The span as customer."""
    year = since
    while True:
        if rng.random() < expand:
            at = year + rng.uniform(60, 300) * DAY
            if at - 60 * DAY < as_of:
                deal("expansion", at - 60 * DAY, at)
        renewal_at = year + 365 * DAY
        if renewal_at - 60 * DAY >= as_of:
            return since, None
        r = deal("renewal", renewal_at - 60 * DAY, renewal_at)
        if not r.closed:
            return since, None
        if not r.won:
            return since, renewal_at
        year = renewal_at


def _outcome(h: History) -> Outcome:
    if any(until is None for _, until in h.spans):
        return Outcome.WON
    if h.spans:
        return Outcome.CHURNED
    return Outcome.LOST_ONLY if any(d.closed for d in h.deals) else Outcome.PIPELINE


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw by Knuth's method (small means only)."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
