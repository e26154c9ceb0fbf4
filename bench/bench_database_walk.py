"""The database readings' walk over every account, in processes, and a restart (run by hand).

    .venv/bin/python bench/bench_database_walk.py --data-dir /work/large --jobs 2

Opens the store in DIR **read-only** (nothing is written there: the rows are saved
to ``--rows-dir``, a fresh temporary folder by default, and the signal weights are
copied there first), then times what a server does:

1. the first walk: :class:`api.database.DatabaseReadings` reading every account in
   ``--jobs`` processes (``--jobs 1``: in this process), and the save of its rows;
2. a restart on the unchanged store: a new ``DatabaseReadings`` loading the saved
   rows (:meth:`~api.database.DatabaseReadings.start`), then the first
   cross-account question (decision makers in EMEA, strongest first);
3. that the loaded rows are the walked ones (summaries, contact rows, public cases).

``--restart-only`` skips 1 when ``--rows-dir`` holds rows already. Wall and CPU
time are printed with the load average, since the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def timed(fn: Callable[[], Any]) -> tuple[Any, dict[str, float]]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, {"wall_s": round(time.perf_counter() - wall, 3),
                   "cpu_s_this_process": round(time.process_time() - cpu, 3),
                   "load1": round(os.getloadavg()[0], 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--rows-dir", type=Path, default=None)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--restart-only", action="store_true")
    args = ap.parse_args()

    from api.database import DatabaseReadings
    from api.database_file import PATTERN
    from graph.evidence import rules_for
    from graph.readings.rules import resolve
    from graph.readings.select import AccountQuery, ContactQuery
    from graph.settings import Settings
    from graph.stores import open_store

    rows_dir = args.rows_dir or Path(tempfile.mkdtemp(prefix="bench-database-walk-"))
    rows_dir.mkdir(parents=True, exist_ok=True)
    for weights in args.data_dir.glob("signal-weights-*.json"):
        shutil.copy(weights, rows_dir / weights.name)
    settings = Settings(data_dir=args.data_dir, store="ladybug", jobs=args.jobs)
    store = open_store(settings, read_only=True)
    try:
        rules = rules_for(store, resolve(settings.rules_file), folder=rows_dir)

        def readings() -> DatabaseReadings:
            return DatabaseReadings(store, rules=rules, ttl=1e9, as_of=settings.as_of,
                                    half_life_days=settings.strength_half_life_days,
                                    settings=settings, jobs=args.jobs, folder=rows_dir,
                                    where=settings.store_location)

        walked = None
        if not (args.restart_only and any(rows_dir.glob(PATTERN))):
            db = readings()
            walked, t = timed(db.snapshot)
            print(f"first walk, jobs={args.jobs}:", json.dumps({
                **t, "accounts": len(walked.rows),
                "contact_rows": sum(len(v) for r in walked.rows for v in r.contacts.values()),
                "cases": len(walked.cases())}), flush=True)
            _, t = timed(lambda: db.wait_for_refresh())
            saved = next(rows_dir.glob(PATTERN))
            print("save (behind the request):", json.dumps(
                {**t, "file_mb": round(saved.stat().st_size / 2**20, 1)}), flush=True)
        again = readings()
        _, t = timed(again.start)
        print("restart, rows loaded:", json.dumps(
            {**t, "accounts": again.stats["loaded_from_file"]}), flush=True)
        query = ContactQuery(accounts=AccountQuery(region="EMEA"),
                             categories=frozenset({"decision_maker"}))
        found, t = timed(lambda: again.snapshot().contacts(query, sort="strength"))
        print("restart, first cross-account question:", json.dumps(
            {**t, "matches": len(found), "accounts_read": again.stats["accounts_read"]}))
        if walked is not None:
            loaded = again.snapshot()
            same = all(a.summary == b.summary and a.contacts == b.contacts and a.cases == b.cases
                       for a, b in zip(walked.rows, loaded.rows, strict=True))
            print("loaded rows are the walked ones:", same)
    finally:
        store.close()


if __name__ == "__main__":
    main()
