"""The analyst's lists: accounts by firmographics and readings, contacts across accounts, search.

Filtering and sorting by a reading (status, last touch, breadth, category, strength)
is done by :mod:`graph.readings.select` over the rows the database readings keep
per account (:class:`api.database.Snapshot`), never by reading accounts in the
request. Plain firmographic filters in id order go straight to the store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import strawberry

from api.database import Snapshot
from api.privacy import Privacy
from api.schema.enums import (
    AccountSort,
    AccountStatus,
    Category,
    ContactSort,
    ContactStatus,
    Function,
    Lifecycle,
    Seniority,
)
from api.schema.pagination import (
    Connection,
    PageInfo,
    check_first,
    decode,
    encode,
    offset_page,
)
from api.schema.types import Account, Contact, Ctx
from api.schema.validation import check_id
from graph import model as m
from graph.errors import PermissionDenied, ValidationError
from graph.privacy import PERSONAL_CONTACT_FIELDS
from graph.readings.select import (
    AccountQuery,
    ContactQuery,
    ContactRow,
    account_matcher,
    check_vocabulary,
)
from graph.schema import node_kind
from graph.store import Store

# Filters the store cannot apply (owner, text) are applied here over at most this
# many candidates; past it the caller is asked to narrow the query rather than have
# one request read the whole database.
SCAN_LIMIT = 5_000
# Search counts its matches up to this many; past it the total is a floor.
SEARCH_LIMIT = 1_000


@strawberry.input
class AccountFilter:
    """Conditions on accounts; every one given must hold. Industry, sizeBand, revenueBand
    and region match without regard to case; a value no account holds is an error that
    lists the values that exist."""

    industry: str | None = None
    size_band: str | None = None
    revenue_band: str | None = None
    region: str | None = None
    lifecycle: Lifecycle | None = None
    target: bool | None = None
    status: AccountStatus | None = strawberry.field(default=None, description="A reading")
    owner_id: strawberry.ID | None = None
    text: str | None = strawberry.field(default=None, description="Substring of name or domain")


@strawberry.input
class ContactFilter:
    """Conditions on contacts across every account; every one given must hold."""

    account: AccountFilter | None = strawberry.field(
        default=None, description="Conditions on the contact's account")
    categories: list[Category] | None = strawberry.field(
        default=None, description="Primary category is one of these")
    seniorities: list[Seniority] | None = None
    departments: list[Function] | None = None
    status: ContactStatus | None = strawberry.field(
        default=m.ContactStatus.ACTIVE, description="ACTIVE (default): works there now; "
        "LEFT: has left that account; null: both")
    min_strength: float | None = None
    max_strength: float | None = None
    touched_since: datetime | None = strawberry.field(
        default=None, description="Has a touchpoint at or after this time")
    not_touched_since: datetime | None = strawberry.field(
        default=None, description="No touchpoint at or after this time (never touched counts)")
    not_touched_in_days: int | None = strawberry.field(
        default=None, description="No touchpoint in the last N days (never touched counts)")


def _value(e: Any) -> str | None:
    return None if e is None else str(getattr(e, "value", e))


def account_query(f: AccountFilter, company_ids: frozenset[str] | None = None) -> AccountQuery:
    return AccountQuery(industry=f.industry, size_band=f.size_band, revenue_band=f.revenue_band,
                        region=f.region, lifecycle=_value(f.lifecycle), target=f.target,
                        statuses=frozenset({_value(f.status) or ""}) if f.status else None,
                        company_ids=company_ids)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _strength(value: float | None, name: str) -> float | None:
    if value is not None and not 0.0 <= value <= 1.0:
        raise ValidationError(f"{name}={value} is outside 0..1 (strengths run from 0 to 1)",
                              field=name)
    return value


def contact_query(f: ContactFilter, company_ids: frozenset[str] | None) -> ContactQuery:
    not_since = _utc(f.not_touched_since) if f.not_touched_since else None
    if f.not_touched_in_days is not None:
        if not 1 <= f.not_touched_in_days <= 36_500:
            raise ValidationError(f"notTouchedInDays={f.not_touched_in_days} is outside "
                                  "1..36500", field="filter.notTouchedInDays")
        cut = datetime.now(UTC) - timedelta(days=f.not_touched_in_days)
        not_since = min(not_since, cut) if not_since else cut

    def names(values: Sequence[Any] | None) -> frozenset[str] | None:
        return frozenset(str(_value(v)) for v in values) if values is not None else None

    return ContactQuery(
        accounts=account_query(f.account or AccountFilter(), company_ids),
        categories=names(f.categories), seniorities=names(f.seniorities),
        departments=names(f.departments),
        current=None if f.status is None else f.status is m.ContactStatus.ACTIVE,
        min_strength=_strength(f.min_strength, "minStrength"),
        max_strength=_strength(f.max_strength, "maxStrength"),
        touched_since=_utc(f.touched_since) if f.touched_since else None,
        not_touched_since=not_since)


def _store_filters(f: AccountFilter) -> dict[str, Any]:
    raw = {"industry": f.industry, "size_band": f.size_band, "region": f.region,
           "revenue_band": f.revenue_band, "lifecycle": _value(f.lifecycle), "target": f.target}
    return {k: v for k, v in raw.items() if v is not None}


def _owned(store: Store, owner_id: str) -> set[str]:
    return {r.target for r in store.relationships("OWNS", source=owner_id)
            if getattr(r, "until", None) is None}


def _too_many() -> ValidationError:
    return ValidationError(
        f"this filter or sort looks at more than {SCAN_LIMIT} accounts; narrow it with "
        "industry, region, sizeBand, lifecycle or ownerId", field="filter")


def _named_ids(store: Store, f: AccountFilter) -> frozenset[str] | None:
    """The accounts an owner or text condition allows (None: no such condition)."""
    ids: set[str] | None = None
    if f.owner_id:
        ids = _owned(store, check_id(str(f.owner_id), "ownerId"))
    if f.text:
        found = store.search(f.text, ("company",), limit=SCAN_LIMIT + 1)
        if len(found) > SCAN_LIMIT:
            raise _too_many()
        named = {c.id for c in found}
        ids = named if ids is None else ids & named
    return frozenset(ids) if ids is not None else None


def _all_companies(store: Store, filters: dict[str, Any]) -> list[m.Company]:
    found: list[m.Company] = []
    after = None
    while True:
        page = store.list("company", filters, after=after, limit=500)
        found.extend(c for c in page.items if isinstance(c, m.Company))
        if page.next_cursor is None:
            return found
        after = page.next_cursor


async def snapshot(info: Ctx) -> Snapshot:
    """The database readings' rows (read off the event loop: a cold start reads every account)."""
    db = info.context.database
    if db is None:
        raise RuntimeError("the app was built without database readings (app.state.database)")
    return await asyncio.to_thread(db.snapshot)


