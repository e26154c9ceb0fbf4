"""Database-level inputs: walk a store account by account into plain summaries and cases.

The database readings (:func:`~graph.readings.mix.mix_by_segment`,
:func:`~graph.readings.concentration.concentration`,
:func:`~graph.readings.concentration.list_purchase_plan`,
:func:`~graph.readings.triggers.revenue_triggers`) take plain data. This module is the
only one here that reads a store, and only through the :class:`graph.store.Store`
Protocol (``iter_ids`` and ``account_graph``), so the CLI, the API and the benches
share it. The per-graph functions (:func:`account_summary`, :func:`opportunity_cases`)
are pure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import networkx as nx

from graph.model import Seniority
from graph.neighbourhood import AccountData, build_graph, split_key
from graph.readings.chain import account_state
from graph.readings.classification import classify_contacts
from graph.readings.facts import AccountSource, account_facts, as_datetime
from graph.readings.job_changes import job_changes
from graph.readings.known import data_known
from graph.readings.rules import UNENGAGED, Rules, resolve
from graph.readings.select import ContactRow
from graph.readings.strength import DEFAULT_HALF_LIFE_DAYS
from graph.store import Store

FIRMOGRAPHICS = ("industry", "size_band", "revenue_band", "region", "lifecycle")


def account_summary(
    G: AccountSource,
    *,
    rules: Rules | None = None,
    as_of: date | datetime | str | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
) -> dict[str, Any]:
    """One account as a plain, JSON-ready row: firmographics, mix, status, departures.

    This is what the database readings consume (``mix`` feeds
    :func:`mix_by_segment` and the purchase plan, ``contacts`` the concentration).
    """
    return account_row(G, rules=rules, as_of=as_of, half_life_days=half_life_days)[0]


def account_row(
    G: AccountSource,
    *,
    rules: Rules | None = None,
    as_of: date | datetime | str | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
) -> tuple[dict[str, Any], list[ContactRow]]:
    """:func:`account_summary` and one :class:`ContactRow` per employee, from one reading.

    The contact rows are what cross-account questions filter on
    (:func:`graph.readings.select.select_contacts`): everyone who works or worked
    at the account, in id order, with their primary category, strength and last touch.
    """
    r = resolve(rules)
    s = account_state(G, rules=r, as_of=as_of, half_life_days=half_life_days)
    f, strength, cls, breadth, status = s.facts, s.strength, s.classification, s.breadth, \
        s.status
    mix: dict[str, int] = {}
    for cid, c in cls.items():
        if f.contacts[cid].current:
            mix[c.primary] = mix.get(c.primary, 0) + 1
    people = [ContactRow(contact_id=cid, company_id=f.company_id, name=p.name, title=p.title,
                         seniority=p.seniority, department=p.department,
                         category=cls[cid].primary if cid in cls else UNENGAGED,
                         strength=strength[cid].strength if cid in strength else 0.0,
                         last_touch=p.last_touch, current=p.current)
              for cid, p in sorted(f.contacts.items()) if not p.outside]
    touched = [p.last_touch for p in people if p.last_touch is not None]
    summary = {
        "company_id": f.company_id,
        "name": f.company.get("name") or f.company_id,
        **{k: f.company.get(k) for k in FIRMOGRAPHICS},
        "target": bool(f.company.get("target", False)),
        "contacts": sum(1 for p in f.contacts.values() if p.current),
        "mix": mix,
        "status": status.status,
        "status_reasons": status.reasons,
        "departments_covered": breadth.departments_covered,
        "unknown": breadth.unknown,  # no data on these: not gaps
        "live_relationships": breadth.live_relationships,
        "last_touch": max(touched).isoformat() if touched else None,
        "departures": [
            {"contact_id": j.contact_id, "name": j.name, "to": j.other_company_id,
             "categories": j.categories, "strength": j.strength}
            for j in job_changes(f, cls, strength) if j.direction == "left"
        ],
    }
    return summary, people


def opportunity_cases(
    G: nx.MultiDiGraph,
    *,
    rules: Rules | None = None,
    include_personal: bool = False,
) -> list[dict[str, Any]]:
    """One case per closed opportunity of an account, for :func:`revenue_triggers`.

    Features: the company's firmographics; mix features of the account *as it stood
    the day before the close date* (so neither the deal itself nor what happened
    after it explains it): which
    categories were engaged, how many departments, and which categories the
    contacts on the deal held (``deal.champion_on_deal``...), the most senior of them
    (``deal.top_seniority``), their departments (``deal.department``, a list), the touchpoint
    kinds they had taken part in (``deal.had_demo``...); and the profile items
    (``profile.<key> = value``) of the contacts involved in the deal. Personal
    profile items are left out unless ``include_personal`` (an aggregate over
    personal data is still a use of it: keep it to the people allowed to see it).
    """
    r = resolve(rules)
    company_key = f"company:{G.graph.get('company_id')}"
    company = G.nodes[company_key] if company_key in G else {}
    items: dict[str, list[tuple[str, str]]] = {}
    for u, v, d in G.edges(data=True):
        if d.get("kind") == "HAS_PROFILE_ITEM":
            item = G.nodes[v]
            if include_personal or str(item.get("visibility")) == "public":
                items.setdefault(split_key(u)[1], []).append(
                    (f"profile.{item.get('key')}", str(item.get("value"))))
    cases = []
    for n, d in G.nodes(data=True):
        if d.get("kind") != "opportunity" or d.get("stage") not in ("closed_won", "closed_lost"):
            continue
        closed = as_datetime(d.get("close_date"))
        if closed is None:
            continue
        # The account as it stood the day before the deal closed: reading it at the
        # close would count the deal itself (a won deal makes its signers decision
        # makers), and every case would "predict" its own outcome.
        before = datetime.combine(closed.date(), time.min, tzinfo=UTC) - timedelta(microseconds=1)
        f = account_facts(G, before)
        cls = classify_contacts(f, rules=r, facts=f)
        engaged = {c.primary for cid, c in cls.items()
                   if f.contacts[cid].current and c.primary != UNENGAGED}
        features: dict[str, Any] = {k: company.get(k) for k in FIRMOGRAPHICS if k != "lifecycle"}
        for cat in r.category_names:
            if cat != UNENGAGED:
                features[f"mix.{cat}_engaged"] = cat in engaged
        deps = {f.contacts[cid].department for cid, c in cls.items()
                if c.primary != UNENGAGED and f.contacts[cid].current}
        # 0, 1, 2, 3+; unknown (no feature) when the account has no department data.
        features["mix.departments_engaged"] = min(len(deps - {None}), 3) \
            if data_known(f).departments else None
        on_deal = [cid for cid in d.get("contact_ids") or [] if cid in cls]
        for cat in r.category_names:
            if cat != UNENGAGED:
                # Primary categories only: a champion's referrals also score "partner",
                # and counting that would echo the champion effect as a partner one.
                features[f"deal.{cat}_on_deal"] = any(cls[c].primary == cat for c in on_deal)
        people = [f.contacts[c] for c in on_deal]
        # Who was on the deal, as the CRM has them, and what they had been through:
        # a category is read from touchpoints, so "technical evaluator on the deal"
        # can be an echo of "had a demo", and the adjusted view can only say so when
        # the touchpoint kinds are features too.
        levels = [str(s) for s in Seniority]  # most senior first
        ranks = [levels.index(p.seniority) for p in people if p.seniority in levels]
        features["deal.top_seniority"] = levels[min(ranks)] if ranks else None
        features["deal.department"] = sorted({p.department for p in people if p.department})
        for kind in sorted({k for p in people for k in p.kinds}):
            features[f"deal.had_{kind}"] = True
        for cid in on_deal:
            for name, value in items.get(cid, []):
                features.setdefault(name, []).append(value)
        cases.append({"opportunity_id": split_key(n)[1], "company_id": f.company_id,
                      "won": d.get("stage") == "closed_won", "features": features})
    return cases


# Marks a personal item's key while cases are built; no real key contains a NUL.
_PERSONAL = "\x00personal\x00"
_MARKED = f"profile.{_PERSONAL}"


def split_cases(
    G: nx.MultiDiGraph, *, rules: Rules | None = None
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """An account's closed-opportunity cases, with personal profile features set apart.

    Returns ``(cases, personal)``: ``cases`` are exactly
    ``opportunity_cases(G, include_personal=False)``, and ``personal`` maps an
    opportunity id to its personal profile features, which merged into its case give
    exactly ``opportunity_cases(G, include_personal=True)``. One pass, not two (a
    case re-reads the account as of its close date, the dear part): personal items'
    keys are marked while it runs, then restored.
    """
    marked = []
    for _, d in G.nodes(data=True):
        if d.get("kind") == "profile_item" and str(d.get("visibility")) != "public":
            marked.append((d, d.get("key")))
            d["key"] = f"{_PERSONAL}{d.get('key')}"
    try:
        both = opportunity_cases(G, rules=rules, include_personal=True)
    finally:
        for d, k in marked:
            d["key"] = k
    cases, personal = [], {}
    for case in both:
        public: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for name, value in case["features"].items():
            if name.startswith(_MARKED):
                extra[f"profile.{name[len(_MARKED):]}"] = value
            else:
                public[name] = value
        cases.append({**case, "features": public})
        if extra:
            personal[str(case["opportunity_id"])] = extra
    return cases, personal


@dataclass(frozen=True)
class DatabaseRow:
    """What one account contributes to the database readings (see :func:`database_row`)."""

    summary: dict[str, Any]  # :func:`account_summary`
    # Employees by primary category: a question about decision makers reads only theirs.
    contacts: dict[str, tuple[ContactRow, ...]]
    cases: list[dict[str, Any]]  # closed opportunities, public profile items only
    personal: dict[str, dict[str, Any]]  # opportunity id -> personal profile features


def _has_closed_deal(data: AccountData) -> bool:
    return any(o.get("stage") in ("closed_won", "closed_lost") for o in data.opportunities)


def database_row(
    data: AccountData,
    *,
    rules: Rules | None = None,
    as_of: date | datetime | str | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
) -> DatabaseRow:
    """One account's summary, contact rows by category and cases (public and personal apart)."""
    r = resolve(rules)
    summary, people = account_row(data, rules=r, as_of=as_of, half_life_days=half_life_days)
    by_category: dict[str, list[ContactRow]] = {}
    for p in people:
        by_category.setdefault(p.category, []).append(p)
    # Cases read opportunities and profile items off the graph: built only when the
    # account has a closed deal to read.
    cases, personal = split_cases(build_graph(data), rules=r) if _has_closed_deal(data) \
        else ([], {})
    return DatabaseRow(summary=summary, cases=cases, personal=personal,
                       contacts={c: tuple(rows) for c, rows in sorted(by_category.items())})


