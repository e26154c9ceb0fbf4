"""The domain model: typed, validated nodes and relationships.

Every object is a frozen pydantic model keyed by a stable ``id`` chosen by the
source (a CRM id, a generated id): writing the same object twice is a no-op.
Invalid input raises :class:`graph.errors.ValidationError` naming the field
(through :func:`validate`), never a half-built object.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)
from pydantic import ValidationError as PydanticValidationError

from graph.errors import ValidationError


class Lifecycle(StrEnum):
    PROSPECT = "prospect"
    CUSTOMER = "customer"
    PARTNER = "partner"
    CHURNED = "churned"


class Function(StrEnum):
    """A department's normalised function."""

    EXECUTIVE = "Executive"
    FINANCE = "Finance"
    PROCUREMENT = "Procurement"
    IT = "IT"
    OPERATIONS = "Operations"
    MARKETING = "Marketing"
    SALES = "Sales"
    SUPPORT = "Support"
    LEGAL = "Legal"
    HR = "HR"
    RND = "R&D"
    INVESTOR_RELATIONS = "Investor Relations"
    OTHER = "Other"


class Seniority(StrEnum):
    C_LEVEL = "C-level"
    VP = "VP"
    DIRECTOR = "Director"
    MANAGER = "Manager"
    INDIVIDUAL = "Individual contributor"


class ContactStatus(StrEnum):
    ACTIVE = "active"
    LEFT = "left"


class Silo(StrEnum):
    """Where we first learned of a contact."""

    MARKETING = "marketing"
    FINANCE = "finance"
    SUPPORT = "support"
    INVESTOR_RELATIONS = "investor_relations"
    SALES = "sales"
    EVENT = "event"
    PURCHASED = "purchased"
    CAPTURE = "capture"  # found in a mailbox or calendar by ``accountgraph capture``


class UserRole(StrEnum):
    """What one of our people does."""

    ACCOUNT_MANAGER = "account_manager"
    SALES_REP = "sales_rep"
    SUPPORT_ENGINEER = "support_engineer"
    EXECUTIVE = "executive"


class TouchpointKind(StrEnum):
    EMAIL = "email"
    CALL = "call"
    MEETING = "meeting"
    EVENT = "event"
    WEBINAR = "webinar"
    DIRECT_MAIL = "direct_mail"
    SUPPORT_TICKET = "support_ticket"
    INVOICE = "invoice"
    PAYMENT = "payment"
    PURCHASE_ORDER = "purchase_order"
    CONTRACT_SIGNATURE = "contract_signature"
    DEMO = "demo"
    SURVEY = "survey"
    ANALYST_BRIEFING = "analyst_briefing"
    PRESS_INQUIRY = "press_inquiry"
    REFERENCE = "reference"
    REFERRAL = "referral"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Outcome(StrEnum):
    RESPONDED = "responded"
    NO_RESPONSE = "no_response"
    POSITIVE = "positive"
    NEGATIVE = "negative"


class Visibility(StrEnum):
    PUBLIC = "public"
    PERSONAL = "personal"


class OpportunityStage(StrEnum):
    PROSPECTING = "prospecting"
    QUALIFICATION = "qualification"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    CLOSED_WON = "closed_won"
    CLOSED_LOST = "closed_lost"


class Access(StrEnum):
    """What a user may do in accountgraph itself."""

    ADMIN = "admin"
    ANALYST = "analyst"
    MEMBER = "member"


class AuditAction(StrEnum):
    READ = "read"
    ERASE = "erase"
    MOVE = "move"  # a contact moved to another account: their personal data changes team


class TeamRole(StrEnum):
    OWNER = "owner"
    ACCOUNT_MANAGER = "account_manager"
    SALES_REP = "sales_rep"
    SUPPORT = "support"
    EXECUTIVE_SPONSOR = "executive_sponsor"


# --- field types -----------------------------------------------------------

# Field checks run inside pydantic-core (Rust regexes, no Python call per
# value): validation is the largest per-item cost of a bulk write.
# :func:`validation_error` turns their terse messages into the ones below.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,199}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
ID_RE = re.compile(ID_PATTERN)
EMAIL_RE = re.compile(EMAIL_PATTERN)
_PATTERN_MESSAGES = {
    ID_PATTERN: "an id is 1-200 characters of letters, digits and _ . : @ / -, starting "
    "with a letter or digit",
    EMAIL_PATTERN: "{input!r} is not an email address (expected name@domain.tld)",
}


def _utc(value: datetime) -> datetime:
    # Stores keep UTC; a naive time is taken to be UTC already.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=EMAIL_PATTERN)
]
UtcDateTime = Annotated[datetime, AfterValidator(_utc)]


