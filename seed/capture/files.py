"""The files a capture run reads: folders expanded, every file checked before any write."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graph.errors import ImportFailed
from seed.capture import ics

MAIL_SUFFIXES = (".mbox", ".mbx", ".eml", ".msg")
SUFFIXES = (*MAIL_SUFFIXES, ".ics")


def expand(paths: Sequence[Path]) -> list[Path]:
    """The files to read: each path, or the mail and calendar files under a folder, sorted."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            out.append(p)
    return out


def check_file(path: Path) -> Any:
    """ImportFailed naming the file and the fix unless it can be read; an .ics's calendars."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportFailed(f"{path}: not a mailbox or calendar file (want one of "
                           f"{', '.join(SUFFIXES)}); export the mail as .mbox or .eml")
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise ImportFailed(f"{path}: the file is empty; export it again")
    if suffix == ".ics":
        return ics.parse(path)
    if suffix == ".msg":
        from seed.capture.outlook import open_msg

        open_msg(path).close()
        return None
    with path.open("rb") as fh:
        head = fh.read(4096).lstrip()
    if suffix in (".mbox", ".mbx") and not head.startswith(b"From "):
        raise ImportFailed(f"{path}: not an mbox (it should start with a 'From ' line); "
                           "export the folder as mbox, or name single messages .eml")
    if suffix == ".eml" and b":" not in head.split(b"\n", 1)[0]:
        raise ImportFailed(f"{path}: not an email message (no header on its first line)")
    return None
