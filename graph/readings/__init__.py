"""The readings: what an account graph (or the whole database) tells us, with evidence.

Every reading is a pure function (graph or plain data first, options after, no I/O);
:func:`account_readings` computes all the per-account ones from one account graph
and returns a JSON-ready :class:`AccountReadings`. Formulas: ``docs/readings.md``.

>>> from graph.readings.testing import AccountBuilder
>>> b = AccountBuilder("acme")
>>> _ = b.user("una")
>>> _ = b.contact("ann", title="CFO", department="Finance", seniority="C-level")
>>> _ = b.touch("t1", "meeting", "2025-01-10", contacts=["ann"], users=["una"])
>>> r = account_readings(b.G, as_of="2025-02-01")
>>> r.classification["ann"].primary, r.status.status
('decision_maker', 'at_risk')
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from graph import collector
from graph.neighbourhood import key
from graph.readings.breadth import Breadth
from graph.readings.chain import account_state
from graph.readings.classification import Classification
from graph.readings.facts import AccountFacts, AccountSource
from graph.readings.handover import Handover, handovers
from graph.readings.job_changes import JobChange, job_changes
from graph.readings.key_people import KeyPeople, key_people
from graph.readings.mix import Mix, account_mix
from graph.readings.paths import PathsReading, influence_paths
from graph.readings.people import people_links
from graph.readings.rules import Rules, load_rules, resolve
from graph.readings.status import Status
from graph.readings.strength import DEFAULT_HALF_LIFE_DAYS, Strength
from graph.readings.whitespace import Whitespace, account_whitespace

__all__ = [
    "AccountReadings",
    "Rules",
    "account_readings",
    "jsonable",
    "load_rules",
    "path_targets",
]

TOP_SENIORITIES = ("C-level", "VP")


@dataclass
class AccountReadings:
    """Every per-account reading of one account graph, as of one moment."""

    company_id: str
    company_name: str
    as_of: datetime
    rules: str  # the rules file used
    classification: dict[str, Classification] = field(default_factory=dict)
    strength: dict[str, Strength] = field(default_factory=dict)
    mix: Mix = field(default_factory=Mix)
    breadth: Breadth = field(default_factory=Breadth)
    status: Status = field(default_factory=lambda: Status("no_relationship"))
    whitespace: Whitespace = field(default_factory=Whitespace)
    job_changes: list[JobChange] = field(default_factory=list)
    key_people: KeyPeople = field(default_factory=KeyPeople)
    paths: list[PathsReading] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (dates as ISO strings, tuples as lists)."""
        out = jsonable(self)
        assert isinstance(out, dict)
        return out


