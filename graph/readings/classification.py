"""Contact classification: one primary category per contact, from weighed evidence.

Every piece of evidence counts towards a category in **bits** (how much more likely
the category becomes; formulas in ``docs/readings.md``):

* a role a rep **entered** for the contact decides the primary category, shown as
  entered by a person; what the evidence alone says is kept (``inferred``) and, when
  it disagrees, said;
* **roles on deals** a rep entered: ``deal_role`` bits each;
* the **title** (read by :mod:`graph.readings.titles`), department and seniority, as the
  rules' ``[classification.title]`` tables say;
* **signals** (touchpoint kinds, deals, silos) weighted by how specific each is to the
  category in this database (:mod:`graph.readings.priors`), a signal seen ``n`` times
  counting ``min(1 + log2 n, count_cap)`` times: volume alone cannot outvote a
  signature;
* **champion behaviour** (:mod:`graph.readings.champions`).

The primary category is the one with the most bits, when it reaches ``min_evidence``;
otherwise ``fallback`` (end user). A contact with no touchpoints, no deals and no
entered role is ``unengaged``, whatever the title says (the title's suggestion is kept
as a secondary category). Reasons are in a rep's words: "2 of 3 purchase orders at
this account involved Ann", "title CTO: C-level, IT".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from graph.readings.champions import Behaviour, champion_behaviour
from graph.readings.facts import AccountFacts, AccountSource, Person, as_datetime, facts_of
from graph.readings.priors import Priors
from graph.readings.rules import UNENGAGED, Rules, resolve
from graph.readings.signals import (
    PROFILE_SIGNALS,
    Profile,
    category_of,
    entered_category,
    profile_of,
    profile_signals,
    signals_of,
    title_words_of,
)
from graph.readings.signals import title_evidence as _title_evidence


@dataclass
class Classification:
    """One contact's categories and why."""

    contact_id: str
    name: str
    primary: str
    secondary: list[str] = field(default_factory=list)
    engaged: bool = False
    interaction_scores: dict[str, float] = field(default_factory=dict)  # behaviour, bits
    evidence_scores: dict[str, float] = field(default_factory=dict)  # title etc., bits
    reasons: list[str] = field(default_factory=list)
    entered: str | None = None  # the category a person entered, when one did
    entered_by: str | None = None
    entered_at: datetime | None = None
    inferred: str = UNENGAGED  # what the evidence says without the entered role
    function: str | None = None  # from the department, or read from the title
    level: str | None = None  # from the seniority, or read from the title
    function_inferred: bool = False  # True: read from the title, not stored
    level_inferred: bool = False


_PLURAL = {
    "email": "emails", "call": "calls", "meeting": "meetings", "event": "events",
    "webinar": "webinars", "direct_mail": "mail pieces", "support_ticket": "support tickets",
    "invoice": "invoices", "payment": "payments", "purchase_order": "purchase orders",
    "contract_signature": "contract signatures", "demo": "demos", "survey": "surveys",
    "analyst_briefing": "analyst briefings", "press_inquiry": "press inquiries",
    "reference": "references", "referral": "referrals",
}
_DEALS = {"deal:closed_won": "won deals", "deal:closed_lost": "lost deals",
          "deal:open": "open deals"}
_SOURCES = {"finance": "finance (accounts payable)", "support": "support",
            "investor_relations": "investor relations", "marketing": "marketing",
            "sales": "sales", "event": "events", "purchased": "a purchased list"}


def _strength_words(bits: float) -> str:
    return "a strong sign" if bits >= 2.0 else "a sign" if bits >= 1.0 else "a weak sign"


def _count_factor(n: int, cap: float, slope: float) -> float:
    """How many times a signal seen ``n`` times counts: 1, 1.5, 2 ... at most ``cap``."""
    return min(cap, 1.0 + slope * math.log2(n)) if n > 0 else 0.0


