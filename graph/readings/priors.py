"""How much each signal tells about each category, estimated from the database itself.

A demo that every member of a buying committee attends says nothing about anyone's
role; a contract signature says a lot. :func:`estimate_priors` measures that from
**labelled** contacts (a role a rep entered, roles on deals, or what the title says,
see :mod:`graph.readings.signals`): for a signal ``s`` and category ``c``

    P(c | s)  = (n(s, c) + k * P0(c | s)) / (n(s) + k)
    weight    = clip(log2(P(c | s) / P(c)), -max_negative, max_weight)       in bits

where ``n(s, c)`` is the label mass of category ``c`` among engaged labelled contacts
with signal ``s``, ``P(c)`` its share among all engaged labelled contacts, and
``P0(c | s)`` what the rules file's own weight says (``[categories.X] touchpoints``,
read as bits over the base rate), counted as ``k = prior_strength`` contacts: with
little data the rules speak, with a lot the data does. A negative weight says the
signal makes the category *less* likely (champions rarely file support tickets). A
category that labels never name (no title says "champion") keeps the rules' weight:
the data cannot speak for it.

The counts come from one pass over the store (:mod:`graph.evidence`), cached per rules
version and data change; this module is pure arithmetic over them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from graph.readings.rules import UNENGAGED, Rules
from graph.readings.signals import PROFILE_SIGNALS

#: a label mass below this (contacts) is "the data does not name this category"
MIN_LABEL_MASS = 5.0


@dataclass
class SignalCounts:
    """Label mass per category among engaged labelled contacts, and per signal."""

    labels: dict[str, float] = field(default_factory=dict)  # category -> mass
    by_signal: dict[str, dict[str, float]] = field(default_factory=dict)  # signal -> cat -> mass
    engaged: int = 0  # engaged contacts, labelled or not
    with_signal: dict[str, int] = field(default_factory=dict)  # signal -> engaged contacts

    def add(self, label: Mapping[str, float] | None, signals: Iterable[str],
            sign: int = 1, weight: int = 1) -> None:
        """Count ``weight`` engaged contacts alike (``sign=-1`` takes them back out)."""
        sigs = list(signals)
        sign *= weight
        self.engaged += sign
        for s in sigs:
            self.with_signal[s] = self.with_signal.get(s, 0) + sign
        if not label:
            return
        for c, m in label.items():
            self.labels[c] = self.labels.get(c, 0.0) + sign * m
            for s in sigs:
                row = self.by_signal.setdefault(s, {})
                row[c] = row.get(c, 0.0) + sign * m

    def merged(self, other: SignalCounts, sign: int = 1) -> SignalCounts:
        """These counts plus (or minus) ``other``'s."""
        out = SignalCounts(dict(self.labels), {s: dict(r) for s, r in self.by_signal.items()},
                           self.engaged + sign * other.engaged, dict(self.with_signal))
        for c, m in other.labels.items():
            out.labels[c] = out.labels.get(c, 0.0) + sign * m
        for s, row in other.by_signal.items():
            mine = out.by_signal.setdefault(s, {})
            for c, m in row.items():
                mine[c] = mine.get(c, 0.0) + sign * m
        for s, n in other.with_signal.items():
            out.with_signal[s] = out.with_signal.get(s, 0) + sign * n
        return out


@dataclass
class Evidence:
    """Counts in two pools: contacts whose role a person entered, and the rest (labelled,
    if at all, by their title).

    Titles cannot say "champion", so a pool of title labels under-counts champions and
    makes everything champions do look specific to them; roles people entered have no
    such blind spot. Weights come from the entered pool once it holds
    ``min_entered`` contacts, from the title pool before that.
    """

    entered: SignalCounts = field(default_factory=SignalCounts)
    titles: SignalCounts = field(default_factory=SignalCounts)

    def merged(self, other: Evidence, sign: int = 1) -> Evidence:
        return Evidence(self.entered.merged(other.entered, sign),
                        self.titles.merged(other.titles, sign))


@dataclass(frozen=True)
class Priors:
    """Signal -> category -> weight in bits, and the evidence behind each weight."""

    weights: dict[str, dict[str, float]]
    base: dict[str, float]  # category -> share among labelled engaged contacts
    spread: dict[str, float]  # signal -> share of engaged contacts who show it
    labelled: float  # label mass the estimate rests on (0: the rules alone)
    engaged: int
    origin: str  # what the weights rest on: "rules", "entered roles", "titles"

    def weight(self, signal: str, category: str) -> float:
        return self.weights.get(signal, {}).get(category, 0.0)


