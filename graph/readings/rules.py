"""The reading rules: numbers and keyword lists every reading uses, loaded from TOML.

The defaults ship in ``graph/readings/rules/default.toml``. A team copies that file,
changes what it sees differently and points ``ACCOUNTGRAPH_RULES_FILE`` (or
``Settings.rules_file``) at the copy; a copy only needs the sections it changes, the
rest is taken from the defaults (tables are merged key by key, lists replaced).
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from graph.errors import ConfigError
from graph.model import Outcome, TouchpointKind
from graph.readings.titles import title_words

DEFAULT_RULES_FILE = Path(__file__).parent / "rules" / "default.toml"

UNENGAGED = "unengaged"


@dataclass(frozen=True)
class CategoryRule:
    """How one contact category is recognised."""

    name: str
    label: str
    touchpoints: dict[str, float] = field(default_factory=dict)
    opportunities: dict[str, float] = field(default_factory=dict)
    titles: tuple[str, ...] = ()
    seniorities: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    title_phrases: tuple[tuple[str, ...], ...] = ()  # ``titles`` cleaned like title words
    aliases: tuple[str, ...] = ()  # other names of the category in entered roles


@dataclass(frozen=True)
class Rules:
    """Every tunable number of the readings (see ``default.toml`` for meanings)."""

    source: str
    raw: dict[str, Any]
    categories: dict[str, CategoryRule]
    priors: Any = None  # graph.readings.priors.Priors estimated from a database, or None

    def section(self, name: str) -> dict[str, Any]:
        """One top-level table of the rules, e.g. ``rules.section("status")``."""
        value = self.raw.get(name, {})
        return value if isinstance(value, dict) else {}

    @property
    def category_names(self) -> list[str]:
        return list(self.categories)

    @cached_property
    def category_order(self) -> dict[str, int]:
        """Category -> its position in the rules (ties between categories break on it)."""
        return {name: i for i, name in enumerate(self.categories)}

    @cached_property
    def title_memo(self) -> dict[Any, Any]:
        """Title evidence by contact profile (function, level, title), filled as read."""
        return {}

    @cached_property
    def role_names(self) -> dict[str, str]:
        """Entered role (case-folded) -> category: names, labels and ``aliases``."""
        out: dict[str, str] = {}
        for name, rule in self.categories.items():
            if name == UNENGAGED:
                continue
            for spelling in (name, name.replace("_", " "), rule.label, *rule.aliases):
                out.setdefault(spelling.strip().casefold(), name)
        return out

    @cached_property
    def digest(self) -> str:
        """A short hash of the rules' content: what a cache of derived weights keys on."""
        import hashlib
        import json

        text = json.dumps(self.raw, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @cached_property
    def active_priors(self) -> Any:
        """The signal weights classification uses: the database's when attached
        (:meth:`with_priors`), else the rules file's own (:func:`priors.rules_priors`)."""
        if self.priors is not None:
            return self.priors
        from graph.readings.priors import rules_priors

        return rules_priors(self)

    def with_priors(self, priors: Any) -> Rules:
        """These rules with signal weights estimated from a database attached."""
        return dataclasses.replace(self, priors=priors)


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(
            f"rules file {path} does not exist: fix ACCOUNTGRAPH_RULES_FILE or copy "
            f"{DEFAULT_RULES_FILE} there"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"rules file {path}: {exc}") from None


def _strs(path: str, where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"rules file {path}: {where} must be a list of strings")
    return tuple(value)


def _weights(path: str, where: str, value: Any, allowed: set[str]) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"rules file {path}: {where} must be a table of name = number")
    out: dict[str, float] = {}
    for k, v in value.items():
        if k not in allowed:
            raise ConfigError(
                f"rules file {path}: {where}.{k}: unknown name; expected one of "
                f"{', '.join(sorted(allowed))}"
            )
        if not isinstance(v, int | float) or v < 0:
            raise ConfigError(f"rules file {path}: {where}.{k} must be a number >= 0")
        out[k] = float(v)
    return out


def _category(path: str, name: str, data: Mapping[str, Any]) -> CategoryRule:
    where = f"[categories.{name}]"
    titles = _strs(path, f"{where} titles", data.get("titles", []))
    return CategoryRule(
        name=name,
        label=str(data.get("label", name)),
        title_phrases=tuple(p for p in (title_words(t) for t in titles) if p),
        aliases=_strs(path, f"{where} aliases", data.get("aliases", [])),
        touchpoints=_weights(
            path, f"{where} touchpoints", data.get("touchpoints", {}), set(TouchpointKind)
        ),
        opportunities=_weights(
            path,
            f"{where} opportunities",
            data.get("opportunities", {}),
            {"closed_won", "closed_lost", "any"},
        ),
        titles=titles,
        seniorities=_strs(path, f"{where} seniorities", data.get("seniorities", [])),
        departments=_strs(path, f"{where} departments", data.get("departments", [])),
        sources=_strs(path, f"{where} sources", data.get("sources", [])),
    )


def parse_rules(data: Mapping[str, Any], *, source: str = "<rules>") -> Rules:
    """Build :class:`Rules` from a TOML table merged over the defaults.

    Raises
    ------
    ConfigError
        Naming the file and the table or key that is wrong.
    """
    raw = _merge(_read(DEFAULT_RULES_FILE), data)
    cats = raw.get("categories", {})
    if not isinstance(cats, Mapping) or not cats:
        raise ConfigError(f"rules file {source}: [categories] must define at least one category")
    categories = {name: _category(source, name, c) for name, c in cats.items()}
    if UNENGAGED not in categories:
        categories[UNENGAGED] = CategoryRule(UNENGAGED, "Unengaged (no interactions)")
    fallback = raw.get("classification", {}).get("fallback")
    if fallback not in categories:
        raise ConfigError(
            f"rules file {source}: [classification] fallback = {fallback!r} is not a category; "
            f"use one of {', '.join(categories)}"
        )
    outcomes = raw.get("strength", {}).get("outcome", {})
    _weights(source, "[strength.outcome]", outcomes, {*map(str, Outcome), "unknown"})
    _weights(
        source,
        "[strength.kind_weights]",
        raw.get("strength", {}).get("kind_weights", {}),
        set(TouchpointKind),
    )
    return Rules(source=source, raw=raw, categories=categories)


@lru_cache(maxsize=8)
def load_rules(path: Path | str | None = None) -> Rules:
    """The rules in ``path`` merged over the shipped defaults (the defaults alone for None).

    Examples
    --------
    >>> rules = load_rules()
    >>> rules.section("strength")["scale"]
    5.0
    """
    if path is None:
        return parse_rules({}, source=str(DEFAULT_RULES_FILE))
    p = Path(path)
    return parse_rules(_read(p), source=str(p))


def resolve(rules: Rules | Path | str | None) -> Rules:
    """Accept rules, a path to a rules file, or None for the defaults."""
    return rules if isinstance(rules, Rules) else load_rules(rules)
