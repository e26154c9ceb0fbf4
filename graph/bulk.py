"""The columnar write path: ``Store.upsert_table(kind, table)`` over Arrow tables.

Same semantics as :func:`graph.writer.upsert_chunk` (see :mod:`graph.store`),
without a Python object per row, because per-row Python was what held bulk
loads to ~25k rows/s while the engine's own COPY does 300-650k. Per chunk:

1. validate whole columns (:mod:`graph.bulk_check`); refused rows are reported;
2. check referenced ids with ``is_in`` against the stored id column;
3. keep the last row of each id;
4. digest every row (:mod:`graph.digest`, the same digest the row path stores)
   and compare with the stored digests: new rows are COPYed with their derived
   relationships, changed ones are overwritten from the table and their
   relationships diffed as the row path does, equal ones are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graph.bulk_check import Checked, check
from graph.digest import arrow_type, column_text, digests, schema_of
from graph.errors import ValidationError
from graph.schema import NODE_KINDS, REL_KINDS, Derived, NodeKind, RelKind
from graph.store import Rejection, WriteReport
from graph.writer import FINGERPRINT, WriteTx, _write_derived

CHUNK_ROWS = 500_000


class BulkTx(WriteTx, Protocol):
    """What a backend adds to :class:`WriteTx` for the columnar path."""

    def fingerprints_table(self, kind: NodeKind, ids: pa.Array) -> pa.Table:
        """The stored ``id`` and ``fp`` of each of ``ids`` that exists.

        The backend picks a scan of the whole table or a lookup per id by the
        batch's share of the table: a 50,000-row batch into a 10M-row table
        must not read all 10M.
        """
        ...

    def stored_ids(self, kind: NodeKind, ids: pa.Array) -> pa.Array:
        """Those of ``ids`` that are stored (chosen as :meth:`fingerprints_table` does)."""
        ...

    def copy_nodes(self, kind: NodeKind, table: pa.Table) -> None:
        """Bulk-create nodes; ``table`` has the stored columns in table order."""
        ...

    def copy_rels(self, rel: RelKind, src: NodeKind, tgt: NodeKind, table: pa.Table) -> None:
        """Bulk-create relationships; ``table`` is ``from``, ``to``, then the rel's columns."""
        ...

    def update_table(self, kind: NodeKind, table: pa.Table) -> None:
        """Overwrite the columns ``table`` holds of the stored nodes it names by ``id``.

        ``table`` has ``id`` and some of the stored columns (the digest among
        them); a null clears a field, as :meth:`WriteTx.update_nodes` does for
        a missing one. Columns it does not hold are left as they are.
        """
        ...

    def fetch_table(self, kind: NodeKind, ids: pa.Array) -> pa.Table:
        """The stored nodes of ``ids`` that exist, their model's columns, as Arrow."""
        ...


@dataclass
class ChunkPlan:
    """What writing one chunk will do, decided by reads alone (:func:`plan_chunk`)."""

    report: WriteReport
    created: pa.Table  # new nodes, with their digests: COPYed
    changed: pa.Table  # stored nodes whose digest moved: overwritten

    @property
    def copy_only(self) -> bool:
        """Nothing but new rows: the write is COPY statements and nothing else."""
        return self.changed.num_rows == 0


@dataclass
class Prepared:
    """A chunk checked and digested, before any read of the store (:func:`prepare_chunk`)."""

    rejected: list[Rejection]
    good: pa.Table  # the rows that passed, with ``__index`` and ``fingerprint`` (their digests)


def prepare_chunk(
    kind: NodeKind, table: pa.Table, offset: int = 0, *, validated: bool = False
) -> Prepared:
    """Check and digest a chunk: the part of :func:`plan_chunk` that reads nothing stored.

    Pure, so a backend may prepare the next chunk on another thread while the
    current one writes. ``validated``: ``table`` is already
    :func:`~graph.bulk_check.check`'s output without its refused rows (the
    importer checks each chunk to report its rows), so it is not checked again;
    it may carry its digests (``fingerprint``), worked out by the caller.
    """
    checked = _trusted(kind, table) if validated else check(kind, table, offset)
    index = pa.array(np.arange(offset, offset + table.num_rows, dtype=np.int64))
    good = _where(checked.table.append_column("__index", index), pc.invert(checked.bad))
    if FINGERPRINT not in good.column_names:
        # Digests are per row: those of rows dropped later (a dangling reference,
        # an id repeated in the chunk) are simply not used.
        good = good.append_column(FINGERPRINT, pa.array(digests(kind, good), pa.string()))
    return Prepared(list(checked.rejections), good)


