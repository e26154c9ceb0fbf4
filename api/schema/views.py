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


class AccountViews:
    """The shared objects of one cached account graph."""

    __slots__ = ("built", "from_readings", "readings")

    def __init__(self) -> None:
        self.built: dict[tuple[str, str], Any] = {}
        self.readings: object | None = None
        self.from_readings: dict[tuple[str, str], Any] = {}

    def get(self, kind: str, id: str, build: Callable[[], T]) -> T:
        """The object ``build()`` makes for (kind, id), built on first use."""
        key = (kind, id)
        found = self.built.get(key)
        if found is None:
            found = self.built[key] = build()
        return found

    def get_from_readings(self, readings: object, kind: str, id: str,
                          build: Callable[[], T]) -> T:
        """Like :meth:`get`, for objects made from these readings (kept while they are)."""
        if self.readings is not readings:
            self.from_readings = {}
            self.readings = readings
        key = (kind, id)
        found = self.from_readings.get(key)
        if found is None:
            found = self.from_readings[key] = build()
        return found


_VIEWS: WeakKeyDictionary[nx.MultiDiGraph, AccountViews] = WeakKeyDictionary()
_LOCK = threading.Lock()


def views_of(G: nx.MultiDiGraph) -> AccountViews:
    """The shared objects built from this graph (a weak-keyed look-up: once per request)."""
    found = _VIEWS.get(G)
    if found is None:
        with _LOCK:
            found = _VIEWS.setdefault(G, AccountViews())
    return found
