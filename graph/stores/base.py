"""What both stores share: every Store method, over a few backend primitives.

A backend subclasses :class:`StoreBase` and supplies:

* ``dialect`` (the ``queries/`` folder it speaks) and ``lower_fn`` (its
  lower-case function, the one spelling the dialects disagree on here);
* ``_read(text, params)``: run one read query, rows as dicts, nodes as plain
  property dicts;
* ``_write(work)``: run ``work(tx)`` in one write transaction, where ``tx``
  offers the :class:`graph.writer.WriteTx` primitives;
* ``_reader()``: the same primitives outside a transaction, for reads.
"""

from __future__ import annotations

import base64
import builtins
import contextlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from functools import partial
from typing import Any, TypeVar

import networkx as nx
import pyarrow as pa
import pyarrow.compute as pc

import queries
from graph import collector
from graph.digest import rows_table
from graph.errors import NotFound, ValidationError
from graph.model import Node, Rel
from graph.neighbourhood import AccountData, build_graph
from graph.privacy import CAPTURED
from graph.schema import NODE_KINDS, REL_KINDS, NodeKind, node_kind, rel_kind
from graph.store import MAX_PAGE_SIZE, DataVersion, ErasureReport, Page, WriteReport
from graph.writer import (
    FINGERPRINT,
    Row,
    WriteTx,
    chunked,
    link_chunk,
    normalise_row,
    stored_value,
    upsert_chunk,
)

R = TypeVar("R")

ERASED_NAME = "Erased contact"


def _order(value: Any) -> tuple[bool, str]:
    """A sort key for any cell: None first, then by text (dates sort as ISO text)."""
    return (value is not None, "" if value is None else str(value))


# An account's own rows: AccountData field -> (query, kind, the relationship's
# columns the query adds). ``company`` is the account itself. Neo4j's versions
# of the queries send dates and times as numbers (see Neo4jStore._returns).
ACCOUNT_ROWS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "company": ("account_company", "company", ()),
    "departments": ("account_departments", "department", ()),
    "employees": ("account_employees", "contact", ("emp_title", "emp_start", "emp_end")),
    "team": ("account_team", "user", ("team_role",)),
    "owners": ("account_owners", "user", ("owns_since", "owns_until")),
    "touchpoints": ("account_touchpoints", "touchpoint", ()),
    "profile_items": ("account_profile_items", "profile_item", ()),
    "opportunities": ("account_opportunities", "opportunity", ()),
    "deal_roles": ("account_deal_roles", "deal_role", ()),
}
# The type of each relationship column an account query adds (as graph.schema names them).
ACCOUNT_EXTRAS = {
    "emp_title": "STRING",
    "emp_start": "DATE",
    "emp_end": "DATE",
    "team_role": "STRING",
    "owns_since": "TIMESTAMP",
    "owns_until": "TIMESTAMP",
}


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str:
    if not cursor:
        return ""
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(
            f"cursor {cursor!r} is not one this store gave out; start again without it",
            field="after",
        ) from None


#: The change marker's label (:meth:`StoreBase.data_version`): one node, id "data"; the
#: queries data_version_read and data_version_bump spell it too.
VERSION_LABEL = "DataVersion"

#: Kinds that are bookkeeping, not account data: writing them leaves data_version alone
#: (every audited read writes an audit row; that must not empty every cache).
UNVERSIONED = frozenset({"audit_event", "api_token"})


def _changed(result: Any) -> bool:
    """Whether a write's result says it changed something (unknown results: yes)."""
    if isinstance(result, WriteReport):
        return result.written > 0
    if isinstance(result, int):
        return result > 0
    return True


#: Contacts a pass of :meth:`StoreBase.contact_touch_kinds` groups at once.
TOUCH_KINDS_CONTACTS = 100_000

