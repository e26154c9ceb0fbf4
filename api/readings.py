"""The API's view of an account's readings, adapted from :mod:`graph.readings`.

The readings themselves are pure functions in ``graph/readings`` (the facade
``account_readings(G, ...)``); this module only turns their result into plain
data the GraphQL layer can serve, and says honestly when a reading is not
available rather than inventing one.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import networkx as nx

from graph.readings.facts import AccountSource

log = logging.getLogger("accountgraph.api")


@dataclass(frozen=True)
class ContactCategory:
    primary: str
    secondary: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    entered: str | None = None  # the category a person entered (then primary)
    entered_by: str | None = None
    inferred: str | None = None  # what the evidence alone reads


@dataclass
class AccountReadings:
    """What the API serves for one account; ``missing`` names what could not be read."""

    status: str | None = None
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # seen, not counted against the account
    unknown: list[str] = field(default_factory=list)  # dimensions the account has no data on
    mix: Any = None
    breadth: Any = None
    whitespace: Any = None
    key_people: Any = None
    job_changes: Any = None
    categories: dict[str, ContactCategory] = field(default_factory=dict)
    strength: dict[str, float] = field(default_factory=dict)
    last_touch: dict[str, datetime] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    raw: Any = None


def plain(value: Any) -> Any:
    """Dataclasses, enums, dates, sets and tuples as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "model_dump"):
        return plain(value.model_dump())
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)


def _get(obj: Any, *names: str) -> Any:
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return None


def compute_account_readings(G: AccountSource, **options: Any) -> AccountReadings:
    """Run the readings over one account (graph, data or facts); never raises for one missing."""
    try:
        from graph.readings import account_readings
    except ImportError:
        return AccountReadings(missing=["readings (graph.readings is not installed yet)"])
    return adapt(account_readings(G, **options))


def adapt(raw: Any) -> AccountReadings:
    """Pick the parts the API serves out of the readings facade's result."""
    out = AccountReadings(raw=raw)
    status = _get(raw, "status")
    if status is not None:
        out.status = str(plain(_get(status, "status", "value", "name") or status))
        reasons = _get(status, "reasons") or []
        out.reasons = [str(_get(r, "text", "message", "reason") or r) for r in reasons]
        out.notes = [str(n) for n in _get(status, "notes") or []]
    else:
        out.missing.append("status")
    for name in ("mix", "breadth", "whitespace", "key_people", "job_changes"):
        value = _get(raw, name)
        if value is None:
            out.missing.append(name)
        setattr(out, name, plain(value))
    out.unknown = [str(d) for d in _get(_get(raw, "breadth"), "unknown") or []]
    classes = _get(raw, "classification", "classifications", "categories") or {}
    for cid, c in (classes.items() if isinstance(classes, dict) else []):
        primary = _get(c, "primary", "category")
        out.categories[_strip(cid)] = ContactCategory(
            primary=str(plain(primary)),
            secondary=tuple(str(plain(s)) for s in (_get(c, "secondary") or ())),
            reasons=tuple(str(_get(r, "text", "message", "reason") or plain(r))
                          for r in (_get(c, "reasons") or ())),
            entered=_get(c, "entered"),
            entered_by=_get(c, "entered_by"),
            inferred=_get(c, "inferred"),
        )
    strength = _get(raw, "strength", "strengths") or {}
    if isinstance(strength, dict):
        for cid, s in strength.items():
            v = _get(s, "strength", "value") if not isinstance(s, int | float) else s
            if isinstance(v, int | float):
                out.strength[_strip(cid)] = float(v)
            at = _get(s, "last_touch")
            if isinstance(at, datetime):
                out.last_touch[_strip(cid)] = at
    return out


def _strip(node: str) -> str:
    """Readings may key contacts by node key ("contact:c-1") or by id."""
    return node.split(":", 1)[1] if node.startswith("contact:") else node


def contact_strength_as_of(G: nx.MultiDiGraph, contact_id: str, as_of: datetime,
                           **options: Any) -> float | None:
    """A contact's relationship strength as of a date (None: not a contact here)."""
    from graph.readings.strength import contact_strength

    found = contact_strength(G, as_of=as_of, **options).get(contact_id)
    return float(found.strength) if found is not None else None