def _companies(info: Ctx, ids: list[str]) -> list[Account]:
    found = info.context.store.get_many("company", ids)
    return [Account.of(found[i].model_dump()) for i in ids if i in found]


async def list_accounts(info: Ctx, f: AccountFilter, sort: AccountSort, descending: bool | None,
                        first: int, after: str | None) -> Connection[Account]:
    """``Query.accounts``: by firmographics straight from the store, by readings from the rows."""
    check_first(first)
    store = info.context.store
    # Name order reads the rows too: sorting by name in the store would read every company.
    by_reading = f.status is not None or sort is not AccountSort.ID
    if by_reading:
        snap = await snapshot(info)
        rows = snap.accounts(account_query(f, _named_ids(store, f)), sort=sort.value,
                             descending=descending)
        page = offset_page(rows, first, after)
        items = _companies(info, [str(s["company_id"]) for s in page.items])
        return Connection(items=items, page_info=page.page_info, total_count=page.total_count)
    if not (f.owner_id or f.text) and sort is AccountSort.ID and not descending:
        cursor = decode(after, "k") if after else None
        listed = store.list("company", _store_filters(f), after=cursor, limit=first)
        if listed.total or not any((f.industry, f.size_band, f.revenue_band, f.region)):
            return Connection(
                items=[Account.of(c.model_dump()) for c in listed.items],
                page_info=PageInfo(
                    end_cursor=encode("k", listed.next_cursor) if listed.next_cursor else None,
                    has_next_page=listed.next_cursor is not None),
                total_count=listed.total)
        # Nothing spelt exactly so: match without case, or say which values exist.
    ids = _named_ids(store, f)
    candidates = (list(store.get_many("company", sorted(ids)).values()) if ids is not None
                  else _all_companies(store, {k: v for k, v in _store_filters(f).items()
                                              if k in ("lifecycle", "target")}))
    candidates = [c for c in candidates if isinstance(c, m.Company)]
    query = account_query(f)
    dumped = [c.model_dump(mode="json") for c in candidates]
    if ids is None:
        check_vocabulary(dumped, query)
    match = account_matcher(query)
    picked = sorted((c for c, d in zip(candidates, dumped, strict=True) if match(d)),
                    key=lambda c: c.id, reverse=bool(descending))
    return offset_page([Account.of(c.model_dump()) for c in picked], first, after)