def read_database_rows(
    store: Store, company_ids: Sequence[str], rules: Rules,
    as_of: date | datetime | str | None, half_life_days: float,
) -> list[DatabaseRow]:
    """:func:`database_row` of each account, in order (a :mod:`graph.walk` chunk reader)."""
    return [database_row(store.account_data(cid, people=False), rules=rules, as_of=as_of,
                         half_life_days=half_life_days) for cid in company_ids]


def read_personal_features(
    store: Store, company_ids: Sequence[str], rules: Rules,
) -> list[dict[str, dict[str, Any]]]:
    """The personal part of each account's cases (:func:`split_cases`), in order.

    For rows kept without it (the saved file holds no personal values): a
    :mod:`graph.walk` chunk reader.
    """
    out = []
    for cid in company_ids:
        data = store.account_data(cid, people=False)
        out.append(split_cases(build_graph(data), rules=rules)[1] if _has_closed_deal(data)
                   else {})
    return out


def fresh_rules(rules: Rules) -> Rules:
    """The rules without what reading filled in (memos): what to send to a worker."""
    return dataclasses.replace(rules)


def _company_ids(store: Store, company_ids: Iterable[str] | None) -> Iterator[str]:
    if company_ids is not None:
        yield from company_ids
        return
    for batch in store.iter_ids("company"):
        yield from batch


