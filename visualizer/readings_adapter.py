"""From :mod:`graph.readings` to the plain :class:`AccountReadings` the pages draw.

The one place that knows the shape of the readings facade; the page builders
only know :mod:`visualizer.inputs`.
"""

from __future__ import annotations

import logging
from typing import Any

import networkx as nx

from visualizer.inputs import AccountReadings, ContactReading, Hop, InfluencePath, KeyPerson

log = logging.getLogger("accountgraph.visualizer")


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if not isinstance(obj, dict) and hasattr(obj, name):
            return getattr(obj, name)
    return default


def _str(value: Any) -> str:
    return str(getattr(value, "value", value))


def _node(ref: Any, kind: str = "contact") -> str:
    ref = str(ref)
    return ref if ":" in ref and ref.split(":", 1)[0] in ("contact", "user") else f"{kind}:{ref}"


def adapt(G: nx.MultiDiGraph, **options: Any) -> AccountReadings:
    """Run ``graph.readings.account_readings`` and keep what the pages show."""
    from graph.readings import account_readings  # type: ignore[attr-defined]

    r = account_readings(G, **options)
    return from_result(r)


def from_result(r: Any) -> AccountReadings:
    """Translate one facade result (object or dict) into :class:`AccountReadings`."""
    categories = _get(r, "categories", "classification", default={}) or {}
    strength = _get(r, "strength", "strengths", default={}) or {}
    pairs = _get(r, "pair_strength", "pairs", "known_by", default={}) or {}
    contacts: dict[str, ContactReading] = {}
    for ref in {*categories, *strength}:
        c = categories.get(ref)
        s = strength.get(ref, 0.0)
        s = float(_get(s, "value", "strength", default=s) or 0.0)
        known = pairs.get(ref, {}) if isinstance(pairs, dict) else {}
        contacts[_node(ref)] = ContactReading(
            category=_str(_get(c, "primary", "category", default="unclassified")),
            secondary=tuple(_str(x) for x in (_get(c, "secondary", default=()) or ())),
            reasons=tuple(str(x) for x in (_get(c, "reasons", default=()) or ())),
            strength=s,
            known_by={_node(u, "user"): float(v) for u, v in dict(known).items()},
        )
    status = _get(r, "status", default=None)
    whitespace = _get(r, "whitespace", default=()) or ()
    key_people = _get(r, "key_people", default=()) or ()
    breadth = _get(r, "breadth", default=None)
    return AccountReadings(
        status=_str(_get(status, "status", "value", default=status) or "unknown"),
        status_reasons=tuple(str(x) for x in (_get(status, "reasons", default=()) or ())),
        contacts=contacts,
        whitespace=tuple(_gap_text(g) for g in _iter(whitespace)),
        key_people=tuple(
            KeyPerson(
                contact=_node(_get(k, "contact", "contact_id", "node", default=k)),
                score=float(_get(k, "score", "centrality", default=0.0) or 0.0),
                single_point_of_failure=bool(
                    _get(k, "single_point_of_failure", "spof", default=False)
                ),
                why=str(_get(k, "why", "reason", default="") or ""),
            )
            for k in _iter(key_people)
        ),
        breadth=_breadth(breadth),
    )


def _iter(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    for name in ("gaps", "items", "people"):
        inner = _get(value, name)
        if inner is not None:
            return list(inner)
    return list(value) if isinstance(value, list | tuple) else []


def _gap_text(gap: Any) -> str:
    if isinstance(gap, str):
        return gap
    parts = [_get(gap, n) for n in ("department", "category", "seniority")]
    return "No one: " + " / ".join(_str(p) for p in parts if p) if any(parts) else str(gap)


def _breadth(b: Any) -> dict[str, Any]:
    if b is None:
        return {}
    if isinstance(b, dict):
        return dict(b)
    fields = getattr(b, "__dataclass_fields__", None)
    if fields:
        return {n.replace("_", " "): getattr(b, n) for n in fields}
    return {"breadth": str(b)}


def paths_from(result: Any) -> list[InfluencePath]:
    """Influence paths from the readings' path search, best first."""
    out = []
    for p in result or ():
        hops = tuple(
            Hop(
                source=_node(_get(h, "source", "src", "u")),
                target=_node(_get(h, "target", "dst", "v")),
                strength=float(_get(h, "strength", default=0.0) or 0.0),
                evidence=str(_get(h, "evidence", default="") or ""),
            )
            for h in _get(p, "hops", default=())
        )
        out.append(InfluencePath(hops, float(_get(p, "strength", "score", default=0.0) or 0.0)))
    return out
