"""How long `accountgraph seed` takes: generation alone, and generation plus the store.

Run by hand (numbers go in reports, not in tests)::

    .venv/bin/python bench/bench_seed.py --size demo
    .venv/bin/python bench/bench_seed.py --size large --generate-only
    .venv/bin/python bench/bench_seed.py --size large --data-dir /tmp/seed-large

Prints rows per second per kind, total time and peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.schema import NODE_KINDS
from graph.settings import Settings
from graph.stores import open_store
from seed.generator import Sizes, generate, preset


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", default="demo")
    ap.add_argument("--companies", type=int)
    ap.add_argument("--contacts", type=int)
    ap.add_argument("--touchpoints", type=int)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--generate-only", action="store_true", help="do not write to a store")
    ap.add_argument("--data-dir", type=Path, default=Path("/tmp/accountgraph-bench-seed"))
    ap.add_argument("--every", type=float, default=30.0, help="progress line every N seconds")
    args = ap.parse_args()
    base = preset(args.size)
    sizes = Sizes(
        args.companies or base.companies, args.contacts or base.contacts,
        args.touchpoints or base.touchpoints,
    )
    store = None
    if not args.generate_only:
        shutil.rmtree(args.data_dir, ignore_errors=True)
        store = open_store(Settings(data_dir=args.data_dir, store="ladybug"))
    world = generate(args.seed, sizes)
    rows: Counter[str] = Counter()
    spent: defaultdict[str, float] = defaultdict(float)  # seconds spent per kind
    cpu0 = time.process_time()
    start = last = time.perf_counter()
    gen_start = start
    for kind, batch in world:
        t0 = time.perf_counter()
        spent["generate"] += t0 - gen_start
        if store is not None:
            report = store.upsert(kind, batch) if kind in NODE_KINDS else store.link(kind, batch)
            if report.rejected:
                raise SystemExit(f"{kind}: {report.rejected[0]}")
        gen_start = time.perf_counter()
        spent[kind] += gen_start - t0
        rows[kind] += len(batch)
        if gen_start - last > args.every:
            last = gen_start
            done = sum(rows.values())
            print(f"  {gen_start - start:7.0f}s {done:>12,} rows  rss {peak_rss_mib():,.0f} MiB",
                  flush=True)
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    print(f"sizes {sizes}; {'generation only' if store is None else 'into LadybugDB'}")
    print(f"{'kind':<16}{'rows':>12}{'write s':>10}{'rows/s':>12}")
    for kind, n in rows.items():
        s = spent[kind] if store is not None else 0.0
        print(f"{kind:<16}{n:>12,}{s:>10.1f}{(n / s if s else 0):>12,.0f}")
    print(f"generation     {spent['generate']:.1f}s")
    print(f"total          {total:.1f}s wall, {cpu:.1f}s cpu of this process "
          f"({sum(rows.values()) / total:,.0f} rows/s), peak rss {peak_rss_mib():,.0f} MiB")
    # The machine is shared: cpu/wall says how much of a core this run really had.
    print(f"load average   {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if store is not None:
        counts = store.counts()
        bad = {k: (n, counts.get(k)) for k, n in world.counts.items() if counts.get(k) != n}
        print("store counts match the generator" if not bad else f"MISMATCH {bad}")
        store.close()


if __name__ == "__main__":
    main()
