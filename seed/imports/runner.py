"""The import run: files in, deduplicated nodes into the store, a summary out.

Files are imported in dependency order (users, companies, contacts, profile
items, opportunities, deal roles, touchpoints) whatever order they are given in, each read
in chunks of ``batch_size`` rows; each chunk is one store write per kind
(``Store.upsert_table`` for the columnar kinds, ``Store.upsert`` for the
rest), so memory stays bounded and a run killed part way leaves whole batches
behind. Running again redoes the same decisions (stable ids, idempotent
upserts), so it ends in the same state as one clean run.

CSV files are read by Arrow (:mod:`~seed.imports.tables`), JSON Lines row by
row; both become the same :class:`~seed.imports.columns.Fields` chunks. Line
numbers are looked up only for rows that are rejected or merged.
"""

from __future__ import annotations

import dataclasses
import gc
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from graph import model as m
from graph.digest import digests
from graph.errors import ImportFailed
from graph.schema import node_kind
from graph.store import Store, WriteReport
from graph.writer import FINGERPRINT
from seed.imports import columnar
from seed.imports.batches import ROW_BUILDERS, Batch, Context, Merge
from seed.imports.chunks import Chunk, read_chunks
from seed.imports.columns import Fields
from seed.imports.crosswalk import Crosswalk
from seed.imports.fields import RowReader
from seed.imports.identity import Identities
from seed.imports.mapping import FILE_KINDS, ImportMapping, native_mapping
from seed.imports.readers import Source, open_source
from seed.imports.rejects import Reject, RejectsWriter
from seed.imports.roles import unplaced_roles
from seed.imports.tables import LineFinder

KIND_ORDER = list(FILE_KINDS)  # FILE_KINDS is written in dependency order
IDENTITY_KINDS = frozenset({"users", "companies", "contacts"})  # matched on names and emails
BUILDERS: dict[str, Callable[[Context, Fields], Batch]] = {
    **ROW_BUILDERS,
    "contacts": columnar.build_contacts,
    "touchpoints": columnar.build_touchpoints,
}

Written = tuple[WriteReport, list[int]]


def _with_digests(batch: Batch) -> Batch:
    """Each table's rows digested here, on the reading thread, not the writing one.

    The writer's share of a 500,000-touchpoint batch was the longer (0.5 s of
    it the digests), so moving them over lets the two threads keep pace.
    """
    batch.writes = [
        (kind, items if isinstance(items, list) else
         items.append_column(FINGERPRINT, pa.array(digests(node_kind(kind), items), pa.string())),
         origins)
        for kind, items, origins in batch.writes
    ]
    return batch


@dataclass(frozen=True)
class FileSpec:
    """One file to import: what it holds, which silo it came from, how to read it."""

    path: Path
    kind: str
    silo: m.Silo | None = None
    mapping: ImportMapping = field(default_factory=native_mapping)
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        if self.kind not in FILE_KINDS:
            raise ImportFailed(
                f"{self.path}: unknown kind {self.kind!r}; one of {', '.join(FILE_KINDS)}"
            )

    def check_silo(self, source: Source) -> None:
        """Contacts must say which silo knew them: from the file, or a column of it."""
        if self.kind != "contacts" or self.silo is not None:
            return
        rule = self.mapping.for_kind("contacts").rules.get("silo")
        if rule is not None and (
            rule.constant is not None
            or source.columns is None
            or set(rule.columns) & set(source.columns)
        ):
            return
        raise ImportFailed(
            f"{self.path}: contacts need the silo they came from (--silo marketing, "
            f"finance, ...; one of {', '.join(s.value for s in m.Silo)})"
        )


