"""``accountgraph seed`` of a big world into Neo4j: time, rate, server and client memory.

Run by hand; it may take hours (numbers go in reports, not in tests)::

    .venv/bin/python bench/bench_neo4j_large.py                      # --size large
    .venv/bin/python bench/bench_neo4j_large.py --contacts 100000 --touchpoints 1000000

Starts a Neo4j 5 of its own (the tests' launcher, ``--heap`` and ``--pagecache``),
runs the real command (``accountgraph seed``) into it in a child process, and every
``--every`` seconds prints the nodes and relationships stored so far, the rate since
the last line, and the resident memory of the client and of the server. At the end:
the wall time and each process's peak resident memory (the kernel's high-water mark).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration import neo4j_launcher  # noqa: E402


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in MiB; empty once it has gone."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) // 1024
    except OSError:
        pass
    return out


def _stored(driver: object) -> tuple[int, int]:
    # Both counts come from Neo4j's count store: cheap whatever the size.
    run = driver.execute_query  # type: ignore[attr-defined]
    nodes = run("MATCH (n) RETURN count(n) AS c").records[0]["c"]
    rels = run("MATCH ()-[r]->() RETURN count(r) AS c").records[0]["c"]
    return int(nodes), int(rels)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", default="large")
    ap.add_argument("--companies", type=int)
    ap.add_argument("--contacts", type=int)
    ap.add_argument("--touchpoints", type=int)
    ap.add_argument("--heap", default="4g", help="the server's Java heap")
    ap.add_argument("--pagecache", default="3g", help="the server's page cache")
    ap.add_argument("--every", type=float, default=60.0, help="progress line every N seconds")
    args = ap.parse_args()

    import neo4j

    neo4j_launcher.PAGE_CACHE = args.pagecache
    launched = neo4j_launcher.start(heap=args.heap)
    server = launched.process.pid
    print(f"Neo4j at {launched.uri} (pid {server}, heap {args.heap}, page cache "
          f"{args.pagecache}, data {launched.home})", flush=True)  # fmt: skip
    # The CLI of this tree (PYTHONPATH), so a copy of the tree can run while it changes.
    command = [sys.executable, "-c", "from api.cli import main; main()", "seed", "--size",
               args.size]  # fmt: skip
    for name in ("companies", "contacts", "touchpoints"):
        if getattr(args, name) is not None:
            command += [f"--{name}", str(getattr(args, name))]
    env = {
        **os.environ,
        "ACCOUNTGRAPH_STORE": "neo4j",
        "NEO4J_URI": launched.uri,
        "NEO4J_USER": launched.user,
        "NEO4J_PASSWORD": launched.password,
        "PYTHONPATH": str(ROOT),
    }
    driver = neo4j.GraphDatabase.driver(launched.uri, auth=(launched.user, launched.password))
    try:
        t0 = last_t = time.perf_counter()
        last_rows = 0
        log = launched.home / "seed.out"
        with log.open("wb") as out:
            child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=out)
        done = 0
        while not done:
            until = time.perf_counter() + args.every
            while not done and time.perf_counter() < until:
                # wait4: the child's own peak memory, not that of every child so far.
                done, status, usage = os.wait4(child.pid, os.WNOHANG)
                time.sleep(0.5)
            now = time.perf_counter()
            nodes, rels = _stored(driver)
            client, srv = _status(child.pid), _status(server)
            rate = (nodes + rels - last_rows) / (now - last_t)
            print(f"{now - t0:8.0f}s  nodes {nodes:12,}  rels {rels:12,}  "
                  f"{rate:8,.0f} rows/s  client RSS {client.get('VmRSS', 0):6,} MiB  "
                  f"server RSS {srv.get('VmRSS', 0):6,} MiB (peak {srv.get('VmHWM', 0):,})  "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
            last_t, last_rows = now, nodes + rels
        elapsed = time.perf_counter() - t0
        print(log.read_text(errors="replace")[-3000:])
        nodes, rels = _stored(driver)
        print(f"seed exited {os.waitstatus_to_exitcode(status)} after {elapsed:,.0f}s; stored "
              f"{nodes:,} nodes, {rels:,} relationships; peak RSS client "
              f"{usage.ru_maxrss // 1024:,} MiB, server {_status(server).get('VmHWM', 0):,} MiB",
              flush=True)  # fmt: skip
    finally:
        driver.close()
        launched.stop()


if __name__ == "__main__":
    main()
