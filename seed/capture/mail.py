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
    if not (line[:1] == b">" or b"--" in line or line.endswith(b":")):
        return False  # most lines: not worth a closer look
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
    if body and it.skip is None and it.problem is None:
        ctype = h.get("content-type", "text/plain").lower()
        encoding = h.get("content-transfer-encoding", "").strip().lower()
        if ctype.startswith("text/plain") and encoding != "base64":
            it.body = (ctype, encoding, body)
    return it


def body_text(it: Interaction) -> list[str] | None:
    """A message's kept body lines as text (the signature reader's input); None without."""
    if it.body is None:
        return None
    ctype, encoding, body = it.body
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
    try:
        end = lines.index(b"")
    except ValueError:
        end = len(lines)
    body: list[bytes] | None = None
    if want_body:
        body = []
        for raw in lines[end + 1:end + 1 + BODY_LINES]:
            if _quoted(raw):
                break
            body.append(raw)
    return to_interaction(hd.parse_headers(lines[:end]), body, file, line)


def read_eml(path: Path, *, want_body: bool = True) -> Iterator[Interaction]:
    """The one message of an ``.eml`` file."""
    data = path.read_bytes()
    yield _message([ln.rstrip(b"\r\n") for ln in data.splitlines()], str(path), 1, want_body)


CHUNK = 8 << 20  # bytes read at a time


def _boundary(buf: bytes, at: int) -> int:
    """Where the next message's ``From `` line starts after ``at`` (-1: not in ``buf``).

    A ``From `` line starts a message only after a blank line (mboxo/mboxrd).
    """
    while True:
        i = buf.find(b"\nFrom ", at)
        if i < 0:
            return -1
        before = buf[max(0, i - 2):i]
        if before.endswith(b"\n") or before == b"\n\r" or i == 0:
            return i + 1
        at = i + 1


def _lines(block: bytes) -> list[bytes]:
    lines = block.split(b"\n")
    if b"\r" in block:
        lines = [ln.rstrip(b"\r") for ln in lines]
    return lines


def read_mbox(
    path: Path, *, start: int = 0, first_line: int = 1, want_body: bool = True,
    stop: list[int] | None = None,
) -> Iterator[Interaction]:
    """Every message of an mbox from byte ``start`` (which begins a message) on.

    Read in chunks of :data:`CHUNK` bytes, split at ``From`` lines by ``bytes.find``
    (a Python loop over lines cost a fifth of a run). ``stop``, when given, follows
    ``[offset, line]`` where the messages yielded so far end, and once the generator
    is exhausted holds the file's end: where the next run starts.
    """
    file = str(path)
    with path.open("rb") as fh:
        fh.seek(start)
        buf, pos, offset, line, eof = b"", 0, start, first_line, False
        while True:
            cut = _boundary(buf, pos + 1)
            while cut < 0 and not eof:
                more = fh.read(CHUNK)
                eof = not more
                buf, pos = buf[pos:] + more, 0  # what is left of the chunk, and the next
                cut = _boundary(buf, 1)
            end = len(buf) if cut < 0 else cut
            if end <= pos:
                break
            block = buf[pos:end]
            lines = _lines(block)
            if lines and lines[0].startswith(b"From "):
                # The envelope line is not a header; the headers start on the next line.
                if lines[-1] == b"":
                    lines.pop()
                if len(lines) > 1:
                    yield _message(lines[1:], file, line + 1, want_body)
            offset += len(block)
            line += block.count(b"\n")
            if stop is not None:
                stop[:] = [offset, line]
            pos = end
            if cut < 0:
                break
    if stop is not None:
        stop[:] = [offset, line]


def starts_a_message(path: Path, offset: int) -> bool:
    """True when byte ``offset`` of an mbox is the start of a ``From`` line (or its end)."""
    with path.open("rb") as fh:
        if offset > 0:
            fh.seek(offset - 1)
            if fh.read(1) != b"\n":
                return False
        head = fh.read(5)
    return head in (b"From ", b"")
