"""``accountgraph evaluate``: how far to trust classification, measured on entered roles."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import typer

from graph.errors import ValidationError
from graph.evaluate import evaluate, fit_rules
from graph.readings.evaluation import Agreement
from graph.readings.rules import Rules, resolve
from graph.settings import get_settings
from graph.stores import open_store


def render(a: Agreement, rules: Rules) -> str:
    """The agreement as text: the three scores, then the confusion matrix."""
    label = {c: r.label for c, r in rules.categories.items()}
    out = [f"{a.contacts:,} engaged contacts have a role a person entered "
           f"({a.folds}-fold cross-validation; weights learnt from {a.weights_from or 'rules'})"]
    if a.left_out:
        out.append(f"({a.left_out:,} more have an entered role but no touchpoints or deals: "
                   "left out, nothing to read)")
    out.append("")
    out.append(f"{'':<32}{'accuracy':>10}{'macro-F1':>10}")
    for s in (a.classification, a.majority, a.title_only):
        out.append(f"{s.name:<32}{s.accuracy:>10.1%}{s.macro_f1:>10.3f}")
    out.append("")
    cats = sorted({c for row in a.confusion.values() for c in row} | set(a.confusion))
    width = max((len(c) for c in cats), default=8) + 2
    out.append("entered (rows) -> read (columns)")
    out.append(" " * width + "".join(f"{c[:12]:>13}" for c in cats))
    for t in sorted(a.confusion):
        row = a.confusion[t]
        out.append(f"{t:<{width}}" + "".join(f"{row.get(c, 0):>13}" for c in cats))
    out.append("")
    for c, m in sorted(a.per_category.items()):
        out.append(f"{label.get(c, c):<32} precision {m['precision']:.0%}  recall "
                   f"{m['recall']:.0%}  ({int(m['entered'])} entered)")
    out.extend(f"note: {n}" for n in a.notes)
    return "\n".join(out)


def evaluate_command(
    folds: int = typer.Option(5, "--folds", help="Cross-validation folds (fixed by contact id)."),
    rules: Path | None = typer.Option(
        None, "--rules", help="Rules file (default: ACCOUNTGRAPH_RULES_FILE or the shipped one)."),
    fit: Path | None = typer.Option(
        None, "--fit", help="Also write the weights learnt from every entered role to this "
        "rules file (TOML), to read, keep and point ACCOUNTGRAPH_RULES_FILE at."),
    as_of: str | None = typer.Option(None, "--as-of", help="Read contacts as of YYYY-MM-DD."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """How well classification agrees with the roles your reps entered, next to two baselines."""
    if folds < 2:
        raise ValidationError(f"--folds {folds}: use 2 or more", field="folds")
    when = None
    if as_of:
        try:
            when = date.fromisoformat(as_of)
        except ValueError:
            raise ValidationError(f"--as-of {as_of!r} is not a date: use YYYY-MM-DD",
                                  field="as_of") from None
    settings = get_settings()
    r = resolve(rules or settings.rules_file)
    store = open_store(settings, read_only=settings.store == "ladybug"
                       and settings.ladybug_path.exists())
    try:
        result = evaluate(store, r, folds=folds, as_of=when)
        text = fit_rules(store, r, result=result) if fit is not None else None
    finally:
        store.close()
    if text is not None and fit is not None:
        fit.write_text(text, encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(dataclasses.asdict(result), indent=2))
    else:
        typer.echo(render(result, r))
        if result.contacts == 0:
            typer.echo("nobody has an entered role yet: import roles (Salesforce "
                       "OpportunityContactRole, HubSpot Buying Role) or seed the demo world")
    if fit is not None:
        typer.echo(f"learnt weights written to {fit}")


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_command)
