"""Contact mix: how many contacts of each category, as counts and ratios.

Per account from its classification (current employees only: people who left and
outsiders are not part of the account's mix); per segment and for the whole database
from per-account counts (plain data, see :mod:`graph.readings.database`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.readings.classification import Classification
from graph.readings.facts import AccountFacts


@dataclass
class Mix:
    """Counts and ratios of primary categories."""

    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    ratios: dict[str, float] = field(default_factory=dict)
    accounts: int = 1


def mix_of(counts: Mapping[str, int], *, accounts: int = 1, categories: Iterable[str] = ()) -> Mix:
    """A :class:`Mix` from category counts; ``categories`` are listed even when zero.

    Examples
    --------
    >>> m = mix_of({"decision_maker": 1, "end_user": 3})
    >>> m.total, m.ratios["end_user"]
    (4, 0.75)
    """
    full = {c: 0 for c in categories}
    full.update({c: int(n) for c, n in counts.items()})
    total = sum(full.values())
    ratios = {c: (round(n / total, 4) if total else 0.0) for c, n in full.items()}
    return Mix(total=total, counts=full, ratios=ratios, accounts=accounts)


def account_mix(
    classification: Mapping[str, Classification],
    facts: AccountFacts,
    *,
    categories: Iterable[str] = (),
) -> Mix:
    """The mix of an account's current contacts.

    Parameters
    ----------
    classification : mapping
        Contact id -> :class:`Classification` (from :func:`classify_contacts`).
    facts : AccountFacts
        The same account, to tell current employees from people who left.
    categories : iterable of str
        Categories to list even with no contact (the rules' categories).
    """
    counts = Counter(
        c.primary
        for cid, c in classification.items()
        if cid in facts.contacts and facts.contacts[cid].current
    )
    return mix_of(counts, categories=categories)


def mix_by_segment(
    summaries: Iterable[Mapping[str, Any]],
    by: str,
    *,
    categories: Iterable[str] = (),
) -> dict[str, Mix]:
    """Sum per-account mixes within each value of a segment field.

    Parameters
    ----------
    summaries : iterable of mapping
        One per account, with ``mix`` (category -> count) and the segment field
        (``industry``, ``size_band``, ``region``...); a missing value counts as "unknown".
    by : str
        The segment field; ``"all"`` sums the whole database into one mix.

    Examples
    --------
    >>> rows = [{"industry": "Retail", "mix": {"end_user": 2}},
    ...         {"industry": "Retail", "mix": {"decision_maker": 2}},
    ...         {"industry": "Banking", "mix": {"end_user": 1}}]
    >>> seg = mix_by_segment(rows, "industry")
    >>> seg["Retail"].ratios["end_user"], seg["Retail"].accounts
    (0.5, 2)
    """
    sums: dict[str, Counter[str]] = defaultdict(Counter)
    n: Counter[str] = Counter()
    cats = list(categories)
    for s in summaries:
        value = "all" if by == "all" else str(s.get(by) or "unknown")
        sums[value].update({c: int(k) for c, k in (s.get("mix") or {}).items()})
        n[value] += 1
    return {v: mix_of(sums[v], accounts=n[v], categories=cats) for v in sorted(sums)}
