"""``accountgraph evaluate``: classification measured against the roles people entered.

For every engaged contact with an entered role (a buying role, or roles on deals),
classification reads the contact **as if nobody had entered it**: its own entered
roles and deal roles are hidden, and the signal weights it uses are learnt from the
*other* contacts' entered roles (``folds``-fold cross-validation, folds fixed by
contact id, so every run gives the same numbers). What it reads is compared with what
was entered (:mod:`graph.readings.evaluation`), next to the majority role and the
title's reading alone.

``fit_rules`` writes the weights learnt from every entered role as a rules file a
person can read, change and keep (``accountgraph evaluate --fit rules.toml``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from graph.evidence import ContactRow, contact_rows, counts_of, fold_of
from graph.readings.classification import classify_contacts
from graph.readings.evaluation import Agreement, agreement
from graph.readings.facts import read_facts
from graph.readings.priors import Evidence, Priors, estimate_priors
from graph.readings.rules import UNENGAGED, Rules, resolve
from graph.readings.signals import profile_of, title_evidence
from graph.readings.strength import contact_strength
from graph.store import Store


def title_only(title: str | None, seniority: str | None, department: str | None,
               rules: Rules) -> str:
    """The baseline: the category the title (department, seniority) alone suggests."""
    told = title_evidence(profile_of(title, seniority, department), rules)
    least = float(rules.section("classification").get("min_evidence", 0.75))
    order = rules.category_order
    best = min(told, key=lambda c: (-told[c][0], order[c])) if told else None
    if best is None or told[best][0] < least:
        return str(rules.section("classification").get("fallback", "end_user"))
    return best


def _fold_priors(rows: list[ContactRow], rules: Rules, folds: int) -> list[Priors]:
    """Per fold: weights from every other fold's entered roles, this fold's titles only."""
    full: dict[int, list[ContactRow]] = defaultdict(list)
    for r in rows:
        full[fold_of(r.id, folds)].append(r)
    total = Evidence()
    per_fold = {f: counts_of(full[f]) for f in range(folds)}
    for f in range(folds):
        total = total.merged(per_fold[f])
    return [estimate_priors(total.merged(per_fold[f], -1).merged(counts_of(full[f], blind=True)),
                            rules) for f in range(folds)]


def evaluate(store: Store, rules: Rules | Any = None, *, folds: int = 5,
             as_of: date | datetime | str | None = None) -> Agreement:
    """How well classification agrees with the roles entered in ``store`` (see module).

    Raises
    ------
    ValueError
        When ``folds`` is below 2.
    """
    if folds < 2:
        raise ValueError(f"folds={folds}: cross-validation needs at least 2 folds")
    base = resolve(rules)
    base = base.with_priors(None) if base.priors is not None else base
    rows = list(contact_rows(store, base))
    truth = {r.id: (r.entered, fold_of(r.id, folds)) for r in rows if r.entered}
    fold_rules = [base.with_priors(p) for p in _fold_priors(rows, base, folds)]
    companies = sorted({r.company_id for r in rows if r.entered})
    found: list[tuple[str, str, str]] = []
    left_out = 0
    when = as_of or datetime.now(UTC)
    for cid in companies:
        facts = read_facts(store.account_data(cid, people=False), when)
        wanted = {k: truth[k] for k in facts.contacts if k in truth}
        if not wanted:
            continue
        for p in facts.contacts.values():
            p.entered, p.deal_roles = None, []
        strength = contact_strength(facts, rules=base, facts=facts, explain=False)
        by_fold: dict[int, Any] = {}
        for k, (entered, f) in sorted(wanted.items()):
            p = facts.contacts[k]
            if not (p.touch_count or p.opportunities):
                left_out += 1
                continue
            if f not in by_fold:
                by_fold[f] = classify_contacts(facts, rules=fold_rules[f], facts=facts,
                                               strength=strength)
            read = by_fold[f][k].primary
            found.append((entered, read, title_only(p.title, p.seniority, p.department, base)))
    origin = sorted({r.priors.origin for r in fold_rules if r.priors is not None})
    return agreement(found, folds=folds, left_out=left_out, weights_from=", ".join(origin))


def _toml_value(v: Any) -> str:
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{v:g}" if isinstance(v, float) else str(v)


def _table(weights: dict[str, float]) -> str:
    inner = ", ".join(f"{_key(k)} = {_toml_value(round(w, 2))}" for k, w in sorted(weights.items()))
    return "{ " + inner + " }" if inner else "{}"


def _key(k: str) -> str:
    return k if k.replace("_", "").isalnum() else _toml_value(k)


def fit_rules(store: Store, rules: Rules | Any = None, *, result: Agreement | None = None) -> str:
    """A rules file (TOML text) with the signal weights learnt from every entered role.

    Touchpoint kinds, deals and silos per category, and the title tables (level and
    function -> category), each a weight in bits >= 0; a weight the shipped rules
    have and the data does not support is written as 0, so the file overrides it.
    Deterministic: the same data gives the same file.
    """
    base = resolve(rules)
    base = base.with_priors(None) if base.priors is not None else base
    rows = list(contact_rows(store, base))
    priors = estimate_priors(counts_of(rows), base)
    entered = sum(1 for r in rows if r.by_person)
    cats = [c for c in base.categories if c != UNENGAGED]
    per: dict[str, dict[str, dict[str, float]]] = {
        c: {"touchpoints": {}, "opportunities": {}} for c in cats}
    for c in cats:
        rule = base.categories[c]
        per[c]["touchpoints"] = {k: 0.0 for k in rule.touchpoints}
        per[c]["opportunities"] = {k: 0.0 for k in rule.opportunities}
    levels: dict[str, dict[str, float]] = defaultdict(dict)
    functions: dict[str, dict[str, float]] = defaultdict(dict)
    title_cfg = base.section("classification").get("title", {})
    for name, table in (("levels", levels), ("functions", functions)):
        for key, row in (title_cfg.get(name, {}) or {}).items():
            for c in row:
                table[key][c] = 0.0
    stage = {"deal:closed_won": "closed_won", "deal:closed_lost": "closed_lost",
             "deal:open": "any"}
    for signal, row in sorted(priors.weights.items()):
        kind, _, what = signal.partition(":")
        for c, w in row.items():
            if c not in per or w <= 0:
                continue
            if kind == "kind":
                per[c]["touchpoints"][what] = w
            elif signal in stage:
                per[c]["opportunities"][stage[signal]] = w
            elif kind == "function":
                functions[what][c] = w
            elif kind == "level":
                levels[what][c] = w
    lines = [
        "# accountgraph rules learnt by `accountgraph evaluate --fit` from the roles people",
        f"# entered: {entered:,} contacts (weights from {priors.origin}).",
        "# Each number is how many bits the signal adds to the category (docs/readings.md);",
        "# everything not here comes from the shipped rules. Read it, change what you see",
        "# differently, and point ACCOUNTGRAPH_RULES_FILE at it.",
    ]
    if result is not None:
        lines.append(
            f"# Cross-validated on {result.contacts:,} contacts: accuracy "
            f"{result.classification.accuracy:.1%}, macro-F1 {result.classification.macro_f1:.3f} "
            f"(majority {result.majority.accuracy:.1%}, title words only "
            f"{result.title_only.accuracy:.1%}).")
    if entered < int(base.section("classification").get("min_entered", 50)):
        lines.append(f"# Fewer than min_entered contacts have an entered role: these weights "
                     f"rest on titles ({priors.origin}).")
    lines.append("")
    for c in cats:
        lines.append(f"[categories.{c}]")
        lines.append(f"touchpoints = {_table(per[c]['touchpoints'])}")
        lines.append(f"opportunities = {_table(per[c]['opportunities'])}")
        lines.append("")
    for name, table in (("levels", levels), ("functions", functions)):
        lines.append(f"[classification.title.{name}]")
        for key in sorted(table):
            lines.append(f"{_toml_value(key)} = {_table(table[key])}")
        lines.append("")
    return "\n".join(lines)
