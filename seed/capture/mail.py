"""Reading ``.mbox`` and ``.eml`` files: one :class:`Interaction` per message, streamed.

An mbox is read line by line from a byte offset (where an earlier run stopped,
:mod:`seed.capture.ledger`), a message at a time, so a mailbox of any size
takes the memory of one message. Only the header block is parsed; of the body,
a plain-text one's first lines above any quoted reply are kept for the
signature reader and dropped after it.

A message without a Message-ID gets a key derived from its date, sender,
recipients and subject, the same in every mailbox it was saved to. A ``Date``
that cannot be read falls back to the topmost ``Received`` header's time (when
the last server took it in); with neither, the message is rejected.
"""

from __future__ import annotations

import quopri
from collections.abc import Iterator
from pathlib import Path

from seed.capture import headers as hd
from seed.capture.interaction import Interaction
from seed.capture.skips import skip_reason
from seed.imports.normalise import short_hash

#: Body lines kept for the signature reader, at most (above the quoted reply).
BODY_LINES = 40
_QUOTE_STARTS = (b">", b"-----original message-----", b"-------- original message",
                 b"---------- forwarded message", b"begin forwarded message")


def _quoted(line: bytes) -> bool:
    low = line.lstrip().lower()
    if low.startswith(_QUOTE_STARTS):
        return True
    # "On Tue, 4 Mar 2025 at 10:00, Amy <amy@...> wrote:" and its translations end so.
    return low.rstrip().endswith((b"wrote:", b"schrieb:", b"a \xc3\xa9crit :", b"escribi\xc3\xb3:"))


def to_interaction(
    h: dict[str, str], body: list[bytes] | None, file: str, line: int
) -> Interaction:
    """A message's wanted headers (and its kept body lines) as an :class:`Interaction`."""
    senders = hd.addresses(h.get("from")) or hd.addresses(h.get("sender"))
    sender = senders[0] if senders else None
    subject = hd.decoded(h.get("subject"))
    others = hd.addresses(h.get("to"), h.get("cc"))
    at = hd.header_date(h.get("date")) or hd.received_date(h.get("received"))
    key = hd.message_key(h.get("message-id"))
    if key is None:
        # The same in the sender's and the recipient's mailbox: what both copies share.
        key = "no-id-" + short_hash(
            at.isoformat() if at else h.get("date", ""), sender.email if sender else "",
            ",".join(sorted(a.email for a in others)), subject or "",
        )
    it = Interaction("email", key, at, sender, others, subject, file, line)
    it.skip = skip_reason(h, sender.email if sender else None, subject)
    if at is None:
        it.problem = ("Date", f"the date {h.get('date', '')!r} cannot be read and no Received "
                              "header gives one; export the message again with its headers")
    elif sender is None:
        it.problem = ("From", f"no sender address in From {h.get('from', '')!r}")
    if body is not None and it.skip is None and it.problem is None:
        it.signature = _body_text(h, body)
    return it


def _body_text(h: dict[str, str], body: list[bytes]) -> list[str] | None:
    """A plain-text body's kept lines as text; None for HTML, multipart or base64 bodies."""
    ctype = h.get("content-type", "text/plain").lower()
    encoding = h.get("content-transfer-encoding", "").strip().lower()
    if not ctype.startswith("text/plain") or encoding == "base64":
        return None
    raw = b"\n".join(body)
    if encoding == "quoted-printable":
        raw = quopri.decodestring(raw)
    charset = "utf-8"
    if "charset=" in ctype:
        charset = ctype.split("charset=", 1)[1].split(";")[0].strip().strip('"') or "utf-8"
    try:
        text = raw.decode(charset, errors="replace")
    except LookupError:
        text = raw.decode("utf-8", errors="replace")
    return text.splitlines()


def _message(lines: list[bytes], file: str, line: int, want_body: bool) -> Interaction:
    head: list[bytes] = []
    body: list[bytes] | None = [] if want_body else None
    in_head = True
    for raw in lines:
        if in_head:
            if raw.strip() == b"":
                in_head = False
            else:
                head.append(raw)
        elif body is not None:
            if len(body) >= BODY_LINES or _quoted(raw):
                break
            body.append(raw)
    return to_interaction(hd.parse_headers(head), body, file, line)


def read_eml(path: Path, *, want_body: bool = True) -> Iterator[Interaction]:
    """The one message of an ``.eml`` file."""
    data = path.read_bytes()
    yield _message([ln.rstrip(b"\r\n") for ln in data.splitlines()], str(path), 1, want_body)


def read_mbox(
    path: Path, *, start: int = 0, first_line: int = 1, want_body: bool = True,
    stop: list[int] | None = None,
) -> Iterator[Interaction]:
    """Every message of an mbox from byte ``start`` (which begins a message) on.

    ``stop``, when given, follows ``[offset, line]`` where the messages yielded so far
    end, and once the generator is exhausted holds the file's end: where the next
    run starts.
    """
    file = str(path)
    with path.open("rb") as fh:
        fh.seek(start)
        offset, number = start, first_line
        lines: list[bytes] = []
        begins = number
        blank_before = True
        for raw in fh:
            if raw.startswith(b"From ") and blank_before:
                if lines:
                    if stop is not None:
                        stop[:] = [offset, number]
                    yield _message(lines, file, begins, want_body)
                lines = []
                begins = number + 1  # the headers start on the next line
            else:
                stripped = raw.rstrip(b"\r\n")
                # mboxrd quoting of body lines that began "From ".
                if stripped.startswith(b">") and stripped.lstrip(b">").startswith(b"From "):
                    stripped = stripped[1:]
                lines.append(stripped)
            blank_before = raw.strip() == b""
            offset += len(raw)
            number += 1
        if lines:
            yield _message(lines, file, begins, want_body)
    if stop is not None:
        stop[:] = [offset, number]


def starts_a_message(path: Path, offset: int) -> bool:
    """True when byte ``offset`` of an mbox is the start of a ``From`` line (or its end)."""
    with path.open("rb") as fh:
        if offset > 0:
            fh.seek(offset - 1)
            if fh.read(1) != b"\n":
                return False
        head = fh.read(5)
    return head in (b"From ", b"")
