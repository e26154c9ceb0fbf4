"""Which accounts and contacts answer an analyst's question, and in which order.

Pure functions over the per-account rows the database readings keep
(:func:`graph.readings.database.account_row`): a summary per account and one
:class:`ContactRow` per contact employed there. Every door that lists accounts or
contacts across the database (GraphQL, the home page) filters and sorts here, so
they agree on what "at risk, last touched first" means.

Open vocabularies (industry, region, size and revenue bands) match without regard
to case; a value no account holds is an error listing the values that exist, never
a silent empty answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from graph.errors import ValidationError

#: Firmographics whose values are whatever the data holds (matched case-insensitively).
OPEN_FIELDS = ("industry", "size_band", "revenue_band", "region")

#: The order of ``sort: STATUS``: what needs attention first, what we know least last.
STATUS_ORDER = ("at_risk", "dormant", "can_grow", "no_relationship", "churned")

ACCOUNT_SORTS = ("id", "name", "status", "last_touch", "breadth", "contacts")
CONTACT_SORTS = ("name", "strength", "last_touch")
# The direction each sort takes unless told: the most useful end first.
_DESCENDING_BY_DEFAULT = {"last_touch", "breadth", "contacts", "strength"}
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ContactRow:
    """One contact as employed at one account: what cross-account questions filter on."""

    contact_id: str
    company_id: str
    name: str
    title: str | None
    seniority: str | None
    department: str | None  # the function, e.g. "IT"
    category: str  # primary category
    strength: float
    last_touch: datetime | None
    current: bool  # works there now (False: has left)


@dataclass(frozen=True)
class AccountQuery:
    """Conditions on accounts; every one given must hold (None: any)."""

    industry: str | None = None
    size_band: str | None = None
    revenue_band: str | None = None
    region: str | None = None
    lifecycle: str | None = None
    target: bool | None = None
    statuses: frozenset[str] | None = None
    company_ids: frozenset[str] | None = None  # e.g. the accounts an owner holds

    @property
    def empty(self) -> bool:
        return all(getattr(self, f) is None for f in self.__dataclass_fields__)


@dataclass(frozen=True)
class ContactQuery:
    """Conditions on contacts across accounts; every one given must hold."""

    accounts: AccountQuery = AccountQuery()
    categories: frozenset[str] | None = None
    seniorities: frozenset[str] | None = None
    departments: frozenset[str] | None = None
    current: bool | None = True  # True: works there now; False: has left; None: both
    min_strength: float | None = None
    max_strength: float | None = None
    touched_since: datetime | None = None  # a touchpoint at or after this
    not_touched_since: datetime | None = None  # no touchpoint at or after this


def _fold(value: Any) -> str:
    return str(getattr(value, "value", value)).strip().casefold()


def check_vocabulary(summaries: Iterable[Mapping[str, Any]], query: AccountQuery) -> None:
    """Raise ValidationError for an open-vocabulary value no account holds, naming those held.

    >>> check_vocabulary([{"industry": "Healthcare"}], AccountQuery(industry="healthcare"))
    >>> check_vocabulary([{"region": "EMEA"}], AccountQuery(region="Asia"))
    Traceback (most recent call last):
    ...
    graph.errors.ValidationError: region 'Asia' is not a value any account holds; use one of EMEA
    """
    asked = {f: getattr(query, f) for f in OPEN_FIELDS if getattr(query, f) is not None}
    if not asked:
        return
    known: dict[str, set[str]] = {f: set() for f in asked}
    for s in summaries:
        for f in asked:
            if s.get(f) is not None:
                known[f].add(str(s[f]))
    for f, value in asked.items():
        if _fold(value) not in {_fold(v) for v in known[f]}:
            shown = ", ".join(sorted(known[f], key=str.casefold)) or "(none: no account has one)"
            camel = f.split("_")[0] + "".join(p.title() for p in f.split("_")[1:])
            raise ValidationError(
                f"{camel} {value!r} is not a value any account holds; use one of {shown}",
                field=f"filter.{f}")


def account_matcher(query: AccountQuery) -> Callable[[Mapping[str, Any]], bool]:
    """A predicate over account summaries for ``query``."""
    open_wanted = {f: _fold(getattr(query, f)) for f in OPEN_FIELDS
                   if getattr(query, f) is not None}
    lifecycle = _fold(query.lifecycle) if query.lifecycle is not None else None

    def match(s: Mapping[str, Any]) -> bool:
        return (all(s.get(f) is not None and _fold(s[f]) == v for f, v in open_wanted.items())
                and (lifecycle is None or _fold(s.get("lifecycle") or "prospect") == lifecycle)
                and (query.target is None or bool(s.get("target")) is query.target)
                and (query.statuses is None or s.get("status") in query.statuses)
                and (query.company_ids is None or str(s["company_id"]) in query.company_ids))

    return match


def _breadth(s: Mapping[str, Any]) -> tuple[int, int]:
    return len(s.get("departments_covered") or ()), int(s.get("live_relationships") or 0)


def _status_rank(s: Mapping[str, Any]) -> int:
    status = s.get("status")
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)


_ACCOUNT_KEYS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "name": lambda s: str(s.get("name") or "").casefold(),
    "status": _status_rank,
    "breadth": _breadth,
    "contacts": lambda s: int(s.get("contacts") or 0),
}


def select_accounts(
    summaries: Iterable[Mapping[str, Any]],
    query: AccountQuery = AccountQuery(),
    *,
    sort: str = "id",
    descending: bool | None = None,
) -> list[Mapping[str, Any]]:
    """The summaries matching ``query``, sorted; ties (and ``sort="id"``) by company id.

    ``descending`` None takes each sort's useful direction: names A-Z, status by
    :data:`STATUS_ORDER`, the latest touch, the widest breadth and the most contacts
    first. Accounts never touched sort after every touched one either way.

    >>> rows = [{"company_id": "b", "status": "can_grow"}, {"company_id": "a", "status": "at_risk"}]
    >>> [s["company_id"] for s in select_accounts(rows, sort="status")]
    ['a', 'b']
    """
    if sort not in ACCOUNT_SORTS:
        raise ValidationError(f"sort {sort!r} is not one of {', '.join(ACCOUNT_SORTS)}",
                              field="sort")
    down = sort in _DESCENDING_BY_DEFAULT if descending is None else descending
    match = account_matcher(query)
    rows = sorted((s for s in summaries if match(s)), key=lambda s: str(s["company_id"]))
    if sort == "last_touch":
        touched = [s for s in rows if s.get("last_touch")]
        never = [s for s in rows if not s.get("last_touch")]
        touched.sort(key=lambda s: str(s["last_touch"]), reverse=down)
        return [*touched, *never]
    if sort == "id":
        return rows[::-1] if down else rows
    # A stable sort: the id order above breaks ties, in the same direction always.
    rows.sort(key=_ACCOUNT_KEYS[sort], reverse=down)
    return rows


def contact_matcher(query: ContactQuery) -> Callable[[ContactRow], bool]:
    """A predicate over :class:`ContactRow` for the contact conditions of ``query``."""
    q = query

    def match(r: ContactRow) -> bool:
        return ((q.current is None or r.current is q.current)
                and (q.categories is None or r.category in q.categories)
                and (q.seniorities is None or r.seniority in q.seniorities)
                and (q.departments is None or r.department in q.departments)
                and (q.min_strength is None or r.strength >= q.min_strength)
                and (q.max_strength is None or r.strength <= q.max_strength)
                and (q.touched_since is None
                     or (r.last_touch is not None and r.last_touch >= q.touched_since))
                and (q.not_touched_since is None
                     or r.last_touch is None or r.last_touch < q.not_touched_since))

    return match


def select_contacts(
    accounts: Iterable[tuple[Mapping[str, Any], Mapping[str, Sequence[ContactRow]]]],
    query: ContactQuery = ContactQuery(),
    *,
    sort: str = "name",
    descending: bool | None = None,
) -> list[ContactRow]:
    """Contacts across accounts matching ``query``, sorted; ties by name, then id.

    ``accounts`` pairs each account's summary with its contact rows grouped by
    primary category, so a question about a few categories reads only those rows.
    ``descending`` None: names A-Z, the strongest and the latest touched first
    (never touched last).
    """
    if sort not in CONTACT_SORTS:
        raise ValidationError(f"sort {sort!r} is not one of {', '.join(CONTACT_SORTS)}",
                              field="sort")
    down = sort in _DESCENDING_BY_DEFAULT if descending is None else descending
    pick_account, pick = account_matcher(query.accounts), contact_matcher(query)
    found: list[ContactRow] = []
    for summary, by_category in accounts:
        if not pick_account(summary):
            continue
        groups = (by_category.values() if query.categories is None
                  else (by_category.get(c, ()) for c in query.categories))
        for rows in groups:
            found.extend(r for r in rows if pick(r))
    found.sort(key=lambda r: (r.name.casefold(), r.contact_id, r.company_id))
    return order_contacts(found, sort, down, strength=lambda r: r.strength,
                          last_touch=lambda r: r.last_touch)


def order_contacts(
    rows: Sequence[T],
    sort: str,
    descending: bool | None,
    *,
    strength: Callable[[T], float],
    last_touch: Callable[[T], datetime | None],
) -> list[T]:
    """Contacts already in name order, put in ``sort`` order (ties keep name order).

    Shared by the cross-account list and an account's own contacts, so both order
    alike: the strongest first, the latest touched first and never touched last,
    unless ``descending`` says otherwise.

    >>> order_contacts(["a", "b"], "strength", None, strength={"a": .1, "b": .9}.get,
    ...                last_touch=lambda r: None)
    ['b', 'a']
    """
    if sort not in CONTACT_SORTS:
        raise ValidationError(f"sort {sort!r} is not one of {', '.join(CONTACT_SORTS)}",
                              field="sort")
    down = sort in _DESCENDING_BY_DEFAULT if descending is None else descending
    if sort == "strength":
        return sorted(rows, key=strength, reverse=down)
    if sort == "last_touch":
        touched = [(at, r) for r in rows if (at := last_touch(r)) is not None]
        touched.sort(key=lambda p: p[0], reverse=down)
        return [*(r for _, r in touched), *(r for r in rows if last_touch(r) is None)]
    return list(reversed(rows)) if down else list(rows)
