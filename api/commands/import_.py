"""``accountgraph import``: pour CRM exports from every silo into the store.

Two ways to say what to import::

    accountgraph import Contact.csv --kind contacts --silo sales --mapping salesforce
    accountgraph import --manifest exports/import.toml

A manifest lists many files, each with its kind, silo and mapping (see
docs/import.md). Exit code 0: everything imported; 1: some rows were rejected
(see the rejects file); 2: a file could not be read at all (one error line).
"""

from __future__ import annotations

import csv
import os
import tomllib
from pathlib import Path
from typing import IO, Any

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

from graph.errors import ImportFailed
from graph.model import Silo
from graph.settings import get_settings
from graph.stores import open_store
from seed.imports import side_files
from seed.imports.batches import Merge
from seed.imports.mapping import FILE_KINDS, load_mapping
from seed.imports.rejects import RejectsWriter
from seed.imports.runner import FileSpec, Importer, ImportSummary

DEFAULT_REJECTS = Path("import-rejects.csv")

KINDS_HELP = ", ".join(FILE_KINDS)
SILOS_HELP = ", ".join(s.value for s in Silo)


def _silo(value: str | None, where: str) -> Silo | None:
    if value is None:
        return None
    try:
        return Silo(value)
    except ValueError:
        raise ImportFailed(f"{where}: unknown silo {value!r}; one of {SILOS_HELP}") from None


