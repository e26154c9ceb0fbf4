"""The change digest both write paths store with a node, computed over Arrow.

:func:`graph.writer.fingerprint` and :mod:`graph.bulk` must agree on it, or a
node written by one path and rewritten unchanged by the other would count as
changed. So both build the same Arrow columns (the store's column types, in
the kind's column order) and digest one canonical text per row made from them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from graph.schema import Column, NodeKind

# Separators no field value is expected to hold; a null is its own marker so
# that None and "" (or [] and [None]) digest differently.
_FIELD_SEP = "\x1f"
_ITEM_SEP = "\x1e"
_NULL = "\x00"


def arrow_type(kind: str) -> pa.DataType:
    """The Arrow type a store column of ``kind`` is read from and written as."""
    return {
        "STRING": pa.string(),
        "INT64": pa.int64(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us"),
        "STRING[]": pa.list_(pa.string()),
    }[kind]


def schema_of(columns: Sequence[Column]) -> pa.Schema:
    return pa.schema([(c.name, arrow_type(c.kind)) for c in columns])


def naive_utc(value: Any) -> Any:
    """A UTC-aware time as the zone-less UTC the stores keep; anything else as is."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def rows_table(kind: NodeKind, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Model rows (``graph.writer.to_row``) as an Arrow table of the kind's columns."""
    times = [c.name for c in kind.columns if c.kind == "TIMESTAMP"]
    if times:
        rows = [{**r, **{t: naive_utc(r.get(t)) for t in times}} for r in rows]
    return pa.Table.from_pylist(list(rows), schema=schema_of(kind.columns))


def column_text(column: Column, values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Each value of a column as the text its row's digest is made of."""
    # A list holding a null joins to null, like a null list: neither
    # passes validation, so they need not digest apart.
    if column.kind == "STRING[]":
        text = pc.binary_join(values, _ITEM_SEP)
    else:
        text = pc.cast(values, pa.string())
    return pc.fill_null(text, _NULL)


def digests(kind: NodeKind, table: pa.Table) -> list[str]:
    """One digest per row of ``table`` (the kind's columns, store types)."""
    if table.num_rows == 0:
        return []
    parts = [column_text(c, table.column(c.name)) for c in kind.columns]
    joined = pc.binary_join_element_wise(*parts, _FIELD_SEP)
    # As bytes straight from Arrow (UTF-8 already): no str made and encoded per row.
    blake2b = hashlib.blake2b
    return [
        blake2b(b, digest_size=12).hexdigest() for b in pc.cast(joined, pa.binary()).to_pylist()
    ]
