"""Benchmark ``accountgraph import``: CSV exports into the embedded store.

Generates the exports itself (companies, contacts from two silos with an
overlap, touchpoints) in a temporary folder, imports them into a fresh
LadybugDB store, then imports the same files again (nothing changes).
Reports rows/s end to end and peak memory (max RSS) of each phase.

    .venv/bin/python bench/bench_import.py                 # 1M contacts, 5M touchpoints
    .venv/bin/python bench/bench_import.py --contacts 100000 --touchpoints 500000

Targets (issue 4): >= 200,000 rows/s first import, >= 50,000 rows/s re-import,
peak memory < 4 GiB.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

from graph.model import Silo
from graph.settings import Settings
from graph.stores import open_store
from seed.imports.rejects import RejectsWriter
from seed.imports.runner import FileSpec, Importer


def generate(folder: Path, companies: int, contacts: int, touchpoints: int) -> list[FileSpec]:
    """Write the exports; 10% of the finance list are marketing people again (merges)."""
    rng = random.Random(4)
    kinds = ("email", "call", "meeting", "webinar", "direct_mail", "invoice", "support_ticket")
    with (folder / "companies.csv").open("w") as fh:
        fh.write("id,name,domain,industry,region,lifecycle\n")
        for i in range(companies):
            fh.write(f"co{i},Company {i},company{i}.com,Industry {i % 17},EMEA,customer\n")
    marketing = contacts * 9 // 10
    with (folder / "marketing.csv").open("w") as fh:
        fh.write("id,name,email,title,company_id\n")
        for i in range(marketing):
            c = i % companies
            fh.write(f"m{i},Person {i},p{i}@company{c}.com,Manager,co{c}\n")
    with (folder / "finance.csv").open("w") as fh:
        fh.write("id,name,email,phone,company_id\n")
        # 10% overlap with marketing (merged on email) plus the rest new.
        start = marketing - contacts // 10
        for n, i in enumerate(range(start, start + contacts // 5)):
            c = i % companies
            fh.write(f"f{n},Person {i},P{i}@company{c}.com,+1 555 {i % 10000:04d},co{c}\n")
    with (folder / "touchpoints.csv").open("w") as fh:
        fh.write("id,type,at,company_id,contact_ids,outcome\n")
        for i in range(touchpoints):
            person = rng.randrange(marketing)
            fh.write(
                f"t{i},{kinds[i % len(kinds)]},2024-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00,"
                f"co{person % companies},m{person},responded\n"
            )
    return [
        FileSpec(folder / "companies.csv", "companies"),
        FileSpec(folder / "marketing.csv", "contacts", Silo.MARKETING),
        FileSpec(folder / "finance.csv", "contacts", Silo.FINANCE),
        FileSpec(folder / "touchpoints.csv", "touchpoints"),
    ]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--touchpoints", type=int, default=5_000_000)
    parser.add_argument("--batch-size", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        started = time.perf_counter()
        specs = generate(folder, args.companies, args.contacts, args.touchpoints)
        rows = sum(sum(1 for _ in s.path.open()) - 1 for s in specs)
        size = sum(s.path.stat().st_size for s in specs) / 2**20
        print(f"generated {rows:,} rows ({size:,.0f} MiB) in {time.perf_counter() - started:.0f}s")
        settings = Settings(data_dir=folder / "data", store="ladybug")
        for phase in ("import", "re-import"):
            store = open_store(settings)
            try:
                importer = Importer(
                    store,
                    rejects=RejectsWriter(folder / "rejects.csv"),
                    crosswalk=folder / "data" / "crosswalk.sqlite3",
                    batch_size=args.batch_size,
                )
                s = importer.run(specs)
                counts = store.counts()
            finally:
                store.close()
            print(
                f"{phase:9}: {s.read:,} rows in {s.seconds:,.1f}s = "
                f"{s.rows_per_second:,.0f} rows/s;"
                f" written {s.written:,}, unchanged {s.unchanged:,}, merged {s.merged:,}, "
                f"rejected {s.rejected:,}; peak RSS so far {peak_mib():,.0f} MiB"
            )
        print("store counts:", {k: v for k, v in counts.items() if v})
    finally:
        if args.keep:
            print("kept", folder)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
