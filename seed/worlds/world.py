"""Build a whole world: users, accounts, people, deals, touchpoints, and the truth.

``build_world("role_independent", seed=7)`` returns a :class:`CrmWorld` holding
the CRM records as model objects (what a store or an export gets) and a
:class:`~seed.worlds.truth.Truth` kept apart. The same scenarios, seed, date and
parameters always give the same world, byte for byte.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from graph import model as m
from graph.model import (
    Company,
    Contact,
    Department,
    Lifecycle,
    OnTeam,
    Opportunity,
    Owns,
    ProfileItem,
    Silo,
    TeamRole,
    Touchpoint,
    User,
    UserRole,
    Visibility,
    department_id,
)
from seed.worlds import vocab
from seed.worlds.activity import Touch, acts, segments, talk
from seed.worlds.deals import NOISE_FIELDS, PLANTED, PROXY_FIELDS, History, deal_history
from seed.worlds.params import WORLD_DATE, Params, params_for
from seed.worlds.people import Account, make_account, set_windows, staff
from seed.worlds.truth import ROLE_CATEGORY, Outcome, Role, Truth

# Write order: every kind refers only to kinds before it.
ORDER = ("user", "company", "department", "contact", "touchpoint", "profile_item",
         "opportunity", "deal_role", "ON_TEAM", "OWNS")
# Salesforce's OpportunityContactRole.Role picklist (standard values) for each true role.
SALESFORCE_ROLE = {
    Role.ECONOMIC_BUYER: "Economic Buyer", Role.TECHNICAL_EVALUATOR: "Technical Buyer",
    Role.END_USER: "Business User", Role.CHAMPION: "Influencer", Role.PURCHASER: "Other",
    Role.FINANCE: "Other", Role.ANALYST: "Other", Role.MEDIA: "Other",
}
_LIFECYCLE = {Outcome.WON: Lifecycle.CUSTOMER, Outcome.CHURNED: Lifecycle.CHURNED}


@dataclass(frozen=True)
class DealRole:
    """One row of OpportunityContactRole: who was on a deal, and the role a rep entered."""

    opportunity_id: str
    contact_id: str
    role: str | None  # a Salesforce Role picklist value, or None (truth withheld)
    is_primary: bool | None


@dataclass
class CrmWorld:
    """A generated CRM and its truth."""

    seed: int
    scenarios: tuple[str, ...]
    params: Params
    as_of: datetime
    users: list[User] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    touchpoints: list[Touchpoint] = field(default_factory=list)
    profile_items: list[ProfileItem] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)
    teams: list[OnTeam] = field(default_factory=list)
    owners: list[Owns] = field(default_factory=list)
    deal_roles: list[DealRole] = field(default_factory=list)
    deal_kinds: dict[str, str] = field(default_factory=dict)  # opportunity id -> new, renewal...
    truth: Truth = field(default_factory=Truth)

    def batches(self) -> Iterator[tuple[str, list[Any]]]:
        """``(kind, items)`` in an order a store can write one after another."""
        lists: tuple[list[Any], ...] = (
            self.users, self.companies, self.departments, self.contacts, self.touchpoints,
            self.profile_items, self.opportunities, self.deal_role_nodes(), self.teams,
            self.owners,
        )
        for kind, items in zip(ORDER, lists, strict=True):
            if items:
                yield kind, list(items)

    def deal_role_nodes(self) -> list[m.DealRole]:
        """OpportunityContactRole rows as the store keeps them (ids as the export's)."""
        return [m.DealRole(id=f"ocr-{i:06d}", opportunity_id=r.opportunity_id,
                           contact_id=r.contact_id, role=r.role, is_primary=bool(r.is_primary))
                for i, r in enumerate(self.deal_roles, start=1)]

    def counts(self) -> dict[str, int]:
        """How many records of each kind the world holds (as :meth:`batches` gives them)."""
        return {kind: len(items) for kind, items in self.batches()}

    def truth_data(self) -> dict[str, Any]:
        """The world's parameters and truth as JSON-ready data (never imported)."""
        t = self.truth
        return {
            "seed": self.seed, "scenarios": list(self.scenarios), "as_of": self.as_of.isoformat(),
            "params": asdict(self.params), "counts": self.counts(),
            "role_category": {str(r): c for r, c in ROLE_CATEGORY.items()},
            "roles": {c: str(r) for c, r in sorted(t.roles.items())},
            "engaged": sorted(t.engaged),
            "outcomes": {c: str(o) for c, o in sorted(t.outcomes.items())},
            "drivers": [asdict(d) for d in t.drivers],
            "noise_fields": t.noise_fields, "proxy_fields": t.proxy_fields,
        }

    def store_counts(self) -> dict[str, int]:
        """What ``Store.counts()`` reads back after a direct load into an empty store.

        Node kinds and explicit relationships as :meth:`counts`, plus the
        relationships a store derives from node fields.
        """
        derived = {
            "HAS_DEPARTMENT": len(self.departments),
            "EMPLOYED_AT": len(self.contacts),
            "WORKS_IN": sum(c.department_id is not None for c in self.contacts),
            "PARTICIPATED_IN": sum(len(t.contact_ids) + len(t.user_ids)
                                   for t in self.touchpoints),
            "ON_ACCOUNT": len(self.touchpoints),
            "HAS_PROFILE_ITEM": len(self.profile_items),
            "FOR_ACCOUNT": len(self.opportunities),
            "INVOLVED_IN": sum(len(o.contact_ids) for o in self.opportunities),
            "HAS_ROLE": len(self.deal_roles),
            "PLAYS": len(self.deal_roles),
        }
        return {**{kind: 0 for kind in ORDER}, **self.counts(), **derived}


def build_world(
    scenarios: str | Sequence[str] = (),
    *,
    seed: int = 7,
    as_of: datetime = WORLD_DATE,
    params: Params | None = None,
    **overrides: Any,
) -> CrmWorld:
    """Generate a world of the given scenarios (see :data:`~seed.worlds.params.SCENARIOS`).

    >>> w = build_world("no_departments", seed=1, accounts=12, contacts=48, touchpoints=900,
    ...                 opportunities=50, users=4)
    >>> len(w.companies), len(w.contacts), w.departments
    (12, 48, [])
    """
    names = (scenarios,) if isinstance(scenarios, str) else tuple(scenarios)
    p = params if params is not None else params_for(list(names), **overrides)
    w = CrmWorld(seed=seed, scenarios=names, params=p, as_of=as_of)
    w.users = _users(random.Random(f"{seed}:users"), p.users)
    rng = random.Random(f"{seed}:world")
    sizes = _contacts_per_account(rng, p)
    opp_ids = (f"opp-{i:05d}" for i in range(1, 10**6))
    planned: list[tuple[random.Random, Account, History, list[Touch]]] = []
    weight = 0.0
    for i in range(p.accounts):
        arng = random.Random(f"{seed}:account:{i}")
        purpose = _purpose(i, p.accounts)
        account = make_account(arng, i + 1, p, purpose)
        account.never_engaged = purpose == "buyer" and arng.random() < 0.12
        staff(arng, account, sizes[i], p)
        _team(arng, account, w.users)
        history = deal_history(arng, account, p, as_of, lambda: next(opp_ids))
        if history.start is None and account.engaged:
            history.start = as_of - timedelta(days=arng.uniform(60, p.history_days))
        if history.start is not None:
            history.start = _minute(history.start)
        if history.start is not None:
            set_windows(arng, account, history.start, as_of, p)
        done = acts(arng, account, history, p, as_of)
        weight += sum(s.weight for s in segments(account, history, as_of)) * len(account.engaged)
        planned.append((arng, account, history, done))
    # What acts and champions' introductions do not fill is everyday talk.
    n_acts = sum(len(done) for *_, done in planned)
    intros = sum(0.5 * (len(a.engaged) - 1) for _, a, _, _ in planned
                 if p.champion_behaviour and any(x.role == Role.CHAMPION for x in a.engaged))
    rate = max(0.0, p.touchpoints - n_acts - intros) / weight if weight else 0.0
    tp = 0
    for arng, account, history, done in planned:
        touches = done + talk(arng, account, segments(account, history, as_of), rate, p, as_of)
        touches.sort(key=lambda t: (t.at, t.kind.value, t.people[0].id))
        for t in touches:
            tp += 1
            w.touchpoints.append(_touchpoint(f"tp-{tp:06d}", account, t))
        _records(arng, w, account, history)
    _truth(w)
    return w


def _purpose(i: int, n: int) -> str:
    """About one account in fifty is an analyst firm or a publisher."""
    others = round(n * 0.02)
    if i >= others:
        return "buyer"
    return "analyst" if i % 2 == 0 else "media"


def _contacts_per_account(rng: random.Random, p: Params) -> list[int]:
    """Exactly ``p.contacts`` spread over the accounts, bigger companies holding more."""
    if not p.accounts:
        return []
    base = min(p.contacts, p.accounts)
    sizes = [1 if i < base else 0 for i in range(p.accounts)]
    weights = [rng.lognormvariate(0, 0.6) for _ in range(p.accounts)]
    for i in rng.choices(range(p.accounts), weights=weights, k=p.contacts - base):
        sizes[i] += 1
    return sizes


def _users(rng: random.Random, n: int) -> list[User]:
    roles = [UserRole.EXECUTIVE] + [
        (UserRole.ACCOUNT_MANAGER, UserRole.SALES_REP, UserRole.ACCOUNT_MANAGER,
         UserRole.SUPPORT_ENGINEER)[i % 4] for i in range(max(0, n - 1))]
    out = []
    for i, role in enumerate(roles[:n]):
        first, last = rng.choice(vocab.FIRST_NAMES), rng.choice(vocab.LAST_NAMES)
        out.append(User(id=f"user-{i + 1:02d}", name=f"{first} {last}",
                        email=f"{first}.{last}{i + 1}@vendor.example".lower(), role=role))
    return out


def _team(rng: random.Random, account: Account, users: list[User]) -> None:
    sellers = [u.id for u in users if u.role in (UserRole.ACCOUNT_MANAGER, UserRole.SALES_REP)]
    support = [u.id for u in users if u.role == UserRole.SUPPORT_ENGINEER]
    execs = [u.id for u in users if u.role == UserRole.EXECUTIVE]
    account.owner = rng.choice(sellers or [u.id for u in users])
    account.team = [(account.owner, TeamRole.OWNER.value)]
    if support and rng.random() < 0.6:
        account.team.append((rng.choice(support), TeamRole.SUPPORT.value))
    if execs and rng.random() < 0.15:
        account.team.append((execs[0], TeamRole.EXECUTIVE_SPONSOR.value))


def _touchpoint(tid: str, account: Account, t: Touch) -> Touchpoint:
    people = list(dict.fromkeys(p.id for p in t.people))
    return Touchpoint(id=tid, company_id=account.id, type=t.kind, at=_minute(t.at),
                      direction=t.direction, outcome=t.outcome, campaign=t.campaign,
                      subject=t.subject, contact_ids=people,
                      user_ids=list(dict.fromkeys(t.users)))


def _minute(at: datetime) -> datetime:
    """CRMs keep activity times to the minute; so do exports, so both ways in agree."""
    return at.replace(second=0, microsecond=0)


def _records(rng: random.Random, w: CrmWorld, a: Account, h: History) -> None:
    """The account's CRM records; the truth of its people and outcome."""
    target = h.outcome not in (Outcome.WON, Outcome.CHURNED) and rng.random() < 0.4
    w.companies.append(Company(
        id=a.id, name=a.name, domain=a.domain, industry=a.industry, size_band=a.size_band,
        revenue_band=a.revenue_band, region=a.region,
        lifecycle=_LIFECYCLE.get(h.outcome, Lifecycle.PROSPECT), target=target))
    seen: set[str] = set()
    for person in a.people:
        dep = department_id(a.id, person.function) if person.shows_department else None
        if dep is not None and dep not in seen:
            seen.add(dep)
            w.departments.append(Department(id=dep, company_id=a.id, function=person.function))
        w.contacts.append(Contact(
            id=person.id, company_id=a.id, name=person.name, email=person.email,
            title=person.title, seniority=person.seniority if person.shows_seniority else None,
            department_id=dep, sources=[Silo(person.silo)]))
        w.truth.roles[person.id] = person.role
        for n, (key, values) in enumerate(vocab.PROFILE_ITEMS.items()):
            if rng.random() < 0.5:
                w.profile_items.append(ProfileItem(
                    id=f"{person.id}-p{n + 1}", contact_id=person.id, key=key,
                    value=rng.choice(values), visibility=Visibility.PUBLIC,
                    entered_by=a.owner, entered_at=h.start or w.as_of))
    for d in h.deals:
        w.opportunities.append(Opportunity(
            id=d.id, company_id=a.id, name=f"{a.name} - {d.kind} {d.close.year}",
            amount=d.amount, stage=d.stage, close_date=d.close.date(),
            contact_ids=[p.id for p in d.people]))
        w.deal_kinds[d.id] = d.kind
        for i, p in enumerate(d.people):
            entered = rng.random() < w.params.entered_roles
            role = p.role
            if entered and rng.random() < w.params.entered_role_errors:
                role = rng.choice([r for r in SALESFORCE_ROLE if r != p.role])
            w.deal_roles.append(DealRole(d.id, p.id, SALESFORCE_ROLE[role] if entered else None,
                                         (i == 0) if entered else None))
    for user, team_role in a.team:
        w.teams.append(OnTeam(source=user, target=a.id, role=TeamRole(team_role)))
    since = h.start or (w.as_of - timedelta(days=w.params.history_days))
    w.owners.append(Owns(source=a.owner, target=a.id, since=since))
    w.truth.outcomes[a.id] = h.outcome


def _truth(w: CrmWorld) -> None:
    w.truth.engaged = {c for t in w.touchpoints for c in t.contact_ids}
    if w.params.drivers:
        w.truth.drivers = list(PLANTED)
        w.truth.noise_fields = list(NOISE_FIELDS)
        w.truth.proxy_fields = list(PROXY_FIELDS)
    else:
        # Without planted drivers every firmographic and profile field is noise.
        w.truth.noise_fields = [*NOISE_FIELDS, "revenue_band", "size_band"]
    assert set(ROLE_CATEGORY) >= set(w.truth.roles.values())


def role_counts(w: CrmWorld) -> Counter[str]:
    """True roles of the world's contacts, by name."""
    return Counter(str(r) for r in w.truth.roles.values())
