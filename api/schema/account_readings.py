"""An account's readings as GraphQL types: mix, breadth, whitespace, key people, job changes.

Typed, so GraphiQL's docs and clients' code generators see every field. Each type is
built from the plain data of :class:`api.readings.AccountReadings` (what
``graph/readings`` returns, made JSON-ready); formulas are in docs/readings.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from api.readings import AccountReadings as Read


@strawberry.type
class CategoryShare:
    category: str
    count: int
    ratio: float | None = strawberry.field(
        default=None, description="count / total; null where a ratio means nothing")


@strawberry.type
class Mix:
    total: int = strawberry.field(description="Current contacts classified")
    categories: list[CategoryShare] = strawberry.field(
        description="Every category of the rules, in their order, zero counts included")


@strawberry.type
class Breadth:
    departments_known: list[str] = strawberry.field(
        description="Departments the account has (or should have, by its size)")
    departments_covered: list[str] = strawberry.field(
        description="Departments with an engaged contact")
    department_coverage: float | None = strawberry.field(
        description="covered / known; null when the account has no department data")
    categories_engaged: list[str]
    seniorities_reached: list[str]
    live_relationships: int = strawberry.field(
        description="Contacts at or above the live strength threshold")
    live_contacts: list[strawberry.ID]
    executives_engaged: int
    executives_live: int
    contacts: int
    engaged_contacts: int
    unknown: list[str] = strawberry.field(
        description="Dimensions with no data at all: read as unknown, never as gaps")
    reasons: list[str]


@strawberry.type
class Count:
    name: str
    count: int


@strawberry.type
class DepartmentCounts:
    department: str
    counts: list[Count]


@strawberry.type
class Gap:
    department: str
    seniority: str


@strawberry.type
class Whitespace:
    empty_departments: list[str] = strawberry.field(description="Departments where we know nobody")
    unengaged_departments: list[str] = strawberry.field(
        description="Departments where we know people but engage none")
    missing_categories: list[str] = strawberry.field(
        description="Categories with no engaged contact")
    department_categories: list[DepartmentCounts] = strawberry.field(
        description="Per department, engaged contacts per primary category")
    grid: list[DepartmentCounts] = strawberry.field(
        description="Per department, contacts per seniority level")
    gaps: list[Gap] = strawberry.field(description="Department and seniority cells with nobody")
    unknown: list[str]
    reasons: list[str]


@strawberry.type
class KeyPerson:
    key: str = strawberry.field(description='"contact:ID" or "user:ID"')
    name: str
    kind: str = strawberry.field(description="contact or user")
    betweenness: float
    weight: float = strawberry.field(description="Total strength of their warm links")
    links: int
    reasons: list[str]


@strawberry.type
class SinglePoint:
    key: str
    name: str
    kind: str
    cuts: list[str] = strawberry.field(description="What we would lose without them")
    reasons: list[str]


@strawberry.type
class KeyPeople:
    central: list[KeyPerson]
    single_points: list[SinglePoint]
    unreachable: list[str] = strawberry.field(
        description="Departments or people no user of ours reaches")
    engine: str
    reasons: list[str]


@strawberry.type
class JobChange:
    contact_id: strawberry.ID
    name: str
    direction: str = strawberry.field(description='"left" this account or "joined" it')
    on: date | None
    other_company_id: strawberry.ID | None = strawberry.field(
        description="Where they went, or where they came from")
    categories: list[str]
    strength: float
    risk: bool = strawberry.field(description="A key person left this account")
    opening: bool = strawberry.field(description="A relationship we can use there or here")
    reasons: list[str]


@strawberry.type
class AccountReadings:
    status: str | None = strawberry.field(
        description="can_grow, at_risk, no_relationship, dormant or churned (AccountStatus)")
    reasons: list[str]
    notes: list[str] = strawberry.field(description=(
        "What the status saw but did not count against the account: no data on a "
        "dimension, a quiet champion among active ones (also at the end of reasons)."))
    unknown: list[str] = strawberry.field(description=(
        "Dimensions this account has no data on (departments, seniority, titles, "
        "outcomes): read as unknown, never as gaps."))
    mix: Mix | None
    breadth: Breadth | None
    whitespace: Whitespace | None
    key_people: KeyPeople | None
    job_changes: list[JobChange] | None
    missing: list[str] = strawberry.field(description="Readings not available, and why.")

    @classmethod
    def of(cls, r: Read) -> AccountReadings:
        return cls(status=r.status, reasons=r.reasons, notes=r.notes, unknown=r.unknown,
                   mix=_mix(r.mix), breadth=_typed(Breadth, r.breadth),
                   whitespace=_whitespace(r.whitespace), key_people=_key_people(r.key_people),
                   job_changes=[_job_change(j) for j in r.job_changes]
                   if r.job_changes is not None else None, missing=r.missing)


def shares(counts: dict[str, int], ratios: dict[str, float] | None = None,
           ) -> list[CategoryShare]:
    return [CategoryShare(category=c, count=n, ratio=(ratios or {}).get(c))
            for c, n in counts.items()]


def _typed(kind: Any, data: dict[str, Any] | None) -> Any:
    """``kind`` from the plain reading, taking only the fields the type declares."""
    if data is None:
        return None
    names = {f.python_name for f in kind.__strawberry_definition__.fields}
    return kind(**{k: v for k, v in data.items() if k in names})


def _job_change(data: dict[str, Any]) -> JobChange:
    on = data.get("on")
    return _typed(JobChange, {**data, "on": date.fromisoformat(on) if isinstance(on, str)
                              else on})


def _mix(data: dict[str, Any] | None) -> Mix | None:
    if data is None:
        return None
    return Mix(total=int(data.get("total") or 0),
               categories=shares(data.get("counts") or {}, data.get("ratios") or {}))


def _counts(table: dict[str, dict[str, int]]) -> list[DepartmentCounts]:
    return [DepartmentCounts(department=d, counts=[Count(name=k, count=n) for k, n in row.items()])
            for d, row in table.items()]


def _whitespace(data: dict[str, Any] | None) -> Whitespace | None:
    if data is None:
        return None
    return Whitespace(
        empty_departments=data.get("empty_departments") or [],
        unengaged_departments=data.get("unengaged_departments") or [],
        missing_categories=data.get("missing_categories") or [],
        department_categories=_counts(data.get("department_categories") or {}),
        grid=_counts(data.get("grid") or {}),
        gaps=[Gap(department=d, seniority=s) for d, s in data.get("gaps") or []],
        unknown=data.get("unknown") or [], reasons=data.get("reasons") or [])


def _key_people(data: dict[str, Any] | None) -> KeyPeople | None:
    if data is None:
        return None
    return KeyPeople(central=[_typed(KeyPerson, p) for p in data.get("central") or []],
                     single_points=[_typed(SinglePoint, p) for p in data.get("single_points")
                                    or []],
                     unreachable=data.get("unreachable") or [],
                     engine=str(data.get("engine") or ""), reasons=data.get("reasons") or [])
