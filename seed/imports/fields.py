"""Reading one row: foreign columns -> our field values, typed and checked.

:class:`RowReader` is compiled once per file (column positions looked up in
the header once) and then applied to every row. A value that cannot become
what the field needs raises :class:`RowError` naming the field and why; the
runner sends that row to the rejects file and carries on.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import Enum
from functools import lru_cache
from typing import Any

from graph import model as m
from graph.errors import ImportFailed
from seed.imports.mapping import FILE_KINDS, FieldRule, KindMapping
from seed.imports.readers import Row, Source

#: what a row must give, per kind; (a, b) means one of a or b
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "users": (("name",),),
    "companies": (("name",),),
    "contacts": (("name",), ("company_id", "company_domain", "company_name")),
    "profile_items": (("contact_id",), ("key",), ("value",)),
    "opportunities": (("company_id", "company_domain", "company_name", "contact_ids"),),
    "deal_roles": (("opportunity_id",), ("contact_id",)),
    "touchpoints": (
        ("type",), ("at",), ("company_id", "company_domain", "company_name", "contact_ids"),
    ),
}

# Fields that are not model fields of the kind, and their type.
_EXTRA_TYPES: dict[str, Any] = {
    "company_domain": str,
    "company_name": str,
    "department": m.Function,
    "silo": m.Silo,
}

_MODEL = {fk: m_ for fk, m_ in (
    ("users", m.User), ("companies", m.Company), ("contacts", m.Contact),
    ("profile_items", m.ProfileItem), ("opportunities", m.Opportunity),
    ("deal_roles", m.DealRole), ("touchpoints", m.Touchpoint),
)}
assert set(_MODEL) == set(FILE_KINDS)

_MONEY = re.compile(r"[^\d.\-eE]")
_TRUE = frozenset({"true", "yes", "y", "1", "t", "x"})
_FALSE = frozenset({"false", "no", "n", "0", "f", ""})


class RowError(Exception):
    """One row cannot be imported: which field and why."""

    def __init__(self, field: str | None, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


class UnknownValue(RowError):
    """An optional field's value we do not know: the row is imported with it empty (warned)."""

    def __init__(self, field: str, reason: str, raw: str):
        super().__init__(field, reason)
        self.raw = raw


# Optional enum fields whose unknown values still reject the row: a contact's silo
# decides whose list they came from (where no --silo gives it).
_NEVER_EMPTIED = frozenset({"silo"})


def is_optional(kind: str, field: str) -> bool:
    """A field a row may leave empty, where empty means "not known".

    Not required (REQUIRED, the model), and with no default in its place: a company's
    lifecycle that we cannot read must not quietly become the default "prospect".
    """
    if field in _NEVER_EMPTIED or any(field in alts for alts in REQUIRED[kind]):
        return False
    if field in _EXTRA_TYPES:
        return True
    info = _MODEL[kind].model_fields.get(field)
    return info is not None and not info.is_required() and info.default is None


