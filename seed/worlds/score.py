"""Score readings against a world's truth: pure functions over plain data.

* :func:`score_classification`: accuracy and macro-F1 of the primary category on
  engaged contacts, beside the majority role and a title-words rule;
* :func:`score_status`: the share of each status among accounts that buy and those
  that do not, and the AUC of "can grow" between them;
* :func:`score_triggers`: the rank of each planted driver and of each noise field
  among the readings' ranked triggers, and whether losing drivers are flagged.

Readings come in as the readings give them (``Classification.primary``,
``Status.status``, :class:`graph.readings.triggers.Triggers`); the store is read
elsewhere (:mod:`seed.worlds.measure`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from seed.worlds.baselines import majority, title_category
from seed.worlds.truth import BUYING, NOT_BUYING, Driver, Truth

LOSING_WORDS = ("losing", "loses", "lose", "loss", "negative")


def accuracy(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """Share of positions where the prediction equals the truth.

    >>> accuracy(["a", "b", "b"], ["a", "b", "a"])
    0.6667
    """
    if not truth:
        return 0.0
    return round(sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth), 4)


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean F1 over the labels that occur in ``truth`` (a label never true is not averaged).

    >>> macro_f1(["a", "a", "b", "b"], ["a", "a", "a", "b"])
    0.7333
    """
    labels = sorted(set(truth))
    if not labels:
        return 0.0
    scores = []
    for label in labels:
        tp = sum(t == label and p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(t != label and p == label for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label and p != label for t, p in zip(truth, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return round(sum(scores) / len(scores), 4)


def auc(positives: Iterable[float], negatives: Iterable[float]) -> float | None:
    """Chance a random positive scores above a random negative (ties count half).

    >>> auc([1, 1, 0], [0, 0])
    0.8333
    """
    pos, neg = list(positives), list(negatives)
    if not pos or not neg:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return round(wins / (len(pos) * len(neg)), 4)


@dataclass
class ClassificationScore:
    contacts: int  # engaged contacts scored
    accuracy: float
    macro_f1: float
    majority_role: str
    majority_accuracy: float
    majority_macro_f1: float
    title_accuracy: float
    title_macro_f1: float
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # true -> read -> n


def score_classification(
    predicted: Mapping[str, str], truth: Truth, titles: Mapping[str, str | None]
) -> ClassificationScore:
    """The primary categories read (contact id -> category) against the true roles.

    Scores the contacts with any touchpoint (``truth.engaged``) that the readings
    classified; ``titles`` (contact id -> title as stored) feed the title baseline.
    """
    ids = sorted(c for c in truth.engaged if c in predicted and c in truth.roles)
    true = [truth.category(c) for c in ids]
    read = [predicted[c] for c in ids]
    most = majority(true)
    titled = [title_category(titles.get(c)) for c in ids]
    confusion: dict[str, Counter[str]] = {}
    for t, p in zip(true, read, strict=True):
        confusion.setdefault(t, Counter())[p] += 1
    return ClassificationScore(
        contacts=len(ids), accuracy=accuracy(true, read), macro_f1=macro_f1(true, read),
        majority_role=most, majority_accuracy=accuracy(true, [most] * len(ids)),
        majority_macro_f1=macro_f1(true, [most] * len(ids)),
        title_accuracy=accuracy(true, titled), title_macro_f1=macro_f1(true, titled),
        confusion={t: dict(sorted(c.items())) for t, c in sorted(confusion.items())},
    )


@dataclass
class StatusScore:
    counts: dict[str, dict[str, int]]  # outcome -> status -> accounts
    shares: dict[str, dict[str, float]]  # outcome -> status -> share of the outcome's accounts
    buying: int
    not_buying: int
    can_grow_auc: float | None  # "can grow" between buying and not-buying accounts
    can_grow_buying: float  # share of buying accounts read "can grow"
    can_grow_not_buying: float


def score_status(statuses: Mapping[str, str], truth: Truth) -> StatusScore:
    """How the status read (company id -> status) splits accounts by true outcome."""
    counts: dict[str, Counter[str]] = {}
    for company, status in statuses.items():
        counts.setdefault(str(truth.outcomes[company]), Counter())[status] += 1
    pos = [float(s == "can_grow") for c, s in statuses.items() if truth.outcomes[c] in BUYING]
    neg = [float(s == "can_grow") for c, s in statuses.items()
           if truth.outcomes[c] in NOT_BUYING]
    return StatusScore(
        counts={o: dict(sorted(c.items())) for o, c in sorted(counts.items())},
        shares={o: {s: round(n / sum(c.values()), 4) for s, n in sorted(c.items())}
                for o, c in sorted(counts.items())},
        buying=len(pos), not_buying=len(neg), can_grow_auc=auc(pos, neg),
        can_grow_buying=round(sum(pos) / len(pos), 4) if pos else 0.0,
        can_grow_not_buying=round(sum(neg) / len(neg), 4) if neg else 0.0,
    )


@dataclass
class DriverScore:
    driver: Driver
    rank: int | None  # 1-based position among the ranked triggers; None: not ranked
    feature: str | None  # the trigger that matched it
    difference: float | None  # its win rate with minus without
    flagged: bool  # marked as going with winning (or losing, for a losing driver)


@dataclass
class TriggerScore:
    ranked: int  # triggers the readings ranked
    drivers: list[DriverScore] = field(default_factory=list)
    noise: dict[str, int | None] = field(default_factory=dict)  # field -> best rank
    proxies: dict[str, int | None] = field(default_factory=dict)
    best_noise_rank: int | None = None
    drivers_above_noise: bool = False  # every driver ranked, all above every noise field
    losing_flagged: bool = False  # every losing driver flagged as losing


def _same(a: Any, b: str) -> bool:
    return str(a).strip().lower() == b.strip().lower()


def _is_field(feature: str, name: str) -> bool:
    """``region`` is ``region`` or ``company.region``; a driver's word may sit inside."""
    return feature == name or feature.endswith("." + name)


def _flagged(t: Any, losing: bool) -> bool:
    """Whether a trigger is marked as going with winning, or with losing."""
    if losing:
        side = str(getattr(t, "direction", "") or getattr(t, "side", "")).lower()
        return float(t.difference) < 0 and (
            bool(getattr(t, "significant", False)) or side in LOSING_WORDS
            or bool(getattr(t, "losing", False)))
    return float(t.difference) > 0 and bool(getattr(t, "significant", False))


def score_triggers(triggers: Any, truth: Truth) -> TriggerScore:
    """Where the planted drivers and the noise fields land among the ranked triggers.

    ``triggers`` is a :class:`graph.readings.triggers.Triggers` (anything with a
    ``ranked`` list of items with ``feature``, ``value``, ``difference`` and
    ``significant``). A trigger is a driver when its feature name contains the
    driver's field (``revenue_band``; ``seniority`` in e.g. ``deal.seniority_reached``)
    and its value is the driver's value; a noise field matches by name.
    A losing driver is flagged when its trigger has a negative difference and is
    marked significant (or carries ``direction``/``side`` "loses"/"losing").
    """
    ranked = list(getattr(triggers, "ranked", []))
    out = TriggerScore(ranked=len(ranked))
    for d in truth.drivers:
        hits = [(i + 1, t) for i, t in enumerate(ranked)
                if d.field in str(t.feature) and _same(t.value, d.value)]
        rank, t = hits[0] if hits else (None, None)
        out.drivers.append(DriverScore(
            driver=d, rank=rank, feature=str(t.feature) if t is not None else None,
            difference=float(t.difference) if t is not None else None,
            flagged=t is not None and _flagged(t, losing=not d.winning)))

    def best(name: str) -> int | None:
        return next((i + 1 for i, t in enumerate(ranked) if _is_field(str(t.feature), name)),
                    None)

    out.noise = {name: best(name) for name in truth.noise_fields}
    out.proxies = {name: best(name) for name in truth.proxy_fields}
    noise_ranks = [r for r in out.noise.values() if r is not None]
    out.best_noise_rank = min(noise_ranks, default=None)
    driver_ranks = [s.rank for s in out.drivers]
    out.drivers_above_noise = bool(driver_ranks) and all(r is not None for r in driver_ranks) \
        and (out.best_noise_rank is None
             or max(r for r in driver_ranks if r is not None) < out.best_noise_rank)
    losing = [s for s in out.drivers if not s.driver.winning]
    out.losing_flagged = bool(losing) and all(s.flagged for s in losing)
    return out
