"""``accountgraph capture``: touchpoints and "knows" links from exported mailboxes and calendars.

::

    accountgraph capture exports/amy.mbox exports/calendar.ics --exclude jo@acme.com

Keeps who, when, kind and direction; never bodies or attachments; the subject
only with ``--keep-subjects``, as personal data. Exit code 0: everything was
captured or skipped for a reason in the summary; 1: some messages were rejected
(see the rejects file); 2: a file could not be read at all (one error line).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from graph.errors import ImportFailed
from graph.settings import get_settings
from graph.stores import open_store
from seed.capture.run import Capturer, CaptureSummary
from seed.imports import side_files
from seed.imports.rejects import RejectsWriter

DEFAULT_REJECTS = Path("capture-rejects.csv")


def _exclusions(values: list[str], files: list[Path]) -> list[str]:
    """``--exclude`` values and the lines of ``--exclude-file`` files (# starts a comment)."""
    out = list(values)
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
        except OSError as exc:
            raise ImportFailed(f"--exclude-file {f}: cannot be read: {exc}") from None
        out += [ln.split("#", 1)[0].strip() for ln in text.splitlines()]
    return [x for x in out if x]


def print_summary(console: Console, s: CaptureSummary, rejects: RejectsWriter) -> None:
    say = lambda text: console.print(text, markup=False, highlight=False)  # noqa: E731
    say(f"read {s.read:,} messages and meetings in {s.seconds:.1f}s ({s.per_second:,.0f}/s): "
        f"touchpoints written {s.written:,}, already there {s.unchanged:,}, "
        f"cancelled and removed {s.deleted:,}, rejected {s.rejected:,}")
    say(f"contacts: new {s.new_contacts:,} (found by capture), filled in {s.filled:,}; "
        f"'knows' links written {s.knows:,}"
        + (f"; files unchanged since the last run {s.files_unchanged:,}"
           if s.files_unchanged else ""))
    if s.skipped:
        say("skipped: " + ", ".join(f"{why} {n:,}" for why, n in sorted(s.skipped.items())))
    if s.ignored:
        say("addresses left out: " + ", ".join(f"{why} {n:,}"
                                               for why, n in sorted(s.ignored.items())))
    if s.merged:
        say("matched by identity resolution: " + ", ".join(
            f"{rule} {n:,}" for rule, n in sorted(s.merged.items())))
    if rejects.count:
        for reject in rejects.first:
            say(f"  rejected {reject}")
        say(f"all {rejects.count:,} rejected: {rejects.path}")


def capture(
    files: list[Path] = typer.Argument(..., help="Mailboxes (.mbox, .eml, .msg), calendars "
                                       "(.ics), or folders of them."),
    our_domain: list[str] = typer.Option(
        [], "--our-domain", help="Our own email domain (repeatable); our users' domains "
        "count already."),
    exclude: list[str] = typer.Option(
        [], "--exclude", help="An address or domain never to track (repeatable): dropped "
        "before anything is written."),
    exclude_file: list[Path] = typer.Option(
        [], "--exclude-file", help="A file of addresses or domains to exclude, one a line."),
    keep_subjects: bool = typer.Option(
        False, "--keep-subjects", help="Keep subjects, as personal data (team-only, "
        "audited, erasable)."),
    knows: bool = typer.Option(True, "--knows/--no-knows",
                               help="Link people often on the same messages or meetings."),
    rejects: Path = typer.Option(DEFAULT_REJECTS, "--rejects",
                                 help="Where rejected messages go (replaced each run)."),
    batch_size: int = typer.Option(50_000, "--batch-size", min=1, max=1_000_000),
    exit_after_batches: int = typer.Option(
        None, "--exit-after-batches", hidden=True,
        help="Test hook: die abruptly after this many batches, as a killed run would.",
    ),
) -> None:
    """Capture touchpoints from exported mailboxes and calendars (metadata only)."""
    console = Console(stderr=True, soft_wrap=True)
    settings = get_settings()
    excluded = _exclusions(exclude, exclude_file)
    rejects.unlink(missing_ok=True)
    side_files.remember(settings.data_dir, rejects)  # it names addresses: erasure finds it
    writer = RejectsWriter(rejects)
    store = open_store(settings)
    try:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
            TimeElapsedColumn(), console=console, transient=False,
        ) as progress:
            tasks: dict[Path, TaskID] = {}

            def on_progress(path: Path, done: int, total: int) -> None:
                if path not in tasks:
                    tasks[path] = progress.add_task(path.name, total=total)
                progress.update(tasks[path], completed=done)

            def after_batch(n: int) -> None:
                if exit_after_batches is not None and n >= exit_after_batches:
                    os._exit(75)  # no cleanup on purpose: this is what a kill looks like

            summary = Capturer(
                store, our_domains=our_domain, exclude=excluded, keep_subjects=keep_subjects,
                knows=knows, rejects=writer,
                ledger=settings.data_dir / "capture" / f"ledger-{store.dialect}.sqlite3",
                batch_size=batch_size, half_life_days=settings.strength_half_life_days,
                progress=on_progress, after_batch=after_batch,
            ).run(files)
    finally:
        store.close()
    print_summary(console, summary, writer)
    if summary.rejected:
        raise typer.Exit(1)


def register(app: Any) -> None:
    app.command("capture")(capture)
