"""HTML pages: the home page, account maps, onboarding briefs, and browser sign-in.

Routes (all signed in except the sign-in form)::

    GET  /                       the viewer's accounts: status, breadth, last touchpoint
    GET  /accounts/{id}/map      the account map; ?to=CONTACT_ID highlights warm paths
    GET  /accounts/{id}/brief    the onboarding brief with the map embedded
    GET  /signin, POST /signin   paste a token; it is kept in an HttpOnly cookie
    POST /signout                forget the cookie

A browser with no token is sent to the sign-in form; an API client with a bad
``Authorization`` header gets the usual 401. Personal values reach a page only
where the rule (:mod:`graph.privacy`, through :class:`api.privacy.Privacy`) lets
the viewer see that contact's personal data, decided per contact by the
contact's current account, and every one shown is audited (door ``map`` or
``brief``) before the page is returned.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any
from urllib.parse import parse_qs, quote

import networkx as nx
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auth import AuthError, Viewer, authenticate
from api.cache import AccountCache
from api.deps import COOKIE, get_cache, get_store, page_viewer, request_id
from api.privacy import Privacy
from graph.neighbourhood import key
from graph.readings.facts import as_datetime as as_of_datetime
from graph.store import Store
from visualizer.brief import build_brief
from visualizer.brief_render import to_html
from visualizer.inputs import AccountReadings
from visualizer.inputs import Viewer as PageViewer
from visualizer.map import map_data, render_map
from visualizer.readings_adapter import from_raw, paths_to
from visualizer.render import PAGE, render

router = APIRouter(include_in_schema=False)

# Our readings of an account, keyed on the API cache's readings object (by identity:
# it is not hashable): when the cache drops or recomputes an account, ours go with it.
_ours: dict[int, tuple[weakref.ref[Any], AccountReadings]] = {}
_ours_lock = threading.Lock()


def _forget(obj_id: int) -> None:
    with _ours_lock:
        _ours.pop(obj_id, None)


class SignInNeeded(Exception):
    """A browser without a usable token: send it to the sign-in form."""


def signed_in(request: Request, store: Store = Depends(get_store)) -> Viewer:
    """The signed-in viewer; a browser without a token goes to /signin instead of a 401."""
    if not request.headers.get("authorization") and not request.cookies.get(COOKIE):
        raise _to_signin(request)
    try:
        return page_viewer(request, store)
    except HTTPException:
        if request.headers.get("authorization"):
            raise
        raise _to_signin(request, "your sign-in has expired or was revoked") from None


def _to_signin(request: Request, reason: str = "") -> HTTPException:
    target = f"/signin?next={quote(request.url.path)}" + (
        f"&reason={quote(reason)}" if reason else ""
    )
    return HTTPException(status_code=303, headers={"Location": target})


def _readings(cache: AccountCache, company_id: str, G: nx.MultiDiGraph) -> AccountReadings:
    api_readings = cache.readings(company_id)
    with _ours_lock:
        hit = _ours.get(id(api_readings))
    if hit is not None and hit[0]() is api_readings:
        return hit[1]
    raw = getattr(api_readings, "raw", None)
    if raw is None:
        # The readings could not be computed: draw the account unclassified.
        return AccountReadings(status="unknown", status_reasons=tuple(api_readings.missing))
    ours = from_raw(G, raw, **_options(cache))
    ref = weakref.ref(api_readings, lambda _, i=id(api_readings): _forget(i))  # type: ignore[misc]
    with _ours_lock:
        _ours[id(api_readings)] = (ref, ours)
    return ours


def _options(cache: AccountCache) -> dict[str, Any]:
    opts = cache.readings_options
    return {k: opts[k] for k in ("rules", "half_life_days") if k in opts}


def page_context(request: Request) -> dict[str, Any]:
    """What every page shows besides its own content: the date the readings are as of,
    when the server reads a fixed day (Settings.as_of) rather than today."""
    settings = getattr(request.app.state, "settings", None)
    return {"reading_date": getattr(settings, "as_of", None)}


def _page_viewer(viewer: Viewer, privacy: Privacy) -> PageViewer:
    return PageViewer(name=viewer.user.name, rule=privacy.rule, user_key=key("user", viewer.id))


def _audit(privacy: Privacy, store: Store, reads: list[tuple[str, str]]) -> None:
    privacy.record_reads(reads)
    privacy.flush(store)


def _links(company_id: str, here: str) -> list[tuple[str, str]]:
    links = [("Home", "/"), ("Map", f"/accounts/{quote(company_id)}/map"),
             ("Brief", f"/accounts/{quote(company_id)}/brief")]  # fmt: skip
    return [(label, href) for label, href in links if label != here]


def _reach_href(company_id: str, contact_id: str) -> str:
    """The warm-path view: from our people to one contact of an account."""
    return f"/accounts/{quote(company_id)}/map?to={quote(contact_id)}"


@router.get("/accounts/{company_id}/map", response_class=HTMLResponse)
def account_map(
    request: Request,
    company_id: str,
    to: str | None = None,
    viewer: Viewer = Depends(signed_in),
    store: Store = Depends(get_store),
    cache: AccountCache = Depends(get_cache),
) -> HTMLResponse:
    PAGE.set(page_context(request))
    G = cache.graph(company_id)
    readings = _readings(cache, company_id, G)
    privacy = Privacy(viewer, cache.team, door="map", request_id=request_id(request))
    target = key("contact", to) if to else None
    as_of = cache.readings_options.get("as_of")
    paths = paths_to(G, target, as_of=as_of, **_options(cache)) if target else []
    data = map_data(G, readings, _page_viewer(viewer, privacy), paths=paths,
                    target=target)  # fmt: skip
    _audit(privacy, store, data.personal_reads)
    return HTMLResponse(render_map(data, links=_links(company_id, "Map"),
                                   viewer_name=viewer.user.name))  # fmt: skip


@router.get("/accounts/{company_id}/brief", response_class=HTMLResponse)
def account_brief(
    request: Request,
    company_id: str,
    viewer: Viewer = Depends(signed_in),
    store: Store = Depends(get_store),
    cache: AccountCache = Depends(get_cache),
) -> HTMLResponse:
    PAGE.set(page_context(request))
    G = cache.graph(company_id)
    readings = _readings(cache, company_id, G)
    privacy = Privacy(viewer, cache.team, door="brief", request_id=request_id(request))
    pv = _page_viewer(viewer, privacy)
    as_of = cache.readings_options.get("as_of")
    brief = build_brief(G, readings, pv, as_of=as_of_datetime(as_of) if as_of else None)
    data = map_data(G, readings, pv)
    _audit(privacy, store, sorted({*brief.personal_reads, *data.personal_reads}))
    return HTMLResponse(to_html(brief, data, links=_links(company_id, "Brief"),
                                viewer_name=viewer.user.name,
                                account_href=lambda c: f"/accounts/{quote(c)}/brief",
                                reach_href=_reach_href))  # fmt: skip


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, next: str = "/", reason: str = "") -> HTMLResponse:
    return HTMLResponse(render("signin.html", next=_safe_next(next), reason=reason,
                               **page_context(request)))


@router.post("/signin")
async def signin(request: Request, store: Store = Depends(get_store)) -> Response:
    # Parsed by hand: a one-field form does not need python-multipart.
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    token = pasted_token((form.get("token") or [""])[0])
    target = _safe_next((form.get("next") or ["/"])[0])
    try:
        authenticate(store, token)
    except AuthError as exc:
        return HTMLResponse(render("signin.html", next=target, reason=str(exc),
                                   **page_context(request)), status_code=401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")  # fmt: skip
    return response


@router.post("/signout")
def signout() -> Response:
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def pasted_token(text: str) -> str:
    """The token in what a person pasted: the token itself, or the line the CLI prints
    (``Authorization: Bearer ag_...``) or part of it (``Bearer ag_...``)."""
    token = text.strip()
    for prefix in ("authorization:", "bearer "):
        if token.casefold().startswith(prefix):
            token = token[len(prefix):].strip()
    return token


def _safe_next(target: str) -> str:
    """Only our own paths: a sign-in link must not bounce the user to another site."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
