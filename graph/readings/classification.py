"""Contact classification by primary interaction.

Each category of the rules scores a contact twice:

* **interaction score**: sum over the contact's touchpoints (up to ``as_of``) of the
  category's weight for that touchpoint kind, plus its weight for each opportunity the
  contact was involved in (by stage: ``closed_won``, ``closed_lost`` or ``any``);
* **evidence score**: fixed weights when the title matches one of the category's
  keywords, the department, seniority or a source silo is one of its own.

Interactions outrank titles: the primary category is the one with the highest
interaction score, evidence only breaking ties; when the contact's interactions are
all generic (email, call, meeting), evidence decides, and with no evidence either the
rules' ``fallback`` (end user). A contact with no touchpoints and no opportunities is
``unengaged`` whatever the title says; the title's suggestion is kept as a secondary
category with its reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from graph.readings.facts import AccountFacts, AccountSource, Person, as_datetime, facts_of
from graph.readings.rules import UNENGAGED, Rules, resolve


@dataclass
class Classification:
    """One contact's categories and why."""

    contact_id: str
    name: str
    primary: str
    secondary: list[str] = field(default_factory=list)
    engaged: bool = False
    interaction_scores: dict[str, float] = field(default_factory=dict)
    evidence_scores: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)


EVIDENCE_MEMO_SIZE = 50_000
T = TypeVar("T")


def _interactions(p: Person, rules: Rules, as_of: datetime) -> tuple[dict[str, float], list[str]]:
    totals: dict[int, float] = {}
    said: dict[int, list[str]] = {}
    terms = rules.interaction_terms
    for kind in sorted(p.kinds):
        n, last = p.kinds[kind]
        for i, score, head, tail in _memo(terms, (kind, n), _terms, rules, kind, n):
            totals[i] = totals.get(i, 0.0) + score
            said.setdefault(i, []).append(head + last + tail)
    if p.opportunities:
        stages: Counter[str] = Counter()
        for o in p.opportunities:
            closed = as_datetime(o.get("close_date"))
            stage = str(o.get("stage") or "")
            if stage in ("closed_won", "closed_lost") and (closed is None or closed <= as_of):
                stages[stage] += 1
            stages["any"] += 1
        for i, (name, rule) in enumerate(rules.categories.items()):
            for stage in sorted(rule.opportunities.keys() & stages.keys()):
                n, w = stages[stage], rule.opportunities[stage]
                if w:
                    totals[i] = totals.get(i, 0.0) + n * w
                    said.setdefault(i, []).append(
                        f"{n} x opportunity {stage} x {w:g} = {n * w:g} for {name}")
    names = rules.category_names
    # Categories in rules order, each one's touchpoint reasons before its deal reasons.
    scores = {names[i]: totals[i] for i in sorted(totals) if totals[i]}
    reasons = [r for i in sorted(said) for r in said[i]]
    return scores, reasons


def _terms(rules: Rules, kind: str, n: int) -> list[tuple[int, float, str, str]]:
    """What ``n`` touchpoints of ``kind`` add to each category: (category position,
    score, and the reason's words before and after the last day)."""
    return [(i, n * w, f"{n} x {kind} (last ", f") x {w:g} = {n * w:g} for {name}")
            for i, name, w in rules.by_touchpoint_kind.get(kind, ())]


def _evidence(p: Person, rules: Rules) -> tuple[dict[str, float], list[str]]:
    key = (p.title, p.department, p.seniority, tuple(p.sources))
    scores, reasons = _memo(rules.evidence_memo, key, _match_evidence, p, rules)
    return dict(scores), list(reasons)


def _memo(memo: dict[Any, T], key: Any, make: Callable[..., T], *args: Any) -> T:
    """``memo[key]``, made by ``make(*args)`` when missing.

    A full memo is emptied first: a walk over a million contacts stays bounded.
    """
    found = memo.get(key)
    if found is None:
        if len(memo) >= EVIDENCE_MEMO_SIZE:
            memo.clear()
        found = memo[key] = make(*args)
    return found


