"""Database-level readings for the API: per-account rows cached, aggregates memoised.

The database readings (mix by segment, concentration, list-purchase plan, revenue
triggers) and the cross-account lists are pure functions in ``graph/readings`` over
one plain row per account (:func:`graph.readings.database.database_row`: summary,
contact rows, closed-deal cases). Producing those rows means reading every account,
which is far too slow to do per request, so :class:`DatabaseReadings` keeps one row
per account:

- the first walk starts with the server (:meth:`DatabaseReadings.start`) and runs in
  ``jobs`` worker processes (:func:`graph.walk.map_accounts`); a request during it
  waits for it, never for a second one;
- the rows are saved beside the store (:mod:`api.database_file`), so a restart on an
  unchanged store serves them without a walk;
- only the accounts a write has touched are read again (:meth:`DatabaseReadings.invalidate`,
  called by :meth:`api.cache.AccountCache.invalidate`); past ``ttl`` seconds, every
  account is re-read in the background if another process wrote (an import, the CLI).

Privacy: a case's profile features are kept in two parts, public items and personal
items. Only the public part is ever handed to non-admins, so an aggregate never acts
on a value its viewer could not read (and so cannot reveal it by counts); admins may
ask for the personal part, and the API records that read (see ``docs/api.md``). The
personal part is never saved to disk: rows loaded from the file read it again on an
admin's demand (:meth:`DatabaseReadings.with_personal`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Generator, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from api.database_file import RowsFile, decode_row, encode_row
from api.database_snapshot import (
    AGGREGATE_CONTACT,
    AGGREGATE_TRIGGERS_FIELD,
    AccountRow,
    Snapshot,
)
from graph.errors import StoreUnavailable
from graph.readings.database import (
    fresh_rules,
    read_database_rows,
    read_personal_features,
    split_cases,
)
from graph.readings.rules import Rules, resolve
from graph.readings.strength import DEFAULT_HALF_LIFE_DAYS
from graph.settings import Settings
from graph.store import DataVersion, Store
from graph.walk import CHUNK, map_accounts

__all__ = ["AGGREGATE_CONTACT", "AGGREGATE_TRIGGERS_FIELD", "AccountRow", "DatabaseReadings",
           "Snapshot", "segment_value", "split_cases"]

log = logging.getLogger("accountgraph.api")


class DatabaseReadings:
    """Per-account rows for the database readings, kept fresh by write invalidation.

    Parameters
    ----------
    store : the Store to walk (``iter_ids``, ``account_data``, ``data_version``).
    rules : the reading rules (a Rules, a rules file, or None for the shipped ones).
    half_life_days : strength half-life, as in Settings.
    ttl : seconds after which the store's change counter is looked at again, and
        every account re-read in the background if it moved (writes by other
        processes).
    as_of : read every account as of this day (Settings.as_of); None: today.
    settings, jobs : a walk over many accounts runs in ``jobs`` processes, each
        opening the store ``settings`` name read-only (:func:`graph.walk.map_accounts`);
        without settings, or with ``jobs=1``, it runs in this process on ``store``.
    folder, where : save the rows there between runs (:mod:`api.database_file`),
        tagged with ``where`` (Settings.store_location); None keeps them in memory.
    chunk : accounts per task of a walk in processes; fewer accounts than this to
        read are read here (starting the processes costs more).
    """

    def __init__(self, store: Store, *, rules: Rules | Path | str | None = None,
                 half_life_days: float = DEFAULT_HALF_LIFE_DAYS, ttl: float = 600.0,
                 as_of: date | None = None, settings: Settings | None = None, jobs: int = 1,
                 folder: Path | None = None, where: str = "", chunk: int = CHUNK):
        self.store = store
        self.rules = resolve(rules)
        self.as_of = as_of
        self.half_life_days = half_life_days
        self.ttl = ttl
        self.settings = settings
        self.jobs = jobs
        self.chunk = chunk
        self.stats = {"accounts_read": 0, "snapshots": 0, "loaded_from_file": 0,
                      "personal_read": 0}
        self._file = RowsFile(folder, where=where) if folder is not None else None
        self._rows: dict[str, AccountRow] = {}
        self._snapshot: Snapshot | None = None
        self._checked = 0.0
        # The store's change counters as of which every row is read (None: not yet).
        self._version: DataVersion | None = None
        # Two locks: a walk may take minutes and holds _walk; invalidate() runs on the
        # event loop during mutations and must never wait for it, so it takes _dirty only.
        self._walk = threading.Lock()
        self._dirty_lock = threading.Lock()
        self._dirty: set[str] = set()
        self._all_dirty = False
        self._refresher: threading.Thread | None = None
        self._starter: threading.Thread | None = None
        self._saver: threading.Thread | None = None
        self._save_again = False
        self._closed = False
        self._loading = threading.Event()  # cleared while start() loads the saved rows
        self._loading.set()

    # -- reading ------------------------------------------------------------------

    def _read_many(self, company_ids: list[str]) -> Generator[AccountRow, None, None]:
        """Rows of ``company_ids`` in order: in ``jobs`` processes when there are many."""
        loaded = time.monotonic()
        many = self._many(company_ids)
        found = map_accounts(self.settings if many else None, company_ids, read_database_rows,
                             fresh_rules(self.rules) if many else self.rules, self.as_of,
                             self.half_life_days, jobs=self.jobs if many else 1,
                             store=self.store, chunk=self.chunk)
        try:
            for row in found:
                yield AccountRow(summary=row.summary, cases=row.cases, personal=row.personal,
                                 loaded=loaded, contacts=row.contacts)
        finally:
            found.close()  # closed early: the chunks not started are cancelled

    def _many(self, company_ids: list[str]) -> bool:
        """Whether reading these is worth starting processes for."""
        return len(company_ids) > self.chunk and self.jobs > 1 and self.settings is not None

    def with_personal(self, snap: Snapshot) -> Snapshot:
        """``snap`` with every case's personal features known (blocking: use a thread).

        Rows loaded from the saved file lack them (they are never written to disk):
        the accounts with cases among those are read again here, for an admin who
        asks for personal profile items in an aggregate.
        """
        with snap._lock:
            missing = [i for i, r in enumerate(snap.rows) if r.personal is None]
        if not missing:
            return snap
        with self._walk:  # one reader at a time; another request may have filled them
            with snap._lock:
                missing = [i for i, r in enumerate(snap.rows) if r.personal is None]
            with_cases = [i for i in missing if snap.rows[i].cases]
            ids = [str(snap.rows[i].summary["company_id"]) for i in with_cases]
            many = self._many(ids)
            found = dict(zip(ids, map_accounts(
                self.settings if many else None, ids, read_personal_features,
                fresh_rules(self.rules) if many else self.rules,
                jobs=self.jobs if many else 1, store=self.store, chunk=self.chunk),
                strict=True))
            self.stats["personal_read"] += len(found)
            with snap._lock:
                for i in missing:
                    old = snap.rows[i]
                    new = replace(old, personal=found.get(str(old.summary["company_id"]), {}))
                    snap.rows[i] = new
                    cid = str(old.summary["company_id"])
                    if self._rows.get(cid) is old:
                        self._rows[cid] = new
        return snap

    # -- the saved file -----------------------------------------------------------

    def _path(self) -> Path | None:
        if self._file is None:
            return None
        return self._file.path(rules_digest=self.rules.digest, as_of=self.as_of,
                               half_life_days=self.half_life_days)

    def start(self) -> None:
        """Serve the saved rows if the store is unchanged since; else walk now, behind.

        Called once the server is up: the first cross-account question then finds
        the rows ready (saved, or read by a walk that started with the server)
        instead of starting the walk itself. A request that comes during the walk
        waits for it (:meth:`snapshot`), never for a second one.
        """
        # Loading the large world's rows takes seconds (25 s on a busy machine): behind
        # the server's start too, with requests waiting for it rather than walking.
        self._loading.clear()
        self._starter = threading.Thread(target=self._first_walk, daemon=True,
                                         name="database-readings-walk")
        self._starter.start()

    def _first_walk(self) -> None:
        try:
            try:
                loaded = self._load()
            finally:
                self._loading.set()
            if not loaded:
                self.snapshot()
        except Exception:  # the first request walks again and sees the error itself
            if not self._closed:
                log.exception("the database readings' first walk failed")

    def _load(self) -> bool:
        path = self._path()
        if path is None or self._file is None:
            return False
        started = time.monotonic()
        saved = self._file.load(path)
        version = self.store.data_version()
        if saved is None or saved[0] != version.changes:
            return False  # absent, unreadable, or the store changed since: walk
        rows = {}
        try:
            for cid, row in saved[1].items():
                summary, contacts, cases = decode_row(cid, row)
                # Personal case features were never saved: read on demand (with_personal).
                rows[cid] = AccountRow(summary=summary, cases=cases, personal=None,
                                       loaded=started, contacts=contacts)
        except (KeyError, TypeError, ValueError):
            log.warning("database readings' rows in %s unreadable; every account is read",
                        path, exc_info=True)
            return False
        with self._walk:
            if self._snapshot is not None:
                return True  # a request walked already
            self._rows, self._version, self._checked = rows, version, started
            self._publish()
        self.stats["loaded_from_file"] = len(rows)
        log.info("database readings: %d accounts' rows loaded from %s", len(rows), path)
        return True

    def _save_later(self) -> None:
        """Save the rows behind the request (caller holds ``_walk``); one save at a time."""
        if self._file is None or self._closed:
            return
        if self._saver is not None and self._saver.is_alive():
            self._save_again = True
            return
        self._saver = threading.Thread(target=self._save, daemon=True,
                                       name="database-readings-save")
        self._saver.start()

    def _save(self) -> None:
        while True:
            path, file = self._path(), self._file
            if path is None or file is None:
                return
            with self._walk:
                self._save_again = False
                version, rows, generation = self._version, dict(self._rows), file.generation()
            if version is None:
                return
            try:
                file.save(path, version.changes, {cid: encode_row(r.summary, r.contacts, r.cases)
                                          for cid, r in rows.items()}, generation)
            except Exception:  # only a head start for the next run
                log.warning("database readings' rows not saved", exc_info=True)
            with self._walk:
                if not self._save_again or self._closed:
                    return

    # -- serving ------------------------------------------------------------------

    def invalidate(self, *company_ids: str) -> None:
        """Mark accounts a write touched; none named: every account, and the file goes.

        Nothing names an account after an erasure (here or in another process) or
        new rules: any row may quote the erased person's name, so the saved file is
        deleted now and every account is read again before the next answer.
        """
        with self._dirty_lock:
            if company_ids:
                self._dirty.update(company_ids)
                return
            self._all_dirty = True
        if self._file is not None:
            self._file.forget()

    def snapshot(self) -> Snapshot:
        """The current rows, re-reading accounts written to since; blocking (use a thread).

        The first call reads every account (unless :meth:`start` loaded them or walks
        already: then it waits for that walk). Later calls re-read only the accounts
        a write touched. Once ``ttl`` has passed, the store's change counter is
        looked at; if it moved (writes by other processes), the rows are served as
        they are while a background thread re-reads every account, so no request
        waits for a whole walk twice.
        """
        self._loading.wait()  # rows being loaded from the file: those, not a walk
        with self._walk:
            with self._dirty_lock:
                dirty, everything = self._dirty, self._all_dirty
                self._dirty, self._all_dirty = set(), False
            if self._snapshot is not None and not dirty and not everything:
                if time.monotonic() - self._checked >= self.ttl:
                    self._look_elsewhere()
                return self._snapshot
            cold = self._snapshot is None
            started = time.monotonic()
            version = self.store.data_version()
            ids = [cid for batch in self.store.iter_ids("company") for cid in batch]
            todo = [cid for cid in ids if cid not in self._rows or everything or cid in dirty]
            rows = self._read_many(todo)
            try:
                for cid, row in zip(todo, rows, strict=True):
                    if self._closed:  # the server stops: so do the worker processes
                        raise StoreUnavailable("the database readings were closed mid-walk")
                    self._rows[cid] = row
                    self.stats["accounts_read"] += 1
            finally:
                rows.close()
            gone = set(self._rows) - set(ids)
            for cid in gone:
                del self._rows[cid]
            if cold or everything:
                self._checked = started
                self._version = version
            elif self._version is not None and version.elsewhere == self._version.elsewhere:
                # Every change since the walk was ours, and re-read: the rows stand
                # where the counter does. (After writes elsewhere they stay behind it
                # until the next walk, and so does the file.)
                self._version = version
            if todo or gone or self._snapshot is None:
                self._publish()
                self._save_later()
            assert self._snapshot is not None
            return self._snapshot

    def _look_elsewhere(self) -> None:
        """Past the ttl: re-read every account behind the rows if another process wrote."""
        seen = self.store.data_version()
        if self._version is not None and seen.elsewhere == self._version.elsewhere:
            self._checked = time.monotonic()  # nothing from elsewhere: nothing to read
            return
        self._refresh_later()

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
        """Re-read every account, swapping rows in as they come, then publish once."""
        try:
            started = time.monotonic()
            version = self.store.data_version()
            ids = [cid for batch in self.store.iter_ids("company") for cid in batch]
            rows = self._read_many(ids)
            try:
                for cid, row in zip(ids, rows, strict=True):
                    if self._closed:
                        return
                    with self._walk:
                        old = self._rows.get(cid)
                        # A request re-read it after a write meanwhile: keep theirs.
                        if old is None or old.loaded < started:
                            self._rows[cid] = row
                        self.stats["accounts_read"] += 1
            finally:
                rows.close()  # stops the worker processes when closed early
            with self._walk:
                for cid in set(self._rows) - set(ids):
                    del self._rows[cid]
                self._checked, self._version = started, version
                self._publish()
                self._save_later()
        except Exception:
            # Nobody awaits this thread: say what failed; the old rows stay served.
            log.exception("re-reading the database readings failed; serving the old rows")
            with self._walk:
                self._checked = time.monotonic()  # try again after another ttl

    def wait_for_refresh(self, timeout: float | None = None) -> None:
        """Wait for a background walk, re-read or save, if one runs (tests, benches)."""
        for thread in (self._starter, self._refresher, self._saver):
            if thread is not None:
                thread.join(timeout)

    def close(self) -> None:
        """Stop a background re-read between accounts (before the store closes)."""
        self._closed = True
        self.wait_for_refresh(timeout=30)


def segment_value(summary: Mapping[str, Any], name: str) -> str | None:
    """A summary's firmographic as text (enums by value), None when missing."""
    value = summary.get(name)
    return None if value is None else str(getattr(value, "value", value))
