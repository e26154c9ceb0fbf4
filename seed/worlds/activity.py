"""Touchpoints: the role-specific acts a deal or a customer year causes, and everyday talk.

Two sources, as in a real CRM:

* **acts** follow events: a won deal brings a signature and often a purchase order,
  a customer gets invoices (and pays them), raises support tickets, and now and then
  gives a reference or a referral. Who does each is drawn from the roles that do it
  in real companies, noisily (``Params.role_acts``), or from anyone engaged;
* **talk** (email, call, meeting, demo, webinar, event, survey, mailers) fills each
  account's phases (evaluation, customer, nurture after a loss) at one world-wide
  rate scaled so the world holds about ``Params.touchpoints``. Who takes part follows
  each role's habits, or nobody's (``Params.role_independent``).

Champions (``Params.champion_behaviour``) write in more often, stay around the whole
time, and introduce colleagues; that is how they show, not by a touchpoint kind.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from graph.model import Direction, Outcome, TouchpointKind
from seed.worlds.deals import History
from seed.worlds.params import Params
from seed.worlds.people import Account, Person, pick
from seed.worlds.truth import Role

K = TouchpointKind
EB, TE, EU, CH, PU, FI = (Role.ECONOMIC_BUYER, Role.TECHNICAL_EVALUATOR, Role.END_USER,
                          Role.CHAMPION, Role.PURCHASER, Role.FINANCE)
DAY = timedelta(days=1)

# Who does each act in real companies (the rest: anyone engaged, spread evenly).
DOERS: dict[K, dict[Role, float]] = {
    K.CONTRACT_SIGNATURE: {EB: 0.72, PU: 0.12, CH: 0.08, TE: 0.04, EU: 0.02, FI: 0.02},
    K.PURCHASE_ORDER: {PU: 0.65, FI: 0.2, EB: 0.1, CH: 0.02, TE: 0.02, EU: 0.01},
    K.INVOICE: {FI: 0.75, PU: 0.15, EB: 0.05, CH: 0.02, TE: 0.02, EU: 0.01},
    K.SUPPORT_TICKET: {EU: 0.55, TE: 0.35, CH: 0.06, EB: 0.01, PU: 0.01, FI: 0.02},
    K.REFERENCE: {CH: 0.8, EB: 0.1, TE: 0.04, EU: 0.04, PU: 0.01, FI: 0.01},
    K.REFERRAL: {CH: 0.75, EB: 0.1, TE: 0.06, EU: 0.07, PU: 0.01, FI: 0.01},
}
# Everyday habits of each role (role_independent: all 1).
HABITS: dict[K, dict[Role, float]] = {
    K.DEMO: {TE: 3.0, EU: 1.5, CH: 1.5, EB: 0.5, PU: 0.2, FI: 0.1},
    K.MEETING: {EB: 2.0, CH: 2.0, TE: 1.0, EU: 0.7, PU: 1.0, FI: 0.5},
    K.EMAIL: {FI: 0.8, PU: 0.8},
    K.CALL: {CH: 1.5},
    K.WEBINAR: {EU: 2.0, TE: 1.5, EB: 0.5, PU: 0.5, FI: 0.5, CH: 0.5},
    K.EVENT: {CH: 2.0},
    K.SURVEY: {EU: 1.5, TE: 0.5, EB: 0.5, PU: 0.5, FI: 0.5, CH: 0.5},
}
PHASES: dict[str, tuple[float, dict[K, float]]] = {  # (intensity, kind mix)
    "evaluation": (3.0, {K.EMAIL: 0.33, K.CALL: 0.15, K.MEETING: 0.2, K.DEMO: 0.2,
                         K.WEBINAR: 0.06, K.EVENT: 0.06}),
    "customer": (1.0, {K.EMAIL: 0.4, K.CALL: 0.14, K.MEETING: 0.25, K.DEMO: 0.05,
                       K.WEBINAR: 0.1, K.EVENT: 0.04, K.SURVEY: 0.02}),
    "nurture": (0.15, {K.EMAIL: 0.75, K.WEBINAR: 0.1, K.EVENT: 0.05, K.DIRECT_MAIL: 0.1}),
    "analyst": (0.5, {K.EMAIL: 0.5, K.MEETING: 0.2, K.ANALYST_BRIEFING: 0.3}),
    "media": (0.5, {K.EMAIL: 0.6, K.PRESS_INQUIRY: 0.4}),
}
GROUP_KINDS = (K.MEETING, K.DEMO, K.ANALYST_BRIEFING)


@dataclass
class Touch:
    """A touchpoint before it gets an id."""

    kind: K
    at: datetime
    people: list[Person]
    direction: Direction = Direction.OUTBOUND
    outcome: Outcome | None = None
    users: list[str] = field(default_factory=list)
    subject: str | None = None
    campaign: str | None = None


@dataclass(frozen=True)
class Segment:
    start: datetime
    end: datetime
    phase: str

    @property
    def weight(self) -> float:
        """Expected talk per engaged person, in units of one month at intensity 1."""
        return PHASES[self.phase][0] * max(0.0, (self.end - self.start) / (30 * DAY))


def segments(account: Account, history: History, as_of: datetime) -> list[Segment]:
    """The account's phases: evaluating each deal, being a customer, being nurtured."""
    start = history.start
    if start is None:
        return []
    if account.purpose != "buyer":
        return [Segment(start, as_of, account.purpose)]
    out = [Segment(d.created, min(d.close, as_of), "evaluation")
           for d in history.deals if d.kind == "new"]
    out += [Segment(since, until or as_of, "customer") for since, until in history.spans]
    last = max((min(d.close, as_of) for d in history.deals), default=start)
    if all(until is not None for _, until in history.spans):
        out.append(Segment(last, as_of, "nurture"))
    return [s for s in out if s.end > s.start]