def _match_evidence(p: Person, rules: Rules) -> tuple[dict[str, float], list[str]]:
    weights = rules.section("classification").get("evidence", {})
    title = (p.title or "").lower()
    scores: dict[str, float] = {}
    reasons: list[str] = []
    for name, rule in rules.categories.items():
        total = 0.0
        m = rule.title_pattern.search(title) if rule.title_pattern and title else None
        if m:
            total += float(weights.get("title", 1.0))
            reasons.append(f"title {p.title!r} matches {m.group(1)!r} for {name}")
        if p.department and p.department in rule.departments:
            total += float(weights.get("department", 0.5))
            reasons.append(f"department {p.department} for {name}")
        if p.seniority and p.seniority in rule.seniorities:
            total += float(weights.get("seniority", 0.5))
            reasons.append(f"seniority {p.seniority} for {name}")
        silos = sorted(set(p.sources) & set(rule.sources))
        if silos:
            total += float(weights.get("source", 0.5))
            reasons.append(f"known from {', '.join(silos)} for {name}")
        if total:
            scores[name] = total
    return scores, reasons


def classify_person(p: Person, rules: Rules, as_of: datetime) -> Classification:
    """Classify one contact read from an account graph (see :func:`classify_contacts`)."""
    inter, inter_reasons = _interactions(p, rules, as_of)
    evid, evid_reasons = _evidence(p, rules)
    order = rules.category_order
    engaged = bool(p.touch_count or p.opportunities)
    share = float(rules.section("classification").get("secondary_share", 0.25))
    reasons: list[str] = []
    if not engaged:
        primary = UNENGAGED
        reasons.append("no touchpoints and no opportunities: unengaged, whatever the title says")
        secondary = sorted(evid, key=lambda c: (-evid[c], order[c]))
        reasons += [f"(title only) {r}" for r in evid_reasons]
    else:
        if inter:
            top = max(inter.values())
            tied = [c for c, s in inter.items() if s == top]
            primary = min(tied, key=lambda c: (-evid.get(c, 0.0), order[c]))
            reasons.append(f"primary {primary}: highest interaction score {top:g}")
        elif evid:
            primary = min(evid, key=lambda c: (-evid[c], order[c]))
            reasons.append(
                f"primary {primary}: interactions are generic "
                f"({', '.join(sorted(p.kinds)) or 'none'}), "
                f"so title/department evidence {evid[primary]:g} decides"
            )
        else:
            primary = str(rules.section("classification").get("fallback", "end_user"))
            reasons.append(
                f"primary {primary}: engaged ({p.touch_count} touchpoints) but no rule matches"
            )
        reasons += inter_reasons + evid_reasons
        threshold = share * inter.get(primary, 0.0)
        secondary = sorted(
            (
                c
                for c in set(inter) | set(evid)
                if c not in (primary, UNENGAGED)
                and ((c in inter and inter[c] >= threshold) or c in evid)
            ),
            key=lambda c: (-inter.get(c, 0.0), -evid.get(c, 0.0), order[c]),
        )
    return Classification(
        contact_id=p.id,
        name=p.name,
        primary=primary,
        secondary=secondary,
        engaged=engaged,
        interaction_scores=inter,
        evidence_scores=evid,
        reasons=reasons,
    )


def classify_contacts(
    G: AccountSource,
    *,
    rules: Rules | None = None,
    as_of: date | datetime | str | None = None,
    facts: AccountFacts | None = None,
) -> dict[str, Classification]:
    """One primary category and any secondary ones for every contact of an account graph.

    Parameters
    ----------
    G : nx.MultiDiGraph
        An account graph (see :mod:`graph.neighbourhood`).
    rules : Rules, optional
        Category rules (``graph/readings/rules/default.toml`` when None).
    as_of : date, datetime or ISO string, optional
        Ignore touchpoints after this moment; now when None.
    facts : AccountFacts, optional
        ``G`` already read by :func:`graph.readings.facts.account_facts`.

    Returns
    -------
    dict
        Contact id -> :class:`Classification` with ``reasons``.

    Examples
    --------
    >>> from graph.readings.testing import AccountBuilder
    >>> b = AccountBuilder("acme")
    >>> _ = b.contact("ann", title="IT Manager")
    >>> _ = b.touch("t1", "contract_signature", "2025-01-10", contacts=["ann"])
    >>> classify_contacts(b.G, as_of="2025-02-01")["ann"].primary
    'decision_maker'
    """
    f = facts_of(G, as_of, facts)
    r = resolve(rules)
    return {cid: classify_person(p, r, f.as_of) for cid, p in f.contacts.items()}
