"""The importer's side files (rejects and merge logs), remembered so erasure can reach them.

A rejects file holds rejected rows as read, and a merge log the key a rule
matched on (often an email): both hold personal values. The import command
notes each one it writes in ``<data_dir>/imports/side-files.txt``; erasing a
contact's personal data (:func:`scrub`) rewrites every listed file that still
exists with the erased values replaced by :data:`ERASED`.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable
from pathlib import Path

ERASED = "[erased]"
LIST_NAME = "side-files.txt"


def _list(data_dir: Path) -> Path:
    return data_dir / "imports" / LIST_NAME


def remember(data_dir: Path, path: Path) -> None:
    """Note a side file an import writes (once; absolute, so the working folder may change)."""
    listing = _list(data_dir)
    listing.parent.mkdir(parents=True, exist_ok=True)
    known = set(listing.read_text(encoding="utf-8").splitlines()) if listing.exists() else set()
    entry = str(path.absolute())
    if entry not in known:
        with listing.open("a", encoding="utf-8") as fh:
            fh.write(entry + "\n")


def remembered(data_dir: Path) -> list[Path]:
    listing = _list(data_dir)
    if not listing.exists():
        return []
    return [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]


def scrub(data_dir: Path, values: Iterable[str]) -> list[Path]:
    """Replace every occurrence of ``values`` (case-insensitive) in the remembered files.

    Returns the files that held one. Each is rewritten to a new file and moved
    over the old, so a crash leaves either the old or the scrubbed file whole.
    """
    wanted = sorted({v for v in values if v}, key=len, reverse=True)
    if not wanted:
        return []
    pattern = re.compile("|".join(re.escape(v) for v in wanted), re.IGNORECASE)
    changed = []
    for path in remembered(data_dir):
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        if not any(pattern.search(cell) for row in rows for cell in row):
            continue
        tmp = path.with_name(path.name + ".scrub")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([[pattern.sub(ERASED, c) for c in row] for row in rows])
        os.replace(tmp, path)
        changed.append(path)
    return changed
