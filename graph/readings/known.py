"""What an account has data on: a field nobody recorded is unknown, never a gap.

An import that carries no departments leaves every contact without one. Counting
that as "0 of 5 departments covered" calls every account thin and puts every one
at risk; the truth is that we do not know. Breadth, whitespace and status ask this
module first and say "no data on departments" instead of counting a gap.

A dimension is known for an account when at least one of its current contacts has
it (departments, seniority, titles), or, for touchpoint outcomes, when at least one
touchpoint up to ``as_of`` has one recorded. With only some contacts known, the
others are "(no department)" and so on, and the known ones count as usual.

>>> from graph.readings.facts import account_facts
>>> from graph.readings.testing import AccountBuilder
>>> b = AccountBuilder("acme")
>>> _ = b.contact("ann", title="CFO")
>>> data_known(account_facts(b.G, "2025-01-01")).unknown
['departments', 'seniority', 'outcomes']
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.readings.facts import AccountFacts

#: The dimensions an import may leave out, in the order readings name them.
DIMENSIONS = ("departments", "seniority", "titles", "outcomes")


@dataclass(frozen=True)
class Known:
    """Which dimensions an account has any data on."""

    departments: bool = True
    seniority: bool = True
    titles: bool = True
    outcomes: bool = True

    @property
    def unknown(self) -> list[str]:
        """The dimensions with no data, in :data:`DIMENSIONS` order."""
        return [d for d in DIMENSIONS if not getattr(self, d)]

    def notes(self) -> list[str]:
        """One reason per unknown dimension, as the readings word it."""
        return [f"no data on {d}: not counted as a gap" for d in self.unknown]


def data_known(facts: AccountFacts) -> Known:
    """Which of departments, seniority, titles and touchpoint outcomes ``facts`` has any of."""
    current = [p for p in facts.contacts.values() if p.current]
    return Known(
        departments=any(p.department for p in current),
        seniority=any(p.seniority for p in current),
        titles=any(p.title for p in current),
        outcomes=any(o not in (None, "unknown") for o in facts.touches.outcomes),
    )