def read_manifest(path: Path) -> list[FileSpec]:
    """The files a manifest lists; paths are relative to the manifest."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"manifest {path}: cannot be read: {exc}") from None
    entries = data.get("files")
    if not isinstance(entries, list) or not entries:
        raise ImportFailed(f"manifest {path}: needs [[files]] entries with path, kind and silo")
    specs = []
    for n, entry in enumerate(entries, start=1):
        where = f"manifest {path}: [[files]] #{n}"
        if not isinstance(entry, dict) or "path" not in entry or "kind" not in entry:
            raise ImportFailed(f"{where}: needs at least path and kind")
        mapping = entry.get("mapping")
        if mapping and (path.parent / mapping).exists():
            mapping = path.parent / mapping
        specs.append(
            FileSpec(
                path.parent / entry["path"],
                entry["kind"],
                _silo(entry.get("silo"), where),
                load_mapping(mapping),
                entry.get("encoding", "utf-8"),
            )
        )
    return specs


class _MergeLog:
    """Writes every merge (what, into which record, by which rule) to a CSV file."""

    def __init__(self, path: Path | None):
        self._fh: IO[str] | None = None
        if path is not None:
            self._fh = path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._fh)
            self._writer.writerow(["kind", "into", "rule", "matched_on", "file", "line"])

    def __call__(self, merge: Merge) -> None:
        if self._fh is not None:
            self._writer.writerow(
                [merge.kind, merge.into, merge.rule, merge.key, merge.file, merge.line]
            )

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def _summary_lines(s: ImportSummary) -> list[str]:
    """The summary in words: rows (of the files), then records (of the store), never mixed."""
    out = [f"read {s.read:,} rows in {s.seconds:.1f}s ({s.rows_per_second:,.0f} rows/s): "
           f"{s.read - s.rejected:,} imported, {s.rejected:,} rejected"]
    own = set()
    for kind in FILE_KINDS:
        rows = s.imported[kind]
        if not rows:
            continue
        node = FILE_KINDS[kind]
        own.add(node)
        records = s.records(kind)
        line = (f"  {kind}: {rows:,} rows -> {records:,} {node} records "
                f"({s.by_kind[node]:,} written, {s.unchanged_by_kind[node]:,} unchanged)")
        folded = []
        if s.merged_rows(kind):
            folded.append(f"{s.merged_rows(kind):,} rows merged into a record matched by "
                          "name or email")
        if s.repeated(kind):
            folded.append(f"{s.repeated(kind):,} rows repeated an earlier row's id")
        out.append(line + (f"; {', '.join(folded)}" if folded else ""))
    also = [f"{n:,} {kind}" for kind, n in sorted(s.by_kind.items()) if kind not in own and n]
    if also:
        out.append(f"  also written: {', '.join(also)} records")
    return out


def _print_summary(console: Console, s: ImportSummary, rejects: RejectsWriter) -> None:
    for line in _summary_lines(s):
        console.print(line, markup=False, highlight=False)
    if s.merge_rules:
        table = Table(title="merged (same record from several rows or silos)")
        for col in ("kind", "rule", "rows"):
            table.add_column(col)
        for (kind, rule), n in sorted(s.merge_rules.items()):
            table.add_row(kind, rule, f"{n:,}")
        console.print(table)
    if s.unplaced_roles:
        said = ", ".join(f"{kind} {value!r} ({n:,} rows)"
                         for (kind, value), n in sorted(s.unplaced_roles.items()))
        console.print(f"entered roles kept as entered but naming none of our categories: "
                      f"{said}; map them in the mapping's values or a category's aliases",
                      markup=False, highlight=False)
    if s.emptied:
        said = ", ".join(f"{kind} {name} {value!r} ({n:,} rows)"
                         for (kind, name, value), n in sorted(s.emptied.items()))
        console.print(f"warning: imported without values we do not know: {said}; map them "
                      "in the mapping's values to keep them", markup=False, highlight=False)
    if rejects.count:
        for reject in rejects.first:
            console.print(f"  rejected {reject}", markup=False, highlight=False)
        console.print(f"all {rejects.count:,} rejected rows: {rejects.path} (run {rejects.run}; "
                      "earlier runs' rejects stay there too)", markup=False, highlight=False)


def import_(
    files: list[Path] = typer.Argument(None, help="CSV or JSON Lines (.jsonl) exports."),
    kind: str = typer.Option(None, "--kind", "-k", help=f"What the files hold: {KINDS_HELP}."),
    silo: str = typer.Option(None, "--silo", "-s", help=f"Where they came from: {SILOS_HELP}."),
    mapping: str = typer.Option(
        None, "--mapping", "-m",
        help="Mapping file (TOML/YAML) or a shipped one: salesforce, hubspot. "
        "Without it the columns must be our own field names.",
    ),
    manifest: Path = typer.Option(
        None, "--manifest", help="A TOML file listing files with kind, silo and mapping."
    ),
    rejects: Path = typer.Option(
        DEFAULT_REJECTS, "--rejects",
        help="Where rejected rows go (appended: each row says which run rejected it)."
    ),
    merges: Path = typer.Option(None, "--merges", help="Write every merge and its reason here."),
    encoding: str = typer.Option("utf-8", "--encoding", help="Text encoding of the files."),
    batch_size: int = typer.Option(500_000, "--batch-size", min=1, max=1_000_000),
    exit_after_batches: int = typer.Option(
        None, "--exit-after-batches", hidden=True,
        help="Test hook: die abruptly after this many batches, as a killed import would.",
    ),
) -> None:
    """Import CRM exports of one silo (or a manifest of many), deduplicating people."""
    if manifest is not None:
        if files:
            raise ImportFailed("give either FILES with --kind/--silo or --manifest, not both")
        specs = read_manifest(manifest)
    else:
        if not files or kind is None:
            raise ImportFailed("give FILES and --kind (or --manifest); see --help")
        loaded = load_mapping(mapping)
        specs = [FileSpec(f, kind, _silo(silo, "--silo"), loaded, encoding) for f in files]

    console = Console(stderr=True, soft_wrap=True)  # paths and reasons stay whole lines
    settings = get_settings()
    # Both hold personal values as read: erasure must be able to find them.
    for side in (rejects, merges):
        if side is not None:
            side_files.remember(settings.data_dir, side)
    writer = RejectsWriter(rejects)
    merge_log = _MergeLog(merges)
    store = open_store(settings)
    try:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} rows/s"), TimeElapsedColumn(),
            console=console, transient=False,
        ) as progress:
            tasks: dict[Path, TaskID] = {}

            def on_progress(path: Path, done: int, total: int) -> None:
                if path not in tasks:
                    tasks[path] = progress.add_task(path.name, total=total, rate="-")
                task = tasks[path]
                progress.update(task, completed=done, total=total)
                speed: Any = progress.tasks[task].speed
                progress.update(task, rate=f"{speed:,.0f}" if speed else "-")

            def after_batch(n: int) -> None:
                if exit_after_batches is not None and n >= exit_after_batches:
                    os._exit(75)  # no cleanup on purpose: this is what a kill looks like

            summary = Importer(
                store,
                rejects=writer,
                crosswalk=settings.data_dir / "imports" / "crosswalk.sqlite3",
                batch_size=batch_size,
                progress=on_progress,
                # Merges are traced to their lines only when someone reads them.
                on_merge=merge_log if merges is not None else None,
                after_batch=after_batch,
            ).run(specs)
    finally:
        merge_log.close()
        store.close()
    _print_summary(console, summary, writer)
    if summary.rejected:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
