"""The admin page: users, tokens and team membership in a browser, while the server runs.

Routes (admins only; others get 403)::

    GET  /admin                              users and tokens, with their actions
    POST /admin/users/{id}/deactivate|activate
    POST /admin/tokens                        issue a token for user_id (shown once)
    POST /admin/tokens/{id}/revoke
    POST /admin/teams                         account_id, user_id, role[, remove]

The page signs in like the others (the HttpOnly, SameSite=strict cookie). Each
form also carries a value derived from that cookie's token, and a POST whose
``Origin`` is another site's is refused: a page elsewhere cannot make an admin's
browser revoke or issue anything. The operations are :mod:`api.admin`'s, the
same as GraphQL's.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from api import admin
from api.auth import Viewer, now
from api.cache import AccountCache
from api.deps import COOKIE, get_cache, get_store, page_viewer
from graph import model as m
from graph.errors import AccountGraphError, ValidationError
from graph.store import Store
from visualizer.render import render

router = APIRouter(include_in_schema=False)


def _admin_viewer(request: Request, store: Store = Depends(get_store)) -> Viewer:
    viewer = page_viewer(request, store)
    if not viewer.is_admin:
        raise HTTPException(status_code=403, detail="only admins may open the admin page")
    return viewer


def _csrf(request: Request) -> str:
    """A value only a page this browser was given can know (from its sign-in token)."""
    secret = request.cookies.get(COOKIE) or request.headers.get("authorization") or ""
    return hashlib.sha256(f"accountgraph-admin-form:{secret}".encode()).hexdigest()[:32]


async def _form(request: Request) -> dict[str, str]:
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.url.netloc:
        raise HTTPException(status_code=403, detail="a form from another site")
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8",
                                                                         "replace")).items()}
    if not hmac.compare_digest(form.get("csrf", ""), _csrf(request)):
        raise HTTPException(status_code=403, detail="the form is stale: open /admin again")
    return form


def _page(request: Request, viewer: Viewer, store: Store, notice: str = "", *,
          bad: bool = False, issued: dict[str, str] | None = None,
          status: int = 200) -> HTMLResponse:
    users: list[m.User] = []
    after = None
    while True:
        page = store.list("user", after=after, limit=500)
        users += [u for u in page.items if isinstance(u, m.User)]
        if page.next_cursor is None:
            break
        after = page.next_cursor
    at = now()
    tokens = [{"id": t.id, "user_id": t.user_id, "name": t.name,
               "created": f"{t.created_at:%Y-%m-%d %H:%M}",
               "expires": f"{t.expires_at:%Y-%m-%d}" if t.expires_at else None,
               "state": admin.token_state(t, at)} for t in admin.list_tokens(store)]
    return HTMLResponse(render(
        "admin.html", viewer=viewer.user, users=sorted(users, key=lambda u: u.id),
        tokens=tokens, roles=[str(r) for r in m.TeamRole], csrf=_csrf(request),
        notice=notice, bad=bad, issued=issued), status_code=status)


def _done(request: Request, viewer: Viewer, store: Store, action: Any) -> HTMLResponse:
    """Run an admin operation and show the page with what it did (or why not)."""
    try:
        notice, issued = action()
    except AccountGraphError as exc:
        return _page(request, viewer, store, str(exc), bad=True, status=422)
    return _page(request, viewer, store, notice, issued=issued)


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, viewer: Viewer = Depends(_admin_viewer),
               store: Store = Depends(get_store)) -> HTMLResponse:
    return _page(request, viewer, store)


@router.post("/admin/users/{user_id}/{action}", response_class=HTMLResponse)
async def set_active(request: Request, user_id: str, action: str,
                     viewer: Viewer = Depends(_admin_viewer),
                     store: Store = Depends(get_store)) -> HTMLResponse:
    await _form(request)
    if action not in ("activate", "deactivate") or user_id == viewer.id:
        raise HTTPException(status_code=404, detail="no such action")

    def run() -> tuple[str, None]:
        user = admin.update_user(store, user_id, active=action == "activate")
        return f"user {user.id} is {'active' if user.active else 'inactive'}", None

    return _done(request, viewer, store, run)


@router.post("/admin/tokens", response_class=HTMLResponse)
async def issue(request: Request, viewer: Viewer = Depends(_admin_viewer),
                store: Store = Depends(get_store)) -> HTMLResponse:
    form = await _form(request)

    def run() -> tuple[str, dict[str, str]]:
        plain, record = admin.create_token(store, form.get("user_id", ""), name="admin page")
        return f"token {record.id} issued", {"user_id": record.user_id, "token": plain}

    return _done(request, viewer, store, run)


@router.post("/admin/tokens/{token_id}/revoke", response_class=HTMLResponse)
async def revoke(request: Request, token_id: str, viewer: Viewer = Depends(_admin_viewer),
                 store: Store = Depends(get_store)) -> HTMLResponse:
    await _form(request)

    def run() -> tuple[str, None]:
        token = admin.revoke_token(store, token_id)
        return f"token {token.id} of {token.user_id} revoked", None

    return _done(request, viewer, store, run)


@router.post("/admin/teams", response_class=HTMLResponse)
async def team(request: Request, viewer: Viewer = Depends(_admin_viewer),
               store: Store = Depends(get_store),
               cache: AccountCache = Depends(get_cache)) -> HTMLResponse:
    form = await _form(request)

    def run() -> tuple[str, None]:
        try:
            role = m.TeamRole(form.get("role") or m.TeamRole.ACCOUNT_MANAGER)
        except ValueError:
            raise ValidationError(f"unknown role {form.get('role')!r}", field="role") from None
        company, user = form.get("account_id", ""), form.get("user_id", "")
        remove = form.get("remove") == "1"
        admin.set_team(store, company, user, role=role, remove=remove)
        cache.invalidate(company)  # the team decides who sees its contacts' personal data
        return (f"{user} is off the team of {company}" if remove
                else f"{user} is on the team of {company} as {role}"), None

    return _done(request, viewer, store, run)
