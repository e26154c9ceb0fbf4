"""``accountgraph users`` and ``accountgraph tokens``: who may sign in, and with what."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.table import Table

from graph import model as m
from graph.errors import ValidationError
from graph.settings import get_settings
from graph.store import Store

users_app = typer.Typer(help="Create and list users.", no_args_is_help=True)
tokens_app = typer.Typer(help="Issue, list and revoke API tokens.", no_args_is_help=True)


@contextmanager
def _store() -> Iterator[Store]:
    from graph.stores import open_store

    store = open_store(get_settings())
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
    from api.auth import create_token

    user = m.validate(m.User, {"id": user_id, "name": name, "email": email, "access": access,
                               "role": role})
    with _store() as store:
        report = store.upsert("user", [user])
        if report.rejected:
            r = report.rejected[0]
            raise ValidationError(str(r), field=r.field)
        typer.echo(f"user {user.id} ({user.access}) {'created' if report.created else 'saved'}")
        if token:
            plain, record = create_token(store, user.id, name="cli")
            typer.echo(f"token {record.id} (shown once): {plain}")


@users_app.command("list")
def list_users() -> None:
    """Every user with their access."""
    table = Table("id", "name", "access", "role", "active")
    with _store() as store:
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


@tokens_app.command("create")
def create(
    user_id: str,
    name: str = typer.Option(None, help="What the token is for"),
    expires_days: float = typer.Option(None, help="Expire after this many days"),
) -> None:
    """Issue a token; the secret is printed once and stored only hashed."""
    from api.auth import create_token

    with _store() as store:
        plain, record = create_token(store, user_id, name=name, expires_in_days=expires_days)
    until = f", expires {record.expires_at:%Y-%m-%d}" if record.expires_at else ""
    typer.echo(f"token {record.id} for {user_id}{until} (shown once):\n{plain}")


@tokens_app.command("list")
def list_(user_id: str = typer.Option(None, "--user", help="Only this user's")) -> None:
    """Tokens (never their secrets): who, created, expiry, revoked."""
    from api.auth import list_tokens

    table = Table("token", "user", "name", "created", "expires", "revoked")
    with _store() as store:
        for t in list_tokens(store, user_id):
            table.add_row(t.id, t.user_id, t.name or "", f"{t.created_at:%Y-%m-%d %H:%M}",
                          f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "never",
                          f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "")
    Console().print(table)


@tokens_app.command("revoke")
def revoke(token_id: str) -> None:
    """Revoke a token (a running server notices within 10 seconds)."""
    from api.auth import revoke_token

    with _store() as store:
        t = revoke_token(store, token_id)
    typer.echo(f"token {t.id} of {t.user_id} revoked at {t.revoked_at:%Y-%m-%d %H:%M} UTC")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
