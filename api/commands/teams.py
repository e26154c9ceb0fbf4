"""``accountgraph teams``: who is on an account's team (and so sees its personal data)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from api.commands.admin_door import admin_door
from graph import model as m
from graph.errors import NotFound
from graph.settings import get_settings

teams_app = typer.Typer(help="Put users on account teams, take them off, list a team.",
                        no_args_is_help=True)


@teams_app.command("add")
def add(
    account: str = typer.Argument(..., help="Company id"),
    user_id: str = typer.Argument(..., help="User id"),
    role: m.TeamRole = typer.Option(m.TeamRole.ACCOUNT_MANAGER, help="Their role on the team"),
) -> None:
    """Put a user on an account's team (with a role; again to change the role)."""
    with admin_door() as door:
        door.set_team(account, user_id, role, remove=False)
    typer.echo(f"{user_id} is on the team of {account} as {role}")


@teams_app.command("remove")
def remove(account: str, user_id: str) -> None:
    """Take a user off an account's team (its owner stays its owner: see handOver)."""
    with admin_door() as door:
        door.set_team(account, user_id, m.TeamRole.ACCOUNT_MANAGER, remove=True)
    typer.echo(f"{user_id} is off the team of {account}")


@teams_app.command("list")
def list_team(account: str) -> None:
    """An account's team: who, and in which role (read-only: works while serve runs)."""
    from graph.stores import open_reader

    table = Table("user", "name", "role", "active")
    store = open_reader(get_settings())
    try:
        if not isinstance(store.get("company", account), m.Company):
            raise NotFound("company", account)
        for rel in sorted(store.relationships("ON_TEAM", target=account), key=lambda r: r.source):
            user = store.get("user", rel.source)
            name, active = (user.name, str(user.active)) if isinstance(user, m.User) else ("?", "")
            table.add_row(rel.source, name, str(getattr(rel, "role", "")), active)
    finally:
        store.close()
    Console().print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(teams_app, name="teams")
