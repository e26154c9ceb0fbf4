"""What a world knows about itself and never writes to a store: roles, outcomes, drivers.

The truth is kept apart from the CRM data on purpose. A store (or an export) gets
contacts, touchpoints and deals; the scoring harness (:mod:`seed.worlds.score`)
compares the readings with this.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """A contact's true part in buying from us, in the words of B2B sales methods."""

    ECONOMIC_BUYER = "economic_buyer"
    TECHNICAL_EVALUATOR = "technical_evaluator"
    END_USER = "end_user"
    CHAMPION = "champion"
    PURCHASER = "purchaser"  # procurement: runs the purchase, raises the PO
    FINANCE = "finance"  # accounts payable: receives invoices, pays them
    ANALYST = "analyst"  # works at an industry-analyst firm
    MEDIA = "media"  # a journalist or editor


# The true role written in our contact categories (graph/readings category names).
# The economic buyer is the person who signs off the money: our "decision maker".
ROLE_CATEGORY: dict[Role, str] = {
    Role.ECONOMIC_BUYER: "decision_maker",
    Role.TECHNICAL_EVALUATOR: "technical_evaluator",
    Role.END_USER: "end_user",
    Role.CHAMPION: "champion",
    Role.PURCHASER: "purchaser",
    Role.FINANCE: "finance",
    Role.ANALYST: "analyst",
    Role.MEDIA: "media",
}


class Outcome(StrEnum):
    """How an account has gone for us, by the world date."""

    WON = "won"  # a won deal or renewal in the last 365 days
    LOST_ONLY = "lost_only"  # closed deals, none of them won
    CHURNED = "churned"  # was a customer, lost the renewal
    PIPELINE = "pipeline"  # engaged, deals open, none closed yet
    NEVER_ENGAGED = "never_engaged"  # contacts on file, no interaction at all
    OTHER_PURPOSE = "other_purpose"  # an analyst firm or a publisher: not a buyer


# Accounts the status reading should tell apart: these buy...
BUYING = (Outcome.WON,)
# ...and these do not (or no longer).
NOT_BUYING = (Outcome.LOST_ONLY, Outcome.CHURNED)


@dataclass(frozen=True)
class Driver:
    """A planted cause of winning or losing, on one field of a closed deal.

    ``field`` names what a trigger feature must contain to be this driver
    (``revenue_band``; ``seniority`` for the highest seniority among the deal's
    contacts) and ``value`` the value it must have. ``effect`` is the log-odds
    added to the deal's chance of winning.
    """

    field: str
    value: str
    effect: float
    meaning: str

    @property
    def winning(self) -> bool:
        return self.effect > 0


@dataclass
class Truth:
    """Everything the world planted, by id. Never imported."""

    roles: dict[str, Role] = field(default_factory=dict)  # contact id -> true role
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # company id -> outcome
    engaged: set[str] = field(default_factory=set)  # contacts with any touchpoint
    drivers: list[Driver] = field(default_factory=list)
    # Fields that drive nothing (trigger feature names, e.g. "region", "profile.hobby").
    noise_fields: list[str] = field(default_factory=list)
    # Fields that follow a driver without causing anything (size follows revenue).
    proxy_fields: list[str] = field(default_factory=list)

    def category(self, contact_id: str) -> str:
        """The contact's true role as one of our categories."""
        return ROLE_CATEGORY[self.roles[contact_id]]