@dataclass
class ImportSummary:
    """What a run did, in rows (of the files) and in records (nodes of the store).

    The two are kept apart: one contact row may also make a department record, and
    many rows may be one record (the same id repeated, or a person matched across
    silos). Per file kind: ``imported[kind]`` rows = ``records(kind)`` +
    ``merged_rows(kind)`` + ``repeated(kind)``.
    """

    read: int = 0  # rows
    written: int = 0  # records created or changed
    unchanged: int = 0  # records found as they were
    merged: int = 0  # rows folded into another row's or the store's record by a match rule
    rejected: int = 0  # rows
    seconds: float = 0.0
    by_kind: Counter[str] = field(default_factory=Counter)  # records written per node kind
    unchanged_by_kind: Counter[str] = field(default_factory=Counter)  # records, per node kind
    imported: Counter[str] = field(default_factory=Counter)  # rows not rejected, per file kind
    merge_rules: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, rule)
    # (kind, value) -> rows: entered roles kept as entered but naming none of our categories
    unplaced_roles: Counter[tuple[str, str]] = field(default_factory=Counter)
    # (file kind, field, value) -> rows: optional values we do not know, imported empty
    emptied: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    @property
    def rows_per_second(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0

    def records(self, file_kind: str) -> int:
        """Records of a file kind's own node kind this run wrote or found unchanged."""
        node = FILE_KINDS[file_kind]
        return self.by_kind[node] + self.unchanged_by_kind[node]

    def merged_rows(self, file_kind: str) -> int:
        node = FILE_KINDS[file_kind]
        return sum(n for (kind, _), n in self.merge_rules.items() if kind == node)

    def repeated(self, file_kind: str) -> int:
        """Rows that repeated the id of an earlier row, and so updated its record."""
        return max(0, self.imported[file_kind] - self.merged_rows(file_kind)
                   - self.records(file_kind))


#: called as (file, rows read so far in it, rows it holds)
Progress = Callable[[Path, int, int], None]


class Importer:
    """Imports files into a store; one instance per run."""

    def __init__(
        self,
        store: Store,
        *,
        rejects: RejectsWriter | None = None,
        crosswalk: Path | None = None,
        # Each write's commit costs more as the tables grow (LadybugDB checkpoints):
        # 1M touchpoints took 64 s in 250k-row writes and 97 s in 50k-row ones; the
        # commits of 1M contacts + 5M touchpoints took 53 s in 500k-row writes and
        # 117 s in 200k-row ones, and the whole import peaked at 3.6 GiB.
        batch_size: int = 500_000,
        progress: Progress | None = None,
        on_merge: Callable[[Merge], None] | None = None,
        after_batch: Callable[[int], None] | None = None,
    ):
        self.store = store
        self.rejects = rejects or RejectsWriter(None)
        self.crosswalk_path = crosswalk
        self.batch_size = batch_size
        self.progress = progress
        self.on_merge = on_merge
        self.after_batch = after_batch  # called with the number of batches written so far
        self.batches = 0

    def run(self, specs: Sequence[FileSpec]) -> ImportSummary:
        """Import ``specs``; raises ImportFailed before writing if a file is unreadable."""
        started = time.perf_counter()
        ordered = sorted(specs, key=lambda s: KIND_ORDER.index(s.kind))
        # Every file is checked (and its header read) before anything is written.
        opened = [(spec, open_source(spec.path, spec.encoding)) for spec in ordered]
        for spec, src in opened:
            spec.check_silo(src)
            RowReader(spec.mapping.for_kind(spec.kind), src)  # checks the header and mapping
        summary = ImportSummary()
        # In the store when it keeps one (Neo4j), so every machine agrees.
        crosswalk = Crosswalk(self.crosswalk_path, store=self.store)
        # Millions of long-lived index entries make every full cyclic-GC pass slower;
        # nothing the import builds is cyclic, so collection waits until the end.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            ids = Identities(crosswalk=crosswalk)
            ids.preload(self.store)
            departments: set[str] = set()
            for spec, source in opened:
                if spec.kind not in IDENTITY_KINDS:
                    ids.drop_contact_keys()
                ctx = Context(spec.mapping.source, spec.silo, ids, self.store, source, departments,
                              spec.mapping.multi_valued_keys)
                # A file's COPYs are made durable together at its end (LadybugDB:
                # one checkpoint instead of one per batch); a kill loses that file's
                # progress at most, and the re-run writes it again.
                with self.store.bulk_load():
                    self._file(spec, source, ctx, summary, crosswalk)
        finally:
            crosswalk.close()
            self.rejects.close()
            if gc_was_enabled:
                gc.enable()
        summary.seconds = time.perf_counter() - started
        return summary

    def _file(
        self, spec: FileSpec, source: Source, ctx: Context, summary: ImportSummary,
        crosswalk: Crosswalk,
    ) -> None:
        total = source.rows_estimate
        build = BUILDERS[spec.kind]
        # Pipelined: the next chunk is read and built while the store writes this
        # one (mostly native code, which releases the GIL), so both cores are busy.
        # A chunk whose merges read stored records (contacts, companies) waits for
        # the write in flight first (ctx.settled), as those may be its rows.
        done = 0
        rejected_before = summary.rejected
        waiting: tuple[Future[list[Written]], Batch, Chunk] | None = None

        def settle() -> None:
            if waiting is not None:
                waiting[0].result()

        ctx.wait = settle

        def finish(job: tuple[Future[list[Written]], Batch, Chunk]) -> None:
            nonlocal done
            future, batch, chunk = job
            self._account(batch, future.result(), chunk, source, summary)
            rejected = {i for i, _, _ in batch.rejects}
            for i, name, raw in chunk.fields.emptied:
                if i not in rejected:
                    summary.emptied[(spec.kind, name, raw)] += 1
            crosswalk.flush()
            self.rejects.flush()
            done += chunk.rows
            summary.read += chunk.rows
            self.batches += 1
            if self.progress:
                self.progress(spec.path, done, total)
            if self.after_batch:
                self.after_batch(self.batches)

        finder = LineFinder(source, spec.encoding)
        try:
            chunks = read_chunks(spec.mapping.for_kind(spec.kind), source, self.batch_size,
                                 spec.encoding, finder)
            with ThreadPoolExecutor(1, thread_name_prefix="import-write") as pool:
                chunk = next(chunks, None)
                while chunk is not None:
                    batch = _with_digests(build(ctx, chunk.fields))
                    if waiting is not None:
                        finish(waiting)
                    waiting = (pool.submit(self._store, batch), batch, chunk)
                    chunk = next(chunks, None)
                if waiting is not None:
                    finish(waiting)
        finally:
            finder.close()
        summary.imported[spec.kind] += done - (summary.rejected - rejected_before)
        if self.progress and done != total:
            # Rows spanning lines, blank lines: the estimate was off; the bar ends full.
            self.progress(spec.path, done, done)

    def _store(self, batch: Batch) -> list[Written]:
        """Write a batch (on the writer thread): store calls only, no bookkeeping."""
        out = []
        for kind, items, origins in batch.writes:
            if isinstance(items, list):
                if items:
                    out.append((self.store.upsert(kind, items), origins))
            elif items.num_rows:
                # The builders checked each table to report its rows (columnar.py).
                out.append((self.store.upsert_table(kind, items, validated=True), origins))
        return out

    def _account(
        self, batch: Batch, written: list[Written], chunk: Chunk, source: Source,
        summary: ImportSummary,
    ) -> None:
        refused = [
            (origins[r.index] if 0 <= r.index < len(origins) else -1, r.field,
             f"the store refused it: {r.reason}")
            for report, origins in written for r in report.rejected
        ]
        merges = batch.merges if self.on_merge else []
        # Lines are looked up (a second, lazy read of CSV files) only for these rows.
        wanted = sorted({i for i, _, _ in batch.rejects} | {i for i, _, _ in refused}
                        | {i for i, _ in merges} - {-1})
        where = chunk.locate(wanted) if wanted else {}
        for i, field_name, reason in [*sorted(batch.rejects, key=lambda r: r[0]), *refused]:
            line, raw = where.get(i, (0, ""))
            self._reject(source, line, raw, field_name, reason, summary)
        for line, raw, reason in chunk.unread():
            self._reject(source, line, raw, None, reason, summary)
        summary.unchanged += batch.unchanged
        summary.unchanged_by_kind["contact"] += batch.unchanged  # only contacts settle early
        for _, merge in batch.merges:
            summary.merged += 1
            summary.merge_rules[(merge.kind, merge.rule)] += 1
        if self.on_merge:
            for i, merge in merges:
                self.on_merge(dataclasses.replace(merge, line=where.get(i, (0, ""))[0]))
        for kind, items, _ in batch.writes:
            for value, n in unplaced_roles(kind, items).items():
                summary.unplaced_roles[(kind, value)] += n
        for report, _ in written:
            summary.written += report.written
            summary.unchanged += report.unchanged
            summary.by_kind[report.kind] += report.written
            summary.unchanged_by_kind[report.kind] += report.unchanged

    def _reject(
        self, source: Source, line: int, raw: str, field_name: str | None, reason: str,
        summary: ImportSummary,
    ) -> None:
        self.rejects.write(Reject(str(source.path), line, field_name, reason, raw))
        summary.rejected += 1
