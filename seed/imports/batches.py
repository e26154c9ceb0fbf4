"""Turning one chunk of read rows into the nodes to write, kind by kind.

Each ``build_*`` function takes a chunk already read into our fields
(:class:`~seed.imports.columns.Fields`), resolves identities and references,
and returns a :class:`Batch`: what to upsert (in write order) with the row of
the chunk each item came from, the rows it had to reject and the merges it
made. Contacts and touchpoints, the big files, are built column-wise in
:mod:`~seed.imports.columnar`; the kinds here go row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph import model as m
from graph.errors import ValidationError
from graph.store import Store
from seed.imports.columns import Fields
from seed.imports.fields import RowError
from seed.imports.identity import Identities, Match
from seed.imports.mapping import MULTI_VALUED_KEYS
from seed.imports.normalise import safe_id, short_hash
from seed.imports.readers import Source

_SILO_ORDER = {s: i for i, s in enumerate(m.Silo)}


@dataclass(frozen=True)
class Merge:
    """One row folded into a record another row (or the store) already had."""

    kind: str
    into: str
    rule: str
    key: str
    file: str
    line: int = 0  # filled in when the merge is reported


@dataclass
class Context:
    """What every row of one file shares."""

    source: str  # the mapping's id namespace ("" keeps ids as they are)
    silo: m.Silo | None
    ids: Identities
    store: Store
    file: Source
    departments: set[str] = field(default_factory=set)
    multi_valued_keys: frozenset[str] = MULTI_VALUED_KEYS  # profile keys with several values
    # Waits for the writes in flight (set by the importer, which writes a chunk
    # while the next is built).
    wait: Callable[[], None] = lambda: None

    def settled(self) -> Store:
        """The store, once every chunk handed to it has been written: for reads."""
        self.wait()
        return self.store


@dataclass
class Batch:
    """What one chunk becomes."""

    # (node kind, nodes or an Arrow table, the chunk row each came from; -1: none),
    # in write order
    writes: list[tuple[str, Any, list[int]]] = field(default_factory=list)
    rejects: list[tuple[int, str | None, str]] = field(default_factory=list)  # row, field, why
    merges: list[tuple[int, Merge]] = field(default_factory=list)  # row, merge
    unchanged: int = 0  # records found equal to the stored ones and so not written


def _validate(model: type[m.Node], data: dict[str, Any]) -> m.Node:
    try:
        return m.validate(model, data)
    except ValidationError as exc:
        raise RowError(exc.field, str(exc)) from None


def merge_nodes(old: m.Node, new: m.Node) -> m.Node:
    """``old`` with its empty fields filled from ``new``; contact sources united.

    What was known first wins a conflict, so the order files are given in decides,
    and the same order always gives the same result.
    """
    update = merge_update(
        {name: getattr(old, name) for name in type(old).model_fields},
        {name: getattr(new, name) for name in type(new).model_fields},
    )
    return old.model_copy(update=update) if update else old


def merge_update(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``old`` that merging ``new`` into it changes (see merge_nodes)."""
    update: dict[str, Any] = {}
    for name, mine in old.items():
        theirs = new.get(name)
        if name == "sources":
            united = sorted(set(mine or ()) | set(theirs or ()), key=_SILO_ORDER.__getitem__)
            if united != list(mine or ()):
                update[name] = united
        elif mine in (None, "", []) and theirs not in (None, "", []):
            update[name] = theirs
    return update


def _rows(fields: Fields, batch: Batch) -> list[tuple[int, dict[str, Any]]]:
    batch.rejects.extend(fields.problems)
    return fields.rows()


def _company(ctx: Context, f: dict[str, Any]) -> str:
    foreign = f.pop("company_id", None)
    domain = f.pop("company_domain", None)
    name = f.pop("company_name", None)
    found = ctx.ids.company_ref(ctx.source, foreign, domain, name)
    if found is None:
        given = foreign or domain or name
        field = "company_id" if foreign else "company_domain" if domain else "company_name"
        raise RowError(
            field,
            f"company {given!r} is not there; import its companies file first "
            "(in this run or an earlier one)",
        )
    return found


def _refs(ctx: Context, kind: str, field: str, foreign: list[str]) -> list[str]:
    ours = []
    for ref in foreign:
        hit = ctx.ids.ref(ctx.source, kind, ref)
        if hit is None:
            raise RowError(field, f"{kind} {ref!r} is not there; import its {kind}s first")
        if hit not in ours:
            ours.append(hit)
    return ours


def _identity_batch(
    ctx: Context,
    chunk: Fields,
    kind: str,
    build: Callable[[dict[str, Any], Batch], tuple[Match, m.Node, str | None]],
    accept: Callable[[str | None, Any], None],
) -> Batch:
    """Rows of a kind that is deduplicated: merge within the chunk and with the store."""
    batch = Batch()
    pending: dict[str, m.Node] = {}
    origin: dict[str, int] = {}
    fetch: list[str] = []
    for item, f in _rows(chunk, batch):
        try:
            match, node, foreign = build(f, batch)
        except RowError as exc:
            batch.rejects.append((item, exc.field, exc.reason))
            continue
        if match.rule:
            batch.merges.append(
                (item, Merge(kind, match.id, match.rule, match.key, str(ctx.file.path)))
            )
        if match.id in pending:
            pending[match.id] = merge_nodes(pending[match.id], node)
        else:
            pending[match.id] = node
            origin[match.id] = item
            if match.existed:
                fetch.append(match.id)
        accept(foreign, pending[match.id])
    if fetch:
        for id, stored in ctx.settled().get_many(kind, fetch).items():
            if id in pending:
                pending[id] = merge_nodes(stored, pending[id])
    batch.writes.append((kind, list(pending.values()), [origin[i] for i in pending]))
    return batch