def _base_type(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _base_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return _base_type(next(a for a in typing.get_args(annotation) if a is not type(None)))
    if origin is list:
        return list
    return annotation


def field_type(kind: str, field: str) -> Any:
    if field in _EXTRA_TYPES:
        return _EXTRA_TYPES[field]
    return _base_type(_MODEL[kind].model_fields[field].annotation)


def _enum_lookup(enum: type[Enum]) -> dict[str, Enum]:
    table: dict[str, Enum] = {}
    for member in enum:
        for spelling in (str(member.value), member.name, str(member.value).replace("_", " ")):
            table[spelling.casefold()] = member
    return table


@lru_cache(maxsize=1 << 16)
def parse_datetime(raw: str, fmt: str | None = None) -> datetime:
    """ISO 8601 (date or date and time), epoch seconds/milliseconds, or ``fmt``; UTC.

    Cached: exports repeat the same dates and times many times over.
    """
    raw = raw.strip()
    if fmt:
        value = datetime.strptime(raw, fmt)
    elif raw.isdigit() and len(raw) >= 9:
        number = int(raw)
        # HubSpot and most APIs give epoch milliseconds; a second count this big is year 2286+.
        value = datetime.fromtimestamp(number / 1000 if number > 10**10 else number, UTC)
    else:
        value = datetime.fromisoformat(raw.replace(" UTC", "").replace("Z", "+00:00"))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _converter(kind: str, rule: FieldRule) -> Callable[[Any], Any]:
    """A function turning the rule's raw value into the field's Python value."""
    typ = field_type(kind, rule.target)
    name = rule.target
    if isinstance(typ, type) and issubclass(typ, Enum):
        lookup = _enum_lookup(typ)
        allowed = ", ".join(str(v.value) for v in typ)
        optional = is_optional(kind, name)

        def to_enum(raw: str) -> Enum:
            try:
                return lookup[raw.strip().casefold()]
            except KeyError:
                if optional:
                    raise UnknownValue(
                        name, f"{raw!r} is not a known {name} (ours: {allowed}); imported "
                        "without it: add it to the mapping's values", raw) from None
                raise RowError(
                    name, f"{raw!r} is not a known {name} (ours: {allowed}); "
                    "add it to the mapping's values"
                ) from None

        return to_enum
    if typ is datetime or typ is date:
        fmt = rule.format
        want_date = typ is date

        def to_time(raw: str) -> datetime | date:
            try:
                value = parse_datetime(raw, fmt)
            except (ValueError, OverflowError, OSError):
                hint = f"the format {fmt!r}" if fmt else "ISO 8601 (2024-01-31 or 2024-01-31T09:30)"
                raise RowError(name, f"{raw!r} is not a date; expected {hint}") from None
            return value.date() if want_date else value

        return to_time
    if typ is float:

        def to_float(raw: str) -> float:
            try:
                return float(_MONEY.sub("", raw)) if isinstance(raw, str) else float(raw)
            except ValueError:
                raise RowError(name, f"{raw!r} is not a number") from None

        return to_float
    if typ is bool:

        def to_bool(raw: str) -> bool:
            folded = str(raw).strip().casefold()
            if folded in _TRUE:
                return True
            if folded in _FALSE:
                return False
            raise RowError(name, f"{raw!r} is not yes/no (true/false, 1/0)")

        return to_bool
    if typ is list:
        sep = rule.split

        def to_list(raw: Any) -> list[str]:
            if isinstance(raw, list):
                return [str(x).strip() for x in raw if str(x).strip()]
            parts = raw.split(sep) if sep else [raw]
            return [p.strip() for p in parts if p.strip()]

        return to_list
    return lambda raw: raw if isinstance(raw, str) else str(raw)


def _getter(rule: FieldRule, source: Source) -> Callable[[Row], Any]:
    """A function reading the rule's raw value from a row (None when empty)."""
    if rule.constant is not None:
        constant = rule.constant
        return lambda row: constant
    if source.columns is None:  # JSON Lines: rows are dicts
        cols = rule.columns

        def cell_at(row: Row, col: str) -> Any:
            return row.get(col)  # type: ignore[union-attr]

    else:
        index = {c: i for i, c in enumerate(source.columns)}
        cols = tuple(c for c in rule.columns if c in index)
        positions = {c: index[c] for c in cols}

        def cell_at(row: Row, col: str) -> Any:
            i = positions[col]
            return row[i] if i < len(row) else None  # type: ignore[index]

    join, default, translate = rule.join, rule.default, rule.translate
    needs_translate = rule.translates
    if source.columns is not None and len(cols) == 1 and join is None:
        # The common case, kept lean: it runs once per field per row. RowReader.read
        # has checked the row length, so the position is always there.
        i = positions[cols[0]]

        def get_one(row: Row) -> Any:
            value = row[i].strip()  # type: ignore[index]
            if not value:
                return default
            return translate(value) if needs_translate else value

        return get_one

    def get(row: Row) -> Any:
        value: Any = None
        if join is not None:
            parts = [str(v).strip() for c in cols if (v := cell_at(row, c)) not in (None, "")]
            value = join.join(p for p in parts if p) or None
        else:
            for c in cols:
                v = cell_at(row, c)
                if isinstance(v, str):
                    v = v.strip()
                elif v is not None and not isinstance(v, list):
                    v = str(v)  # JSON numbers and booleans: converters take text
                if v not in (None, "", []):
                    value = v
                    break
        if value is None:
            return default  # already in our words: not translated
        if needs_translate and isinstance(value, str):
            value = translate(value)
        return value

    return get


class RowReader:
    """Reads our fields out of the rows of one file, compiled against its header."""

    def __init__(self, mapping: KindMapping, source: Source):
        self.kind = mapping.kind
        self.source = source
        if source.columns is not None:
            _check_columns(mapping, source)
        present = set(source.columns or ())
        self._fields = [
            (name, _getter(rule, source), _converter(self.kind, rule))
            for name, rule in mapping.rules.items()
            # A CSV rule whose columns are all absent can only ever give its default.
            if source.columns is None or rule.constant is not None or rule.default is not None
            or set(rule.columns) & present
        ]
        self._required = REQUIRED[self.kind]
        # The last row's optional values we did not know and left empty: (field, value).
        self.emptied: list[tuple[str, str]] = []

    def read(self, row: Row) -> dict[str, Any]:
        """Our fields of one row (absent when empty); RowError on a bad value.

        An optional field's unknown value leaves the field out and is noted in
        ``emptied`` (the row is still imported).
        """
        self.emptied = []
        if self.source.columns is not None and len(row) != len(self.source.columns):
            raise RowError(
                None, f"row has {len(row)} fields but the header has {len(self.source.columns)}"
            )
        out: dict[str, Any] = {}
        for name, get, convert in self._fields:
            raw = get(row)
            if raw is not None and raw != "":
                try:
                    value = convert(raw)
                except UnknownValue as exc:
                    self.emptied.append((name, exc.raw))
                    continue
                if value is not None and value != []:
                    out[name] = value
        for alternatives in self._required:
            if out.keys().isdisjoint(alternatives):
                raise RowError(alternatives[0], f"missing required {' or '.join(alternatives)}")
        return out


def _check_columns(mapping: KindMapping, source: Source) -> None:
    header = set(source.columns or ())
    wanted = mapping.columns()
    if wanted and not wanted & header:
        raise ImportFailed(
            f"{source.path}: none of the columns the mapping reads for {mapping.kind} "
            f"({', '.join(sorted(wanted)[:6])}...) is in its header "
            f"({', '.join(source.columns or [])[:200]}); wrong --kind or --mapping?"
        )
    for alternatives in REQUIRED[mapping.kind]:
        rules = [mapping.rules[a] for a in alternatives if a in mapping.rules]
        if not rules:
            raise ImportFailed(
                f"{source.path}: the mapping gives no {' or '.join(alternatives)} for "
                f"{mapping.kind}; add one to its [{mapping.kind}] table"
            )
        if not any(r.constant is not None or set(r.columns) & header for r in rules):
            cols = sorted({c for r in rules for c in r.columns})
            raise ImportFailed(
                f"{source.path}: has no column {' or '.join(map(repr, cols))} for the "
                f"required {' or '.join(alternatives)} of {mapping.kind}"
            )

