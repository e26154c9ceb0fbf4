"""Administration over a store: users, tokens, team membership.

One set of operations for every door that changes who may sign in: the GraphQL
admin mutations (:mod:`api.schema.admin`), the admin page, and the CLI when it
holds the store itself (:mod:`api.commands.admin_door`). Each one that takes a
right away (revoke, deactivate, access lowered) drops what this process's token
cache trusts, so the next request is refused at once.
"""

from __future__ import annotations

from datetime import datetime

from api.auth import TOKEN_CACHE, create_token, list_tokens, revoke_token
from graph import model as m
from graph.errors import NotFound, ValidationError
from graph.store import Store

__all__ = [
    "create_token", "create_user", "list_tokens", "revoke_token", "set_team", "update_user",
]


def _write(store: Store, kind: str, node: m.Node) -> None:
    report = store.upsert(kind, [node])
    if report.rejected:
        r = report.rejected[0]
        raise ValidationError(r.reason, field=r.field, item=r.item)


def user_of(store: Store, user_id: str) -> m.User:
    user = store.get("user", user_id)
    if not isinstance(user, m.User):
        raise NotFound("user", user_id)
    return user


def create_user(store: Store, user: m.User, *, replace: bool = False) -> bool:
    """Store a new user (``replace``: or update one); True when it was new."""
    old = store.get("user", user.id)
    if old is not None and not replace:
        raise ValidationError(f"a user with id {user.id!r} exists", field="id", item=user.id)
    _write(store, "user", user)
    if old is not None:
        TOKEN_CACHE.forget(user_id=user.id)
    return old is None


def update_user(store: Store, user_id: str, **changes: object) -> m.User:
    """Change a user's name, email, role, access or active flag (None: unchanged)."""
    old = user_of(store, user_id)
    data = old.model_dump()
    data.update({k: v for k, v in changes.items() if v is not None})
    user = m.validate(m.User, data)
    if user != old:
        _write(store, "user", user)
    # Deactivated or with less access: their next request must see it, not a cached
    # viewer (tokens are trusted for a few seconds without asking the store).
    TOKEN_CACHE.forget(user_id=user.id)
    return user


def set_team(store: Store, company_id: str, user_id: str, *,
             role: m.TeamRole = m.TeamRole.ACCOUNT_MANAGER, remove: bool = False) -> m.Company:
    """Put a user on an account's team with a role (or take them off)."""
    company = store.get("company", company_id)
    if not isinstance(company, m.Company):
        raise NotFound("company", company_id)
    user_of(store, user_id)
    if remove:
        store.unlink("ON_TEAM", [(user_id, company_id)])
        return company
    report = store.link("ON_TEAM", [m.OnTeam(source=user_id, target=company_id, role=role)])
    if report.rejected:
        r = report.rejected[0]
        raise ValidationError(r.reason, field=r.field, item=r.item)
    return company


def token_state(token: m.ApiToken, at: datetime) -> str:
    """active, revoked or expired, as an admin reads a listing."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= at:
        return "expired"
    return "active"
