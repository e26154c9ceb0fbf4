"""Root query: thin resolvers over the store, the account cache and the readings."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from api.privacy import Privacy
from api.schema.database import DatabaseReadingsResult, database_readings
from api.schema.enums import Lifecycle
from api.schema.pagination import (
    DEFAULT_PAGE_SIZE,
    Connection,
    PageInfo,
    check_first,
    decode,
    encode,
    offset_page,
)
from api.schema.types import (
    Account,
    AuditEvent,
    Contact,
    Ctx,
    Hop,
    InfluencePath,
    InfluencePaths,
    User,
)
from graph import model as m
from graph.errors import NotFound, PermissionDenied, ValidationError
from graph.privacy import PERSONAL_CONTACT_FIELDS
from graph.schema import node_kind
from graph.store import Store

_ID: TypeAdapter[str] = TypeAdapter(m.Id)

# Filters the store cannot apply (status, owner, text, sorting by name) are
# applied here over at most this many candidates; past it the caller is asked to
# narrow the query rather than have one request read the whole database.
SCAN_LIMIT = 5_000


def check_id(value: str, field: str = "id") -> str:
    """An id in the model's id syntax, or ValidationError saying what ids look like."""
    try:
        _ID.validate_python(value)
    except PydanticValidationError:
        raise ValidationError(
            f"{field} {value[:60]!r} is not a valid id (1-200 letters, digits and _ . : @ / -)",
            field=field,
        ) from None
    return value


def search_nodes(store: Store, privacy: Privacy, text: str, first: int) -> list[m.Node]:
    """Companies, then contacts, whose text fields contain ``text``, ordered by id.

    A contact's email is personal: a contact is found by it only when the viewer
    may see it (and that counts as reading it), or search would tell anyone whose
    address is which. Hidden matches do not take up places in the page either:
    the personal search widens until it has ``first`` visible ones or runs out.
    """
    open_fields = tuple(f for f in node_kind("contact").text_fields
                        if f not in PERSONAL_CONTACT_FIELDS)
    personal_fields = tuple(f for f in node_kind("contact").text_fields
                            if f in PERSONAL_CONTACT_FIELDS)
    companies = store.search(text, ("company",), first)
    contacts = {c.id: c for c in store.search(text, ("contact",), first, fields=open_fields)}
    limit = first
    while personal_fields:
        found = store.search(text, ("contact",), limit, fields=personal_fields)
        visible = [c for c in found if c.id not in contacts
                   and privacy.sees(c.model_dump(include={"id", "company_id"}))]
        if len(visible) >= first or len(found) < limit or limit >= SCAN_LIMIT:
            break
        limit = min(limit * 4, SCAN_LIMIT)
    for c in visible[:first] if personal_fields else []:
        contacts[c.id] = c
        for f in personal_fields:
            if text.lower() in str(getattr(c, f) or "").lower():
                privacy.record(c.id, f)
    ordered = [contacts[i] for i in sorted(contacts)]
    return [*companies, *ordered][:first]


@strawberry.enum
class AccountSort(Enum):
    ID = "id"
    NAME = "name"


@strawberry.input
class AccountFilter:
    industry: str | None = None
    size_band: str | None = None
    region: str | None = None
    lifecycle: Lifecycle | None = None
    target: bool | None = None
    status: str | None = strawberry.field(default=None, description="Reading: at_risk, ...")
    owner_id: strawberry.ID | None = None
    text: str | None = strawberry.field(default=None, description="Substring of name or domain")


def _store_filters(f: AccountFilter) -> dict[str, Any]:
    raw = {"industry": f.industry, "size_band": f.size_band, "region": f.region,
           "lifecycle": str(f.lifecycle) if f.lifecycle else None, "target": f.target}
    return {k: v for k, v in raw.items() if v is not None}