def _doer(rng: random.Random, account: Account, kind: K, params: Params) -> Person:
    people = account.engaged
    if not params.role_acts:
        return rng.choice(people)
    weights = {p.id: DOERS[kind].get(p.role, 0.01) for p in people}
    chosen = pick(rng, weights)
    return next(p for p in people if p.id == chosen)


def _users(rng: random.Random, account: Account, support: bool = False) -> list[str]:
    if support:
        helpers = [u for u, role in account.team if role == "support"]
        return [rng.choice(helpers)] if helpers else [account.owner]
    others = [u for u, _ in account.team if u != account.owner]
    return [rng.choice(others)] if others and rng.random() < 0.3 else [account.owner]


def acts(rng: random.Random, account: Account, history: History, params: Params,
         as_of: datetime) -> list[Touch]:
    """Signatures, POs, invoices and payments, tickets, references and referrals."""
    if not account.engaged or account.purpose != "buyer":
        return []
    out: list[Touch] = []

    def act(kind: K, at: datetime, direction: Direction, outcome: Outcome | None = None,
            subject: str | None = None, support: bool = False) -> Person:
        who = _doer(rng, account, kind, params)
        if at <= as_of:
            out.append(Touch(kind, at, [who], direction, outcome,
                             [] if kind in (K.INVOICE, K.PAYMENT) else _users(rng, account,
                                                                              support),
                             subject))
        return who

    for d in history.deals:
        if d.won:
            act(K.CONTRACT_SIGNATURE, d.close, Direction.INBOUND, Outcome.POSITIVE,
                f"Order form signed: {d.kind}")
            if rng.random() < 0.7:
                act(K.PURCHASE_ORDER, d.close - rng.uniform(0, 10) * DAY, Direction.INBOUND,
                    subject=f"PO for {d.kind}")
    for since, until in history.spans:
        _customer_acts(rng, account, since, until or as_of, as_of, act, out)
    return out


Act = Callable[..., Person]


def _customer_acts(rng: random.Random, account: Account, since: datetime, end: datetime,
                   as_of: datetime, act: Act, out: list[Touch]) -> None:
    """A customer's year: invoices and payments, tickets, references and referrals."""
    t = since + 5 * DAY
    while t < end:  # quarterly invoices, most of them paid within 20-45 days
        payer = act(K.INVOICE, t, Direction.OUTBOUND, subject="Quarterly invoice")
        if rng.random() < 0.92:
            paid = t + rng.uniform(20, 45) * DAY
            if paid <= as_of:
                out.append(Touch(K.PAYMENT, paid, [payer], Direction.INBOUND,
                                 subject="Payment received"))
        t += 91 * DAY
    months = (end - since) / (30 * DAY)
    users_of = sum(1 for p in account.engaged if p.role in (EU, TE))
    for _ in range(_poisson(rng, months * (0.3 + 0.1 * users_of))):
        act(K.SUPPORT_TICKET, _between(rng, since, end), Direction.INBOUND,
            rng.choice((Outcome.RESPONDED, Outcome.POSITIVE, Outcome.NEGATIVE)),
            "Support case", support=True)
    for kind, rate, direction in ((K.REFERENCE, 0.3, Direction.OUTBOUND),
                                  (K.REFERRAL, 0.15, Direction.INBOUND)):
        for _ in range(_poisson(rng, months / 12 * rate * max(0.2, 1 + account.health / 2))):
            act(kind, _between(rng, since, end), direction, Outcome.POSITIVE,
                "Case study" if kind == K.REFERENCE else "Referred a peer")


