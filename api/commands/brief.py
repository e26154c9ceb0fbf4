"""``accountgraph brief ACCOUNT``: the onboarding brief as Markdown on stdout."""

from __future__ import annotations

from pathlib import Path

import typer

from api.commands.map import AS_USER, Account, open_account


def brief_text(a: Account, html: Path | None = None) -> str:
    """The brief of an opened account as Markdown (and HTML to ``html``), reads audited."""
    from visualizer.brief import build_brief
    from visualizer.brief_render import to_html, to_markdown
    from visualizer.map import map_data

    brief = build_brief(a.G, a.readings, a.viewer)
    reads = list(brief.personal_reads)
    if html is not None:
        data = map_data(a.G, a.readings, a.viewer)
        html.write_text(to_html(brief, data, viewer_name=a.viewer.name), encoding="utf-8")
        reads += data.personal_reads
    a.audit(sorted(set(reads)))
    return to_markdown(brief)


def brief_command(
    account: str = typer.Argument(..., help="Company id (or its exact name)."),
    html: Path | None = typer.Option(None, "--html", help="Also write the HTML brief here."),
    as_user: str | None = AS_USER,
) -> None:
    """Print what a rep who inherits this account needs to know, as Markdown."""
    with open_account(account, as_user) as a:
        text = brief_text(a, html)
    typer.echo(text, nl=False)


def register(app: typer.Typer) -> None:
    app.command("brief")(brief_command)
