"""The account list behind the home page: one row per account, kept and persisted.

A row (:func:`graph.readings.account_row.account_row`) costs an account's status
reading twice (now and a week before, for the watch list): on the large world
(10,000 accounts) a walk over every account takes minutes. So rows are read once,
kept in memory, and saved beside the store (``account-rows-<tag>.json`` in the data
folder; the tag is the store's location, the rules' digest, the reading date and the
half-life), with the
store's change counter they were read at. A server that starts on an unchanged
store serves the saved rows at once; on a changed one it serves them while it
reads every account again behind them. Each request then filters, sorts and pages
in memory (:func:`graph.account_list.select_accounts`), never reading an account.

Writes through this server mark the accounts they touched
(:meth:`AccountList.invalidate`, told by :class:`api.cache.AccountCache`); the next
request reads those few again. Writes by another process move the store's
``elsewhere`` counter: every account is read again, in the background.

The rows hold names, titles, statuses and counts, no personal values, so the file
is no copy of personal data that an erasure would have to reach.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import orjson

from graph.readings.account_row import account_row
from graph.readings.rules import Rules, resolve
from graph.readings.strength import DEFAULT_HALF_LIFE_DAYS
from graph.store import Store

log = logging.getLogger("accountgraph.api")
T = TypeVar("T")

#: Bumped when a row's shape changes: rows saved by another version are read again.
FORMAT = 1


@dataclass(frozen=True)
class Rows:
    """Every row at one moment, by id, and whether the walk over every account is done.

    ``memo`` lives as long as these rows do (a write or a walk makes new ones): what a
    request derives from every row (sort orders, filter choices) is kept there with
    :meth:`remember`, so the next request over the same rows costs only its own part.
    """

    rows: list[Mapping[str, Any]]
    ready: bool
    read: int  # accounts read by the walk under way (== len(rows) when ready)
    total: int  # accounts in the store when the walk started
    memo: dict[Hashable, Any] = field(default_factory=dict, repr=False)

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per version of the rows and ``key`` (it must be pure)."""
        if key not in self.memo:
            self.memo[key] = compute()  # two racing requests compute the same value
        return self.memo[key]


