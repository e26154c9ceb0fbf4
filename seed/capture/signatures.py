"""A title or a phone from the sender's signature, read conservatively.

Only the lines of a plain-text body above any quoted reply are looked at (the
reader keeps no more), and only the few after the standard ``-- `` delimiter or
after a line that is the sender's own name. A line is a title when it is short,
holds a word titles hold (Director, VP, Manager...) and no address, link or
digits; a phone when a label (Tel, Phone, Mobile, M:) or the line itself is
nothing but a number of 7 to 15 digits. Anything else is left alone: a wrong
title is worse than none. The run fills only a contact's empty fields, and adds
``capture`` to their sources to say where it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from seed.imports.normalise import normalise_name

_TITLE_WORDS = re.compile(
    r"\b(ceo|cfo|cto|coo|cio|ciso|cmo|cro|vp|svp|evp|vice president|president|director|head of|"
    r"manager|engineer|officer|chief|lead|analyst|controller|buyer|specialist|consultant|"
    r"architect|founder|partner|counsel|administrator|coordinator|accountant|treasurer|"
    r"geschäftsführer|leiter|leiterin|directeur|directrice|responsable)\b",
    re.IGNORECASE,
)
_PHONE_LABEL = re.compile(r"^\s*(tel|tel\.|phone|mobile|mob|cell|direct|office|t|m|p|d)\s*[:.]\s*",
                          re.IGNORECASE)
_PHONE = re.compile(r"^\+?[\d\s().\-/]{7,25}$")
_MAX_LINES = 6  # of a signature block


@dataclass(frozen=True)
class Signature:
    title: str | None = None
    phone: str | None = None


def _phone(line: str) -> str | None:
    text = _PHONE_LABEL.sub("", line, count=1).strip()
    if not _PHONE.match(text):
        return None
    digits = sum(c.isdigit() for c in text)
    return " ".join(text.split()) if 7 <= digits <= 15 else None


def _title(line: str) -> str | None:
    for part in re.split(r"\s+[|•·]\s+|\s+-\s+|,\s+", line):
        part = part.strip()
        if (3 <= len(part) <= 60 and _TITLE_WORDS.search(part) and "@" not in part
                and "http" not in part.lower() and not any(c.isdigit() for c in part)):
            return part
    return None


def _block(lines: list[str], name: str) -> list[str]:
    """The signature block's lines: after ``-- ``, else after the sender's name line."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].rstrip() == "--":
            return lines[i + 1:i + 1 + _MAX_LINES]
    folded = normalise_name(name)
    if not folded:
        return []
    for i in range(len(lines) - 1, -1, -1):
        if normalise_name(lines[i].strip()) == folded:
            return lines[i + 1:i + 1 + _MAX_LINES]
    return []


def read_signature(lines: list[str] | None, name: str) -> Signature:
    """The title and phone a body's signature gives for a sender called ``name``."""
    if not lines:
        return Signature()
    title = phone = None
    for line in _block(lines, name):
        if not line.strip():
            if title or phone:
                break  # the block ended
            continue
        phone = phone or _phone(line)
        if title is None and not _phone(line):
            title = _title(line)
    return Signature(title, phone)
