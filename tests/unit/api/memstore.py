"""A small in-memory Store for API tests: the Protocol, nothing more.

The real backends (graph/stores/) are tested by the contract suite; here we only
need something that behaves like one so the API can be driven over HTTP without
a database, and that counts its calls so tests can check the API does not make
one store call per contact.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import networkx as nx

from graph import model as m
from graph.digest import rows_table
from graph.errors import NotFound
from graph.neighbourhood import AccountData, build_graph
from graph.schema import NODE_KINDS, node_kind, rel_kind
from graph.store import DataVersion, ErasureReport, Page, WriteReport
from graph.stores.base import UNVERSIONED


class MemStore:
    dialect = "memory"

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, m.Node]] = {}
        self.rels: dict[str, dict[tuple[Any, ...], m.Rel]] = {}
        self.calls: Counter[str] = Counter()
        # The same calls by the thread that made them: a request's own calls apart
        # from those of the server's background threads (walks, weights, refreshes).
        self.calls_by_thread: dict[str, Counter[str]] = {}
        self.version = DataVersion(0, 0, 0)

    def _bump(self, kind: str, *, erasures: int = 0, elsewhere: bool = False) -> None:
        if kind in UNVERSIONED:
            return
        v = self.version
        self.version = DataVersion(v.changes + 1, v.erasures + erasures,
                                   v.elsewhere + int(elsewhere))

    def _count(self, call: str) -> None:
        self.calls[call] += 1
        name = threading.current_thread().name
        self.calls_by_thread.setdefault(name, Counter())[call] += 1

    def data_version(self) -> DataVersion:
        self._count("data_version")
        return self.version

    def as_another_process(self) -> MemStore:
        """This store's data, written to as another process would: its changes count
        as ``elsewhere`` here (for tests of caches that must notice them)."""
        other = MemStore()
        other.nodes, other.rels = self.nodes, self.rels
        other._bump = lambda kind, **kw: self._bump(kind, **{**kw, "elsewhere": True})  # type: ignore[method-assign]
        return other

    # -- writing -------------------------------------------------------------
    def upsert(self, kind: str, items: Iterable[m.Node | Mapping[str, Any]]) -> WriteReport:
        self._count("upsert")
        model = node_kind(kind).model
        report = WriteReport(kind)
        table = self.nodes.setdefault(kind, {})
        for item in items:
            node = m.validate(model, item)
            old = table.get(node.id)
            if old == node:
                report.unchanged += 1
            elif old is None:
                report.created += 1
            else:
                report.updated += 1
            table[node.id] = node
        if report.written:
            self._bump(kind)
        return report

    def link(self, kind: str, rels: Iterable[m.Rel | Mapping[str, Any]]) -> WriteReport:
        self._count("link")
        rk = rel_kind(kind)
        assert rk.model is not None
        report = WriteReport(kind)
        table = self.rels.setdefault(kind, {})
        for item in rels:
            rel = m.validate(rk.model, item)
            k = (rel.source, rel.target, *(getattr(rel, p) for p in rk.key))
            if k in table:
                report.updated += 1
            else:
                report.created += 1
            table[k] = rel
        self._bump(kind)
        return report

    def unlink(self, kind: str, pairs: Iterable[tuple[str, str]]) -> int:
        self._count("unlink")
        table = self.rels.get(kind, {})
        wanted = set(pairs)
        gone = [k for k in table if (k[0], k[1]) in wanted]
        for k in gone:
            del table[k]
        self._bump(kind)
        return len(gone)

    def delete(self, kind: str, id: str) -> bool:
        self._count("delete")
        self._bump(kind)
        return self.nodes.get(kind, {}).pop(id, None) is not None

    def erase_personal_data(self, contact_id: str) -> ErasureReport:
        self._count("erase_personal_data")
        items = [p for p in self.nodes.get("profile_item", {}).values()
                 if isinstance(p, m.ProfileItem) and p.contact_id == contact_id]
        for p in items:
            del self.nodes["profile_item"][p.id]
        contact = self.nodes["contact"][contact_id]
        cleared = contact.model_copy(update={"email": None, "phone": None})
        self.nodes["contact"][contact_id] = cleared
        self._bump("contact", erasures=1)
        return ErasureReport(contact_id, len(items), ("email", "phone"))

    # -- reading -------------------------------------------------------------
    def get(self, kind: str, id: str) -> m.Node | None:
        self._count("get")
        return self.nodes.get(kind, {}).get(id)

    def get_many(self, kind: str, ids: Sequence[str]) -> dict[str, m.Node]:
        self._count("get_many")
        table = self.nodes.get(kind, {})
        return {i: table[i] for i in ids if i in table}

    def relationships(
        self, kind: str, *, source: str | None = None, target: str | None = None
    ) -> list[m.Rel]:
        self._count("relationships")
        return [
            r for r in self.rels.get(kind, {}).values()
            if (source is None or r.source == source) and (target is None or r.target == target)
        ]

    def relationships_not_from(self, kind: str, origin_prefix: str) -> list[m.Rel]:
        self._count("relationships_not_from")
        return [r for r in self.rels.get(kind, {}).values()
                if not (getattr(r, "origin", None) or "").startswith(origin_prefix)]

    def search(
        self, text: str, kinds: Sequence[str] = ("company", "contact"), limit: int = 20,
        *, fields: Sequence[str] | None = None,
    ) -> list[m.Node]:
        self._count("search")
        needle = text.lower()
        found: list[m.Node] = []
        for kind in kinds:
            searched = [f for f in node_kind(kind).text_fields if fields is None or f in fields]
            for node in sorted(self.nodes.get(kind, {}).values(), key=lambda n: n.id):
                if any(needle in str(getattr(node, f) or "").lower() for f in searched):
                    found.append(node)
        return found[:limit]

    def list(
        self, kind: str, filters: Mapping[str, Any] | None = None, *,
        after: str | None = None, limit: int = 50,
    ) -> Page:
        self._count("list")
        rows = sorted(self.nodes.get(kind, {}).values(), key=lambda n: n.id)
        for f, v in (filters or {}).items():
            rows = [n for n in rows if getattr(n, f) == v]
        total = len(rows)
        if after is not None:
            rows = [n for n in rows if n.id > after]
        page = rows[:limit]
        nxt = page[-1].id if len(rows) > limit else None
        return Page(page, nxt, total)

    def iter_ids(self, kind: str, batch: int = 10_000) -> Iterator[list[str]]:
        ids = sorted(self.nodes.get(kind, {}))
        for i in range(0, len(ids), batch):
            yield ids[i : i + batch]

    def account_graph(self, company_id: str) -> nx.MultiDiGraph:
        self._count("account_graph")
        try:
            return build_graph(self._data(company_id))
        except NotFound:
            return nx.MultiDiGraph(company_id=company_id)

    def account_data(self, company_id: str, *, people: bool = True) -> AccountData:
        self._count("account_data")
        data = self._data(company_id)
        if not people:
            data.links, data.outside = [], {}
        return data

    def _data(self, company_id: str) -> AccountData:
        company = self.nodes.get("company", {}).get(company_id)
        if company is None:
            raise NotFound("company", company_id)
        of = lambda kind: [n.model_dump() for n in self.nodes.get(kind, {}).values()  # noqa: E731
                           if getattr(n, "company_id", None) == company_id]
        contacts = of("contact")
        ids = {c["id"] for c in contacts}
        users = self.nodes.get("user", {})
        data = AccountData(
            company_id, company.model_dump(), departments=of("department"),
            employees=[{**c, "emp_title": None, "emp_start": None, "emp_end": None}
                       for c in contacts],
            touchpoints=rows_table(NODE_KINDS["touchpoint"], of("touchpoint")),
            profile_items=[p.model_dump() for p in self.nodes.get("profile_item", {}).values()
                           if isinstance(p, m.ProfileItem) and p.contact_id in ids],
            opportunities=of("opportunity"),
            deal_roles=[r.model_dump() for r in self.nodes.get("deal_role", {}).values()
                        if isinstance(r, m.DealRole) and r.contact_id in ids],
        )
        for r in self.rels.get("ON_TEAM", {}).values():
            if r.target == company_id and r.source in users:
                data.team.append({**users[r.source].model_dump(), "team_role": r.role})
        for r in self.rels.get("OWNS", {}).values():
            if r.target == company_id and r.source in users:
                data.owners.append({**users[r.source].model_dump(), "owns_since": r.since,
                                    "owns_until": r.until})
        held = {u["id"] for u in data.team + data.owners}
        data.outside["user"] = [
            users[u].model_dump()
            for u in sorted({u for t in of("touchpoint") for u in t["user_ids"]} - held)
            if u in users
        ]
        for kind in ("REPORTS_TO", "KNOWS"):
            for r in self.rels.get(kind, {}).values():
                row = r.model_dump()
                ends = ["contact" if x in self.nodes.get("contact", {}) else "user"
                        for x in (r.source, r.target)]
                data.links.append((kind, ends[0], ends[1], row))
        return data

    def get_table(self, kind: str, ids: Sequence[str] | None = None) -> Any:
        self._count("get_table")
        rows = [n.model_dump() for i, n in sorted(self.nodes.get(kind, {}).items())
                if ids is None or i in ids]
        return rows_table(node_kind(kind), rows)

    def contact_touch_kinds(self) -> Any:
        import pyarrow as pa

        self._count("contact_touch_kinds")
        seen: Counter[tuple[str, str]] = Counter()
        for t in self.nodes.get("touchpoint", {}).values():
            for c in getattr(t, "contact_ids", []):
                seen[(c, str(t.type))] += 1  # type: ignore[attr-defined]
        rows = sorted(seen.items())
        return pa.table({"id": [c for (c, _), _ in rows], "kind": [k for (_, k), _ in rows],
                         "n": [n for _, n in rows]})

    def counts(self) -> dict[str, int]:
        self._count("counts")
        out = {k: len(v) for k, v in self.nodes.items()}
        out.update({k: len(v) for k, v in self.rels.items()})
        return out

    def ping(self) -> None:
        self._count("ping")

    def close(self) -> None:
        pass
