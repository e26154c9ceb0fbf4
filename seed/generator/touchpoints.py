"""Touchpoints of one company: who, what kind, when, with which outcome.

The kind mix follows the contact's role (finance gets invoices, end users open
support tickets, decision makers sign contracts...), the time follows the
contact's window (set by the scenario: a quiet champion's last touch is long
ago, a dormant account has nothing in the last year).
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Sequence
from datetime import timedelta
from itertools import accumulate
from typing import Any

from graph.model import Direction, Outcome, Touchpoint, TouchpointKind
from seed.generator import vocab
from seed.generator.people import Person, Role
from seed.generator.sizes import REFERENCE_NOW

K = TouchpointKind
R = Role

# role -> (kind, weight): what a person in that role does with us.
ROLE_KINDS: dict[Role, tuple[tuple[TouchpointKind, int], ...]] = {
    R.DECISION_MAKER: ((K.MEETING, 30), (K.CALL, 20), (K.EMAIL, 20), (K.CONTRACT_SIGNATURE, 15),
                       (K.EVENT, 10), (K.SURVEY, 5)),
    R.PURCHASER: ((K.PURCHASE_ORDER, 40), (K.EMAIL, 30), (K.CALL, 20), (K.CONTRACT_SIGNATURE, 10)),
    R.FINANCE: ((K.INVOICE, 45), (K.PAYMENT, 35), (K.EMAIL, 20)),
    R.END_USER: ((K.SUPPORT_TICKET, 50), (K.WEBINAR, 15), (K.SURVEY, 15), (K.EMAIL, 15),
                 (K.EVENT, 5)),
    R.TECHNICAL_EVALUATOR: ((K.DEMO, 35), (K.MEETING, 20), (K.CALL, 15), (K.SUPPORT_TICKET, 15),
                            (K.WEBINAR, 10), (K.EMAIL, 5)),
    R.CHAMPION: ((K.MEETING, 25), (K.CALL, 20), (K.EMAIL, 15), (K.REFERENCE, 15),
                 (K.REFERRAL, 10), (K.EVENT, 10), (K.WEBINAR, 5)),
    R.ANALYST: ((K.ANALYST_BRIEFING, 70), (K.EMAIL, 20), (K.CALL, 10)),
    R.MEDIA: ((K.PRESS_INQUIRY, 70), (K.EMAIL, 20), (K.EVENT, 10)),
    R.INVESTOR: ((K.MEETING, 40), (K.EVENT, 30), (K.EMAIL, 20), (K.CALL, 10)),
    R.PARTNER: ((K.REFERRAL, 35), (K.MEETING, 30), (K.EMAIL, 20), (K.EVENT, 15)),
    R.MARKETING_LEAD: ((K.EMAIL, 50), (K.DIRECT_MAIL, 30), (K.WEBINAR, 20)),
    R.UNENGAGED: ((K.EMAIL, 1),),
}
_KINDS = {r: [k for k, _ in v] for r, v in ROLE_KINDS.items()}
_KCUM = {r: list(accumulate(w for _, w in v)) for r, v in ROLE_KINDS.items()}

# Probability each kind is inbound (the contact reached out).
INBOUND = {
    K.SUPPORT_TICKET: 0.95, K.PAYMENT: 1.0, K.PRESS_INQUIRY: 1.0, K.PURCHASE_ORDER: 1.0,
    K.REFERRAL: 0.9, K.EMAIL: 0.35, K.CALL: 0.35, K.MEETING: 0.2, K.CONTRACT_SIGNATURE: 0.5,
    K.SURVEY: 0.0, K.INVOICE: 0.0, K.DIRECT_MAIL: 0.0, K.WEBINAR: 0.1, K.EVENT: 0.2,
    K.DEMO: 0.1, K.ANALYST_BRIEFING: 0.3, K.REFERENCE: 0.0,
}

_O = (Outcome.RESPONDED, Outcome.NO_RESPONSE, Outcome.POSITIVE, Outcome.NEGATIVE)
# kind -> outcome weights (responded, no response, positive, negative).
OUTCOMES = {
    K.EMAIL: (45, 40, 10, 5), K.CALL: (50, 20, 20, 10), K.MEETING: (25, 0, 60, 15),
    K.EVENT: (40, 25, 30, 5), K.WEBINAR: (45, 40, 10, 5), K.DIRECT_MAIL: (10, 85, 3, 2),
    K.SUPPORT_TICKET: (20, 0, 60, 20), K.INVOICE: (70, 20, 10, 0), K.PAYMENT: (10, 0, 90, 0),
    K.PURCHASE_ORDER: (10, 0, 90, 0), K.CONTRACT_SIGNATURE: (0, 0, 95, 5),
    K.DEMO: (20, 5, 60, 15), K.SURVEY: (40, 40, 15, 5), K.ANALYST_BRIEFING: (40, 10, 40, 10),
    K.PRESS_INQUIRY: (60, 10, 20, 10), K.REFERENCE: (10, 0, 85, 5), K.REFERRAL: (10, 0, 85, 5),
}
_OCUM = {k: list(accumulate(w)) for k, w in OUTCOMES.items()}
# Marketing leads mostly ignore what we send.
_LEAD_OCUM = list(accumulate((12, 85, 2, 1)))

# What a champion who moved does with us at the new employer.
_MOVED = ((K.REFERRAL, 20), (K.REFERENCE, 15), (K.MEETING, 30), (K.CALL, 20), (K.EMAIL, 15))
_MOVED_KINDS = [k for k, _ in _MOVED]
_MOVED_CUM = list(accumulate(w for _, w in _MOVED))

CAMPAIGN_KINDS = {K.WEBINAR, K.EVENT, K.DIRECT_MAIL, K.SURVEY}
GROUP_KINDS = {K.MEETING, K.DEMO, K.CONTRACT_SIGNATURE, K.EVENT, K.CALL}
SYSTEM_KINDS = {K.INVOICE, K.PAYMENT, K.PURCHASE_ORDER}

SUBJECTS = {
    K.EMAIL: "Follow-up", K.CALL: "Check-in call", K.MEETING: "Quarterly business review",
    K.EVENT: "Event attendance", K.WEBINAR: "Webinar", K.DIRECT_MAIL: "Mailer",
    K.SUPPORT_TICKET: "Support case", K.INVOICE: "Invoice", K.PAYMENT: "Payment received",
    K.PURCHASE_ORDER: "Purchase order", K.CONTRACT_SIGNATURE: "Contract signed",
    K.DEMO: "Product demo", K.SURVEY: "Satisfaction survey",
    K.ANALYST_BRIEFING: "Analyst briefing", K.PRESS_INQUIRY: "Press inquiry",
    K.REFERENCE: "Customer reference", K.REFERRAL: "Referral",
}


class Team:
    """The users on one account, by what they do in a touchpoint."""

    def __init__(self, owner: str, reps: Sequence[str], support: Sequence[str],
                 executives: Sequence[str]):
        self.owner = owner
        self.reps = list(reps) or [owner]
        self.support = list(support) or [owner]
        self.executives = list(executives)

    def for_kind(self, random_: Callable[[], float], kind: TouchpointKind) -> list[str]:
        """Who of us took part; ``random_`` is the company's ``rng.random``."""
        if kind is K.SUPPORT_TICKET:
            return [_pick(self.support, random_())]
        if kind in SYSTEM_KINDS:
            return [] if random_() < 0.6 else [self.owner]
        if kind is K.DIRECT_MAIL:
            return []
        user = self.owner if random_() < 0.6 else _pick(self.reps, random_())
        if kind in _SPONSORED and self.executives and random_() < 0.2:
            boss = _pick(self.executives, random_())
            return [user, boss] if boss != user else [user]
        return [user]