def iter_account_summaries(
    store: Store,
    *,
    rules: Rules | None = None,
    as_of: date | datetime | str | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    company_ids: Iterable[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """:func:`account_summary` of every account in the store (or of ``company_ids``), in id order.

    Reads one account's data at a time (no graph: the readings read it directly), so
    memory stays that of the largest account.
    """
    r = resolve(rules)
    for cid in _company_ids(store, company_ids):
        yield account_summary(store.account_data(cid, people=False), rules=r, as_of=as_of,
                              half_life_days=half_life_days)


def iter_opportunity_cases(
    store: Store,
    *,
    rules: Rules | None = None,
    include_personal: bool = False,
    company_ids: Iterable[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """:func:`opportunity_cases` of every account in the store, one account at a time."""
    r = resolve(rules)
    for cid in _company_ids(store, company_ids):
        yield from opportunity_cases(store.account_graph(cid), rules=r,
                                     include_personal=include_personal)


def job_change_openings(summaries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Departures of key people paired with the account they went to: openings there.

    Takes :func:`account_summary` rows; a departure counts when the person was a
    champion or decision maker and their new company is known.
    """
    out = []
    for s in summaries:
        for d in s.get("departures", []):
            roles = [c for c in d.get("categories", []) if c in ("champion", "decision_maker")]
            if roles and d.get("to"):
                out.append({
                    "contact_id": d["contact_id"], "name": d["name"],
                    "from_company_id": s["company_id"], "to_company_id": d["to"],
                    "roles": roles, "strength": d.get("strength", 0.0),
                    "reasons": [f"{d['name']} was {' and '.join(roles)} at {s['company_id']} "
                                f"and is now at {d['to']}: a risk there, an opening here"],
                })
    out.sort(key=lambda o: (-o["strength"], o["contact_id"]))
    return out
