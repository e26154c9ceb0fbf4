"""Root query: thin resolvers over the store, the account cache and the readings."""

from __future__ import annotations

import strawberry

from api.schema.database import DatabaseReadingsResult, database_readings
from api.schema.enums import AccountSort, ContactSort
from api.schema.lists import (
    AccountFilter,
    ContactFilter,
    SearchResults,
    list_accounts,
    list_contacts,
    search,
)
from api.schema.pagination import (
    DEFAULT_PAGE_SIZE,
    Connection,
    PageInfo,
    check_first,
    decode,
    encode,
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
from api.schema.validation import check_id
from graph import model as m
from graph.errors import NotFound, PermissionDenied, ValidationError

__all__ = ["Query", "check_id"]

@strawberry.type
class Query:
    @strawberry.field(description="The signed-in user.")
    def me(self, info: Ctx) -> User:
        return User.of(info.context.viewer.user.model_dump())

    @strawberry.field(description="Accounts by firmographics, owner, text and status; sorted "
                      "by id, name, status, last touch, breadth or contacts.")
    async def accounts(self, info: Ctx, filter: AccountFilter | None = None,
                       sort: AccountSort = AccountSort.ID, descending: bool | None = None,
                       first: int = DEFAULT_PAGE_SIZE,
                       after: str | None = None) -> Connection[Account]:
        return await list_accounts(info, filter or AccountFilter(), sort, descending, first,
                                   after)

    @strawberry.field(description="Contacts across every account (analysts and admins): by "
                      "category, seniority, department, strength, last touch and the "
                      "account's firmographics and status; one row per contact and account "
                      "they work (or, with status LEFT, worked) at.")
    async def contacts(self, info: Ctx, filter: ContactFilter | None = None,
                       sort: ContactSort = ContactSort.NAME, descending: bool | None = None,
                       first: int = DEFAULT_PAGE_SIZE,
                       after: str | None = None) -> Connection[Contact]:
        return await list_contacts(info, filter or ContactFilter(), sort, descending, first,
                                   after)

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
                      "(never profile items): companies first, each by id; paged, with a total.")
    def search(self, info: Ctx, text: str, first: int = 20,
               after: str | None = None) -> SearchResults:
        return search(info, text, first, after)

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
