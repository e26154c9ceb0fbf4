"""GraphQL objects built once per cached account graph and shared by later requests.

The account view asks for the same 100 contacts, their categories and their
company on every request; building those objects again each time (enum
conversion, list copies, a dict copy of the company) was a fifth of our own cost
per request. The objects are keyed by the cached graph they were built from (and,
for objects made from readings, by the readings object), so when a write drops an
account from :class:`api.cache.AccountCache` its objects go with the old graph:
nothing here needs invalidating on its own.

Shared objects are never modified after they are built: resolvers only read them.
Nothing viewer-specific (personal values, redaction) may be kept here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import networkx as nx

T = TypeVar("T")


class _Views:
    __slots__ = ("built", "from_readings", "readings")

    def __init__(self) -> None:
        self.built: dict[tuple[str, str], Any] = {}
        self.readings: object | None = None
        self.from_readings: dict[tuple[str, str], Any] = {}


_VIEWS: WeakKeyDictionary[nx.MultiDiGraph, _Views] = WeakKeyDictionary()
_LOCK = threading.Lock()


def _views(G: nx.MultiDiGraph) -> _Views:
    found = _VIEWS.get(G)
    if found is None:
        with _LOCK:
            found = _VIEWS.setdefault(G, _Views())
    return found


def built(G: nx.MultiDiGraph, kind: str, id: str, build: Callable[[], T]) -> T:
    """The object ``build()`` makes for (kind, id) of this graph, built on first use."""
    views = _views(G)
    key = (kind, id)
    found = views.built.get(key)
    if found is None:
        found = views.built[key] = build()
    return found


def built_from_readings(
    G: nx.MultiDiGraph, readings: object, kind: str, id: str, build: Callable[[], T]
) -> T:
    """Like :func:`built`, for objects made from this graph's readings (kept while those are)."""
    views = _views(G)
    if views.readings is not readings:
        views.from_readings = {}
        views.readings = readings
    key = (kind, id)
    found = views.from_readings.get(key)
    if found is None:
        found = views.from_readings[key] = build()
    return found
