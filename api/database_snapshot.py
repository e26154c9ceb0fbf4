"""The database readings' rows at one moment, and the aggregates memoised over them.

:class:`Snapshot` is what every request of the database readings and the
cross-account lists reads (:class:`api.database.DatabaseReadings` makes them): one
:class:`AccountRow` per account, in id order, shared until a write changes a row.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from graph.readings.rules import Rules
from graph.readings.select import (
    AccountQuery,
    ContactQuery,
    ContactRow,
    check_vocabulary,
    select_accounts,
    select_contacts,
)

T = TypeVar("T")

# Where an aggregate over personal data is recorded in the audit trail: the
# AuditEvent model needs a contact id, and an aggregate reads many contacts at once.
AGGREGATE_CONTACT = "aggregate:database"
AGGREGATE_TRIGGERS_FIELD = "aggregate:revenue_triggers"
# Filtered lists kept per snapshot (each may hold many rows): enough to page through.
RECENT_ANSWERS = 16


@dataclass(frozen=True)
class AccountRow:
    """What one account contributes to the database readings."""

    summary: dict[str, Any]
    cases: list[dict[str, Any]]  # closed opportunities, public profile items only
    # Opportunity id -> personal profile features; None: not read (loaded from the
    # saved file, which never holds them: DatabaseReadings.with_personal reads them).
    personal: dict[str, dict[str, Any]] | None
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
            if r.personal is None and r.cases:
                raise RuntimeError("personal case features not read: ask "
                                   "DatabaseReadings.with_personal(snapshot) first")
            for c in r.cases:
                extra = (r.personal or {}).get(str(c["opportunity_id"]))
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

    @property
    def personal_known(self) -> bool:
        """Whether every case's personal features are read (see :meth:`cases`)."""
        return all(r.personal is not None or not r.cases for r in self.rows)

    def personal_cases(self) -> int:
        """How many cases carry at least one personal profile feature (of those read)."""
        return sum(len(r.personal or {}) for r in self.rows)

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
