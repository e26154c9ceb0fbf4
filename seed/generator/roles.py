"""Roles our reps entered: a share of contacts' buying roles, and contacts' roles on deals.

They are the yardstick ``accountgraph evaluate`` measures classification against, so
they come from the generator's ground truth (:class:`seed.generator.people.Role`), in
the words CRMs use ("Economic Buyer", "Technical Buyer"). They draw from a random
stream of their own (seeded by world seed and company), so adding them left every
other part of the demo world as it was.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from graph.model import DealRole
from seed.generator.people import Person, Role
from seed.generator.sizes import REFERENCE_NOW

# Share of a company's engaged contacts whose buying role a rep entered.
ENTRY_RATE = 0.3
# Share of deals whose contact roles a rep filled in.
DEAL_ROLE_RATE = 0.6
# How a CRM names each role (Salesforce's OpportunityContactRole picklist and kin);
# roles absent here are entered as "Other", which is no category (reported, kept).
VENDOR_WORDS: dict[Role, tuple[str, ...]] = {
    Role.DECISION_MAKER: ("Decision Maker", "Economic Buyer", "Executive Sponsor"),
    Role.TECHNICAL_EVALUATOR: ("Technical Buyer", "Evaluator"),
    Role.END_USER: ("Business User", "End User"),
    Role.CHAMPION: ("Champion",),
    Role.PURCHASER: ("Procurement",),
    Role.FINANCE: ("Accounts Payable", "Finance"),
}
_ENTERED = frozenset(VENDOR_WORDS) | {Role.INVESTOR, Role.PARTNER}


def _rng(seed: int, company: int, what: str) -> random.Random:
    return random.Random(f"{what}:{seed}:{company}")


def entered_roles(seed: int, company: int, folks: list[Person], owner: str | None
                  ) -> dict[str, dict[str, Any]]:
    """Contact id -> the Contact fields of a buying role the account's owner entered."""
    rng = _rng(seed, company, "entered")
    out: dict[str, dict[str, Any]] = {}
    for p in folks:
        if p.role not in _ENTERED or rng.random() >= ENTRY_RATE:
            continue
        out[p.id] = {
            "buying_roles": [str(p.role)],
            "role_entered_by": owner,
            "role_entered_at": REFERENCE_NOW - timedelta(days=rng.randrange(10, 700)),
            "role_source": "crm",
        }
    return out


def deal_roles(seed: int, company: int, folks: list[Person], opportunities: list[Any],
               build: Callable[..., Any]) -> list[DealRole]:
    """Roles on a share of the deals: each contact on the deal, the first one primary."""
    rng = _rng(seed, company, "deal")
    role_of = {p.id: p.role for p in folks}
    out: list[DealRole] = []
    for o in opportunities:
        if rng.random() >= DEAL_ROLE_RATE:
            continue
        for i, cid in enumerate(o.contact_ids):
            words = VENDOR_WORDS.get(role_of.get(cid, Role.UNENGAGED), ("Other",))
            out.append(build(DealRole, id=f"{o.id}/{cid}", opportunity_id=o.id, contact_id=cid,
                             role=rng.choice(words), is_primary=i == 0))
    return out
