"""How far classification agrees with the roles people entered: accuracy, macro-F1, confusion.

Pure arithmetic over (entered, read) pairs; :mod:`graph.evaluate` gathers the pairs
from a store, classifying each contact without its own entered role.

* **accuracy** = share of contacts whose primary category is the entered one;
* **macro-F1** = mean over entered categories of ``2 * precision * recall /
  (precision + recall)``: a category of three people counts as much as one of three
  hundred, so always answering "end user" scores well on accuracy and badly here;
* the **confusion** matrix counts entered -> read.

Two baselines sit next to it: the **majority** role (always the commonest entered
category) and **title words only** (the title's reading alone, see
:func:`graph.readings.signals.title_evidence`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Score:
    """Agreement of one way of reading roles with the entered ones."""

    name: str
    accuracy: float
    macro_f1: float
    correct: int
    total: int


@dataclass
class Agreement:
    """What ``accountgraph evaluate`` reports."""

    contacts: int  # engaged contacts with an entered role, scored
    classification: Score
    majority: Score
    title_only: Score
    majority_role: str | None
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # entered -> read -> n
    per_category: dict[str, dict[str, float]] = field(default_factory=dict)  # precision...
    folds: int = 0
    left_out: int = 0  # contacts with an entered role but no touchpoints or deals
    weights_from: str = ""  # what the signal weights rested on
    notes: list[str] = field(default_factory=list)


def score(name: str, pairs: Sequence[tuple[str, str]]) -> Score:
    """Accuracy and macro-F1 of (entered, read) pairs.

    >>> s = score("x", [("a", "a"), ("a", "b"), ("b", "b")])
    >>> round(s.accuracy, 3), round(s.macro_f1, 3)
    (0.667, 0.667)
    """
    total = len(pairs)
    correct = sum(1 for t, p in pairs if t == p)
    f1s = [f for f in _per_category(pairs).values()]
    macro = sum(x["f1"] for x in f1s) / len(f1s) if f1s else 0.0
    return Score(name, correct / total if total else 0.0, macro, correct, total)


def _per_category(pairs: Sequence[tuple[str, str]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for c in sorted({t for t, _ in pairs}):
        tp = sum(1 for t, p in pairs if t == c and p == c)
        fp = sum(1 for t, p in pairs if t != c and p == c)
        fn = sum(1 for t, p in pairs if t == c and p != c)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[c] = {"precision": precision, "recall": recall, "f1": f1, "entered": tp + fn}
    return out


def agreement(rows: Sequence[tuple[str, str, str]], *, folds: int = 0, left_out: int = 0,
              weights_from: str = "") -> Agreement:
    """Scores of (entered, classified, title only) triples, with both baselines.

    >>> a = agreement([("decision_maker", "decision_maker", "decision_maker"),
    ...                ("end_user", "end_user", "decision_maker"),
    ...                ("end_user", "technical_evaluator", "end_user")])
    >>> a.classification.correct, a.majority.correct, a.title_only.correct
    (2, 2, 2)
    >>> a.confusion["end_user"]
    {'end_user': 1, 'technical_evaluator': 1}
    """
    counts = Counter(t for t, _, _ in rows)
    majority = min(counts, key=lambda c: (-counts[c], c)) if counts else None
    confusion: dict[str, dict[str, int]] = {}
    for t, p, _ in rows:
        row = confusion.setdefault(t, {})
        row[p] = row.get(p, 0) + 1
    confusion = {t: dict(sorted(r.items())) for t, r in sorted(confusion.items())}
    pairs = [(t, p) for t, p, _ in rows]
    notes = []
    if len(rows) < 30:
        notes.append(f"only {len(rows)} contacts have an entered role: the numbers are rough")
    return Agreement(
        contacts=len(rows),
        classification=score("classification", pairs),
        majority=score(f"always {majority}", [(t, majority or "") for t, _, _ in rows]),
        title_only=score("title words only", [(t, x) for t, _, x in rows]),
        majority_role=majority,
        confusion=confusion,
        per_category=_per_category(pairs),
        folds=folds,
        left_out=left_out,
        weights_from=weights_from,
        notes=notes,
    )