_SPONSORED = {K.MEETING, K.CONTRACT_SIGNATURE}


def _pick(seq: Sequence[Any], r: float) -> Any:
    # seq[int(r * len)] from one rng.random() draw: rng.choice costs three times more.
    return seq[int(r * len(seq))]


def make_touchpoints(
    rng: random.Random,
    company_id: str,
    people: list[Person],
    budget: int,
    team: Team,
    next_id: Callable[[], str],
    build: Callable[..., Touchpoint],
    recent_skew: bool = False,
) -> list[Touchpoint]:
    """``budget`` touchpoints of one company, spread over its engaged people by weight."""
    engaged = [p for p in people if p.touch_weight > 0]
    if budget == 0 or not engaged:
        return []
    primaries = rng.choices(engaged, cum_weights=list(accumulate(p.touch_weight for p in engaged)),
                            k=budget)
    # Colleagues who can join a meeting: engaged and still here.
    here = [p for p in engaged if p.moved_to is None and p.end_date is None]
    out: list[Touchpoint] = []
    arrived: set[str] = set()
    random_ = rng.random
    for p in primaries:
        role = p.role
        # bisect over cumulative weights: rng.choices costs more than the rest.
        kinds, kcum = _KINDS[role], _KCUM[role]
        kind = kinds[bisect(kcum, random_() * kcum[-1])]
        r = random_()
        if recent_skew:
            r = r**1.7
        days = p.lo + (p.hi - p.lo) * r
        where, users = company_id, None
        contacts = [p.id]
        if p.moved_to is not None and random_() < 0.4:
            # A champion who moved brings us into the new employer: the first
            # touch there is a referral, the rest champion work, all since joining.
            new_company, _, _, start, new_users = p.moved_to
            since = (REFERENCE_NOW.date() - start).days
            days = since * random_()
            where, users = new_company, [_pick(new_users, random_())] if new_users else []
            kind = K.REFERRAL if p.id not in arrived else _MOVED_KINDS[
                bisect(_MOVED_CUM, random_() * _MOVED_CUM[-1])]
            arrived.add(p.id)
        elif kind in GROUP_KINDS and len(here) > 1 and random_() < 0.35:
            other = _pick(here, random_())
            # Only someone whose own window holds this day, or a quiet
            # champion would turn up in this month's meeting.
            if other is not p and other.lo <= days <= other.hi:
                contacts.append(other.id)
        at = REFERENCE_NOW - timedelta(days=days)
        ocum = _LEAD_OCUM if role is R.MARKETING_LEAD else _OCUM[kind]
        outcome = _O[bisect(ocum, random_() * ocum[-1])]
        if role is R.CHAMPION and outcome is Outcome.NEGATIVE:
            outcome = Outcome.POSITIVE
        campaign = None
        if kind in CAMPAIGN_KINDS or (kind is K.EMAIL and role is R.MARKETING_LEAD):
            campaign = f"{at.year} {_pick(vocab.CAMPAIGNS, random_())}"
        out.append(
            build(
                Touchpoint,
                id=next_id(),
                company_id=where,
                type=kind,
                at=at,
                direction=Direction.INBOUND if random_() < INBOUND[kind] else Direction.OUTBOUND,
                outcome=outcome,
                campaign=campaign,
                subject=SUBJECTS[kind],
                contact_ids=contacts,
                user_ids=users if users is not None else team.for_kind(random_, kind),
            )
        )
    return out
