"""The home page's account list: each filter and sort over 10,000 accounts (run by hand).

    .venv/bin/python bench/bench_home.py [--data-dir DIR] [--size demo] [--rows 10000]
        [--rounds 15]

Seeds a LadybugDB store in DIR with a demo world (unless DIR holds a store already:
point it at a copy of the ``large`` world's data folder to use that one), then:

1. reads every account into the list once (:class:`api.account_list.AccountList`,
   the cold walk) and saves the rows beside the store;
2. starts the app again on the same folder, as a restart does: the rows come from
   the file and no account is read (``accounts read`` is printed: 0);
3. when the store has fewer accounts than ``--rows``, fills the list up to that many
   with copies of the rows read (new ids, the same shape): a request's cost grows
   with the number of rows, not with the size of the accounts they were read from
   (those were read once, in step 1);
4. times ``GET /`` through the whole app (TestClient: routing, sign-in, the list
   query, the watch list, rendering) for each filter and sort, ``--rounds`` times
   each, and prints the median and the worst in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

QUERIES = {
    "first page (name)": "/",
    "status = at risk": "/?status=at_risk",
    "industry = Technology": "/?industry=Technology",
    "region = EMEA, size 1000+": "/?region=EMEA&size_band=1001-5000",
    "owner": "/?owner={owner}",
    "sort by status": "/?sort=status",
    "sort by last touchpoint, newest first": "/?sort=last_touch&desc=1",
    "sort by live relationships": "/?sort=live&desc=1",
    "sort by owner, page 40": "/?sort=owner&page=40",
    "account name search": "/?q=tech",
    "name search, contacts too": "/?q=maria",
    "200 a page": "/?per=200&sort=departments",
}


def seed(folder: Path, size: str) -> None:
    from graph.settings import Settings
    from graph.stores import open_store
    from seed.generator import generate, preset
    from seed.load import load_world

    settings = Settings(data_dir=folder, store="ladybug")
    if settings.ladybug_path.exists():
        return
    store = open_store(settings)
    started = time.perf_counter()
    try:
        load_world(store, generate(seed=42, sizes=preset(size)))
    finally:
        store.close()
    print(f"seeded the {size!r} world in {time.perf_counter() - started:.0f} s")


def fill(accounts: Any, want: int) -> None:
    """Copies of the rows read, up to ``want`` rows (ids and names made distinct)."""
    read = accounts.rows().rows
    rows = {str(r["id"]): dict(r) for r in read}
    i = 0
    while len(rows) < want:
        r = dict(read[i % len(read)])
        r["id"] = f"{r['id']}-copy-{i}"
        r["name"] = f"{r['name']} {i}"
        rows[r["id"]] = r
        i += 1
    with accounts._lock:
        accounts._rows, accounts._listed = rows, None
    # As a restart does with rows loaded from the file: the default order, the filter
    # choices and the watch list are prepared before the first request, not by it.
    accounts._warm()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--size", default="demo")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-home-"))
    seed(folder, args.size)

    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.auth import create_token
    from graph import model as m
    from graph.settings import Settings
    from graph.stores import open_store

    settings = Settings(data_dir=folder, store="ladybug")
    store = open_store(settings)
    try:
        store.upsert("user", [m.User(id="bench-analyst", name="Bench", access=m.Access.ANALYST)])
        token = create_token(store, "bench-analyst")[0]
        headers = {"Authorization": f"Bearer {token}"}

        for run in ("cold", "restart"):
            started = time.perf_counter()
            with TestClient(create_app(settings, store=store)) as client:
                accounts: Any = client.app.state.accounts  # type: ignore[attr-defined]
                accounts.wait()
                rows = accounts.rows()
                took = time.perf_counter() - started
                print(f"{run}: {len(rows.rows):,} rows ready in {took:.1f} s "
                      f"(accounts read: {accounts.stats['accounts_read']:,}, "
                      f"from the file: {accounts.stats['loaded_from_file']:,})")
                if run == "cold":
                    continue
                if len(rows.rows) < args.rows:
                    fill(accounts, args.rows)
                    rows = accounts.rows()
                owner = next(r["owner_id"] for r in rows.rows if r.get("owner_id"))
                print(f"\nGET / over {len(rows.rows):,} accounts, {args.rounds} rounds "
                      f"(load {os.getloadavg()[0]:.1f}):")
                worst_median = 0.0
                for name, path in QUERIES.items():
                    url = path.format(owner=owner)
                    times = []
                    for _ in range(args.rounds):
                        t = time.perf_counter()
                        r = client.get(url, headers=headers)
                        times.append((time.perf_counter() - t) * 1000)
                        assert r.status_code == 200, (url, r.status_code, r.text[:300])
                    median = statistics.median(times)
                    worst_median = max(worst_median, median)
                    print(f"  {name:<40} median {median:6.1f} ms   worst {max(times):6.1f} ms")
                print(f"\nslowest median: {worst_median:.1f} ms (goal: under 300 ms)")
    finally:
        store.close()


if __name__ == "__main__":
    main()
