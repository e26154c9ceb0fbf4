"""Neo4j's own Cypher 5 front end accepts every query the Neo4j store can render.

CI has no Neo4j server, so this is the check that the Neo4j dialect parses and
passes semantic analysis (undefined variables, ORDER BY after aggregation...).
It uses ``@neo4j-cypher/language-support`` (Neo4j's parser and semantic
analysis compiled to JavaScript), installed by
``npm ci --prefix tests/tools/cypher_lint``; without it the test is skipped.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

import queries
from graph.digest import schema_of
from graph.schema import NODE_KINDS, REL_KINDS, RelKind
from graph.stores.neo4j import INDEXED, fulltext_fields, rel_key, rel_returns
from graph.stores.neo4j_cypher import sets
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tests" / "tools" / "cypher_lint"
SLOT = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")


def _names() -> list[str]:
    found = {p.stem for d in ("common", "neo4j") for p in (ROOT / "queries" / d).glob("*.cypher")}
    return sorted(found)


# One kind of each shape: the linter takes ~0.3 s a query, and kinds differ
# only in identifiers. A relationship kind with a key and properties (OWNS),
# one with properties and no key (KNOWS); one node kind with indexed fields.
RELS = ("OWNS", "KNOWS")
NODES = ("contact",)  # has text fields, for the full-text index
# A query Neo4j refuses, to show the linter is awake.
REFUSED = {"name": "known_bad", "text": "MATCH (n) RETURN count(*) AS c ORDER BY n.id"}


def _rel_schema(r: RelKind) -> pa.Schema:
    ends = pa.schema([("from", pa.string()), ("to", pa.string())])
    return pa.unify_schemas([ends, schema_of(r.columns)])


def renderings() -> Iterator[dict[str, str]]:
    """Each query as the Neo4j store renders it, for each shape of kind."""
    for name in _names():
        text = queries.text("neo4j", name)
        slots = set(SLOT.findall(text))
        if not slots:
            yield {"name": name, "text": text}
        elif slots & {"rel", "src", "tgt"}:
            for r in (REL_KINDS[n] for n in RELS):
                for s, t in r.pairs[:1]:
                    filled: dict[str, Any] = {
                        "rel": r.name,
                        "src": NODE_KINDS[s].label,
                        "tgt": NODE_KINDS[t].label,
                        "key": rel_key(r),
                        "returns": rel_returns(r),
                        # As copy_rels renders it: times become UTC times on the server.
                        "sets": queries.Fragment(
                            "SET " + sets(_rel_schema(r), var="e", skip=("from", "to"))
                            if r.columns else ""
                        ),
                    }
                    yield {"name": f"{name}[{r.name}]", "text": _render(name, slots, filled)}
        else:
            for k in (NODE_KINDS[n] for n in NODES):
                names = [c.name for c in k.columns]
                filled = {
                    "label": k.label,
                    "returns": queries.returns(names),
                    "where": queries.equals_all(names[:2]),
                    "fields": fulltext_fields(k),
                    # as_columns wraps another query's text: one that returns the kind.
                    "inner": queries.Fragment(
                        queries.render(
                            "neo4j", "node_fetch", label=k.label, returns=queries.returns(names)
                        )
                    ),
                    "names": queries.Fragment(", ".join(queries.ident(n) for n in names)),
                    "sets": sets(schema_of(k.columns)),
                    # collect_parts joins collect_part renderings (Neo4jStore._fetch_together).
                    "alias": "rows",
                    "aliases": queries.Fragment("rows"),
                }
                filled["parts"] = queries.Fragment(
                    _render("collect_part", {"inner", "names", "alias"}, filled)
                )
                fields = INDEXED.get(k.name, ())[:1] if "field" in slots else ("",)
                for f in fields:
                    filled["field"] = f
                    if name == "unit_part":  # wraps one of a transaction's writes
                        filled["inner"] = queries.Fragment(
                            queries.render("neo4j", "node_update", label=k.label)
                        )
                    text = _render(name, slots, filled)
                    if name == "collect_part":  # a part of a query: as collect_parts ends it
                        text += "\nRETURN rows"
                    yield {"name": f"{name}[{k.label}]", "text": text}


def _render(name: str, slots: set[str], filled: dict[str, Any]) -> str:
    missing = slots - set(filled)
    assert not missing, f"{name}: no test value for slots {missing}; add one to renderings()"
    return queries.render("neo4j", name, **{s: filled[s] for s in slots})


def test_neo4j_accepts_every_query() -> None:
    node = shutil.which("node")
    require(
        node is not None and (TOOL / "node_modules" / "@neo4j-cypher").is_dir(),
        "no Cypher linter: run `npm ci --prefix tests/tools/cypher_lint` (needs npm)",
        env="ACCOUNTGRAPH_REQUIRE_CYPHER_LINT",
    )
    assert node is not None
    batch = list(renderings())
    assert {b["name"].partition("[")[0] for b in batch} == set(_names())
    done = subprocess.run(
        [node, str(TOOL / "lint.js")],
        input=json.dumps([*batch, REFUSED]),
        capture_output=True,
        text=True,
        cwd=TOOL,
        timeout=300,
        check=True,
    )
    refused = [r for r in json.loads(done.stdout) if r["name"] != REFUSED["name"]]
    assert refused == [], "\n".join(f"{r['name']}: {r['errors']}" for r in refused)
    assert len(json.loads(done.stdout)) == 1, "the linter no longer refuses a bad query"
