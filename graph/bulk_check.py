"""Validation of a whole Arrow table at once, the way the pydantic models judge rows.

:mod:`graph.bulk` writes tables without building a model per row; this module
decides which rows the model would refuse and names the same field (``id``,
``email``, ``contact_ids.2``...) with an equivalent reason, using Arrow compute
kernels instead of a Python call per value.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from pydantic.fields import FieldInfo

from graph.digest import arrow_type, schema_of
from graph.errors import ValidationError
from graph.model import _PATTERN_MESSAGES, EMAIL_PATTERN, ID_PATTERN
from graph.schema import Column, NodeKind
from graph.store import Rejection

# Arrow's regexes are RE2, whose \s is ASCII only; pydantic-core's (Rust) is
# Unicode White_Space. Spell that set out so both refuse the same addresses.
_RE2_SPACE = r"\s\x{0b}\x{85}\p{Z}"
_RE2 = {ID_PATTERN: ID_PATTERN, EMAIL_PATTERN: EMAIL_PATTERN.replace(r"\s", _RE2_SPACE)}
_TYPE_WORDS = {
    "STRING": "a valid string",
    "INT64": "a valid integer",
    "DOUBLE": "a valid number",
    "BOOLEAN": "a valid boolean",
    "DATE": "a valid date",
    "TIMESTAMP": "a valid datetime",
    "STRING[]": "a valid list",
}


@dataclass
class Checked:
    """A table made model-shaped, and what its rows failed."""

    table: pa.Table  # the kind's columns in order, store types, values normalised
    bad: pa.Array  # bool per row: refused
    rejections: list[Rejection]


def _enum_of(annotation: Any) -> type[Enum] | None:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation
    for arg in typing.get_args(annotation):
        inner = _enum_of(arg)
        if inner is not None:
            return inner
    return None


def _metadata(info: FieldInfo) -> list[Any]:
    meta = list(info.metadata)
    for arg in typing.get_args(info.annotation):
        meta += list(getattr(arg, "__metadata__", ()))
        for inner in typing.get_args(arg):
            meta += list(getattr(inner, "__metadata__", ()))
    return meta


def _pattern(info: FieldInfo) -> str | None:
    for m in _metadata(info):
        if getattr(m, "pattern", None):
            return str(m.pattern)
    return None


def _bound(info: FieldInfo, name: str) -> Any:
    for m in _metadata(info):
        if getattr(m, name, None) is not None:
            return getattr(m, name)
    return None


def _enum_message(enum: type[Enum]) -> str:
    values = [repr(str(e.value)) for e in enum]
    listed = values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]
    return f"Input should be {listed}"


@cache
def defaulted_fields(kind: NodeKind) -> frozenset[str]:
    """Fields with a default other than None: an empty cell there takes the default.

    Cached: pydantic builds cyclic garbage each time it is asked, and this is
    asked once per row on the row path while the importer has the cycle
    collector off (100,000 touchpoints held 11 GB).
    """
    return frozenset(
        name
        for name, info in kind.model.model_fields.items()
        if not info.is_required() and info.get_default(call_default_factory=True) is not None
    )


def without_defaulted_nulls(kind: NodeKind, row: dict[str, Any]) -> dict[str, Any]:
    """A table row as the model should see it: empty defaulted cells left out."""
    defaulted = defaulted_fields(kind)
    return {k: v for k, v in row.items() if not (v is None and k in defaulted)}


def check_columns(kind: NodeKind, table: pa.Table) -> None:
    """Refuse a table with columns the kind does not have, naming them."""
    known = {c.name for c in kind.columns}
    unknown = [n for n in table.column_names if n not in known]
    if unknown:
        raise ValidationError(
            f"{kind.model.__name__} table: unknown column(s) {', '.join(map(repr, unknown))}; "
            f"{kind.name} columns are {', '.join(sorted(known))}",
            field=unknown[0],
        )


def _coerce(kind: NodeKind, c: Column, col: pa.ChunkedArray) -> pa.ChunkedArray:
    target = arrow_type(c.kind)
    if pa.types.is_timestamp(col.type) and col.type.tz is not None:
        # An aware time becomes UTC without a zone, as the store keeps it.
        col = pc.cast(col, pa.timestamp("us", tz="UTC"))
    if pa.types.is_dictionary(col.type):
        col = pc.cast(col, col.type.value_type)
    if col.type == target:
        return col
    try:
        return pc.cast(col, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ValidationError(
            f"{kind.model.__name__} table: column {c.name!r} is {col.type}, which does not "
            f"convert to {target} ({exc}); give it as {target}",
            field=c.name,
        ) from None


def _default_column(info: FieldInfo, c: Column, n: int) -> pa.Array:
    value = info.get_default(call_default_factory=True)
    if isinstance(value, Enum):
        value = value.value
    return pa.array([value] * n, type=arrow_type(c.kind))


def check(kind: NodeKind, table: pa.Table, offset: int = 0) -> Checked:
    """Normalise ``table`` as the model would and find the rows it refuses."""
    check_columns(kind, table)
    n = table.num_rows
    if n == 0:
        # Nothing to refuse (an import chunk whose every row failed earlier);
        # the per-column checks type their masks from the values.
        return Checked(schema_of(kind.columns).empty_table(), pa.array([], pa.bool_()), [])
    fields = kind.model.model_fields
    raw_ids = table.column("id").to_pylist() if "id" in table.column_names else [None] * n
    columns: dict[str, Any] = {}
    # Per field: a bool array "refused" and a function giving the reason for row i.
    problems: list[tuple[str, pa.Array, Any]] = []
    for c in kind.columns:
        info = fields[c.name]
        if c.name not in table.column_names:
            if info.is_required():
                columns[c.name] = pa.nulls(n, arrow_type(c.kind))
                problems.append(
                    (c.name, pa.array([True] * n), lambda i, f=c.name: (f, "Field required"))
                )
            else:
                columns[c.name] = _default_column(info, c, n)
            continue
        col = _coerce(kind, c, table.column(c.name)).combine_chunks()
        if c.name in defaulted_fields(kind):
            # An empty cell of a field with a default means "not given", as a
            # missing key does to the model (see without_defaulted_nulls).
            col = pc.coalesce(col, _default_column(info, c, 1)[0])
        col, field_problems = _check_field(c, info, col)
        columns[c.name] = col
        problems += field_problems
    out = pa.table({c.name: columns[c.name] for c in kind.columns}).cast(
        pa.schema([(c.name, arrow_type(c.kind)) for c in kind.columns])
    )
    bad = pa.array([False] * n)
    first: list[int] = [-1] * n
    reasons: dict[int, tuple[str, Any]] = {}
    for _field, mask, _ in problems:
        bad = pc.or_(bad, pc.fill_null(mask, False))
    if n and pc.any(bad).as_py():
        for p, (field, mask, reason) in enumerate(problems):
            for i in pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist():
                if first[i] == -1:
                    first[i] = p
                    reasons[i] = (field, reason)
    name = kind.model.__name__
    rejections = []
    for i in sorted(reasons):
        field, reason = reasons[i]
        field_name, msg = reason(i)
        item = str(raw_ids[i]) if raw_ids[i] is not None else None
        where = f"{name} {item!r}" if item else name
        rejections.append(
            Rejection(offset + i, item, field_name, f"{where}: field {field_name!r}: {msg}")
        )
    return Checked(out, bad, rejections)


def _check_field(
    c: Column, info: FieldInfo, col: pa.Array
) -> tuple[pa.Array, list[tuple[str, pa.Array, Any]]]:
    """One column normalised, and its refused rows with their reasons."""
    problems: list[tuple[str, pa.Array, Any]] = []
    optional = not info.is_required() and info.default is None
    enum = _enum_of(info.annotation)
    pattern = _pattern(info)
    name = c.name

    def fixed(msg: str) -> Any:
        return lambda i: (name, msg)

    if c.kind == "STRING[]":
        problems.append((name, pc.is_null(col), fixed("Input should be a valid list")))
        flat = pc.list_flatten(col)
        parents = pc.list_parent_indices(col)
        starts = pc.take(col.offsets, parents)
        pos = pc.subtract(pa.array(range(len(flat)), pa.int64()), pc.cast(starts, pa.int64()))
        if enum is None:
            flat = _strip(flat)
            col = pa.ListArray.from_arrays(col.offsets, flat, mask=pc.is_null(col))
        item_bad, check_msg = _scalar_checks(flat, enum, pattern, info)
        item_bad = pc.or_(pc.is_null(flat), pc.fill_null(item_bad, False))

        def item_msg(v: Any) -> str:
            return "Input should be a valid string" if v is None else str(check_msg(v))

        bad_items = pc.indices_nonzero(item_bad).to_pylist()
        row_bad = [False] * len(col)
        where: dict[int, tuple[str, str]] = {}
        par = parents.to_pylist() if bad_items else []
        positions = pos.to_pylist() if bad_items else []
        values = flat.to_pylist() if bad_items else []
        for j in bad_items:
            row = par[j]
            if not row_bad[row]:
                row_bad[row] = True
                where[row] = (f"{name}.{positions[j]}", item_msg(values[j]))
        problems.append((name, pa.array(row_bad), lambda i: where[i]))
        return col, problems
    if c.kind == "STRING" and enum is None:
        col = _strip(col)
        if name == "domain":
            col = _domain(col)
    if pattern == EMAIL_PATTERN:
        col = pc.utf8_lower(col)
    if not optional:
        msg = _enum_message(enum) if enum is not None else f"Input should be {_TYPE_WORDS[c.kind]}"
        problems.append((name, pc.is_null(col), fixed(msg)))
    bad, message = _scalar_checks(col, enum, pattern, info)
    values = col.to_pylist() if pc.any(pc.fill_null(bad, False)).as_py() else []
    problems.append((name, pc.fill_null(bad, False), lambda i: (name, message(values[i]))))
    return col, problems


def _scalar_checks(
    col: pa.Array, enum: type[Enum] | None, pattern: str | None, info: FieldInfo
) -> tuple[pa.Array, Any]:
    """Null-safe refusal mask over values, and the reason for one refused value."""
    if enum is not None:
        allowed = pa.array([str(e.value) for e in enum])
        msg = _enum_message(enum)
        bad = pc.and_(pc.is_valid(col), pc.invert(pc.is_in(col, value_set=allowed)))
        return bad, lambda v: msg
    if pattern is not None:
        ok = pc.match_substring_regex(col, _RE2[pattern])
        text = _PATTERN_MESSAGES[pattern]
        return pc.fill_null(pc.invert(ok), False), lambda v: text.format(input=v)
    min_length = _bound(info, "min_length")
    if min_length is not None:
        bad = pc.fill_null(pc.less(pc.utf8_length(col), min_length), False)
        unit = "character" if min_length == 1 else "characters"
        return bad, lambda v: f"String should have at least {min_length} {unit}"
    ge = _bound(info, "ge")
    if ge is not None:
        bad = pc.fill_null(pc.invert(pc.greater_equal(col, ge)), False)
        return bad, lambda v: f"Input should be greater than or equal to {ge}"
    return pa.array([False] * len(col), pa.bool_()), lambda v: ""  # typed even when empty


# What pydantic's str_strip_whitespace strips (Unicode White_Space). Arrow's
# utf8_trim_whitespace, like Python's str.strip, also strips \x1c-\x1f, so a
# name of "\x1f" was refused here and accepted by the model.
_WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)


def _strip(col: pa.Array) -> pa.Array:
    return pc.utf8_trim(col, characters=_WHITE_SPACE)


def _domain(col: pa.Array) -> pa.Array:
    """graph.model.normalise_domain over a column; empty input becomes null."""
    empty = pc.equal(col, "")
    out = pc.utf8_trim_whitespace(pc.utf8_lower(col))
    out = pc.replace_substring_regex(out, r"^[a-z]+://", "")
    out = pc.replace_substring_regex(out, r"(?s)/.*$", "")
    out = pc.replace_substring_regex(out, r"(?s)^.*@", "")
    out = pc.replace_substring_regex(out, r"^www\.", "")
    return pc.if_else(empty, pa.scalar(None, pa.string()), out)
