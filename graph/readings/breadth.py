"""Relationship breadth of an account.

* departments covered: departments with at least one engaged current contact, out of
  the known ones (the account's department nodes plus the rules' expected departments);
* categories engaged: primary categories of engaged current contacts;
* seniority levels reached by engaged current contacts;
* live relationships: current contacts whose strength is at or above the live threshold;
* executive coverage: engaged current C-level and VP contacts, and how many are live.

A dimension the account has no data on (:mod:`graph.readings.known`) is listed in
``unknown`` and said so in ``reasons``: with no department data, departments are
"unknown", not "0 of 5", and ``department_coverage`` is None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from graph.readings.classification import Classification
from graph.readings.facts import AccountFacts
from graph.readings.known import data_known
from graph.readings.rules import UNENGAGED, Rules, resolve
from graph.readings.strength import Strength

EXECUTIVE_SENIORITIES = ("C-level", "VP")


@dataclass
class Breadth:
    departments_known: list[str] = field(default_factory=list)
    departments_covered: list[str] = field(default_factory=list)
    department_coverage: float | None = 0.0  # None: no department data
    categories_engaged: list[str] = field(default_factory=list)
    seniorities_reached: list[str] = field(default_factory=list)
    live_relationships: int = 0
    live_contacts: list[str] = field(default_factory=list)
    executives_engaged: int = 0
    executives_live: int = 0
    contacts: int = 0
    engaged_contacts: int = 0
    unknown: list[str] = field(default_factory=list)  # dimensions with no data at all
    reasons: list[str] = field(default_factory=list)


def account_breadth(
    facts: AccountFacts,
    classification: Mapping[str, Classification],
    strength: Mapping[str, Strength],
    *,
    rules: Rules | None = None,
) -> Breadth:
    """How widely we are connected into one account.

    Parameters
    ----------
    facts : AccountFacts
        The account (from :func:`graph.readings.facts.account_facts`).
    classification, strength : mapping
        Contact id -> reading, from :func:`classify_contacts` and :func:`contact_strength`.
    rules : Rules, optional
        For the expected departments; the defaults when None.

    Returns
    -------
    Breadth
        With ``reasons`` spelling out each number.
    """
    r = resolve(rules)
    expected = list(r.section("whitespace").get("expected_departments", []))
    known = sorted(set(facts.departments.values()) | set(expected))
    current = {cid: p for cid, p in facts.contacts.items() if p.current}
    engaged = {
        cid: p
        for cid, p in current.items()
        if cid in classification and classification[cid].primary != UNENGAGED
    }
    covered = sorted({p.department for p in engaged.values() if p.department})
    cats = sorted({classification[cid].primary for cid in engaged})
    levels = sorted({p.seniority for p in engaged.values() if p.seniority})
    live = sorted(cid for cid in current if cid in strength and strength[cid].live)
    execs = [cid for cid, p in engaged.items() if p.seniority in EXECUTIVE_SENIORITIES]
    live_set = set(live)  # hundreds on a big account: no list look-ups
    execs_live = [cid for cid in execs if cid in live_set]
    has = data_known(facts)
    coverage = (round(len(covered) / len(known), 4) if known else 0.0) if has.departments \
        else None
    reasons = [
        f"{len(covered)} of {len(known)} departments have an engaged contact"
        + (f" ({', '.join(covered)})" if covered else "")
        if has.departments else "departments: unknown (no contact has department data)",
        f"{len(engaged)} of {len(current)} current contacts engaged",
        f"{len(live)} live relationships (strength at or above the live threshold)",
        f"{len(execs)} engaged executives (C-level/VP), {len(execs_live)} of them live"
        if has.seniority else "executives: unknown (no contact has seniority data)",
    ]
    reasons += [f"{d}: unknown (no data recorded)" for d in has.unknown
                if d not in ("departments", "seniority")]
    return Breadth(
        departments_known=known,
        departments_covered=covered,
        department_coverage=coverage,
        categories_engaged=cats,
        seniorities_reached=levels,
        live_relationships=len(live),
        live_contacts=live,
        executives_engaged=len(execs),
        executives_live=len(execs_live),
        contacts=len(current),
        engaged_contacts=len(engaged),
        unknown=has.unknown,
        reasons=reasons,
    )
