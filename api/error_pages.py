"""Errors as a person in a browser should see them, and the site's icon.

An API client (GraphQL, ``curl``, a script) gets JSON errors as before:
``{"detail": "..."}``. A browser (its ``Accept`` header asks for ``text/html``) gets
an HTML page that says what went wrong in words, with a way back: to the page it
came from when that was ours, and home. Framework validation errors (a bad query
parameter) name the parameter, what it got and what it takes. Nothing internal is
shown: an unexpected error says only its request id, which the log has too.
"""

from __future__ import annotations

import logging
import struct
import zlib
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import AccountGraphError, NotFound, PermissionDenied, StoreUnavailable
from graph.errors import ValidationError as OurValidationError
from visualizer.render import render

log = logging.getLogger("accountgraph.api")

_STATUS: list[tuple[type[Exception], int]] = [
    (NotFound, 404), (PermissionDenied, 403), (OurValidationError, 422), (StoreUnavailable, 503),
]
TITLES = {400: "Bad request", 401: "Not signed in", 403: "Not allowed", 404: "Not found",
          405: "Not allowed here", 422: "Not understood", 500: "Something went wrong",
          503: "The database is not answering"}

def _icon_png(size: int = 32) -> bytes:
    """The site's icon: three linked nodes on a dark square, drawn as a PNG here
    (no image file to ship, nothing fetched). Browsers ask for /favicon.ico on
    their own and read a PNG there as well as an ICO."""
    nodes = [((9, 10), 4.5, (230, 159, 0)), ((22, 9), 4.0, (86, 180, 233)),
             ((15, 23), 4.5, (0, 158, 115))]
    raw = bytearray()
    for y in range(size):
        raw.append(0)  # no filter
        for x in range(size):
            colour = (31, 42, 68)
            for (cx, cy), r, c in nodes:
                if (x - cx) ** 2 + (y - cy) ** 2 <= r * r:
                    colour = c
            raw += bytes(colour)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b""))


FAVICON = _icon_png()


def wants_html(request: Request) -> bool:
    """A browser navigating, not an API client: it asks for HTML first."""
    return "text/html" in request.headers.get("accept", "")


def _back(request: Request) -> str | None:
    """Where the browser came from, when that was a page of ours (never another site)."""
    referer = request.headers.get("referer")
    if not referer:
        return None
    parts = urlsplit(referer)
    if parts.netloc != request.url.netloc or parts.path == request.url.path:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def error_page(request: Request, status: int, message: str,
               headers: dict[str, str] | None = None) -> Response:
    """The error as HTML for a browser, as ``{"detail": message}`` for anyone else."""
    if not wants_html(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    settings = getattr(request.app.state, "settings", None)
    html = render("error.html", status=status, title=TITLES.get(status, "Error"),
                  message=message, back=_back(request), path=request.url.path,
                  reading_date=getattr(settings, "as_of", None))  # fmt: skip
    return HTMLResponse(html, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    lines = []
    for e in exc.errors():
        loc = [str(p) for p in e.get("loc", ())]
        where = f"{loc[0]} parameter {'.'.join(loc[1:])!r}" if len(loc) > 1 else "the request"
        got = f" (got {e['input']!r})" if e.get("input") is not None else ""
        lines.append(f"{where}: {e.get('msg', 'not valid')}{got}")
    return "; ".join(lines) or "the request is not valid"


def install(app: FastAPI) -> None:
    """Our error handlers and the icon, on ``app``."""

    @app.exception_handler(AccountGraphError)
    async def our_errors(request: Request, exc: AccountGraphError) -> Response:
        status = next((code for cls, code in _STATUS if isinstance(exc, cls)), 500)
        rid = getattr(request.state, "request_id", "-")
        if status == 500:
            log.error("error", exc_info=exc, extra={"request_id": rid})
            return error_page(request, 500, f"internal error (request id {rid})")
        return error_page(request, status, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_errors(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code < 400:  # a redirect (to the sign-in form): nothing to show
            return Response(status_code=exc.status_code, headers=headers)
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"there is no page at {request.url.path}"
        return error_page(request, exc.status_code, message, headers or None)

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError) -> Response:
        if not wants_html(request):  # API clients keep FastAPI's detailed list
            return await request_validation_exception_handler(request, exc)
        return error_page(request, 422, _validation_message(exc))

    def icon() -> Response:
        return Response(FAVICON, media_type="image/png",
                        headers={"Cache-Control": "public, max-age=86400"})

    app.add_api_route("/favicon.ico", icon, include_in_schema=False)

