"""Write throughput of the embedded store (issue 3's benchmark; run by hand).

    .venv/bin/python bench/bench_store.py [--contacts 100000] [--touchpoints 500000]
        [--path rows|table|both]

``--path rows`` writes lists of dicts through ``Store.upsert``; ``--path table``
writes Arrow tables through ``Store.upsert_table`` (the columnar path; building
the tables is not timed, as an import reading Parquet/CSV gets them from Arrow).

Writes companies, departments, contacts and touchpoints (with their derived
relationships) into a fresh LadybugDB file, then writes the very same rows again.
Reports rows per second (nodes plus the relationships derived from them) and the
peak resident memory of the process. Targets: first load >= 200,000 rows/s,
rewrite >= 50,000 rows/s changing nothing, peak memory < 2 GiB.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from graph.model import Function, department_id
from graph.stores.ladybug import LadybugStore

FUNCTIONS = list(Function)
TYPES = ["email", "call", "meeting", "invoice", "support_ticket", "webinar"]


def world(n_contacts: int, n_touchpoints: int, seed: int = 7) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    n_companies = max(1, n_contacts // 100)
    companies = [
        {
            "id": f"co{i}",
            "name": f"Company {i}",
            "domain": f"company{i}.example",
            "industry": rng.choice(["Retail", "Healthcare", "Software"]),
            "lifecycle": "customer",
        }
        for i in range(n_companies)
    ]
    departments = [
        {"id": department_id(f"co{i}", f), "company_id": f"co{i}", "function": f.value}
        for i in range(n_companies)
        for f in FUNCTIONS[:6]
    ]
    contacts = []
    for i in range(n_contacts):
        co = i % n_companies
        contacts.append(
            {
                "id": f"p{i}",
                "company_id": f"co{co}",
                "name": f"Person {i}",
                "email": f"person{i}@company{co}.example",
                "title": "Manager",
                "department_id": department_id(f"co{co}", FUNCTIONS[i % 6]),
                "sources": ["sales"],
            }
        )
    start = datetime(2024, 1, 1, tzinfo=UTC)
    touchpoints = []
    for i in range(n_touchpoints):
        p = rng.randrange(n_contacts)
        touchpoints.append(
            {
                "id": f"t{i}",
                "company_id": f"co{p % n_companies}",
                "type": rng.choice(TYPES),
                "at": start + timedelta(minutes=rng.randrange(1_000_000)),
                "contact_ids": [f"p{p}"],
            }
        )
    return {
        "company": companies,
        "department": departments,
        "contact": contacts,
        "touchpoint": touchpoints,
    }


def derived_rows(data: dict[str, list[dict]]) -> int:
    # departments: HAS_DEPARTMENT; contacts: EMPLOYED_AT + WORKS_IN; touchpoints:
    # ON_ACCOUNT + one PARTICIPATED_IN each.
    return len(data["department"]) + 2 * len(data["contact"]) + 2 * len(data["touchpoint"])


def write(store: LadybugStore, data: dict[str, Any], path: str) -> dict[str, int]:
    totals = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    for kind, rows in data.items():
        r = store.upsert_table(kind, rows) if path == "table" else store.upsert(kind, rows)
        totals["created"] += r.created
        totals["updated"] += r.updated
        totals["unchanged"] += r.unchanged
        totals["rejected"] += len(r.rejected)
    return totals


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--contacts", type=int, default=100_000)
    ap.add_argument("--touchpoints", type=int, default=500_000)
    ap.add_argument("--path", choices=["rows", "table", "both"], default="both")
    args = ap.parse_args()
    t0 = time.perf_counter()
    data = world(args.contacts, args.touchpoints)
    nodes = sum(len(v) for v in data.values())
    rows = nodes + derived_rows(data)
    print(
        f"generated {nodes:,} nodes ({rows:,} rows with relationships) "
        f"in {time.perf_counter() - t0:.1f}s"
    )
    paths = ["rows", "table"] if args.path == "both" else [args.path]
    for path in paths:
        given: dict[str, Any] = (
            {k: pa.Table.from_pylist(v) for k, v in data.items()} if path == "table" else data
        )
        with tempfile.TemporaryDirectory() as tmp:
            store = LadybugStore(Path(tmp) / "bench.lbug")
            for label in ("first load", "same rows again"):
                t0 = time.perf_counter()
                totals = write(store, given, path)
                dt = time.perf_counter() - t0
                print(
                    f"{path:5s} {label:16s} {dt:6.1f}s  {rows / dt:9,.0f} rows/s  "
                    f"({nodes / dt:,.0f} nodes/s)  {totals}"
                )
            counts = store.counts()
            print("stored:", {k: v for k, v in counts.items() if v})
            store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
