"""The database readings' rows, saved beside the store between runs.

Reading every account for the database readings takes minutes on a large world
(the ``large`` demo world: 36 min in one process), so the rows are saved
(``database-rows-<tag>.json`` in the data folder, tagged like the home page's
``account-rows-*.json``: the store's location, the rules' digest, the reading date
and the half-life) with the store's change counter they were read at. A server
that starts on an unchanged store serves them without reading an account.

What is saved: each account's summary (names, firmographics, counts, statuses),
its contact rows (name, title, seniority, department, category, strength, last
touch) and its closed-deal cases with their *public* profile features. The
personal profile features of cases are never written: rows loaded from the file
lack them, and :meth:`api.database.DatabaseReadings.with_personal` reads them
again for an admin who asks for them. Names are in the file, so an erasure
deletes it (:func:`forget`; :func:`api.erasure.erase_contact` and
:meth:`api.database.DatabaseReadings.invalidate`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from graph.readings.select import ContactRow

log = logging.getLogger("accountgraph.api")

#: Bumped when a saved row's shape changes: rows saved by another version are read again.
FORMAT = 1
PATTERN = "database-rows-*.json"

# A contact row as saved: its account and category are the keys it is saved under.
_FIELDS = ("contact_id", "name", "title", "seniority", "department", "strength",
           "last_touch", "current")


def forget(folder: Path | None) -> list[Path]:
    """Delete every saved rows file in ``folder`` (they may quote an erased name)."""
    if folder is None or not folder.is_dir():
        return []
    gone = []
    for path in sorted(folder.glob(PATTERN)):
        path.unlink(missing_ok=True)
        gone.append(path)
    for tmp in folder.glob("database-rows-*.tmp"):  # a save cut short
        tmp.unlink(missing_ok=True)
    return gone


def _contact(row: ContactRow) -> list[Any]:
    return [getattr(row, name) for name in _FIELDS]


def _uncontact(values: list[Any], company_id: str, category: str) -> ContactRow:
    got = dict(zip(_FIELDS, values, strict=True))
    touched = got["last_touch"]
    return ContactRow(company_id=company_id, category=category, **{
        **got, "last_touch": datetime.fromisoformat(touched) if touched else None})


def encode_row(summary: Mapping[str, Any], contacts: Mapping[str, tuple[ContactRow, ...]],
               cases: list[dict[str, Any]]) -> dict[str, Any]:
    """One account's row as JSON-ready data: no personal profile features (none are passed)."""
    return {"summary": summary, "cases": cases,
            "contacts": {cat: [_contact(r) for r in rows] for cat, rows in contacts.items()}}


def decode_row(company_id: str, saved: Mapping[str, Any]) -> tuple[
        dict[str, Any], dict[str, tuple[ContactRow, ...]], list[dict[str, Any]]]:
    """``(summary, contacts, cases)`` of :func:`encode_row`'s output."""
    contacts = {cat: tuple(_uncontact(v, company_id, cat) for v in rows)
                for cat, rows in saved["contacts"].items()}
    return dict(saved["summary"]), contacts, list(saved["cases"])


class RowsFile:
    """Where one store's rows, read one way, are saved (see the module docstring)."""

    def __init__(self, folder: Path, *, where: str):
        self.folder = folder
        self.where = where
        self._lock = threading.Lock()
        self._generation = 0  # bumped by forget(): a save under way is dropped

    def path(self, *, rules_digest: str, as_of: object, half_life_days: float) -> Path:
        tag = f"{FORMAT}|{self.where}|{rules_digest}|{as_of}|{half_life_days}"
        return self.folder / f"database-rows-{hashlib.sha256(tag.encode()).hexdigest()[:16]}.json"

    def load(self, path: Path) -> tuple[int, dict[str, Any]] | None:
        """``(changes, rows by company id)`` as saved, or None when absent or unreadable."""
        try:
            saved = orjson.loads(path.read_bytes())
            if saved.get("format") != FORMAT:
                return None
            return int(saved["changes"]), dict(saved["rows"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def generation(self) -> int:
        return self._generation

    def save(self, path: Path, changes: int, rows: Mapping[str, dict[str, Any]],
             generation: int) -> bool:
        """Write ``rows`` (from :func:`encode_row`) unless forgotten since ``generation``."""
        try:
            data = orjson.dumps({"format": FORMAT, "changes": changes, "rows": rows})
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            with self._lock:
                if generation != self._generation:
                    return False  # an erasure came meanwhile: these rows may quote it
                tmp.write_bytes(data)
                for old in path.parent.glob(PATTERN):
                    if old != path:
                        old.unlink(missing_ok=True)
                tmp.replace(path)
            return True
        except OSError:
            log.warning("database readings' rows not saved to %s; they are read again at "
                        "the next start", path, exc_info=True)
            return False

    def forget(self) -> None:
        """Delete every saved file now, and drop any save under way."""
        with self._lock:
            self._generation += 1
            forget(self.folder)
