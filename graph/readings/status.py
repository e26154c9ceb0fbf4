"""Relationship status of an account, with every reason that led to it.

The rules are checked in this order and the first that fires is the status; every
check's findings are returned, so a reader also sees the risks of a dormant account:

1. ``churned``: the account's lifecycle is churned: it was a customer and left us,
   which is neither a risk to watch nor a relationship to grow (the reasons say
   when we last won a deal and last touched them).
2. ``no_relationship``: no current contact is engaged; or the only engaged ones are of
   an "other purpose" category (media, analyst); or every contact is a marketing lead
   (known only from marketing silos, touched only by marketing touchpoints).
3. ``dormant``: the account's last touchpoint is older than ``dormant_days``.
4. ``at_risk``: any of single-threaded (one contact carries ``single_thread_share`` of
   the account's strength, or only one live relationship), champions quiet for
   ``champion_quiet_days`` as many as the active ones (one quiet champion among
   several active ones is noted, not a risk), a champion or decision maker gone,
   no decision maker or no champion engaged (the roles of ``at_risk_without``),
   fewer than ``min_departments`` departments covered (at most as many as we know
   people in).
5. ``can_grow``: none of the above: decision maker and champion engaged, and
   ``min_departments`` departments covered.

What the account has no data on (:mod:`graph.readings.known`) is never counted as a
gap: with no department data the departments check is skipped and the reasons say
"no data on departments". Such notes, and quiet champions among active ones, are in
``notes`` and, for at risk and can grow, at the end of ``reasons``; they never
decide the status.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from graph.readings.breadth import Breadth
from graph.readings.classification import Classification
from graph.readings.facts import AccountFacts, as_datetime
from graph.readings.known import data_known
from graph.readings.rules import UNENGAGED, Rules, resolve
from graph.readings.strength import Strength

CAN_GROW, AT_RISK, NO_RELATIONSHIP, DORMANT, CHURNED = (
    "can_grow", "at_risk", "no_relationship", "dormant", "churned")
#: Every status, in the order the rules are checked.
STATUSES = (CHURNED, NO_RELATIONSHIP, DORMANT, AT_RISK, CAN_GROW)


@dataclass(frozen=True)
class QuietChampion:
    """A current champion nobody touched for the rules' ``champion_quiet_days``."""

    contact_id: str
    name: str
    last_touch: datetime | None  # None: never touched
    days: int | None  # since the last touch
    risk: bool  # counted against the account (else only noted)


@dataclass
class Status:
    status: str
    reasons: list[str] = field(default_factory=list)
    checks: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # said, but not counted against it
    # The quiet champions behind the reasons and notes, longest quiet first.
    quiet_champions: list[QuietChampion] = field(default_factory=list)


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


def _churned(facts: AccountFacts) -> list[str]:
    """Why a churned account reads as churned: the lifecycle, the last win, the last touch."""
    out = ["lifecycle is churned: they were a customer and left us"]
    won: list[tuple[datetime, str]] = []
    for o in facts.opportunities:
        at = as_datetime(o.get("close_date"))
        if o.get("stage") == "closed_won" and at is not None and at <= facts.as_of:
            won.append((at, str(o.get("name") or o.get("id"))))
    if won:
        at, n = max(won)
        out.append(f"last won deal: {n} on {at.date().isoformat()}")
    else:
        out.append("no won deal on record")
    last = facts.touches.last_at
    out.append(f"last touchpoint on {last.date().isoformat()}" if last is not None
               else "no touchpoint on record")
    return out


