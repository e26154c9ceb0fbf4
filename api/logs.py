"""Structured logs: one JSON object per line, with the request id when there is one.

Everything the server process logs comes out this way: our loggers, uvicorn's
(a client that hangs up mid-request, a bad HTTP request line) and Strawberry's.
A traceback is never printed on its own lines: it travels inside the record, in
``exc``, and only for our own faults (client mistakes are info lines, see
:mod:`api.schema.logged` and :mod:`api.request_ids`).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

_EXTRA = ("request_id", "method", "path", "status", "ms", "user_id", "url", "store", "where",
          "field", "error")
# Other libraries' loggers that write in a server process, kept to our format.
_THEIRS = ("uvicorn", "uvicorn.error", "strawberry")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for k in _EXTRA:
            if hasattr(record, k):
                out[k] = getattr(record, k)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str)


def configure(level: str = "INFO") -> None:
    """Send accountgraph's logs (and the server's libraries') to stderr as JSON lines.

    Idempotent. Our level is ``level``; the libraries' at least WARNING, so their
    chatter stays out while their failures come through, in our format.
    """
    ours = logging.getLogger("accountgraph")
    ours.setLevel(str(level).upper())
    handler = next((h for h in ours.handlers if isinstance(h.formatter, JsonFormatter)), None)
    if handler is None:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        ours.addHandler(handler)
        ours.propagate = False
    for name in _THEIRS:
        theirs = logging.getLogger(name)
        if handler not in theirs.handlers:
            theirs.handlers = [handler]
            theirs.propagate = False
        theirs.setLevel(max(logging.WARNING, ours.level))
