"""Neo4j beside the embedded store, same machine, same work, one run (run by hand).

    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... \\
        .venv/bin/python bench/bench_neo4j.py --wipe [--contacts 100000] [--touchpoints 500000]
    .venv/bin/python bench/bench_neo4j.py --launch      # a Neo4j 5 of its own (tests' launcher)

It empties the database at ``NEO4J_URI`` (hence ``--wipe``), then measures:

1. **writes**: the bare driver reference (``bench_neo4j_unwind.py``: ``UNWIND $rows``
   of 10,000 dicts, MATCH by id, CREATE the node and its relationships) against
   ``Neo4jStore.upsert_table`` (what the importer and seed call) on the same rows,
   each into an empty database. Target: ours >= 70% of the bare rate.
2. **seed demo** into each store, each time into an empty one, ``--seeds`` times.
   Target: Neo4j <= 3x embedded. Both the first seed and the best of the rest are
   shown: a JVM that has just started runs Neo4j's Cypher interpreted until the
   JIT has compiled it, which took two or three demo seeds (~12 s, then ~3.4 s;
   with C1 only, ``-XX:TieredStopAtLevel=1``, every seed took ~6.5 s). The
   target is read on the warm server, as a production server runs for weeks.
3. **reading the busiest account** (``account_data``, what readings, maps and
   briefs read) from each store, best of 5. Target: Neo4j <= 2x embedded.

Peak client memory (max RSS of this process) is printed at the end; for 1M rows
through the real importer, see ``bench_import.py --store neo4j``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyarrow as pa
from bench_neo4j_unwind import bare_write, rows_of

from graph.settings import Settings
from graph.store import Store
from graph.stores import open_store
from graph.stores.neo4j import Neo4jStore
from seed.generator import generate, preset
from seed.load import load_world


def _ours(store: Neo4jStore, data: dict[str, list[dict]]) -> float:
    t0 = time.perf_counter()
    for kind, rows in data.items():
        report = store.upsert_table(kind, pa.Table.from_pylist(rows))
        assert not report.rejected, report.rejected[:3]
    return time.perf_counter() - t0


def _seed(store: Store) -> float:
    world = generate(42, preset("demo"))
    t0 = time.perf_counter()
    assert load_world(store, world).rejected == []
    return time.perf_counter() - t0


def _seeds(neo: Neo4jStore, tmp: Path, times: int) -> tuple[list[float], list[float]]:
    """Seed demo ``times`` into an empty store of each kind: (embedded, neo4j) seconds."""
    embedded, neo4j = [], []
    for i in range(times):
        lbug = open_store(Settings(data_dir=tmp / f"seed-{i}", store="ladybug"))
        try:
            embedded.append(_seed(lbug))
        finally:
            lbug.close()
        neo.wipe()
        neo4j.append(_seed(neo))
    return embedded, neo4j


def _read(store: Store) -> tuple[str, float]:
    busiest = max(
        (i for batch in store.iter_ids("company") for i in batch),
        key=lambda i: len(store.account_data(i, people=False).employees),
    )
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        store.account_data(busiest)
        best = min(best, time.perf_counter() - t0)
    return busiest, best


def _load() -> str:
    # The machine's load: on a few shared cores the server competes with the
    # client for them, and the ratios move with it.
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--contacts", type=int, default=100_000)
    ap.add_argument("--touchpoints", type=int, default=500_000)
    ap.add_argument("--seeds", type=int, default=5, help="demo seeds into each store (1 or more)")
    ap.add_argument("--wipe", action="store_true", help="empty the database first (required)")
    ap.add_argument("--launch", action="store_true", help="start a Neo4j of its own (Java, Maven)")
    args = ap.parse_args()
    if args.seeds < 1:
        ap.error("--seeds: at least 1 (the read is measured on the demo world the last one wrote)")
    launched = None
    if args.launch:
        from tests.integration import neo4j_launcher

        launched = neo4j_launcher.start(heap="2g")
        neo = Neo4jStore(launched.uri, launched.user, launched.password)
    elif not args.wipe:
        ap.error("this empties the database at NEO4J_URI: pass --wipe to confirm (or --launch)")
    else:
        neo = Neo4jStore.from_settings(Settings(store="neo4j"))
    try:
        print(f"Neo4j at {neo.uri}   load {_load()}")
        data = rows_of(args.contacts, args.touchpoints)
        rows = sum(len(v) for v in data.values())
        neo.wipe()
        neo.ensure_schema()
        bare = bare_write(neo._driver, neo.database, data)
        neo.wipe()
        ours = _ours(neo, data)
        print(f"writes    bare UNWIND {rows / bare:9,.0f} rows/s ({bare:.1f}s)   "
              f"upsert_table {rows / ours:9,.0f} rows/s ({ours:.1f}s)   "
              f"ours/bare {bare / ours:.0%}  (target >= 70%)")  # fmt: skip
        with tempfile.TemporaryDirectory() as tmp:
            lbug = open_store(Settings(data_dir=Path(tmp), store="ladybug"))
            embedded, neo4j = _seeds(neo, Path(tmp), args.seeds)
            print(f"seed demo, first: embedded {embedded[0]:.1f}s   neo4j {neo4j[0]:.1f}s   "
                  f"ratio {neo4j[0] / embedded[0]:.1f}x  (a cold JVM)")  # fmt: skip
            if args.seeds > 1:
                e, n = min(embedded[1:]), min(neo4j[1:])
                print(f"seed demo, best of the next {args.seeds - 1}: embedded {e:.1f}s   "
                      f"neo4j {n:.1f}s   ratio {n / e:.1f}x  (target <= 3x)   "
                      f"neo4j each {', '.join(f'{t:.1f}' for t in neo4j)} s   "
                      f"load {_load()}")  # fmt: skip
            _seed(lbug)  # Neo4j holds the demo world from its last seed above
            (account, e), (_, n) = _read(lbug), _read(neo)
            print(f"read {account}  embedded {e * 1000:.0f} ms   neo4j {n * 1000:.0f} ms   "
                  f"ratio {n / e:.1f}x  (target <= 2x)   load {_load()}")  # fmt: skip
            lbug.close()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak client RSS {peak:,.0f} MiB")
    finally:
        neo.close()
        if launched is not None:
            launched.stop()


if __name__ == "__main__":
    main()