def account_status(
    facts: AccountFacts,
    classification: Mapping[str, Classification],
    strength: Mapping[str, Strength],
    breadth: Breadth,
    *,
    rules: Rules | None = None,
) -> Status:
    """Churned, no relationship, dormant, at risk or can grow, and why.

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
        ``status``, the ``reasons`` of the rule that decided (then the ``notes``),
        ``checks``: the findings of every rule, and ``notes``: what was seen but not
        counted (unknown dimensions, a quiet champion among active ones).
    """
    cfg = resolve(rules).section("status")
    as_of = facts.as_of
    current = {cid: p for cid, p in facts.contacts.items() if p.current}
    cls = {cid: classification[cid] for cid in current if cid in classification}
    engaged = {cid: c for cid, c in cls.items() if c.primary != UNENGAGED}
    name = {cid: p.name for cid, p in facts.contacts.items()}
    checks: dict[str, list[str]] = {s: [] for s in STATUSES}
    has = data_known(facts)
    notes = has.notes()
    lifecycle = str(facts.company.get("lifecycle") or "")
    if lifecycle == "churned":
        checks[CHURNED] = _churned(facts)

    # 2. no relationship (1, churned, is read above)
    other = set(cfg.get("other_purpose", []))
    if not engaged:
        checks[NO_RELATIONSHIP].append(
            "no current contacts at the account" if not current else
            "the only current contact has no touchpoint or opportunity"
            if len(current) == 1 else
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

    # 3. dormant
    last = facts.touches.last_at
    if last is not None:
        days = (as_of - last).days
        if days > int(cfg.get("dormant_days", 180)):
            checks[DORMANT].append(
                f"no touchpoint for {days} days (last {last.date().isoformat()}, "
                f"dormant after {cfg.get('dormant_days', 180)})"
            )

    # 4. at risk
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
    quiet_ones, active, quiet_ids = [], [], []
    for cid, c in engaged.items():
        if _has(c, "champion"):
            last_touch = current[cid].last_touch
            if last_touch is None or (as_of - last_touch).days > quiet:
                quiet_ones.append(_quiet(name[cid], as_of, last_touch))
                quiet_ids.append(cid)
            else:
                active.append(cid)
    # One quiet champion among several active ones is worth a word, not a risk; when
    # the quiet ones are as many as the active ones, the account is losing its voice.
    losing = bool(quiet_ones) and len(active) <= len(quiet_ones)
    quiet_champions = sorted(
        (QuietChampion(cid, name[cid], t, None if t is None else (as_of - t).days, losing)
         for cid in quiet_ids for t in (current[cid].last_touch,)),
        key=lambda q: (q.last_touch is not None, q.last_touch or as_of, q.contact_id))
    if losing:
        if active:
            also = (f", and only {_count(len(active), 'other champion')} active "
                    f"({_names(sorted(active), name)})")
        else:
            also = ", and no other champion is active"
        risk += [q + also for q in quiet_ones]
    elif quiet_ones:
        notes += [f"{q} ({_names(sorted(active), name)} still active within {quiet} days)"
                  for q in quiet_ones]
    for cid, p in facts.contacts.items():
        if p.left and not p.outside and cid in classification:
            for role in ("champion", "decision_maker"):
                if _has(classification[cid], role):
                    where = f", now at {facts.company_name(p.company_id)}" if p.company_id \
                        not in (None, facts.company_id) else ""
                    on = f" on {p.left_on.isoformat()}" if p.left_on else ""
                    risk.append(f"{role.replace('_', ' ')} {p.name} left{on}{where}")
    dms = [cid for cid, c in engaged.items() if _has(c, "decision_maker")]
    champs = [cid for cid, c in engaged.items() if _has(c, "champion")]
    # Which missing roles threaten the account, and which only keep it from "can grow"
    # (named in the notes as the next role to find), is the rules' call.
    needed = cfg.get("at_risk_without", ["decision_maker", "champion"])
    for role, found in (("decision_maker", dms), ("champion", champs)):
        if engaged and not found:
            said = f"no {role.replace('_', ' ')} engaged"
            if role in needed:
                risk.append(said)
            else:
                notes.append(f"{said} yet: the next one to find")
    # A department where we know nobody is whitespace, not a narrow relationship: an
    # account whose people we know all work in one department is covered by one.
    need = min(int(cfg.get("min_departments", 2)),
               len({p.department for p in current.values() if p.department}))
    if engaged and has.departments and len(breadth.departments_covered) < need:
        risk.append(f"only {_count(len(breadth.departments_covered), 'department')} covered "
                    f"(can grow needs {need})")

    # 5. can grow
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
        covered = breadth.departments_covered
        checks[CAN_GROW].append(f"{_count(len(covered), 'department')} covered: "
                                + ", ".join(covered))

    for status in STATUSES:
        if checks[status] or status == CAN_GROW:
            # The notes qualify a judgement of the relationship (at risk, can grow);
            # next to "churned" or "nobody engaged" they would only be noise.
            noted = notes if status in (AT_RISK, CAN_GROW) else []
            return Status(status=status, reasons=[*checks[status], *noted], checks=checks,
                          notes=notes, quiet_champions=quiet_champions)
    raise AssertionError("unreachable: can grow is the last status")


def _count(n: int, noun: str) -> str:
    """``_count(1, "department")`` -> "1 department"; 2 -> "2 departments"."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _quiet(who: str, as_of: datetime, last_touch: datetime | None) -> str:
    if last_touch is None:
        return f"champion {who} never touched"
    return (f"champion {who} quiet for {(as_of - last_touch).days} days "
            f"(last touch {last_touch.date().isoformat()})")
