"""Reading Outlook ``.msg`` files, with ``extract-msg`` (an optional dependency).

A received ``.msg`` keeps the message's transport headers, which are read as an
``.eml``'s would be; a sent or draft one has none, and its properties (sender,
To, Cc, date, Message-ID, subject) stand in for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from graph.errors import ImportFailed
from seed.capture.headers import WANTED
from seed.capture.interaction import Interaction
from seed.capture.mail import BODY_LINES, to_interaction


def open_msg(path: Path) -> Any:
    """The message object of a ``.msg`` file, or ImportFailed saying what to install or fix."""
    try:
        import extract_msg
    except ImportError:
        raise ImportFailed(f"{path}: reading Outlook .msg files needs extract-msg "
                           "(pip install extract-msg), or export the mail as .eml") from None
    try:
        return extract_msg.openMsg(str(path))
    except Exception as exc:  # the library raises many kinds for a bad file
        raise ImportFailed(f"{path}: not an Outlook message that can be read ({exc}); "
                           "export it again, or as .eml") from None


def read_msg(path: Path, *, want_body: bool = True) -> Iterator[Interaction]:
    msg = open_msg(path)
    try:
        h: dict[str, str] = {}
        header = getattr(msg, "header", None)
        if header is not None:
            for name, value in header.items():
                key = name.lower()
                if key in WANTED and key not in h:
                    h[key] = " ".join(str(value).split())
        for key, attr in (("from", "sender"), ("to", "to"), ("cc", "cc"),
                          ("message-id", "messageId"), ("subject", "subject")):
            if key not in h and getattr(msg, attr, None):
                h[key] = str(getattr(msg, attr))
        when = getattr(msg, "date", None)
        if "date" not in h and when is not None:
            h["date"] = format_datetime(when) if hasattr(when, "tzinfo") else str(when)
        body = None
        if want_body:
            text = getattr(msg, "body", None) or ""
            body = [ln.encode("utf-8") for ln in str(text).splitlines()[:BODY_LINES]]
            h.pop("content-type", None)  # the body property is plain text already
            h.pop("content-transfer-encoding", None)
        yield to_interaction(h, body, str(path), 1)
    finally:
        msg.close()
