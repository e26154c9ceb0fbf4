"""What earlier capture runs read, so a re-run reads only what is new.

A SQLite file beside the store (``<data dir>/capture/ledger-<store>.sqlite3``):

* per mailbox file: its size, a digest of its first 64 KiB, and the byte offset
  and line the last complete run stopped at. The same file again is skipped
  unread; a file that grew (an mbox appended to) is read from that offset; a
  file whose beginning changed is read whole.
* per meeting key: the version (SEQUENCE, DTSTAMP, cancelled) last applied, so
  an older export captured after a newer one does not move a meeting back.

A file's entry is written only after its writes were made durable (after the
store's bulk-load scope closed), so a run killed midway reads that file again,
and finds its messages already there. Losing the ledger loses no data: the next
run reads everything again and changes nothing it already holds.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

HEAD_BYTES = 64 * 1024
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, head TEXT, "
    "offset INTEGER, line INTEGER)",
    "CREATE TABLE IF NOT EXISTS meetings (key TEXT PRIMARY KEY, sequence INTEGER, "
    "stamp TEXT, cancelled INTEGER)",
)


class FileMark(NamedTuple):
    size: int
    head: str
    offset: int
    line: int


def head_digest(path: Path, size: int | None = None) -> str:
    """A digest of the file's first bytes: 64 KiB, or ``size`` when that is less
    (what a file held when it was read, before anything was appended to it)."""
    limit = HEAD_BYTES if size is None else min(size, HEAD_BYTES)
    with path.open("rb") as fh:
        return hashlib.blake2b(fh.read(limit), digest_size=16).hexdigest()


class Ledger:
    """The ledger file (in memory when ``path`` is None: nothing remembered between runs)."""

    def __init__(self, path: Path | None):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path) if path is not None else ":memory:")
        with self._db:
            for statement in _SCHEMA:
                self._db.execute(statement)

    def reset(self) -> None:
        """Forget everything (the store it described is empty)."""
        with self._db:
            self._db.execute("DELETE FROM files")
            self._db.execute("DELETE FROM meetings")

    def file(self, path: Path) -> FileMark | None:
        row = self._db.execute("SELECT size, head, offset, line FROM files WHERE path = ?",
                               (str(path.resolve()),)).fetchone()
        return FileMark(*row) if row else None

    def file_done(self, path: Path, mark: FileMark) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                             (str(path.resolve()), *mark))

    def meetings(self) -> dict[str, tuple[int, str, bool]]:
        return {k: (s, t, bool(c)) for k, s, t, c in
                self._db.execute("SELECT key, sequence, stamp, cancelled FROM meetings")}

    def meetings_done(self, versions: dict[str, tuple[int, datetime, bool]]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO meetings VALUES (?, ?, ?, ?)",
                [(k, s, t.isoformat(), int(c)) for k, (s, t, c) in versions.items()],
            )

    def close(self) -> None:
        self._db.close()
