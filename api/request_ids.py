"""Request ids, the access log line, and the last-resort 500, as plain ASGI middleware.

Plain ASGI rather than ``@app.middleware("http")``: Starlette's BaseHTTPMiddleware
runs the app in a separate task and pipes the response through memory streams,
which cost a noticeable share of a fast request (the account view). It also turned
a client hanging up mid-request into a logged "unhandled error"; here that is
only an info line, since nothing went wrong on our side.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("accountgraph.api")


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers") or ():
        if name == b"x-request-id":
            return value.decode("latin-1")[:64] or uuid.uuid4().hex[:16]
    return uuid.uuid4().hex[:16]


class RequestIds:
    """Give every HTTP request an id (``X-Request-ID`` in and out), log it, mask crashes."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _request_id(scope)
        # request.state reads and writes this dict (deps put the user id here).
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = rid
        started = time.perf_counter()
        status = 500
        sent_start = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, sent_start
            if message["type"] == "http.response.start":
                sent_start = True
                status = message["status"]
                message["headers"] = [*message.get("headers", ()),
                                      (b"x-request-id", rid.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except ClientDisconnect:
            status = 499  # nginx's code for "client closed the request"
            log.info("client went away", extra={"request_id": rid, "path": scope.get("path")})
        except Exception:
            log.exception("unhandled error", extra={"request_id": rid, "path": scope.get("path")})
            if sent_start:
                raise  # too late for a clean 500; the server closes the connection
            body = json.dumps(
                {"detail": f"internal error; it has been logged with request id {rid}"}
            ).encode()
            await send_with_id({"type": "http.response.start", "status": 500, "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode())]})
            await send_with_id({"type": "http.response.body", "body": body})
        if log.isEnabledFor(logging.INFO):
            log.info("request", extra={
                "request_id": rid, "method": scope.get("method"), "path": scope.get("path"),
                "status": status, "ms": round((time.perf_counter() - started) * 1e3, 2),
                "user_id": state.get("user_id")})
