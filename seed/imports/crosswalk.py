"""Which of our ids each foreign id became, remembered between runs.

A Salesforce contact ``003A`` may have been merged into a contact first seen
in HubSpot; a Task imported next week still says ``WhoId=003A``. The
crosswalk answers "``salesforce``/contact/``003A`` is our ``hubspot-51``".

It is kept where the data is, so that whoever imports into a store finds the
decisions made before: in the store itself when the store keeps one (Neo4j: any
machine importing into the same database agrees), else next to the embedded
store (``<data_dir>/imports/crosswalk.sqlite3``). Either way it is only a cache
of decisions the importer can make again from the data: losing it costs
re-matching, never correctness of what is already stored.

It holds only what cannot be derived: a record made from ``salesforce``'s
``003B`` and never merged is ``salesforce-003B``, which lookups try when the
crosswalk has nothing (``Identities._by_source_id``). Files from before, which
hold those pairs too, say the same and still work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Protocol, runtime_checkable

Entry = tuple[str, str, str, str]  # (source, kind, foreign id, our id)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS crosswalk (
    source TEXT NOT NULL, kind TEXT NOT NULL, foreign_id TEXT NOT NULL, our_id TEXT NOT NULL,
    PRIMARY KEY (source, kind, foreign_id)
) WITHOUT ROWID
"""


@runtime_checkable
class StoreKeeper(Protocol):
    """A store that keeps the crosswalk itself (:class:`graph.stores.neo4j.Neo4jStore`)."""

    def crosswalk_entries(self) -> list[Entry]: ...

    def crosswalk_put(self, entries: Sequence[Entry]) -> None: ...

    def crosswalk_forget(self, our_id: str) -> int: ...

    def crosswalk_forget_keys(self, keys: Sequence[tuple[str, str, str]]) -> int: ...


class _Keeper(Protocol):
    def load(self) -> Iterable[Entry]: ...

    def save(self, entries: list[Entry]) -> None: ...

    def forget(self, our_id: str) -> int: ...

    def forget_keys(self, keys: list[tuple[str, str, str]]) -> None: ...

    def close(self) -> None: ...


class _SqliteKeeper:
    """The crosswalk in a SQLite file beside the embedded store."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute(_SCHEMA)

    def load(self) -> Iterable[Entry]:
        return self._db.execute("SELECT source, kind, foreign_id, our_id FROM crosswalk")

    def save(self, entries: list[Entry]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO crosswalk VALUES (?, ?, ?, ?)", entries)

    def forget(self, our_id: str) -> int:
        with self._db:
            return self._db.execute("DELETE FROM crosswalk WHERE our_id = ?", (our_id,)).rowcount

    def forget_keys(self, keys: list[tuple[str, str, str]]) -> None:
        with self._db:
            self._db.executemany(
                "DELETE FROM crosswalk WHERE source = ? AND kind = ? AND foreign_id = ?", keys)
        self._db.execute("VACUUM")  # deleted rows stay in SQLite's free pages until then

    def close(self) -> None:
        self._db.close()


class _InStore:
    """The crosswalk in the store, for every machine that imports into it."""

    def __init__(self, store: StoreKeeper):
        self._store = store

    def load(self) -> Iterable[Entry]:
        return self._store.crosswalk_entries()

    def save(self, entries: list[Entry]) -> None:
        self._store.crosswalk_put(entries)

    def forget(self, our_id: str) -> int:
        return self._store.crosswalk_forget(our_id)

    def forget_keys(self, keys: list[tuple[str, str, str]]) -> None:
        self._store.crosswalk_forget_keys(keys)

    def close(self) -> None:
        pass  # the store belongs to whoever opened it


class Crosswalk:
    """foreign id -> our id, in memory, optionally persisted (a SQLite file or the store)."""

    def __init__(self, path: Path | None = None, *, store: object | None = None):
        """Kept in ``store`` if it keeps a crosswalk, else in the file at ``path``, else nowhere."""
        self.path = path
        # One map per (source, kind): a column importer reads a kind's entries whole.
        self._maps: dict[tuple[str, str], dict[str, str]] = {}
        self._pending: list[Entry] = []
        self._keeper: _Keeper | None = None
        #: bumped on every change, so what is derived from the entries knows when to renew
        self.version = 0
        if isinstance(store, StoreKeeper):
            self._keeper = _InStore(store)
        elif path is not None:
            self._keeper = _SqliteKeeper(path)
        if self._keeper is not None:
            for source, kind, foreign, ours in self._keeper.load():
                self._maps.setdefault((source, kind), {})[foreign] = ours

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
        if self._keeper is not None and self._pending:
            self._keeper.save(self._pending)
        self._pending = []

    def forget(self, our_id: str) -> int:
        """Forget every foreign id that became ``our_id`` (erasure); how many there were.

        Removed from where the crosswalk is kept too, at once.
        """
        self.flush()
        removed = 0
        for entries in self._maps.values():
            gone = [f for f, ours in entries.items() if ours == our_id]
            for f in gone:
                del entries[f]
            removed += len(gone)
        if removed:
            self.version += 1
        if self._keeper is not None:
            removed = max(removed, self._keeper.forget(our_id))
        return removed

    def forget_foreign_ids(self, foreign_ids: set[str]) -> int:
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
        if self._keeper is not None and gone:
            self._keeper.forget_keys(gone)
        if gone:
            self.version += 1
        return len(gone)

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._maps.values())

    def close(self) -> None:
        self.flush()
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None
