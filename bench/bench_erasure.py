"""Time an erasure on the embedded store, and the change marker's read.

    .venv/bin/python bench/bench_erasure.py [--size demo]

Builds a temporary LadybugDB store holding a seeded world, then times:
``Store.data_version()`` (read by every server at most once a second),
``erase_personal_data`` of one contact with and without the file rewrite that
follows it (``LadybugStore.compact``), and checks that a byte search of the data
folder no longer finds the erased email.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="demo")
    args = parser.parse_args()

    from graph.model import Contact
    from graph.settings import Settings
    from graph.stores import open_store
    from graph.stores.ladybug import LadybugStore
    from seed.generator import generate, preset
    from seed.load import load_world

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        store = open_store(Settings(data_dir=data, store="ladybug"))
        assert isinstance(store, LadybugStore)
        t = time.perf_counter()
        load_world(store, generate(seed=42, sizes=preset(args.size)))
        print(f"seeded {args.size} in {time.perf_counter() - t:.1f} s")
        counts = store.counts()
        rows = sum(counts.values())
        print(f"{rows:,} rows ({counts.get('contact', 0):,} contacts, "
              f"{counts.get('touchpoint', 0):,} touchpoints)")
        size = sum(p.stat().st_size for p in data.rglob("*") if p.is_file())
        print(f"data folder {size / 1e6:.1f} MB")

        times = []
        for _ in range(200):
            t = time.perf_counter()
            store.data_version()
            times.append((time.perf_counter() - t) * 1e3)
        print(f"data_version(): median {statistics.median(times):.3f} ms, "
              f"p95 {sorted(times)[189]:.3f} ms")

        with_email = [c for c in store.list("contact", limit=500).items
                      if isinstance(c, Contact) and c.email]
        first, second = with_email[0], with_email[1]
        compact = store.compact
        store.compact = lambda: None  # type: ignore[method-assign]
        t = time.perf_counter()
        store.erase_personal_data(first.id)
        print(f"erase without the rewrite: {(time.perf_counter() - t) * 1e3:.0f} ms")
        store.compact = compact  # type: ignore[method-assign]
        t = time.perf_counter()
        store.erase_personal_data(second.id)
        print(f"erase with the file rewrite: {time.perf_counter() - t:.1f} s "
              f"({rows / max(time.perf_counter() - t, 1e-9):,.0f} rows/s)")
        store.close()
        found = [p.name for p in data.rglob("*") if p.is_file()
                 and str(second.email).encode() in p.read_bytes()]
        print(f"erased email found in: {found or 'no file'}")


if __name__ == "__main__":
    main()
