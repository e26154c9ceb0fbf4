"""``accountgraph seed --world SCENARIO``: load a measuring world (seed/worlds) into the store."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from graph.errors import ValidationError
from graph.settings import get_settings
from graph.stores import open_store
from seed.worlds import SCENARIOS, Params, build_world, params_for
from seed.worlds.load import load_into
from seed.worlds.salesforce import write_salesforce

HELP = (f"Load a measuring world with known truth instead of the demo world: "
        f"{', '.join(SCENARIOS)} (comma-separated to combine). See docs/worlds.md.")


def seed_world(
    scenarios: str, *, seed: int, sizes: dict[str, int | None], truth: Path | None,
    salesforce: Path | None, dry_run: bool,
) -> None:
    """Build the world, load it (unless ``dry_run``), write its truth and export if asked."""
    names = [s.strip() for s in scenarios.split(",") if s.strip()]
    given = {k: v for k, v in sizes.items() if v is not None}
    if "accounts" in given:
        # Fewer accounts: the same world in miniature unless told otherwise.
        ratio = given["accounts"] / Params().accounts
        for k in ("contacts", "touchpoints", "opportunities"):
            given.setdefault(k, max(1, round(getattr(Params(), k) * ratio)))
    try:
        world = build_world(names, seed=seed, params=params_for(names, **given))
    except ValidationError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    console = Console()
    started = time.perf_counter()
    stored: dict[str, int] = {}
    rejected: list[Any] = []
    if not dry_run:
        store = open_store(get_settings())
        try:
            rejected = load_into(store, world).rejected
            stored = store.counts()
        finally:
            store.close()
    table = Table(title=f"world {', '.join(names)} (seed {seed}) in "
                        f"{time.perf_counter() - started:.1f}s")
    table.add_column("kind")
    table.add_column("generated", justify="right")
    if stored:
        table.add_column("in store", justify="right")
    for kind, n in world.counts().items():
        table.add_row(kind, f"{n:,}", *([f"{stored.get(kind, 0):,}"] if stored else []))
    console.print(table)
    if truth is not None:
        truth.write_text(json.dumps(world.truth_data(), indent=1))
        console.print(f"truth (roles, outcomes, drivers) written to {truth}")
    if salesforce is not None:
        manifest = write_salesforce(world, salesforce)
        console.print(f"Salesforce export written; import it with "
                      f"`accountgraph import --manifest {manifest}`")
    for kind, r in rejected[:10]:
        typer.secho(f"error: {kind}: {r}", fg=typer.colors.RED, err=True)
    if rejected:
        raise typer.Exit(1)
