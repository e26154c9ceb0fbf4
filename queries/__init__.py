"""Every Cypher query accountgraph runs, by name.

Queries live as ``.cypher`` files: ``queries/<dialect>/<name>.cypher`` where the
LadybugDB and Neo4j dialects differ, ``queries/common/<name>.cypher`` where they
agree. Values are always ``$parameters``.

Some queries are templates over the schema (one ``upsert`` text serves every
node kind), because neither dialect can take a label as a parameter. Their
``{slots}`` are filled by :func:`render` only with identifiers from
:mod:`graph.schema` (checked against ``IDENT``) or with :class:`Fragment`\\ s built
here from such identifiers, never with user strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

DIALECTS = ("ladybug", "neo4j")
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Fragment(str):
    """Cypher text built by this module from checked identifiers."""


def ident(name: str) -> str:
    """``name`` back-quoted, after checking it is a plain identifier."""
    if not IDENT.match(name):
        raise ValueError(f"not a Cypher identifier: {name!r}")
    return f"`{name}`"


def props_map(names: Iterable[str], var: str = "r") -> Fragment:
    """``{`a`: r.`a`, `b`: r.`b`}`` for CREATE."""
    return Fragment(", ".join(f"{ident(n)}: {ident(var)}.{ident(n)}" for n in names))


def set_clause(
    names: Iterable[str], node: str = "n", var: str = "r", nulls: Iterable[str] = ()
) -> Fragment:
    """``n.`a` = r.`a`, n.`b` = NULL`` for SET (``nulls``: set to a literal NULL)."""
    parts = [f"{ident(node)}.{ident(n)} = {ident(var)}.{ident(n)}" for n in names]
    parts += [f"{ident(node)}.{ident(n)} = NULL" for n in nulls]
    return Fragment(", ".join(parts))


def returns(names: Iterable[str], node: str = "n") -> Fragment:
    """``n.`a` AS `a`, n.`b` AS `b``` for RETURN."""
    return Fragment(", ".join(f"{ident(node)}.{ident(n)} AS {ident(n)}" for n in names))


def equals_all(names: Iterable[str], node: str = "n", prefix: str = "f_") -> Fragment:
    """``n.`a` = $f_a AND ...`` for filters on known fields (``true`` when none)."""
    parts = [f"{ident(node)}.{ident(n)} = ${prefix}{n}" for n in names if IDENT.match(n)]
    return Fragment(" AND ".join(parts) or "true")


@cache
def text(dialect: str, name: str) -> str:
    """The text of a named query, dialect first, then common."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}")
    root = files(__package__)
    for folder in (dialect, "common"):
        path = root / folder / f"{name}.cypher"
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    raise KeyError(f"no query named {name!r} for {dialect}")


@cache
def render(dialect: str, name: str, **slots: str) -> str:
    """A template filled with schema identifiers and fragments."""
    for slot, value in slots.items():
        if not isinstance(value, Fragment) and not IDENT.match(value):
            raise ValueError(f"slot {slot} of {name}: {value!r} is not an identifier")
    return text(dialect, name).format(**slots)