@dataclass
class _Context:
    """What every contact of one account shares while classified."""

    def profile(self, p: Person) -> tuple[Profile, dict[str, tuple[float, str]]]:
        """A contact's profile and its title evidence (once per title, seniority, department)."""
        key = (p.title, p.seniority, p.department)
        found = self.profiles.get(key)
        if found is None:
            profile = profile_of(p.title, p.seniority, p.department)
            found = self.profiles[key] = (profile, self.title_evidence(profile))
        return found

    def title_evidence(self, profile: Profile) -> dict[str, tuple[float, str]]:
        """The title's bits: learnt from entered roles when the weights were, else the
        rules' title tables (a category's own title words count either way)."""
        told = _title_evidence(profile, self.rules)
        if not self.learnt_titles:
            return told
        said = title_words_of(profile)
        out = {c: (w, words) for c, (w, words) in told.items() if "names a" in words}
        for s in profile_signals(profile):
            for c, w in self.priors.weights.get(s, {}).items():
                old, _ = out.get(c, (0.0, said))
                out[c] = (old + w, said)
        return {c: v for c, v in out.items() if v[0]}

    rules: Rules
    priors: Priors
    facts: AccountFacts
    totals: dict[str, int]  # signal -> its count at this account (kinds: touchpoints)
    behaviour: dict[str, Behaviour]
    labels: dict[str, str]
    cap: float
    slope: float
    deal_bits: float
    primary_bits: float
    learnt_titles: bool = False
    memo: dict[tuple[str, int], _Terms] = field(default_factory=dict)
    profiles: dict[tuple[Any, ...], tuple[Profile, dict[str, tuple[float, str]]]] = field(
        default_factory=dict)

    def closed(self, o: dict[str, Any]) -> bool:
        """An opportunity counts as closed once its close date is past ``as_of``."""
        when = as_datetime(o.get("close_date"))
        return when is None or when <= self.facts.as_of


def _signal_words(signal: str, n: int, ctx: _Context) -> str:
    kind, _, what = signal.partition(":")
    if kind == "kind":
        plural = _PLURAL.get(what, what)
        total = ctx.totals.get(signal, n)
        if total > n:
            return f"took part in {n} of the {total} {plural} at this account"
        if n == 1:
            return f"1 {plural.removesuffix('s')}, the only one at this account"
        return f"all {n} {plural} at this account"
    if kind == "deal":
        deals = _DEALS.get(signal, signal)
        return f"on {n} {deals if n != 1 else deals.removesuffix('s')}"
    if kind == "mostly":
        return f"mostly {_PLURAL.get(what, what)}"
    return f"known from {_SOURCES.get(what, what)}"


_Terms = tuple[tuple[tuple[str, float], ...], tuple[tuple[str, float, str], ...], str | None]


def _terms(signal: str, n: int, ctx: _Context) -> _Terms:
    """What ``n`` of a signal add to each category, the reasons, and a word on volume
    that says nothing; the same for every contact of the account with that count."""
    row = ctx.priors.weights.get(signal, {})
    if not any(w > 0 for w in row.values()):
        spread = ctx.priors.spread.get(signal)
        quiet = None
        if signal.startswith("kind:") and n >= 3 and spread is not None and spread >= 0.3:
            quiet = (f"{n} {_PLURAL.get(signal[5:], signal[5:])}: says little about a role "
                     f"here ({spread:.0%} of engaged contacts have them)")
        return (tuple((c, w) for c, w in row.items()), (), quiet)
    counted = signal.startswith(("kind:", "deal:"))
    factor = _count_factor(n, ctx.cap, ctx.slope) if counted else 1.0
    words = _signal_words(signal, n, ctx)
    bits = tuple((c, w * factor) for c, w in row.items())
    # What argues against a category counts, but is not a reason for it.
    said = tuple((c, b, f"{words} ({_strength_words(b)})") for c, b in bits if b > 0)
    return bits, said, None


def _weigh_signals(p: Person, ctx: _Context, scores: dict[str, float],
                   said: dict[str, list[tuple[float, str]]], quiet: list[str]) -> None:
    memo = ctx.memo
    for s, n in signals_of(p.kinds, p.opportunities, p.sources, ctx.closed).items():
        terms = memo.get((s, n))
        if terms is None:
            terms = memo[(s, n)] = _terms(s, n, ctx)
        for c, b in terms[0]:
            scores[c] = scores.get(c, 0.0) + b
        for c, b, words in terms[1]:
            said.setdefault(c, []).append((b, words))
        if terms[2]:
            quiet.append(terms[2])


