"""Two yardsticks any classification must beat: the majority role, and title words alone.

The title rule is written the way an outsider would write it in twenty lines, without
our rules or lexicon: it is the baseline, not a proposal.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_RULES = (  # first match wins; patterns are matched against the lower-cased title
    ("media", r"\b(editor|reporter|journalist|writer)\b"),
    ("analyst", r"\b(research|industry analyst|principal analyst|sr\. analyst)\b"),
    ("finance", r"\b(accounts payable|payables?|ap|ap/ar|accountant|controller|clerk)\b"),
    ("purchaser", r"\b(procurement|purchasing|buyer|sourcing|category manager)"),
    ("decision_maker", r"\b(chief|ceo|cfo|cto|cio|coo|cmo|cro|cpo|cco|president|vp|"
                       r"vice president|svp|evp|head of|managing director|founder|gm)\b"),
    ("technical_evaluator", r"\b(engineer\w*|developer|architect|it|systems|devops|"
                            r"technical|tech|network|infrastructure|platform)\b"),
)
_COMPILED = tuple((category, re.compile(pattern)) for category, pattern in _RULES)


def title_category(title: str | None, fallback: str = "end_user") -> str:
    """The category a title's words suggest, or ``fallback``.

    >>> title_category("VP Engineering"), title_category("AP Manager")
    ('decision_maker', 'finance')
    >>> title_category("Sr. Software Engineer II"), title_category(None)
    ('technical_evaluator', 'end_user')
    """
    text = (title or "").lower()
    for category, pattern in _COMPILED:
        if pattern.search(text):
            return category
    return fallback


def majority(labels: Iterable[str]) -> str:
    """The most common label (ties: the first in name order)."""
    counts = Counter(labels)
    return min(counts, key=lambda label: (-counts[label], label)) if counts else "end_user"
