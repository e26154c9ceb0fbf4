"""Account graphs and their readings, cached per account and dropped on writes.

The account view needs an account's whole neighbourhood and its readings; both
cost far more than serving them, and they only change when someone writes. So
each account's graph and readings are kept (LRU, bounded) until a write through
this process touches that account (:meth:`AccountCache.invalidate`). Writes made
by another process (the CLI, an import, another server on the same Neo4j) show
in the store's change marker (:meth:`graph.store.Store.data_version`), looked at
at most every ``version_every`` seconds: when it has moved, every account is
dropped, and after an erasure elsewhere the listeners (database readings) are
told too, since they may hold the erased values. ``ttl`` stays as a backstop:
the first view past it is served from the cache while the account is re-read
behind it, readings included (stale-while-revalidate).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from api.privacy import team_user_ids
from api.readings import AccountReadings, compute_account_readings
from graph.errors import NotFound
from graph.neighbourhood import AccountData, build_graph, key
from graph.privacy import team_in_store
from graph.readings import AccountSummary, account_summary
from graph.readings.facts import AccountFacts, facts_from_data
from graph.readings.links import PeopleLinks
from graph.store import DataVersion, Store

log = logging.getLogger("accountgraph.api")


@dataclass
class _Entry:
    loaded: float
    data: AccountData
    graph: nx.MultiDiGraph
    team: frozenset[str]
    facts: AccountFacts | None = None
    readings: AccountReadings | None = None
    summary: AccountSummary | None = None
    people: PeopleLinks | None = None
    by_kind: dict[str, list[dict[str, Any]]] | None = None


class AccountCache:
    """Per-account graph + readings, shared by every request of one app."""

    def __init__(
        self,
        store: Store,
        *,
        max_accounts: int = 256,
        ttl: float = 300.0,
        readings_options: dict[str, Any] | None = None,
        version_every: float = 1.0,
    ):
        self.store = store
        self.max_accounts = max_accounts
        self.ttl = ttl
        self.version_every = version_every
        self._version: DataVersion | None = None
        self._version_read = -float("inf")
        self.readings_options = readings_options or {}
        self._lock = threading.RLock()
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._refreshing: set[str] = set()  # accounts being re-read past their ttl
        self._generation = 0  # bumped by every invalidation
        self._teams: dict[str, frozenset[str]] = {}  # teams of accounts not cached
        self.stats = {"graph_loads": 0, "readings_computed": 0}
        # Told about every invalidation too (the database readings keep per-account rows).
        self.listeners: list[Callable[..., None]] = []

    def check_version(self, *, now: bool = False) -> None:
        """Drop everything if another process changed the store since we last looked.

        At most every ``version_every`` seconds unless ``now``: one small read.
        """
        with self._lock:
            due = time.monotonic()
            if not now and due - self._version_read < self.version_every:
                return
            self._version_read = due
            seen = self._version
        current = self.store.data_version()
        with self._lock:
            self._version = current
        if seen is None:
            return
        # Our own writes invalidated what they touched already; only writes made
        # elsewhere (an erasure elsewhere is one too) leave us holding stale data.
        erased = current.erasures != seen.erasures
        if current.elsewhere != seen.elsewhere:
            log.info("the store changed elsewhere (%d changes, %d erasures): cache dropped",
                     current.elsewhere - seen.elsewhere, current.erasures - seen.erasures)
            # After an erasure the database readings may hold the values too; other
            # writes they pick up on their own schedule (a re-read of every account).
            self.invalidate(own_data_of=None if erased else ())

    def _entry(self, company_id: str) -> _Entry:
        self.check_version()
        with self._lock:
            entry = self._entries.get(company_id)
            if entry is not None:
                self._entries.move_to_end(company_id)
                expired = time.monotonic() - entry.loaded >= self.ttl
                if expired and company_id not in self._refreshing:
                    # Past the ttl (another process may have written): serve what we
                    # have and re-read behind it, so no request waits seconds for a
                    # busy account's readings that most likely did not change.
                    self._refreshing.add(company_id)
                    threading.Thread(target=self._refresh, args=(company_id, entry),
                                     name=f"refresh-{company_id}", daemon=True).start()
                return entry
        return self._load(company_id)

    def _load(self, company_id: str) -> _Entry:
        with self._lock:
            generation = self._generation
        # One fetch serves both: the graph for the views, the data for the readings
        # (which read it directly, several times faster than walking the graph).
        data = self.store.account_data(company_id)
        G = build_graph(data)
        if key("company", company_id) not in G:
            raise NotFound("company", company_id)
        entry = _Entry(time.monotonic(), data, G, team_user_ids(G))
        with self._lock:
            self.stats["graph_loads"] += 1
            # A write while we read makes what we read stale: serve it to this caller
            # but do not keep it.
            if generation == self._generation:
                self._entries[company_id] = entry
                while len(self._entries) > self.max_accounts:
                    self._entries.popitem(last=False)
        return entry

    def _refresh(self, company_id: str, old: _Entry) -> None:
        """Re-read an account past its ttl, with readings if the old entry had them."""
        try:
            self._load(company_id)
            if old.readings is not None:
                self.readings(company_id)
            elif old.summary is not None:
                self.summary(company_id)
        except Exception:  # the company is gone, or the store failed: read afresh next time
            log.info("account %s could not be re-read; dropped from the cache", company_id,
                     exc_info=True)
            with self._lock:
                self._entries.pop(company_id, None)
        finally:
            with self._lock:
                self._refreshing.discard(company_id)

    def graph(self, company_id: str) -> nx.MultiDiGraph:
        """The account's graph (see graph.neighbourhood); NotFound if no such company.

        Callers must not modify it: it is shared between requests.
        """
        return self._entry(company_id).graph

    def nodes(self, company_id: str, kind: str) -> list[dict[str, Any]]:
        """Attributes of the account's own nodes of one kind (not ``outside`` ones), by id.

        Indexed once per cached graph: the account view asks for these on every request.
        """
        entry = self._entry(company_id)
        if entry.by_kind is None:
            by_kind: dict[str, list[dict[str, Any]]] = {}
            for _, d in entry.graph.nodes(data=True):
                if not d.get("outside"):
                    by_kind.setdefault(d.get("kind", ""), []).append(d)
            for rows in by_kind.values():
                rows.sort(key=lambda d: str(d.get("id")))
            entry.by_kind = by_kind
        return entry.by_kind.get(kind, [])

    def contacts_by_name(self, company_id: str) -> list[dict[str, Any]]:
        """The account's own contacts sorted by (name, id), indexed once per cached graph."""
        entry = self._entry(company_id)
        rows = self.nodes(company_id, "__contacts_by_name")
        if not rows:
            rows = sorted(
                (d for d in self.nodes(company_id, "contact") if d.get("company_id") == company_id),
                key=lambda d: (str(d.get("name")), str(d.get("id"))),
            )
            assert entry.by_kind is not None
            entry.by_kind["__contacts_by_name"] = rows
        return rows

    def peek_company(self, company_id: str) -> dict[str, Any] | None:
        """A company's attributes if its graph is cached (no store call), else None."""
        with self._lock:
            entry = self._entries.get(company_id)
        if entry is None:
            return None
        found = entry.graph.nodes.get(key("company", company_id))
        return dict(found) if found is not None else None

    def team(self, company_id: str) -> frozenset[str]:
        """Ids of the users on the account's team (ON_TEAM or current owner).

        From the cached graph when there is one; otherwise two small reads, kept
        until a write touches the account: privacy asks this for the account of
        every contact on a page, and most of those graphs are not needed.
        """
        self.check_version()
        with self._lock:
            entry = self._entries.get(company_id)
            if entry is not None:
                return entry.team
            found = self._teams.get(company_id)
            generation = self._generation
        if found is None:
            found = team_in_store(self.store, company_id)
            with self._lock:
                if generation == self._generation:
                    if len(self._teams) >= 16 * self.max_accounts:
                        self._teams.clear()  # bounded: a small read brings one back
                    self._teams[company_id] = found
        return found

    def readings(self, company_id: str) -> AccountReadings:
        entry = self._entry(company_id)
        if entry.readings is None:
            entry.readings = compute_account_readings(self._facts(entry), **self.readings_options)
            with self._lock:
                self.stats["readings_computed"] += 1
        return entry.readings

    def summary(self, company_id: str) -> AccountSummary:
        """Status and breadth only: what a list of accounts shows, at a third of the cost.

        Taken from the full readings when those are cached already.
        """
        entry = self._entry(company_id)
        if entry.summary is None:
            raw = entry.readings.raw if entry.readings is not None else None
            if raw is not None:
                entry.summary = AccountSummary(
                    raw.company_id, raw.company_name, raw.status, raw.breadth
                )
            else:
                opts = {
                    k: v
                    for k, v in self.readings_options.items()
                    if k in ("rules", "as_of", "half_life_days")
                }
                entry.summary = account_summary(self._facts(entry), **opts)
        return entry.summary

    def people(self, company_id: str) -> PeopleLinks:
        """The account's people graph as arrays (influence paths search it); cached with it."""
        entry = self._entry(company_id)
        if entry.people is None:
            from graph.readings.people import people_links
            from graph.readings.rules import resolve

            opts = self.readings_options
            entry.people = people_links(
                self._facts(entry),
                rules=resolve(opts.get("rules")),
                **({"half_life_days": opts["half_life_days"]} if "half_life_days" in opts else {}),
            )
        return entry.people

    def _facts(self, entry: _Entry) -> AccountFacts:
        """The account's facts as of the readings' moment, read once per cached account."""
        if entry.facts is None:
            entry.facts = facts_from_data(entry.data, self.readings_options.get("as_of"))
        return entry.facts

    def invalidate(self, *company_ids: str, own_data_of: tuple[str, ...] | None = None) -> None:
        """Forget accounts a write touched (all of them when none are named).

        ``own_data_of`` narrows what listeners are told when a write reshapes many
        graphs but changes the own data of a few accounts only (a "knows" link pulls
        people into other accounts' graphs); an empty tuple tells them nothing.
        """
        with self._lock:
            self._generation += 1
            if not company_ids:
                self._entries.clear()
                self._teams.clear()
            for cid in company_ids:
                self._entries.pop(cid, None)
                self._teams.pop(cid, None)
        told = company_ids if own_data_of is None else own_data_of
        if own_data_of is not None and not own_data_of:
            return
        for listener in self.listeners:
            listener(*told)