def _weigh_deal_roles(p: Person, ctx: _Context, scores: dict[str, float],
                      said: dict[str, list[tuple[float, str]]], notes: list[str]) -> None:
    for d in p.deal_roles:
        c = category_of(d.role, ctx.rules)
        primary = " (primary contact)" if d.is_primary else ""
        if c is None:
            if d.role:
                notes.append(f"role on deal {d.opportunity_name!r} entered as {d.role!r}: "
                             f"not one of our categories (add it to a category's aliases)")
            continue
        bits = ctx.deal_bits + (ctx.primary_bits if d.is_primary else 0.0)
        scores[c] = scores.get(c, 0.0) + bits
        said.setdefault(c, []).append(
            (bits, f"entered as {ctx.labels[c].lower()} on deal {d.opportunity_name!r}{primary}"))


def _classify(p: Person, rules: Rules, ctx: _Context) -> Classification:
    """Classify one contact of the account ``ctx`` reads (see :func:`classify_contacts`)."""
    labels = ctx.labels
    order = rules.category_order
    cfg = rules.section("classification")
    profile, title = ctx.profile(p)
    evidence = {c: w for c, (w, _) in title.items()}
    behaviour: dict[str, float] = {}
    said: dict[str, list[tuple[float, str]]] = {}
    for c, (w, words) in title.items():
        if w > 0:
            said.setdefault(c, []).append((w, words))
    quiet: list[str] = []
    notes: list[str] = []
    _weigh_signals(p, ctx, behaviour, said, quiet)
    _weigh_deal_roles(p, ctx, behaviour, said, notes)
    champ = ctx.behaviour.get(p.id)
    if champ is not None and "champion" in rules.categories:
        behaviour["champion"] = behaviour.get("champion", 0.0) + champ.bits
        said.setdefault("champion", []).append((champ.bits, "behaves like a champion: "
                                                + ", ".join(champ.said)))
    total = {c: evidence.get(c, 0.0) + behaviour.get(c, 0.0)
             for c in set(evidence) | set(behaviour) if c != UNENGAGED}
    engaged = bool(p.touch_count or p.opportunities)
    least = float(cfg.get("min_evidence", 0.75))
    fallback = str(cfg.get("fallback", "end_user"))
    ranked = sorted(total, key=lambda c: (-total[c], order[c]))
    entered = entered_category(p.entered.roles, rules) if p.entered else None
    reasons: list[str] = []
    if not engaged:
        inferred = UNENGAGED
        secondary = [c for c in ranked if total[c] >= least]
        reasons.append("no touchpoints and no deals: unengaged, whatever the title says")
        reasons += [f"(title only) {labels[c]}: {w}" for c in secondary for _, w in said[c]]
    else:
        top = ranked[0] if ranked and total[ranked[0]] >= least else None
        inferred = top or fallback
        if top is None:
            reasons.append(f"{labels[inferred]}: engaged ({p.touch_count} touchpoints) but "
                           "nothing here points to a role")
        else:
            best = max(said[top])
            reasons.append(f"{labels[top]}: {best[1]}")
            said[top].remove(best)
        share = float(cfg.get("secondary_share", 0.5))
        bar = max(least, share * total.get(inferred, 0.0))
        # The title's own suggestion stays visible, however loud the behaviour.
        secondary = [c for c in ranked if c != inferred
                     and (total[c] >= bar or evidence.get(c, 0.0) >= least)]
        for c in [inferred, *secondary]:
            for _, words in sorted(said.get(c, []), key=lambda x: (-x[0], x[1])):
                reasons.append(f"{labels[c]}: {words}")
    primary = inferred
    if entered is not None:
        primary = entered
        who = p.entered.by if p.entered else None
        name = ctx.facts.users.get(who, {}).get("name") if who else None
        by = f" by {name or who}" if who else " by a person"
        on = f" on {p.entered.at.date().isoformat()}" if p.entered and p.entered.at else ""
        where = f" in {p.entered.source}" if p.entered and p.entered.source else ""
        head = f"{labels[entered]}: entered{by}{on}{where}"
        if inferred not in (entered, UNENGAGED):
            head += f"; the evidence alone reads {labels[inferred].lower()}"
        reasons.insert(0, head)
        secondary = [c for c in ([inferred] if inferred not in (entered, UNENGAGED) else [])
                     + secondary if c != entered]
        secondary = list(dict.fromkeys(secondary))
    elif p.entered and p.entered.roles:
        notes.append(f"entered role {', '.join(p.entered.roles)!r} is not one of our categories "
                     "(add it to a category's aliases)")
    reasons += quiet + notes
    return Classification(
        contact_id=p.id,
        name=p.name,
        primary=primary,
        secondary=secondary,
        engaged=engaged,
        interaction_scores={c: w for c, w in sorted(behaviour.items()) if w},
        evidence_scores={c: w for c, w in sorted(evidence.items()) if w},
        reasons=reasons,
        entered=entered,
        entered_by=p.entered.by if p.entered and entered else None,
        entered_at=p.entered.at if p.entered and entered else None,
        inferred=inferred,
        function=profile.function,
        level=profile.level,
        function_inferred=profile.function_inferred,
        level_inferred=profile.level_inferred,
    )


