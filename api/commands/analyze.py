"""``accountgraph analyze ACCOUNT``: an account's readings as readable text or JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

from graph.errors import NotFound, ValidationError
from graph.evidence import rules_of_settings
from graph.readings import AccountReadings, account_readings
from graph.settings import Settings, get_settings
from graph.store import Store
from graph.stores import open_reader


def _pct(x: float) -> str:
    return f"{x:.0%}"


def render_text(r: AccountReadings, *, top: int = 5) -> str:
    """The readings as plain text, one section per reading, evidence under each line."""
    out: list[str] = []
    add = out.append
    add(f"{r.company_name} ({r.company_id}) as of {r.as_of.date().isoformat()}")
    add("")
    add(f"STATUS: {r.status.status.replace('_', ' ')}")
    for reason in r.status.reasons:
        add(f"  - {reason}")
    others = [x for s, xs in r.status.checks.items() if s != r.status.status for x in xs]
    if others and r.status.status != "can_grow":
        add("  also noted:")
        out.extend(f"    - {x}" for x in others)
    add("")
    add(f"MIX ({r.mix.total} current contacts)")
    for cat, n in sorted(r.mix.counts.items(), key=lambda x: (-x[1], x[0])):
        if n:
            add(f"  {cat:<22} {n:>5}  {_pct(r.mix.ratios[cat]):>5}")
    add("")
    b = r.breadth
    add("BREADTH")
    if "departments" in b.unknown:
        add("  departments covered  unknown (no department data)")
    else:
        add(f"  departments covered  {len(b.departments_covered)}/{len(b.departments_known)} "
            f"({', '.join(b.departments_covered) or 'none'})")
    add(f"  categories engaged   {', '.join(b.categories_engaged) or 'none'}")
    if "seniority" in b.unknown:
        add("  seniority reached    unknown (no seniority data)")
    else:
        add(f"  seniority reached    {', '.join(b.seniorities_reached) or 'none'}")
        add(f"  executives engaged   {b.executives_engaged} ({b.executives_live} live)")
    add(f"  live relationships   {b.live_relationships}")
    if b.unknown:
        add(f"  no data on           {', '.join(b.unknown)} (not counted as gaps)")
    add("")
    w = r.whitespace
    add("WHITESPACE")
    add(f"  nobody known in      {', '.join(w.empty_departments) or '-'}")
    add(f"  nobody engaged in    {', '.join(w.unengaged_departments) or '-'}")
    add(f"  missing categories   {', '.join(w.missing_categories) or '-'}")
    add("")
    add("KEY PEOPLE")
    for person in r.key_people.central[:top]:
        add(f"  {person.name} ({person.key}): " + "; ".join(person.reasons))
    if not r.key_people.central:
        add("  nobody links anyone yet")
    for s in r.key_people.single_points[:top]:
        add(f"  single point of failure: {s.name} ({s.key}) - only route to "
            + ", ".join(s.cuts))
    for reason in r.key_people.reasons:
        add(f"  {reason}")
    if r.job_changes:
        add("")
        add("JOB CHANGES")
        for j in r.job_changes[:top]:
            add(f"  {j.name} {j.direction}: " + "; ".join(j.reasons))
    add("")
    add("INFLUENCE PATHS")
    if not r.paths:
        add("  no decision maker or executive to aim at")
    for p in r.paths:
        add(f"  to {p.target_name} ({p.target}):")
        for i, path in enumerate(p.paths, 1):
            chain = " -> ".join([path.hops[0].source_name, *(h.target_name for h in path.hops)])
            add(f"    {i}. {chain}  (strength {path.strength:.2f})")
            for h in path.hops:
                add(f"       {h.source_name} -> {h.target_name} {h.strength:.2f}: "
                    + "; ".join(h.evidence[:2]))
        for reason in p.reasons if not p.paths else []:
            add(f"    {reason}")
    return "\n".join(out)


def _find_company(store: Store, account: str) -> str:
    if store.get("company", account) is not None:
        return account
    hits = store.search(account, kinds=("company",), limit=5)
    if len(hits) == 1:
        return hits[0].id
    if not hits:
        raise NotFound("company", account)
    names = ", ".join(f"{h.id} ({getattr(h, 'name', '')})" for h in hits)
    raise ValidationError(
        f"{account!r} matches several companies: {names}; give the id", field="account")


def analyze(
    account: str | None = typer.Argument(
        None, help="Company id (or a name that matches one company); omit with --all."),
    all_accounts: bool = typer.Option(
        False, "--all", help="Every account's status, contacts and mix, one line each."),
    jobs: int | None = typer.Option(
        None, "--jobs", min=1, help="Processes for --all (default: ACCOUNTGRAPH_JOBS)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    as_of: str | None = typer.Option(None, "--as-of", help="Read the account as of YYYY-MM-DD."),
    user: str | None = typer.Option(None, "--user", help="Influence paths from this user only."),
    rules: Path | None = typer.Option(
        None, "--rules", help="Rules file (default: ACCOUNTGRAPH_RULES_FILE or the shipped one)."),
) -> None:
    """Print an account's status, mix, breadth, whitespace, key people and influence paths."""
    when: date | None = None
    if as_of:
        try:
            when = date.fromisoformat(as_of)
        except ValueError:
            raise ValidationError(
                f"--as-of {as_of!r} is not a date: use YYYY-MM-DD", field="as_of") from None
    settings: Settings = get_settings()
    if all_accounts:
        if account:
            raise ValidationError("give an account or --all, not both", field="account")
        _analyze_all(settings, jobs or settings.jobs, rules, when, as_json)
        return
    if not account:
        raise ValidationError("which account? give its id or name, or --all", field="account")
    store = open_reader(settings)
    try:
        company_id = _find_company(store, account)
        G = store.account_data(company_id)  # the readings need no graph built
        weighed = rules_of_settings(store, settings, rules)
    finally:
        store.close()
    readings = account_readings(
        G, weighed, when,
        half_life_days=settings.strength_half_life_days, user_id=user)
    if as_json:
        typer.echo(json.dumps(readings.to_dict(), indent=2))
    else:
        typer.echo(render_text(readings))


def _analyze_all(
    settings: Settings, jobs: int, rules: Path | None, when: date | None, as_json: bool
) -> None:
    """Every account's summary, read by ``jobs`` processes, printed as it comes."""
    from graph.walk import account_summaries

    store = open_reader(settings)
    try:
        ids = [i for batch in store.iter_ids("company") for i in batch]
        # Estimated here once; every worker reads with the same weights.
        priors = rules_of_settings(store, settings, rules).priors
    finally:
        store.close()
    for row in account_summaries(settings, ids, jobs=jobs, rules=rules or settings.rules_file,
                                 as_of=when, priors=priors):
        if as_json:
            typer.echo(json.dumps(row, default=str))
            continue
        mix = ", ".join(f"{n} {c}" for c, n in sorted(row["mix"].items(), key=lambda x: -x[1]))
        typer.echo(f"{row['company_id']}\t{row['name']}\t{row['status']}\t"
                   f"{row['contacts']} contacts\t{mix or 'nobody engaged'}")


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
