"""Account graphs and their readings, cached per account and dropped on writes.

The account view needs an account's whole neighbourhood and its readings; both
cost far more than serving them, and they only change when someone writes. So
each account's graph and readings are kept (LRU, bounded) until a write through
this process touches that account (:meth:`AccountCache.invalidate`). Writes made
by another process (the CLI, an import) are picked up after ``ttl`` seconds.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import networkx as nx

from api.privacy import team_user_ids
from api.readings import AccountReadings, compute_account_readings
from graph.errors import NotFound
from graph.neighbourhood import key
from graph.store import Store


@dataclass
class _Entry:
    loaded: float
    graph: nx.MultiDiGraph
    team: frozenset[str]
    readings: AccountReadings | None = None
    people: nx.Graph | None = None


class AccountCache:
    """Per-account graph + readings, shared by every request of one app."""

    def __init__(self, store: Store, *, max_accounts: int = 256, ttl: float = 300.0,
                 readings_options: dict[str, Any] | None = None):
        self.store = store
        self.max_accounts = max_accounts
        self.ttl = ttl
        self.readings_options = readings_options or {}
        self._lock = threading.RLock()
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self.stats = {"graph_loads": 0, "readings_computed": 0}

    def _entry(self, company_id: str) -> _Entry:
        with self._lock:
            entry = self._entries.get(company_id)
            if entry is not None and time.monotonic() - entry.loaded < self.ttl:
                self._entries.move_to_end(company_id)
                return entry
        G = self.store.account_graph(company_id)
        if key("company", company_id) not in G:
            raise NotFound("company", company_id)
        entry = _Entry(time.monotonic(), G, team_user_ids(G))
        with self._lock:
            self.stats["graph_loads"] += 1
            self._entries[company_id] = entry
            while len(self._entries) > self.max_accounts:
                self._entries.popitem(last=False)
        return entry

    def graph(self, company_id: str) -> nx.MultiDiGraph:
        """The account's graph (see graph.neighbourhood); NotFound if no such company.

        Callers must not modify it: it is shared between requests.
        """
        return self._entry(company_id).graph

    def team(self, company_id: str) -> frozenset[str]:
        """Ids of the users on the account's team (ON_TEAM or current owner)."""
        try:
            return self._entry(company_id).team
        except NotFound:
            return frozenset()

    def readings(self, company_id: str) -> AccountReadings:
        entry = self._entry(company_id)
        if entry.readings is None:
            entry.readings = compute_account_readings(entry.graph, **self.readings_options)
            with self._lock:
                self.stats["readings_computed"] += 1
        return entry.readings

    def people(self, company_id: str) -> nx.Graph:
        """The account's people graph (influence paths search it); cached with the graph."""
        entry = self._entry(company_id)
        if entry.people is None:
            from graph.readings.facts import account_facts
            from graph.readings.people import people_graph
            from graph.readings.rules import resolve

            opts = self.readings_options
            entry.people = people_graph(
                account_facts(entry.graph), rules=resolve(opts.get("rules")),
                **({"half_life_days": opts["half_life_days"]} if "half_life_days" in opts
                   else {}))
        return entry.people

    def invalidate(self, *company_ids: str) -> None:
        """Forget accounts a write touched (all of them when none are named)."""
        with self._lock:
            if not company_ids:
                self._entries.clear()
            for cid in company_ids:
                self._entries.pop(cid, None)
