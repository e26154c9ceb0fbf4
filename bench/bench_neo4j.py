"""Write throughput of the Neo4j store (run by hand against a server kept for it).

    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... \\
        .venv/bin/python bench/bench_neo4j.py --wipe [--contacts 20000] [--touchpoints 100000]

The same world as ``bench_store.py`` (companies, departments, contacts,
touchpoints and their derived relationships), written in chunks of
``Neo4jStore.chunk_size`` per transaction, then written again unchanged.
``--wipe`` is required because the database is emptied first.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import derived_rows, world

from graph.settings import Settings
from graph.stores.neo4j import Neo4jStore


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--contacts", type=int, default=20_000)
    ap.add_argument("--touchpoints", type=int, default=100_000)
    ap.add_argument("--wipe", action="store_true", help="empty the database first (required)")
    args = ap.parse_args()
    if not args.wipe:
        ap.error("this empties the database at NEO4J_URI: pass --wipe to confirm")
    settings = Settings(store="neo4j")
    store = Neo4jStore.from_settings(settings)
    store.wipe()
    data = world(args.contacts, args.touchpoints)
    nodes = sum(len(v) for v in data.values())
    rows = nodes + derived_rows(data)
    print(f"{settings.neo4j_uri}: {nodes:,} nodes, {rows:,} rows, chunk {store.chunk_size:,}")
    for label in ("first load", "same rows again"):
        t0 = time.perf_counter()
        totals: dict[str, int] = {}
        for kind, items in data.items():
            r = store.upsert(kind, items)
            for k, v in (
                ("created", r.created),
                ("updated", r.updated),
                ("rejected", len(r.rejected)),
            ):
                totals[k] = totals.get(k, 0) + v
        dt = time.perf_counter() - t0
        print(f"{label:16s} {dt:6.1f}s  {rows / dt:9,.0f} rows/s  {totals}")
    print("stored:", {k: v for k, v in store.counts().items() if v})
    store.close()


if __name__ == "__main__":
    main()