def _context(f: AccountFacts, r: Rules, strength: dict[str, float] | None) -> _Context:
    T = f.touches
    totals: dict[str, int] = {}
    if len(T):
        import numpy as np

        counts = np.bincount(T.kind, minlength=len(T.kinds))
        totals = {f"kind:{k}": int(n) for k, n in zip(T.kinds, counts.tolist(), strict=True)
                  if n}
    cfg = r.section("classification")
    return _Context(
        rules=r, priors=r.active_priors, facts=f, totals=totals,
        behaviour=champion_behaviour(f, r, strength),
        labels={name: rule.label for name, rule in r.categories.items()},
        cap=float(cfg.get("count_cap", 2.0)),
        slope=float(cfg.get("count_slope", 0.5)),
        deal_bits=float(cfg.get("deal_role", 4.0)),
        primary_bits=float(cfg.get("deal_role_primary", 1.0)),
        learnt_titles=any(s.startswith(PROFILE_SIGNALS) for s in r.active_priors.weights),
    )


def _strength_value(s: Any) -> float:
    """A :class:`~graph.readings.strength.Strength`'s value, or a plain number."""
    return float(s.strength) if hasattr(s, "strength") else float(s)


def classify_contacts(
    G: AccountSource,
    *,
    rules: Rules | None = None,
    as_of: date | datetime | str | None = None,
    facts: AccountFacts | None = None,
    strength: dict[str, Any] | None = None,
) -> dict[str, Classification]:
    """One primary category and any secondary ones for every contact of an account graph.

    Parameters
    ----------
    G : nx.MultiDiGraph, AccountData or AccountFacts
        An account graph (see :mod:`graph.neighbourhood`), or its data.
    rules : Rules, optional
        Category rules (``graph/readings/rules/default.toml`` when None), with the
        database's signal weights when the caller attached them
        (:meth:`Rules.with_priors`, see :mod:`graph.evidence`); the rules' own otherwise.
    as_of : date, datetime or ISO string, optional
        Ignore touchpoints after this moment; now when None.
    facts : AccountFacts, optional
        ``G`` already read by :func:`graph.readings.facts.account_facts`.
    strength : dict, optional
        Contact id -> :class:`~graph.readings.strength.Strength` (or a float), for the
        champion's "strong relationship"; computed when None.

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
    >>> c = classify_contacts(b.G, as_of="2025-02-01")["ann"]
    >>> c.primary
    'decision_maker'
    >>> c.reasons[0]
    'Decision maker: 1 contract signature, the only one at this account (a strong sign)'
    >>> c.reasons[1]
    'Technical evaluator: title IT Manager: Manager, IT'
    >>> c.secondary
    ['technical_evaluator']
    """
    f = facts_of(G, as_of, facts)
    r = resolve(rules)
    if strength is None:
        from graph.readings.strength import contact_strength

        strength = contact_strength(f, rules=r, facts=f, explain=False)
    values = {c: _strength_value(s) for c, s in strength.items()}
    ctx = _context(f, r, values)
    return {cid: _classify(p, r, ctx) for cid, p in f.contacts.items()}
