"""Mapping files: how a foreign export's columns and values become our fields.

A mapping file (TOML or YAML) has a ``source`` name (the namespace of the
export's own ids, e.g. ``salesforce``) and one table per kind of file it can
read (``companies``, ``contacts``, ``touchpoints``, ``profile_items``,
``opportunities``, ``deal_roles``, ``users``). Each table maps one of our fields to a rule::

    source = "acme-crm"

    [contacts]
    name = { columns = ["First Name", "Last Name"], join = " " }
    email = "E-mail"                      # one column
    company_id = ["Account ID", "AcctId"]  # the first of these that has a value
    seniority = { column = "Level", values = { "Chief" = "C-level" }, other = "Manager" }

    [touchpoints]
    type = { column = "ACTIVITY_TYPE", values = { Mailer = "direct_mail" } }
    at = { column = "Date", format = "%m/%d/%Y" }

Rule keys: ``column``/``columns`` (first non-empty, or all joined with
``join``), ``values`` (foreign value -> ours, case-insensitive), ``other``
(what an unlisted value becomes; without it an unlisted value passes through
and must be one of ours), ``default`` (when empty), ``value`` (a constant),
``format`` (strptime format of a date), ``split`` (separator of a list of
ids), ``bands`` (``[[upper, label], ...]`` turning a number into a band).
See docs/import.md for the fields of each kind.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graph.errors import ImportFailed

#: file kind (CLI spelling) -> node kind (schema spelling)
FILE_KINDS: dict[str, str] = {
    "users": "user",
    "companies": "company",
    "contacts": "contact",
    "profile_items": "profile_item",
    "opportunities": "opportunity",
    "deal_roles": "deal_role",
    "touchpoints": "touchpoint",
}

_COMPANY_REFS = ("company_id", "company_domain", "company_name")

#: the fields a mapping may fill, per file kind (model fields plus references)
FIELDS: dict[str, tuple[str, ...]] = {
    "users": ("id", "name", "email", "role", "access", "active"),
    "companies": (
        "id", "name", "domain", "industry", "size_band", "revenue_band", "region",
        "lifecycle", "target",
    ),
    "contacts": (
        "id", *_COMPANY_REFS, "name", "email", "phone", "title", "seniority", "status",
        "department", "silo", "buying_roles", "role_entered_by", "role_entered_at",
        "role_source",
    ),
    "profile_items": (
        "id", "contact_id", "key", "value", "visibility", "entered_by", "entered_at",
    ),
    "opportunities": (
        "id", *_COMPANY_REFS, "name", "amount", "stage", "close_date", "contact_ids",
    ),
    "deal_roles": ("id", "opportunity_id", "contact_id", "role", "is_primary"),
    "touchpoints": (
        "id", *_COMPANY_REFS, "type", "at", "direction", "outcome", "campaign", "subject",
        "contact_ids", "user_ids",
    ),
}

_RULE_KEYS = frozenset(
    {"column", "columns", "join", "values", "other", "default", "value", "format", "split",
     "bands", "normalise"}
)


def _normaliser(kind: str, target: str) -> Callable[[str], str] | None:
    from seed.imports.firmographics import NORMALISERS

    return NORMALISERS.get(target) if kind == "companies" else None

MAPPINGS_DIR = Path(__file__).with_name("mappings")

Row = Sequence[str] | Mapping[str, Any]
Getter = Callable[[Any], Any]


@dataclass(frozen=True)
class FieldRule:
    """How one of our fields is read from a foreign row."""

    target: str
    columns: tuple[str, ...] = ()
    join: str | None = None
    values: Mapping[str, str] = field(default_factory=dict)  # keys case-folded
    other: str | None = None
    default: str | None = None
    constant: str | None = None
    format: str | None = None
    split: str | None = None
    bands: tuple[tuple[float, str], ...] = ()
    # Puts a value the mapping's own tables leave alone in our words (a country to its
    # region, another system's band to ours: seed/imports/firmographics.py).
    normalise: Callable[[str], str] | None = None

    @property
    def translates(self) -> bool:
        """Whether a read value goes through :meth:`translate`."""
        return bool(self.values or self.bands or self.normalise)

    def translate(self, raw: str) -> str:
        """A foreign value in our words (value map, bands, normaliser, ``other``); each
        value of a ``split`` list on its own ("Decision Maker;Champion"). The mapping's
        value map and its bands (for a number) come first: they override the normaliser."""
        if self.split and self.values and self.split in raw:
            return self.split.join(self.translate(part.strip()) for part in raw.split(self.split)
                                   if part.strip())
        if self.values:
            mapped = self.values.get(raw.casefold())
            if mapped is not None:
                return mapped
        if self.bands:
            banded = _band(raw, self.bands)
            if banded is not None:
                # A number put in the mapping's own bands: their labels are the
                # mapping author's choice, an override like the value map.
                return banded
        if self.normalise:
            return self.normalise(raw)
        if self.values and self.other is not None:
            return self.other
        return raw


def _band(raw: str, bands: tuple[tuple[float, str], ...]) -> str | None:
    """The band a number falls in; None for a value that is not a number (normalised
    as text, or left for the type check to reject with its reason)."""
    try:
        number = float(raw.replace(",", ""))
    except ValueError:
        return None
    for upper, label in bands:
        if number <= upper:
            return label
    return bands[-1][1]


@dataclass(frozen=True)
class KindMapping:
    """The rules of one kind of file."""

    kind: str  # file kind, e.g. "contacts"
    rules: Mapping[str, FieldRule]

    def columns(self) -> set[str]:
        return {c for r in self.rules.values() for c in r.columns}


# Profile keys a person holds several values of at once (schools, charities...). Any
# other key holds one value at a time, so an item without an id of its own is the
# contact's item for that key: a new value replaces the old one ("seniority: manager"
# then "director" leaves "director"), rather than both standing. A mapping may give its
# own list (top-level ``multi_valued_keys``).
MULTI_VALUED_KEYS = frozenset({
    "school", "schools", "education", "degree", "charity", "charities", "sport", "sports",
    "hobby", "hobbies", "interest", "interests", "values", "value", "language", "languages",
    "certification", "certifications", "award", "awards", "note", "notes", "membership",
    "memberships", "club", "clubs",
})


@dataclass(frozen=True)
class ImportMapping:
    """A whole mapping file."""

    source: str  # namespace of the export's ids; "" keeps ids as they are
    kinds: Mapping[str, KindMapping]
    origin: str = "(built in)"
    multi_valued_keys: frozenset[str] = MULTI_VALUED_KEYS

    def for_kind(self, kind: str) -> KindMapping:
        try:
            return self.kinds[kind]
        except KeyError:
            raise ImportFailed(
                f"mapping {self.origin} has no [{kind}] table; it maps "
                f"{', '.join(self.kinds) or 'nothing'}. Add a [{kind}] table or pick "
                "another --mapping"
            ) from None


def native_mapping() -> ImportMapping:
    """Files that already use our field names: every field read from its own column."""
    # In our own files list fields are ";"-separated.
    lists = ("contact_ids", "user_ids")
    kinds = {
        kind: KindMapping(
            kind, {f: FieldRule(f, (f,), split=";" if f in lists else None,
                                normalise=_normaliser(kind, f)) for f in fields}
        )
        for kind, fields in FIELDS.items()
    }
    return ImportMapping(source="", kinds=kinds, origin="(native: our own column names)")


def load_mapping(spec: str | Path | None) -> ImportMapping:
    """Load a mapping by path, or by the name of a shipped one (``salesforce``)."""
    if spec is None:
        return native_mapping()
    path = Path(spec)
    if not path.exists() and not path.suffix:
        shipped = MAPPINGS_DIR / f"{spec}.toml"
        if shipped.exists():
            path = shipped
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in MAPPINGS_DIR.glob("*.toml")))
        raise ImportFailed(f"mapping {spec}: no such file (shipped mappings: {known})")
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        else:
            data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"mapping {path}: cannot be read: {exc}") from None
    return parse_mapping(data, origin=str(path))


def parse_mapping(data: Any, *, origin: str = "(inline)") -> ImportMapping:
    """Check and build a mapping from its parsed TOML/YAML document."""
    if not isinstance(data, dict):
        raise ImportFailed(f"mapping {origin}: expected a table of kinds at the top")
    source = str(data.get("source", ""))
    multi = data.get("multi_valued_keys", sorted(MULTI_VALUED_KEYS))
    if not isinstance(multi, list) or not all(isinstance(k, str) for k in multi):
        raise ImportFailed(f"mapping {origin}: multi_valued_keys must be a list of profile keys")
    kinds: dict[str, KindMapping] = {}
    for key, table in data.items():
        if key in ("source", "description", "multi_valued_keys"):
            continue
        if key not in FIELDS:
            raise ImportFailed(
                f"mapping {origin}: unknown kind [{key}]; kinds are {', '.join(FIELDS)}"
            )
        if not isinstance(table, dict):
            raise ImportFailed(f"mapping {origin}: [{key}] must be a table of field = rule")
        rules: dict[str, FieldRule] = {}
        for target, spec in table.items():
            if target not in FIELDS[key]:
                raise ImportFailed(
                    f"mapping {origin}: [{key}] field {target!r} is not one of ours; "
                    f"fields of {key}: {', '.join(FIELDS[key])}"
                )
            rules[target] = _rule(target, spec, f"{origin}: [{key}] {target}")
            if not (isinstance(spec, dict) and spec.get("normalise") is False):
                rules[target] = dataclasses.replace(rules[target],
                                                    normalise=_normaliser(key, target))
        kinds[key] = KindMapping(key, rules)
    return ImportMapping(source=source, kinds=kinds, origin=origin,
                         multi_valued_keys=frozenset(k.casefold() for k in multi))


def _rule(target: str, spec: Any, where: str) -> FieldRule:
    if isinstance(spec, str):
        return FieldRule(target, (spec,))
    if isinstance(spec, list) and all(isinstance(c, str) for c in spec):
        return FieldRule(target, tuple(spec))
    if not isinstance(spec, dict):
        raise ImportFailed(f"mapping {where}: expected a column name, a list or a table")
    unknown = set(spec) - _RULE_KEYS
    if unknown:
        raise ImportFailed(
            f"mapping {where}: unknown key {sorted(unknown)[0]!r}; keys are "
            f"{', '.join(sorted(_RULE_KEYS))}"
        )
    columns: Any = spec.get("columns") or spec.get("column") or ()
    if isinstance(columns, str):
        columns = (columns,)
    if not columns and "value" not in spec:
        raise ImportFailed(f"mapping {where}: give a column, columns or a constant value")
    values = spec.get("values", {})
    if not isinstance(values, dict):
        raise ImportFailed(f"mapping {where}: values must be a table of foreign = ours")
    bands = spec.get("bands", ())
    try:
        band_pairs = tuple((float(u), str(label)) for u, label in bands)
    except (TypeError, ValueError):
        raise ImportFailed(f"mapping {where}: bands must be [[upper, label], ...]") from None

    def opt(name: str) -> str | None:
        return None if spec.get(name) is None else str(spec[name])

    return FieldRule(
        target,
        tuple(str(c) for c in columns),
        join=opt("join"),
        values={str(k).casefold(): str(v) for k, v in values.items()},
        other=opt("other"),
        default=opt("default"),
        constant=opt("value"),
        format=opt("format"),
        split=opt("split"),
        bands=band_pairs,
    )
