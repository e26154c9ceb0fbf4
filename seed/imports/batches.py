"""Turning one chunk of rows into the nodes to write, kind by kind.

Each ``build_*`` function reads a chunk of rows with a compiled
:class:`RowReader`, resolves identities and references, and returns a
:class:`Batch`: the nodes to upsert (in write order) with the file lines each
came from, the rows it had to reject and the merges it made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph import model as m
from graph.errors import ValidationError
from graph.store import Store
from seed.imports.fields import RowError, RowReader
from seed.imports.identity import Identities, Match
from seed.imports.normalise import safe_id, short_hash
from seed.imports.readers import BadLine, ReadRow, Source

_SILO_ORDER = {s: i for i, s in enumerate(m.Silo)}


@dataclass(frozen=True)
class Merge:
    """One row folded into a record another row (or the store) already had."""

    kind: str
    into: str
    rule: str
    key: str
    file: str
    line: int


@dataclass
class Context:
    """What every row of one file shares."""

    source: str  # the mapping's id namespace ("" keeps ids as they are)
    silo: m.Silo | None
    ids: Identities
    store: Store
    reader: RowReader
    file: Source
    departments: set[str] = field(default_factory=set)


@dataclass
class Batch:
    """What one chunk becomes."""

    # (node kind, nodes, the (line, row) each node came from), in write order
    writes: list[tuple[str, list[m.Node], list[ReadRow]]] = field(default_factory=list)
    rejects: list[tuple[ReadRow, str | None, str]] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)


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
    update: dict[str, Any] = {}
    for name in type(old).model_fields:
        mine, theirs = getattr(old, name), getattr(new, name)
        if name == "sources":
            united = sorted(set(mine) | set(theirs), key=_SILO_ORDER.__getitem__)
            if united != list(mine):
                update[name] = united
        elif mine in (None, "", []) and theirs not in (None, "", []):
            update[name] = theirs
    return old.model_copy(update=update) if update else old


def _rows(ctx: Context, chunk: list[ReadRow], batch: Batch) -> list[tuple[ReadRow, dict[str, Any]]]:
    out = []
    for item in chunk:
        row = item[1]
        if isinstance(row, BadLine):
            batch.rejects.append((item, None, row.reason))
            continue
        try:
            out.append((item, ctx.reader.read(row)))
        except RowError as exc:
            batch.rejects.append((item, exc.field, exc.reason))
    return out


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
    chunk: list[ReadRow],
    kind: str,
    build: Callable[[dict[str, Any], Batch], tuple[Match, m.Node, str | None]],
    accept: Callable[[str | None, Any], None],
) -> Batch:
    """Rows of a kind that is deduplicated: merge within the chunk and with the store."""
    batch = Batch()
    pending: dict[str, m.Node] = {}
    origin: dict[str, ReadRow] = {}
    fetch: list[str] = []
    for item, f in _rows(ctx, chunk, batch):
        try:
            match, node, foreign = build(f, batch)
        except RowError as exc:
            batch.rejects.append((item, exc.field, exc.reason))
            continue
        if match.rule:
            batch.merges.append(
                Merge(kind, match.id, match.rule, match.key, str(ctx.file.path), item[0])
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
        for id, stored in ctx.store.get_many(kind, fetch).items():
            if id in pending:
                pending[id] = merge_nodes(stored, pending[id])
    batch.writes.append((kind, list(pending.values()), [origin[i] for i in pending]))
    return batch


def build_companies(ctx: Context, chunk: list[ReadRow]) -> Batch:
    def build(f: dict[str, Any], batch: Batch) -> tuple[Match, m.Node, str | None]:
        foreign = f.pop("id", None)
        match = ctx.ids.match_company(ctx.source, foreign, f.get("domain"), f["name"])
        return match, _validate(m.Company, {**f, "id": match.id}), foreign

    def accept(foreign: str | None, node: Any) -> None:
        ctx.ids.accept_company(ctx.source, foreign, node)

    return _identity_batch(ctx, chunk, "company", build, accept)


def build_users(ctx: Context, chunk: list[ReadRow]) -> Batch:
    def build(f: dict[str, Any], batch: Batch) -> tuple[Match, m.Node, str | None]:
        foreign = f.pop("id", None)
        match = ctx.ids.match_user(ctx.source, foreign, f.get("email"), f["name"])
        return match, _validate(m.User, {**f, "id": match.id}), foreign

    def accept(foreign: str | None, node: Any) -> None:
        ctx.ids.accept_user(ctx.source, foreign, node)

    return _identity_batch(ctx, chunk, "user", build, accept)


def build_contacts(ctx: Context, chunk: list[ReadRow]) -> Batch:
    departments: dict[str, m.Node] = {}
    department_rows: list[ReadRow] = []

    def build(f: dict[str, Any], batch: Batch) -> tuple[Match, m.Node, str | None]:
        foreign = f.pop("id", None)
        company_id = _company(ctx, f)
        # The file's silo and the row's own (a lead source column) both knew the person.
        silos = {s for s in (ctx.silo, f.pop("silo", None)) if s is not None}
        function = f.pop("department", None)
        if function is not None:
            dept = m.department_id(company_id, function)
            f["department_id"] = dept
            if dept not in ctx.departments and dept not in departments:
                departments[dept] = m.Department(id=dept, company_id=company_id, function=function)
                department_rows.append((0, []))
        match = ctx.ids.match_contact(ctx.source, foreign, f.get("email"), f["name"], company_id)
        sources = sorted(silos, key=_SILO_ORDER.__getitem__)
        data = {**f, "id": match.id, "company_id": company_id, "sources": sources}
        return match, _validate(m.Contact, data), foreign

    def accept(foreign: str | None, node: Any) -> None:
        ctx.ids.accept_contact(ctx.source, foreign, node)

    batch = _identity_batch(ctx, chunk, "contact", build, accept)
    if departments:
        ctx.departments.update(departments)
        batch.writes.insert(0, ("department", list(departments.values()), department_rows))
    return batch


def _plain_batch(
    ctx: Context, chunk: list[ReadRow], kind: str, build: Callable[[dict[str, Any]], m.Node]
) -> Batch:
    """Rows of a kind keyed only by id: the last row with an id wins."""
    batch = Batch()
    pending: dict[str, m.Node] = {}
    origin: dict[str, ReadRow] = {}
    for item, f in _rows(ctx, chunk, batch):
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


def build_touchpoints(ctx: Context, chunk: list[ReadRow]) -> Batch:
    def build(f: dict[str, Any]) -> m.Node:
        if "contact_ids" in f:
            f["contact_ids"] = _refs(ctx, "contact", "contact_ids", f["contact_ids"])
        if "user_ids" in f:
            f["user_ids"] = _refs(ctx, "user", "user_ids", f["user_ids"])
        f["company_id"] = _company_or_contacts(ctx, f)
        id = _own_id(
            ctx, f, "touchpoint", f["company_id"], f["type"], f["at"].isoformat(),
            f.get("contact_ids"), f.get("subject"),
        )
        return _validate(m.Touchpoint, {**f, "id": id})

    return _plain_batch(ctx, chunk, "touchpoint", build)


def build_opportunities(ctx: Context, chunk: list[ReadRow]) -> Batch:
    def build(f: dict[str, Any]) -> m.Node:
        if "contact_ids" in f:
            f["contact_ids"] = _refs(ctx, "contact", "contact_ids", f["contact_ids"])
        f["company_id"] = _company_or_contacts(ctx, f)
        id = _own_id(ctx, f, "opportunity", f["company_id"], f.get("name"), f.get("close_date"))
        return _validate(m.Opportunity, {**f, "id": id})

    return _plain_batch(ctx, chunk, "opportunity", build)


def build_profile_items(ctx: Context, chunk: list[ReadRow]) -> Batch:
    def build(f: dict[str, Any]) -> m.Node:
        f["contact_id"] = _refs(ctx, "contact", "contact_id", [f["contact_id"]])[0]
        if "entered_by" in f:
            f["entered_by"] = _refs(ctx, "user", "entered_by", [f["entered_by"]])[0]
        id = _own_id(ctx, f, "profile", f["contact_id"], f["key"], f["value"])
        return _validate(m.ProfileItem, {**f, "id": id})

    return _plain_batch(ctx, chunk, "profile_item", build)


BUILDERS: dict[str, Callable[[Context, list[ReadRow]], Batch]] = {
    "users": build_users,
    "companies": build_companies,
    "contacts": build_contacts,
    "profile_items": build_profile_items,
    "opportunities": build_opportunities,
    "touchpoints": build_touchpoints,
}
