"""Database-level readings in GraphQL: mix by segment, concentration, purchase plan, triggers.

Thin: every number comes from a pure function in ``graph/readings`` run over the
cached per-account rows of :class:`api.database.DatabaseReadings`; this module only
checks arguments, picks rows, and shapes the result. Analysts and admins only.
Revenue triggers use public profile items for everyone; an admin may add personal
ones (``includePersonal: true``), which is recorded in the audit trail.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry

from api.database import AGGREGATE_CONTACT, AGGREGATE_TRIGGERS_FIELD, Snapshot, segment_value
from api.schema.account_readings import CategoryShare, shares
from api.schema.enums import Lifecycle
from api.schema.errors import NotAllowed
from api.schema.pagination import check_first
from api.schema.types import Ctx
from graph import model as m
from graph.errors import PermissionDenied, ValidationError
from graph.readings.concentration import concentration, list_purchase_plan
from graph.readings.mix import mix_by_segment
from graph.readings.triggers import Trigger, revenue_triggers


@strawberry.enum
class Segment(Enum):
    ALL = "all"
    INDUSTRY = "industry"
    SIZE_BAND = "size_band"
    REVENUE_BAND = "revenue_band"
    REGION = "region"
    LIFECYCLE = "lifecycle"


@strawberry.enum
class FeatureKind(Enum):
    FIRMOGRAPHIC = "firmographic"
    MIX = "mix"
    DEAL = "deal"
    PROFILE = "profile"


def feature_kind(name: str) -> FeatureKind:
    """``profile.school`` -> PROFILE, ``mix.*`` -> MIX, ``deal.*`` -> DEAL, else firmographic."""
    prefix = name.split(".", 1)[0] if "." in name else ""
    return {"profile": FeatureKind.PROFILE, "mix": FeatureKind.MIX,
            "deal": FeatureKind.DEAL}.get(prefix, FeatureKind.FIRMOGRAPHIC)


@strawberry.type
class SegmentMix:
    segment: str = strawberry.field(description='The segment value, "unknown" when not set')
    accounts: int
    contacts: int
    categories: list[CategoryShare]


@strawberry.type
class CompanyShare:
    company_id: strawberry.ID
    name: str
    contacts: int
    share: float = strawberry.field(description="Of all current contacts in the database")
    target: bool


@strawberry.type
class Concentration:
    accounts: int
    contacts: int
    top: list[CompanyShare]
    share_top_10: float = strawberry.field(name="shareTop10")
    share_top_1pct: float = strawberry.field(name="shareTop1Pct")
    share_top_10pct: float = strawberry.field(name="shareTop10Pct")
    hhi: float = strawberry.field(description="Herfindahl index: 1/accounts even, 1 all in one")
    thin_target_count: int
    thin_targets: list[CompanyShare] = strawberry.field(
        description="Target accounts with fewer than thinBelow contacts, thinnest first")
    reasons: list[str]


@strawberry.input
class CategoryCountInput:
    category: str
    count: int


@strawberry.input
class PlanAccounts:
    """Which accounts to plan for; every condition given must hold."""

    target: bool | None = strawberry.field(
        default=True, description="Target accounts only (default); null for any account")
    industry: str | None = None
    size_band: str | None = None
    region: str | None = None
    lifecycle: Lifecycle | None = None
    company_ids: list[strawberry.ID] | None = None


@strawberry.type
class AccountPlan:
    company_id: strawberry.ID
    name: str
    have: list[CategoryShare]
    buy: list[CategoryShare]
    engage: list[CategoryShare] = strawberry.field(
        description="Missing contacts of categories a list cannot supply (e.g. champion)")
    contacts_to_buy: int
    cost: float
    reasons: list[str]


@strawberry.type
class PurchasePlan:
    account_count: int
    accounts: list[AccountPlan] = strawberry.field(description="Most to buy first; first N")
    target_mix: list[CategoryShare]
    by_category: list[CategoryShare]
    contacts_to_buy: int
    price_per_contact: float
    total_cost: float
    reasons: list[str]


@strawberry.type
class Interval:
    low: float
    high: float


@strawberry.type
class RevenueTrigger:
    feature: str
    kind: FeatureKind
    value: str
    support: int = strawberry.field(description="Closed cases with this value")
    wins_with: int
    win_rate_with: float
    win_rate_without: float
    lift: float | None = strawberry.field(description="null when nothing without it was won")
    difference: float
    difference_interval: Interval
    win_rate_interval: Interval
    ranked: bool
    significant: bool = strawberry.field(
        description="The (adjusted) difference interval excludes zero, on either side")
    direction: str | None = strawberry.field(
        description="When significant: 'wins' (goes with winning) or 'loses'")
    adjusted_odds_ratio: float | None = strawberry.field(
        description="Odds multiplier with every other ranked value held fixed (one L2 "
                    "logistic regression); null for unranked values")
    adjusted_interval: Interval | None = strawberry.field(
        description="Interval of the adjusted odds ratio, at intervalConfidence")
    explained_by: str | None = strawberry.field(
        description="'feature = value' that accounts for this one once both are held "
                    "against each other (a 'had a demo' echo, industry standing in for size)")
    reasons: list[str]

    @classmethod
    def of(cls, t: Trigger) -> RevenueTrigger:
        return cls(feature=t.feature, kind=feature_kind(t.feature), value=t.value,
                   support=t.support, wins_with=t.wins_with, win_rate_with=t.win_rate_with,
                   win_rate_without=t.win_rate_without, lift=t.lift, difference=t.difference,
                   difference_interval=Interval(low=t.difference_interval[0],
                                                high=t.difference_interval[1]),
                   win_rate_interval=Interval(low=t.win_rate_interval[0],
                                              high=t.win_rate_interval[1]),
                   ranked=t.ranked, significant=t.significant, direction=t.direction,
                   adjusted_odds_ratio=t.adjusted_odds_ratio,
                   adjusted_interval=Interval(low=t.adjusted_interval[0],
                                              high=t.adjusted_interval[1])
                   if t.adjusted_interval else None,
                   explained_by=t.explained_by, reasons=list(t.reasons))


@strawberry.type
class RevenueTriggers:
    cases: int
    wins: int
    base_rate: float
    min_support: int
    confidence: float
    interval_confidence: float = strawberry.field(
        description="Level of each interval after the Bonferroni adjustment (if adjust)")
    personal_included: bool = strawberry.field(
        description="True when personal profile items took part (admins, when asked)")
    ranked_count: int
    unranked_count: int
    adjusted: bool = strawberry.field(
        description="True when the ranked values carry the multivariable view")
    ranked: list[RevenueTrigger] = strawberry.field(
        description="Support >= minSupport with and without; winning and losing values "
                    "together, by how far the difference interval stays from zero")
    unranked: list[RevenueTrigger] = strawberry.field(
        description="Too few cases to rank: shown for completeness, not a trigger")
    reasons: list[str]


def _picker(f: PlanAccounts, categories: list[str]) -> Any:
    wanted = {"industry": f.industry, "size_band": f.size_band, "region": f.region,
              "lifecycle": str(f.lifecycle.value) if f.lifecycle else None}
    wanted = {k: v for k, v in wanted.items() if v is not None}
    ids = {str(i) for i in f.company_ids} if f.company_ids is not None else None

    def pick(s: dict[str, Any]) -> bool:
        return ((f.target is None or bool(s.get("target")) is f.target)
                and all(segment_value(s, k) == v for k, v in wanted.items())
                and (ids is None or str(s["company_id"]) in ids))

    return pick


def _target_mix(snap: Snapshot, given: list[CategoryCountInput] | None) -> dict[str, int] | None:
    if given is None:
        return None
    known = snap.rules.category_names
    out: dict[str, int] = {}
    for i, entry in enumerate(given):
        if entry.category not in known:
            raise ValidationError(f"targetMix[{i}].category {entry.category!r} is not a "
                                  f"category; use one of {', '.join(known)}",
                                  field=f"targetMix.{i}.category")
        if not 0 <= entry.count <= 1_000:
            raise ValidationError(f"targetMix[{i}].count {entry.count} is outside 0..1000",
                                  field=f"targetMix.{i}.count")
        out[entry.category] = entry.count
    return out


@strawberry.type
class AgreementScore:
    name: str
    accuracy: float
    macro_f1: float
    correct: int
    total: int


@strawberry.type
class ConfusionCell:
    entered: str = strawberry.field(description="The category a person entered")
    read: str = strawberry.field(description="The primary category classification read")
    contacts: int


@strawberry.type
class ClassificationAgreement:
    """How far classification agrees with the roles people entered (docs/readings.md)."""

    contacts: int = strawberry.field(
        description="Engaged contacts with an entered role, each read without it")
    folds: int
    weights_from: str = strawberry.field(
        description="What the signal weights were learnt from ('entered roles', 'titles')")
    classification: AgreementScore
    majority: AgreementScore = strawberry.field(description="Always the commonest entered role")
    title_only: AgreementScore = strawberry.field(description="The title's reading alone")
    confusion: list[ConfusionCell]
    left_out: int = strawberry.field(
        description="Contacts with an entered role but nothing to read (no touchpoints, deals)")
    notes: list[str]


def _agreement(a: Any) -> ClassificationAgreement:
    def sc(x: Any) -> AgreementScore:
        return AgreementScore(name=x.name, accuracy=x.accuracy, macro_f1=x.macro_f1,
                              correct=x.correct, total=x.total)

    return ClassificationAgreement(
        contacts=a.contacts, folds=a.folds, weights_from=a.weights_from,
        classification=sc(a.classification), majority=sc(a.majority),
        title_only=sc(a.title_only), left_out=a.left_out, notes=list(a.notes),
        confusion=[ConfusionCell(entered=t, read=r, contacts=n)
                   for t, row in a.confusion.items() for r, n in row.items()])


@strawberry.type
class DatabaseReadings:
    """Readings over the whole database, from rows cached per account."""

    accounts: int = strawberry.field(description="Accounts in the database")
    computed_at: datetime = strawberry.field(
        description="When the current account rows were put together (see docs/api.md)")
    categories: list[str] = strawberry.field(description="The rules' contact categories")
    snapshot: strawberry.Private[Snapshot]

    @strawberry.field(description="Contact mix per segment value (ALL: the whole database).")
    def mix(self, by: Segment = Segment.ALL) -> list[SegmentMix]:
        snap = self.snapshot
        found = snap.remember(("mix", by.value), lambda: mix_by_segment(
            [{**s, by.value: segment_value(s, by.value)} for s in snap.summaries],
            by.value, categories=snap.rules.category_names))
        return [SegmentMix(segment=value, accounts=x.accounts, contacts=x.total,
                           categories=shares(x.counts, x.ratios))
                for value, x in found.items()]

    @strawberry.field(description="Are contacts piled into a few companies? Which targets are "
                      "thin?")
    def concentration(self, top: int = 10, thin_below: int = 5,
                      first: int = 50) -> Concentration:
        check_first(first)
        if not 1 <= top <= 200:
            raise ValidationError(f"top={top} is outside 1..200", field="top")
        if not 1 <= thin_below <= 10_000:
            raise ValidationError(f"thinBelow={thin_below} is outside 1..10000",
                                  field="thinBelow")
        snap = self.snapshot
        c = snap.remember(("concentration", top, thin_below), lambda: concentration(
            snap.summaries, top=top, thin_below=thin_below))

        def share(r: dict[str, Any]) -> CompanyShare:
            return CompanyShare(
                company_id=strawberry.ID(r["company_id"]), name=str(r["name"]),
                contacts=r["contacts"], target=r["target"],
                share=r.get("share", round(r["contacts"] / c.contacts, 4) if c.contacts else 0.0))

        return Concentration(
            accounts=c.accounts, contacts=c.contacts, top=[share(r) for r in c.top],
            share_top_10=c.share_top_10, share_top_1pct=c.share_top_1pct,
            share_top_10pct=c.share_top_10pct, hhi=c.hhi,
            thin_target_count=len(c.thin_targets),
            thin_targets=[share(r) for r in c.thin_targets[:first]], reasons=c.reasons)

    @strawberry.field(description="Contacts to buy so the chosen accounts reach a healthy mix, "
                      "and the budget at a price per contact.")
    def purchase_plan(self, accounts: PlanAccounts | None = None,
                      target_mix: list[CategoryCountInput] | None = None,
                      price_per_contact: float | None = None, first: int = 50) -> PurchasePlan:
        check_first(first)
        if price_per_contact is not None and not 0 <= price_per_contact <= 1e6:
            raise ValidationError(f"pricePerContact={price_per_contact} is outside 0..1000000",
                                  field="pricePerContact")
        snap = self.snapshot
        f = accounts or PlanAccounts()
        mix = _target_mix(snap, target_mix)
        key = ("plan", f.target, f.industry, f.size_band, f.region, f.lifecycle,
               tuple(sorted(map(str, f.company_ids))) if f.company_ids is not None else None,
               tuple(sorted(mix.items())) if mix is not None else None, price_per_contact)
        p = snap.remember(key, lambda: list_purchase_plan(
            snap.summaries, rules=snap.rules, price_per_contact=price_per_contact,
            target=_picker(f, snap.rules.category_names), target_mix=mix))
        wanted = mix if mix is not None else {
            c: int(n) for c, n in snap.rules.section("plan").get("target_mix", {}).items()}
        return PurchasePlan(
            account_count=len(p.accounts),
            accounts=[AccountPlan(company_id=strawberry.ID(a.company_id), name=a.name,
                                  have=shares(a.have), buy=shares(a.buy),
                                  engage=shares(a.engage),
                                  contacts_to_buy=sum(a.buy.values()), cost=a.cost,
                                  reasons=a.reasons) for a in p.accounts[:first]],
            target_mix=shares(wanted), by_category=shares(p.by_category),
            contacts_to_buy=p.contacts_to_buy, price_per_contact=p.price_per_contact,
            total_cost=p.total_cost, reasons=p.reasons)

    @strawberry.field(description="How far classification agrees with the roles your reps "
                      "entered: accuracy, macro-F1, confusion, next to the majority role and "
                      "title words only (cross-validated; `accountgraph evaluate` prints it).")
    async def classification_agreement(self, info: Ctx, folds: int = 5
                                       ) -> ClassificationAgreement:
        from graph.evaluate import evaluate

        if not 2 <= folds <= 20:
            raise ValidationError(f"folds={folds} is outside 2..20", field="folds")
        snap, store = self.snapshot, info.context.store
        base = snap.rules.with_priors(None)
        # A pass over the store: once per snapshot and folds, off the event loop.
        result = await asyncio.to_thread(
            snap.remember, ("agreement", folds), lambda: evaluate(store, base, folds=folds))
        return _agreement(result)

    @strawberry.field(description="Which profile fields, firmographics and mix features go "
                      "with purchases: win rate with/without, lift, support, intervals.")
    async def revenue_triggers(
        self, info: Ctx, min_support: int | None = None, confidence: float | None = None,
        kinds: list[FeatureKind] | None = None, include_personal: bool = False,
        adjust: bool = True, first: int = 50,
    ) -> RevenueTriggers:
        check_first(first)
        snap = self.snapshot
        cfg = snap.rules.section("triggers")
        support = int(min_support if min_support is not None else cfg.get("min_support", 30))
        level = float(confidence if confidence is not None else cfg.get("confidence", 0.95))
        if not 1 <= support <= 1_000_000:
            raise ValidationError(f"minSupport={support} is outside 1..1000000",
                                  field="minSupport")
        if not 0.5 <= level < 1:
            raise ValidationError(f"confidence={level} is outside 0.5..0.999 (e.g. 0.95)",
                                  field="confidence")
        ctx = info.context
        if include_personal and not ctx.viewer.is_admin:
            raise PermissionDenied(
                "only admins may include personal profile items in revenue triggers; "
                "leave includePersonal out to use public items, firmographics and mix features")
        wanted = frozenset(kinds) if kinds else frozenset(FeatureKind)
        asked = include_personal and FeatureKind.PROFILE in wanted
        if asked and not snap.personal_known and ctx.database is not None:
            # Rows loaded from the saved file hold no personal values: read them now.
            snap = await asyncio.to_thread(ctx.database.with_personal, snap)
        # Personal values take part only when asked, allowed, present and looked at.
        personal = asked and snap.personal_cases() > 0

        def compute() -> Any:
            cases = snap.cases(include_personal=personal)
            if wanted != frozenset(FeatureKind):
                cases = [{**c, "features": {k: v for k, v in c["features"].items()
                                            if feature_kind(k) in wanted}} for c in cases]
            return revenue_triggers(cases, min_support=support, confidence=level, adjust=adjust,
                                    penalty=float(cfg.get("penalty", 1.0)),
                                    min_correlation=float(cfg.get("min_correlation", 0.3)))

        t = snap.remember(("triggers", support, level, wanted, personal, adjust), compute)
        if personal:
            # Personal values took part: one audit row per request that reads them.
            ctx.privacy.record(AGGREGATE_CONTACT, AGGREGATE_TRIGGERS_FIELD)
        return RevenueTriggers(
            cases=t.cases, wins=t.wins, base_rate=t.base_rate, min_support=t.min_support,
            confidence=t.confidence, interval_confidence=t.interval_confidence,
            personal_included=personal, adjusted=t.adjusted,
            ranked_count=len(t.ranked), unranked_count=len(t.unranked),
            ranked=[RevenueTrigger.of(x) for x in t.ranked[:first]],
            unranked=[RevenueTrigger.of(x) for x in t.unranked[:first]], reasons=t.reasons)


DatabaseReadingsResult = Annotated[DatabaseReadings | NotAllowed,
                                   strawberry.union("DatabaseReadingsResult")]


async def database_readings(info: Ctx) -> DatabaseReadings | NotAllowed:
    """The resolver of ``Query.databaseReadings``: analysts and admins only."""
    ctx = info.context
    if ctx.viewer.access is m.Access.MEMBER:
        return NotAllowed(message="database readings are for analysts and admins; ask an "
                          "admin to make you an analyst")
    if ctx.database is None:
        raise RuntimeError("the app was built without database readings (app.state.database)")
    # Reading changed accounts may take a while: off the event loop, so other
    # requests are served meanwhile.
    snap = await asyncio.to_thread(ctx.database.snapshot)
    return DatabaseReadings(accounts=len(snap.rows), computed_at=snap.computed_at,
                            categories=list(snap.rules.category_names), snapshot=snap)
