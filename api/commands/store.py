"""``accountgraph init`` and ``accountgraph counts``: the store itself."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from graph.settings import get_settings
from graph.stores import open_reader, open_store


def _print_counts(counts: dict[str, int], title: str) -> None:
    table = Table(title=title)
    table.add_column("kind")
    table.add_column("count", justify="right")
    for name, n in counts.items():
        table.add_row(name, f"{n:,}")
    Console().print(table)


def init() -> None:
    """Create the store (and its schema) if needed, then show what it holds."""
    settings = get_settings()
    store = open_store(settings)
    try:
        store.ensure_schema()
        _print_counts(store.counts(), f"accountgraph store: {settings.store_location}")
    finally:
        store.close()


def counts() -> None:
    """Show how many nodes and relationships of each kind the store holds."""
    settings = get_settings()
    # Read-only, so this works while `accountgraph serve` holds the store.
    store = open_reader(settings)
    try:
        _print_counts(store.counts(), "accountgraph store")
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("counts")(counts)
