"""GraphQL output types. Thin: each resolver reads the cached account graph,
the readings or a DataLoader, and personal values only through Privacy."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from api.readings import contact_strength_as_of
from api.schema.account_readings import AccountReadings
from api.schema.context import Context
from api.schema.enums import (
    Access,
    AuditAction,
    Category,
    ContactSort,
    ContactStatus,
    Direction,
    Function,
    Lifecycle,
    OpportunityStage,
    Outcome,
    Seniority,
    TeamRole,
    TouchpointKind,
    UserRole,
    Visibility,
)
from api.schema.pagination import DEFAULT_PAGE_SIZE, Connection, check_first, offset_page
from api.schema.views import views_of
from graph import model as m
from graph.errors import ValidationError
from graph.neighbourhood import key
from graph.privacy import subject_is_personal
from graph.readings.select import order_contacts

Ctx = Info[Context, None]

def _utc(value: datetime) -> datetime:
    """A naive time from a client is taken to be UTC, as the model does."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


_MAX_REPORTING_LINE = 12  # a reporting loop in bad data must not spin forever


@strawberry.type
class User:
    id: strawberry.ID
    name: str
    email: str | None
    role: UserRole
    access: Access
    active: bool

    @classmethod
    def of(cls, data: dict[str, Any]) -> User:
        return cls(id=data["id"], name=data["name"], email=data.get("email"),
                   role=m.UserRole(data.get("role") or m.UserRole.ACCOUNT_MANAGER),
                   access=m.Access(data.get("access") or m.Access.MEMBER),
                   active=bool(data.get("active", True)))


@strawberry.type
class TeamMember:
    user: User
    role: TeamRole


@strawberry.type
class Ownership:
    user: User
    since: datetime
    until: datetime | None


@strawberry.type
class Department:
    id: strawberry.ID
    function: Function
    name: str | None

    @strawberry.field
    def contact_count(self, info: Ctx) -> int:
        G = info.context.cache.graph(self.company_id)
        return sum(1 for u, _, k in G.in_edges(key("department", self.id), keys=True)
                   if k == "WORKS_IN")

    company_id: strawberry.Private[str]


@strawberry.type
class ProfileItem:
    id: strawberry.ID
    key: str
    value: str | None = strawberry.field(description="null when redacted")
    redacted: bool = strawberry.field(
        description="true when this is personal and you are not on the account's team"
    )
    visibility: Visibility
    entered_by: str | None
    entered_at: datetime | None


@strawberry.type
class ContactCategory:
    primary: str
    secondary: list[str]
    reasons: list[str]
    entered: str | None = strawberry.field(
        default=None, description="The category a person entered for this contact (a buying "
        "role or a role on a deal): shown as primary, marked as entered by a person")
    entered_by: str | None = strawberry.field(default=None, description="Who entered it")
    inferred: str | None = strawberry.field(
        default=None, description="What the evidence alone reads, entered role aside")


@strawberry.type
class Touchpoint:
    id: strawberry.ID
    type: TouchpointKind
    at: datetime
    direction: Direction
    outcome: Outcome | None
    campaign: str | None
    subject: str | None
    contact_ids: list[strawberry.ID]
    user_ids: list[strawberry.ID]

    @classmethod
    def of(cls, d: dict[str, Any], privacy: Any = None) -> Touchpoint:
        """``privacy`` (:class:`api.privacy.Privacy`) releases a captured subject, or not."""
        subject = d.get("subject")
        if subject_is_personal(d):
            subject = privacy.view_subject(d) if privacy is not None else None
        return cls(id=d["id"], type=m.TouchpointKind(d["type"]), at=d["at"],
                   direction=m.Direction(d.get("direction") or "outbound"),
                   outcome=m.Outcome(d["outcome"]) if d.get("outcome") else None,
                   campaign=d.get("campaign"), subject=subject,
                   contact_ids=list(d.get("contact_ids") or []),
                   user_ids=list(d.get("user_ids") or []))


