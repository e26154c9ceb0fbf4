"""What every reader yields: one message or meeting, its people and its time.

Nothing here holds a body or an attachment: readers keep the headers they need
and, for a signature, the last lines of a plain-text body, which the run reads
and drops (:mod:`seed.capture.signatures`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple


class Address(NamedTuple):
    """A person as a header names them: display name (may be empty) and address."""

    name: str
    email: str  # lower case, trimmed


@dataclass(slots=True)
class Interaction:
    """One message (``kind`` "email") or meeting ("meeting") as read from a file."""

    kind: str
    key: str  # Message-ID or iCalendar UID (with RECURRENCE-ID): what makes it one
    at: datetime | None  # UTC; None when unreadable (see ``problem``)
    sender: Address | None  # From, or the meeting's ORGANIZER
    others: list[Address] = field(default_factory=list)  # To and Cc, or ATTENDEEs
    subject: str | None = None
    file: str = ""
    line: int = 0  # where it starts in the file (1-based)
    skip: str | None = None  # why it is not an interaction: "mailing list", "auto-reply"...
    problem: tuple[str, str] | None = None  # (field, reason): rejected
    cancelled: bool = False  # a meeting's cancellation
    sequence: int = 0  # a meeting's SEQUENCE: the highest update wins
    stamp: datetime | None = None  # a meeting's DTSTAMP, the tie-break
    # A plain-text body's first lines above any quoted reply, as read (content type,
    # transfer encoding, lines): decoded only for a signature, then dropped.
    body: tuple[str, str, list[bytes]] | None = None

    @property
    def people(self) -> list[Address]:
        """Sender first, then the others, each address once."""
        seen: set[str] = set()
        out: list[Address] = []
        for a in ([self.sender] if self.sender else []) + self.others:
            if a.email not in seen:
                seen.add(a.email)
                out.append(a)
        return out