def build_companies(ctx: Context, chunk: Fields) -> Batch:
    def build(f: dict[str, Any], batch: Batch) -> tuple[Match, m.Node, str | None]:
        foreign = f.pop("id", None)
        match = ctx.ids.match_company(ctx.source, foreign, f.get("domain"), f["name"])
        return match, _validate(m.Company, {**f, "id": match.id}), foreign

    def accept(foreign: str | None, node: Any) -> None:
        ctx.ids.accept_company(ctx.source, foreign, node)

    return _identity_batch(ctx, chunk, "company", build, accept)


def build_users(ctx: Context, chunk: Fields) -> Batch:
    def build(f: dict[str, Any], batch: Batch) -> tuple[Match, m.Node, str | None]:
        foreign = f.pop("id", None)
        match = ctx.ids.match_user(ctx.source, foreign, f.get("email"), f["name"])
        return match, _validate(m.User, {**f, "id": match.id}), foreign

    def accept(foreign: str | None, node: Any) -> None:
        ctx.ids.accept_user(ctx.source, foreign, node)

    return _identity_batch(ctx, chunk, "user", build, accept)


def _plain_batch(
    ctx: Context, chunk: Fields, kind: str, build: Callable[[dict[str, Any]], m.Node]
) -> Batch:
    """Rows of a kind keyed only by id: the last row with an id wins."""
    batch = Batch()
    pending: dict[str, m.Node] = {}
    origin: dict[str, int] = {}
    for item, f in _rows(chunk, batch):
        try:
            node = build(f)
        except RowError as exc:
            batch.rejects.append((item, exc.field, exc.reason))
            continue
        pending[node.id] = node
        origin[node.id] = item
    batch.writes.append((kind, list(pending.values()), [origin[i] for i in pending]))
    return batch


def _own_id(ctx: Context, f: dict[str, Any], kind: str, *key: object) -> str:
    foreign = f.pop("id", None)
    if foreign:
        return safe_id(ctx.source, foreign)
    # No id in the export: the content is the identity, so a re-import finds it again.
    return f"{kind}-{short_hash(ctx.source, *map(str, key))}"


def _company_or_contacts(ctx: Context, f: dict[str, Any]) -> str:
    if not f.keys().isdisjoint(("company_id", "company_domain", "company_name")):
        return _company(ctx, f)
    first = f["contact_ids"][0]
    return ctx.ids.contact_company[first]


def build_opportunities(ctx: Context, chunk: Fields) -> Batch:
    def build(f: dict[str, Any]) -> m.Node:
        if "contact_ids" in f:
            f["contact_ids"] = _refs(ctx, "contact", "contact_ids", f["contact_ids"])
        f["company_id"] = _company_or_contacts(ctx, f)
        id = _own_id(ctx, f, "opportunity", f["company_id"], f.get("name"), f.get("close_date"))
        return _validate(m.Opportunity, {**f, "id": id})

    return _plain_batch(ctx, chunk, "opportunity", build)


def build_profile_items(ctx: Context, chunk: Fields) -> Batch:
    def build(f: dict[str, Any]) -> m.Node:
        f["contact_id"] = _refs(ctx, "contact", "contact_id", [f["contact_id"]])[0]
        if "entered_by" in f:
            f["entered_by"] = _refs(ctx, "user", "entered_by", [f["entered_by"]])[0]
        # A single-valued key's item is the contact's item for that key (see
        # mapping.MULTI_VALUED_KEYS): a changed value replaces the stale one.
        several = f["key"].strip().casefold() in ctx.multi_valued_keys
        identity = (f["contact_id"], f["key"], f["value"]) if several else (f["contact_id"],
                                                                            f["key"])
        id = _own_id(ctx, f, "profile", *identity)
        return _validate(m.ProfileItem, {**f, "id": id})

    return _plain_batch(ctx, chunk, "profile_item", build)


def build_deal_roles(ctx: Context, chunk: Fields) -> Batch:
    """A contact's role on an opportunity (Salesforce's OpportunityContactRole)."""

    def build(f: dict[str, Any]) -> m.Node:
        # Opportunities keep the id their export gave them (no merging), so the reference
        # is that id; the store refuses a role on an opportunity it does not hold.
        f["opportunity_id"] = safe_id(ctx.source, f["opportunity_id"])
        f["contact_id"] = _refs(ctx, "contact", "contact_id", [f["contact_id"]])[0]
        id = _own_id(ctx, f, "dealrole", f["opportunity_id"], f["contact_id"], f.get("role"))
        return _validate(m.DealRole, {**f, "id": id})

    return _plain_batch(ctx, chunk, "deal_role", build)


ROW_BUILDERS: dict[str, Callable[[Context, Fields], Batch]] = {
    "users": build_users,
    "companies": build_companies,
    "profile_items": build_profile_items,
    "opportunities": build_opportunities,
    "deal_roles": build_deal_roles,
}