def plan_chunk(
    tx: BulkTx, kind: NodeKind, table: pa.Table, offset: int = 0, *, validated: bool = False
) -> ChunkPlan:
    """Validate, check references and compare digests: everything but the writes.

    Only reads, so a backend may run it before the write transaction and pick
    that transaction's kind by what it holds (LadybugDB defers the checkpoint of
    COPY-only writes during a bulk load). ``validated``: as :func:`prepare_chunk`.
    """
    return plan_prepared(tx, kind, prepare_chunk(kind, table, offset, validated=validated))


def plan_prepared(tx: BulkTx, kind: NodeKind, prepared: Prepared) -> ChunkPlan:
    """:func:`plan_chunk` of a chunk :func:`prepare_chunk` made: the store's reads.

    Leaves ``prepared`` as it was, so a transaction run again plans it again.
    """
    report = WriteReport(kind.name)
    report.rejected += prepared.rejected
    good = _check_refs(tx, kind, prepared.good, report)
    if good.num_rows == 0:
        empty = good.drop_columns(["__index"])
        return ChunkPlan(report, empty, empty)
    # Within one chunk the last copy of an id wins, as a re-run would make it.
    # Counting distinct ids first skips the grouping (0.38 s per 500,000 rows)
    # in the usual chunk, which repeats none (unique: 0.11 s; count_distinct: 0.23).
    latest = good
    if len(pc.unique(good.column("id"))) != good.num_rows:
        last = good.group_by("id").aggregate([("__index", "max")]).column("__index_max")
        latest = good.filter(pc.is_in(good.column("__index"), value_set=last))
    report.unchanged += good.num_rows - latest.num_rows
    with_fp = latest.drop_columns(["__index"])
    fps = with_fp.column(FINGERPRINT).combine_chunks()
    stored = tx.fingerprints_table(kind, with_fp.column("id").combine_chunks())
    pos = pc.index_in(with_fp.column("id"), value_set=stored.column("id"))
    new = pc.is_null(pos)
    same = pc.fill_null(pc.equal(pc.take(stored.column("fp"), pos), fps), False)
    changed = pc.and_(pc.invert(new), pc.invert(same))
    plan = ChunkPlan(report, _where(with_fp, new), _where(with_fp, changed))
    report.created += plan.created.num_rows
    report.updated += plan.changed.num_rows
    report.unchanged += with_fp.num_rows - plan.created.num_rows - plan.changed.num_rows
    return plan


def _where(table: pa.Table, mask: pa.Array) -> pa.Table:
    """``table.filter(mask)``, without copying a table every row or no row of which is kept.

    The usual case of a bulk load (every row good, every row new): a filter
    copies a 500,000-row table for nothing.
    """
    kept = pc.sum(mask).as_py() or 0
    if kept == table.num_rows:
        return table
    return table.slice(0, 0) if kept == 0 else table.filter(mask)


def _trusted(kind: NodeKind, table: pa.Table) -> Checked:
    """A table said to be checked already: only its shape is verified (cheaply).

    It may end with the rows' digests (``fingerprint``, from
    :func:`graph.digest.digests`), worked out by the caller on another thread.
    """
    expected = schema_of(kind.columns)
    if table.schema.names[-1:] == [FINGERPRINT]:
        expected = expected.append(pa.field(FINGERPRINT, pa.string()))
    if table.schema != expected:
        raise ValidationError(
            f"{kind.model.__name__} table given as validated does not have the checked "
            f"columns and types ({table.schema.names}); pass validated=False",
            field=None,
        )
    return Checked(table, pa.array(np.zeros(table.num_rows, dtype=bool)), [])


def apply_plan(tx: BulkTx, kind: NodeKind, plan: ChunkPlan) -> WriteReport:
    """Write what :func:`plan_chunk` decided: COPY the new rows, overwrite the changed."""
    if plan.created.num_rows:
        tx.copy_nodes(kind, plan.created)
        _copy_derived(tx, kind, plan.created)
    if plan.changed.num_rows:
        _update(tx, kind, plan.changed)
    return plan.report


