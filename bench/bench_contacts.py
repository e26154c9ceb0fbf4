"""Time the cross-account contact question on the embedded store (run by hand).

    .venv/bin/python bench/bench_contacts.py --data-dir DIR [--scale 10] [--runs 5]
                                             [--accounts N]

DIR must hold a seeded world (e.g. ``accountgraph seed --size large`` for 10,000
accounts and 1,000,000 contacts, or ``--companies 1000 --contacts 100000
--touchpoints 500000``). The bench reads every account once into the database
readings' rows (the walk the server does at start, timed), then times the first
page of "decision makers in EMEA manufacturing nobody touched in 90 days, strongest
first" through the GraphQL schema in process, each run a question not seen before
(the answer memo emptied), and the same question in every region.

``--scale N`` also times the request path over N copies of the rows (each account
copied under a new id), to see how it grows toward a world N times larger without
seeding it: the store is read only for the page's 25 contacts either way.
``--accounts N`` reads only the first N accounts: with ``--scale`` it reaches a
large world's size from part of its rows when the whole walk would take too long.
The store is opened read-only: the bench writes nothing.
Goal (issue 18): first page under 500 ms over 1,000,000 contacts.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import statistics
import time
from pathlib import Path
from typing import Any

QUERY = """query($region: String!) {
  contacts(filter: {categories: [DECISION_MAKER], notTouchedInDays: 90,
                    account: {region: $region, industry: "manufacturing"}},
           sort: STRENGTH, first: 25) {
    totalCount items { id name title strength company { name } }
  }
}"""
WIDE = """{ contacts(filter: {categories: [END_USER, TECHNICAL_EVALUATOR]}, sort: LAST_TOUCH,
             first: 25) { totalCount items { id name } } }"""


def scaled(snap: Any, times: int) -> Any:
    """The snapshot with every account copied ``times`` times under new ids."""
    from api.database import Snapshot

    rows = []
    for i in range(times):
        for r in snap.rows:
            cid = f"{r.summary['company_id']}~{i}" if i else r.summary["company_id"]
            contacts = {c: tuple(dataclasses.replace(p, company_id=cid) for p in ps)
                        for c, ps in r.contacts.items()} if i else r.contacts
            rows.append(dataclasses.replace(r, summary={**r.summary, "company_id": cid},
                                            contacts=contacts))
    return Snapshot(generation=snap.generation, computed_at=snap.computed_at, rows=rows,
                    rules=snap.rules)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--accounts", type=int, default=0,
                        help="read only the first N accounts (0: all)")
    args = parser.parse_args()

    from api.auth import Viewer
    from api.cache import AccountCache
    from api.database import DatabaseReadings
    from api.schema import build_schema
    from api.schema.context import Context
    from graph import model as m
    from graph.settings import Settings
    from graph.stores import open_store

    # Read-only: the bench writes nothing, and may measure a world another process serves.
    store = open_store(Settings(data_dir=args.data_dir, store="ladybug"), read_only=True)
    db = DatabaseReadings(store, ttl=1e9)  # no background re-read while timing
    t, c = time.perf_counter(), time.process_time()
    if args.accounts:
        # The first N accounts only (the whole walk of a large world takes long):
        # --scale then copies their rows toward the world's size.
        ids = [cid for batch in store.iter_ids("company") for cid in batch][:args.accounts]
        for cid in ids:
            db._rows[cid] = db._read(cid)
        db._publish()
    snap = db.snapshot()
    contacts = sum(len(ps) for r in snap.rows for ps in r.contacts.values())
    print(f"{len(snap.rows)} accounts, {contacts} contact rows; walk "
          f"{time.perf_counter() - t:.1f} s wall, {time.process_time() - c:.1f} s CPU "
          f"(once per start; load average {os.getloadavg()[0]:.1f})")

    schema, cache = build_schema(), AccountCache(store)
    analyst = m.User(id="bench-analyst", name="Bench", access=m.Access.ANALYST)

    def ask(query: str, variables: dict[str, Any]) -> tuple[float, float, Any]:
        db._snapshot._recent.clear()  # type: ignore[union-attr]  # a question not seen before
        ctx = Context(viewer=Viewer(analyst, None), store=store, cache=cache,
                      request_id="b", database=db)
        t, c = time.perf_counter(), time.process_time()
        result = asyncio.run(schema.execute(query, variable_values=variables,
                                            context_value=ctx))
        wall, cpu = (time.perf_counter() - t) * 1e3, (time.process_time() - c) * 1e3
        assert not result.errors, result.errors
        return wall, cpu, result.data

    def report(label: str, query: str, variables: dict[str, Any]) -> None:
        runs = [ask(query, variables) for _ in range(args.runs)]
        data = runs[-1][2]["contacts"]
        # The median, and the slowest run (the first, whose page the store read cold).
        print(f"{label:46} {statistics.median(r[0] for r in runs):7.1f} ms wall "
              f"{statistics.median(r[1] for r in runs):7.1f} ms CPU "
              f"(slowest {max(r[0] for r in runs):6.1f} ms wall; "
              f"{data['totalCount']} match; page of {len(data['items'])})")

    for scale in (1, args.scale):
        if scale > 1:
            db._snapshot = scaled(snap, scale)
            n = sum(len(ps) for r in db._snapshot.rows for ps in r.contacts.values())
            print(f"x{scale}: {len(db._snapshot.rows)} accounts, {n} contact rows "
                  "(copies of the real rows)")
        report(f"x{scale} EMEA manufacturing DMs, cold 90 days", QUERY, {"region": "EMEA"})
        report(f"x{scale} North America, the same", QUERY, {"region": "North America"})
        report(f"x{scale} two categories, every account, by touch", WIDE, {})
    store.close()


if __name__ == "__main__":
    main()
