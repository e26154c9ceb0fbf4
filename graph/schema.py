"""What is stored where: node kinds, relationship kinds, and how they derive.

This registry is the single description both backends build their schema and
their named queries from. Identifiers here (labels, property names) are code
constants, never user input, which is why the query templates in ``queries/``
may be rendered with them (see ``queries.render``).

Relationships come two ways:

* **derived** from a node's own fields and written with the node: a contact's
  ``company_id`` gives ``EMPLOYED_AT``, a touchpoint's ``contact_ids`` give
  ``PARTICIPATED_IN`` and so on. The node field is the truth; the relationship
  exists so traversals are cheap.
* **explicit**, written on their own through ``Store.link``: reporting lines,
  "knows", account teams, ownership history, employment history with dates.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from pydantic import BaseModel

from graph import model as m


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # one of: STRING, INT64, DOUBLE, BOOLEAN, DATE, TIMESTAMP, STRING[]


@dataclass(frozen=True)
class Derived:
    """A relationship written from a node field.

    ``field`` holds one id or a list of ids. The node is the source when
    ``outgoing`` (contact -EMPLOYED_AT-> company), the target otherwise
    (company -HAS_DEPARTMENT-> department). ``replace``: when the field changes
    the old relationships go; otherwise they stay (employment is history).
    """

    rel: str
    field: str
    other: str  # the node kind at the other end
    outgoing: bool = True
    replace: bool = True


@dataclass(frozen=True)
class NodeKind:
    name: str  # snake_case kind name used in APIs and nx attributes
    label: str  # the store label
    model: type[m.Node]
    columns: tuple[Column, ...]
    derived: tuple[Derived, ...] = ()
    text_fields: tuple[str, ...] = ()  # what text search looks at
    personal_fields: tuple[str, ...] = ()  # erased with the contact's personal data


@dataclass(frozen=True)
class RelKind:
    name: str
    pairs: tuple[tuple[str, str], ...]  # (source kind, target kind) allowed
    model: type[m.Rel] | None = None  # None: derived only, no own properties
    columns: tuple[Column, ...] = ()
    key: tuple[str, ...] = ()  # properties that, with the endpoints, identify one
    derived_only: bool = False


_SCALARS: dict[type, str] = {
    str: "STRING",
    int: "INT64",
    float: "DOUBLE",
    bool: "BOOLEAN",
    date: "DATE",
    datetime: "TIMESTAMP",
}


def _column_kind(annotation: object) -> str:
    """Map a model field's annotation onto a LadybugDB column type."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _column_kind(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _column_kind(args[0])
    if origin is list:
        return _column_kind(typing.get_args(annotation)[0]) + "[]"
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return "STRING"
        for py, kind in _SCALARS.items():
            # datetime is a date subclass: check the exact type first.
            if annotation is py:
                return kind
    raise TypeError(f"no column type for {annotation!r}")


def columns_of(model: type[BaseModel], skip: tuple[str, ...] = ()) -> tuple[Column, ...]:
    return tuple(
        Column(name, _column_kind(f.annotation))
        for name, f in model.model_fields.items()
        if name not in skip
    )


def _node(name: str, label: str, model: type[m.Node], **kw: typing.Any) -> NodeKind:
    return NodeKind(name=name, label=label, model=model, columns=columns_of(model), **kw)


