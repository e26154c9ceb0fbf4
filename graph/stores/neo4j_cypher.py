"""What the Neo4j store says in Cypher beyond queries/: names, fragments, parameters.

Pure functions of the schema (graph.schema) and of Arrow tables, shared by the
store (graph.stores.neo4j), its transaction primitives (graph.stores.neo4j_tx)
and the tests that render every query.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import queries
from graph.schema import NODE_KINDS, NodeKind, RelKind

# Fields looked up by value (besides ids, which get uniqueness constraints):
# sign-in by token, the audit trail of one contact, matching imports by email
# and domain, and the list filters the API offers most.
INDEXED: dict[str, tuple[str, ...]] = {
    "company": ("domain",),
    "contact": ("email", "company_id"),
    "user": ("email",),
    "touchpoint": ("company_id",),
    "api_token": ("token_hash", "user_id"),
    "audit_event": ("contact_id", "user_id"),
}
# The importer's identity crosswalk (seed.imports.crosswalk) lives in the
# database, so every machine importing into it agrees: one node per entry.
CROSSWALK_LABEL = "ImportCrosswalk"
for _kind, _fields in INDEXED.items():
    _missing = set(_fields) - {c.name for c in NODE_KINDS[_kind].columns}
    assert not _missing, f"INDEXED names fields {_kind} does not have: {_missing}"


def column_params(table: pa.Table) -> dict[str, Any]:
    """Each column of ``table`` as one list parameter (``c0``, ``c1``...), values as stored.

    Whole columns, not a dict per row: the driver packs one list per column. A
    timestamp (naive UTC in the table) goes as two lists of integers, whole
    seconds since the epoch (``cN``) and the nanoseconds past them (``nN``),
    which :func:`sets` makes a UTC time again on the server: the driver turns
    each Python time into a Bolt one in pure Python (2 ms apiece on a busy
    machine, most of writing 20,000 touchpoints). An empty list goes as null,
    so the property is absent, as the row path leaves it.
    """
    out: dict[str, Any] = {"n": table.num_rows}
    for i, name in enumerate(table.column_names):
        col = table.column(name)
        if pa.types.is_timestamp(col.type):
            micros = pc.cast(col.cast(pa.timestamp("us")), pa.int64()).combine_chunks()
            valid = micros.is_valid().to_numpy(zero_copy_only=False)
            values = micros.fill_null(0).to_numpy()
            seconds, rest = np.divmod(values, 1_000_000)  # floor: right before 1970 too
            out[f"c{i}"] = [int(v) if ok else None for v, ok in zip(seconds, valid, strict=True)]
            out[f"n{i}"] = (rest * 1000).tolist()
            continue
        if pa.types.is_list(col.type):
            empty = pc.equal(pc.list_value_length(col), 0)
            col = pc.if_else(empty, pa.scalar(None, col.type), col)
        out[f"c{i}"] = col.to_pylist()
    return out


def sets(schema: pa.Schema, var: str = "n", skip: Sequence[str] = ()) -> queries.Fragment:
    """``n.`a` = $c0[i], ...`` for the columns of :func:`column_params` of a table of ``schema``."""
    parts = []
    for i, field in enumerate(schema):
        if field.name in skip:
            continue
        value = f"$c{i}[i]"
        if pa.types.is_timestamp(field.type):
            value = (
                f"CASE WHEN $c{i}[i] IS NULL THEN null "
                f"ELSE datetime({{epochSeconds: $c{i}[i], nanosecond: $n{i}[i]}}) END"
            )
        parts.append(f"{var}.{queries.ident(field.name)} = {value}")
    return queries.Fragment(", ".join(parts))


def fulltext_index(kind: NodeKind) -> str:
    return f"{kind.label}_text"


def fulltext_fields(kind: NodeKind) -> queries.Fragment:
    """``n.`name`, n.`domain``` for a full-text index over a kind's text fields."""
    return queries.Fragment(", ".join(f"n.{queries.ident(f)}" for f in kind.text_fields))


def fulltext_terms(needle: str) -> str | None:
    """The Lucene query that finds every value containing ``needle``, among others.

    The needle's longest run of letters and digits lies inside one word of any
    value that contains it (the index splits words only between such runs), so
    ``*run*`` finds them all. None when the needle has no letter or digit.
    """
    runs = re.findall(r"[^\W_]+", needle)
    return f"*{max(runs, key=len)}*" if runs else None


def crosswalk_key(source: str, kind: str, foreign: str) -> str:
    # A separator no id contains: source names and kinds are identifiers.
    return f"{source}\x1f{kind}\x1f{foreign}"


def rel_returns(rel: RelKind) -> queries.Fragment:
    """``, e.`a` AS `a`...`` for a relationship kind's properties."""
    return queries.Fragment(
        "".join(f", e.{queries.ident(c.name)} AS {queries.ident(c.name)}" for c in rel.columns)
    )


def rel_key(rel: RelKind) -> queries.Fragment:
    """`` {`since`: r.key.`since`}`` for MERGE on a kind's key ('' when it has none)."""
    if not rel.key:
        return queries.Fragment("")
    pairs = ", ".join(f"{queries.ident(k)}: r.key.{queries.ident(k)}" for k in rel.key)
    return queries.Fragment(f" {{{pairs}}}")


def returns_fast(k: NodeKind) -> queries.Fragment:
    """As :func:`queries.returns` for a kind's columns, times as epoch microseconds
    and dates as epoch days.

    The driver turns each DateTime or Date into Python through its own
    pure-Python time types (~0.5 ms each on a busy machine: most of reading an
    account with thousands of touchpoints); an integer crosses as it is, and
    :func:`graph.writer.normalise_row` makes it a time or a date again.
    """
    parts = []
    for c in k.columns:
        name = queries.ident(c.name)
        if c.kind == "TIMESTAMP":
            parts.append(f"{epoch_micros(f'n.{name}')} AS {name}")
        elif c.kind == "DATE":
            parts.append(f"{epoch_days(f'n.{name}')} AS {name}")
        else:
            parts.append(f"n.{name} AS {name}")
    return queries.Fragment(", ".join(parts))


def epoch_micros(value: str) -> str:
    """Cypher for the microseconds since the epoch of a DateTime ``value`` (null stays null)."""
    # epochMillis is floored, but epochSeconds is epochMillis / 1000 truncated
    # towards zero: a time within the second before 1970 read back a second late.
    return f"{value}.epochMillis * 1000 + {value}.microsecond % 1000"


def epoch_days(value: str) -> str:
    """Cypher for the days since the epoch of a Date ``value`` (null stays null)."""
    # A Date has no epoch field ("Epoch not supported").
    return f"duration.inDays(date({{year: 1970, month: 1, day: 1}}), {value}).days"