@strawberry.type
class Opportunity:
    id: strawberry.ID
    name: str | None
    amount: float
    stage: OpportunityStage
    close_date: date | None
    contact_ids: list[strawberry.ID]

    @strawberry.field
    def won(self) -> bool:
        return self.stage is m.OpportunityStage.CLOSED_WON


def _only_primary(info: Ctx) -> bool:
    """Whether the query asks this category for its primary value alone (plain fields only:
    anything else, fragments included, reads the account's readings)."""
    for node in info.selected_fields:
        for sel in node.selections:
            if not isinstance(sel, SelectedField) or sel.name not in ("primary", "__typename"):
                return False
    return True


def touchpoints_of(G: Any, nodes: list[str], since: datetime | None, until: datetime | None,
                   types: list[m.TouchpointKind] | None, privacy: Any) -> list[Touchpoint]:
    out = []
    for n in nodes:
        d = G.nodes[n]
        at = d["at"]
        if (since and at < _utc(since)) or (until and at > _utc(until)):
            continue
        if types and d["type"] not in types:
            continue
        out.append(Touchpoint.of(d, privacy))
    return sorted(out, key=lambda t: t.at, reverse=True)


@strawberry.type
class Contact:
    id: strawberry.ID
    name: str
    title: str | None
    seniority: Seniority | None
    status: ContactStatus
    department_id: strawberry.ID | None
    company_id: strawberry.ID
    # Personal (graph.privacy): released only by the email and phone resolvers, per
    # viewer. Objects of this type are shared between viewers (api/schema/views.py).
    stored_email: strawberry.Private[str | None] = None
    stored_phone: strawberry.Private[str | None] = None
    # Set when the contact comes from the database readings' kept rows (a list across
    # accounts): that list was filtered and sorted by these values, so it shows them,
    # and a page of 25 contacts in 25 accounts reads none of those accounts for them.
    row_strength: strawberry.Private[float | None] = None
    row_category: strawberry.Private[str | None] = None

    @classmethod
    def of(cls, d: dict[str, Any]) -> Contact:
        return cls(id=d["id"], name=d["name"], stored_email=d.get("email"),
                   stored_phone=d.get("phone"), title=d.get("title"),
                   seniority=m.Seniority(d["seniority"]) if d.get("seniority") else None,
                   status=m.ContactStatus(d.get("status") or "active"),
                   department_id=d.get("department_id"), company_id=d["company_id"])

    def _personal(self) -> dict[str, Any]:
        return {"id": str(self.id), "company_id": str(self.company_id),
                "email": self.stored_email, "phone": self.stored_phone}

    @strawberry.field(description="Direct email. Personal: null unless you are on the team "
                      "of the contact's current account (or an admin); see redactedFields.")
    def email(self, info: Ctx) -> str | None:
        return info.context.privacy.view_field(self._personal(), "email")

    @strawberry.field(description="Direct phone. Personal, like email.")
    def phone(self, info: Ctx) -> str | None:
        return info.context.privacy.view_field(self._personal(), "phone")

    @strawberry.field(description="Personal fields (email, phone) that hold a value you may "
                      "not see: they exist, their values are withheld.")
    def redacted_fields(self, info: Ctx) -> list[str]:
        return info.context.privacy.hidden_fields(self._personal())

    def _graph(self, info: Ctx) -> Any:
        return info.context.cache.graph(str(self.company_id))

    @strawberry.field
    def company(self, info: Ctx) -> Account | None:
        # Sync when the company's graph is cached (the account view: no coroutine per
        # contact); otherwise an awaitable through the batching loader, which
        # graphql-core awaits like any async resolver's result.
        # Once per request and company (the account view asks for it per contact).
        key = ("company", str(self.company_id))
        memo = info.context.memo
        if key not in memo:
            cached = info.context.cache.peek_company(str(self.company_id))
            memo[key] = Account.of(cached) if cached is not None else None
        if memo[key] is not None:
            return memo[key]
        return self._load_company(info)  # type: ignore[return-value]

    async def _load_company(self, info: Ctx) -> Account | None:
        node = await info.context.companies.load(str(self.company_id))
        return Account.of(node.model_dump()) if node else None

    @strawberry.field
    def department(self, info: Ctx) -> Department | None:
        if not self.department_id:
            return None
        G = self._graph(info)
        d = G.nodes.get(key("department", str(self.department_id)))
        return Department(id=d["id"], function=m.Function(d["function"]), name=d.get("name"),
                          company_id=str(self.company_id)) if d else None

    @strawberry.field(description="Primary category by how they interact with us, with reasons.")
    def category(self, info: Ctx) -> ContactCategory | None:
        if self.row_category is not None and _only_primary(info):
            return ContactCategory(primary=self.row_category, secondary=[], reasons=[])
        cid = str(self.company_id)
        r = info.context.readings(cid)
        c = r.categories.get(str(self.id))
        if c is None:
            return None
        # The graph only says where shared objects are kept (they are built from r), so
        # one look-up per request will do.
        memo = info.context.memo
        views = memo.get(("views", cid))
        if views is None:
            views = memo[("views", cid)] = views_of(self._graph(info))
        return views.get_from_readings(
            r, "category", str(self.id),
            lambda: ContactCategory(primary=c.primary, secondary=list(c.secondary),
                                    reasons=list(c.reasons), entered=c.entered,
                                    entered_by=c.entered_by, inferred=c.inferred))

    @strawberry.field(description="Relationship strength 0..1, now or as of a date.")
    def strength(self, info: Ctx, as_of: datetime | None = None) -> float | None:
        if as_of is None:
            if self.row_strength is not None:
                return self.row_strength
            return info.context.readings(str(self.company_id)).strength.get(str(self.id))
        return contact_strength_as_of(self._graph(info), str(self.id), _utc(as_of))

    @strawberry.field(description="People in the same department (the same company if none).")
    def colleagues(self, info: Ctx, first: int = DEFAULT_PAGE_SIZE,
                   after: str | None = None) -> Connection[Contact]:
        G = self._graph(info)
        same = [
            Contact.of(d) for n, d in G.nodes(data=True)
            if d.get("kind") == "contact" and d["id"] != self.id and not d.get("outside")
            and d.get("company_id") == self.company_id
            and (self.department_id is None or d.get("department_id") == self.department_id)
        ]
        return offset_page(sorted(same, key=lambda c: (c.name, c.id)), first, after)

    def _reports_to(self, G: Any, contact_id: str) -> dict[str, Any] | None:
        for _, v, k in G.out_edges(key("contact", contact_id), keys=True):
            if k == "REPORTS_TO" and G.nodes[v].get("kind") == "contact":
                return dict(G.nodes[v])
        return None

    @strawberry.field
    def reports_to(self, info: Ctx) -> Contact | None:
        d = self._reports_to(self._graph(info), str(self.id))
        return Contact.of(d) if d else None

    @strawberry.field(description="Managers upward, nearest first.")
    def reporting_line(self, info: Ctx) -> list[Contact]:
        G, seen, at = self._graph(info), {str(self.id)}, str(self.id)
        line: list[Contact] = []
        while len(line) < _MAX_REPORTING_LINE:
            d = self._reports_to(G, at)
            if d is None or d["id"] in seen:
                break
            seen.add(d["id"])
            line.append(Contact.of(d))
            at = d["id"]
        return line

    @strawberry.field
    def direct_reports(self, info: Ctx) -> list[Contact]:
        G = self._graph(info)
        return [Contact.of(G.nodes[u]) for u, _, k in G.in_edges(key("contact", str(self.id)),
                keys=True) if k == "REPORTS_TO" and G.nodes[u].get("kind") == "contact"]

    @strawberry.field
    def touchpoints(self, info: Ctx, since: datetime | None = None, until: datetime | None = None,
                    types: list[TouchpointKind] | None = None) -> list[Touchpoint]:
        G = self._graph(info)
        nodes = [v for _, v, k in G.out_edges(key("contact", str(self.id)), keys=True)
                 if k == "PARTICIPATED_IN"]
        return touchpoints_of(G, nodes, since, until, types, info.context.privacy)

    @strawberry.field(description="Personal items are redacted unless you are on the team.")
    def profile_items(self, info: Ctx) -> list[ProfileItem]:
        G = self._graph(info)
        items = [G.nodes[v] for _, v, k in G.out_edges(key("contact", str(self.id)), keys=True)
                 if k == "HAS_PROFILE_ITEM"]
        views = info.context.privacy.view_items(sorted(items, key=lambda d: d["id"]),
                                                str(self.company_id))
        return [ProfileItem(id=strawberry.ID(v.id), key=v.key, value=v.value, redacted=v.redacted,
                            visibility=m.Visibility(v.visibility), entered_by=v.entered_by,
                            entered_at=v.entered_at) for v in views]


