"""Whitespace: where in an account we know nobody.

Across department x category x seniority, counting current engaged contacts:

* ``empty_departments``: known or expected departments with no current contact at all;
* ``unengaged_departments``: departments with contacts, none of them engaged;
* ``missing_categories``: expected categories (rules ``[whitespace]``) with no engaged
  current contact as primary;
* ``grid``: department -> seniority -> engaged contacts, and ``gaps``, the
  (department, seniority) cells of the expected departments that are empty.

With no department data at all (:mod:`graph.readings.known`) there are no empty or
unengaged departments and no gaps, only ``unknown = ["departments", ...]`` (the
``reasons`` are gaps only; breadth and status say what is unknown); with no
seniority data, no (department, seniority) gaps.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from graph.readings.classification import Classification
from graph.readings.facts import AccountFacts
from graph.readings.known import data_known
from graph.readings.rules import UNENGAGED, Rules, resolve

NO_DEPARTMENT = "(no department)"


@dataclass
class Whitespace:
    empty_departments: list[str] = field(default_factory=list)
    unengaged_departments: list[str] = field(default_factory=list)
    missing_categories: list[str] = field(default_factory=list)
    department_categories: dict[str, dict[str, int]] = field(default_factory=dict)
    grid: dict[str, dict[str, int]] = field(default_factory=dict)
    gaps: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # dimensions with no data at all
    reasons: list[str] = field(default_factory=list)


def account_whitespace(
    facts: AccountFacts,
    classification: Mapping[str, Classification],
    *,
    rules: Rules | None = None,
) -> Whitespace:
    """Departments, categories and seniority levels where we know nobody.

    Parameters
    ----------
    facts : AccountFacts
        The account.
    classification : mapping
        Contact id -> :class:`Classification`.
    rules : Rules, optional
        ``[whitespace]`` expected departments, categories and seniorities.
    """
    cfg = resolve(rules).section("whitespace")
    expected_deps = list(cfg.get("expected_departments", []))
    expected_cats = list(cfg.get("expected_categories", []))
    levels = list(cfg.get("seniorities", []))
    departments = sorted(set(facts.departments.values()) | set(expected_deps))

    people: Counter[str] = Counter()
    grid: dict[str, Counter[str]] = defaultdict(Counter)
    dep_cats: dict[str, Counter[str]] = defaultdict(Counter)
    cats: Counter[str] = Counter()
    for cid, p in facts.contacts.items():
        if not p.current:
            continue
        dep = p.department or NO_DEPARTMENT
        people[dep] += 1
        c = classification.get(cid)
        if c is None or c.primary == UNENGAGED:
            continue
        cats[c.primary] += 1
        dep_cats[dep][c.primary] += 1
        grid[dep][p.seniority or "unknown"] += 1

    has = data_known(facts)
    if not has.departments:
        departments = expected_deps = []
    if not has.seniority:
        levels = []
    empty = [d for d in departments if people[d] == 0]
    unengaged = [d for d in departments if people[d] > 0 and not grid[d]]
    missing = [c for c in expected_cats if cats[c] == 0]
    gaps = [(d, s) for d in expected_deps for s in levels if grid[d][s] == 0]
    reasons = []
    if empty:
        reasons.append("nobody known in " + ", ".join(empty))
    if unengaged:
        reasons.append("contacts but no engagement in " + ", ".join(unengaged))
    if missing:
        reasons.append("no engaged " + ", ".join(m.replace("_", " ") for m in missing))
    return Whitespace(
        empty_departments=empty,
        unengaged_departments=unengaged,
        missing_categories=missing,
        department_categories={d: dict(dep_cats[d]) for d in sorted(dep_cats)},
        grid={d: dict(grid[d]) for d in sorted(grid) if sum(grid[d].values())},
        gaps=gaps,
        unknown=has.unknown,
        reasons=reasons,
    )
