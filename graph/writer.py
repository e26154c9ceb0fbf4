"""The write algorithm both stores share: validate, check references, diff, write.

Backends supply primitives (:class:`WriteTx`); this module decides what to
create, update or leave alone, so idempotency and bad-item reporting behave the
same on LadybugDB and Neo4j. Per chunk:

1. validate every item against its model; a bad one becomes a :class:`Rejection`;
2. check the ids it refers to exist (a contact's company...); a dangling one
   is rejected naming the field and the id;
3. fetch the stored rows for the ids in the chunk and compare: new rows are
   created, changed ones updated, equal ones left alone (so a re-run writes
   nothing, which is what makes re-imports fast);
4. write the relationships derived from node fields for new and changed nodes.

All of a chunk's writes run in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cache
from itertools import islice
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from graph.digest import digests, rows_table
from graph.model import Node, Rel, validation_error
from graph.schema import NODE_KINDS, NodeKind, RelKind
from graph.store import Rejection, WriteReport

Row = dict[str, Any]


class WriteTx(Protocol):
    """The primitives a backend offers inside one write transaction."""

    def existing_ids(self, kind: NodeKind, ids: Sequence[str]) -> set[str]: ...

    def fetch_nodes(self, kind: NodeKind, ids: Sequence[str]) -> dict[str, Row]: ...

    def create_nodes(self, kind: NodeKind, rows: list[Row]) -> None: ...

    def update_nodes(self, kind: NodeKind, rows: list[Row]) -> None: ...

    def fetch_rels(
        self, rel: RelKind, src: NodeKind, tgt: NodeKind, by: str, ids: Sequence[str]
    ) -> list[Row]: ...

    def fetch_rels_not_from(
        self, rel: RelKind, src: NodeKind, tgt: NodeKind, origin_prefix: str
    ) -> list[Row]: ...

    def create_rels(self, rel: RelKind, src: NodeKind, tgt: NodeKind, rows: list[Row]) -> None: ...

    def delete_rels(self, rel: RelKind, src: NodeKind, tgt: NodeKind, rows: list[Row]) -> None: ...


def to_row(item: BaseModel) -> Row:
    """A model as a row of values the stores take.

    Enum fields stay StrEnum members: they are ``str`` to the drivers and to
    Arrow, and compare equal to the plain strings a store reads back.
    """
    # A shallow copy of the validated fields: model_dump() costs ~10x more and
    # this runs once per written item.
    return dict(item.__dict__)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def utc(value: Any) -> Any:
    """A stored timestamp read back as UTC-aware; anything else unchanged.

    Naive means UTC; an integer is microseconds since the epoch (how Neo4j
    hands times over fast, see ``Neo4jStore._returns``).
    """
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    if type(value) is int:
        return _EPOCH + timedelta(microseconds=value)
    return value


def day(value: Any) -> Any:
    """A stored date read back as a date; an integer is days since the epoch (how
    Neo4j hands dates over fast, see ``Neo4jStore._returns``). Anything else unchanged."""
    if type(value) is int:
        return _EPOCH_DAY + timedelta(days=value)
    return value


_EPOCH_DAY = date(1970, 1, 1)


def stored_value(kind: str, value: Any) -> Any:
    """A value of a column of type ``kind`` as the model holds it (see :func:`normalise_row`)."""
    if kind == "TIMESTAMP":
        return utc(value)
    if kind == "DATE":
        return day(value)
    if kind == "STRING[]" and value is None:
        return []
    return value


def normalise_row(kind: NodeKind | RelKind, raw: Mapping[str, Any]) -> Row:
    """A stored row with exactly the kind's columns, times made UTC-aware."""
    row: Row = {}
    for col in kind.columns:
        value = raw.get(col.name)
        if col.kind in _CONVERTED:
            value = stored_value(col.kind, value)
        row[col.name] = value
    return row


_CONVERTED = frozenset({"TIMESTAMP", "DATE", "STRING[]"})


T = TypeVar("T")


