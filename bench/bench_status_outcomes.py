"""How well does each status separate accounts that buy from accounts that only lose?

Run by hand (numbers go in the report, not in tests)::

    .venv/bin/python bench/bench_status_outcomes.py                       # demo world, seed 42
    .venv/bin/python bench/bench_status_outcomes.py --seed 7 --companies 200
    .venv/bin/python bench/bench_status_outcomes.py --world DIR          # a loaded store
    .venv/bin/python bench/bench_status_outcomes.py --json               # one JSON line

Each account gets its status as of ``--as-of`` (the generator's "now" by default) and
an outcome from its own deals:

* **buys**: a won deal closed in the ``--recent-days`` (365) before as of;
* **loses**: closed deals, none of them ever won;
* **other**: neither (no closed deal, or wins only longer ago).

For each status: how many accounts of each outcome read it, and the share of the
buyers and of the losers that read it. A status separates when those shares differ:
``can_grow`` should hold many buyers and few losers, ``at_risk`` the reverse. One
number sums it up, the **AUC** of the statuses ordered can grow > at risk > dormant >
churned > no relationship: the chance that a random buyer reads better than a random
loser (ties count half; 0.5 is no separation, 1.0 perfect).

The outcome is read from the same data the status reads (a won deal makes its
signers decision makers), so buyers have an edge by construction; the question is
whether losers, who had deals and contacts too, read differently.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ORDER = ("can_grow", "at_risk", "dormant", "churned", "no_relationship")


def outcome_of(opportunities: Iterable[Mapping[str, Any]], as_of: datetime,
               recent_days: int = 365) -> str:
    """``buys``, ``loses`` or ``other`` from an account's deals (see the module docstring)."""
    from graph.readings.facts import as_datetime

    closed = [(o.get("stage"), as_datetime(o.get("close_date"))) for o in opportunities
              if o.get("stage") in ("closed_won", "closed_lost")]
    closed = [(s, at) for s, at in closed if at is not None and at <= as_of]
    if any(s == "closed_won" and at >= as_of - timedelta(days=recent_days) for s, at in closed):
        return "buys"
    if closed and all(s == "closed_lost" for s, _ in closed):
        return "loses"
    return "other"


def auc(buys: list[str], loses: list[str]) -> float | None:
    """P(a buyer's status ranks above a loser's), ties half, over :data:`ORDER`."""
    if not buys or not loses:
        return None
    rank = {s: len(ORDER) - i for i, s in enumerate(ORDER)}
    score = sum((rank.get(b, 0) > rank.get(v, 0)) + 0.5 * (rank.get(b, 0) == rank.get(v, 0))
                for b in buys for v in loses)
    return round(score / (len(buys) * len(loses)), 4)


def separation(rows: list[tuple[str, str]]) -> dict[str, Any]:
    """(status, outcome) per account -> counts, shares and the AUC."""
    by = Counter(rows)
    groups = Counter(o for _, o in rows)
    table = {}
    for s in ORDER:
        table[s] = {
            "buys": by[(s, "buys")], "loses": by[(s, "loses")], "other": by[(s, "other")],
            "share_of_buyers": round(by[(s, "buys")] / groups["buys"], 3) if groups["buys"]
            else None,
            "share_of_losers": round(by[(s, "loses")] / groups["loses"], 3) if groups["loses"]
            else None,
        }
    return {
        "accounts": len(rows), "buys": groups["buys"], "loses": groups["loses"],
        "other": groups["other"], "statuses": table,
        "auc": auc([s for s, o in rows if o == "buys"], [s for s, o in rows if o == "loses"]),
    }


def measure(store: Any, as_of: datetime, recent_days: int, rules: Path | None = None,
            ) -> tuple[dict[str, Any], Counter[tuple[str, str]]]:
    from graph.readings.database import account_summary
    from graph.readings.rules import resolve

    r = resolve(rules)
    rows = []
    reasons: Counter[tuple[str, str]] = Counter()
    for batch in store.iter_ids("company"):
        for cid in batch:
            data = store.account_data(cid, people=False)
            s = account_summary(data, rules=r, as_of=as_of)
            outcome = outcome_of(data.opportunities, as_of, recent_days)
            rows.append((s["status"], outcome))
            for reason in s["status_reasons"]:
                # The reason's kind, without names and numbers: what the rule said.
                reasons[(outcome, _kind(reason))] += 1
    return separation(rows), reasons


def _kind(reason: str) -> str:
    for head in ("single-threaded", "champion", "decision maker", "no decision maker",
                 "no champion", "only", "no data on", "lifecycle", "no touchpoint",
                 "none of", "last won", "last touchpoint"):
        if reason.startswith(head):
            return head + (" quiet" if "quiet" in reason else " left" if " left" in reason
                           else " engaged" if "engaged" in reason else "")
    return reason.split(":")[0][:40]


def _print(result: dict[str, Any], reasons: Counter[tuple[str, str]], label: str) -> None:
    print(f"{label}: {result['accounts']} accounts, {result['buys']} buy, "
          f"{result['loses']} only lose, {result['other']} other; AUC {result['auc']}")
    print(f"  {'status':<16}{'buys':>6}{'loses':>7}{'other':>7}"
          f"{'% of buyers':>13}{'% of losers':>13}")
    for s, row in result["statuses"].items():
        fb = row["share_of_buyers"]
        fl = row["share_of_losers"]
        print(f"  {s:<16}{row['buys']:>6}{row['loses']:>7}{row['other']:>7}"
              f"{'-' if fb is None else f'{fb:.0%}':>13}{'-' if fl is None else f'{fl:.0%}':>13}")
    print("  reasons given (buys / loses):")
    kinds = sorted({k for _, k in reasons}, key=lambda k: -(reasons[("buys", k)]
                                                           + reasons[("loses", k)]))
    for k in kinds[:12]:
        print(f"    {k:<34}{reasons[('buys', k)]:>6}{reasons[('loses', k)]:>7}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--world", type=Path, help="data dir of a loaded LadybugDB store")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--companies", type=int, default=200)
    ap.add_argument("--contacts", type=int, default=20_000)
    ap.add_argument("--touchpoints", type=int, default=120_000)
    ap.add_argument("--as-of", default=None, help="default: the generator's now")
    ap.add_argument("--recent-days", type=int, default=365)
    ap.add_argument("--rules", type=Path, default=None)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from graph.settings import Settings
    from graph.stores import open_store
    from seed.generator import REFERENCE_NOW, Sizes, generate
    from seed.load import load_world

    as_of = (datetime.fromisoformat(args.as_of).replace(tzinfo=UTC) if args.as_of
             else REFERENCE_NOW)
    t0 = time.perf_counter()
    if args.world:
        store = open_store(Settings(data_dir=args.world, store="ladybug"), read_only=True)
        label = str(args.world)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="bench-status-"))
        store = open_store(Settings(data_dir=tmp, store="ladybug"))
        sizes = Sizes(companies=args.companies, contacts=args.contacts,
                      touchpoints=args.touchpoints)
        load_world(store, generate(args.seed, sizes))
        label = f"seed {args.seed}, {args.companies} companies"
    try:
        result, reasons = measure(store, as_of, args.recent_days, args.rules)
    finally:
        store.close()
    result["seconds"] = round(time.perf_counter() - t0, 1)
    if args.json:
        print(json.dumps({"world": label, **result}))
    else:
        _print(result, reasons, label)
        print(f"  ({result['seconds']} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