async def list_contacts(info: Ctx, f: ContactFilter, sort: ContactSort, descending: bool | None,
                        first: int, after: str | None) -> Connection[Contact]:
    """``Query.contacts``: contacts across accounts (analysts and admins)."""
    check_first(first)
    if info.context.viewer.access is m.Access.MEMBER:
        raise PermissionDenied("contacts across accounts are for analysts and admins; ask in "
                               "one account with account(id) { contacts }, or ask an admin")
    query = contact_query(f, _named_ids(info.context.store, f.account or AccountFilter()))
    snap = await snapshot(info)
    page = offset_page(snap.contacts(query, sort=sort.value, descending=descending), first, after)
    return Connection(items=await _contacts(info, page.items), page_info=page.page_info,
                      total_count=page.total_count)


async def _contacts(info: Ctx, rows: Sequence[ContactRow]) -> list[Contact]:
    """A page of rows as contacts, read in one batch (email and phone go through privacy)."""
    found = info.context.store.get_many("contact", [r.contact_id for r in rows])
    out = []
    for r in rows:
        node = found.get(r.contact_id)
        if isinstance(node, m.Contact):
            # The row's account, not the contact's current one: a LEFT row is about
            # the account they left (privacy still follows the current account).
            contact = Contact.of(node.model_dump())
            if r.current and node.company_id == r.company_id:
                # Show the values the list was filtered and sorted by; a row about a
                # former account says nothing about the current one, which is read.
                contact.row_strength, contact.row_category = r.strength, r.category
            out.append(contact)
    return out


# -- search -------------------------------------------------------------------


@dataclass
class Matches:
    nodes: list[m.Node]  # companies by id, then contacts by id
    by_personal: dict[str, tuple[str, ...]]  # contact id -> personal fields it matched on
    complete: bool  # False: more than SEARCH_LIMIT matched


def search_matches(store: Store, privacy: Privacy, text: str, cap: int = SEARCH_LIMIT) -> Matches:
    """Companies, then contacts, whose text fields contain ``text``, ordered by id.

    A contact's email is personal: a contact is found by it only when the viewer
    may see it, or search would tell anyone whose address is which. Hidden
    matches take no place in the list or the count.
    """
    open_fields = tuple(f for f in node_kind("contact").text_fields
                        if f not in PERSONAL_CONTACT_FIELDS)
    personal_fields = tuple(f for f in node_kind("contact").text_fields
                            if f in PERSONAL_CONTACT_FIELDS)
    companies = store.search(text, ("company",), cap + 1)
    contacts = {c.id: c for c in store.search(text, ("contact",), cap + 1, fields=open_fields)}
    by_personal: dict[str, tuple[str, ...]] = {}
    if personal_fields:
        for c in store.search(text, ("contact",), SCAN_LIMIT, fields=personal_fields):
            if c.id in contacts or not privacy.sees(c.model_dump(include={"id", "company_id"})):
                continue
            contacts[c.id] = c
            by_personal[c.id] = tuple(f for f in personal_fields
                                      if text.lower() in str(getattr(c, f) or "").lower())
    nodes = [*companies, *(contacts[i] for i in sorted(contacts))]
    return Matches(nodes=nodes[:cap], by_personal=by_personal, complete=len(nodes) <= cap)


SearchHit = Annotated[Account | Contact, strawberry.union("SearchHit")]


@strawberry.type
class SearchResults:
    items: list[SearchHit]
    page_info: PageInfo
    total_count: int = strawberry.field(description=(
        f"How many match (companies and contacts you may find), up to {SEARCH_LIMIT}"))
    complete: bool = strawberry.field(description=(
        f"False when more than {SEARCH_LIMIT} match: totalCount is a floor; narrow the text"))


def search(info: Ctx, text: str, first: int, after: str | None) -> SearchResults:
    check_first(first)
    text = text.strip()
    if len(text) < 2:
        raise ValidationError("search text needs at least 2 characters", field="text")
    found = search_matches(info.context.store, info.context.privacy, text)
    page = offset_page(found.nodes, first, after)
    items: list[Account | Contact] = []
    for node in page.items:
        if isinstance(node, m.Company):
            items.append(Account.of(node.model_dump()))
        elif isinstance(node, m.Contact):
            # Found by an email: that shows the email, so it is a read of it.
            for field in found.by_personal.get(node.id, ()):
                info.context.privacy.record(node.id, field)
            items.append(Contact.of(node.model_dump()))
    return SearchResults(items=items, page_info=page.page_info, total_count=page.total_count,
                         complete=found.complete)

