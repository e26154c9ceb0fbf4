"""Where an account stands: the chain of readings every account-level view starts with.

Facts, then each contact's strength, then their classification (which weighs
strength for champions), then breadth, then the status read from all of them.
The account view (:func:`graph.readings.account_readings`), the list summaries
(:func:`graph.readings.account_summary`), the home page's rows
(:func:`graph.readings.account_row.account_row`) and the database readings' rows
(:func:`graph.readings.database.account_row`) all read it here, so they cannot
tell different stories about the same account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from graph.readings.breadth import Breadth, account_breadth
from graph.readings.classification import Classification, classify_contacts
from graph.readings.facts import AccountFacts, AccountSource, read_facts
from graph.readings.rules import Rules
from graph.readings.status import Status, account_status
from graph.readings.strength import DEFAULT_HALF_LIFE_DAYS, Strength, contact_strength


@dataclass(frozen=True)
class AccountState:
    """An account's facts and the readings chained on them (see the module docstring)."""

    facts: AccountFacts
    strength: dict[str, Strength]
    classification: dict[str, Classification]
    breadth: Breadth
    status: Status


def account_state(
    source: AccountSource,
    *,
    rules: Rules,
    as_of: date | datetime | str | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    explain: bool = False,
) -> AccountState:
    """Read ``source`` as of ``as_of`` and chain strength, classification, breadth, status.

    ``explain``: give each strength its heaviest touchpoints as reasons (the account
    view shows them; walks over many accounts do not).
    """
    facts = read_facts(source, as_of)
    strength = contact_strength(facts, rules=rules, half_life_days=half_life_days,
                                facts=facts, explain=explain)
    cls = classify_contacts(facts, rules=rules, facts=facts, strength=strength)
    breadth = account_breadth(facts, cls, strength, rules=rules)
    status = account_status(facts, cls, strength, breadth, rules=rules)
    return AccountState(facts, strength, cls, breadth, status)
