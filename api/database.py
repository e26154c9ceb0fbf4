"""Database-level readings for the API: per-account rows cached, aggregates memoised.

The database readings (mix by segment, concentration, list-purchase plan, revenue
triggers) are pure functions in ``graph/readings`` over one plain row per account
(:func:`graph.readings.database.account_summary`) and one case per closed
opportunity (:func:`graph.readings.database.opportunity_cases`). Producing those
rows means reading every account graph, which is far too slow to do per request, so
:class:`DatabaseReadings` keeps one row per account and re-reads only the accounts a
write has touched (:meth:`DatabaseReadings.invalidate`, called by
:meth:`api.cache.AccountCache.invalidate`), and every account in the background
after ``ttl`` seconds so writes by another process (an import, the CLI) show up too.

Privacy: a case's profile features are kept in two parts, public items and personal
items. Only the public part is ever handed to non-admins, so an aggregate never acts
on a value its viewer could not read (and so cannot reveal it by counts); admins may
ask for the personal part, and the API records that read (see ``docs/api.md``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx

from graph.neighbourhood import build_graph
from graph.readings.database import account_row, opportunity_cases
from graph.readings.rules import Rules, resolve
from graph.readings.select import (
    AccountQuery,
    ContactQuery,
    ContactRow,
    check_vocabulary,
    select_accounts,
    select_contacts,
)
from graph.readings.strength import DEFAULT_HALF_LIFE_DAYS
from graph.store import Store

T = TypeVar("T")
log = logging.getLogger("accountgraph.api")

# Where an aggregate over personal data is recorded in the audit trail: the
# AuditEvent model needs a contact id, and an aggregate reads many contacts at once.
AGGREGATE_CONTACT = "aggregate:database"
AGGREGATE_TRIGGERS_FIELD = "aggregate:revenue_triggers"
# Filtered lists kept per snapshot (each may hold many rows): enough to page through.
RECENT_ANSWERS = 16


# Marks a personal item's key while cases are built; no real key contains a NUL.
_PERSONAL = "\x00personal\x00"
_MARKED = f"profile.{_PERSONAL}"


def split_cases(
    G: nx.MultiDiGraph, *, rules: Rules | None = None
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """An account's closed-opportunity cases, with personal profile features set apart.

    Returns ``(cases, personal)``: ``cases`` are exactly
    ``opportunity_cases(G, include_personal=False)``, and ``personal`` maps an
    opportunity id to its personal profile features, which merged into its case give
    exactly ``opportunity_cases(G, include_personal=True)``. One pass, not two (a
    case re-reads the account as of its close date, the dear part): personal items'
    keys are marked while it runs, then restored.
    """
    marked = []
    for _, d in G.nodes(data=True):
        if d.get("kind") == "profile_item" and str(d.get("visibility")) != "public":
            marked.append((d, d.get("key")))
            d["key"] = f"{_PERSONAL}{d.get('key')}"
    try:
        both = opportunity_cases(G, rules=rules, include_personal=True)
    finally:
        for d, k in marked:
            d["key"] = k
    cases, personal = [], {}
    for case in both:
        public: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for name, value in case["features"].items():
            if name.startswith(_MARKED):
                extra[f"profile.{name[len(_MARKED):]}"] = value
            else:
                public[name] = value
        cases.append({**case, "features": public})
        if extra:
            personal[str(case["opportunity_id"])] = extra
    return cases, personal


@dataclass(frozen=True)
class AccountRow:
    """What one account contributes to the database readings."""

    summary: dict[str, Any]
    cases: list[dict[str, Any]]  # closed opportunities, public profile items only
    personal: dict[str, dict[str, Any]]  # opportunity id -> personal profile features
    loaded: float = 0.0
    # Employees by primary category: a question about decision makers reads only theirs.
    contacts: dict[str, tuple[ContactRow, ...]] = field(default_factory=dict)


@dataclass
class Snapshot:
    """The rows of every account at one moment, and the aggregates computed over them.

    Shared by every request until a write changes a row; ``memo`` keeps each
    aggregate (by its arguments) so a repeated question is answered from memory.
    """

    generation: int
    computed_at: datetime
    rows: list[AccountRow]
    rules: Rules
    memo: dict[Hashable, Any] = field(default_factory=dict)
    _recent: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def summaries(self) -> list[dict[str, Any]]:
        return [r.summary for r in self.rows]

    def cases(self, *, include_personal: bool = False) -> list[dict[str, Any]]:
        """Closed-opportunity cases; personal profile features only when asked."""
        if not include_personal:
            return [c for r in self.rows for c in r.cases]
        out = []
        for r in self.rows:
            for c in r.cases:
                extra = r.personal.get(str(c["opportunity_id"]))
                if not extra:
                    out.append(c)
                    continue
                features = dict(c["features"])
                for name, values in extra.items():
                    features[name] = [*features.get(name, []), *values]
                out.append({**c, "features": features})
        return out

    def accounts(self, query: AccountQuery = AccountQuery(), *, sort: str = "id",
                 descending: bool | None = None) -> list[Mapping[str, Any]]:
        """Account summaries matching ``query``, sorted (one answer per arguments, memoised).

        Every door that lists accounts by a reading (GraphQL, the home page) asks
        here, so they share the filter, the order and the error for unknown values.
        """
        self.remember(("vocabulary", query), lambda: check_vocabulary(self.summaries, query))
        return self.recent(("accounts", query, sort, descending), lambda: select_accounts(
            self.summaries, query, sort=sort, descending=descending))

    def contacts(self, query: ContactQuery = ContactQuery(), *, sort: str = "name",
                 descending: bool | None = None) -> list[ContactRow]:
        """Contacts across accounts matching ``query``, sorted; memoised, so paging on is free."""
        self.remember(("vocabulary", query.accounts),
                      lambda: check_vocabulary(self.summaries, query.accounts))
        return self.recent(("contacts", query, sort, descending), lambda: select_contacts(
            ((r.summary, r.contacts) for r in self.rows), query, sort=sort,
            descending=descending))

    def personal_cases(self) -> int:
        """How many cases carry at least one personal profile feature."""
        return sum(len(r.personal) for r in self.rows)

    def recent(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Like :meth:`remember`, for answers that may be large and many (filtered lists):
        only the last few are kept, enough for a client paging through one of them."""
        with self._lock:
            if key in self._recent:
                self._recent.move_to_end(key)
                return self._recent[key]
        value = compute()
        with self._lock:
            self._recent[key] = value
            while len(self._recent) > RECENT_ANSWERS:
                self._recent.popitem(last=False)
        return value

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per snapshot and key (aggregates are pure)."""
        with self._lock:
            if key in self.memo:
                return self.memo[key]
        value = compute()
        with self._lock:
            return self.memo.setdefault(key, value)


class DatabaseReadings:
    """Per-account rows for the database readings, kept fresh by write invalidation.

    Parameters
    ----------
    store : the Store to walk (``iter_ids`` and ``account_graph`` only).
    rules : the reading rules (a Rules, a rules file, or None for the shipped ones).
    half_life_days : strength half-life, as in Settings.
    ttl : seconds after which every row is read again, in the background (writes by
        other processes).
    as_of : read every account as of this day (Settings.as_of); None: today.
    """

    def __init__(self, store: Store, *, rules: Rules | Path | str | None = None,
                 half_life_days: float = DEFAULT_HALF_LIFE_DAYS, ttl: float = 600.0,
                 as_of: date | None = None):
        self.store = store
        self.rules = resolve(rules)
        self.as_of = as_of
        self.half_life_days = half_life_days
        self.ttl = ttl
        self.stats = {"accounts_read": 0, "snapshots": 0}
        self._rows: dict[str, AccountRow] = {}
        self._snapshot: Snapshot | None = None
        self._checked = 0.0
        # Two locks: a walk may take minutes and holds _walk; invalidate() runs on the
        # event loop during mutations and must never wait for it, so it takes _dirty only.
        self._walk = threading.Lock()
        self._dirty_lock = threading.Lock()
        self._dirty: set[str] = set()
        self._all_dirty = False
        self._refresher: threading.Thread | None = None
        self._closed = False

    def invalidate(self, *company_ids: str) -> None:
        """Mark accounts a write touched (every account when none are named)."""
        with self._dirty_lock:
            if company_ids:
                self._dirty.update(company_ids)
            else:
                self._all_dirty = True

    def _read(self, company_id: str) -> AccountRow:
        data = self.store.account_data(company_id, people=False)
        summary, people = account_row(data, rules=self.rules, as_of=self.as_of,
                                      half_life_days=self.half_life_days)
        by_category: dict[str, list[ContactRow]] = {}
        for p in people:
            by_category.setdefault(p.category, []).append(p)
        # Cases read opportunities and profile items off the graph: built only when
        # the account has a closed deal to read.
        closed = any(o.get("stage") in ("closed_won", "closed_lost") for o in data.opportunities)
        cases, personal = split_cases(build_graph(data), rules=self.rules) if closed else ([], {})
        return AccountRow(summary=summary, cases=cases, personal=personal,
                          loaded=time.monotonic(),
                          contacts={c: tuple(rows) for c, rows in sorted(by_category.items())})

    def snapshot(self) -> Snapshot:
        """The current rows, re-reading accounts written to since; blocking (use a thread).

        The first call reads every account. Later calls re-read only the accounts a
        write touched. Once ``ttl`` has passed, the rows are served as they are while
        a background thread re-reads every account (writes by other processes), so
        no request waits for a whole walk twice.
        """
        with self._walk:
            with self._dirty_lock:
                dirty, everything = self._dirty, self._all_dirty
                self._dirty, self._all_dirty = set(), False
            if self._snapshot is not None and not dirty and not everything:
                if time.monotonic() - self._checked >= self.ttl:
                    self._refresh_later()
                return self._snapshot
            cold = self._snapshot is None
            started = time.monotonic()
            ids = [cid for batch in self.store.iter_ids("company") for cid in batch]
            changed = False
            for cid in ids:
                if cid not in self._rows or everything or cid in dirty:
                    self._rows[cid] = self._read(cid)
                    self.stats["accounts_read"] += 1
                    changed = True
            gone = set(self._rows) - set(ids)
            for cid in gone:
                del self._rows[cid]
            if cold or everything:
                self._checked = started
            if changed or gone or self._snapshot is None:
                self._publish()
            assert self._snapshot is not None
            return self._snapshot

    def _publish(self) -> None:
        """A new snapshot of the rows (caller holds ``_walk``); aggregates start afresh."""
        self.stats["snapshots"] += 1
        self._snapshot = Snapshot(
            generation=self.stats["snapshots"], computed_at=datetime.now(UTC),
            rows=[self._rows[cid] for cid in sorted(self._rows)], rules=self.rules)

    def _refresh_later(self) -> None:
        """Start the background re-read unless one runs (caller holds ``_walk``)."""
        if self._refresher is not None and self._refresher.is_alive():
            return
        self._refresher = threading.Thread(target=self._refresh, daemon=True,
                                           name="database-readings-refresh")
        self._refresher.start()

    def _refresh(self) -> None:
        """Re-read every account, swapping rows in one by one, then publish once."""
        try:
            started = time.monotonic()
            ids = [cid for batch in self.store.iter_ids("company") for cid in batch]
            for cid in ids:
                if self._closed:
                    return
                asked = time.monotonic()
                row = self._read(cid)
                with self._walk:
                    old = self._rows.get(cid)
                    # A request may have re-read it after a write meanwhile: keep theirs.
                    if old is None or old.loaded < asked:
                        self._rows[cid] = row
                    self.stats["accounts_read"] += 1
            with self._walk:
                for cid in set(self._rows) - set(ids):
                    del self._rows[cid]
                self._checked = started
                self._publish()
        except Exception:
            # Nobody awaits this thread: say what failed; the old rows stay served.
            log.exception("re-reading the database readings failed; serving the old rows")
            with self._walk:
                self._checked = time.monotonic()  # try again after another ttl

    def wait_for_refresh(self, timeout: float | None = None) -> None:
        """Wait for a background re-read, if one runs (tests, benches)."""
        if self._refresher is not None:
            self._refresher.join(timeout)

    def close(self) -> None:
        """Stop a background re-read between accounts (before the store closes)."""
        self._closed = True
        self.wait_for_refresh(timeout=30)


def segment_value(summary: Mapping[str, Any], name: str) -> str | None:
    """A summary's firmographic as text (enums by value), None when missing."""
    value = summary.get(name)
    return None if value is None else str(getattr(value, "value", value))
