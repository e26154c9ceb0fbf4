"""The plan of a world: which companies, built for which scenario, with how many
contacts and touchpoints each.

Planning is cheap (a few numbers per company) and happens up front, so the
exact totals are known before anything is generated and every company can be
built later on its own, from its own random stream.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from enum import StrEnum

from seed.generator import vocab
from seed.generator.sizes import MAP_ACCOUNT_CONTACTS, MAP_ACCOUNT_MIN_BUDGET, Sizes


class Scenario(StrEnum):
    """What an account was built to show."""

    GROWING = "growing"
    SINGLE_THREADED = "single_threaded"
    CHAMPION_QUIET = "champion_quiet"
    CHAMPION_LEFT = "champion_left"
    CHAMPION_ARRIVED = "champion_arrived"
    DORMANT = "dormant"
    MEDIA_ONLY = "media_only"
    PURCHASED_ONLY = "purchased_only"
    MARKETING_ONLY = "marketing_only"
    NO_DECISION_MAKER = "no_decision_maker"
    EMPTY = "empty"
    MAP = "map"
    TYPICAL = "typical"


# The relationship status (DOMAIN.md) each scenario is built to read as; TYPICAL
# accounts promise nothing.
EXPECTED_STATUS: dict[Scenario, str | None] = {
    Scenario.GROWING: "can_grow",
    Scenario.MAP: "can_grow",
    Scenario.CHAMPION_ARRIVED: "can_grow",
    Scenario.SINGLE_THREADED: "at_risk",
    Scenario.CHAMPION_QUIET: "at_risk",
    Scenario.CHAMPION_LEFT: "at_risk",
    Scenario.NO_DECISION_MAKER: "at_risk",
    Scenario.DORMANT: "dormant",
    Scenario.MEDIA_ONLY: "no_relationship",
    Scenario.PURCHASED_ONLY: "no_relationship",
    Scenario.MARKETING_ONLY: "no_relationship",
    Scenario.EMPTY: "no_relationship",
    Scenario.TYPICAL: None,
}

# Named accounts, in priority order (a tiny world gets the first few). The
# arrival comes before the departure so the champion's new employer already
# exists when the champion is written.
NAMED: tuple[tuple[Scenario, int], ...] = (
    (Scenario.GROWING, 90),
    (Scenario.SINGLE_THREADED, 25),
    (Scenario.CHAMPION_QUIET, 45),
    (Scenario.CHAMPION_ARRIVED, 35),
    (Scenario.CHAMPION_LEFT, 40),
    (Scenario.DORMANT, 30),
    (Scenario.MEDIA_ONLY, 12),
    (Scenario.PURCHASED_ONLY, 60),
    (Scenario.EMPTY, 0),
    (Scenario.MARKETING_ONLY, 40),
    (Scenario.NO_DECISION_MAKER, 30),
    (Scenario.GROWING, 120),
    (Scenario.GROWING, 70),
    (Scenario.MAP, MAP_ACCOUNT_CONTACTS),
)

# Scenarios of the accounts after the named ones.
DRAWN = (
    (Scenario.TYPICAL, 60), (Scenario.GROWING, 12), (Scenario.SINGLE_THREADED, 6),
    (Scenario.CHAMPION_QUIET, 4), (Scenario.CHAMPION_LEFT, 3), (Scenario.DORMANT, 6),
    (Scenario.MEDIA_ONLY, 2), (Scenario.PURCHASED_ONLY, 3), (Scenario.MARKETING_ONLY, 2),
    (Scenario.NO_DECISION_MAKER, 2),
)

# Touchpoints per contact, relative to an ordinary account.
INTENSITY: dict[Scenario, float] = {
    Scenario.GROWING: 1.6,
    Scenario.TYPICAL: 1.0,
    Scenario.CHAMPION_QUIET: 1.0,
    Scenario.CHAMPION_LEFT: 1.0,
    Scenario.CHAMPION_ARRIVED: 1.2,
    Scenario.NO_DECISION_MAKER: 1.0,
    Scenario.SINGLE_THREADED: 0.5,
    Scenario.DORMANT: 0.6,
    Scenario.MEDIA_ONLY: 1.0,
    Scenario.MARKETING_ONLY: 0.6,
    Scenario.MAP: 0.2,
    Scenario.PURCHASED_ONLY: 0.0,
    Scenario.EMPTY: 0.0,
}


@dataclass
class CompanyPlan:
    """One company before it is built."""

    index: int
    id: str
    name: str
    domain: str
    scenario: Scenario
    industry: str
    size_band: str
    revenue_band: str
    region: str
    target: bool
    partner: bool
    contacts: int = 0
    touchpoints: int = 0
    named: bool = False
    notes: dict[str, str] = field(default_factory=dict)


def company_rng(seed: int, index: int, purpose: str = "company") -> random.Random:
    """The random stream of one company: independent of every other company."""
    return random.Random(f"accountgraph:{seed}:{purpose}:{index}")


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    s = sum(weights)
    if total == 0 or s == 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(r) for r in raw]
    short = total - sum(out)
    by_remainder = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in by_remainder[:short]:
        out[i] += 1
    return out


def _name(rng: random.Random, industry: str, taken: set[str]) -> str:
    stem = rng.choice(vocab.NAME_STEMS)
    if rng.random() < 0.5:
        stem += rng.choice(vocab.NAME_TAILS)
    name = f"{stem} {rng.choice(vocab.INDUSTRIES[industry])}"
    base, n = name, 2
    while name in taken:
        name, n = f"{base} {n}", n + 1
    taken.add(name)
    return name


def _domain(name: str, region: str) -> str:
    slug = "".join(ch for ch in name.lower() if ch.isalnum())
    return f"{slug}.{vocab.TLDS[region]}"


def plan_world(seed: int, sizes: Sizes) -> list[CompanyPlan]:
    """Every company of the world with its scenario and exact budgets."""
    rng = random.Random(f"accountgraph:{seed}:plan")
    width = max(5, len(str(sizes.companies)))
    big_enough = sizes.contacts >= MAP_ACCOUNT_MIN_BUDGET
    named = [s for s in NAMED if s[0] is not Scenario.MAP or big_enough][: sizes.companies]
    # Named accounts take their set sizes unless the budget is too small, then
    # shrink in proportion so ordinary accounts keep at least 20% of it.
    wanted = sum(n for _, n in named)
    room = int(sizes.contacts * (0.8 if len(named) < sizes.companies else 1.0))
    scale = min(1.0, room / wanted) if wanted else 1.0
    industries = list(vocab.INDUSTRIES)
    taken: set[str] = set()
    plans: list[CompanyPlan] = []
    first_typical = True
    for i in range(sizes.companies):
        if i < len(named):
            scenario, fixed = named[i]
        else:
            scenario = rng.choices([s for s, _ in DRAWN], [w for _, w in DRAWN])[0]
            fixed = -1
        if scenario is Scenario.MEDIA_ONLY:
            industry = "Media"
        elif scenario is Scenario.MAP:
            industry = "Manufacturing"
        else:
            industry = rng.choices(industries, vocab.INDUSTRY_WEIGHTS)[0]
        size_i = rng.choices(range(5), vocab.SIZE_WEIGHTS)[0]
        if scenario is Scenario.MAP:
            size_i = 4
        rev_i = max(0, min(4, size_i + rng.choice((-1, 0, 0, 1))))
        region = rng.choices(vocab.REGIONS, vocab.REGION_WEIGHTS)[0]
        name = _name(rng, industry, taken)
        partner = scenario is Scenario.TYPICAL and (first_typical or rng.random() < 0.08)
        if scenario is Scenario.TYPICAL:
            first_typical = False
        target = scenario in (Scenario.PURCHASED_ONLY, Scenario.MARKETING_ONLY) or (
            rng.random() < 0.3
        )
        plan = CompanyPlan(
            index=i,
            id=f"co-{i:0{width}d}",
            name=name,
            domain=_domain(name, region),
            scenario=scenario,
            industry=industry,
            size_band=vocab.SIZE_BANDS[size_i],
            revenue_band=vocab.REVENUE_BANDS[rev_i],
            region=region,
            target=target,
            partner=partner,
            named=fixed >= 0,
        )
        if fixed >= 0:
            plan.contacts = 0 if fixed == 0 else max(1, int(fixed * scale))
        plans.append(plan)
    _share_contacts(rng, plans, sizes.contacts)
    weights = [p.contacts * INTENSITY[p.scenario] for p in plans]
    if not any(weights):
        # Only accounts that should have no touchpoints: the caller asked for
        # touchpoints anyway, so give them to whoever has contacts.
        weights = [float(p.contacts) for p in plans]
    tps = _allocate(sizes.touchpoints, weights)
    for p, n in zip(plans, tps, strict=True):
        p.touchpoints = n
    return plans


def _share_contacts(rng: random.Random, plans: list[CompanyPlan], total: int) -> None:
    """Give the ordinary accounts the contacts the named ones left, skewed like a real book."""
    left = total - sum(p.contacts for p in plans if p.named)
    while left < 0:
        # A budget smaller than the named accounts' minimum: take from the biggest.
        biggest = max(plans, key=lambda p: p.contacts)
        biggest.contacts -= 1
        left += 1
    free = [p for p in plans if not p.named]
    if not free:
        # Only named accounts: the last non-empty one absorbs any rounding.
        for p in reversed(plans):
            if p.scenario is not Scenario.EMPTY:
                p.contacts += left
                break
        return
    weights = [rng.lognormvariate(0, 0.9) for _ in free]
    # Every ordinary account gets at least one contact when there are enough.
    floor = 1 if left >= len(free) else 0
    shares = _allocate(left - floor * len(free), weights)
    for p, n in zip(free, shares, strict=True):
        p.contacts = n + floor
