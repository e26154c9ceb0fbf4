"""``accountgraph triggers``: which features go with winning or losing deals, and which of
them still stand when held against the others.

Public profile items, firmographics and mix features only: personal items in an
aggregate are for admins, through GraphQL, where that read is audited.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from graph.readings import jsonable
from graph.readings.database import iter_opportunity_cases
from graph.readings.rules import resolve
from graph.readings.triggers import Trigger, Triggers, revenue_triggers
from graph.settings import get_settings
from graph.stores import open_store


def _line(i: int, t: Trigger) -> list[str]:
    lo, hi = t.difference_interval
    side = {"wins": "WINS ", "loses": "LOSES"}.get(t.direction or "", "  -  ")
    out = [f"{i:>3}. {side} {t.feature} = {t.value}  (support {t.support}: won "
           f"{t.win_rate_with:.0%} with, {t.win_rate_without:.0%} without; difference "
           f"{t.difference:+.0%}, {lo:+.0%} to {hi:+.0%})"]
    if t.adjusted_interval is not None:
        alo, ahi = t.adjusted_interval
        out.append(f"       adjusted: odds x{t.adjusted_odds_ratio:.2f} ({alo:.2f} to {ahi:.2f})"
                   + (f"; explained by {t.explained_by}" if t.explained_by else ""))
    return out


def render_text(t: Triggers, top: int) -> str:
    """The ranked values, winning and losing together, each with its adjusted line."""
    out = ["REVENUE TRIGGERS", *(f"  {r}" for r in t.reasons), ""]
    for i, x in enumerate(t.ranked[:top], 1):
        out += _line(i, x)
    if len(t.ranked) > top:
        out.append(f"  ... {len(t.ranked) - top} more ranked (--top)")
    if t.unranked:
        out.append(f"  {len(t.unranked)} values below support {t.min_support}: not ranked")
    return "\n".join(out)


def triggers(
    min_support: int | None = typer.Option(
        None, "--min-support", min=1, help="Cases needed with and without a value "
        "(default: the rules' [triggers] min_support)."),
    confidence: float | None = typer.Option(
        None, "--confidence", min=0.5, max=0.999, help="Family-wise interval level."),
    top: int = typer.Option(25, "--top", min=1, help="Ranked values to print."),
    adjusted: bool = typer.Option(
        True, "--adjusted/--no-adjusted", help="Also hold every value against the others."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    rules: Path | None = typer.Option(
        None, "--rules", help="Rules file (default: ACCOUNTGRAPH_RULES_FILE or the shipped one)."),
) -> None:
    """Rank the features that go with winning or losing deals, both ways."""
    settings = get_settings()
    r = resolve(rules or settings.rules_file)
    cfg = r.section("triggers")
    store = open_store(settings, read_only=settings.store == "ladybug"
                       and settings.ladybug_path.exists())
    try:
        cases = list(iter_opportunity_cases(store, rules=r))
    finally:
        store.close()
    t = revenue_triggers(
        cases, min_support=int(min_support or cfg.get("min_support", 30)),
        confidence=float(confidence or cfg.get("confidence", 0.95)), multivariable=adjusted,
        penalty=float(cfg.get("penalty", 1.0)),
        min_correlation=float(cfg.get("min_correlation", 0.3)))
    if as_json:
        typer.echo(json.dumps(jsonable(t), indent=2))
    else:
        typer.echo(render_text(t, top))


def register(app: typer.Typer) -> None:
    app.command("triggers")(triggers)
