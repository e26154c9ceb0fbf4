"""Benchmark ``accountgraph import``: CSV exports into the embedded store.

Generates the exports itself (companies, contacts from two silos with an
overlap, touchpoints) in a temporary folder, imports them into a fresh
LadybugDB store, then imports the same files again (nothing changes). Each
phase runs in its own process, so its peak memory (max RSS) and CPU time are
its own; the load average is printed with them (the machine may be shared).

    .venv/bin/python bench/bench_import.py                 # 1M contacts, 5M touchpoints
    .venv/bin/python bench/bench_import.py --contacts 100000 --touchpoints 500000
    NEO4J_URI=... NEO4J_PASSWORD=... .venv/bin/python bench/bench_import.py --store neo4j --wipe

With ``--store neo4j`` it imports into the Neo4j at ``NEO4J_URI`` instead, which it
empties first (hence ``--wipe``); the peak RSS is then the client's alone.

Targets (issue 4): >= 200,000 rows/s first import, >= 50,000 rows/s re-import,
peak memory < 4 GiB.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
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
    return specs_in(folder)


def specs_in(folder: Path) -> list[FileSpec]:
    """What the generated files hold."""
    return [
        FileSpec(folder / "companies.csv", "companies"),
        FileSpec(folder / "marketing.csv", "contacts", Silo.MARKETING),
        FileSpec(folder / "finance.csv", "contacts", Silo.FINANCE),
        FileSpec(folder / "touchpoints.csv", "touchpoints"),
    ]


def run_phase(folder: Path, specs: list[FileSpec], batch_size: int, store: str = "ladybug") -> None:
    """One import of the generated files (in a child process); prints its summary."""
    settings = Settings(data_dir=folder / "data", store=store)
    store = open_store(settings)
    try:
        importer = Importer(
            store,
            rejects=RejectsWriter(folder / "rejects.csv"),
            crosswalk=folder / "data" / "crosswalk.sqlite3",
            batch_size=batch_size,
        )
        s = importer.run(specs)
        counts = store.counts()
    finally:
        store.close()
    print(
        f"{s.read:,} rows in {s.seconds:,.1f}s = {s.rows_per_second:,.0f} rows/s; "
        f"written {s.written:,}, unchanged {s.unchanged:,}, merged {s.merged:,}, "
        f"rejected {s.rejected:,}; store counts {({k: v for k, v in counts.items() if v})}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--touchpoints", type=int, default=5_000_000)
    parser.add_argument("--batch-size", type=int, default=500_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--store", choices=["ladybug", "neo4j"], default="ladybug")
    parser.add_argument("--wipe", action="store_true", help="neo4j: empty NEO4J_URI's database")
    parser.add_argument("--phase-in", type=Path, help=argparse.SUPPRESS)  # internal: a child
    args = parser.parse_args()
    if args.phase_in is not None:
        run_phase(args.phase_in, specs_in(args.phase_in), args.batch_size, args.store)
        return
    if args.store == "neo4j":
        if not args.wipe:
            parser.error("this empties the database at NEO4J_URI: pass --wipe to confirm")
        from graph.stores.neo4j import Neo4jStore

        neo = Neo4jStore.from_settings(Settings(store="neo4j"))
        neo.wipe()
        neo.close()

    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        started = time.perf_counter()
        specs = generate(folder, args.companies, args.contacts, args.touchpoints)
        rows = sum(sum(1 for _ in s.path.open()) - 1 for s in specs)
        size = sum(s.path.stat().st_size for s in specs) / 2**20
        print(f"generated {rows:,} rows ({size:,.0f} MiB) in {time.perf_counter() - started:.0f}s")
        for phase in ("import", "re-import"):
            child = subprocess.Popen(
                [sys.executable, __file__, "--phase-in", str(folder),
                 "--batch-size", str(args.batch_size), "--store", args.store],
                stdout=subprocess.PIPE, text=True,
            )
            assert child.stdout is not None
            out = child.stdout.read().strip()
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode:
                raise SystemExit(f"{phase} failed (exit {child.returncode})")
            load = Path("/proc/loadavg").read_text().split()[:3]
            print(
                f"{phase:9}: {out}\n           peak RSS {usage.ru_maxrss / 1024:,.0f} MiB, "
                f"CPU {usage.ru_utime:,.1f}s user + {usage.ru_stime:,.1f}s sys, "
                f"load average {' '.join(load)}"
            )
    finally:
        if args.keep:
            print("kept", folder)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
