"""``accountgraph export``: an account as GraphML/JSON, or its contacts as CSV."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import typer

from graph.errors import NotFound
from graph.settings import get_settings
from graph.store import Store


class Format(StrEnum):
    GRAPHML = "graphml"
    JSON = "json"
    CSV = "csv"


def export_as(store: Store, account: str, as_user: str, fmt: str) -> Iterator[str]:
    """An export as ``as_user`` may see it (personal reads audited, door ``cli-export``)."""
    from api.auth import Viewer
    from api.cache import AccountCache
    from api.exports import export_account
    from api.privacy import Privacy
    from graph.model import User

    user = store.get("user", as_user)
    if not isinstance(user, User):
        raise NotFound("user", as_user)
    cache = AccountCache(store)
    privacy = Privacy(Viewer(user, None), cache.team, door="cli-export")
    return export_account(store, cache, privacy, account, fmt)


def export(
    account: str = typer.Argument(..., help="Company id"),
    format: Format = typer.Option(Format.JSON, "--format", "-f"),
    as_user: str = typer.Option(..., "--as", help="Export as this user: their privacy rules "
                                "apply and personal reads are audited under their name"),
    output: Path = typer.Option(None, "-o", help="File to write (default: stdout)"),
) -> None:
    """Export one account with the same privacy rules as the API."""
    from graph.stores import open_store

    store = open_store(get_settings())
    try:
        chunks = export_as(store, account, as_user, format.value)
        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            for chunk in chunks:
                out.write(chunk)
        finally:
            if output:
                out.close()
    finally:
        store.close()
    if output:
        typer.echo(f"wrote {output}", err=True)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