class StoreBase(ABC):
    dialect: str = ""
    lower_fn: str = "lower"
    chunk_size: int = 50_000
    _own_changes = 0  # data_version bumps committed through this object
    _changes_at_start: int | None = None

    # -- backend primitives ------------------------------------------------------
    @abstractmethod
    def _read(self, text: str, params: Mapping[str, Any] | None = None) -> builtins.list[Row]: ...

    @abstractmethod
    def _write(self, work: Callable[[WriteTx], R]) -> R: ...

    @abstractmethod
    def _reader(self) -> WriteTx: ...

    def _q(self, name: str, **slots: str) -> str:
        return (
            queries.render(self.dialect, name, **slots)
            if slots
            else queries.text(self.dialect, name)
        )

    # -- writing -------------------------------------------------------------------
    def upsert(self, kind: str, items: Iterable[Node | Mapping[str, Any]]) -> WriteReport:
        k = node_kind(kind)
        return self._in_chunks(
            k.name, items, partial(upsert_chunk, kind=k), versioned=k.name not in UNVERSIONED
        )

    def upsert_table(self, kind: str, table: Any, *, validated: bool = False) -> WriteReport:
        """Create or update nodes given as an Arrow table, through :meth:`upsert`.

        The portable fallback: rows are built a batch at a time (and validated
        again, whatever ``validated`` says). LadybugDB overrides it with the
        columnar path of :mod:`graph.bulk`.
        """
        from graph.bulk_check import check_columns, without_defaulted_nulls

        k = node_kind(kind)
        if validated and FINGERPRINT in table.column_names:
            table = table.drop_columns([FINGERPRINT])  # the row path digests rows itself
        check_columns(k, table)

        def rows() -> Iterator[dict[str, Any]]:
            for batch in table.to_batches(max_chunksize=self.chunk_size):
                for row in batch.to_pylist():
                    yield without_defaulted_nulls(k, row)

        return self.upsert(k.name, rows())

    def bulk_load(self) -> AbstractContextManager[None]:
        """No special scope: a backend whose commits cost more per write overrides it."""
        return contextlib.nullcontext()

    def _in_chunks(
        self,
        name: str,
        items: Iterable[Any],
        write: Callable[..., WriteReport],
        *,
        versioned: bool = True,
    ) -> WriteReport:
        """Write ``items`` a transaction per chunk, the report's indexes batch-wide."""
        report = WriteReport(name)
        offset = 0
        for chunk in chunked(items, self.chunk_size):
            work = partial(write, items=chunk, offset=offset)
            report.merge(self._versioned_write(work) if versioned else self._write(work))
            offset += len(chunk)
        return report

    # -- the change marker -----------------------------------------------------------
    def _versioned_write(self, work: Callable[[WriteTx], R], *, erasures: int = 0,
                         **options: Any) -> R:
        """``_write(work)`` that also bumps :meth:`data_version` in the same transaction.

        Unless the work changed nothing (a batch written again, an unlink of
        nothing): a re-import must not empty every cache that watches the marker.
        """
        bumped = False

        def run(tx: WriteTx) -> R:
            nonlocal bumped
            result = work(tx)
            bumped = _changed(result) or erasures > 0
            if bumped:
                self._read(self._q("data_version_bump"), {"erasures": erasures})
            return result

        result = self._write(run, **options)
        if bumped:
            self._own_changes += 1
        return result

    def data_version(self) -> DataVersion:
        rows = self._read(self._q("data_version_read"))
        changes = sum(int(r["changes"] or 0) for r in rows)
        erasures = sum(int(r["erasures"] or 0) for r in rows)
        if self._changes_at_start is None:
            self._changes_at_start = changes - self._own_changes
        return DataVersion(changes, erasures,
                           changes - self._changes_at_start - self._own_changes)

    def link(self, kind: str, rels: Iterable[Rel | Mapping[str, Any]]) -> WriteReport:
        r = rel_kind(kind)
        if r.derived_only:
            raise ValidationError(
                f"{r.name} relationships come from node fields; write the nodes instead",
                field="kind",
            )
        return self._in_chunks(r.name, rels, partial(link_chunk, rel=r))

    def unlink(self, kind: str, pairs: Iterable[tuple[str, str]]) -> int:
        r = rel_kind(kind)
        wanted = set(pairs)
        sources = sorted({s for s, _ in wanted})

        def work(tx: WriteTx) -> int:
            removed = 0
            for s, t in r.pairs:
                src, tgt = NODE_KINDS[s], NODE_KINDS[t]
                rows = [
                    e
                    for e in tx.fetch_rels(r, src, tgt, "source", sources)
                    if (e["source"], e["target"]) in wanted
                ]
                if rows:
                    tx.delete_rels(r, src, tgt, rows)
                    removed += len(rows)
            return removed

        return self._versioned_write(work) if wanted else 0

    def delete(self, kind: str, id: str) -> bool:
        k = node_kind(kind)

        def work(tx: WriteTx) -> builtins.list[Row]:
            return self._read(self._q("node_delete", label=k.label), {"id": id})

        rows = self._versioned_write(work) if k.name not in UNVERSIONED else self._write(work)
        return bool(rows and rows[0]["deleted"])

    def erase_personal_data(self, contact_id: str) -> ErasureReport:
        if self.get("contact", contact_id) is None:
            raise NotFound("contact", contact_id)

        def work(tx: WriteTx) -> tuple[int, int]:
            removed = self._read(self._q("erase_profile_items"), {"id": contact_id})
            # A captured subject names what the contact wrote about: personal data too
            # (graph.privacy.subject_is_personal), cleared before the file is rewritten.
            subjects = self._read(self._q("erase_captured_subjects"),
                                  {"id": contact_id, "origin": CAPTURED})
            self._read(self._q("erase_contact_fields"), {"id": contact_id, "name": ERASED_NAME})
            return (int(removed[0]["removed"]) if removed else 0,
                    int(subjects[0]["cleared"]) if subjects else 0)

        removed, subjects = self._versioned_write(work, erasures=1)
        self._after_erasure()
        return ErasureReport(contact_id, removed, ("name", "email", "phone"), subjects)

    def _after_erasure(self) -> None:
        """Make the erased values unrecoverable from the store's files, where it can.

        A backend whose files keep old values (free pages, a log) overrides this.
        """
        return None

    # -- reading -------------------------------------------------------------------
    def get(self, kind: str, id: str) -> Node | None:
        return self.get_many(kind, [id]).get(id)

    def get_many(self, kind: str, ids: Sequence[str]) -> dict[str, Node]:
        k = node_kind(kind)
        wanted = list(dict.fromkeys(ids))
        rows = self._reader().fetch_nodes(k, wanted)
        return {i: k.model.model_validate(rows[i]) for i in wanted if i in rows}

    def get_table(self, kind: str, ids: Sequence[str] | None = None) -> pa.Table:
        k = node_kind(kind)
        returns = self._returns(k)
        if ids is None:
            table = self._read_table(self._q("node_all", label=k.label, returns=returns), None, k)
        else:
            wanted = builtins.list(dict.fromkeys(ids))
            if not wanted:
                return rows_table(k, [])
            text = self._q("node_fetch", label=k.label, returns=returns)
            table = self._read_table(text, {"ids": wanted}, k)
        table = table.sort_by("id")  # the same rows in the same order from either store
        # A store may give an empty list back as null; the model's value is [].
        for c in k.columns:
            if c.kind == "STRING[]":
                i = table.schema.get_field_index(c.name)
                col = table.column(i)
                table = table.set_column(i, c.name, pc.fill_null(col, pa.scalar([], col.type)))
        return table

    def relationships(
        self, kind: str, *, source: str | None = None, target: str | None = None
    ) -> builtins.list[Rel]:
        r = rel_kind(kind)
        if source is None and target is None:
            raise ValidationError("give a source or a target id", field="source")
        by, id_ = ("source", source) if source is not None else ("target", target)
        out: builtins.list[Rel] = []
        reader = self._reader()
        for s, t in r.pairs:
            for row in reader.fetch_rels(r, NODE_KINDS[s], NODE_KINDS[t], by, [id_]):  # type: ignore[list-item]
                if target is not None and row["target"] != target:
                    continue
                out.append(
                    r.model.model_validate(row)
                    if r.model
                    else Rel.model_validate({"source": row["source"], "target": row["target"]})
                )
        out.sort(key=lambda rel: tuple(_order(v) for v in rel.model_dump().values()))
        return out

    def relationships_not_from(self, kind: str, origin_prefix: str) -> builtins.list[Rel]:
        r = rel_kind(kind)
        if r.model is None or "origin" not in r.model.model_fields:
            raise ValidationError(f"{kind} has no origin", field="origin")
        reader = self._reader()
        out = [r.model.model_validate(row) for s, t in r.pairs
               for row in reader.fetch_rels_not_from(r, NODE_KINDS[s], NODE_KINDS[t],
                                                     origin_prefix)]
        out.sort(key=lambda rel: tuple(_order(v) for v in rel.model_dump().values()))
        return out

    def search(
        self,
        text: str,
        kinds: Sequence[str] = ("company", "contact"),
        limit: int = 20,
        *,
        fields: Sequence[str] | None = None,
    ) -> builtins.list[Node]:
        needle = text.strip().lower()
        if not needle:
            return []
        found: builtins.list[Node] = []
        for name in kinds:
            k = node_kind(name)
            searched = self._searched(k, fields)
            if not searched:
                continue
            rows = self._read(
                self._q(
                    "node_search", label=k.label, where=self._contains(searched),
                    returns=self._returns(k),
                ),
                {"q": needle, "limit": limit},
            )
            found += [k.model.model_validate(normalise_row(k, r)) for r in rows]
        return found[:limit]

    def list(
        self,
        kind: str,
        filters: Mapping[str, Any] | None = None,
        *,
        after: str | None = None,
        limit: int = 50,
    ) -> Page:
        k = node_kind(kind)
        filters = dict(filters or {})
        columns = {c.name for c in k.columns}
        for name in filters:
            if name not in columns:
                raise ValidationError(
                    f"cannot filter {k.name} by {name!r}; fields are {', '.join(sorted(columns))}",
                    field=name,
                )
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValidationError(
                f"page size {limit} is out of range; ask for 1 to {MAX_PAGE_SIZE}", field="limit"
            )
        where = queries.equals_all(sorted(filters))
        params = {f"f_{n}": getattr(v, "value", v) for n, v in filters.items()}
        rows = self._read(
            self._q("node_list", label=k.label, where=where, returns=self._returns(k)),
            {**params, "after": decode_cursor(after), "limit": limit + 1},
        )
        total = self._read(self._q("node_count_where", label=k.label, where=where), params)
        items = [k.model.model_validate(normalise_row(k, r)) for r in rows[:limit]]
        more = len(rows) > limit
        return Page(
            items, encode_cursor(items[-1].id) if more and items else None, int(total[0]["total"])
        )

    def iter_ids(self, kind: str, batch: int = 10_000) -> Iterator[builtins.list[str]]:
        k = node_kind(kind)
        after = ""
        text = self._q(
            "node_list",
            label=k.label,
            where=queries.Fragment("true"),
            returns=queries.returns(["id"]),
        )
        while rows := self._read(text, {"after": after, "limit": batch}):
            ids = [r["id"] for r in rows]
            yield ids
            after = ids[-1]

    def counts(self) -> dict[str, int]:
        out = {}
        for k in NODE_KINDS.values():
            out[k.name] = int(self._read(self._q("node_count", label=k.label))[0]["total"])
        for r in REL_KINDS.values():
            out[r.name] = int(self._read(self._q("rel_count", rel=r.name))[0]["total"])
        return out

    def contact_touch_kinds(self) -> pa.Table:
        # A range of contacts at a time: grouped over the whole store at once (1M
        # contacts, 10M touchpoints) the aggregation outgrew the embedded store's
        # buffer pool and the estimate failed.
        text = self._q("contact_touch_kinds")
        parts = [self._read_arrow(text, {"first": ids[0], "last": ids[-1]})
                 for ids in self.iter_ids("contact", batch=TOUCH_KINDS_CONTACTS)]
        parts = [p for p in parts if p.num_rows]
        return pa.concat_tables(parts) if parts else pa.table(
            {"id": pa.array([], pa.string()), "kind": pa.array([], pa.string()),
             "n": pa.array([], pa.int64())})

    def _read_arrow(self, text: str, params: Mapping[str, Any] | None) -> pa.Table:
        """A read query's rows as an Arrow table, columns as the query names them.

        Backends that can hand results over as Arrow override this.
        """
        return pa.Table.from_pylist(self._read(text, params))

    def account_graph(self, company_id: str) -> nx.MultiDiGraph:
        return build_graph(self.account_data(company_id))

    def account_data(self, company_id: str, *, people: bool = True) -> AccountData:
        with collector.paused():  # thousands of row dicts, none in a reference cycle
            return self._account_data(company_id, people)

    def _account_data(self, company_id: str, people: bool) -> AccountData:
        p = {"id": company_id}
        reads = self._account_reads()

        def read(field: str) -> builtins.list[Row]:
            text, names = reads[field]
            return self._read_rows(text, p, names)

        company = read("company")
        if not company:
            raise NotFound("company", company_id)

        def rows(field: str) -> builtins.list[Row]:
            # In id order (then the relationship's columns: a contact employed
            # twice), whatever order the store gives: both stores then build the
            # same graph in the same order, and print the same bytes.
            k = NODE_KINDS[ACCOUNT_ROWS[field][1]]
            extra = ACCOUNT_ROWS[field][2]
            out = [
                {**normalise_row(k, r), **{x: stored_value(ACCOUNT_EXTRAS[x], r[x]) for x in extra}}
                for r in read(field)
            ]
            out.sort(key=lambda r: (r["id"], *(_order(r[x]) for x in extra)))
            return out

        touchpoint = NODE_KINDS["touchpoint"]
        data = AccountData(
            company_id,
            normalise_row(NODE_KINDS["company"], company[0]),
            departments=rows("departments"),
            employees=rows("employees"),
            team=rows("team"),
            owners=rows("owners"),
            touchpoints=self._read_table(reads["touchpoints"][0], p, touchpoint).sort_by("id"),
            profile_items=rows("profile_items"),
            opportunities=rows("opportunities"),
            deal_roles=rows("deal_roles"),
        )
        # Where the people who moved on work now, by name: a handful of rows at most.
        elsewhere = sorted({str(r["company_id"]) for r in data.employees
                            if r.get("company_id") not in (None, company_id)})
        users = sorted({r["id"] for r in data.team + data.owners})
        ahead: builtins.list[tuple[str, tuple[Any, ...]]] = []
        if elsewhere:
            ahead.append(("fetch_nodes", (NODE_KINDS["company"], elsewhere)))
        if people:
            ahead += [("fetch_rels", spec[3:]) for spec in self._user_link_reads(users)]
        self._read_ahead(ahead)
        if elsewhere:
            found = self._reader().fetch_nodes(NODE_KINDS["company"], elsewhere)
            data.company_names = {i: str(found[i].get("name") or i) for i in elsewhere
                                  if i in found}
        if not people:
            return data
        # People outside the account who touch it: participants and acquaintances.
        tps = data.touchpoints
        outside: dict[str, set[str]] = {
            kind: set(pc.unique(pc.list_flatten(tps.column(f"{kind}_ids"))).to_pylist())
            for kind in ("contact", "user")
        }
        employees = {r["id"] for r in data.employees}
        data.links = self._account_links(p, users, reach=employees | outside["contact"])
        for _, s, t, row in data.links:
            outside[s].add(row["source"])
            outside[t].add(row["target"])
        held = {"contact": employees, "user": {r["id"] for r in data.team + data.owners}}
        reader = self._reader()
        missing = {kind: sorted(wanted - held[kind]) for kind, wanted in outside.items()}
        self._read_ahead([("fetch_nodes", (NODE_KINDS[k], i)) for k, i in missing.items() if i])
        for kind, ids in missing.items():
            if ids:
                found = reader.fetch_nodes(NODE_KINDS[kind], ids)
                data.outside[kind] = [found[i] for i in ids if i in found]
        return data

    def _account_reads(self) -> dict[str, tuple[str, builtins.list[str]]]:
        """Every query reading an account takes only ``$id``: (text, returned names) by use.

        The account's own rows (:data:`ACCOUNT_ROWS`, ``company``) and its links
        (``links:REL:src:tgt:way``, see :meth:`_account_link_reads`). A backend
        whose round trips cost more than its queries may run them all at once.
        """
        reads: dict[str, tuple[str, builtins.list[str]]] = {}
        for field, (name, kind, extra) in ACCOUNT_ROWS.items():
            names = [*(c.name for c in NODE_KINDS[kind].columns), *extra]
            reads[field] = (self._account_q(name, kind), names)
        for key, (_, _, _, text, names) in self._account_link_reads().items():
            reads[key] = (text, names)
        return reads

    def _account_link_reads(
        self,
    ) -> dict[str, tuple[str, str, str, str, builtins.list[str]]]:
        """REPORTS_TO and KNOWS from and to the account's contacts, one query per
        (relationship, kinds, way): its (rel, src kind, tgt kind, text, names) by key."""
        reads: dict[str, tuple[str, str, str, str, builtins.list[str]]] = {}
        for rel_name in ("REPORTS_TO", "KNOWS"):
            rel = REL_KINDS[rel_name]
            extra = queries.Fragment(
                "".join(
                    f", e.{queries.ident(c.name)} AS {queries.ident(c.name)}" for c in rel.columns
                )
            )
            names = ["source", "target", *(c.name for c in rel.columns)]
            for s, t in rel.pairs:
                src, tgt = NODE_KINDS[s], NODE_KINDS[t]
                # From the company to its contacts and one hop on: one join
                # each way instead of a lookup per contact.
                if s == "contact":
                    text = self._q("account_links_out", rel=rel.name, tgt=tgt.label, returns=extra)
                    reads[f"links:{rel_name}:{s}:{t}:out"] = (rel_name, s, t, text, names)
                if t == "contact" and s == "contact":
                    # Links between two of the account's contacts came with the
                    # outgoing ones: only those from elsewhere (a contact's company_id
                    # is where they are employed).
                    text = self._q("account_links_in_outside", rel=rel.name, returns=extra)
                    reads[f"links:{rel_name}:{s}:{t}:in"] = (rel_name, s, t, text, names)
                elif t == "contact":
                    text = self._q("account_links_in", rel=rel.name, src=src.label, returns=extra)
                    reads[f"links:{rel_name}:{s}:{t}:in"] = (rel_name, s, t, text, names)
        return reads

    def _user_link_reads(self, users: builtins.list[str]) -> builtins.list[tuple[Any, ...]]:
        """REPORTS_TO and KNOWS from and to the account's team (a handful of users, looked
        up directly): (rel name, src kind, tgt kind, then ``fetch_rels``' arguments)."""
        if not users:
            return []
        reads: builtins.list[tuple[Any, ...]] = []
        for rel_name in ("REPORTS_TO", "KNOWS"):
            rel = REL_KINDS[rel_name]
            for s, t in rel.pairs:
                src, tgt = NODE_KINDS[s], NODE_KINDS[t]
                if s == "user":
                    reads.append((rel_name, s, t, rel, src, tgt, "source", users))
                if t == "user":
                    reads.append((rel_name, s, t, rel, src, tgt, "target", users))
        return reads

    def _read_ahead(self, reads: builtins.list[tuple[str, tuple[Any, ...]]]) -> None:
        """Reads about to be made through :meth:`_reader`, each a primitive's name and its
        arguments (``fetch_nodes``, ``fetch_rels``), none depending on another.

        A backend whose round trips cost more than its queries may send them
        together now; by default each runs when asked.
        """
        return None

    def _read_table(self, text: str, params: Mapping[str, Any] | None, kind: NodeKind) -> pa.Table:
        """A read query's rows as an Arrow table of ``kind``'s columns (times naive UTC).

        Backends that can hand results over as Arrow override this: it saves a
        Python object per value on the tens of thousands of rows of a busy account.
        """
        return rows_table(kind, [normalise_row(kind, r) for r in self._read(text, params)])

    def _read_rows(
        self, text: str, params: Mapping[str, Any], names: Sequence[str]
    ) -> builtins.list[Row]:
        """An account query's rows, which return ``names``: thousands on a busy account.

        Backends that can send many rows faster when told their columns override this.
        """
        return self._read(text, params)

    def _read_links(
        self, text: str, params: Mapping[str, Any], names: Sequence[str]
    ) -> builtins.list[Row]:
        """A link query's rows, which return ``names``: plain values, thousands on a busy account.

        Backends with a faster bulk conversion than their row reader override this.
        """
        return self._read(text, params)

    def _account_q(self, name: str, kind: str) -> str:
        return self._q(name, returns=self._returns(NODE_KINDS[kind]))

    def _account_links(
        self, p: dict[str, str], users: builtins.list[str], reach: set[str]
    ) -> builtins.list[tuple[str, str, str, Row]]:
        """REPORTS_TO and KNOWS touching the account's contacts or its team.

        ``reach``: the contacts that belong in the graph (the account's own and
        its touchpoints' participants). A team member's acquaintances at other
        accounts are left out unless they also know someone here: a rep who
        knows a hundred people elsewhere says nothing about this account.
        """
        links: builtins.list[tuple[str, str, str, Row]] = []  # (rel, src kind, tgt kind, row)
        for rel_name, s, t, text, names in self._account_link_reads().values():
            links += [(rel_name, s, t, r) for r in self._read_links(text, p, names)]
        reader = self._reader()
        by_user = [
            (rel_name, s, t, r)
            for rel_name, s, t, *spec in self._user_link_reads(users)
            for r in reader.fetch_rels(*spec)
        ]
        reach = reach | {
            r[end]
            for _, s, t, r in links
            for end, k in (("source", s), ("target", t))
            if k == "contact"
        }
        for rel_name, s, t, r in by_user:
            if (s != "contact" or r["source"] in reach) and (
                t != "contact" or r["target"] in reach
            ):
                links.append((rel_name, s, t, r))
        # A link between two of the account's people comes back from both ends (and a
        # team member's from the user side too): keep it once, or it counts twice.
        seen: set[tuple[str, str, str, str, str]] = set()
        unique = []
        for link in links:
            rel_name, s, t, r = link
            ident = (rel_name, s, t, r["source"], r["target"])
            if ident not in seen:
                seen.add(ident)
                unique.append(link)
        unique.sort(key=lambda x: (x[0], x[1], x[2], x[3]["source"], x[3]["target"]))
        return unique

    # -- helpers -----------------------------------------------------------------------
    @staticmethod
    def _searched(k: NodeKind, fields: Sequence[str] | None) -> builtins.list[str]:
        """The text fields of ``k`` a search looks in: all of them, or those of ``fields``."""
        return [f for f in k.text_fields if fields is None or f in fields]

    def _contains(self, fields: Sequence[str]) -> queries.Fragment:
        """Search's test: one of ``fields`` of ``n``, lower-cased, contains ``$q``."""
        return queries.Fragment(
            " OR ".join(f"{self.lower_fn}(n.{queries.ident(f)}) CONTAINS $q" for f in fields)
        )

    @staticmethod
    def _returns(k: NodeKind) -> queries.Fragment:
        return queries.returns(c.name for c in k.columns)
