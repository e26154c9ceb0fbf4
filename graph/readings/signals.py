"""What a contact shows about their role, in the same terms for one account and the database.

Classification (:mod:`graph.readings.classification`) weighs a contact's **signals**
(touchpoint kinds they took part in, deals they were on, silos that knew them) by how
specific each is to a category in this database; :mod:`graph.readings.priors`
estimates that specificity from contacts whose role is known from **labels**: a role
a rep entered, their roles on deals, or their title. Both sides read contacts through
these functions, so a signal means the same thing wherever it is counted.

Signals are strings: ``kind:<touchpoint kind>``, ``mostly:<touchpoint kind>`` (what
makes up most of their touchpoints), ``deal:<closed_won|closed_lost|open>``,
``source:<silo>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graph.model import Silo, TouchpointKind
from graph.readings.rules import Rules
from graph.readings.titles import Title, read_title, title_words

CLOSED = ("closed_won", "closed_lost")


@dataclass(frozen=True)
class Profile:
    """Function and level of a contact: stored fields first, the title's reading after."""

    title: Title
    function: str | None
    level: str | None
    function_inferred: bool  # read from the title, no department stored
    level_inferred: bool  # read from the title, no seniority stored

    def describe(self) -> str:
        return ", ".join(x for x in (self.level, self.function) if x)


def profile_of(title: str | None, seniority: str | None, department: str | None) -> Profile:
    """A contact's function and level; the title fills what the store does not know.

    >>> p = profile_of("VP Engineering", None, None)
    >>> p.level, p.function, p.level_inferred
    ('VP', 'R&D', True)
    """
    return _profile(title or "", seniority, department)


@lru_cache(maxsize=20_000)
def _profile(title: str, seniority: str | None, department: str | None) -> Profile:
    t = read_title(title)
    dept = department if department and department != "Other" else None
    return Profile(
        title=t,
        function=dept or t.function,
        level=seniority or t.level,
        function_inferred=dept is None and t.function is not None,
        level_inferred=seniority is None and t.level is not None,
    )


#: "mostly:<kind>": the kind that makes up at least this share of a contact's at least
#: this many touchpoints (what they mostly do with us, however much they do)
MOSTLY_SHARE = 0.4
MOSTLY_LEAST = 3

#: signal prefixes read from the profile: learnt only from roles people entered (a title
#: cannot teach what a title means)
PROFILE_SIGNALS = ("function:", "level:")


def profile_signals(p: Profile) -> list[str]:
    """``function:<F>``, ``level:<L>`` of a profile (those it knows)."""
    return ([f"function:{p.function}"] if p.function else []) + (
        [f"level:{p.level}"] if p.level else [])


def title_evidence(p: Profile, rules: Rules) -> dict[str, tuple[float, str]]:
    """Category -> (weight, reason) from a contact's title, department and seniority.

    The rules' ``[classification.title]`` tables give each level and function its
    categories (a CFO: C-level -> decision maker, Finance -> finance); a category's own
    ``titles`` words ("journalist") name it outright.
    """
    return _title_evidence(p, rules)


def _title_evidence(p: Profile, rules: Rules) -> dict[str, tuple[float, str]]:
    memo = rules.title_memo
    found = memo.get(p)
    if found is None:
        found = memo[p] = _weigh_title(p, rules)
    return found


def _weigh_title(p: Profile, rules: Rules) -> dict[str, tuple[float, str]]:
    cfg = rules.section("classification").get("title", {})
    levels: Mapping[str, Mapping[str, float]] = cfg.get("levels", {})
    functions: Mapping[str, Mapping[str, float]] = cfg.get("functions", {})
    said = _title_words(p)
    out: dict[str, tuple[float, str]] = {}

    def add(category: str, weight: float) -> None:
        if category in rules.categories and weight > 0:
            w, _ = out.get(category, (0.0, ""))
            out[category] = (w + weight, said)

    for category, w in (levels.get(p.level or "", {}) or {}).items():
        add(category, float(w))
    for category, w in (functions.get(p.function or "", {}) or {}).items():
        add(category, float(w))
    words = p.title.words
    if words:
        keyword_weight = float(cfg.get("keyword", 2.0))
        for name, rule in rules.categories.items():
            for phrase in rule.title_phrases:
                if _contains(words, phrase):
                    w, _ = out.get(name, (0.0, ""))
                    out[name] = (w + keyword_weight,
                                 f"title {p.title.text}: '{' '.join(phrase)}' names a "
                                 f"{rules.categories[name].label.lower()}")
                    break
    return out