NODE_KINDS: dict[str, NodeKind] = {
    k.name: k
    for k in (
        _node("company", "Company", m.Company, text_fields=("name", "domain")),
        _node(
            "department",
            "Department",
            m.Department,
            derived=(Derived("HAS_DEPARTMENT", "company_id", "company", outgoing=False),),
        ),
        _node(
            "contact",
            "Contact",
            m.Contact,
            derived=(
                Derived("EMPLOYED_AT", "company_id", "company", replace=False),
                Derived("WORKS_IN", "department_id", "department"),
            ),
            text_fields=("name", "email", "title"),
            personal_fields=("email", "phone"),
        ),
        _node("user", "User", m.User, text_fields=("name", "email")),
        _node(
            "touchpoint",
            "Touchpoint",
            m.Touchpoint,
            derived=(
                Derived("ON_ACCOUNT", "company_id", "company"),
                Derived("PARTICIPATED_IN", "contact_ids", "contact", outgoing=False),
                Derived("PARTICIPATED_IN", "user_ids", "user", outgoing=False),
            ),
        ),
        _node(
            "profile_item",
            "ProfileItem",
            m.ProfileItem,
            derived=(Derived("HAS_PROFILE_ITEM", "contact_id", "contact", outgoing=False),),
        ),
        _node(
            "opportunity",
            "Opportunity",
            m.Opportunity,
            derived=(
                Derived("FOR_ACCOUNT", "company_id", "company"),
                Derived("INVOLVED_IN", "contact_ids", "contact", outgoing=False),
            ),
        ),
        _node(
            "deal_role",
            "DealRole",
            m.DealRole,
            derived=(
                Derived("HAS_ROLE", "opportunity_id", "opportunity", outgoing=False),
                Derived("PLAYS", "contact_id", "contact", outgoing=False),
            ),
        ),
        # Bookkeeping of the app itself: no relationships, looked up by field.
        _node("api_token", "ApiToken", m.ApiToken),
        _node("audit_event", "AuditEvent", m.AuditEvent),
    )
}

_REL_COLS = ("source", "target")

REL_KINDS: dict[str, RelKind] = {
    k.name: k
    for k in (
        RelKind("HAS_DEPARTMENT", (("company", "department"),), derived_only=True),
        RelKind(
            "EMPLOYED_AT",
            (("contact", "company"),),
            m.Employment,
            columns_of(m.Employment, _REL_COLS),
        ),
        RelKind("WORKS_IN", (("contact", "department"),), derived_only=True),
        RelKind("REPORTS_TO", (("contact", "contact"),), m.ReportsTo),
        RelKind(
            "KNOWS",
            (("contact", "contact"), ("user", "contact"), ("contact", "user"), ("user", "user")),
            m.Knows,
            columns_of(m.Knows, _REL_COLS),
        ),
        RelKind(
            "PARTICIPATED_IN",
            (("contact", "touchpoint"), ("user", "touchpoint")),
            derived_only=True,
        ),
        RelKind("ON_ACCOUNT", (("touchpoint", "company"),), derived_only=True),
        RelKind("HAS_PROFILE_ITEM", (("contact", "profile_item"),), derived_only=True),
        RelKind("FOR_ACCOUNT", (("opportunity", "company"),), derived_only=True),
        RelKind("INVOLVED_IN", (("contact", "opportunity"),), derived_only=True),
        RelKind("HAS_ROLE", (("opportunity", "deal_role"),), derived_only=True),
        RelKind("PLAYS", (("contact", "deal_role"),), derived_only=True),
        RelKind("ON_TEAM", (("user", "company"),), m.OnTeam, columns_of(m.OnTeam, _REL_COLS)),
        # Ownership is history: one relationship per (owner, account, since).
        RelKind(
            "OWNS",
            (("user", "company"),),
            m.Owns,
            columns_of(m.Owns, _REL_COLS),
            key=("since",),
        ),
    )
}


def node_kind(name: str) -> NodeKind:
    try:
        return NODE_KINDS[name]
    except KeyError:
        raise ValueError(f"unknown node kind {name!r}; one of {', '.join(NODE_KINDS)}") from None


def rel_kind(name: str) -> RelKind:
    try:
        return REL_KINDS[name]
    except KeyError:
        raise ValueError(
            f"unknown relationship kind {name!r}; one of {', '.join(REL_KINDS)}"
        ) from None


def kind_of_model(model: type[m.Node]) -> NodeKind:
    for kind in NODE_KINDS.values():
        if kind.model is model:
            return kind
    raise ValueError(f"{model.__name__} is not a stored node kind")


def rel_of_model(model: type[m.Rel]) -> RelKind:
    for kind in REL_KINDS.values():
        if kind.model is model:
            return kind
    raise ValueError(f"{model.__name__} is not a stored relationship kind")
