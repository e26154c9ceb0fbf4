"""``accountgraph seed``: fill the store with a deterministic demo world."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from api.commands import world_seed
from graph.settings import get_settings
from graph.store import Rejection
from graph.stores import open_store
from seed.generator import PRESETS, Sizes, generate, preset
from seed.load import load_world
from seed.manifest import manifest_data

_TRACKED = ("company", "contact", "touchpoint")


def seed(
    size: Annotated[
        str, typer.Option(help=f"Preset size: {', '.join(PRESETS)}.", show_default=True)
    ] = "demo",
    seed: Annotated[int, typer.Option(help="Same seed, same world.")] = 42,
    companies: Annotated[int | None, typer.Option(help="Override the preset's companies.")] = None,
    contacts: Annotated[int | None, typer.Option(help="Override the preset's contacts.")] = None,
    touchpoints: Annotated[
        int | None, typer.Option(help="Override the preset's touchpoints.")
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(help="Also write which account was built for which scenario, as JSON."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Generate only; write nothing to the store.")
    ] = False,
    world_scenarios: Annotated[
        str | None, typer.Option("--world", help=world_seed.HELP)
    ] = None,
    salesforce: Annotated[
        Path | None,
        typer.Option(help="With --world: also write it as a Salesforce export to this folder."),
    ] = None,
) -> None:
    """Generate a realistic B2B book of business and write it to the store."""
    if world_scenarios is not None:
        # --manifest writes the world's truth: its roles, outcomes and drivers.
        world_seed.seed_world(
            world_scenarios, seed=seed, truth=manifest, salesforce=salesforce, dry_run=dry_run,
            sizes={"accounts": companies, "contacts": contacts, "touchpoints": touchpoints})
        return
    base = preset(size)
    sizes = Sizes(
        companies=base.companies if companies is None else companies,
        contacts=base.contacts if contacts is None else contacts,
        touchpoints=base.touchpoints if touchpoints is None else touchpoints,
    )
    console = Console()
    world = generate(seed, sizes, keep_roles=manifest is not None and sizes.contacts <= 200_000)
    started = time.perf_counter()
    store = None if dry_run else open_store(get_settings())
    try:
        before = store.counts() if store is not None else {}
        with Progress(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            tasks: dict[str, TaskID] = {
                kind: bar.add_task(kind, total=world.planned[kind]) for kind in _TRACKED
            }
            tasks["other"] = bar.add_task("other rows", total=None)

            def advance(kind: str, rows: int) -> None:
                bar.advance(tasks.get(kind, tasks["other"]), rows)

            rejected: list[tuple[str, Rejection]] = []
            if store is None:
                for kind, batch in world:
                    advance(kind, len(batch))
            else:
                rejected = load_world(store, world, advance).rejected
        after = store.counts() if store is not None else {}
    finally:
        if store is not None:
            store.close()
    elapsed = time.perf_counter() - started
    _print(console, world.counts, after, elapsed, was_empty=not any(before.values()))
    if manifest is not None:
        manifest.write_text(json.dumps(manifest_data(world), indent=1, default=str))
        console.print(f"manifest written to {manifest}")
    problems = [f"{kind}: {r}" for kind, r in rejected[:10]]
    if store is not None and not any(before.values()):
        problems += [
            f"{k}: generated {n:,}, store holds {after.get(k, 0):,}"
            for k, n in world.counts.items()
            if after.get(k, 0) != n
        ]
    if problems:
        for line in problems:
            typer.secho(f"error: {line}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)


def _print(
    console: Console, generated: dict[str, int], stored: dict[str, int], seconds: float,
    *, was_empty: bool,
) -> None:
    table = Table(title=f"seeded in {seconds:.1f}s")
    table.add_column("kind")
    table.add_column("generated", justify="right")
    if stored:
        table.add_column("in store", justify="right")
    for kind, n in generated.items():
        row = [kind, f"{n:,}"] + ([f"{stored.get(kind, 0):,}"] if stored else [])
        table.add_row(*row)
    console.print(table)
    if stored and not was_empty:
        console.print("the store held data before this run: its totals include that data")


def register(app: typer.Typer) -> None:
    app.command("seed")(seed)
