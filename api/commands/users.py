"""``accountgraph users`` and ``accountgraph tokens``: who may sign in, and with what.

Listings open the store read-only, so they work while ``serve`` runs; changes go
through :func:`api.commands.admin_door.admin_door` (the store itself, or the
running server's API with ``ACCOUNTGRAPH_ADMIN_TOKEN``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.table import Table

from api.commands.admin_door import admin_door
from graph import model as m
from graph.settings import get_settings
from graph.store import Store

users_app = typer.Typer(help="Create, list and deactivate users.", no_args_is_help=True)
tokens_app = typer.Typer(help="Issue, list and revoke API tokens.", no_args_is_help=True)


@contextmanager
def _reader() -> Iterator[Store]:
    from graph.stores import open_reader

    store = open_reader(get_settings())
    try:
        yield store
    finally:
        store.close()


@users_app.command("create")
def create_user(
    user_id: str = typer.Argument(..., help="Stable id, e.g. u-jane"),
    name: str = typer.Option(..., help="Display name"),
    email: str = typer.Option(None),
    access: m.Access = typer.Option(m.Access.MEMBER, help="admin, analyst or member"),
    role: m.UserRole = typer.Option(m.UserRole.ACCOUNT_MANAGER),
    token: bool = typer.Option(True, help="Also issue a token and print it once"),
) -> None:
    """Create (or update) a user, and print a new token for them."""
    user = m.validate(m.User, {"id": user_id, "name": name, "email": email, "access": access,
                               "role": role})
    with admin_door() as door:
        created = door.create_user(user)
        typer.echo(f"user {user.id} ({user.access}) {'created' if created else 'saved'}")
        if token:
            issued = door.create_token(user.id, "cli", None)
            typer.echo(f"token {issued.id} (shown once): {issued.token}")


@users_app.command("list")
def list_users() -> None:
    """Every user with their access."""
    table = Table("id", "name", "access", "role", "active")
    with _reader() as store:
        after = None
        while True:
            page = store.list("user", after=after, limit=500)
            for u in page.items:
                assert isinstance(u, m.User)
                table.add_row(u.id, u.name, str(u.access), str(u.role), str(u.active))
            if page.next_cursor is None:
                break
            after = page.next_cursor
    Console().print(table)


def _set_active(user_id: str, active: bool) -> None:
    with admin_door() as door:
        user = door.update_user(user_id, active=active)
    state = "active" if user.active else "inactive: their tokens are refused"
    typer.echo(f"user {user.id} is {state}")


@users_app.command("deactivate")
def deactivate(user_id: str) -> None:
    """A user who left: their tokens stop working at once (kept for the audit trail)."""
    _set_active(user_id, False)


@users_app.command("activate")
def activate(user_id: str) -> None:
    """Let a deactivated user sign in again (with tokens not revoked meanwhile)."""
    _set_active(user_id, True)


@tokens_app.command("create")
def create(
    user_id: str,
    name: str = typer.Option(None, help="What the token is for"),
    expires_days: float = typer.Option(None, min=0.001, help="Expire after this many days"),
) -> None:
    """Issue a token; the secret is printed once and stored only hashed."""
    with admin_door() as door:
        issued = door.create_token(user_id, name, expires_days)
    until = f", expires {issued.expires_at:%Y-%m-%d}" if issued.expires_at else ""
    typer.echo(f"token {issued.id} for {user_id}{until} (shown once):\n{issued.token}")


@tokens_app.command("list")
def list_(user_id: str = typer.Option(None, "--user", help="Only this user's")) -> None:
    """Tokens (never their secrets): who, created, expiry, revoked."""
    from api.auth import list_tokens

    table = Table("token", "user", "name", "created", "expires", "revoked")
    with _reader() as store:
        for t in list_tokens(store, user_id):
            table.add_row(t.id, t.user_id, t.name or "", f"{t.created_at:%Y-%m-%d %H:%M}",
                          f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "never",
                          f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "")
    Console().print(table)


@tokens_app.command("revoke")
def revoke(token_id: str) -> None:
    """Revoke a token; a server it went through refuses it from the next request on."""
    with admin_door() as door:
        t = door.revoke_token(token_id)
        where = door.where
    typer.echo(f"token {t.id} of {t.user_id} revoked at {t.revoked_at:%Y-%m-%d %H:%M} UTC "
               f"(through {where})")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
