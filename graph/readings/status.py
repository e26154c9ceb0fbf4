"""Relationship status of an account, with every reason that led to it.

The rules are checked in this order and the first that fires is the status; every
check's findings are returned, so a reader also sees the risks of a dormant account:

1. ``no_relationship``: no current contact is engaged; or the only engaged ones are of
   an "other purpose" category (media, analyst); or every contact is a marketing lead
   (known only from marketing silos, touched only by marketing touchpoints).
2. ``dormant``: the account's last touchpoint is older than ``dormant_days``.
3. ``at_risk``: any of single-threaded (one contact carries ``single_thread_share`` of
   the account's strength, or only one live relationship), a champion quiet for
   ``champion_quiet_days`` or gone, a decision maker gone, no decision maker or no
   champion engaged.
4. ``can_grow``: none of the above: decision maker and champion engaged, and
   ``min_departments`` departments covered (else at risk with that reason).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from graph.readings.breadth import Breadth
from graph.readings.classification import Classification
from graph.readings.facts import AccountFacts
from graph.readings.rules import UNENGAGED, Rules, resolve
from graph.readings.strength import Strength

CAN_GROW, AT_RISK, NO_RELATIONSHIP, DORMANT = "can_grow", "at_risk", "no_relationship", "dormant"


@dataclass
class Status:
    status: str
    reasons: list[str] = field(default_factory=list)
    checks: dict[str, list[str]] = field(default_factory=dict)


def _names(ids: list[str], name: Mapping[str, str], limit: int = 3) -> str:
    """The first few names, strongest relationship first, and how many more."""
    shown = ", ".join(name[c] for c in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _has(c: Classification, category: str) -> bool:
    """Primary category, or a listed secondary one backed by interactions.

    Listed means it reached the rules' ``secondary_share`` of the primary's score:
    everyone on a won deal has *some* decision-maker score, and counting them
    all named a dozen "decision makers" (support engineers among them) at one
    demo account.
    """
    if c.primary == category:
        return True
    return category in c.secondary and c.interaction_scores.get(category, 0.0) > 0


def account_status(
    facts: AccountFacts,
    classification: Mapping[str, Classification],
    strength: Mapping[str, Strength],
    breadth: Breadth,
    *,
    rules: Rules | None = None,
) -> Status:
    """Can grow, at risk, no relationship or dormant, and why.

    Parameters
    ----------
    facts : AccountFacts
        The account as of the reading's moment.
    classification, strength : mapping
        Contact id -> reading.
    breadth : Breadth
        From :func:`graph.readings.breadth.account_breadth`.
    rules : Rules, optional
        Thresholds of the ``[status]`` table; the defaults when None.

    Returns
    -------
    Status
        ``status``, the ``reasons`` of the rule that decided, and ``checks``: the
        findings of every rule.
    """
    cfg = resolve(rules).section("status")
    as_of = facts.as_of
    current = {cid: p for cid, p in facts.contacts.items() if p.current}
    cls = {cid: classification[cid] for cid in current if cid in classification}
    engaged = {cid: c for cid, c in cls.items() if c.primary != UNENGAGED}
    name = {cid: p.name for cid, p in facts.contacts.items()}
    checks: dict[str, list[str]] = {NO_RELATIONSHIP: [], DORMANT: [], AT_RISK: [], CAN_GROW: []}

    # 1. no relationship
    other = set(cfg.get("other_purpose", []))
    if not engaged:
        checks[NO_RELATIONSHIP].append(
            f"none of {len(current)} current contacts has a touchpoint or opportunity"
        )
    elif {c.primary for c in engaged.values()} <= other:
        checks[NO_RELATIONSHIP].append(
            "only " + "/".join(sorted({c.primary for c in engaged.values()}))
            + " contacts are engaged: the company serves another purpose"
        )
    msrc, mtp = set(cfg.get("marketing_sources", [])), set(cfg.get("marketing_touchpoints", []))
    if current and engaged and all(p.sources and set(p.sources) <= msrc for p in current.values()) \
            and all(kind in mtp for p in current.values() for kind in p.kinds):
        checks[NO_RELATIONSHIP].append(
            "only marketing leads: every contact comes from "
            + "/".join(sorted(msrc)) + " and was touched only by marketing"
        )

    # 2. dormant
    last = facts.touches.last_at
    if last is not None:
        days = (as_of - last).days
        if days > int(cfg.get("dormant_days", 180)):
            checks[DORMANT].append(
                f"no touchpoint for {days} days (last {last.date().isoformat()}, "
                f"dormant after {cfg.get('dormant_days', 180)})"
            )

    # 3. at risk
    risk = checks[AT_RISK]
    total = sum(strength[c].strength for c in current if c in strength)
    if total > 0:
        top = max((c for c in current if c in strength), key=lambda c: strength[c].strength)
        share = strength[top].strength / total
        if len(engaged) > 0 and share >= float(cfg.get("single_thread_share", 0.6)):
            risk.append(
                f"single-threaded: {name[top]} carries {share:.0%} of the relationship strength"
            )
        elif breadth.live_relationships == 1:
            risk.append(f"single-threaded: {name[breadth.live_contacts[0]]} is the only live "
                        "relationship")
    quiet = int(cfg.get("champion_quiet_days", 90))
    for cid, c in engaged.items():
        if _has(c, "champion"):
            last_touch = current[cid].last_touch
            if last_touch is None or (as_of - last_touch).days > quiet:
                when = last_touch.date().isoformat() if last_touch else "never"
                risk.append(
                    f"champion {name[cid]} quiet for {(as_of - last_touch).days} days "
                    f"(last touch {when})" if last_touch else f"champion {name[cid]} never touched")
    for cid, p in facts.contacts.items():
        if p.left and not p.outside and cid in classification:
            for role in ("champion", "decision_maker"):
                if _has(classification[cid], role):
                    where = f", now at {p.company_id}" if p.company_id not in (
                        None, facts.company_id) else ""
                    on = f" on {p.left_on.isoformat()}" if p.left_on else ""
                    risk.append(f"{role.replace('_', ' ')} {p.name} left{on}{where}")
    dms = [cid for cid, c in engaged.items() if _has(c, "decision_maker")]
    champs = [cid for cid, c in engaged.items() if _has(c, "champion")]
    if engaged and not dms:
        risk.append("no decision maker engaged")
    if engaged and not champs:
        risk.append("no champion engaged")
    need = int(cfg.get("min_departments", 2))
    if engaged and len(breadth.departments_covered) < need:
        risk.append(f"only {len(breadth.departments_covered)} department(s) covered "
                    f"(can grow needs {need})")

    # 4. can grow
    by_strength = sorted(engaged, key=lambda c: (-(strength[c].strength if c in strength
                                                    else 0.0), c))
    dm_set, champ_set = set(dms), set(champs)  # lists of hundreds on a big account
    dms = [c for c in by_strength if c in dm_set]
    champs = [c for c in by_strength if c in champ_set]
    if dms:
        checks[CAN_GROW].append("decision maker engaged: " + _names(dms, name))
    if champs:
        checks[CAN_GROW].append("champion engaged: " + _names(champs, name))
    if breadth.departments_covered:
        checks[CAN_GROW].append(f"{len(breadth.departments_covered)} departments covered: "
                                + ", ".join(breadth.departments_covered))
    lifecycle = str(facts.company.get("lifecycle") or "")
    if lifecycle == "churned":
        risk.append("lifecycle is churned")

    for status in (NO_RELATIONSHIP, DORMANT, AT_RISK):
        if checks[status]:
            return Status(status=status, reasons=list(checks[status]), checks=checks)
    return Status(status=CAN_GROW, reasons=list(checks[CAN_GROW]), checks=checks)
