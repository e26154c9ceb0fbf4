"""How fast LadybugDB itself takes an import's rows: the ceiling for ``accountgraph import``.

Writes what a 1M-contact, 5M-touchpoint import hands the engine (issue 4's
benchmark: companies, contacts with their employer, touchpoints with their
account and one participant each) straight through the store's own COPY path,
in the importer's 500,000-row batches, inside one bulk load per kind, with no
reading, matching, validation or digests at all. The tables are built before
the clock starts. Whatever the importer does can only add to these times.

    .venv/bin/python bench/bench_engine_floor.py                  # 1M contacts, 5M touchpoints
    .venv/bin/python bench/bench_engine_floor.py --touchpoints 1000000

Prints seconds per step (COPYs, commits, checkpoints) and the import rows per
second this floor allows (import rows: one per company, contact and touchpoint).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graph.digest import arrow_type
from graph.schema import NODE_KINDS, REL_KINDS
from graph.stores import ladybug
from graph.stores.ladybug import LadybugStore, _stored
from graph.writer import FINGERPRINT

BATCH = 500_000


def ids(prefix: str, start: int, stop: int) -> pa.Array:
    return pc.binary_join_element_wise(
        prefix, pc.cast(pa.array(np.arange(start, stop)), pa.string()), ""
    )


def node_table(kind: str, columns: dict[str, Any], n: int) -> pa.Table:
    """The kind's stored columns in table order: given ones, nulls (or []) elsewhere."""
    out = {}
    for c in _stored(NODE_KINDS[kind]):
        if c.name in columns:
            out[c.name] = columns[c.name]
        elif c.kind == "STRING[]":
            out[c.name] = pa.array([[]] * n, pa.list_(pa.string()))
        else:
            out[c.name] = pa.nulls(n, arrow_type(c.kind))
    return pa.table(out)


def rel_table(rel: str, src: pa.Array, tgt: pa.Array) -> pa.Table:
    cols: dict[str, Any] = {"from": src, "to": tgt}
    for c in REL_KINDS[rel].columns:
        cols[c.name] = pa.nulls(len(src), arrow_type(c.kind))
    return pa.table(cols)


def batches(
    companies: int, contacts: int, touchpoints: int, batch: int
) -> list[tuple[str, list[Any]]]:
    """(kind, [(node table, [(rel, src kind, tgt kind, rel table)])]) per batch."""
    rng = np.random.default_rng(4)
    fp = "0" * 24
    out: list[tuple[str, list[Any]]] = []
    n = companies
    co = ids("co", 0, n)
    out.append(("company", [(node_table("company", {
        "id": co, "name": ids("Company ", 0, n), "domain": ids("company", 0, n),
        FINGERPRINT: pa.array([fp] * n)}, n), [])]))
    parts = []
    for start in range(0, contacts, batch):
        stop = min(start + batch, contacts)
        n = stop - start
        c_ids = ids("m", start, stop)
        employer = ids("co", 0, 0) if not n else pc.binary_join_element_wise(
            "co", pc.cast(pa.array(np.arange(start, stop) % companies), pa.string()), "")
        node = node_table("contact", {
            "id": c_ids, "name": ids("Person ", start, stop), "company_id": employer,
            "email": ids("p", start, stop), "title": pa.array(["Manager"] * n),
            "sources": pa.array([["marketing"]] * n, pa.list_(pa.string())),
            FINGERPRINT: pa.array([fp] * n)}, n)
        parts.append((node, [("EMPLOYED_AT", "contact", "company",
                              rel_table("EMPLOYED_AT", c_ids, employer))]))
    out.append(("contact", parts))
    parts = []
    for start in range(0, touchpoints, batch):
        stop = min(start + batch, touchpoints)
        n = stop - start
        t_ids = ids("t", start, stop)
        person = rng.integers(0, contacts, n)
        who = pc.binary_join_element_wise("m", pc.cast(pa.array(person), pa.string()), "")
        account = pc.binary_join_element_wise(
            "co", pc.cast(pa.array(person % companies), pa.string()), "")
        node = node_table("touchpoint", {
            "id": t_ids, "company_id": account, "type": pa.array(["email"] * n),
            "at": pa.array([datetime(2024, 1, 1, 10)] * n, pa.timestamp("us")),
            "direction": pa.array(["outbound"] * n), "outcome": pa.array(["responded"] * n),
            "contact_ids": pa.ListArray.from_arrays(pa.array(np.arange(n + 1, dtype=np.int32)),
                                                    who),
            FINGERPRINT: pa.array([fp] * n)}, n)
        parts.append((node, [("ON_ACCOUNT", "touchpoint", "company",
                              rel_table("ON_ACCOUNT", t_ids, account)),
                             ("PARTICIPATED_IN", "contact", "touchpoint",
                              rel_table("PARTICIPATED_IN", who, t_ids))]))
    out.append(("touchpoint", parts))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--touchpoints", type=int, default=5_000_000)
    parser.add_argument("--batch", type=int, default=BATCH, help="rows per COPY")
    parser.add_argument("--checkpoint-rows", type=int, default=ladybug.BULK_CHECKPOINT_ROWS,
                        help="rows COPYed between checkpoints (the store's default)")
    args = parser.parse_args()
    ladybug.BULK_CHECKPOINT_ROWS = args.checkpoint_rows
    work = batches(args.companies, args.contacts, args.touchpoints, args.batch)
    rows = args.companies + args.contacts + args.touchpoints
    folder = Path(tempfile.mkdtemp(prefix="bench-floor-"))
    store = LadybugStore(folder / "floor.lbug")
    spent = {"copy": 0.0, "commit": 0.0, "checkpoint": 0.0}
    exec_ = store._exec

    def timed(text: str, params: Any = None) -> Any:
        step = ("copy" if text.startswith("COPY") else "commit" if text == "COMMIT"
                else "checkpoint" if text == "CHECKPOINT" else None)
        started = time.perf_counter()
        try:
            return exec_(text, params)
        finally:
            if step:
                spent[step] += time.perf_counter() - started

    store._exec = timed  # type: ignore[method-assign]
    started = time.perf_counter()
    for kind, parts in work:
        with store.bulk_load():
            for node, rels in parts:
                def write(tx: Any, node: pa.Table = node, rels: list[Any] = rels,
                          kind: str = kind) -> None:
                    tx.copy_nodes(NODE_KINDS[kind], node)
                    for rel, src, tgt, table in rels:
                        tx.copy_rels(REL_KINDS[rel], NODE_KINDS[src], NODE_KINDS[tgt], table)

                store._write(write, copy_only=True)
        print(f"{kind:10} done at {time.perf_counter() - started:6.1f}s", flush=True)
    total = time.perf_counter() - started
    counts = store.counts()
    store.close()
    print(f"{rows:,} import rows in {total:.1f}s = {rows / total:,.0f} rows/s "
          f"(COPY {spent['copy']:.1f}s, commits {spent['commit']:.1f}s, "
          f"checkpoints {spent['checkpoint']:.1f}s); peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    print({k: v for k, v in counts.items() if v})


if __name__ == "__main__":
    main()
