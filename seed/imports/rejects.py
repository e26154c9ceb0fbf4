"""The rejects file: every row that was not imported, where it is and why.

CSV with columns ``file, line, field, reason, raw, run`` (``raw``: the row as read;
``run``: when the run that rejected it started), written as rejects happen so a
killed run still leaves what it found. Created only when something is rejected,
and appended to, never replaced: the documented workflow runs one import per kind,
and each run's rejects must survive the next run (filter on ``run`` for one run's).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

HEADER = ("file", "line", "field", "reason", "raw", "run")


@dataclass(frozen=True)
class Reject:
    file: str
    line: int
    field: str | None
    reason: str
    raw: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


class RejectsWriter:
    """Appends rejects to a CSV file, opened on the first one (header once, when new)."""

    def __init__(self, path: Path | None, run: datetime | None = None):
        self.path = path
        self.run = (run or datetime.now(UTC)).isoformat(timespec="seconds")
        self.count = 0
        self.first: list[Reject] = []  # a few to show on the console
        self._fh: IO[str] | None = None
        self._writer: csv.DictWriter[str] | None = None

    def write(self, reject: Reject) -> None:
        self.count += 1
        if len(self.first) < 5:
            self.first.append(reject)
        if self.path is None:
            return
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            new = not self.path.exists() or self.path.stat().st_size == 0
            self._fh = self.path.open("a", encoding="utf-8", newline="")
            self._writer = csv.DictWriter(self._fh, HEADER)
            if new:
                self._writer.writeheader()
        assert self._writer is not None
        self._writer.writerow(
            {"file": reject.file, "line": reject.line, "field": reject.field or "",
             "reason": reject.reason, "raw": reject.raw, "run": self.run}
        )

    def flush(self) -> None:
        if self._fh is not None:
            self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
