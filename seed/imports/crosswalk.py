"""Which of our ids each foreign id became, remembered between runs.

A Salesforce contact ``003A`` may have been merged into a contact first seen
in HubSpot; a Task imported next week still says ``WhoId=003A``. The
crosswalk answers "``salesforce``/contact/``003A`` is our ``hubspot-51``". It
lives next to the embedded store (``<data_dir>/imports/crosswalk.sqlite3``)
and is only a cache of decisions the importer can make again from the data:
losing it costs re-matching, never correctness of what is already stored.

It holds only what cannot be derived: a record made from ``salesforce``'s
``003B`` and never merged is ``salesforce-003B``, which lookups try when the
crosswalk has nothing (``Identities._by_source_id``). Files from before, which
hold those pairs too, say the same and still work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

_SCHEMA = """
CREATE TABLE IF NOT EXISTS crosswalk (
    source TEXT NOT NULL, kind TEXT NOT NULL, foreign_id TEXT NOT NULL, our_id TEXT NOT NULL,
    PRIMARY KEY (source, kind, foreign_id)
) WITHOUT ROWID
"""


class Crosswalk:
    """foreign id -> our id, in memory, optionally persisted to SQLite."""

    def __init__(self, path: Path | None = None):
        self.path = path
        # One map per (source, kind): a column importer reads a kind's entries whole.
        self._maps: dict[tuple[str, str], dict[str, str]] = {}
        self._pending: list[tuple[str, str, str, str]] = []
        self._db: sqlite3.Connection | None = None
        #: bumped on every change, so what is derived from the entries knows when to renew
        self.version = 0
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            self._db.execute(_SCHEMA)
            for source, kind in self._db.execute("SELECT DISTINCT source, kind FROM crosswalk"):
                self._maps[(source, kind)] = dict(self._db.execute(
                    "SELECT foreign_id, our_id FROM crosswalk WHERE source = ? AND kind = ?",
                    (source, kind),
                ))

    def get(self, source: str, kind: str, foreign: str) -> str | None:
        entries = self._maps.get((source, kind))
        return entries.get(foreign) if entries is not None else None

    def put(self, source: str, kind: str, foreign: str, ours: str) -> None:
        entries = self._maps.get((source, kind))
        if entries is None:
            entries = self._maps[(source, kind)] = {}
        if entries.get(foreign) != ours:
            entries[foreign] = ours
            self._pending.append((source, kind, foreign, ours))
            self.version += 1

    def entries(self, source: str, kind: str) -> Mapping[str, str]:
        """Every foreign id of ``kind`` from ``source`` -> our id (a read-only, live view)."""
        return MappingProxyType(self._maps.setdefault((source, kind), {}))

    def flush(self) -> None:
        """Persist what was learned; called after the store has the batch."""
        if self._db is not None and self._pending:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO crosswalk VALUES (?, ?, ?, ?)", self._pending
                )
        self._pending.clear()

    def forget(self, foreign_ids: set[str]) -> int:
        """Drop every entry whose foreign id is one of these (case-insensitive); how many.

        For erasure: a source may key its records by an email address, and an
        erased address must not stay behind here. The importer matches those
        rows again if they come back.
        """
        lowered = {f.lower() for f in foreign_ids}
        gone = [(source, kind, foreign) for (source, kind), entries in self._maps.items()
                for foreign in entries if foreign.lower() in lowered]
        for source, kind, foreign in gone:
            del self._maps[(source, kind)][foreign]
        self._pending = [p for p in self._pending if p[2].lower() not in lowered]
        if self._db is not None and gone:
            with self._db:
                self._db.executemany(
                    "DELETE FROM crosswalk WHERE source = ? AND kind = ? AND foreign_id = ?", gone)
            self._db.execute("VACUUM")  # deleted rows stay in SQLite's free pages until then
        if gone:
            self.version += 1
        return len(gone)

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._maps.values())

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None
