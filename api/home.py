"""The home page: every account the viewer may read, the watch list, and search.

``GET /`` lists accounts from the kept rows (:class:`api.account_list.AccountList`):
status and why, breadth, last touchpoint and owner, filtered by status, segment and
owner, sorted by any column, a page at a time, the viewer's team's accounts first
(:func:`graph.account_list.select_accounts`). ``?q=`` also finds contacts by name
(names only: never by a personal field such as an email, so a search is no oracle).
Every signed-in user may read every account (personal values are decided per
contact elsewhere, and this page shows none: names, titles and statuses only).

The watch list says what changed in the last week: on the viewer's team's accounts
when they are on a team, on every account otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.account_list import AccountList, Rows
from api.auth import Viewer
from api.deps import get_store
from api.pages import page_context, signed_in
from graph.account_list import (
    SEGMENT_FIELDS,
    SORTABLE,
    STATUS_ORDER,
    ListQuery,
    select_accounts,
    sort_accounts,
)
from graph.errors import ValidationError
from graph.model import Contact
from graph.readings.watch import STATUS_WORDS
from graph.store import Store
from visualizer.render import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
PAGE_SIZES = (10, 25, 50, 100, 200)
WATCH_SHOWN = 30
#: How long a first request waits for a cold list before showing what is read so far.
COLD_WAIT_SECONDS = 20.0
COLUMNS = (  # (row key, heading)
    ("name", "Account"), ("status", "Status"), ("departments", "Departments covered"),
    ("live", "Live relationships"), ("last_touch", "Last touchpoint"), ("owner", "Owner"),
    ("industry", "Industry"), ("size_band", "Size"), ("region", "Region"),
)  # fmt: skip
SEGMENT_LABELS = {"industry": "Industry", "size_band": "Size", "region": "Region",
                  "lifecycle": "Lifecycle"}
WATCH_ORDER = ("champion_left", "status", "champion_quiet", "new_decision_maker")


def _number(params: Mapping[str, str], name: str, default: int) -> int:
    try:
        return int(params.get(name) or default)
    except ValueError:
        raise ValidationError(f"{name} {params.get(name)!r} is not a number: use {name}="
                              f"{default}", field=name) from None


def _query(params: Mapping[str, str], viewer: Viewer) -> ListQuery:
    page = max(1, _number(params, "page", 1))
    per = _number(params, "per", PAGE_SIZE)
    if per not in PAGE_SIZES:
        raise ValidationError(f"per={per}: a page holds {', '.join(map(str, PAGE_SIZES))} "
                              "accounts", field="per")
    status = params.get("status") or None
    if status is not None and status not in STATUS_ORDER:
        raise ValidationError(f"no status {status!r}: use one of {', '.join(STATUS_ORDER)}",
                              field="status")
    return ListQuery(
        status=status,
        segment={k: params[k] for k in SEGMENT_FIELDS if params.get(k)},
        owner=params.get("owner") or None,
        text=params.get("q") or None,
        team_of=viewer.id,
        sort=params.get("sort") or "name",
        descending=params.get("desc") == "1",
        offset=(page - 1) * per,
        limit=per,
    )


def _options(rows: list[Mapping[str, Any]]) -> dict[str, Any]:
    """The values each filter offers: those the rows hold."""
    segments = {k: sorted({str(r[k]) for r in rows if r.get(k)}) for k in SEGMENT_FIELDS}
    owners = sorted({(str(r["owner"]), str(r["owner_id"])) for r in rows if r.get("owner_id")})
    return {"segments": segments, "owners": owners}


def _watch_entries(rows: list[Mapping[str, Any]], names: dict[str, str]
                   ) -> list[dict[str, Any]]:
    """Every account's changes as watch list lines, in the order the list shows them."""
    entries = []
    for r in rows:
        for w in r.get("watch") or ():
            to = w.get("to")
            entries.append({**w, "to": to, "account_id": r["id"], "account": r["name"],
                            "to_name": names.get(to, to) if to else None})
    rank = {k: i for i, k in enumerate(WATCH_ORDER)}
    entries.sort(key=lambda e: (rank.get(e["kind"], 9), e["account"].casefold(),
                                e["account_id"], e["text"]))
    return entries


