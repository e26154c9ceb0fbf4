"""Mutations: validate, check who may, write through the store, drop stale caches.

Each returns its result or a typed error naming the field (see errors.py).
Who may write: admins anything; analysts companies, contacts, touchpoints and
links; members the same on accounts whose team they are on. Profile items need
team membership (or admin); team changes and handover need the current owner
(or admin); users and erasure need an admin.

Writes that cross accounts (docs/api.md, "Writes across accounts"):

* Moving a contact to another account (``updateContact`` with a new
  ``companyId``) hands their personal data to the new account's team, so it
  needs a seat on both teams, or admin; an analyst's database-wide edit right
  does not cover it. Every move is audited (``action: MOVE``).
* A touchpoint, reporting line or "knows" link that ties one account's contact
  to another account needs edit rights on every account involved. It hands
  over no personal data: that follows the contact's current account.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types.unset import UNSET

from api.auth import now
from api.erasure import erase_contact
from api.schema.admin import AdminMutation
from api.schema.context import Context
from api.schema.enums import (
    ContactStatus,
    Direction,
    Function,
    Lifecycle,
    Outcome,
    Seniority,
    TeamRole,
    TouchpointKind,
    Visibility,
)
from api.schema.errors import InvalidInput, NotAllowed, NotFoundError, expected_errors
from api.schema.types import Account, Contact, Ctx, ProfileItem, Touchpoint
from api.schema.validation import Problems, check_id, id_problem
from graph import model as m
from graph.errors import NotFound, PermissionDenied, ValidationError


def _write(ctx: Context, kind: str, node: m.Node) -> None:
    report = ctx.store.upsert(kind, [node])
    if report.rejected:
        r = report.rejected[0]
        raise ValidationError(r.reason, field=r.field, item=r.item)


def _link(ctx: Context, kind: str, rel: m.Rel) -> None:
    report = ctx.store.link(kind, [rel])
    if report.rejected:
        r = report.rejected[0]
        raise ValidationError(r.reason, field=r.field, item=r.item)


def _get(ctx: Context, kind: str, id: str, field: str = "id") -> Any:
    node = ctx.store.get(kind, check_id(id, field))
    if node is None:
        raise NotFound(kind, id)
    return node


def _unused(ctx: Context, p: Problems, kind: str, id: str, instead: str | None) -> None:
    """Note that ``id`` is taken (a valid id only: a bad one is noted by the model)."""
    if id_problem(id) is None and ctx.store.get(kind, id) is not None:
        p.add("id", f"a {kind} with id {id!r} exists" + (f"; use {instead}" if instead else ""))


def _may_edit(ctx: Context, company_id: str) -> None:
    v = ctx.viewer
    if v.is_admin or v.access is m.Access.ANALYST or v.id in ctx.cache.team(company_id):
        return
    raise PermissionDenied(f"you are not on the team of account {company_id!r}")


def _may_move(ctx: Context, contact_id: str, old: str, new: str) -> None:
    """A move between accounts: admin, or on the team of both (see the module docstring)."""
    if ctx.viewer.is_admin:
        return
    for company_id in (old, new):
        if ctx.viewer.id not in ctx.cache.team(company_id):
            raise PermissionDenied(
                f"moving contact {contact_id!r} from account {old!r} to {new!r} hands their "
                f"personal data to another team: you need to be on the teams of both "
                f"accounts (you are not on {company_id!r}'s), or ask an admin")


def _may_see_personal(ctx: Context, company_id: str) -> None:
    if not ctx.privacy.may_see_personal(company_id):
        raise PermissionDenied(
            f"profile items of account {company_id!r} are kept by its team; ask its owner")


def _is_owner_or_admin(ctx: Context, company_id: str) -> None:
    if ctx.viewer.is_admin:
        return
    owners = {r.source for r in ctx.store.relationships("OWNS", target=company_id)
              if getattr(r, "until", None) is None}
    if ctx.viewer.id not in owners:
        raise PermissionDenied(f"only the owner of account {company_id!r} or an admin may")


def _admin(ctx: Context, what: str) -> None:
    if not ctx.viewer.is_admin:
        raise PermissionDenied(f"only admins may {what}")


def _patch(old: m.Node, patch: Any, rename: dict[str, str] | None = None) -> dict[str, Any]:
    data = old.model_dump()
    for name, value in vars(patch).items():
        if value is not UNSET:
            data[(rename or {}).get(name, name)] = value
    return data


# -- inputs -------------------------------------------------------------------


@strawberry.input
class CompanyInput:
    id: strawberry.ID
    name: str
    domain: str | None = None
    industry: str | None = None
    size_band: str | None = None
    revenue_band: str | None = None
    region: str | None = None
    lifecycle: Lifecycle = m.Lifecycle.PROSPECT
    target: bool = False


@strawberry.input(description="Only the fields given change; null clears one.")
class CompanyPatch:
    name: str | None = UNSET
    domain: str | None = UNSET
    industry: str | None = UNSET
    size_band: str | None = UNSET
    revenue_band: str | None = UNSET
    region: str | None = UNSET
    lifecycle: Lifecycle | None = UNSET
    target: bool | None = UNSET


@strawberry.input
class ContactInput:
    id: strawberry.ID
    company_id: strawberry.ID
    name: str
    email: str | None = None
    phone: str | None = None
    title: str | None = None
    seniority: Seniority | None = None
    department: Function | None = None


@strawberry.input
class ContactPatch:
    company_id: strawberry.ID | None = UNSET
    name: str | None = UNSET
    email: str | None = UNSET
    phone: str | None = UNSET
    title: str | None = UNSET
    seniority: Seniority | None = UNSET
    status: ContactStatus | None = UNSET
    department: Function | None = UNSET


@strawberry.input
class TouchpointInput:
    company_id: strawberry.ID
    type: TouchpointKind
    at: datetime
    contact_ids: list[strawberry.ID]
    user_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Our people who took part; default: you.")
    direction: Direction = m.Direction.OUTBOUND
    outcome: Outcome | None = None
    campaign: str | None = None
    subject: str | None = None
    id: strawberry.ID | None = None


@strawberry.input
class ProfileItemInput:
    contact_id: strawberry.ID
    key: str
    value: str
    visibility: Visibility = m.Visibility.PERSONAL


@strawberry.type
class Knows:
    source_id: strawberry.ID
    target_id: strawberry.ID
    strength: float
    origin: str | None


@strawberry.type
class Removed:
    id: strawberry.ID


@strawberry.type
class Erasure:
    contact_id: strawberry.ID
    profile_items_removed: int
    fields_cleared: list[str]


Errors = InvalidInput | NotFoundError | NotAllowed
AccountResult = Annotated[Account | Errors, strawberry.union("AccountResult")]
ContactResult = Annotated[Contact | Errors, strawberry.union("ContactResult")]
TouchpointResult = Annotated[Touchpoint | Errors, strawberry.union("TouchpointResult")]
ProfileItemResult = Annotated[ProfileItem | Errors, strawberry.union("ProfileItemResult")]
KnowsResult = Annotated[Knows | Errors, strawberry.union("KnowsResult")]
RemovedResult = Annotated[Removed | Errors, strawberry.union("RemovedResult")]
ErasureResult = Annotated[Erasure | Errors, strawberry.union("ErasureResult")]


def _contact_data(data: dict[str, Any], department: Any) -> dict[str, Any]:
    if department is not None and department is not UNSET:
        data["department_id"] = m.department_id(data["company_id"], department)
    elif department is None:
        data["department_id"] = None
    return data


def _ensure_department(ctx: Context, contact: m.Contact, function: Any) -> None:
    """A contact put in a department needs the department node to exist."""
    if function is None or function is UNSET or not contact.department_id:
        return
    if ctx.store.get("department", contact.department_id) is None:
        _write(ctx, "department", m.Department(id=contact.department_id,
                                               company_id=contact.company_id,
                                               function=function))


@strawberry.type
class Mutation(AdminMutation):
    """Every mutation; users and tokens (admins) come from api/schema/admin.py."""

    @strawberry.mutation
    @expected_errors
    async def create_company(self, info: Ctx, input: CompanyInput) -> AccountResult:
        ctx = info.context
        if ctx.viewer.access is m.Access.MEMBER:
            raise PermissionDenied("members cannot create accounts; ask an analyst or admin")
        p = Problems()
        company = p.model(m.Company, vars(input))
        _unused(ctx, p, "company", str(input.id), "updateCompany")
        p.check()
        assert company is not None
        _write(ctx, "company", company)
        ctx.cache.invalidate(company.id)  # the database readings gain an account
        return Account.of(company.model_dump())

    @strawberry.mutation
    @expected_errors
    async def update_company(self, info: Ctx, id: strawberry.ID,
                             patch: CompanyPatch) -> AccountResult:
        ctx = info.context
        old = _get(ctx, "company", str(id))
        _may_edit(ctx, old.id)
        p = Problems()
        company = p.model(m.Company, _patch(old, patch))
        p.check()
        assert company is not None
        _write(ctx, "company", company)
        ctx.cache.invalidate(company.id)
        return Account.of(company.model_dump())

    @strawberry.mutation
    @expected_errors
    async def create_contact(self, info: Ctx, input: ContactInput) -> ContactResult:
        ctx = info.context
        p = Problems()
        if p.exists(ctx.store, "company", str(input.company_id), "companyId") is not None:
            _may_edit(ctx, str(input.company_id))
        data = {k: v for k, v in vars(input).items() if k != "department"}
        contact = p.model(m.Contact, _contact_data(data, input.department))
        _unused(ctx, p, "contact", str(input.id), "updateContact")
        p.check()
        assert contact is not None
        _ensure_department(ctx, contact, input.department)
        _write(ctx, "contact", contact)
        ctx.cache.invalidate(contact.company_id)
        return Contact.of(contact.model_dump())

    @strawberry.mutation
    @expected_errors
    async def update_contact(self, info: Ctx, id: strawberry.ID,
                             patch: ContactPatch) -> ContactResult:
        ctx = info.context
        old = _get(ctx, "contact", str(id))
        _may_edit(ctx, old.company_id)
        data = _patch(old, patch)
        data.pop("department", None)
        moved = patch.company_id is not UNSET and str(patch.company_id) != old.company_id
        p = Problems()
        if patch.company_id is not UNSET and p.exists(
                ctx.store, "company", str(patch.company_id), "companyId") is not None:
            _may_edit(ctx, str(patch.company_id))
            if moved:
                _may_move(ctx, old.id, old.company_id, str(patch.company_id))
        contact = p.model(m.Contact, _contact_data(data, patch.department))
        p.check()
        assert contact is not None
        _ensure_department(ctx, contact, patch.department)
        _write(ctx, "contact", contact)
        if moved:
            ctx.privacy.record(contact.id, f"company_id:{old.company_id}->{contact.company_id}",
                               m.AuditAction.MOVE)
            ctx.privacy.flush(ctx.store)
        ctx.cache.invalidate(old.company_id, contact.company_id)
        return Contact.of(contact.model_dump())

    @strawberry.mutation
    @expected_errors
    async def record_touchpoint(self, info: Ctx, input: TouchpointInput) -> TouchpointResult:
        ctx = info.context
        cid = str(input.company_id)
        p = Problems()
        if p.exists(ctx.store, "company", cid, "companyId") is not None:
            _may_edit(ctx, cid)
        wanted = [str(c) for c in input.contact_ids]
        for i, c in enumerate(wanted):
            if (problem := id_problem(c, f"contactIds[{i}]")) is not None:
                p.add(f"contactIds.{i}", problem)
        found = ctx.store.get_many("contact", [c for c in wanted if id_problem(c) is None])
        for i, c in enumerate(wanted):
            if id_problem(c) is None and c not in found:
                p.add(f"contactIds.{i}", f"no contact with id {c!r}")
        data = {k: v for k, v in vars(input).items()}
        data["id"] = str(input.id) if input.id else f"tp-{uuid.uuid4().hex[:16]}"
        data["user_ids"] = [str(u) for u in input.user_ids] if input.user_ids is not None \
            else [ctx.viewer.id]
        touchpoint = p.model(m.Touchpoint, data)
        p.check()
        assert touchpoint is not None
        # A participant from another account ties that account's contact to this
        # one's data: edit rights there too.
        for other in sorted({n.company_id for n in found.values()  # type: ignore[attr-defined]
                             } - {cid}):
            _may_edit(ctx, other)
        _write(ctx, "touchpoint", touchpoint)
        ctx.cache.invalidate(cid)
        return Touchpoint.of(touchpoint.model_dump())

    @strawberry.mutation
    @expected_errors
    async def add_profile_item(self, info: Ctx, input: ProfileItemInput) -> ProfileItemResult:
        ctx = info.context
        contact = _get(ctx, "contact", str(input.contact_id), "contactId")
        _may_see_personal(ctx, contact.company_id)
        p = Problems()
        item = p.model(m.ProfileItem, {
            "id": f"pi-{uuid.uuid4().hex[:16]}", "contact_id": contact.id, "key": input.key,
            "value": input.value, "visibility": input.visibility,
            "entered_by": ctx.viewer.id, "entered_at": now()})
        p.check()
        assert item is not None
        _write(ctx, "profile_item", item)
        ctx.cache.invalidate(contact.company_id)
        return ProfileItem(id=strawberry.ID(item.id), key=item.key, value=item.value,
                           redacted=False, visibility=item.visibility, entered_by=item.entered_by,
                           entered_at=item.entered_at)

    @strawberry.mutation
    @expected_errors
    async def remove_profile_item(self, info: Ctx, id: strawberry.ID) -> RemovedResult:
        ctx = info.context
        item = _get(ctx, "profile_item", str(id))
        contact = _get(ctx, "contact", item.contact_id, "contactId")
        _may_see_personal(ctx, contact.company_id)
        ctx.store.delete("profile_item", item.id)
        ctx.cache.invalidate(contact.company_id)
        return Removed(id=item.id)

    @strawberry.mutation(description="Set (or with managerId null, clear) whom a contact "
                         "reports to.")
    @expected_errors
    async def set_reports_to(self, info: Ctx, contact_id: strawberry.ID,
                             manager_id: strawberry.ID | None) -> ContactResult:
        ctx = info.context
        contact = _get(ctx, "contact", str(contact_id), "contactId")
        _may_edit(ctx, contact.company_id)
        if manager_id is not None:
            if str(manager_id) == contact.id:
                raise ValidationError("a contact cannot report to themselves", field="managerId")
            manager = _get(ctx, "contact", str(manager_id), "managerId")
            _may_edit(ctx, manager.company_id)  # a line into another account: rights there too
            ctx.cache.invalidate(manager.company_id)
        old = [(r.source, r.target) for r in ctx.store.relationships("REPORTS_TO",
                                                                     source=contact.id)]
        if old:
            ctx.store.unlink("REPORTS_TO", old)
        if manager_id is not None:
            _link(ctx, "REPORTS_TO", m.ReportsTo(source=contact.id, target=str(manager_id)))
        ctx.cache.invalidate(contact.company_id)
        return Contact.of(contact.model_dump())

    @strawberry.mutation(description="Record that one person (contact or user) knows another.")
    @expected_errors
    async def set_knows(self, info: Ctx, source_id: strawberry.ID, target_id: strawberry.ID,
                        strength: float = 0.5, origin: str | None = None) -> KnowsResult:
        ctx = info.context
        companies = []
        for field, pid in (("sourceId", str(source_id)), ("targetId", str(target_id))):
            check_id(pid, field)
            contact = ctx.store.get("contact", pid)
            if contact is not None:
                _may_edit(ctx, contact.company_id)  # type: ignore[attr-defined]
                companies.append(contact.company_id)  # type: ignore[attr-defined]
            elif ctx.store.get("user", pid) is None:
                raise ValidationError(f"no contact or user with id {pid!r}", field=field)
        if str(source_id) == str(target_id):
            raise ValidationError("a person cannot know themselves", field="targetId")
        rel = m.validate(m.Knows, {"source": str(source_id), "target": str(target_id),
                                   "strength": strength, "origin": origin})
        _link(ctx, "KNOWS", rel)
        # "Knows" pulls people from other accounts into a graph: drop them all. The
        # database readings' rows are the accounts' own data: only these two change.
        ctx.cache.invalidate(own_data_of=tuple(companies))
        return Knows(source_id=strawberry.ID(rel.source), target_id=strawberry.ID(rel.target),
                     strength=rel.strength, origin=rel.origin)

    @strawberry.mutation(description="Add a user to an account team (or remove with remove).")
    @expected_errors
    async def assign_team(self, info: Ctx, account_id: strawberry.ID, user_id: strawberry.ID,
                          role: TeamRole = m.TeamRole.ACCOUNT_MANAGER,
                          remove: bool = False) -> AccountResult:
        ctx = info.context
        company = _get(ctx, "company", str(account_id), "accountId")
        _get(ctx, "user", str(user_id), "userId")
        _is_owner_or_admin(ctx, company.id)
        if remove:
            ctx.store.unlink("ON_TEAM", [(str(user_id), company.id)])
        else:
            _link(ctx, "ON_TEAM", m.OnTeam(source=str(user_id), target=company.id, role=role))
        ctx.cache.invalidate(company.id)
        return Account.of(company.model_dump())

    @strawberry.mutation(description="Hand an account to a new owner; who owned it when is kept.")
    @expected_errors
    async def hand_over(self, info: Ctx, account_id: strawberry.ID, to_user_id: strawberry.ID,
                        keep_previous_on_team: bool = False) -> AccountResult:
        ctx = info.context
        company = _get(ctx, "company", str(account_id), "accountId")
        new = _get(ctx, "user", str(to_user_id), "toUserId")
        if not new.active:
            raise ValidationError(f"user {new.id!r} is inactive", field="toUserId")
        _is_owner_or_admin(ctx, company.id)
        at = now()
        current = [r for r in ctx.store.relationships("OWNS", target=company.id)
                   if isinstance(r, m.Owns) and r.until is None]
        if any(r.source == new.id for r in current):
            raise ValidationError(f"user {new.id!r} already owns {company.id!r}",
                                  field="toUserId")
        for r in current:
            _link(ctx, "OWNS", r.model_copy(update={"until": at}))
            if not keep_previous_on_team:
                ctx.store.unlink("ON_TEAM", [(r.source, company.id)])
        _link(ctx, "OWNS", m.Owns(source=new.id, target=company.id, since=at))
        _link(ctx, "ON_TEAM", m.OnTeam(source=new.id, target=company.id,
                                       role=m.TeamRole.OWNER))
        ctx.cache.invalidate(company.id)
        return Account.of(company.model_dump())

    @strawberry.mutation(description="Admins: erase a contact's personal data (recorded).")
    @expected_errors
    async def erase_contact_personal_data(self, info: Ctx,
                                          contact_id: strawberry.ID) -> ErasureResult:
        ctx = info.context
        _admin(ctx, "erase personal data")
        contact = _get(ctx, "contact", str(contact_id), "contactId")
        data_dir = getattr(ctx.settings, "data_dir", None)
        # Off the event loop: the embedded store rewrites its file (seconds to minutes).
        done = await asyncio.to_thread(erase_contact, ctx.store, contact.id, data_dir=data_dir)
        report = done.report
        ctx.privacy.record(contact.id, "*", m.AuditAction.ERASE)
        ctx.privacy.flush(ctx.store)
        # Any account may hold the contact (a touchpoint, a reporting line, a former
        # employer): drop them all. Erasures are rare; a stale copy is a leak.
        ctx.cache.invalidate()
        return Erasure(contact_id=contact.id, profile_items_removed=report.profile_items_removed,
                       fields_cleared=list(report.fields_cleared))
