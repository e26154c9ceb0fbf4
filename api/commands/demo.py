"""``accountgraph demo``: seed the demo world if empty, make demo users, print tokens, serve."""

from __future__ import annotations

import typer

from graph.settings import get_settings


def demo(
    size: str = typer.Option("demo", help="Demo world size: small, demo or large"),
    serve: bool = typer.Option(True, help="Start the server after setting up"),
    port: int = typer.Option(None, min=1, max=65535,
                             help="Port (default ACCOUNTGRAPH_API_PORT, 8000)"),
) -> None:
    """Set up a demo store and serve it: one token per role to try both views."""
    from api.commands.serve import run
    from api.demo import make_demo_users, seed_if_empty, world_date
    from graph.stores import open_store

    settings = get_settings()
    if settings.as_of is None:
        # The world is made as of a fixed day: read it as of that day, not today.
        settings.as_of = world_date()
    store = open_store(settings)
    try:
        typer.echo(seed_if_empty(store, size=size))
        logins = make_demo_users(store, keep=settings.data_dir / "demo-tokens.json")
        base = f"http://{settings.api_host}:{port or settings.api_port}"
        typer.echo(f"\nExplorer: {base}/  (paste a token, or its whole line, to sign in)")
        typer.echo(f"GraphiQL: {base}/graphql  (uses the browser's sign-in)")
        if settings.as_of:
            typer.echo(f"Readings as of {settings.as_of.isoformat()}, the demo world's date")
        typer.echo("")
        for login in logins:
            typer.echo(f"  {login.user.access:<8} {login.user.id:<14} {login.note}")
            typer.echo(f"           Authorization: Bearer {login.token}\n")
        admin = next((x for x in logins if x.user.access == "admin"), None)
        if admin is not None:
            # The server holds the store: the CLI's user and token changes go through it.
            typer.echo("Manage users, tokens and teams while it runs: /admin in the browser, "
                       f"or in another shell\n  export ACCOUNTGRAPH_ADMIN_TOKEN={admin.token}\n"
                       f"  accountgraph tokens list   # and users, tokens, teams (store: "
                       f"{settings.store_location})\n")
        if serve:
            run(port=port, store=store)
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
