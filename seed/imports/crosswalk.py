"""Which of our ids each foreign id became, remembered between runs.

A Salesforce contact ``003A`` may have been merged into a contact first seen
in HubSpot; a Task imported next week still says ``WhoId=003A``. The
crosswalk answers "``salesforce``/contact/``003A`` is our ``hubspot-51``". It
lives next to the embedded store (``<data_dir>/imports/crosswalk.sqlite3``)
and is only a cache of decisions the importer can make again from the data:
losing it costs re-matching, never correctness of what is already stored.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS crosswalk (
    source TEXT NOT NULL, kind TEXT NOT NULL, foreign_id TEXT NOT NULL, our_id TEXT NOT NULL,
    PRIMARY KEY (source, kind, foreign_id)
) WITHOUT ROWID
"""
_SEP = "\x1f"


class Crosswalk:
    """foreign id -> our id, in memory, optionally persisted to SQLite."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._map: dict[str, str] = {}
        self._pending: list[tuple[str, str, str, str]] = []
        self._db: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            self._db.execute(_SCHEMA)
            for source, kind, foreign, ours in self._db.execute("SELECT * FROM crosswalk"):
                self._map[f"{source}{_SEP}{kind}{_SEP}{foreign}"] = ours

    def get(self, source: str, kind: str, foreign: str) -> str | None:
        return self._map.get(f"{source}{_SEP}{kind}{_SEP}{foreign}")

    def put(self, source: str, kind: str, foreign: str, ours: str) -> None:
        key = f"{source}{_SEP}{kind}{_SEP}{foreign}"
        if self._map.get(key) != ours:
            self._map[key] = ours
            self._pending.append((source, kind, foreign, ours))

    def flush(self) -> None:
        """Persist what was learned; called after the store has the batch."""
        if self._db is not None and self._pending:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO crosswalk VALUES (?, ?, ?, ?)", self._pending
                )
        self._pending.clear()

    def __len__(self) -> int:
        return len(self._map)

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None
