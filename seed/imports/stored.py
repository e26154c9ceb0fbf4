"""Merging a chunk's records into the versions the store already holds, column-wise.

The rule is ``batches.merge_update``'s (what was known first wins; empty
fields are filled; contact sources are united), applied to whole columns: on a
re-import nearly every row meets its stored self and changes nothing, and
those rows are then not written at all (they count as unchanged, as the store
would have counted them).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from graph import model as m
from seed.imports.batches import _SILO_ORDER
from seed.imports.columns import map_distinct

_LIST_SEP = "\x1e"


def _empty(col: pa.Array) -> pa.Array:
    """merge_update's "nothing known": null, or an empty string or list."""
    if pa.types.is_list(col.type):
        return pc.fill_null(pc.equal(pc.list_value_length(col), 0), True)
    if pa.types.is_string(col.type):
        return pc.fill_null(pc.equal(col, ""), True)
    return pc.is_null(col)


def _unite(key: str) -> list[str]:
    mine, theirs = key.split("|")
    silos = {m.Silo(s) for s in (*mine.split(_LIST_SEP), *theirs.split(_LIST_SEP)) if s}
    return [str(s) for s in sorted(silos, key=_SILO_ORDER.__getitem__)]


def merge_stored(new: pa.Table, stored: pa.Table) -> tuple[pa.Table, pa.Array]:
    """``new`` with each row merged into its stored version, and which rows changed.

    Rows without a stored version are returned as they are (and count as changed).
    """
    pos = pc.index_in(new.column("id").combine_chunks(), value_set=stored.column("id"))
    has = pc.is_valid(pos)
    old = stored.take(pos)  # null rows where nothing is stored
    changed = pc.invert(has)
    columns: dict[str, Any] = {}
    for name in new.column_names:
        theirs = new.column(name).combine_chunks()
        if name == "id" or name not in old.column_names:
            columns[name] = theirs
            continue
        mine = old.column(name).combine_chunks().cast(theirs.type)
        if name == "sources":
            key = pc.binary_join_element_wise(
                pc.fill_null(pc.binary_join(mine, _LIST_SEP), ""),
                pc.fill_null(pc.binary_join(theirs, _LIST_SEP), ""), "|",
            )
            key = pc.if_else(has, key, pa.scalar(None, pa.string()))
            united, _ = map_distinct(_unite, key, theirs.type)
            moved = pc.not_equal(pc.binary_join(united, _LIST_SEP),
                                 pc.fill_null(pc.binary_join(mine, _LIST_SEP), ""))
            changed = pc.or_(changed, pc.fill_null(pc.and_(has, moved), False))
            columns[name] = pc.if_else(has, united, theirs)
            continue
        fill = pc.and_(pc.and_(has, _empty(mine)), pc.invert(_empty(theirs)))
        changed = pc.or_(changed, fill)
        columns[name] = pc.if_else(pc.and_(has, pc.invert(fill)), mine, theirs)
    return pa.table(columns, schema=new.schema), changed
