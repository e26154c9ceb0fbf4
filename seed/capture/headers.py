"""A message's header block read fast: folded lines joined, encoded words decoded.

Python's ``email`` parser builds a whole message object (body parts included);
capture needs a dozen headers of a million messages, so it reads the header
lines itself and leaves the body alone. Values follow RFC 5322 and RFC 2047:
continuation lines (folded headers) are joined, ``=?utf-8?...?=`` words decoded,
raw 8-bit headers read as UTF-8 (Latin-1 when they are not).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import suppress
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime

from seed.capture.interaction import Address

#: The headers capture reads; every other one is skipped unread.
WANTED = frozenset({
    "message-id", "date", "from", "sender", "to", "cc", "subject", "received",
    "in-reply-to", "references", "list-id", "list-post", "list-unsubscribe",
    "mailing-list", "precedence", "auto-submitted", "x-autoreply", "x-autorespond",
    "x-auto-response-suppress", "return-path", "content-type",
    "content-transfer-encoding",
})


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


_FOLD = re.compile(r"\n[ \t]+")


def parse_headers(lines: Sequence[bytes]) -> dict[str, str]:
    """The wanted headers of a header block (lines without the blank line that ends it).

    The first occurrence of a header wins (the topmost ``Received`` is the last
    hop's). Names are lower case; values unfolded and stripped, not yet decoded.
    The block is decoded and unfolded whole: a call per line cost a third of a run.
    """
    text = _FOLD.sub(" ", _text(b"\n".join(lines)))
    out: dict[str, str] = {}
    for line in text.split("\n"):
        key, sep, value = line.partition(":")
        if sep:
            header = key.strip().lower()
            if header in WANTED and header not in out:
                out[header] = value.strip()
    return out


def decoded(value: str | None) -> str | None:
    """A header value with RFC 2047 encoded words decoded; None when empty."""
    if not value:
        return None
    if "=?" in value:
        # A broken encoded word is left as written: it is still a name or a subject.
        with suppress(ValueError, LookupError, UnicodeError):
            value = str(make_header(decode_header(value)))
    return " ".join(value.split()) or None


# One address of a list, as nearly every client writes it: "Name" <a@b>, Name <a@b>, a@b.
_ADDRESS = re.compile(
    r'\s*(?:"((?:[^"\\]|\\.)*)"\s*|([^,<>"]*?)\s*)<\s*([^<>\s,]+)\s*>\s*(?:,|$)'
    r'|\s*([^\s,<>"]+@[^\s,<>"]+)\s*(?:,|$)'
)


def _split(value: str) -> list[tuple[str, str]] | None:
    """(name, address) of each entry of a plain address list; None for anything else
    (comments, groups, odd quoting), which :func:`email.utils.getaddresses` reads."""
    if "(" in value or ";" in value:
        return None
    out, at = [], 0
    value = value.strip()
    while at < len(value):
        m = _ADDRESS.match(value, at)
        if m is None or m.end() == at:
            return None
        quoted, plain, inside, bare = m.groups()
        if bare is not None:
            out.append(("", bare))
        else:
            name = quoted.replace('\\"', '"') if quoted is not None else (plain or "")
            out.append((name, inside))
        at = m.end()
    return out


def addresses(*values: str | None) -> list[Address]:
    """The people of address headers (``To``, ``Cc``...), names decoded, addresses lower case.

    Groups, empty entries and entries with no ``@`` are left out.
    """
    out = []
    pairs: list[tuple[str, str]] = []
    for v in values:
        if v:
            fast = _split(v)
            pairs += fast if fast is not None else getaddresses([v])
    for name, email in pairs:
        email = email.strip().strip("<>").lower()
        if "@" not in email or email.startswith("@") or email.endswith("@"):
            continue
        out.append(Address(decoded(name) or "", email))
    return out


def header_date(value: str | None) -> datetime | None:
    """A ``Date`` (or the date part of ``Received``) in UTC; None when it cannot be read.

    A time without a zone (``-0000``, or none) is taken to be UTC.
    """
    if not value:
        return None
    try:
        at = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if at is None:
        return None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def received_date(value: str | None) -> datetime | None:
    """The time a server took the message in: what follows the last ``;`` of ``Received``."""
    if not value or ";" not in value:
        return None
    return header_date(value.rsplit(";", 1)[1].strip())


def message_key(value: str | None) -> str | None:
    """A Message-ID without its angle brackets and spaces; None when it has none."""
    if not value:
        return None
    key = value.strip().split()[0] if value.strip() else ""
    key = key.strip("<>").strip()
    return key or None
