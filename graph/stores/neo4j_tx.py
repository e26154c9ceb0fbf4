"""Neo4j's transaction primitives (graph.writer.WriteTx, graph.bulk.BulkTx), and values in and out.

Neo4j has no NULL properties: a ``None`` value is sent as an absent property
and an absent property reads back as ``None``. Times go in as UTC-aware
datetimes and come back as UTC-aware :class:`datetime.datetime`, dates as
:class:`datetime.date`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, LiteralString, cast

import pyarrow as pa

import queries
from graph.digest import rows_table
from graph.schema import NodeKind, RelKind
from graph.stores.neo4j_cypher import column_params, rel_key, rel_returns, sets
from graph.writer import Row, normalise_row

if TYPE_CHECKING:
    from neo4j import ManagedTransaction

    from graph.stores.neo4j import Neo4jStore


def literal(text: str) -> LiteralString:
    # The driver types query text as LiteralString to keep user strings out of
    # it. Ours comes only from queries/*.cypher, filled with schema identifiers
    # (queries.render checks them), which is the guarantee LiteralString wants.
    return cast(LiteralString, text)


# -- values in and out ---------------------------------------------------------------
def _to_neo4j(value: Any) -> Any:
    if isinstance(value, datetime):
        # A naive datetime would become a LocalDateTime, which never equals
        # the model's UTC-aware times; the model's naive times mean UTC.
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value


def _props(row: Mapping[str, Any]) -> Row:
    """A row as Neo4j properties: no ``None`` (absent instead), no empty lists."""
    return {k: _to_neo4j(v) for k, v in row.items() if v is not None and v != []}


_PLAIN = (str, int, float, bool, type(None))


def from_neo4j(value: Any) -> Any:
    if type(value) in _PLAIN:  # nearly every value: no isinstance chain
        return value
    from neo4j import graph, time

    if isinstance(value, time.DateTime):
        native = value.to_native()
        return native.astimezone(UTC) if native.tzinfo else native.replace(tzinfo=UTC)
    if isinstance(value, time.Date):
        return value.to_native()
    if isinstance(value, graph.Node | graph.Relationship):
        return {k: from_neo4j(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_neo4j(v) for v in value]
    if isinstance(value, dict):
        return {k: from_neo4j(v) for k, v in value.items()}
    return value


def run_rows(tx: ManagedTransaction, text: str, params: Mapping[str, Any] | None) -> list[Row]:
    result = tx.run(literal(text), dict(params or {}))
    return [{k: from_neo4j(v) for k, v in record.items()} for record in result]



class Neo4jTx:
    """Neo4j's write primitives inside one managed transaction (or reads, outside)."""

    def __init__(self, store: Neo4jStore, tx: ManagedTransaction | None):
        self.s = store
        self.tx = tx

    def _write(self, text: str, params: Mapping[str, Any]) -> None:
        # Queued, and sent with the transaction's other writes before its next
        # read or its commit (Neo4jStore._flush).
        if self.tx is None:
            raise AssertionError("a write outside a transaction")
        self.s._defer(text, params)

    def _rows(self, text: str, params: Mapping[str, Any], names: Sequence[str]) -> list[Row]:
        """As :meth:`_run` for a query returning ``names``: its rows come as one record.

        Lookups by a batch's ids return thousands of rows, and the driver handles
        each record as a message of its own. (Inside a write, the store's
        transaction is this one: ``Neo4jStore._write`` names it for the thread.)
        """
        return self.s._read_rows(text, params, names)

    def existing_ids(self, kind: NodeKind, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        rows = self._rows(self.s._q("node_ids", label=kind.label), {"ids": list(ids)}, ["id"])
        return {r["id"] for r in rows}

    def fetch_nodes(self, kind: NodeKind, ids: Sequence[str]) -> dict[str, Row]:
        if not ids:
            return {}
        rows = self._rows(*self.fetch_nodes_read(kind, ids))
        return {r["id"]: normalise_row(kind, r) for r in rows}

    def fetch_nodes_read(
        self, kind: NodeKind, ids: Sequence[str]
    ) -> tuple[str, dict[str, Any], list[str]]:
        """The query :meth:`fetch_nodes` runs: text, parameters, returned names."""
        text = self.s._q("node_fetch", label=kind.label, returns=self.s._returns(kind))
        return text, {"ids": list(ids)}, [c.name for c in kind.columns]

    def create_nodes(self, kind: NodeKind, rows: list[Row]) -> None:
        # MERGE on the unique id, not CREATE: a concurrent writer that created
        # the same id first makes this an update instead of a constraint error.
        self._write(self.s._q("node_create", label=kind.label), {"rows": [_props(r) for r in rows]})

    def update_nodes(self, kind: NodeKind, rows: list[Row]) -> None:
        # Rows are whole nodes (graph.writer sends every column), so
        # ``SET n = r`` replaces the properties and drops the ones now None.
        self._write(self.s._q("node_update", label=kind.label), {"rows": [_props(r) for r in rows]})

    def fetch_rels(
        self, rel: RelKind, src: NodeKind, tgt: NodeKind, by: str, ids: Sequence[str]
    ) -> list[Row]:
        if not ids:
            return []
        rows = self._rows(*self.fetch_rels_read(rel, src, tgt, by, ids))
        return [
            {"source": r["source"], "target": r["target"], **normalise_row(rel, r)} for r in rows
        ]

    def fetch_rels_read(
        self, rel: RelKind, src: NodeKind, tgt: NodeKind, by: str, ids: Sequence[str]
    ) -> tuple[str, dict[str, Any], list[str]]:
        """The query :meth:`fetch_rels` runs: text, parameters, returned names."""
        text = self.s._q(
            f"rel_fetch_by_{by}",
            src=src.label,
            tgt=tgt.label,
            rel=rel.name,
            returns=rel_returns(rel),
        )
        return text, {"ids": list(ids)}, ["source", "target", *(c.name for c in rel.columns)]

    def fetch_rels_not_from(
        self, rel: RelKind, src: NodeKind, tgt: NodeKind, origin_prefix: str
    ) -> list[Row]:
        text = self.s._q("rel_all_not_from", src=src.label, tgt=tgt.label, rel=rel.name,
                         returns=rel_returns(rel))
        names = ["source", "target", *(c.name for c in rel.columns)]
        rows = self._rows(text, {"prefix": origin_prefix}, names)
        return [
            {"source": r["source"], "target": r["target"], **normalise_row(rel, r)} for r in rows
        ]

    def create_rels(self, rel: RelKind, src: NodeKind, tgt: NodeKind, rows: list[Row]) -> None:

        # MERGE on the endpoints and the kind's key (OWNS: since), not CREATE:
        # two writers that both found a relationship missing then still leave
        # one, as does a transaction the driver runs again. ``SET e += props``
        # so that a derived EMPLOYED_AT (no properties) merged onto an explicit
        # one never blanks its dates; changed relationships were deleted first.
        names = [c.name for c in rel.columns]
        payload = [
            {
                "source": r["source"],
                "target": r["target"],
                "key": {k: _to_neo4j(r.get(k)) for k in rel.key},
                "props": _props({n: r.get(n) for n in names}),
            }
            for r in rows
        ]
        text = self.s._q(
            "rel_create",
            rel=rel.name,
            src=src.label,
            tgt=tgt.label,
            key=rel_key(rel),
        )
        self._write(text, {"rows": payload})

    def delete_rels(self, rel: RelKind, src: NodeKind, tgt: NodeKind, rows: list[Row]) -> None:
        # A relationship kind with a key (OWNS: since) may join the same two
        # nodes several times; delete only the one the key names, when given.
        payload = [
            {
                "source": r["source"],
                "target": r["target"],
                "key": _props({k: r.get(k) for k in rel.key}),
            }
            for r in rows
        ]
        self._write(
            self.s._q("rel_delete", rel=rel.name, src=src.label, tgt=tgt.label), {"rows": payload}
        )

    def fetch_fingerprints(self, kind: NodeKind, ids: Sequence[str]) -> dict[str, str | None]:
        """The stored digest of each of ``ids`` that exists (None: written without one).

        With it the row path stores digests too, so a node written by either
        path and rewritten by the other is unchanged, and a rewrite reads one
        short string a node instead of every column.
        """
        if not ids:
            return {}
        text = self.s._q("node_fingerprints", label=kind.label)
        rows = self._rows(text, {"ids": list(ids)}, ["id", "fp"])
        return {r["id"]: r["fp"] for r in rows}

    # -- the columnar path (graph.bulk.BulkTx) -----------------------------------------
    def fingerprints_table(self, kind: NodeKind, ids: pa.Array) -> pa.Table:
        if len(ids) == 0:
            return pa.table({"id": pa.array([], pa.string()), "fp": pa.array([], pa.string())})
        text = self.s._q("node_fingerprints", label=kind.label)
        rows = self._rows(text, {"ids": ids.to_pylist()}, ["id", "fp"])
        return pa.table(
            {
                "id": pa.array([r["id"] for r in rows], pa.string()),
                "fp": pa.array([r["fp"] for r in rows], pa.string()),
            }
        )

    def stored_ids(self, kind: NodeKind, ids: pa.Array) -> pa.Array:
        found = self.existing_ids(kind, ids.to_pylist()) if len(ids) else set()
        return pa.array(sorted(found), pa.string())

    def copy_nodes(self, kind: NodeKind, table: pa.Table) -> None:
        # CREATE: the plan saw none of these ids, in this transaction (a writer
        # that races us to one makes upsert_table plan the chunk again).
        names = table.column_names
        text = self.s._q("node_copy", label=kind.label, sets=sets(table.schema, skip=("id",)))
        params = column_params(table)
        params["id"] = params.pop(f"c{names.index('id')}")
        self._write(text, params)

    def update_table(self, kind: NodeKind, table: pa.Table) -> None:
        names = table.column_names
        text = self.s._q(
            "node_update_from", label=kind.label, sets=sets(table.schema, skip=("id",))
        )
        params = column_params(table)
        params["id"] = params.pop(f"c{names.index('id')}")
        self._write(text, params)

    def copy_rels(self, rel: RelKind, src: NodeKind, tgt: NodeKind, table: pa.Table) -> None:
        # Columns that are null throughout (derived relationships' properties)
        # are left out: an absent property is what null means here.
        props = [
            c.name for c in rel.columns if table.column(c.name).null_count < table.num_rows
        ]
        sent = table.select(["from", "to", *props])
        assigned = sets(sent.schema, var="e", skip=("from", "to"))
        text = self.s._q(
            "rel_copy",
            rel=rel.name,
            src=src.label,
            tgt=tgt.label,
            sets=queries.Fragment(f"SET {assigned}" if props else ""),
        )
        params = column_params(sent)
        params["from"], params["to"] = params.pop("c0"), params.pop("c1")
        self._write(text, params)

    def fetch_table(self, kind: NodeKind, ids: pa.Array) -> pa.Table:
        if len(ids) == 0:
            return rows_table(kind, [])
        text = self.s._q("node_fetch", label=kind.label, returns=self.s._returns(kind))
        rows = self._rows(text, {"ids": ids.to_pylist()}, [c.name for c in kind.columns])
        return rows_table(kind, [normalise_row(kind, r) for r in rows])
