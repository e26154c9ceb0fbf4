"""Build a world company by company and stream it out in batches.

``generate(seed, sizes)`` returns a :class:`World`; iterating it yields
``(kind, items)`` batches in an order a store can write one after another
(nothing refers to an id that was not in an earlier batch). At most one
company's people and touchpoints plus one batch per kind are held in memory,
so ``large`` (10 million touchpoints) streams in constant memory.

After iteration ``world.counts`` holds what was generated per node kind and
per relationship kind (derived ones included), which is what
``Store.counts()`` should read back, and ``world.manifest`` says which account
was built for which scenario.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from pydantic import BaseModel

from graph.model import (
    Company,
    Contact,
    Department,
    Function,
    Lifecycle,
    OpportunityStage,
    ProfileItem,
    ReportsTo,
    Visibility,
    department_id,
)
from seed.generator import deals, people, roles, shaping, touchpoints
from seed.generator.plan import EXPECTED_STATUS, CompanyPlan, Scenario, company_rng, plan_world
from seed.generator.sizes import PRESETS, REFERENCE_NOW, Sizes
from seed.generator.users import before_handover, make_staff, make_team
from seed.generator.vocab import RARE_DECOY, RARE_DECOY_CASES

# Write order: every kind refers only to kinds before it.
ORDER = (
    "user", "company", "department", "contact", "touchpoint", "profile_item", "opportunity",
    "deal_role", "EMPLOYED_AT", "REPORTS_TO", "KNOWS", "ON_TEAM", "OWNS",
)
NODE_KINDS = ORDER[:8]

# Scenarios whose accounts a moving champion may land at.
_LANDINGS = (Scenario.CHAMPION_ARRIVED, Scenario.GROWING, Scenario.TYPICAL)
# Scenarios where the latest closed deal is made a win (recorded as forced) so
# the account has the lifecycle its story needs.
_FORCE_WIN = (Scenario.GROWING, Scenario.MAP, Scenario.CHAMPION_ARRIVED, Scenario.DORMANT)


@dataclass
class AccountRecord:
    """What one account was built to show, for tests and docs to check against."""

    company_id: str
    name: str
    scenario: Scenario
    expected_status: str | None
    lifecycle: str
    target: bool
    industry: str
    contacts: int
    people: dict[str, str] = field(default_factory=dict)  # "champion" -> contact id...
    forced_wins: list[str] = field(default_factory=list)


_DEFAULTS: dict[type[BaseModel], tuple[dict[str, Any], dict[str, Any]]] = {}


def _construct(cls: type[BaseModel], **kw: Any) -> Any:
    """Build a model without validating it: 4 us instead of 20 (14 for model_construct).

    The generator builds values that already are what validation would make of
    them (UTC datetimes, enum members, lower-case emails); the tests validate a
    whole demo world to keep that true (tests/unit/seed/test_validity.py).
    """
    if cls not in _DEFAULTS:
        static = {n: f.default for n, f in cls.model_fields.items()
                  if not f.is_required() and f.default_factory is None}
        factories = {n: f.default_factory for n, f in cls.model_fields.items()
                     if f.default_factory is not None}
        _DEFAULTS[cls] = (static, factories)
    static, factories = _DEFAULTS[cls]
    fields_set = set(kw)
    if len(kw) != len(cls.model_fields):
        # Missing fields take their defaults (touchpoints pass all: the hot path).
        kw = {**static, **kw}
        for name, factory in factories.items():
            if name not in kw:
                kw[name] = factory()  # type: ignore[call-arg]  # our models take no data
    obj: Any = object.__new__(cls)
    _set(obj, "__dict__", kw)
    _set(obj, "__pydantic_fields_set__", fields_set)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


_set = object.__setattr__


def _validate(cls: type[BaseModel], **kw: Any) -> Any:
    return cls(**kw)


def _counter(prefix: str, width: int) -> Callable[[], str]:
    numbers = itertools.count(1)
    return lambda: f"{prefix}-{next(numbers):0{width}d}"


class World:
    """A deterministic world: iterate it for batches, then read its report."""

    def __init__(
        self,
        seed: int = 42,
        sizes: Sizes | None = None,
        *,
        batch_size: int = 50_000,
        validate: bool = False,
        keep_roles: bool = False,
    ):
        self.seed = seed
        self.sizes = sizes or PRESETS["demo"]
        self.batch_size = batch_size
        self.build: Callable[..., Any] = _validate if validate else _construct
        self.keep_roles = keep_roles
        self.plans: list[CompanyPlan] = plan_world(seed, self.sizes)
        self.staff = make_staff(seed, self.sizes.companies)
        self.counts: Counter[str] = Counter()
        self.manifest: list[AccountRecord] = []
        self._records: dict[str, AccountRecord] = {}
        self.roles: dict[str, str] = {}
        self.done = False

    @property
    def planned(self) -> dict[str, int]:
        """Totals known before generating: what a progress bar can count towards."""
        return {
            "user": len(self.staff.users),
            "company": self.sizes.companies,
            "contact": self.sizes.contacts,
            "touchpoint": self.sizes.touchpoints,
        }

    def scenario_of(self, company_id: str) -> AccountRecord:
        """The manifest record of one account."""
        return self._records[company_id]

    def __iter__(self) -> Iterator[tuple[str, list[Any]]]:
        if self.done:
            raise RuntimeError("a World streams once; build a new one to generate again")
        self.done = True
        buffers: dict[str, list[Any]] = {k: [] for k in ORDER}

        def put(kind: str, items: list[Any]) -> Iterator[tuple[str, list[Any]]]:
            buffers[kind].extend(items)
            if len(buffers[kind]) >= self.batch_size:
                # Flush everything this kind may refer to first.
                for k in ORDER[: ORDER.index(kind) + 1]:
                    yield from flush(k)

        def flush(kind: str) -> Iterator[tuple[str, list[Any]]]:
            buf = buffers[kind]
            while buf:
                batch, buffers[kind] = buf[: self.batch_size], buf[self.batch_size :]
                buf = buffers[kind]
                self._count(kind, batch)
                yield kind, batch

        yield from put("user", list(self.staff.users))
        ids = _Ids()
        landings: list[shaping.Landing] = []
        for plan in self.plans:
            for kind, items in self._company(plan, ids, landings):
                yield from put(kind, items)
        for k in ORDER:
            yield from flush(k)

    # -- one company -----------------------------------------------------------

    def _company(
        self,
        plan: CompanyPlan,
        ids: _Ids,
        landings: list[shaping.Landing],
    ) -> list[tuple[str, list[Any]]]:
        rng = company_rng(self.seed, plan.index)
        build = self.build
        folks = people.make_people(rng, plan, ids.contact)
        ids.contact += len(folks)
        landing = None
        if plan.scenario is Scenario.CHAMPION_LEFT and landings:
            # An account built to receive a champion receives exactly one.
            built = [la for la in landings if la.built_for_it]
            landing = built[0] if built else rng.choice(landings)
            if landing.built_for_it:
                landings.remove(landing)
        notes = shaping.shape(rng, plan, folks, landing)
        functions = people.departments_for(plan, folks)
        depts = [
            build(Department, id=department_id(plan.id, f), company_id=plan.id, function=f,
                  name=str(f))
            for f in functions
        ]
        team, on_team, owns, team_notes = make_team(rng, plan, self.staff)
        notes.update(team_notes)
        user_ids = [r.source for r in on_team]
        profiles = deals.make_profile_items(rng, folks, user_ids, ids.profile, build)
        tps = touchpoints.make_touchpoints(
            rng, plan.id, folks, plan.touchpoints, team, ids.touchpoint, build,
            recent_skew=plan.scenario in (Scenario.GROWING, Scenario.MAP),
        )
        opps = self._deals(rng, plan, folks, profiles, ids)
        forced = self._force_win(rng, plan, opps)
        extra = ids.place_decoy(plan, opps, profiles, build)
        lifecycle = deals.lifecycle(plan, opps)
        company = build(
            Company, id=plan.id, name=plan.name, domain=plan.domain, industry=plan.industry,
            size_band=plan.size_band, revenue_band=plan.revenue_band, region=plan.region,
            lifecycle=lifecycle, target=plan.target,
        )
        entered = roles.entered_roles(self.seed, plan.index, folks, team.owner)
        contacts = [self._contact(p, entered.get(p.id)) for p in folks]
        deal_roles = roles.deal_roles(self.seed, plan.index, folks, opps, build)
        if self.keep_roles:
            self.roles.update((p.id, str(p.role)) for p in folks)
        if plan.scenario in _LANDINGS:
            landings.append(
                shaping.Landing(plan.id, {Function(d.function): d.id for d in depts},
                                (team.owner,), plan.scenario is Scenario.CHAMPION_ARRIVED),
            )
        record = AccountRecord(
            company_id=plan.id, name=plan.name, scenario=plan.scenario,
            # A customer who left us reads as churned whatever else it shows.
            expected_status=("churned" if lifecycle is Lifecycle.CHURNED
                             and EXPECTED_STATUS[plan.scenario] is not None
                             else EXPECTED_STATUS[plan.scenario]),
            lifecycle=str(lifecycle),
            target=plan.target, industry=plan.industry, contacts=len(folks),
            people=notes, forced_wins=forced,
        )
        self.manifest.append(record)
        self._records[plan.id] = record
        if landing is not None:
            arrived = next(p.id for p in folks if p.moved_to is not None)
            self.scenario_of(landing.company_id).people["arrived_champion"] = arrived
        items = [p for ps in profiles.values() for p in ps] + extra
        tps, items = before_handover(plan.id, team.owner, owns, tps, items, build)
        return [
            ("company", [company]),
            ("department", depts),
            ("contact", contacts),
            ("touchpoint", tps),
            ("profile_item", items),
            ("opportunity", opps),
            ("deal_role", deal_roles),
            ("EMPLOYED_AT", [e for p in folks for e in shaping.employment(p)]),
            ("REPORTS_TO", [_reports_to(a, b) for a, b in people.reporting_lines(rng, folks)]),
            ("KNOWS", shaping.knows(rng, folks, team.owner, team.support)),
            ("ON_TEAM", on_team),
            ("OWNS", owns),
        ]

    def _deals(
        self, rng: Any, plan: CompanyPlan, folks: list[people.Person],
        profiles: dict[str, list[Any]], ids: _Ids,
    ) -> list[Any]:
        if plan.scenario in (Scenario.MEDIA_ONLY, Scenario.PURCHASED_ONLY,
                             Scenario.MARKETING_ONLY, Scenario.EMPTY):
            return []
        dormant = plan.scenario is Scenario.DORMANT
        return deals.make_opportunities(
            rng, plan, folks, profiles, ids.opportunity, self.build,
            newest_days=shaping.DORMANT_DAYS + 20 if dormant else 0.0, allow_open=not dormant,
        )

    def _force_win(self, rng: Any, plan: CompanyPlan, opps: list[Any]) -> list[str]:
        """Make the story's lifecycle true; returns the ids of deals it changed.

        Growing accounts (and the map and arrival ones) bought within the last
        year, so they read as customers; the dormant one bought once, long ago,
        so it reads as churned. Forced deals are listed in the manifest so a
        trigger analysis can leave them out.
        """
        if plan.scenario not in _FORCE_WIN or not opps:
            return []
        today = REFERENCE_NOW.date()
        recent = plan.scenario is not Scenario.DORMANT

        def fits(o: Any) -> bool:
            age = (today - o.close_date).days
            return bool(o.stage is OpportunityStage.CLOSED_WON and (not recent or age <= 365))

        if any(fits(o) for o in opps):
            return []
        i = deals.latest_closed(opps)
        i = 0 if i is None else i
        change: dict[str, Any] = {"stage": OpportunityStage.CLOSED_WON}
        age = (today - opps[i].close_date).days
        if age < 0 or (recent and age > 365):
            change["close_date"] = today - timedelta(days=rng.randrange(30, 300))
        opps[i] = self.build(type(opps[i]), **{**dict(opps[i]), **change})
        return [opps[i].id]

    def _contact(self, p: people.Person, entered: dict[str, Any] | None) -> Contact:
        company, dept, title = p.company_id, p.dept_id, p.title
        if p.moved_to is not None:
            company, dept, title = p.moved_to[0], p.moved_to[1], p.moved_to[2]
        result: Contact = self.build(
            Contact, id=p.id, company_id=company, name=p.name, email=p.email, phone=p.phone,
            title=title, seniority=p.seniority, status=p.status, department_id=dept,
            sources=list(p.sources), **(entered or {}),
        )
        return result

    # -- the report --------------------------------------------------------------

    def _count(self, kind: str, batch: list[Any]) -> None:
        """Count a batch, and the relationships the store derives from its fields."""
        c = self.counts
        c[kind] += len(batch)
        if kind == "department":
            c["HAS_DEPARTMENT"] += len(batch)
        elif kind == "contact":
            c["WORKS_IN"] += sum(1 for x in batch if x.department_id)
        elif kind == "touchpoint":
            c["ON_ACCOUNT"] += len(batch)
            c["PARTICIPATED_IN"] += sum(len(x.contact_ids) + len(x.user_ids) for x in batch)
        elif kind == "profile_item":
            c["HAS_PROFILE_ITEM"] += len(batch)
        elif kind == "opportunity":
            c["FOR_ACCOUNT"] += len(batch)
            c["INVOLVED_IN"] += sum(len(x.contact_ids) for x in batch)
        elif kind == "deal_role":
            c["HAS_ROLE"] += len(batch)
            c["PLAYS"] += len(batch)
        # EMPLOYED_AT: every contact's current employer is among its explicit
        # employment rows, so the explicit rows are the whole count.


def _reports_to(a: str, b: str) -> ReportsTo:
    return ReportsTo(source=a, target=b)


class _Ids:
    """Running id counters for one world (ids depend only on generation order)."""

    def __init__(self) -> None:
        self.contact = 1
        self.touchpoint = _counter("tp", 8)
        self.profile = _counter("pi", 7)
        self.opportunity = _counter("op", 6)
        self.decoys = 0

    def place_decoy(
        self, plan: CompanyPlan, opps: list[Any], profiles: dict[str, list[Any]], build: Any
    ) -> list[Any]:
        """Give the rare decoy item to a contact of a won deal, three times in all."""
        if self.decoys >= RARE_DECOY_CASES or plan.scenario not in (Scenario.TYPICAL,
                                                                    Scenario.GROWING):
            return []
        for o in opps:
            if o.stage is not OpportunityStage.CLOSED_WON:
                continue
            cid = o.contact_ids[0]
            if any(i.key == RARE_DECOY[0] for i in profiles.get(cid, [])):
                continue
            self.decoys += 1
            return [build(ProfileItem, id=self.profile(), contact_id=cid, key=RARE_DECOY[0],
                          value=RARE_DECOY[1], visibility=Visibility.PUBLIC,
                          entered_at=REFERENCE_NOW)]
        return []


def generate(seed: int = 42, sizes: Sizes | None = None, **options: Any) -> World:
    """A world for ``seed`` and ``sizes`` (default: the demo); iterate it for batches."""
    return World(seed, sizes, **options)