@strawberry.input
class ProfileFilter:
    key: str
    value: str | None = None


def sort_contacts(rows: list[dict[str, Any]], r: Any, sort: ContactSort,
                  descending: bool | None) -> list[dict[str, Any]]:
    """Rows (already by name) in the asked order, as the cross-account list orders them."""
    if sort is ContactSort.NAME and not descending:
        return rows
    return order_contacts(rows, sort.value, descending,
                          strength=lambda d: r.strength.get(d["id"], 0.0),
                          last_touch=lambda d: r.last_touch.get(d["id"]))


def _contact_matches(info: Ctx, G: Any, d: dict[str, Any], company_id: str,
                     profile: ProfileFilter | None) -> bool:
    if profile is None:
        return True
    privacy = info.context.privacy
    for _, v, k in G.out_edges(key("contact", d["id"]), keys=True):
        if k != "HAS_PROFILE_ITEM":
            continue
        item = G.nodes[v]
        if item.get("key") != profile.key:
            continue
        # Only values this viewer may read take part: otherwise which rows come
        # back would tell an outsider what a hidden value is.
        value = privacy.visible_value(item, company_id)
        if value is None:
            continue
        if profile.value is None or value.lower() == profile.value.lower():
            return True
    return False


@strawberry.type
class Account:
    id: strawberry.ID
    name: str
    domain: str | None
    industry: str | None
    size_band: str | None
    revenue_band: str | None
    region: str | None
    lifecycle: Lifecycle
    target: bool

    @classmethod
    def of(cls, d: dict[str, Any]) -> Account:
        return cls(id=d["id"], name=d["name"], domain=d.get("domain"),
                   industry=d.get("industry"), size_band=d.get("size_band"),
                   revenue_band=d.get("revenue_band"), region=d.get("region"),
                   lifecycle=m.Lifecycle(d.get("lifecycle") or "prospect"),
                   target=bool(d.get("target")))

    def _graph(self, info: Ctx) -> Any:
        return info.context.cache.graph(str(self.id))

    def _of_kind(self, info: Ctx, kind: str) -> list[dict[str, Any]]:
        return info.context.cache.nodes(str(self.id), kind)

    @strawberry.field
    def departments(self, info: Ctx) -> list[Department]:
        return [Department(id=d["id"], function=m.Function(d["function"]), name=d.get("name"),
                           company_id=str(self.id))
                for d in self._of_kind(info, "department")]

    @strawberry.field(description="The account's contacts, by name unless sorted otherwise.")
    def contacts(
        self, info: Ctx, first: int = DEFAULT_PAGE_SIZE, after: str | None = None,
        department: Function | None = None, seniority: Seniority | None = None,
        status: ContactStatus | None = None, category: Category | None = None,
        profile: ProfileFilter | None = None, min_strength: float | None = None,
        sort: ContactSort = ContactSort.NAME, descending: bool | None = None,
    ) -> Connection[Contact]:
        G, cid = self._graph(info), str(self.id)
        check_first(first)
        if min_strength is not None and not 0.0 <= min_strength <= 1.0:
            raise ValidationError(f"minStrength={min_strength} is outside 0..1 (strengths "
                                  "run from 0 to 1)", field="minStrength")
        dept_id = m.department_id(cid, department) if department else None
        r = info.context.readings(cid)
        cats, strength = r.categories, r.strength
        wanted = category.value if category is not None else None
        rows = info.context.cache.contacts_by_name(cid)
        filtered = any(f is not None for f in (department, seniority, status, category, profile,
                                               min_strength))
        rows = rows if not filtered else [
            d for d in rows
            if (dept_id is None or d.get("department_id") == dept_id)
            and (seniority is None or d.get("seniority") == seniority)
            and (status is None or d.get("status") == status)
            and (wanted is None or (d["id"] in cats and cats[d["id"]].primary == wanted))
            and (min_strength is None or strength.get(d["id"], 0.0) >= min_strength)
            and _contact_matches(info, G, d, cid, profile)
        ]
        rows = sort_contacts(rows, r, sort, descending)
        # Page the rows, then build objects for that page only: an account may have
        # thousands of contacts and a page is at most MAX_PAGE_SIZE.
        page = offset_page(rows, first, after)
        views = views_of(G)
        items = [views.get("contact", d["id"], partial(Contact.of, d)) for d in page.items]
        return Connection(items=items, page_info=page.page_info, total_count=page.total_count)

    @strawberry.field
    def touchpoints(self, info: Ctx, since: datetime | None = None, until: datetime | None = None,
                    types: list[TouchpointKind] | None = None,
                    first: int = DEFAULT_PAGE_SIZE, after: str | None = None,
                    ) -> Connection[Touchpoint]:
        G = self._graph(info)
        nodes = [n for n, d in G.nodes(data=True) if d.get("kind") == "touchpoint"
                 and d.get("company_id") == self.id]
        return offset_page(touchpoints_of(G, nodes, since, until, types, info.context.privacy),
                           first, after)

    @strawberry.field
    def opportunities(self, info: Ctx) -> list[Opportunity]:
        return [Opportunity(id=d["id"], name=d.get("name"), amount=float(d.get("amount") or 0),
                            stage=m.OpportunityStage(d["stage"]), close_date=d.get("close_date"),
                            contact_ids=list(d.get("contact_ids") or []))
                for d in self._of_kind(info, "opportunity")]

    def _user_edges(self, G: Any, kind: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        return [(G.nodes[u], data) for u, _, data in G.in_edges(key("company", str(self.id)),
                data=True) if data.get("kind") == kind]

    @strawberry.field
    def team(self, info: Ctx) -> list[TeamMember]:
        return [TeamMember(user=User.of(u), role=m.TeamRole(e.get("role") or "account_manager"))
                for u, e in sorted(self._user_edges(self._graph(info), "ON_TEAM"),
                                   key=lambda p: p[0]["id"])]

    @strawberry.field(description="Who owned the account when, oldest first.")
    def ownership_history(self, info: Ctx) -> list[Ownership]:
        rows = self._user_edges(self._graph(info), "OWNS")
        return sorted((Ownership(user=User.of(u), since=e["since"], until=e.get("until"))
                       for u, e in rows), key=lambda o: o.since)

    @strawberry.field
    def owner(self, info: Ctx) -> User | None:
        current = [o for o in self.ownership_history(info) if o.until is None]
        return current[-1].user if current else None

    @strawberry.field
    def readings(self, info: Ctx) -> AccountReadings:
        return AccountReadings.of(info.context.cache.readings(str(self.id)))

    @strawberry.field(description="True when you may see this account's personal items.")
    def can_see_personal(self, info: Ctx) -> bool:
        return info.context.privacy.may_see_personal(str(self.id))


@strawberry.type
class AuditEvent:
    id: strawberry.ID
    at: datetime
    user_id: strawberry.ID
    contact_id: strawberry.ID
    field: str
    action: AuditAction
    door: str
    request_id: str | None


@strawberry.type
class Hop:
    from_key: str = strawberry.field(description='"user:ID" or "contact:ID"')
    from_name: str
    to_key: str
    to_name: str
    strength: float
    evidence: list[str]


@strawberry.type
class InfluencePath:
    strength: float
    hops: list[Hop]


@strawberry.type
class InfluencePaths:
    target_id: strawberry.ID
    target_name: str
    paths: list[InfluencePath]
    reasons: list[str] = strawberry.field(description='Why, e.g. "no warm path within 4 hops".')
    complete: bool = strawberry.field(description="False when the search budget ran out.")