def chunked(items: Iterable[T], size: int) -> Iterable[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


@cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _validate(
    model: type[BaseModel], items: Sequence[Any], offset: int, report: WriteReport
) -> list[tuple[int, BaseModel]]:
    # One call into pydantic-core for the whole chunk is several times faster
    # than one per item; only a chunk with bad items is gone over item by item.
    try:
        built = _list_adapter(model).validate_python(list(items))
        return list(enumerate(built, start=offset))
    except PydanticValidationError:
        pass
    good: list[tuple[int, BaseModel]] = []
    for i, item in enumerate(items, start=offset):
        if isinstance(item, model):
            good.append((i, item))
            continue
        try:
            good.append((i, model.model_validate(item)))
        except PydanticValidationError as exc:
            err = validation_error(model, exc, item)
            report.rejected.append(Rejection(i, err.item, err.field, str(err)))
    return good


def _ids_in(value: Any) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _check_refs(
    tx: WriteTx, kind: NodeKind, good: list[tuple[int, BaseModel]], report: WriteReport
) -> list[tuple[int, BaseModel]]:
    """Drop (and report) items that name an id which is not stored."""
    missing: dict[tuple[str, str], bool] = {}
    for d in kind.derived:
        other = NODE_KINDS[d.other]
        wanted = {i for _, it in good for i in _ids_in(getattr(it, d.field))}
        found = tx.existing_ids(other, sorted(wanted)) if wanted else set()
        for i in wanted - found:
            missing[(d.field, i)] = True
    if not missing:
        return good
    kept = []
    for index, item in good:
        bad = next(
            (
                (d.field, i)
                for d in kind.derived
                for i in _ids_in(getattr(item, d.field))
                if (d.field, i) in missing
            ),
            None,
        )
        if bad is None:
            kept.append((index, item))
            continue
        field, ref = bad
        target = next(d.other for d in kind.derived if d.field == field)
        report.rejected.append(
            Rejection(
                index,
                getattr(item, "id", None),
                field,
                f"{kind.model.__name__} {getattr(item, 'id', '')!r}: field {field!r}: "
                f"no {target} with id {ref!r}; write that {target} first or fix the id",
            )
        )
    return kept


FINGERPRINT = "fingerprint"
SAME: Row = {}  # stands for a stored row known equal to the incoming one


def fingerprints(kind: NodeKind, rows: Sequence[Row]) -> list[str]:
    """Short digests of rows' values, stored with the nodes to spot changes.

    Comparing digests saves reading every stored column back into Python on
    a re-write, which cost more than the write itself. The digest is the one
    :mod:`graph.bulk` computes from Arrow columns (see :mod:`graph.digest`), so
    a node written by either path and rewritten by the other is unchanged.
    """
    return digests(kind, rows_table(kind, rows))


def _stored_rows(tx: WriteTx, kind: NodeKind, rows: dict[str, Row]) -> dict[str, Row]:
    """The stored rows of the ids in ``rows``; SAME where the digest matches."""
    fetch_fps = getattr(tx, "fetch_fingerprints", None)
    if fetch_fps is None:
        return tx.fetch_nodes(kind, list(rows))
    for row, fp in zip(rows.values(), fingerprints(kind, list(rows.values())), strict=True):
        row[FINGERPRINT] = fp
    stored_fps: dict[str, str | None] = fetch_fps(kind, list(rows))
    differ = [i for i, fp in stored_fps.items() if fp != rows[i][FINGERPRINT]]
    # A missing digest (a node changed by erasure, say) means: compare in full.
    full = tx.fetch_nodes(kind, differ) if differ else {}
    for id_, row in full.items():
        full[id_] = {**row, FINGERPRINT: stored_fps[id_]}
    return {i: full.get(i, SAME) for i in stored_fps}


def upsert_chunk(tx: WriteTx, kind: NodeKind, items: Sequence[Any], offset: int = 0) -> WriteReport:
    """Create or update one chunk of nodes; see the module docstring."""
    report = WriteReport(kind.name)
    good = _validate(kind.model, items, offset, report)
    good = _check_refs(tx, kind, good, report)
    # Within one chunk the last copy of an id wins, as a re-run would make it.
    latest: dict[str, Node] = {}
    for _, item in good:
        assert isinstance(item, Node)
        latest[item.id] = item
    report.unchanged += len(good) - len(latest)
    if not latest:
        return report
    rows = {id_: to_row(item) for id_, item in latest.items()}
    stored = _stored_rows(tx, kind, rows)
    new_rows: list[Row] = []
    changed_rows: list[Row] = []
    old_rows: dict[str, Row] = {}
    for id_, row in rows.items():
        if id_ not in stored:
            new_rows.append(row)
        elif stored[id_] is not SAME and stored[id_] != row:
            changed_rows.append(row)
            old_rows[id_] = stored[id_]
    report.unchanged += len(latest) - len(new_rows) - len(changed_rows)
    if new_rows:
        tx.create_nodes(kind, new_rows)
    if changed_rows:
        tx.update_nodes(kind, changed_rows)
    report.created += len(new_rows)
    report.updated += len(changed_rows)
    _write_derived(tx, kind, new_rows, changed_rows, old_rows)
    return report


def _write_derived(
    tx: WriteTx, kind: NodeKind, new_rows: list[Row], changed: list[Row], old: dict[str, Row]
) -> None:
    from graph.schema import REL_KINDS

    for d in kind.derived:
        rel = REL_KINDS[d.rel]
        other = NODE_KINDS[d.other]
        src, tgt = (kind, other) if d.outgoing else (other, kind)

        def pair(node_id: str, other_id: str, outgoing: bool = d.outgoing) -> Row:
            return (
                {"source": node_id, "target": other_id}
                if outgoing
                else {"source": other_id, "target": node_id}
            )

        create = [pair(r["id"], o) for r in new_rows for o in _ids_in(r[d.field])]
        moved = [r for r in changed if _ids_in(r[d.field]) != _ids_in(old[r["id"]].get(d.field))]
        if moved:
            by = "source" if d.outgoing else "target"
            other_side = "target" if d.outgoing else "source"
            have: dict[str, set[str]] = {}
            for e in tx.fetch_rels(rel, src, tgt, by, [r["id"] for r in moved]):
                have.setdefault(e[by], set()).add(e[other_side])
            stale = []
            for r in moved:
                want = set(_ids_in(r[d.field]))
                got = have.get(r["id"], set())
                create += [pair(r["id"], o) for o in sorted(want - got)]
                if d.replace:
                    stale += [pair(r["id"], o) for o in sorted(got - want)]
            if stale:
                tx.delete_rels(rel, src, tgt, stale)
        if create:
            tx.create_rels(rel, src, tgt, [_rel_row(rel, p) for p in create])


def _rel_row(rel: RelKind, pair: Row) -> Row:
    # Derived relationships of kinds that also carry properties (EMPLOYED_AT)
    # get those properties empty: the history is written explicitly.
    return {**pair, **{c.name: None for c in rel.columns}}


def _endpoint_kinds(tx: WriteTx, candidates: list[str], ids: set[str]) -> dict[str, list[str]]:
    """For each id, the node kinds (among candidates) that hold it."""
    found: dict[str, list[str]] = {}
    for name in candidates:
        for id_ in tx.existing_ids(NODE_KINDS[name], sorted(ids)):
            found.setdefault(id_, []).append(name)
    return found


def link_chunk(tx: WriteTx, rel: RelKind, items: Sequence[Any], offset: int = 0) -> WriteReport:
    """Create or update one chunk of explicit relationships."""
    assert rel.model is not None, f"{rel.name} is derived from node fields; write the nodes"
    report = WriteReport(rel.name)
    good = _validate(rel.model, items, offset, report)
    src_names = list(dict.fromkeys(s for s, _ in rel.pairs))
    tgt_names = list(dict.fromkeys(t for _, t in rel.pairs))
    srcs = _endpoint_kinds(tx, src_names, {it.source for _, it in good})  # type: ignore[attr-defined]
    tgts = _endpoint_kinds(tx, tgt_names, {it.target for _, it in good})  # type: ignore[attr-defined]
    groups: dict[tuple[str, str], dict[tuple[Any, ...], Row]] = {}
    for index, item in good:
        assert isinstance(item, Rel)
        label = f"{item.source}->{item.target}"
        options = [
            (s, t)
            for s in srcs.get(item.source, [])
            for t in tgts.get(item.target, [])
            if (s, t) in rel.pairs
        ]
        if len(options) != 1:
            field, reason = _endpoint_problem(rel, item, srcs, tgts, src_names, tgt_names, options)
            report.rejected.append(Rejection(index, label, field, f"{rel.name} {label}: {reason}"))
            continue
        row = to_row(item)
        groups.setdefault(options[0], {})[_rel_key(rel, row)] = row
    for (s, t), rows in groups.items():
        src, tgt = NODE_KINDS[s], NODE_KINDS[t]
        stored = {
            _rel_key(rel, e): e
            for e in tx.fetch_rels(
                rel, src, tgt, "source", sorted({r["source"] for r in rows.values()})
            )
        }
        create = [r for k, r in rows.items() if k not in stored]
        changed = [r for k, r in rows.items() if k in stored and stored[k] != r]
        if changed:
            # A relationship's properties change by replacing it: one code path
            # for both dialects, and LadybugDB has no MERGE worth using here.
            tx.delete_rels(rel, src, tgt, [stored[_rel_key(rel, r)] for r in changed])
        if create or changed:
            tx.create_rels(rel, src, tgt, create + changed)
        report.created += len(create)
        report.updated += len(changed)
        report.unchanged += len(rows) - len(create) - len(changed)
    return report


def _rel_key(rel: RelKind, row: Row) -> tuple[Any, ...]:
    return (row["source"], row["target"], *(row.get(k) for k in rel.key))


def _endpoint_problem(
    rel: RelKind,
    item: Rel,
    srcs: dict[str, list[str]],
    tgts: dict[str, list[str]],
    src_names: list[str],
    tgt_names: list[str],
    options: list[tuple[str, str]],
) -> tuple[str, str]:
    if item.source not in srcs:
        return "source", f"no {' or '.join(src_names)} with id {item.source!r}"
    if item.target not in tgts:
        return "target", f"no {' or '.join(tgt_names)} with id {item.target!r}"
    if not options:
        allowed = ", ".join(f"{s}->{t}" for s, t in rel.pairs)
        return "source", f"{rel.name} joins only {allowed}"
    return "source", (
        f"ids are ambiguous: {item.source!r} / {item.target!r} exist as more than one kind"
    )