def title_words_of(p: Profile) -> str:
    """How a reason names the title: ``title CTO: C-level, IT``."""
    return _title_words(p)


def _title_words(p: Profile) -> str:
    """``title CTO: C-level, IT`` or ``seniority VP, department Finance``."""
    if p.title.understood:
        return f"title {p.title.text}: {p.describe()}"
    parts = []
    if p.level:
        parts.append(f"seniority {p.level}")
    if p.function:
        parts.append(f"department {p.function}")
    return ", ".join(parts)


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(words[i:i + n] == phrase for i in range(len(words) - n + 1))


def keyword_phrases(titles: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """A category's title keywords cleaned like title words (stems, abbreviations)."""
    return tuple(p for p in (title_words(t) for t in titles) if p)


def signals_of(kinds: Mapping[str, Any], opportunities: Iterable[Mapping[str, Any]],
               sources: Iterable[str], closed_by: Any = None) -> dict[str, int]:
    """Signal -> count: touchpoint kinds (``kinds``: kind -> count or (count, ...)),
    deals by stage (closed ones only when ``closed_by(opportunity)`` says so), silos."""
    out: dict[str, int] = {}
    top, most, total = None, 0, 0
    for kind, v in kinds.items():
        n = v[0] if isinstance(v, tuple) else int(v)
        if n:
            out[_KIND_SIGNAL.get(kind) or f"kind:{kind}"] = n
            total += n
            if n > most or (n == most and top is not None and kind < top):
                top, most = kind, n
    if top is not None and total >= MOSTLY_LEAST and most >= MOSTLY_SHARE * total:
        out[f"mostly:{top}"] = 1
    for o in opportunities:
        stage = str(o.get("stage") or "")
        if stage in CLOSED and (closed_by is None or closed_by(o)):
            key = f"deal:{stage}"
        elif stage in CLOSED:
            continue
        else:
            key = "deal:open"
        out[key] = out.get(key, 0) + 1
    for s in sources:
        out[_SOURCE_SIGNAL.get(s) or f"source:{s}"] = 1
    return out


_KIND_SIGNAL = {str(k): f"kind:{k}" for k in TouchpointKind}
_SOURCE_SIGNAL = {str(s): f"source:{s}" for s in Silo}


def entered_category(roles: Iterable[str | None], rules: Rules) -> str | None:
    """The first of ``roles`` that is one of our categories (vendor words mapped)."""
    for r in roles:
        c = category_of(r, rules)
        if c is not None:
            return c
    return None


def category_of(role: str | None, rules: Rules) -> str | None:
    """Our category for an entered role: its name, its label, or a vendor synonym from
    ``[classification.role_names]``; None when it is none of those."""
    if not role:
        return None
    key = role.strip().casefold()
    return rules.role_names.get(key)


def label_of(p: Profile, entered: Iterable[str | None], deal_roles: Iterable[str | None],
             rules: Rules) -> dict[str, float] | None:
    """What a contact's role is known to be, for estimating signal weights.

    A role a rep entered, else the commonest role on their deals (one category, mass
    1), else what the title says (its categories in proportion to their bits) when it
    says at least ``min_evidence``; None when nothing is known.
    """
    cat = entered_category(entered, rules)
    if cat is not None:
        return {cat: 1.0}
    votes: dict[str, int] = {}
    for r in deal_roles:
        c = category_of(r, rules)
        if c is not None:
            votes[c] = votes.get(c, 0) + 1
    if votes:
        order = rules.category_order
        return {min(votes, key=lambda c: (-votes[c], order[c])): 1.0}
    told = _title_evidence(p, rules)
    least = float(rules.section("classification").get("min_evidence", 0.75))
    if not told or max(w for w, _ in told.values()) < least:
        return None
    total = sum(w for w, _ in told.values())
    return {c: w / total for c, (w, _) in sorted(told.items())}