class AccountList:
    """One row per account for the home page (see the module docstring).

    Parameters
    ----------
    store : the Store (``iter_ids``, ``account_data``, ``data_version``).
    rules, as_of, half_life_days : how every account is read.
    folder : where rows are saved between runs; None keeps them in memory only.
    where : which store this is (Settings.store_location): two stores sharing a data
        folder never read each other's rows.
    check_every : seconds between looks at the store's change counter.
    """

    def __init__(self, store: Store, *, rules: Rules | None = None,
                 as_of: date | datetime | None = None,
                 half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
                 folder: Path | None = None, where: str = "",
                 check_every: float = 5.0):
        self.store = store
        self.rules = resolve(rules)
        self.as_of = as_of
        self.half_life_days = half_life_days
        self.folder = folder
        self.where = where
        self.check_every = check_every
        self.stats = {"accounts_read": 0, "walks": 0, "loaded_from_file": 0}
        self._rows: dict[str, dict[str, Any]] = {}
        self._listed: list[Mapping[str, Any]] | None = None
        self._memo: dict[Hashable, Any] = {}
        self._lock = threading.Lock()
        self._dirty: set[str] = set()
        self._all_dirty = False
        self._generation = 0  # bumped when every row is forgotten (an erasure)
        self._walker: threading.Thread | None = None
        self._walking = False  # a walk over every account is under way
        self._walk_again = False
        self._progress = (0, 0)
        self._ready = threading.Event()
        self._elsewhere: int | None = None
        self._checked = 0.0
        self._closed = False
        #: Called with the rows after a walk or a load from the file, off the request
        #: path: what every request derives from them is ready before the first one.
        self.warmers: list[Callable[[Rows], None]] = []

    # -- reading ------------------------------------------------------------------

    def _read(self, company_id: str) -> dict[str, Any]:
        data = self.store.account_data(company_id, people=False)
        return account_row(data, rules=self.rules, as_of=self.as_of,
                           half_life_days=self.half_life_days)

    def _file(self) -> Path | None:
        if self.folder is None:
            return None
        tag = f"{FORMAT}|{self.where}|{self.rules.digest}|{self.as_of}|{self.half_life_days}"
        return self.folder / f"account-rows-{hashlib.sha256(tag.encode()).hexdigest()[:16]}.json"

    def start(self) -> None:
        """Serve saved rows if there are any; read every account behind them if stale."""
        version = self.store.data_version()
        self._elsewhere = version.elsewhere
        saved = self._load()
        if saved is not None:
            changes, rows = saved
            with self._lock:
                self._rows, self._listed = rows, None
            self.stats["loaded_from_file"] = len(rows)
            if changes == version.changes:
                self._progress = (len(rows), len(rows))
                self._ready.set()
                threading.Thread(target=self._warm, name="account-list-warm",
                                 daemon=True).start()
                return
        self._walk_later()

    def _warm(self) -> None:
        try:
            rows = self.rows()
            for warm in self.warmers:
                warm(rows)
        except Exception:  # only a head start: the first request computes it instead
            log.warning("the account list was not prepared ahead", exc_info=True)

    def _load(self) -> tuple[int, dict[str, dict[str, Any]]] | None:
        path = self._file()
        if path is None:
            return None
        try:
            saved = orjson.loads(path.read_bytes())
            return int(saved["changes"]), dict(saved["rows"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or unreadable: read every account

    def _save(self, changes: int) -> None:
        path = self._file()
        if path is None:
            return
        with self._lock:
            rows = dict(self._rows)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for old in path.parent.glob("account-rows-*.json"):
                if old != path:
                    old.unlink(missing_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(orjson.dumps({"changes": changes, "rows": rows}))
            tmp.replace(path)
        except OSError:
            log.warning("account list not saved to %s; it is read again at the next start",
                        path, exc_info=True)

    def _walk_later(self) -> None:
        with self._lock:
            if self._walker is not None and self._walker.is_alive():
                self._walk_again = True
                return
            self._walking = True
            self._walker = threading.Thread(target=self._walk, name="account-list", daemon=True)
            self._walker.start()

    def _walk(self) -> None:
        """Read every account, swapping rows in as they come; save when done."""
        while True:
            try:
                changes = self.store.data_version().changes
                ids = [cid for batch in self.store.iter_ids("company") for cid in batch]
                self._progress = (0, len(ids))
                fresh: dict[str, dict[str, Any]] = {}
                for i, cid in enumerate(ids):
                    if self._closed:
                        return
                    generation = self._generation
                    fresh[cid] = self._read(cid)
                    with self._lock:
                        if generation != self._generation:
                            # Read before an erasure: not served; the walk starts over.
                            self._walk_again = True
                            continue
                        self._rows[cid] = fresh[cid]
                        self._listed = None
                    self.stats["accounts_read"] += 1
                    self._progress = (i + 1, len(ids))
                with self._lock:
                    gone = set(self._rows) - set(ids)
                    for cid in gone:
                        del self._rows[cid]
                    self._listed = None
                    again, self._walk_again = self._walk_again, False
                    self._walking = again
                self.stats["walks"] += 1
                self._ready.set()
                if not again:
                    self._save(changes)
                    self._warm()
            except Exception:
                # Nobody awaits this thread: say what failed; the rows read so far stay.
                log.exception("reading the account list failed; serving the rows read so far")
                self._walking = False
                self._ready.set()
                return
            if not again:
                return

    # -- serving ------------------------------------------------------------------

    def invalidate(self, *company_ids: str) -> None:
        """Accounts a write touched; none named: forget every row at once.

        The cache names no account after an erasure (here or in another process):
        any row may quote the erased person's name, so no row is served and the
        file is deleted now; the next request reads every account again and shows
        what is read so far meanwhile. (New rules, which leave nothing to hide,
        go through :meth:`set_rules` and keep serving the old rows meanwhile.)
        """
        # Nothing is read here (a write is under way): the next request does it.
        with self._lock:
            if company_ids:
                self._dirty.update(company_ids)
                return
            self._rows, self._listed, self._dirty = {}, None, set()
            self._generation += 1
            self._all_dirty = True
        self._forget_file()

    def _forget_file(self) -> None:
        path = self._file()
        if path is not None:
            for old in path.parent.glob("account-rows-*.json"):
                old.unlink(missing_ok=True)

    def set_rules(self, rules: Rules) -> None:
        """Read with new rules (new signal weights) from now on: every account again."""
        self.rules = rules
        with self._lock:
            self._all_dirty = True

    def _look_elsewhere(self) -> None:
        now = time.monotonic()
        if now - self._checked < self.check_every:
            return
        self._checked = now
        seen = self.store.data_version().elsewhere
        if self._elsewhere is not None and seen != self._elsewhere:
            log.info("the store changed elsewhere: the account list is read again")
            self._walk_later()
        self._elsewhere = seen

    def rows(self, *, wait: float = 0.0) -> Rows:
        """Every row, sorted by id; ``wait`` seconds at most for a first walk to finish."""
        if not self._ready.is_set() and wait > 0:
            self._ready.wait(wait)
        self._look_elsewhere()
        with self._lock:
            dirty, self._dirty = self._dirty, set()
            everything, self._all_dirty = self._all_dirty, False
        if everything:  # served as they are while every account is read again
            self._walk_later()
        if dirty:
            changes = self.store.data_version().changes
            for cid in sorted(dirty):
                try:
                    row: dict[str, Any] | None = self._read(cid)
                except Exception:  # the account is gone (or unreadable): not listed
                    log.info("account %s not listed: it could not be read", cid, exc_info=True)
                    row = None
                with self._lock:
                    if row is None:
                        self._rows.pop(cid, None)
                    else:
                        self._rows[cid] = row
                    self._listed = None
            if self._ready.is_set():
                self._save(changes)
        with self._lock:
            if self._listed is None:
                self._listed = [self._rows[cid] for cid in sorted(self._rows)]
                self._memo = {}
            listed, memo = self._listed, self._memo
        done, total = self._progress
        ready = self._ready.is_set() and not self._walking
        return Rows(listed, ready, done, total, memo)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the walk under way, if any (tests, benches)."""
        walker = self._walker
        if walker is not None:
            walker.join(timeout)

    def close(self) -> None:
        self._closed = True
        self.wait(timeout=30)