class Node(BaseModel):
    """Base of every node: an id, immutable once built."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
    id: Id


class Company(Node):
    """An account."""

    name: str = Field(min_length=1)
    domain: str | None = None
    industry: str | None = None
    size_band: str | None = None
    revenue_band: str | None = None
    region: str | None = None
    lifecycle: Lifecycle = Lifecycle.PROSPECT
    target: bool = False

    @field_validator("domain")
    @classmethod
    def _domain(cls, value: str | None) -> str | None:
        return normalise_domain(value) if value else None


class Department(Node):
    """A department of a company, one per normalised function."""

    company_id: Id
    function: Function
    name: str | None = None


class Contact(Node):
    """A person at a company (``company_id``: their current or last known employer)."""

    company_id: Id
    name: str = Field(min_length=1)
    email: Email | None = None
    phone: str | None = None
    title: str | None = None
    seniority: Seniority | None = None
    status: ContactStatus = ContactStatus.ACTIVE
    department_id: Id | None = None
    sources: list[Silo] = Field(default_factory=list)
    # The buying role(s) a person on our side entered for this contact (our category
    # names, e.g. "decision_maker"): the strongest evidence of their role, and the
    # yardstick classification is measured against. Who entered it, when, and where.
    buying_roles: list[str] = Field(default_factory=list)
    role_entered_by: str | None = None
    role_entered_at: UtcDateTime | None = None
    role_source: str | None = None


class User(Node):
    """One of our people."""

    name: str = Field(min_length=1)
    email: Email | None = None
    role: UserRole = UserRole.ACCOUNT_MANAGER
    access: Access = Access.MEMBER
    active: bool = True


class Touchpoint(Node):
    """One interaction with an account."""

    company_id: Id
    # "type", not "kind": in an account graph ``kind`` names the node kind.
    type: TouchpointKind
    at: UtcDateTime
    direction: Direction = Direction.OUTBOUND
    outcome: Outcome | None = None
    campaign: str | None = None
    subject: str | None = None
    contact_ids: list[Id] = Field(default_factory=list)
    user_ids: list[Id] = Field(default_factory=list)
    # Where the record came from when it is not a CRM's: "capture" (a mailbox or
    # calendar, seed/capture). A captured subject is personal data (graph/privacy.py).
    origin: str | None = None


class ProfileItem(Node):
    """What a rep knows about a contact as a person."""

    contact_id: Id
    key: str = Field(min_length=1)
    value: str
    visibility: Visibility = Visibility.PERSONAL
    entered_by: Id | None = None
    entered_at: UtcDateTime | None = None


class Opportunity(Node):
    """A deal with an account."""

    company_id: Id
    name: str | None = None
    amount: float = Field(default=0.0, ge=0)
    stage: OpportunityStage = OpportunityStage.PROSPECTING
    close_date: date | None = None
    contact_ids: list[Id] = Field(default_factory=list)

    @property
    def won(self) -> bool:
        return self.stage == OpportunityStage.CLOSED_WON


class DealRole(Node):
    """A contact's role on one opportunity, as a rep entered it (Salesforce's
    OpportunityContactRole): ``role`` in our category names when the import mapping
    knows the vendor's value, else the vendor's own words."""

    opportunity_id: Id
    contact_id: Id
    role: str | None = None
    is_primary: bool = False


class ApiToken(Node):
    """A bearer token of a user; only its hash is stored."""

    user_id: Id
    token_hash: str
    name: str | None = None
    created_at: UtcDateTime
    expires_at: UtcDateTime | None = None
    revoked_at: UtcDateTime | None = None


class AuditEvent(Node):
    """One read, erasure or move (to another account's team) of a contact's personal data."""

    at: UtcDateTime
    user_id: Id
    contact_id: Id
    field: str
    action: AuditAction = AuditAction.READ
    door: str  # how it was read: "graphql", "export", "map", "brief", "cli"...
    request_id: str | None = None


# --- relationships written on their own -------------------------------------


class Rel(BaseModel):
    """Base of every relationship written on its own: from one id to another."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
    source: Id
    target: Id


class Employment(Rel):
    """Contact (source) worked at company (target) from ``start_date`` to ``end_date``."""

    title: str | None = None
    start_date: date | None = None
    end_date: date | None = None


class ReportsTo(Rel):
    """Contact (source) reports to contact (target)."""


class Knows(Rel):
    """Person (source) knows person (target); either may be a contact or a user."""

    strength: float = Field(default=0.5, ge=0, le=1)
    origin: str | None = None  # how we know: "worked together", "rep notes"...


class OnTeam(Rel):
    """User (source) is on the account team of company (target)."""

    role: TeamRole = TeamRole.ACCOUNT_MANAGER


class Owns(Rel):
    """User (source) owns company (target) from ``since`` until ``until`` (None: now)."""

    since: UtcDateTime
    until: UtcDateTime | None = None


# --- helpers ------------------------------------------------------------------

M = TypeVar("M", bound=BaseModel)


def normalise_domain(value: str) -> str:
    """``https://www.Acme.com/about`` -> ``acme.com``."""
    value = value.strip().lower()
    value = re.sub(r"^[a-z]+://", "", value)
    value = value.split("/", 1)[0].split("@")[-1]
    return value.removeprefix("www.")


def department_id(company_id: str, function: Function | str) -> str:
    """The stable id of a company's department for one function."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(Function(function)).lower()).strip("-")
    return f"{company_id}/{slug}"


def validate(model: type[M], data: Any, *, item: str | None = None) -> M:
    """Build ``model`` from ``data`` or raise ValidationError naming the first bad field."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise validation_error(model, exc, data, item) from None


def validation_error(
    model: type[BaseModel], exc: PydanticValidationError, data: Any, item: str | None = None
) -> ValidationError:
    """Translate pydantic's error into ours, naming every bad field and the item.

    The message is the first problem's; ``problems`` holds each one.
    """
    if item is None and isinstance(data, dict):
        item = str(data.get("id")) if data.get("id") is not None else None
    where = f"{model.__name__} {item!r}" if item else model.__name__
    problems: list[tuple[str | None, str]] = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]) or "(object)"
        msg = error["msg"].removeprefix("Value error, ")
        pattern = (error.get("ctx") or {}).get("pattern")
        if error["type"] == "string_pattern_mismatch" and pattern in _PATTERN_MESSAGES:
            msg = _PATTERN_MESSAGES[pattern].format(input=error.get("input"))
        problems.append((field, f"{where}: field {field!r}: {msg}"))
    return ValidationError(problems[0][1], field=problems[0][0], item=item, problems=problems)
