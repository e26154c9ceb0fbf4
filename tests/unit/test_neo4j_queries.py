"""Every query the Neo4j store runs exists in its dialect (no server needed).

CI has no Neo4j, so a query name added to the shared store code but written
only for LadybugDB would otherwise surface only on a user's server.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import queries
from graph.schema import NODE_KINDS
from graph.stores.base import ACCOUNT_ROWS

STORES = Path(__file__).resolve().parents[2] / "graph" / "stores"
NAME = re.compile(r"""_q\(\s*f?["']([a-z_{}]+)["']""")


def names_used_by(*files: str) -> set[str]:
    found: set[str] = set()
    for f in files:
        for name in NAME.findall((STORES / f).read_text(encoding="utf-8")):
            # f"rel_fetch_by_{by}": by is "source" or "target".
            found |= {name.replace("{by}", b) for b in ("source", "target")}
    return found


# The account's own reads are named in a table (ACCOUNT_ROWS), not in _q calls.
NEO4J_NAMES = sorted(
    names_used_by("base.py", "neo4j.py", "neo4j_tx.py")
    | {query for query, _, _ in ACCOUNT_ROWS.values()}
)


def test_the_scan_finds_the_store_queries() -> None:
    assert {"node_create", "rel_fetch_by_source", "rel_fetch_by_target", "account_company"} <= set(
        NEO4J_NAMES
    )


@pytest.mark.parametrize("name", NEO4J_NAMES)
def test_each_query_the_neo4j_store_runs_has_a_text(name: str) -> None:
    assert queries.text("neo4j", name)


def test_node_writes_merge_on_the_id_for_every_label() -> None:
    for k in NODE_KINDS.values():
        text = queries.render("neo4j", "node_create", label=k.label)
        assert f"MERGE (n:{k.label} {{`id`: r.`id`}})" in text
        constraint = queries.render("neo4j", "create_constraint", label=k.label)
        assert f"FOR (n:{k.label}) REQUIRE n.`id` IS UNIQUE" in constraint