def jsonable(value: Any) -> Any:
    """Dataclasses, dicts, lists, dates and enums as plain JSON-ready data.

    >>> jsonable({"on": date(2025, 1, 2), "pair": ("a", 1)})
    {'on': '2025-01-02', 'pair': ['a', 1]}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value


def path_targets(
    facts: AccountFacts,
    classification: dict[str, Classification],
    strength: dict[str, Strength],
    limit: int = 3,
) -> list[str]:
    """Whom the account's influence paths aim at by default: its decision makers.

    Current decision makers (primary category) weakest relationship first, since those
    need an introduction most; with none, C-level and VP contacts.
    """
    current = [cid for cid, p in facts.contacts.items() if p.current]
    dms = [c for c in current if classification[c].primary == "decision_maker"]
    if not dms:
        dms = [c for c in current if facts.contacts[c].seniority in TOP_SENIORITIES]
    dms.sort(key=lambda c: (strength[c].strength, c))
    return [key("contact", c) for c in dms[:limit]]


@dataclass(frozen=True)
class AccountSummary:
    """The readings a list of accounts shows: status with its reasons, and breadth."""

    company_id: str
    company_name: str
    status: Status
    breadth: Breadth


def account_summary(
    G: AccountSource,
    rules: Rules | Path | str | None = None,
    as_of: date | datetime | str | None = None,
    *,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
) -> AccountSummary:
    """Status and breadth of one account, without the people graph.

    The same status and breadth :func:`account_readings` gives, for a fraction
    of its cost: key people and influence paths, which need the people graph,
    are most of the work and a list of accounts shows neither.

    Parameters
    ----------
    G : nx.MultiDiGraph, AccountData or AccountFacts
        An account graph (see :mod:`graph.neighbourhood`), or its data.
    rules, as_of, half_life_days
        As for :func:`account_readings`.

    Returns
    -------
    AccountSummary
    """
    with collector.paused():
        return _summary(G, resolve(rules), as_of, half_life_days)


def _summary(G: AccountSource, r: Rules, as_of: date | datetime | str | None,
             half_life_days: float) -> AccountSummary:
    s = account_state(G, rules=r, as_of=as_of, half_life_days=half_life_days)
    return AccountSummary(
        company_id=s.facts.company_id,
        company_name=str(s.facts.company.get("name") or s.facts.company_id),
        status=s.status,
        breadth=s.breadth,
    )


def account_readings(
    G: AccountSource,
    rules: Rules | Path | str | None = None,
    as_of: date | datetime | str | None = None,
    *,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    targets: list[str] | None = None,
    user_id: str | None = None,
    k: int | None = None,
    max_hops: int | None = None,
    engine: str = "auto",
) -> AccountReadings:
    """Compute every per-account reading of one account graph.

    Parameters
    ----------
    G : nx.MultiDiGraph, AccountData or AccountFacts
        The account: ``store.account_data(id)`` (fastest), an account graph (see
        :mod:`graph.neighbourhood`) or facts already read.
    rules : Rules, path or None
        The reading rules, a rules file, or the shipped defaults.
    as_of : date, datetime or ISO string, optional
        Read the account as it was at this moment; now when None.
    half_life_days : float
        Strength half-life (pass ``Settings.strength_half_life_days``).
    targets : list of str, optional
        Person keys to find influence paths to; the decision makers when None.
    user_id : str, optional
        Start influence paths from this user only; from every user when None.
    k, max_hops : int, optional
        Paths per target and hop limit; the rules' ``[paths]`` values when None.
    engine : str
        Betweenness engine for key people ("auto", "networkx", "rustworkx").

    Returns
    -------
    AccountReadings
        Use :meth:`AccountReadings.to_dict` for JSON.
    """
    with collector.paused():
        return _readings(G, resolve(rules), as_of, half_life_days, targets, user_id, k,
                         max_hops, engine)


def _readings(
    G: AccountSource,
    r: Rules,
    as_of: date | datetime | str | None,
    half_life_days: float,
    targets: list[str] | None,
    user_id: str | None,
    k: int | None,
    max_hops: int | None,
    engine: str,
) -> AccountReadings:
    s = account_state(G, rules=r, as_of=as_of, half_life_days=half_life_days, explain=True)
    facts, strength, cls, breadth = s.facts, s.strength, s.classification, s.breadth
    P = people_links(facts, rules=r, half_life_days=half_life_days)
    dms = [
        key("contact", c)
        for c, x in cls.items()
        if x.primary == "decision_maker" and facts.contacts[c].current
    ]
    cfg = r.section("paths")
    sources = [key("user", user_id)] if user_id else None
    paths = [
        influence_paths(
            P,
            t,
            sources=sources,
            k=k or int(cfg.get("k", 3)),
            max_hops=max_hops or int(cfg.get("max_hops", 4)),
        )
        for t in (targets if targets is not None else path_targets(facts, cls, strength))
    ]
    return AccountReadings(
        company_id=facts.company_id,
        company_name=str(facts.company.get("name") or facts.company_id),
        as_of=facts.as_of,
        rules=r.source,
        classification=cls,
        strength=strength,
        mix=account_mix(cls, facts, categories=r.category_names),
        breadth=breadth,
        status=s.status,
        whitespace=account_whitespace(facts, cls, rules=r),
        job_changes=job_changes(facts, cls, strength),
        key_people=key_people(
            P,
            decision_makers=dms,
            engine=engine,
            live_threshold=float(r.section("strength").get("live_threshold", 0.2)),
        ),
        paths=paths,
        handovers=handovers(facts, rules=r, half_life_days=half_life_days),
    )