def _candidates(info: Ctx, f: AccountFilter) -> list[m.Company]:
    store = info.context.store
    if f.text:
        found = store.search(f.text, ("company",), limit=SCAN_LIMIT + 1)
    elif f.owner_id:
        check_id(str(f.owner_id), "ownerId")
        ids = sorted({r.target for r in store.relationships("OWNS", source=str(f.owner_id))
                      if getattr(r, "until", None) is None})
        found = list(store.get_many("company", ids).values())
    else:
        found, after = [], None
        while len(found) <= SCAN_LIMIT:
            page = store.list("company", _store_filters(f), after=after, limit=500)
            found.extend(page.items)
            if page.next_cursor is None:
                break
            after = page.next_cursor
    if len(found) > SCAN_LIMIT:
        raise ValidationError(
            f"this filter or sort looks at more than {SCAN_LIMIT} accounts; narrow it with "
            "industry, region, sizeBand, lifecycle or ownerId", field="filter")
    rows = [c for c in found if isinstance(c, m.Company)]
    want = _store_filters(f)
    rows = [c for c in rows if all(str(getattr(c, k)) == str(v) for k, v in want.items())]
    if f.owner_id and f.text:
        owned = {r.target for r in store.relationships("OWNS", source=str(f.owner_id))
                 if getattr(r, "until", None) is None}
        rows = [c for c in rows if c.id in owned]
    if f.status:
        rows = [c for c in rows if info.context.cache.readings(c.id).status == f.status]
    return rows


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in user.")
    def me(self, info: Ctx) -> User:
        return User.of(info.context.viewer.user.model_dump())

    @strawberry.field
    def accounts(self, info: Ctx, filter: AccountFilter | None = None,
                 sort: AccountSort = AccountSort.ID, first: int = DEFAULT_PAGE_SIZE,
                 after: str | None = None) -> Connection[Account]:
        check_first(first)
        f = filter or AccountFilter()
        simple = not (f.status or f.owner_id or f.text) and sort is AccountSort.ID
        if simple:
            cursor = decode(after, "k") if after else None
            page = info.context.store.list("company", _store_filters(f), after=cursor,
                                           limit=first)
            return Connection(
                items=[Account.of(c.model_dump()) for c in page.items],
                page_info=PageInfo(
                    end_cursor=encode("k", page.next_cursor) if page.next_cursor else None,
                    has_next_page=page.next_cursor is not None),
                total_count=page.total)
        rows = _candidates(info, f)
        rows.sort(key=(lambda c: (c.name.lower(), c.id)) if sort is AccountSort.NAME
                  else (lambda c: c.id))
        return offset_page([Account.of(c.model_dump()) for c in rows], first, after)

    @strawberry.field
    def account(self, info: Ctx, id: strawberry.ID) -> Account:
        G = info.context.cache.graph(check_id(str(id)))
        return Account.of(dict(G.nodes[f"company:{id}"]))

    @strawberry.field
    async def contact(self, info: Ctx, id: strawberry.ID) -> Contact:
        node = await info.context.contacts.load(check_id(str(id)))
        if node is None:
            raise NotFound("contact", str(id))
        return Contact.of(node.model_dump())

    @strawberry.field(description="Companies and contacts whose name, domain or title "
                      "contains the text, and contacts whose email does if you may see it "
                      "(never profile items).")
    def search(self, info: Ctx, text: str, first: int = 20) -> list[Account | Contact]:
        check_first(first)
        if len(text.strip()) < 2:
            raise ValidationError("search text needs at least 2 characters", field="text")
        out: list[Account | Contact] = []
        for node in search_nodes(info.context.store, info.context.privacy, text.strip(), first):
            if isinstance(node, m.Company):
                out.append(Account.of(node.model_dump()))
            elif isinstance(node, m.Contact):
                out.append(Contact.of(node.model_dump()))
        return out

    @strawberry.field(description="The best warm routes from our side to a contact, each "
                      "hop with its strength and evidence: from fromUserId when given, else "
                      "from you (members) or from anyone on our side (analysts and admins, "
                      "who are rarely on an account themselves). A member with few routes "
                      "is told whom on our side to ask.")
    async def influence_paths(self, info: Ctx, contact_id: strawberry.ID,
                              from_user_id: strawberry.ID | None = None, k: int = 3,
                              max_hops: int = 4) -> InfluencePaths:
        from graph.readings.paths import influence_paths

        if not 1 <= k <= 10:
            raise ValidationError(f"k={k} is outside 1..10", field="k")
        if not 1 <= max_hops <= 6:
            raise ValidationError(f"maxHops={max_hops} is outside 1..6", field="maxHops")
        node = await info.context.contacts.load(check_id(str(contact_id), "contactId"))
        if not isinstance(node, m.Contact):
            raise NotFound("contact", str(contact_id))
        viewer = info.context.viewer
        user = str(from_user_id) if from_user_id else (
            viewer.id if viewer.access is m.Access.MEMBER else None)
        if user is not None:
            check_id(user, "fromUserId")
        P = info.context.cache.people(node.company_id)
        found = influence_paths(P, f"contact:{node.id}",
                                sources=[f"user:{user}"] if user else None, k=k,
                                max_hops=max_hops)
        return InfluencePaths(
            target_id=strawberry.ID(node.id), target_name=found.target_name,
            paths=[InfluencePath(strength=p.strength, hops=[
                Hop(from_key=h.source, from_name=h.source_name, to_key=h.target,
                    to_name=h.target_name, strength=h.strength, evidence=list(h.evidence))
                for h in p.hops]) for p in found.paths],
            reasons=list(found.reasons), complete=found.complete)

    @strawberry.field(description="Readings over the whole database (analysts and admins): "
                      "mix by segment, concentration, list-purchase plan, revenue triggers.")
    async def database_readings(self, info: Ctx) -> DatabaseReadingsResult:
        return await database_readings(info)

    @strawberry.field(description="Admins only: who read which personal data, when, how.")
    def audit_events(self, info: Ctx, contact_id: strawberry.ID | None = None,
                     user_id: strawberry.ID | None = None, first: int = DEFAULT_PAGE_SIZE,
                     after: str | None = None) -> Connection[AuditEvent]:
        if not info.context.viewer.is_admin:
            raise PermissionDenied("only admins may read the audit trail")
        check_first(first)
        filters = {k: str(v) for k, v in (("contact_id", contact_id), ("user_id", user_id)) if v}
        page = info.context.store.list("audit_event", filters,
                                       after=decode(after, "k") if after else None, limit=first)
        items = [AuditEvent(id=strawberry.ID(e.id), at=e.at, user_id=strawberry.ID(e.user_id),
                            contact_id=strawberry.ID(e.contact_id),
                            field=e.field, action=m.AuditAction(e.action), door=e.door,
                            request_id=e.request_id)
                 for e in page.items if isinstance(e, m.AuditEvent)]
        return Connection(items=items, page_info=PageInfo(
            end_cursor=encode("k", page.next_cursor) if page.next_cursor else None,
            has_next_page=page.next_cursor is not None), total_count=page.total)

    @strawberry.field
    def users(self, info: Ctx, first: int = DEFAULT_PAGE_SIZE,
              after: str | None = None) -> Connection[User]:
        check_first(first)
        page = info.context.store.list("user", None, after=decode(after, "k") if after else None,
                                       limit=first)
        return Connection(items=[User.of(u.model_dump()) for u in page.items],
                          page_info=PageInfo(
                              end_cursor=encode("k", page.next_cursor) if page.next_cursor
                              else None, has_next_page=page.next_cursor is not None),
                          total_count=page.total)
