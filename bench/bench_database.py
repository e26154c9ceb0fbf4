"""Database readings as the API serves them: the walk, the aggregates, a write (run by hand).

    .venv/bin/python bench/bench_database.py [--size demo] [--data-dir DIR]

Seeds a LadybugDB store with a demo world (unless DIR already holds one), then times
:class:`api.database.DatabaseReadings`: the first snapshot (reads every account),
a snapshot when nothing changed, each aggregate computed and then served from its
memo, and a snapshot after one account was written. Wall and CPU time are printed
with the load average, since the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def timed(fn: Callable[[], Any]) -> tuple[Any, dict[str, float]]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, {"wall_s": round(time.perf_counter() - wall, 4),
                   "cpu_s": round(time.process_time() - cpu, 4),
                   "load1": round(os.getloadavg()[0], 2)}


QUERY = """{ databaseReadings { ... on DatabaseReadings {
  mix(by: INDUSTRY) { segment contacts categories { category count ratio } }
  concentration { shareTop10 hhi thinTargets { companyId contacts } }
  purchasePlan { contactsToBuy totalCost accounts { companyId buy { category count } } }
  revenueTriggers { cases ranked { feature value lift differenceInterval { low high } } }
} } }"""


def graphql_warm(store: Any, db: Any, rounds: int = 20) -> dict[str, float]:
    """The analyst's query through the schema in process (no HTTP), rows already read."""
    import asyncio

    from api.auth import Viewer
    from api.cache import AccountCache
    from api.schema import build_schema
    from api.schema.context import Context
    from graph import model as m

    schema, cache = build_schema(), AccountCache(store)
    analyst = m.User(id="bench-analyst", name="Bench", access=m.Access.ANALYST)

    def run() -> None:
        ctx = Context(viewer=Viewer(analyst, None), store=store, cache=cache,
                      request_id="b", database=db)
        result = asyncio.run(schema.execute(QUERY, context_value=ctx))
        assert not result.errors, result.errors

    run()
    wall = time.perf_counter()
    for _ in range(rounds):
        run()
    return {"ms": round((time.perf_counter() - wall) / rounds * 1e3, 2),
            "load1": round(os.getloadavg()[0], 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="demo")
    ap.add_argument("--data-dir", type=Path, default=None)
    args = ap.parse_args()

    from api.database import DatabaseReadings
    from api.demo import seed_if_empty
    from graph.readings.concentration import concentration, list_purchase_plan
    from graph.readings.mix import mix_by_segment
    from graph.readings.triggers import revenue_triggers
    from graph.settings import Settings
    from graph.stores import open_store

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-database-"))
    store = open_store(Settings(data_dir=data_dir, store="ladybug"))
    try:
        print(seed_if_empty(store, size=args.size), flush=True)
        db = DatabaseReadings(store)
        snap, t = timed(db.snapshot)
        cases = snap.cases()
        print("first snapshot (every account):", json.dumps({
            **t, "accounts": len(snap.rows), "cases": len(cases),
            "ms_per_account": round(t["wall_s"] / max(1, len(snap.rows)) * 1e3, 2)}))
        _, t = timed(db.snapshot)
        print("snapshot, nothing changed:", json.dumps(t))
        aggregates: dict[str, Callable[[], Any]] = {
            "mix_by_industry": lambda: mix_by_segment(snap.summaries, "industry"),
            "concentration": lambda: concentration(snap.summaries),
            "purchase_plan": lambda: list_purchase_plan(snap.summaries, rules=snap.rules),
            "revenue_triggers": lambda: revenue_triggers(snap.cases(), min_support=30),
            "revenue_triggers_personal": lambda: revenue_triggers(
                snap.cases(include_personal=True), min_support=30),
        }
        for name, fn in aggregates.items():
            _, first = timed(lambda fn=fn, name=name: snap.remember(name, fn))  # type: ignore[misc]
            _, again = timed(lambda fn=fn, name=name: snap.remember(name, fn))  # type: ignore[misc]
            print(f"{name}: first {json.dumps(first)}; memo {again['wall_s'] * 1e3:.3f} ms")
        one = snap.rows[len(snap.rows) // 2].summary["company_id"]
        db.invalidate(one)
        _, t = timed(db.snapshot)
        print(f"snapshot after a write to {one}:", json.dumps(t))
        print("GraphQL, every reading, warm (ms per request):",
              json.dumps(graphql_warm(store, db)))
    finally:
        store.close()


if __name__ == "__main__":
    main()