def _watch(listed: Rows, mine: set[str]) -> tuple[list[dict[str, Any]], int]:
    """The viewer's watch list: their team's accounts, or every account when none."""
    names = listed.remember("names", lambda: {str(r["id"]): str(r["name"])
                                              for r in listed.rows})
    every = listed.remember("watch", lambda: _watch_entries(listed.rows, names))
    entries = [e for e in every if e["account_id"] in mine] if mine else every
    return entries[:WATCH_SHOWN], len(entries)


def _ordered(listed: Rows, column: str, descending: bool) -> list[Mapping[str, Any]]:
    return listed.remember(("order", column, descending),
                           lambda: sort_accounts(listed.rows, column, descending))


def warm(listed: Rows) -> None:
    """Derive what the first page view needs from new rows (AccountList.warmers)."""
    _ordered(listed, "name", False)
    listed.remember("options", lambda: _options(listed.rows))
    _watch(listed, set())


def _team_accounts(listed: Rows, user_id: str) -> set[str]:
    return listed.remember(("team", user_id), lambda: {
        str(r["id"]) for r in listed.rows if user_id in (r.get("team") or ())})


def _contacts(store: Store, text: str, names: dict[str, str]) -> list[dict[str, Any]]:
    found = store.search(text, kinds=("contact",), limit=20, fields=("name",))
    out = []
    for c in found:
        if not isinstance(c, Contact):
            continue
        out.append({"id": c.id, "name": c.name, "title": c.title, "company_id": c.company_id,
                    "company": names.get(c.company_id, c.company_id),
                    "left": str(c.status) == "left"})
    return sorted(out, key=lambda c: (c["name"].casefold(), c["id"]))


@router.get("/", response_class=HTMLResponse)
def home(request: Request, viewer: Viewer = Depends(signed_in),
         store: Store = Depends(get_store)) -> HTMLResponse:
    params = dict(request.query_params)
    query = _query(params, viewer)
    accounts: AccountList = request.app.state.accounts
    listed = accounts.rows(wait=COLD_WAIT_SECONDS)
    # What every request derives from all the rows is kept with them (listed.memo):
    # each sort order, the team's accounts, the filters' choices, the watch list.
    ordered = _ordered(listed, query.sort, query.descending)
    mine = _team_accounts(listed, viewer.id)
    page = select_accounts(ordered, query, ordered=True, team=mine)
    watch, watch_total = _watch(listed, mine)
    watch_mine = bool(mine)
    text = (query.text or "").strip()
    names = listed.remember("names", lambda: {str(r["id"]): str(r["name"])
                                              for r in listed.rows})
    contacts = _contacts(store, text, names) if len(text) >= 2 else []
    kept = {k: v for k, v in params.items() if v and k != "page"}

    def url(**change: Any) -> str:
        merged = {**kept, **{k: v for k, v in change.items()}}
        return "/?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})

    def sort_url(column: str) -> str:
        flip = query.sort == column and not query.descending
        return url(sort=column, desc="1" if flip else None, page=None)

    number = query.offset // query.limit + 1
    last = max(1, -(-page.total // query.limit))
    return HTMLResponse(render(
        "home.html", viewer=viewer.user, page=page, rows=page.rows, query=query,
        columns=COLUMNS, sortable=SORTABLE, sort_url=sort_url, statuses=STATUS_ORDER,
        status_words=STATUS_WORDS, segment_labels=SEGMENT_LABELS,
        options=listed.remember("options", lambda: _options(listed.rows)),
        params=params, contacts=contacts, text=text, watch=watch, watch_total=watch_total,
        watch_mine=watch_mine, number=number, last=last, page_sizes=PAGE_SIZES,
        prev_url=url(page=number - 1) if number > 1 else None,
        next_url=url(page=number + 1) if number < last else None,
        listed=listed, **page_context(request)))
