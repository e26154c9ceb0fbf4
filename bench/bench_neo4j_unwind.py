"""The reference for Neo4j write speed: the bare Python driver, no accountgraph code.

    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... \\
        .venv/bin/python bench/bench_neo4j_unwind.py --wipe [--contacts 100000]

What a careful script does on the same server: ``UNWIND $rows`` batches of
10,000 plain dicts, a transaction each; MATCH the ends by id (uniqueness
constraints index them), CREATE the node and its relationships. Companies,
then contacts (EMPLOYED_AT), then touchpoints (ON_ACCOUNT, PARTICIPATED_IN).
``bench_neo4j.py`` runs it beside ``Neo4jStore.upsert_table`` on the same rows.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BATCH = 10_000
COMPANIES = """UNWIND $rows AS r
CREATE (c:Company) SET c = r"""
CONTACTS = """UNWIND $rows AS r
MATCH (c:Company {id: r.company_id})
CREATE (n:Contact) SET n = r
CREATE (n)-[:EMPLOYED_AT]->(c)"""
TOUCHPOINTS = """UNWIND $rows AS r
MATCH (c:Company {id: r.company_id})
MATCH (p:Contact {id: r.contact_ids[0]})
CREATE (t:Touchpoint) SET t = r
CREATE (t)-[:ON_ACCOUNT]->(c)
CREATE (p)-[:PARTICIPATED_IN]->(t)"""
QUERIES = {"company": COMPANIES, "contact": CONTACTS, "touchpoint": TOUCHPOINTS}


def rows_of(contacts: int, touchpoints: int) -> dict[str, list[dict[str, Any]]]:
    """Companies, contacts and touchpoints as the importer's bench writes them."""
    companies = max(1, contacts // 100)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    kinds = ("email", "call", "meeting", "webinar", "invoice", "support_ticket")
    return {
        "company": [
            {"id": f"co{i}", "name": f"Company {i}", "domain": f"company{i}.com"}
            for i in range(companies)
        ],
        "contact": [
            {"id": f"p{i}", "company_id": f"co{i % companies}", "name": f"Person {i}",
             "email": f"p{i}@company{i % companies}.com", "title": "Manager"}
            for i in range(contacts)
        ],
        "touchpoint": [
            {"id": f"t{i}", "company_id": f"co{(i * 7919 % contacts) % companies}",
             "type": kinds[i % len(kinds)], "at": start + timedelta(minutes=i),
             "contact_ids": [f"p{i * 7919 % contacts}"]}
            for i in range(touchpoints)
        ],
    }


def bare_write(driver: Any, database: str, data: dict[str, list[dict[str, Any]]]) -> float:
    """Seconds to write ``data`` the bare way (the database should be empty)."""
    t0 = time.perf_counter()
    with driver.session(database=database) as session:
        for kind, rows in data.items():
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                query = QUERIES[kind]
                session.execute_write(lambda tx, b=batch, q=query: tx.run(q, rows=b).consume())
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--contacts", type=int, default=100_000)
    ap.add_argument("--touchpoints", type=int, default=500_000)
    ap.add_argument("--wipe", action="store_true", help="empty the database first (required)")
    args = ap.parse_args()
    if not args.wipe:
        ap.error("this empties the database at NEO4J_URI: pass --wipe to confirm")
    from graph.settings import Settings
    from graph.stores.neo4j import Neo4jStore

    store = Neo4jStore.from_settings(Settings(store="neo4j"))
    try:
        store.wipe()
        store.ensure_schema()
        data = rows_of(args.contacts, args.touchpoints)
        rows = sum(len(v) for v in data.values())
        seconds = bare_write(store._driver, store.database, data)
        print(f"bare UNWIND: {rows:,} rows in {seconds:.1f}s = {rows / seconds:,.0f} rows/s")
    finally:
        store.close()


if __name__ == "__main__":
    main()
