"""Time the exports of the largest demo account, in every format (run by hand).

    .venv/bin/python bench/bench_exports.py [--runs 3] [--data-dir DIR]

Loads the demo world into a temporary LadybugDB store (or uses DIR if it holds
one), then, for its largest account (2,000 contacts), times the store read
(``Store.account_graph``) and each export as the route serves it: redaction, the
audit rows written, every chunk produced. Once as an admin (every personal value
shown and audited: the most work) and once as an outsider (all redacted). The
goal (issue 18): each format under 1 s, i.e. near the store read. The CPU times
say more than the wall times on a busy machine (check ``uptime``): the audit
rows' write waits on the disk, overlapped with making the file.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """Median wall and CPU time in ms over ``runs``, and the last result.

    CPU time says more than wall time on a shared, busy machine.
    """
    walls, cpus, result = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append((time.perf_counter() - t) * 1e3)
        cpus.append((time.process_time() - c) * 1e3)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()

    from api.auth import Viewer
    from api.cache import AccountCache
    from api.exports import export_account
    from api.privacy import Privacy
    from graph.model import Access, User
    from graph.neighbourhood import build_graph
    from graph.settings import Settings
    from graph.stores import open_store
    from seed.generator import generate, preset
    from seed.load import load_world

    with tempfile.TemporaryDirectory() as tmp:
        where = args.data_dir or Path(tmp) / "data"
        store = open_store(Settings(data_dir=where, store="ladybug"))
        if store.counts().get("company", 0) == 0:
            load_world(store, generate(seed=42, sizes=preset("demo")))
        companies = store.list("company", limit=200).items
        size = {c.id: store.list("contact", {"company_id": c.id}, limit=1).total
                for c in companies}
        big = max(size, key=lambda c: size[c])
        store.upsert("user", [User(id="u-bench-admin", name="Bench", access=Access.ADMIN),
                              User(id="u-bench-out", name="Out", access=Access.MEMBER)])
        read_ms, read_cpu, _ = timed(lambda: store.account_graph(big), args.runs)
        data = store.account_data(big)
        build_ms, build_cpu, _ = timed(lambda: build_graph(data), args.runs)
        print(f"account {big}: {size[big]} contacts; load average {os.getloadavg()[0]:.2f}")
        print(f"store read (account_graph)              {read_ms:8.1f} ms wall {read_cpu:8.1f} "
              "ms CPU")
        print(f"  of which the graph built (build_graph) {build_ms:8.1f} ms wall {build_cpu:8.1f} "
              "ms CPU")
        for who in ("u-bench-admin", "u-bench-out"):
            user = store.get("user", who)
            assert isinstance(user, User)
            for fmt in ("graphml", "json", "csv"):
                def run(fmt: str = fmt, user: User = user) -> int:
                    # A cold cache each time: the route's first request for the account.
                    cache = AccountCache(store)
                    privacy = Privacy(Viewer(user, None), cache.team, door="export")
                    return sum(len(c) for c in export_account(store, cache, privacy, big, fmt))

                ms, cpu, size_chars = timed(run, args.runs)
                print(f"{fmt:8} as {user.access.value:7} (read + export) {ms:8.1f} ms wall "
                      f"{cpu:8.1f} ms CPU ({size_chars / 1e6:.2f} MB; goal < 1000 ms)")
        print(f"load average at the end {os.getloadavg()[0]:.2f} (wall times mean little above ~1)")
        store.close()


if __name__ == "__main__":
    main()
