"""Filter, sort and page a list of account rows: one function for every door.

The home page (and GraphQL, when it lists accounts by their readings) holds one
plain row per account (:func:`graph.readings.account_row.account_row`) and
answers each question with :func:`select_accounts`: filter by status, segment,
owner and name; put the viewer's team's accounts first; sort by any column, ties
broken by name then id so the same rows always come in the same order; cut one
page. Plain data in and out, no I/O.

>>> rows = [{"id": "a", "name": "Acme", "status": "at_risk", "team": ["u1"]},
...         {"id": "b", "name": "Beta", "status": "can_grow", "team": []},
...         {"id": "c", "name": "Core", "status": "at_risk", "team": []}]
>>> page = select_accounts(rows, ListQuery(status="at_risk", sort="name", descending=True))
>>> [r["id"] for r in page.rows], page.total
(['c', 'a'], 2)
>>> [r["id"] for r in select_accounts(rows, ListQuery(team_of="u1", sort="name",
...                                                     descending=True)).rows]
['a', 'c', 'b']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.errors import ValidationError

#: Columns a list may be sorted by (row keys).
SORTABLE = ("name", "status", "departments", "live", "contacts", "last_touch", "owner",
            "industry", "size_band", "region", "lifecycle")
#: Segments a list may be filtered on (row keys).
SEGMENT_FIELDS = ("industry", "size_band", "region", "lifecycle")
#: Most at risk first when sorting by status: what needs attention leads.
STATUS_ORDER = ("at_risk", "dormant", "can_grow", "no_relationship", "churned", "unknown")
MAX_PAGE = 500


@dataclass(frozen=True)
class ListQuery:
    """One question to the account list; every field optional."""

    status: str | None = None
    segment: Mapping[str, str] = field(default_factory=dict)  # field -> value
    owner: str | None = None  # an owner's user id
    text: str | None = None  # part of the account's name, any case
    team_of: str | None = None  # this user's team accounts come first
    sort: str = "name"
    descending: bool = False
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True)
class ListPage:
    """One page of rows, how many matched in all, and the query that made it."""

    rows: list[Mapping[str, Any]]
    total: int
    query: ListQuery


def _sort_key(column: str) -> Any:
    if column == "status":
        rank = {s: i for i, s in enumerate(STATUS_ORDER)}
        return lambda r: rank.get(r.get("status"), len(rank))
    if column in ("name", "owner", *SEGMENT_FIELDS):
        return lambda r: str(r.get(column) or "").casefold()
    if column == "last_touch":
        return lambda r: r.get("last_touch") or ""  # never touched sorts as the oldest
    return lambda r: r.get(column) or 0


def check(query: ListQuery) -> None:
    """Raise ValidationError naming the field when a query cannot be answered."""
    if query.sort not in SORTABLE:
        raise ValidationError(f"cannot sort by {query.sort!r}: use one of {', '.join(SORTABLE)}",
                              field="sort")
    unknown = sorted(set(query.segment) - set(SEGMENT_FIELDS))
    if unknown:
        raise ValidationError(f"no segment {unknown[0]!r}: use one of {', '.join(SEGMENT_FIELDS)}",
                              field="segment")
    if query.offset < 0 or not 1 <= query.limit <= MAX_PAGE:
        raise ValidationError(f"a page is 1 to {MAX_PAGE} rows from offset 0 or more "
                              f"(got offset {query.offset}, limit {query.limit})", field="limit")


def sort_accounts(rows: Sequence[Mapping[str, Any]], column: str = "name",
                  descending: bool = False) -> list[Mapping[str, Any]]:
    """``rows`` in the order :func:`select_accounts` gives for one column (team aside).

    A caller that keeps this order (it is the same until the rows change) may hand it
    to :func:`select_accounts` with ``ordered=True``: filtering keeps the order.
    """
    if column not in SORTABLE:
        check(ListQuery(sort=column))
    # Stable sorts, last key first: ties by name then id, then the column.
    out = sorted(rows, key=lambda r: (str(r.get("name") or "").casefold(), str(r.get("id"))))
    out.sort(key=_sort_key(column), reverse=descending)
    return out


def select_accounts(rows: Sequence[Mapping[str, Any]], query: ListQuery, *,
                    ordered: bool = False, team: set[str] | None = None) -> ListPage:
    """The page of ``rows`` that answers ``query`` (see the module docstring).

    ``ordered``: ``rows`` are already :func:`sort_accounts` by the query's column.
    ``team``: ids of the accounts of ``query.team_of``'s team, when the caller
    knows them (else they are read off the rows' ``team``).
    """
    check(query)
    text = (query.text or "").strip().casefold()
    segment = [(k, v) for k, v in query.segment.items() if v]
    # Only the filters asked for are tried: a plain page of 10,000 rows tries none.
    tests: list[Any] = []
    if query.status:
        tests.append(lambda r: r.get("status") == query.status)
    if query.owner:
        tests.append(lambda r: r.get("owner_id") == query.owner)
    for k, v in segment:
        tests.append(lambda r, k=k, v=v: r.get(k) == v)
    if text:
        tests.append(lambda r: text in str(r.get("name") or "").casefold())
    found = [r for r in rows if all(t(r) for t in tests)] if tests else list(rows)
    if not ordered:
        found = sort_accounts(found, query.sort, query.descending)
    if query.team_of:
        me = query.team_of
        mine = team if team is not None else {
            str(r.get("id")) for r in found if me in (r.get("team") or ())}
        if mine:  # stable: the team's accounts first, each part in the chosen order
            found = ([r for r in found if r.get("id") in mine]
                     + [r for r in found if r.get("id") not in mine])
    return ListPage(found[query.offset: query.offset + query.limit], len(found), query)
