"""Entered roles the readings cannot place: listed after an import, never refused.

A CRM's role picklists differ from team to team ("Influencer", "Blocker", "Legal and
compliance"). Such a value is kept as entered (a team can add it to a category's
``aliases`` in its rules file, or to the mapping's ``values``, and read it next time)
and the import summary says which values were not placed, and on how many rows.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from graph.readings.rules import Rules, load_rules
from graph.readings.signals import category_of

#: node kind -> the field holding entered roles
ROLE_FIELDS = {"contact": "buying_roles", "deal_role": "role"}


def unplaced_roles(kind: str, items: Any, rules: Rules | None = None) -> Counter[str]:
    """Entered role values among ``items`` (nodes or a table) that name no category."""
    field = ROLE_FIELDS.get(kind)
    out: Counter[str] = Counter()
    if field is None:
        return out
    r = rules or load_rules()
    if isinstance(items, pa.Table):
        if field not in items.column_names or not items.num_rows:
            return out
        col = items.column(field)
        values = pc.list_flatten(col) if pa.types.is_list(col.type) else col
        found = pc.value_counts(values.drop_null() if hasattr(values, "drop_null") else values)
        pairs: list[tuple[Any, Any]] = list(zip(
            found.field("values").to_pylist(), found.field("counts").to_pylist(), strict=True))
    else:
        seen: Counter[str] = Counter()
        for node in items:
            value = getattr(node, field, None)
            for v in value if isinstance(value, list) else [value]:
                if v:
                    seen[str(v)] += 1
        pairs = list(seen.items())
    for value, n in pairs:
        if value and category_of(str(value), r) is None:
            out[str(value)] += int(n)
    return out
