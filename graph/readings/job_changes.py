"""Job changes: who left an account, where they went, and who arrived from elsewhere.

A champion or decision maker who left is a risk for this account (it also shows in
:mod:`graph.readings.status`) and, when we know where they went, an opening at their
new company. Arrivals are contacts of this account with an earlier employer in their
history; a strong relationship from their previous job is an opening here.
Across accounts, :func:`graph.readings.database.job_change_openings` pairs each
departure with the account it went to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from graph.readings.classification import Classification
from graph.readings.facts import AccountFacts
from graph.readings.strength import Strength

KEY_ROLES = ("champion", "decision_maker")


@dataclass
class JobChange:
    contact_id: str
    name: str
    direction: str  # "left" (from this account) or "joined" (from elsewhere)
    on: date | None
    other_company_id: str | None  # where they went, or where they came from
    categories: list[str] = field(default_factory=list)
    strength: float = 0.0
    risk: bool = False  # a key person left this account
    opening: bool = False  # a relationship we can use at the other (or this) company
    reasons: list[str] = field(default_factory=list)
    other_company: str | None = None  # its name, where the account knows it (else the id)


def job_changes(
    facts: AccountFacts,
    classification: Mapping[str, Classification],
    strength: Mapping[str, Strength],
) -> list[JobChange]:
    """Departures from and arrivals at one account, key people first.

    Parameters
    ----------
    facts : AccountFacts
        The account, with employment history on each contact.
    classification, strength : mapping
        Contact id -> reading; a departed champion keeps the category earned here.
    """
    out: list[JobChange] = []
    for cid, p in facts.contacts.items():
        c = classification.get(cid)
        cats = ([c.primary, *c.secondary] if c else [])
        s = strength[cid].strength if cid in strength else 0.0
        if p.left and not p.outside:
            went = p.company_id if p.company_id not in (None, facts.company_id) else None
            where = facts.company_name(went)
            key_role = [r for r in KEY_ROLES if r in cats]
            reasons = [f"employment ended {p.left_on.isoformat()}" if p.left_on else
                       "status is left"]
            if where:
                reasons.append(f"now at {where}")
            if key_role:
                said = " and ".join(r.replace("_", " ") for r in key_role)
                reasons.append(f"was {said} here: a risk for this account"
                               + (f", an opening at {where}" if where else ""))
            out.append(JobChange(cid, p.name, "left", p.left_on, went, cats, s,
                                 risk=bool(key_role), opening=bool(key_role and went),
                                 reasons=reasons, other_company=where))
        elif p.current:
            earlier = [j for j in p.employers
                       if j["company_id"] != facts.company_id and j.get("end_date")]
            if earlier:
                prev = max(earlier, key=lambda j: j["end_date"])
                came = facts.company_name(prev["company_id"])
                reasons = [f"joined from {came} (left there {prev['end_date'].isoformat()})"]
                if s > 0:
                    reasons.append(f"we already know them: strength {s:.2f}")
                out.append(JobChange(cid, p.name, "joined", prev["end_date"], prev["company_id"],
                                     cats, s, opening=s > 0, reasons=reasons, other_company=came))
    out.sort(key=lambda j: (not j.risk, not j.opening, -j.strength, j.contact_id))
    return out