def _update(tx: BulkTx, kind: NodeKind, table: pa.Table) -> None:
    # The table is checked and normalised as the model would (bulk_check), so
    # it is written as it is, but only the columns that moved in some row: SET
    # costs by the column (100,000 merged contacts: 3.4 s for every column, 0.8 s
    # for the three a merge fills). Columns are compared as their digests read
    # them, so a row whose digest moved always has a column that is written.
    # The relationship diff (moved employers, replaced participants) is the row
    # path's, over the rows whose reference fields moved.
    ids = table.column("id").combine_chunks()
    stored = tx.fetch_table(kind, ids)
    old = stored.take(pc.index_in(ids, value_set=stored.column("id")))
    moved = {
        c.name: pc.fill_null(
            pc.not_equal(column_text(c, table.column(c.name)), column_text(c, old.column(c.name))),
            True,
        )
        for c in kind.columns
        if c.name != "id"
    }
    names = [name for name, rows in moved.items() if pc.any(rows).as_py()]
    tx.update_table(kind, table.select(["id", *names, FINGERPRINT]))
    if not any(d.field in names for d in kind.derived):
        return
    fields = list(dict.fromkeys(d.field for d in kind.derived))
    rows_moved = moved[fields[0]]
    for f in fields[1:]:
        rows_moved = pc.or_(rows_moved, moved[f])
    new_refs = table.select(["id", *fields]).filter(rows_moved).to_pylist()
    old_refs = old.select(fields).filter(rows_moved).to_pylist()
    before = {r["id"]: o for r, o in zip(new_refs, old_refs, strict=True)}
    _write_derived(tx, kind, [], new_refs, before)


def _targets(d: Derived, table: pa.Table) -> tuple[pa.Array, pa.Array]:
    """(row position, referenced id) for every id a derived field names."""
    col = table.column(d.field).combine_chunks()
    if pa.types.is_list(col.type):
        return pc.list_parent_indices(col), pc.list_flatten(col)
    valid = pc.indices_nonzero(pc.is_valid(col))
    return valid, pc.take(col, valid)


def _check_refs(tx: BulkTx, kind: NodeKind, good: pa.Table, report: WriteReport) -> pa.Table:
    """Drop (and report) rows that name an id which is not stored."""
    if not kind.derived or good.num_rows == 0:
        return good
    first: dict[int, tuple[str, str, str]] = {}
    for d in kind.derived:
        rows, ids = _targets(d, good)
        wanted = pc.unique(ids)
        stored_ids = tx.stored_ids(NODE_KINDS[d.other], wanted)
        if len(stored_ids) == len(wanted):
            continue  # every one is there: no need to find which rows miss one
        missing = pc.indices_nonzero(pc.invert(pc.is_in(ids, value_set=stored_ids)))
        if len(missing) == 0:
            continue
        for r, ref in zip(
            pc.take(rows, missing).to_pylist(), pc.take(ids, missing).to_pylist(), strict=True
        ):
            first.setdefault(r, (d.field, ref, d.other))
    if not first:
        return good
    ids = good.column("id").to_pylist()
    indexes = good.column("__index").to_pylist()
    name = kind.model.__name__
    for r in sorted(first):
        field, ref, target = first[r]
        report.rejected.append(
            Rejection(
                indexes[r],
                ids[r],
                field,
                f"{name} {ids[r]!r}: field {field!r}: "
                f"no {target} with id {ref!r}; write that {target} first or fix the id",
            )
        )
    keep = pa.array([i not in first for i in range(good.num_rows)])
    return good.filter(keep)


def _copy_derived(tx: BulkTx, kind: NodeKind, created: pa.Table) -> None:
    for d in kind.derived:
        rel = REL_KINDS[d.rel]
        other = NODE_KINDS[d.other]
        rows, ids = _targets(d, created)
        if len(ids) == 0:
            continue
        node_ids = pc.take(created.column("id"), rows)
        src, tgt = (kind, other) if d.outgoing else (other, kind)
        ends = (node_ids, ids) if d.outgoing else (ids, node_ids)
        cols: dict[str, Any] = {"from": ends[0], "to": ends[1]}
        # Derived relationships of kinds with properties (EMPLOYED_AT) get
        # them empty: the history is written explicitly.
        for c in rel.columns:
            cols[c.name] = pa.nulls(len(ids), arrow_type(c.kind))
        tx.copy_rels(rel, src, tgt, pa.table(cols))
