"""Concentration of contacts across companies, and the list-purchase plan for target accounts.

Both take plain per-account summaries (see :func:`graph.readings.database.account_summary`),
so they can be fed from the store in batches:

* **concentration**: share of all contacts held by the top 10 companies, the top 1% and
  the top 10% of companies; the Herfindahl-Hirschman index ``sum(share_i ** 2)`` (1/N for
  an even spread, 1 when one company holds everything); and the target accounts that
  are thin (fewer than ``thin_below`` current contacts).
* **list-purchase plan**: for each target account, ``max(0, target_mix[c] - have[c])``
  contacts missing per category of the rules' ``[plan.target_mix]``; buyable categories
  add to the purchase at ``price_per_contact``, the others (a champion cannot be bought)
  are listed as needing engagement.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.readings.rules import Rules, resolve


@dataclass
class Concentration:
    accounts: int = 0
    contacts: int = 0
    top: list[dict[str, Any]] = field(default_factory=list)  # company_id, name, contacts, share
    share_top_10: float = 0.0
    share_top_1pct: float = 0.0
    share_top_10pct: float = 0.0
    hhi: float = 0.0
    thin_targets: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _share(sizes: list[int], n: int, total: int) -> float:
    return round(sum(sizes[:n]) / total, 4) if total else 0.0


def concentration(
    accounts: Iterable[Mapping[str, Any]],
    *,
    top: int = 10,
    thin_below: int = 5,
) -> Concentration:
    """Are our contacts piled into a few companies? Which target accounts are thin?

    Parameters
    ----------
    accounts : iterable of mapping
        One per company: ``company_id``, ``contacts`` (count), optional ``name`` and
        ``target`` (bool).
    top : int
        How many of the largest companies to list.
    thin_below : int
        A target account with fewer current contacts than this is thin.

    Examples
    --------
    >>> c = concentration([{"company_id": "a", "contacts": 90},
    ...                    {"company_id": "b", "contacts": 10, "target": True}])
    >>> c.share_top_1pct, c.hhi, [t["company_id"] for t in c.thin_targets]
    (0.9, 0.82, [])
    """
    rows = sorted(
        ({"company_id": str(a["company_id"]), "name": a.get("name") or a["company_id"],
          "contacts": int(a.get("contacts", 0)), "target": bool(a.get("target", False))}
         for a in accounts),
        key=lambda r: (-r["contacts"], r["company_id"]),
    )
    total = sum(r["contacts"] for r in rows)
    sizes = [r["contacts"] for r in rows]
    n = len(rows)
    one_pct, ten_pct = max(1, math.ceil(n / 100)), max(1, math.ceil(n / 10))
    hhi = round(sum((s / total) ** 2 for s in sizes), 4) if total else 0.0
    thin = [r for r in rows if r["target"] and r["contacts"] < thin_below]
    out = Concentration(
        accounts=n,
        contacts=total,
        top=[{**r, "share": round(r["contacts"] / total, 4) if total else 0.0}
             for r in rows[:top]],
        share_top_10=_share(sizes, 10, total),
        share_top_1pct=_share(sizes, one_pct, total),
        share_top_10pct=_share(sizes, ten_pct, total),
        hhi=hhi,
        thin_targets=sorted(thin, key=lambda r: (r["contacts"], r["company_id"])),
    )
    out.reasons = [
        f"{out.share_top_10:.0%} of {total:,} contacts are at the top {min(10, n)} of {n:,} "
        "companies",
        f"top 1% of companies ({one_pct:,}) hold {out.share_top_1pct:.0%}; top 10% "
        f"({ten_pct:,}) hold {out.share_top_10pct:.0%}",
        f"Herfindahl index {hhi:.4f} (an even spread would be {1 / n:.4f})" if n else
        "no companies",
        f"{len(thin)} target accounts have fewer than {thin_below} contacts",
    ]
    return out


@dataclass
class AccountPlan:
    company_id: str
    name: str
    have: dict[str, int]
    buy: dict[str, int]  # category -> contacts to buy
    engage: dict[str, int]  # category -> contacts we need but cannot buy
    cost: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class PurchasePlan:
    accounts: list[AccountPlan] = field(default_factory=list)
    contacts_to_buy: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    price_per_contact: float = 0.0
    total_cost: float = 0.0
    reasons: list[str] = field(default_factory=list)


def list_purchase_plan(
    accounts: Iterable[Mapping[str, Any]],
    *,
    rules: Rules | None = None,
    price_per_contact: float | None = None,
    target: Callable[[Mapping[str, Any]], bool] | None = None,
    target_mix: Mapping[str, int] | None = None,
) -> PurchasePlan:
    """How many contacts of each category to buy to give target accounts a healthy mix.

    Parameters
    ----------
    accounts : iterable of mapping
        Per-account summaries: ``company_id``, ``name``, ``mix`` (category -> count of
        current contacts) and ``target``.
    rules : Rules, optional
        ``[plan]`` table: target mix, buyable categories, price; the defaults when None.
    price_per_contact : float, optional
        Overrides the rules' price.
    target : callable, optional
        Which accounts to plan for; ``summary["target"]`` when None.
    target_mix : mapping, optional
        Overrides the rules' ``[plan.target_mix]``.

    Examples
    --------
    >>> plan = list_purchase_plan(
    ...     [{"company_id": "a", "target": True, "mix": {"decision_maker": 2}}],
    ...     target_mix={"decision_maker": 2, "finance": 1, "champion": 1},
    ...     price_per_contact=10)
    >>> plan.accounts[0].buy, plan.accounts[0].engage, plan.total_cost
    ({'finance': 1}, {'champion': 1}, 10.0)
    """
    cfg = resolve(rules).section("plan")
    wanted = {c: int(n) for c, n in (target_mix or cfg.get("target_mix", {})).items()}
    buyable = {c for c, ok in cfg.get("buyable", {}).items() if ok}
    price = float(price_per_contact if price_per_contact is not None
                  else cfg.get("price_per_contact", 0.0))
    pick = target or (lambda s: bool(s.get("target")))
    plan = PurchasePlan(price_per_contact=price)
    by_cat: dict[str, int] = {}
    for s in accounts:
        if not pick(s):
            continue
        have = {c: int(n) for c, n in (s.get("mix") or {}).items()}
        buy: dict[str, int] = {}
        engage: dict[str, int] = {}
        for c, n in wanted.items():
            missing = max(0, n - have.get(c, 0))
            if missing:
                (buy if c in buyable else engage)[c] = missing
        count = sum(buy.values())
        reasons = [f"has {have.get(c, 0)} {c}, wants {n}" for c, n in wanted.items()
                   if have.get(c, 0) < n]
        plan.accounts.append(AccountPlan(
            str(s["company_id"]), str(s.get("name") or s["company_id"]),
            {c: have.get(c, 0) for c in wanted}, buy, engage, round(count * price, 2), reasons))
        for c, n in buy.items():
            by_cat[c] = by_cat.get(c, 0) + n
    plan.accounts.sort(key=lambda a: (-sum(a.buy.values()), a.company_id))
    plan.by_category = dict(sorted(by_cat.items()))
    plan.contacts_to_buy = sum(by_cat.values())
    plan.total_cost = round(plan.contacts_to_buy * price, 2)
    plan.reasons = [
        f"{len(plan.accounts)} target accounts; {plan.contacts_to_buy:,} contacts to buy at "
        f"{price:g} each = {plan.total_cost:,.2f}",
        "not for sale (need engagement): "
        + (", ".join(sorted({c for a in plan.accounts for c in a.engage})) or "nothing"),
    ]
    return plan