def talk(rng: random.Random, account: Account, segs: list[Segment], rate: float,
         params: Params, as_of: datetime) -> list[Touch]:
    """Everyday interactions over the account's phases, ``rate`` per person-month."""
    out: list[Touch] = []
    people = account.engaged
    for seg in segs:
        _, mix = PHASES[seg.phase]
        for _ in range(_poisson(rng, rate * seg.weight * len(people))):
            kind = pick(rng, mix)
            at = _between(rng, seg.start, min(seg.end, as_of))
            here = account.active(at)
            weights = {p.id: p.activity * _habit(kind, p.role, params) for p in here}
            first = pick(rng, weights)
            chosen = [p for p in here if p.id == first]
            if kind in GROUP_KINDS and len(here) > 1 and rng.random() < 0.45:
                others = [p for p in here if p.id != first]
                chosen += rng.sample(others, min(len(others), rng.choice((1, 1, 2))))
            out.append(_shape(rng, account, kind, at, chosen, seg.phase, params))
    out += _introductions(rng, account, out, params)
    return out


def _habit(kind: K, role: Role, params: Params) -> float:
    if params.role_independent:
        return 1.0
    boost = 1.6 if role == CH and params.champion_behaviour else 1.0
    return HABITS.get(kind, {}).get(role, 1.0) * boost


def _shape(rng: random.Random, account: Account, kind: K, at: datetime, people: list[Person],
           phase: str, params: Params) -> Touch:
    """Direction, outcome, users and campaign of one everyday interaction."""
    lead = people[0]
    keen = lead.role == CH and params.champion_behaviour
    t = Touch(kind, at, people, users=_users(rng, account))
    if kind in (K.EMAIL, K.CALL, K.PRESS_INQUIRY):
        inbound = rng.random() < (0.5 if keen else 0.2) or kind == K.PRESS_INQUIRY
        t.direction = Direction.INBOUND if inbound else Direction.OUTBOUND
        if inbound:
            t.outcome = Outcome.RESPONDED
        else:
            answered = 0.1 if phase == "nurture" else 0.55
            t.outcome = Outcome.RESPONDED if rng.random() < answered else Outcome.NO_RESPONSE
    elif kind in (K.MEETING, K.DEMO, K.ANALYST_BRIEFING):
        t.outcome = rng.choices((Outcome.POSITIVE, Outcome.RESPONDED, Outcome.NEGATIVE),
                                weights=(0.55, 0.35, 0.1))[0]
    elif kind in (K.WEBINAR, K.EVENT, K.DIRECT_MAIL, K.SURVEY):
        t.campaign = f"{kind.value}-{at.year}-q{(at.month - 1) // 3 + 1}"
        t.outcome = Outcome.RESPONDED if rng.random() < 0.6 else Outcome.NO_RESPONSE
        t.users = []
    t.subject = kind.value.replace("_", " ").capitalize()
    return t


def _introductions(rng: random.Random, account: Account, touches: list[Touch],
                   params: Params) -> list[Touch]:
    """A champion brings colleagues in: an email from them to us, the newcomer copied."""
    champions = [p for p in account.engaged if p.role == CH]
    if not champions or not params.champion_behaviour:
        return []
    champ = champions[0]
    first: dict[str, datetime] = {}
    for t in touches:
        for p in t.people:
            first[p.id] = min(first.get(p.id, t.at), t.at)
    out = []
    for p in account.engaged:
        if p is champ or p.id not in first or rng.random() >= 0.5:
            continue
        at = first[p.id] - rng.uniform(1, 10) * DAY
        if champ.window and at >= champ.window[0]:
            out.append(Touch(K.EMAIL, at, [champ, p], Direction.INBOUND, Outcome.RESPONDED,
                             [account.owner], f"Introduction: {p.name}"))
    return out


def _between(rng: random.Random, a: datetime, b: datetime) -> datetime:
    return a + (b - a) * rng.random() if b > a else a


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method for small means, normal beyond)."""
    if mean <= 0:
        return 0
    if mean > 50:
        return max(0, round(rng.gauss(mean, mean ** 0.5)))
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
