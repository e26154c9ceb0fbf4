"""The embedded store: LadybugDB (the maintained fork of Kuzu), one file on disk.

Write paths, measured here on 2 cores (see ``bench/bench_store.py``):
``COPY <table> FROM $arrow_table`` loads 300-650k rows/s; ``UNWIND ... CREATE``
about 15-45k rows/s; ``UNWIND ... MERGE`` slows to under 400 rows/s on a
1M-row table. So upserts look ids up by primary key with ``UNWIND $ids AS i
MATCH (n {id: i})`` (``WHERE n.id IN $ids`` scans the table: 21 s for 10k ids),
then COPY new rows in bulk and ``MATCH ... SET`` the changed ones
(:mod:`graph.writer` decides which).

One process writes at a time: LadybugDB locks the file. A second writer gets
:class:`StoreLocked`; readers may open it ``read_only`` alongside.

Checkpoints: a commit that COPYed checkpoints (LadybugDB's automatic checkpoint),
and a checkpoint rewrites more the bigger the tables are: the 10 commits of
5M touchpoints took 25 s, one checkpoint at the end 9 s. So inside
:meth:`LadybugStore.bulk_load` COPY-only transactions commit without one, and
the store checkpoints at the end of the load, every ``BULK_CHECKPOINT_ROWS``
rows, and before any other write. COPYed rows are not in the write-ahead log:
a process killed inside a bulk load loses what it COPYed since the last
checkpoint (a re-run writes it again), and the order above keeps the log from
ever holding a write over rows it would lose (replaying one crashed the engine).
Other writes inside a load are in the log and wait there for the next
checkpoint (the SET of 100,000 merged contacts checkpointed for 1.9 s at its
commit), unless they COPYed too.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from graph.digest import naive_utc, schema_of
from graph.errors import StoreError, StoreLocked, StoreUnavailable
from graph.schema import NODE_KINDS, REL_KINDS, Column, NodeKind, RelKind, node_kind
from graph.store import DataVersion, WriteReport
from graph.stores.base import UNVERSIONED, VERSION_LABEL, StoreBase
from graph.writer import FINGERPRINT, Row, WriteTx, normalise_row

R = TypeVar("R")

# Below this many rows UNWIND ... CREATE beats building an Arrow table
# (a COPY costs about 40 ms however small).
COPY_THRESHOLD = 2_000
# Scan a table's ids rather than look each up once the batch is 1/8 of it.
SCAN_RATIO = 8
# A bulk load checkpoints at least this often (rows COPYed into nodes and
# relationships), so a killed one loses a bounded amount of work.
BULK_CHECKPOINT_ROWS = 10_000_000
# COPY reads a Parquet file a row group per thread: one 500,000-row group loaded
# 1M touchpoints in 3.1 s, 64k-row groups in 1.7 s on our 2 cores.
COPY_ROW_GROUP = 65_536

_SAFE_PATH = re.compile(r"^[A-Za-z0-9_./-]+$")
_LOCK_HOLDER = re.compile(r"Lock is held by PID (\d+)")

log = logging.getLogger("accountgraph.store")


def _import_ladybug() -> Any:
    try:
        import ladybug
    except ImportError as exc:  # pragma: no cover - it is a core dependency
        raise StoreUnavailable("LadybugDB is not installed: pip install ladybug") from exc
    return ladybug


def _encode(rows: list[Row], columns: Sequence[Column]) -> list[Row]:
    times = [c.name for c in columns if c.kind == "TIMESTAMP"]
    if not times:
        return rows
    return [{**r, **{t: naive_utc(r.get(t)) for t in times}} for r in rows]


class LadybugStore(StoreBase):
    """The embedded default store."""

    dialect = "ladybug"
    lower_fn = "lower"

    def __init__(self, path: Path, *, read_only: bool = False, buffer_pool_mb: int = 1024):
        self.path = Path(path)
        self.read_only = read_only
        self._buffer_pool_mb = buffer_pool_mb
        self._lock = threading.RLock()
        self._copy_dir: tempfile.TemporaryDirectory[str] | None = None
        self._bulk = 0  # depth of bulk_load scopes
        self._unflushed = 0  # rows COPYed and committed since the last checkpoint
        self._in_log = False  # logged writes committed since the last checkpoint
        # Inside a bulk load: every stored id of a kind, read once and extended by
        # each COPY, so a batch's look-ups skip the ids a scan would only refute
        # (a 500,000-touchpoint batch read 1-2 s of ids and digests per batch).
        self._ids: dict[str, Any] = {}
        if self.path.is_dir():
            raise StoreUnavailable(
                f"{self.path} is a folder, not a LadybugDB database file; point "
                "ACCOUNTGRAPH_DATA_DIR at a folder of its own"
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(
                f"cannot create the data folder {self.path.parent}: {exc.strerror}; "
                "set ACCOUNTGRAPH_DATA_DIR to a writable folder"
            ) from None
        if read_only and not self.path.exists():
            raise StoreUnavailable(
                f"no database at {self.path} yet; create it with `accountgraph seed` or "
                "`accountgraph init`, or point ACCOUNTGRAPH_DATA_DIR at the folder that holds one"
            )
        self._open()
        if not read_only:
            self._clear_copy_folder()
            self._create_schema()
        self._upgrade_schema()

    def _open(self) -> None:
        lb = _import_ladybug()
        try:
            self._db = lb.Database(
                str(self.path), read_only=self.read_only,
                buffer_pool_size=self._buffer_pool_mb * 1024 * 1024,
            )
            self._conn = lb.Connection(self._db)
        except RuntimeError as exc:
            raise self._open_error(exc) from None

    def _open_error(self, exc: RuntimeError) -> StoreUnavailable:
        text = str(exc)
        holder = _LOCK_HOLDER.search(text)
        if holder or "lock" in text.lower():
            pid = holder.group(1) if holder else "another process"
            return StoreLocked(
                f"the embedded store {self.path} is open for writing by process {pid} "
                "(for example a running `accountgraph serve`); stop that process and try "
                "again, or write through its API"
            )
        return StoreUnavailable(
            f"{self.path} could not be opened as a LadybugDB database "
            f"({text.splitlines()[0]}); it may be another kind of file: move it aside or "
            "set ACCOUNTGRAPH_DATA_DIR to another folder"
        )

    def _create_schema(self) -> None:
        with self._lock:
            for k in NODE_KINDS.values():
                cols = ", ".join(f"`{c.name}` {c.kind}" for c in _stored(k))
                self._exec(self._q("create_node_table", label=k.label, columns=_frag(cols)))
            for r in REL_KINDS.values():
                pairs = ", ".join(
                    f"FROM {NODE_KINDS[s].label} TO {NODE_KINDS[t].label}" for s, t in r.pairs
                )
                cols = "".join(f", `{c.name}` {c.kind}" for c in r.columns)
                self._exec(
                    self._q("create_rel_table", rel=r.name, pairs=_frag(pairs), columns=_frag(cols))
                )
            self._exec(self._q("create_node_table", label=VERSION_LABEL,
                               columns=_frag("`id` STRING, `changes` INT64, `erasures` INT64")))

    def _upgrade_schema(self) -> None:
        """Add the columns a newer accountgraph gave a kind to a store an older one made.

        ``CREATE ... IF NOT EXISTS`` leaves an existing table as it was, so a store
        made before a field was added (a touchpoint's ``origin``) fails every read of
        that kind with "Cannot find property". A writable open adds them (empty); a
        read-only one cannot, and says how to upgrade.
        """
        tables: list[tuple[str, tuple[Column, ...]]] = [
            (k.label, _stored(k)) for k in NODE_KINDS.values()]
        tables += [(r.name, tuple(r.columns)) for r in REL_KINDS.values()]
        missing: list[tuple[str, Column]] = []
        for label, columns in tables:
            have = {row["name"] for row in self._read(self._q("table_columns", label=label))}
            missing += [(label, c) for c in columns if c.name not in have]
        if not missing:
            return
        names = ", ".join(f"{label}.{c.name}" for label, c in missing)
        if self.read_only:
            self.close()
            raise StoreUnavailable(
                f"{self.path} was made by an older accountgraph and lacks {names}; "
                "open it once for writing (`accountgraph init`) to add them"
            )
        with self._lock:
            for label, c in missing:
                self._exec(self._q("add_column", label=label, column=_frag(f"`{c.name}`"),
                                   type=_frag(c.kind)))
        log.info("store %s upgraded: added %s", self.path, names)

    # -- primitives -----------------------------------------------------------------
    def _exec(self, text: str, params: Mapping[str, Any] | None = None) -> Any:
        try:
            return self._conn.execute(text, dict(params) if params else None)
        except RuntimeError as exc:
            raise StoreError(
                f"the embedded store refused a query: {str(exc).splitlines()[0]}"
            ) from None

    def _read(self, text: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        with self._lock:
            result = self._exec(text, params)
            names = result.get_column_names()
            return [dict(zip(names, row, strict=True)) for row in result.get_all()]

    def _copy(self, table: Any, name: str, **slots: str) -> None:
        """COPY an Arrow table into a table, through a Parquet file.

        LadybugDB 0.22 keeps every Arrow table given to ``COPY ... FROM $rows``
        alive (its size, never freed): a ``seed --size large`` grew past the
        machine's memory. A file it reads itself is released, and loads as fast.
        COPY takes no parameter for a path, so the path is one we made, checked.
        """
        import pyarrow.parquet as pq

        import queries

        # One fixed file per store: the query text (and its cached rendering)
        # stays the same from one COPY to the next.
        path = self._copy_folder() / "rows.parquet"
        if not _SAFE_PATH.match(str(path)):
            raise StoreError(f"temporary folder {path.parent} has characters COPY cannot take")
        # Uncompressed: the file lives for one COPY, and encoding it is the cost.
        pq.write_table(table, path, compression="none", use_dictionary=False,
                       row_group_size=COPY_ROW_GROUP)
        try:
            self._exec(self._q(name, source=queries.Fragment(f"'{path}'"), **slots))
        finally:
            path.unlink(missing_ok=True)

    def _copy_folder(self) -> Path:
        """Where COPY files go: ``<database>.copy/`` beside the database.

        Only the one writing process uses it (LadybugDB locks the file), so a
        fixed folder is safe; the next writer to open the database removes one
        a killed process left, where temporary folders piled up in /tmp. A
        database path COPY cannot quote falls back to a temporary folder.
        """
        if self._copy_dir is not None:
            return Path(self._copy_dir.name)
        beside = self._beside()
        if _SAFE_PATH.match(str(beside)):
            beside.mkdir(exist_ok=True)
            return beside
        self._copy_dir = tempfile.TemporaryDirectory(prefix="accountgraph-copy-")
        return Path(self._copy_dir.name)

    def _beside(self) -> Path:
        return self.path.absolute().with_name(self.path.name + ".copy")

    def _clear_copy_folder(self) -> None:
        """Remove ``<database>.copy/`` and what a killed writer left in it."""
        beside = self._beside()
        with contextlib.suppress(OSError):
            for left in beside.iterdir():
                left.unlink(missing_ok=True)
            beside.rmdir()

    def _arrow(self, text: str, params: Mapping[str, Any] | None = None) -> Any:
        with self._lock:
            result = self._exec(text, params)
            # One chunk of exactly the result's rows: left to itself the binding sizes
            # chunks for ten million values, which cost 5 to 9 ms on every query.
            return result.get_as_arrow(max(result.get_num_tuples(), 1))

    def _read_links(
        self, text: str, params: Mapping[str, Any], names: Sequence[str]
    ) -> list[Row]:
        # Through Arrow a column at a time: the row reader's per-row Python calls
        # cost twice the query itself on the 2,000 "knows" links of a big account.
        table = self._arrow(text, params)
        names = table.column_names
        return [dict(zip(names, values, strict=True))
                for values in zip(*(c.to_pylist() for c in table.columns), strict=True)]

    def _read_arrow(self, text: str, params: Mapping[str, Any] | None) -> Any:
        return self._arrow(text, params)

    def _read_table(self, text: str, params: Mapping[str, Any] | None, kind: NodeKind) -> Any:
        # Arrow straight from the engine: a 20,000-touchpoint account comes back
        # several times faster than as rows of Python values.
        schema = schema_of(kind.columns)
        return self._arrow(text, params).rename_columns(schema.names).cast(schema)

    def _write(self, work: Callable[[WriteTx], R], *, copy_only: bool = False) -> R:
        """Run ``work`` in one write transaction.

        ``copy_only``: ``work`` only reads and COPYs (enforced). Inside a bulk
        load such a transaction commits without a checkpoint. Any other first
        checkpoints what the load COPYed; its own writes stay in the log until
        the load's next checkpoint, unless it COPYed too: then it checkpoints at
        its commit, as outside a load.
        """
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only; writes need the writing process")
        with self._lock:
            deferred = self._bulk > 0 and copy_only
            logged = self._bulk > 0 and not copy_only
            if logged:
                self._checkpoint()
            tx = _Tx(self, copy_only=deferred)
            checkpoint_at_commit = False
            self._exec("BEGIN TRANSACTION")
            try:
                result = work(tx)
                if logged and tx.copied:
                    # Its COPYed rows are not in the log: this commit checkpoints.
                    self._exec("CALL auto_checkpoint=true")
                    checkpoint_at_commit = True
                self._exec("COMMIT")
            except BaseException:
                # A failed statement has already rolled the transaction back.
                with contextlib.suppress(RuntimeError):
                    self._conn.execute("ROLLBACK")
                raise
            finally:
                if checkpoint_at_commit:
                    self._exec("CALL auto_checkpoint=false")
            self._track_ids(tx)
            if logged:
                self._in_log = not checkpoint_at_commit
            if deferred:
                self._unflushed += tx.copied
                if self._unflushed >= BULK_CHECKPOINT_ROWS:
                    self._checkpoint()
            return result

    def _known_ids(self, kind: NodeKind) -> Any:
        """Every stored id of ``kind`` (an Arrow chunked array), or None outside a bulk load."""
        import pyarrow as pa

        if not self._bulk:
            return None
        with self._lock:
            if kind.name not in self._ids:
                stored = self._arrow(self._q("node_all_ids", label=kind.label)).column("id")
                self._ids[kind.name] = stored.cast(pa.string())  # an empty one is untyped
            return self._ids[kind.name]

    def _track_ids(self, tx: _Tx) -> None:
        """Keep the bulk load's id lists true after a committed write."""
        import pyarrow as pa

        if not tx.copy_only:
            self._ids.clear()  # a logged write may have created or deleted anything
            return
        for kind, ids in tx.new_ids:
            if kind in self._ids:
                self._ids[kind] = pa.chunked_array([*self._ids[kind].chunks, *ids.chunks])

    def _checkpoint(self, *, log_too: bool = False) -> None:
        """Make COPYs committed during a bulk load durable (see the module docstring).

        ``log_too``: also when only logged writes wait (they are safe in the log,
        but a load leaves the store checkpointed, as it found it).
        """
        if self._unflushed or (log_too and self._in_log):
            self._exec("CHECKPOINT")
            self._unflushed = 0
            self._in_log = False

    @contextlib.contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Checkpoint COPY-only writes together (see the module docstring)."""
        with self._lock:
            if not self._bulk and not self.read_only:
                self._exec("CALL auto_checkpoint=false")
            self._bulk += 1
        try:
            yield
        finally:
            with self._lock:
                self._bulk -= 1
                if not self._bulk:
                    self._ids.clear()
                if not self._bulk and not self.read_only:
                    try:
                        self._checkpoint(log_too=True)
                    finally:
                        self._exec("CALL auto_checkpoint=true")

    def _reader(self) -> WriteTx:
        return _Tx(self)

    def upsert_table(self, kind: str, table: Any, *, validated: bool = False) -> WriteReport:
        """Columnar upsert (see :mod:`graph.bulk`): validated and COPYed a column at a time.

        Each chunk is planned by reads first, so a chunk of new rows only is
        written as a COPY-only transaction (deferred inside :meth:`bulk_load`).
        """
        from graph import bulk

        k = node_kind(kind)
        report = WriteReport(k.name)
        # The change marker is a logged SET of its own node, never of a COPYed row,
        # so it may share a COPY-only transaction (see _write).
        write = self._write if k.name in UNVERSIONED else self._versioned_write
        for start in range(0, max(table.num_rows, 1), bulk.CHUNK_ROWS):
            with self._lock:  # no other thread's write between the plan and its write
                part = table.slice(start, bulk.CHUNK_ROWS)
                plan = bulk.plan_chunk(_Tx(self), k, part, start, validated=validated)
                if self._bulk and plan.created.num_rows and plan.changed.num_rows:
                    # Updates first, then the new rows as a COPY-only write: its COPY
                    # waits for the load's next checkpoint instead of forcing one at
                    # this commit (100,000 merged + 100,000 new contacts: 2.8 s).
                    updates = dataclasses.replace(plan, created=plan.created.slice(0, 0))
                    creates = dataclasses.replace(plan, changed=plan.changed.slice(0, 0))
                    write(partial(bulk.apply_plan, kind=k, plan=updates))
                    write(partial(bulk.apply_plan, kind=k, plan=creates), copy_only=True)
                elif plan.created.num_rows or plan.changed.num_rows:
                    write(partial(bulk.apply_plan, kind=k, plan=plan), copy_only=plan.copy_only)
            report.merge(plan.report)
        return report

    def ping(self) -> None:
        self._read("RETURN 1 AS one")

    def data_version(self) -> DataVersion:
        try:
            return super().data_version()
        except StoreError:
            if not self.read_only:
                raise
            # A file from before the marker, opened read-only: nothing can write it
            # while we read it without also adding the marker's table.
            return DataVersion(0, 0, 0)

    def _after_erasure(self) -> None:
        # LadybugDB writes a changed value to new pages and leaves the old ones, with
        # the old bytes, in its free list: after an erase and a checkpoint the values
        # are still in the file. Only a rewrite leaves them behind.
        self.compact()

    def compact(self) -> None:
        """Rewrite the database file from its live data, leaving no old values in it.

        Every table is copied out to Parquet beside the file (``COPY (MATCH ...)
        TO``), a fresh database is built from those files with the same schema,
        and it replaces the old file; the store reopens it. LadybugDB's own
        EXPORT DATABASE cannot do it (0.22 refuses relationship tables with
        several node pairs). The work folder is removed whatever happens; if the
        rebuild fails, the old file stays as it was. Costs about 2 s per 100,000
        stored rows on 2 cores (the demo world: 2.3 s; bench/bench_erasure.py).
        """
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only; compacting needs the writer")
        with self._lock:
            if self._bulk:
                raise StoreError("internal: compact() inside a bulk load")
            self._exec("CHECKPOINT")
            work = self.path.absolute().with_name(self.path.name + ".compact")
            if not _SAFE_PATH.match(str(work)):
                work = Path(tempfile.mkdtemp(prefix="accountgraph-compact-"))
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            try:
                files = self._copy_out(work)
                self._conn.close()
                self._db.close()
                try:
                    fresh = work / "fresh.lbug"
                    self._copy_in(fresh, files)
                    shutil.move(str(fresh), str(self.path))
                finally:
                    self._open()
            finally:
                shutil.rmtree(work, ignore_errors=True)

    def _tables(self) -> Iterator[tuple[str, dict[str, str], list[str]]]:
        """(file stem, query slots, columns) of every node table, then every rel table pair."""
        for k in NODE_KINDS.values():
            yield k.label, {"label": k.label}, [c.name for c in _stored(k)]
        yield VERSION_LABEL, {"label": VERSION_LABEL}, ["id", "changes", "erasures"]
        for r in REL_KINDS.values():
            for src, tgt in r.pairs:
                slots = {"rel": r.name, "src": NODE_KINDS[src].label, "tgt": NODE_KINDS[tgt].label}
                yield f"{r.name}.{src}.{tgt}", slots, [c.name for c in r.columns]

    def _copy_out(self, work: Path) -> list[tuple[Path, dict[str, str]]]:
        import pyarrow.parquet as pq

        import queries

        files = []
        for stem, slots, columns in self._tables():
            path = work / f"{stem}.parquet"
            target = queries.Fragment(f"'{path}'")
            if "rel" in slots:
                returns = queries.Fragment(
                    "".join(f", e.{queries.ident(c)} AS {queries.ident(c)}" for c in columns))
                text = self._q("rel_copy_to", returns=returns, target=target, **slots)
            else:
                text = self._q("node_copy_to", returns=queries.returns(columns), target=target,
                               **slots)
            self._exec(text)
            if pq.read_metadata(path).num_rows:
                files.append((path, slots))
        return files

    def _copy_in(self, fresh: Path, files: list[tuple[Path, dict[str, str]]]) -> None:
        import queries

        store = LadybugStore(fresh, buffer_pool_mb=self._buffer_pool_mb)  # makes the schema
        try:
            for path, slots in files:  # nodes first: relationships need their ends
                name = "rel_copy" if "rel" in slots else "node_copy"
                store._exec(store._q(name, source=queries.Fragment(f"'{path}'"), **slots))
        except StoreError as exc:
            raise StoreError(
                f"rewriting {self.path} after an erasure failed ({exc}); the values are "
                "erased, but old copies may remain in the file's free pages until it is "
                "rewritten: run the erasure again"
            ) from None
        finally:
            store.close()

    def ensure_schema(self) -> None:
        """Nothing to do: a writable open creates the schema (see ``__init__``)."""

    def close(self) -> None:
        with self._lock:
            if not self.read_only:
                self._checkpoint(log_too=True)
            self._conn.close()
            self._db.close()
            if self._copy_dir is not None:
                self._copy_dir.cleanup()
            if not self.read_only:
                self._clear_copy_folder()


def _frag(text: str) -> Any:
    import queries

    return queries.Fragment(text)


#: Up to this many ids, relationships are fetched one id at a time (see fetch_rels).
ONE_BY_ONE = 256


class _Tx:
    """LadybugDB's write primitives, run on the store's one connection."""

    def __init__(self, store: LadybugStore, *, copy_only: bool = False):
        self.s = store
        self.copied = 0  # rows COPYed in this transaction
        self.new_ids: list[tuple[str, Any]] = []  # (kind, ids) of the nodes COPYed
        # Only reads and COPYs, so the commit may skip the checkpoint: a logged
        # write (CREATE, SET, DELETE) over rows COPYed and not yet checkpointed
        # would be replayed onto rows a crash lost.
        self.copy_only = copy_only

    def _logged(self, what: str) -> None:
        if self.copy_only:
            raise StoreError(f"internal: a COPY-only write tried to {what}; write it plainly")

    def _size(self, kind: NodeKind) -> int:
        return int(self.s._read(self.s._q("node_count", label=kind.label))[0]["total"])

    def existing_ids(self, kind: NodeKind, ids: Sequence[str]) -> set[str]:
        return set(self.fetch_fingerprints(kind, ids))

    def fetch_fingerprints(self, kind: NodeKind, ids: Sequence[str]) -> dict[str, str | None]:
        """The stored digest of each id that exists (see graph.digest)."""
        table = self.fingerprints_table(kind, ids)
        return dict(
            zip(table.column("id").to_pylist(), table.column("fp").to_pylist(), strict=True)
        )

    def fingerprints_table(self, kind: NodeKind, ids: Sequence[str] | Any) -> Any:
        """The stored ``id`` and digest ``fp`` of those of ``ids`` that exist, as Arrow.

        A batch that is a sizeable share of the table reads the two columns
        whole and filters them; a small batch into a big table looks each id
        up by primary key, so loading in batches never rereads the table.
        """
        import pyarrow as pa

        empty = pa.table({"id": pa.array([], pa.string()), "fp": pa.array([], pa.string())})
        return self._lookup(kind, ids, "node_all_fingerprints", "node_fingerprints", empty)

    def stored_ids(self, kind: NodeKind, ids: Any) -> Any:
        """Those of ``ids`` that are stored, as an Arrow array (no digests read)."""
        import pyarrow as pa

        empty = pa.table({"id": pa.array([], pa.string())})
        return self._lookup(kind, ids, "node_all_ids", "node_ids", empty).column("id")

    def _lookup(self, kind: NodeKind, ids: Any, scan: str, by_id: str, empty: Any) -> Any:
        import pyarrow as pa
        import pyarrow.compute as pc

        wanted = ids if isinstance(ids, pa.Array) else pa.array(list(ids), pa.string())
        if len(wanted) == 0:
            return empty
        known = self.s._known_ids(kind)
        if known is not None:
            # Inside a bulk load the stored ids are kept: only those of ``wanted``
            # that are stored are looked up (none, on a first import).
            wanted = known.filter(pc.is_in(known, value_set=wanted)).combine_chunks()
            if scan == "node_all_ids" or len(wanted) == 0:
                return pa.table({"id": wanted}).cast(empty.schema) if len(wanted) else empty
            size = len(known)
        else:
            size = self._size(kind)
        if size == 0:
            return empty
        if len(wanted) * SCAN_RATIO >= size:
            table = self.s._arrow(self.s._q(scan, label=kind.label))
            table = table.filter(pc.is_in(table.column("id"), value_set=wanted))
        else:
            table = self.s._arrow(self.s._q(by_id, label=kind.label), {"ids": wanted.to_pylist()})
        # An empty result may come back untyped.
        return table.select(empty.column_names).cast(empty.schema)

    def copy_nodes(self, kind: NodeKind, table: Any) -> None:
        self.s._copy(table, "node_copy", label=kind.label)
        self.copied += table.num_rows
        self.new_ids.append((kind.name, table.column("id")))

    def copy_rels(self, rel: RelKind, src: NodeKind, tgt: NodeKind, table: Any) -> None:
        self.s._copy(table, "rel_copy", rel=rel.name, src=src.label, tgt=tgt.label)
        self.copied += table.num_rows

    def update_table(self, kind: NodeKind, table: Any) -> None:
        self._logged("overwrite nodes")
        import queries

        # LOAD FROM a file and SET: about twice as fast as UNWIND $rows ... SET
        # (20,000 contacts: 2.9 s against 5.4 s), and no grouping by shape, as
        # the file's columns are typed whatever the first row holds.
        names = [c for c in table.column_names if c != "id"]
        assignments = queries.Fragment(
            ", ".join(f"n.{queries.ident(c)} = {queries.ident(c)}" for c in names)
        )
        self.s._copy(table, "node_update_from", label=kind.label, assignments=assignments)

    def fetch_table(self, kind: NodeKind, ids: Any) -> Any:
        return self.s.get_table(kind.name, ids.to_pylist())

    def fetch_nodes(self, kind: NodeKind, ids: Sequence[str]) -> dict[str, Row]:
        present = sorted(self.existing_ids(kind, ids)) if len(ids) > 1 else list(ids)
        if not present:
            return {}
        text = self.s._q("node_fetch", label=kind.label, returns=self.s._returns(kind))
        return {r["id"]: normalise_row(kind, r) for r in self.s._read(text, {"ids": present})}

    def create_nodes(self, kind: NodeKind, rows: list[Row]) -> None:
        self._logged("create nodes")
        rows = _encode(rows, kind.columns)
        if len(rows) >= COPY_THRESHOLD:
            self.copy_nodes(kind, _table(rows, _stored(kind)))
        else:
            for present, group in _by_shape(rows, _stored(kind)):
                props = _props_map(present)
                text = self.s._q("node_create", label=kind.label, props=props)
                self.s._exec(text, {"rows": group})

    def update_nodes(self, kind: NodeKind, rows: list[Row]) -> None:
        self._logged("update nodes")
        import queries

        for present, group in _by_shape(_encode(rows, kind.columns), _stored(kind)):
            names = {c.name for c in present}
            cols = [c.name for c in _stored(kind) if c.name != "id" and c.name in names]
            nulls = [c.name for c in _stored(kind) if c.name not in names]
            assignments = queries.set_clause(cols, nulls=nulls)
            text = self.s._q("node_update", label=kind.label, assignments=assignments)
            self.s._exec(text, {"rows": group})

    def fetch_rels(
        self, rel: RelKind, src: NodeKind, tgt: NodeKind, by: str, ids: Sequence[str]
    ) -> list[Row]:
        import queries

        if not ids:
            return []
        extra = "".join(f", e.`{c.name}` AS `{c.name}`" for c in rel.columns)
        slots = {"src": src.label, "tgt": tgt.label, "rel": rel.name,
                 "returns": queries.Fragment(extra)}
        if (src if by == "source" else tgt).name == "user":
            # Our users are a few thousand at most: filtering them is cheaper than a
            # query per user (0.7 ms for an account team, against 2.5 ms).
            rows = self.s._read(self.s._q(f"rel_fetch_in_by_{by}", **slots), {"ids": list(ids)})
        elif len(ids) <= ONE_BY_ONE:
            # LadybugDB plans UNWIND-then-match as a scan of the relationship table:
            # 10 ms per id on a million contacts, against 1 ms for a look-up by key.
            text = self.s._q(f"rel_fetch_one_by_{by}", **slots)
            rows = [r for i in dict.fromkeys(ids) for r in self.s._read(text, {"id": i})]
        else:
            rows = self.s._read(self.s._q(f"rel_fetch_by_{by}", **slots), {"ids": list(ids)})
        return [
            {"source": r["source"], "target": r["target"], **normalise_row(rel, r)} for r in rows
        ]

    def fetch_rels_not_from(
        self, rel: RelKind, src: NodeKind, tgt: NodeKind, origin_prefix: str
    ) -> list[Row]:
        import queries

        extra = "".join(f", e.`{c.name}` AS `{c.name}`" for c in rel.columns)
        text = self.s._q("rel_all_not_from", src=src.label, tgt=tgt.label, rel=rel.name,
                         returns=queries.Fragment(extra))
        return [
            {"source": r["source"], "target": r["target"], **normalise_row(rel, r)}
            for r in self.s._read(text, {"prefix": origin_prefix})
        ]

    def create_rels(self, rel: RelKind, src: NodeKind, tgt: NodeKind, rows: list[Row]) -> None:
        self._logged("create relationships")
        rows = _encode(rows, rel.columns)
        if len(rows) >= COPY_THRESHOLD:
            cols = (Column("from", "STRING"), Column("to", "STRING"), *rel.columns)
            table = _table([{"from": r["source"], "to": r["target"], **r} for r in rows], cols)
            self.copy_rels(rel, src, tgt, table)
        else:
            for present, group in _by_shape(rows, rel.columns, keep=("source", "target")):
                text = self.s._q(
                    "rel_create",
                    rel=rel.name,
                    src=src.label,
                    tgt=tgt.label,
                    props=_props_map(present),
                )
                self.s._exec(text, {"rows": group})

    def delete_rels(self, rel: RelKind, src: NodeKind, tgt: NodeKind, rows: list[Row]) -> None:
        self._logged("delete relationships")
        import queries

        # The endpoints and the kind's key identify one relationship: an owner
        # may hold an account for several periods, each its own OWNS.
        key_match = queries.Fragment(
            " AND ".join(f"e.{queries.ident(k)} = r.{queries.ident(k)}" for k in rel.key) or "true"
        )
        text = self.s._q(
            "rel_delete", rel=rel.name, src=src.label, tgt=tgt.label, key_match=key_match
        )
        keyed = [
            {"source": r["source"], "target": r["target"], **{k: r[k] for k in rel.key}}
            for r in rows
        ]
        self.s._exec(text, {"rows": _encode(keyed, rel.columns)})


def _stored(kind: NodeKind) -> tuple[Column, ...]:
    """A node table's columns: the model's fields and the change digest."""
    return (*kind.columns, Column(FINGERPRINT, "STRING"))


def _by_shape(
    rows: list[Row], columns: Sequence[Column], keep: tuple[str, ...] = ()
) -> list[tuple[tuple[Column, ...], list[Row]]]:
    """Rows grouped by which columns hold a value, each group with those columns.

    LadybugDB types an ``UNWIND $rows`` parameter from its first row, so a NULL
    (or empty list) there clashes with a value in a later row; within a group
    every row has the same shape, and a column left out of CREATE is NULL.
    ``keep`` names keys copied whatever they hold (a relationship's endpoints).
    """
    groups: dict[tuple[Column, ...], list[Row]] = {}
    for r in rows:
        shape = tuple(c for c in columns if r.get(c.name) not in (None, []))
        row = {c.name: r[c.name] for c in shape}
        row.update((k, r[k]) for k in keep)
        groups.setdefault(shape, []).append(row)
    return list(groups.items())


def _props_map(columns: Sequence[Column]) -> Any:
    import queries

    return queries.props_map(c.name for c in columns)


def _table(rows: list[Row], columns: Sequence[Column]) -> Any:
    """An Arrow table with the columns in table order: COPY matches by position."""
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=schema_of(columns))
