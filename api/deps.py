"""FastAPI dependencies every router may use: the store, the viewer, the context.

Pages (api/pages.py, owned by the visualizer) reuse :func:`page_viewer`, which
also accepts the browser sign-in cookie; the JSON/GraphQL routes use
:func:`require_viewer`, which takes only the Authorization header (a cookie on
a POST would invite cross-site request forgery).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, HTTPException, Request

from api.auth import AuthError, Viewer, authenticate, parse_authorization
from api.cache import AccountCache
from api.privacy import Privacy
from api.schema.context import Context
from graph.store import Store

COOKIE = "accountgraph_token"
#: Sent by our GraphiQL page with the browser's sign-in cookie. A page on another site
#: cannot send a custom header to us without a CORS preflight we never grant, and the
#: cookie is SameSite=strict besides: a POST carrying both comes from our own pages.
SESSION_HEADER = "x-accountgraph-session"

# The GraphQL route's dependencies are async on purpose: FastAPI runs a plain ``def``
# dependency in its thread pool, and four thread hops per request cost more than the
# work here (a token usually comes from TokenCache; a miss is two short store reads).
# page_viewer stays sync: pages.py calls it directly.


async def get_store(request: Request) -> Store:
    return request.app.state.store


async def get_cache(request: Request) -> AccountCache:
    return request.app.state.cache


def request_id(request: Request) -> str:
    return getattr(request.state, "request_id", "-")


def _unauthorized(exc: AuthError) -> HTTPException:
    return HTTPException(status_code=401, detail=str(exc),
                         headers={"WWW-Authenticate": 'Bearer realm="accountgraph"'})


async def require_viewer(request: Request, store: Store = Depends(get_store)) -> Viewer:
    """The signed-in viewer from the Authorization header, or a 401 with the reason.

    Our GraphiQL page may instead use the browser's sign-in cookie, with
    :data:`SESSION_HEADER` set (see there why that is safe).
    """
    header = request.headers.get("authorization")
    cookie = request.cookies.get(COOKIE)
    try:
        if not header and cookie and request.headers.get(SESSION_HEADER):
            viewer = authenticate(store, cookie)
        else:
            viewer = authenticate(store, parse_authorization(header))
    except AuthError as exc:
        raise _unauthorized(exc) from None
    request.state.user_id = viewer.id
    return viewer


def page_viewer(request: Request, store: Store = Depends(get_store)) -> Viewer:
    """Like require_viewer, but a browser may sign in with the cookie instead."""
    header = request.headers.get("authorization")
    token = request.cookies.get(COOKIE)
    try:
        raw = parse_authorization(header) if header or not token else token
        viewer = authenticate(store, raw)
    except AuthError as exc:
        raise _unauthorized(exc) from None
    request.state.user_id = viewer.id
    return viewer


def privacy_for(door: str) -> Callable[..., Privacy]:
    """A dependency giving a Privacy for one door ("map", "brief", "export")."""

    def dep(request: Request, viewer: Viewer = Depends(page_viewer),
            cache: AccountCache = Depends(get_cache)) -> Privacy:
        return Privacy(viewer, cache.team, door=door, request_id=request_id(request))

    return dep


async def graphql_context(request: Request, viewer: Viewer = Depends(require_viewer),
                          store: Store = Depends(get_store),
                          cache: AccountCache = Depends(get_cache)) -> Context:
    return Context(viewer=viewer, store=store, cache=cache, request_id=request_id(request),
                   settings=getattr(request.app.state, "settings", None),
                   database=getattr(request.app.state, "database", None))