def _rule_weights(rules: Rules) -> dict[str, dict[str, float]]:
    """Signal -> category -> the rules file's own weight (bits)."""
    out: dict[str, dict[str, float]] = {}
    for name, rule in rules.categories.items():
        for kind, w in rule.touchpoints.items():
            out.setdefault(f"kind:{kind}", {})[name] = w
        for stage, w in rule.opportunities.items():
            key = {"any": "deal:open"}.get(stage, f"deal:{stage}")
            out.setdefault(key, {})[name] = w
        for silo in rule.sources:
            out.setdefault(f"source:{silo}", {})[name] = float(
                rules.section("classification").get("evidence", {}).get("source", 0.5))
    return out


def rules_priors(rules: Rules) -> Priors:
    """The weights the rules file states, with no data to estimate from."""
    return Priors(_rule_weights(rules), {}, {}, 0.0, 0, "rules")


def estimate_priors(evidence: Evidence | SignalCounts, rules: Rules) -> Priors:
    """Signal weights estimated from the counts and shrunk towards the rules' own.

    From the pool of entered roles when it holds ``min_entered`` contacts, else from
    title labels (see :class:`Evidence`); a bare :class:`SignalCounts` is one pool.

    Examples
    --------
    >>> from graph.readings.rules import load_rules
    >>> rules = load_rules()
    >>> c = SignalCounts()
    >>> for i in range(100):   # everyone has demos; decision makers sign
    ...     role = ["decision_maker", "technical_evaluator", "end_user"][min(i // 20, 2)]
    ...     sigs = ["kind:demo"] + (["kind:contract_signature"] if i < 18 else [])
    ...     c.add({role: 1.0}, sigs)
    >>> p = estimate_priors(c, rules)
    >>> p.weight("kind:demo", "technical_evaluator") < 0.5
    True
    >>> p.weight("kind:contract_signature", "decision_maker") > 2
    True
    """
    cfg = rules.section("classification")
    if isinstance(evidence, Evidence):
        everyone = evidence.entered.merged(evidence.titles)
        enough = evidence.entered.engaged >= int(cfg.get("min_entered", 50))
        pool = evidence.entered if enough else evidence.titles
        counts = SignalCounts(pool.labels, pool.by_signal, everyone.engaged, everyone.with_signal)
        origin = "entered roles" if enough else "titles"
    else:
        counts, origin = evidence, "labels"
    k = float(cfg.get("prior_strength", 20.0))
    cap = float(cfg.get("max_weight", 4.0))
    floor = -float(cfg.get("max_negative", 2.0))
    # Estimates this close to nothing are mostly noise, and many of them add up.
    least = float(cfg.get("min_weight", 0.0))
    cats = [c for c in rules.categories if c != UNENGAGED]
    total = sum(max(0.0, counts.labels.get(c, 0.0)) for c in cats)
    stated = _rule_weights(rules)
    spread = {s: n / counts.engaged for s, n in sorted(counts.with_signal.items())
              if counts.engaged > 0}
    if total <= 0:
        return Priors(stated, {}, spread, 0.0, counts.engaged, "rules")
    # Every category gets half a contact of base mass: a share of zero has no log.
    smooth = {c: (max(0.0, counts.labels.get(c, 0.0)) + 0.5) for c in cats}
    norm = sum(smooth.values())
    base = {c: m / norm for c, m in smooth.items()}
    named = {c for c in cats if counts.labels.get(c, 0.0) >= MIN_LABEL_MASS}
    weights: dict[str, dict[str, float]] = {}
    learnt = set(counts.by_signal)
    if origin != "entered roles":
        # Title labels would only teach back what the title table says.
        learnt = {s for s in learnt if not s.startswith(PROFILE_SIGNALS)}
    for s in sorted(learnt | set(stated)):
        row = counts.by_signal.get(s, {})
        n_s = sum(max(0.0, row.get(c, 0.0)) for c in cats)
        # The rules' view of P(c | s): the base rate tilted by the stated bits.
        tilt = {c: base[c] * 2 ** stated.get(s, {}).get(c, 0.0) for c in cats}
        z = sum(tilt.values())
        out: dict[str, float] = {}
        for c in cats:
            if c not in named:
                w = stated.get(s, {}).get(c, 0.0)
            else:
                p = (max(0.0, row.get(c, 0.0)) + k * tilt[c] / z) / (n_s + k)
                w = math.log2(p / base[c]) if p > 0 else 0.0
            w = min(cap, max(floor if c in named else 0.0, w))
            if abs(w) > max(0.005, least if c in named else 0.0):
                out[c] = round(w, 4)
        if out:
            weights[s] = out
    return Priors(weights, base, spread, round(total, 4), counts.engaged, origin)
