"""Benchmark ``accountgraph capture``: a big mbox into the embedded store, then again.

Generates a world (our users, companies with web domains, contacts) in a fresh
LadybugDB store and one mbox of ``--messages`` messages between our users and
those contacts (a third inbound, a few copying someone new at a known company,
some list posts and auto-replies), streamed to disk. Then captures it, and
captures the same file again (nothing new): each run in its own process, with
its peak memory and CPU time; the load average is printed with them (the machine
may be shared).

    .venv/bin/python bench/bench_capture.py                      # 1,000,000 messages
    .venv/bin/python bench/bench_capture.py --messages 100000

Targets (issue 19): 1M messages in under 5 minutes, peak memory under 2 GiB,
re-capture at least 3x faster than the first run.
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
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from graph import model as m
from graph.settings import Settings
from graph.stores import open_store
from seed.capture.run import Capturer
from seed.imports.rejects import RejectsWriter

OURS = "ourco.example"


def world(folder: Path, companies: int, contacts: int, users: int) -> None:
    store = open_store(Settings(data_dir=folder / "data", store="ladybug"))
    try:
        store.upsert("user", [m.User(id=f"u{i}", name=f"User {i}", email=f"user{i}@{OURS}")
                              for i in range(users)])
        store.upsert("company", [m.Company(id=f"co{i}", name=f"Company {i}",
                                           domain=f"company{i}.com") for i in range(companies)])
        for lo in range(0, contacts, 50_000):
            store.upsert("contact", [
                m.Contact(id=f"c{i}", company_id=f"co{i % companies}", name=f"Person {i}",
                          email=f"p{i}@company{i % companies}.com")
                for i in range(lo, min(contacts, lo + 50_000))])
    finally:
        store.close()


def mailbox(path: Path, messages: int, companies: int, contacts: int, users: int) -> None:
    """The mbox, written as it is generated (never held whole)."""
    rng = random.Random(19)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(messages):
            at = start + timedelta(seconds=i * 60)
            person = rng.randrange(contacts)
            company = person % companies
            them = [f"Person {person} <p{person}@company{company}.com>"]
            if rng.random() < 0.3:  # a colleague copied
                other = person + companies * rng.randrange(1, 5)
                if other < contacts:
                    them.append(f"p{other}@company{company}.com")
            if rng.random() < 0.02:  # someone new at a known company
                them.append(f"New Person {i} <new{i}@company{company}.com>")
            us = f"User {i % users} <user{i % users}@{OURS}>"
            inbound = rng.random() < 0.33
            frm, to = (them[0], [us, *them[1:]]) if inbound else (us, them)
            extra = ""
            r = rng.random()
            if r < 0.01:
                extra = "List-Id: <peers.lists.example.org>\n"
            elif r < 0.02:
                extra = "Auto-Submitted: auto-replied\n"
            fh.write(
                f"From MAILER-DAEMON {at:%a %b %d %H:%M:%S %Y}\n"
                f"Received: from mx.example.net by mx.{OURS}; {format_datetime(at)}\n"
                f"Message-ID: <m{i}.bench@{OURS}>\nDate: {format_datetime(at)}\n"
                f"From: {frm}\nTo: {', '.join(to)}\nSubject: Message {i}\n{extra}"
                "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
                f"Hello,\n\nabout our call on {at:%A}.\n\nBest,\n{frm.split(' <')[0]}\n\n"
            )


def run_phase(folder: Path, batch_size: int) -> None:
    store = open_store(Settings(data_dir=folder / "data", store="ladybug"))
    try:
        s = Capturer(store, rejects=RejectsWriter(folder / "rejects.csv"),
                     ledger=folder / "data" / "capture" / "ledger.sqlite3",
                     batch_size=batch_size).run([folder / "mail.mbox"])
        counts = store.counts()
    finally:
        store.close()
    print(f"{s.read:,} messages in {s.seconds:,.1f}s = {s.per_second:,.0f}/s; written "
          f"{s.written:,}, already there {s.unchanged:,}, new contacts {s.new_contacts:,}, "
          f"knows {s.knows:,}, skipped {dict(s.skipped)}, files unchanged {s.files_unchanged}; "
          f"store: {counts['touchpoint']:,} touchpoints, {counts['contact']:,} contacts, "
          f"{counts.get('KNOWS', 0):,} knows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=2_000)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=25)
    parser.add_argument("--batch-size", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--phase-in", type=Path, help=argparse.SUPPRESS)  # internal: a child
    args = parser.parse_args()
    if args.phase_in is not None:
        run_phase(args.phase_in, args.batch_size)
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-capture-"))
    try:
        started = time.perf_counter()
        world(folder, args.companies, args.contacts, args.users)
        mailbox(folder / "mail.mbox", args.messages, args.companies, args.contacts, args.users)
        size = (folder / "mail.mbox").stat().st_size / 2**20
        print(f"world and {args.messages:,} messages ({size:,.0f} MiB) in "
              f"{time.perf_counter() - started:.0f}s")
        for phase in ("capture", "re-capture"):
            t0 = time.perf_counter()
            child = subprocess.Popen(
                [sys.executable, __file__, "--phase-in", str(folder),
                 "--batch-size", str(args.batch_size)], stdout=subprocess.PIPE, text=True)
            assert child.stdout is not None
            out = child.stdout.read().strip()
            _, status, usage = os.wait4(child.pid, 0)
            if os.waitstatus_to_exitcode(status):
                raise SystemExit(f"{phase} failed")
            load = Path("/proc/loadavg").read_text().split()[:3]
            print(f"{phase:10}: {out}\n            wall {time.perf_counter() - t0:,.1f}s "
                  f"(process), peak RSS {usage.ru_maxrss / 1024:,.0f} MiB, CPU "
                  f"{usage.ru_utime:,.1f}s user + {usage.ru_stime:,.1f}s sys, load average "
                  f"{' '.join(load)}")
    finally:
        if args.keep:
            print("kept", folder)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
