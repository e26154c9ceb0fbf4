"""The import run: files in, deduplicated nodes into the store, a summary out.

Files are imported in dependency order (users, companies, contacts, profile
items, opportunities, touchpoints) whatever order they are given in, each read
in chunks of ``batch_size`` rows; each chunk is one ``Store.upsert`` per kind,
so memory stays bounded and a run killed part way leaves whole batches
behind. Running again redoes the same decisions (stable ids, idempotent
upserts), so it ends in the same state as one clean run.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from graph import model as m
from graph.errors import ImportFailed
from graph.store import Store, WriteReport
from seed.imports.batches import BUILDERS, Batch, Context, Merge
from seed.imports.crosswalk import Crosswalk
from seed.imports.fields import RowReader
from seed.imports.identity import Identities
from seed.imports.mapping import FILE_KINDS, ImportMapping, native_mapping
from seed.imports.readers import ReadRow, Source, iter_chunks, open_source
from seed.imports.rejects import Reject, RejectsWriter

KIND_ORDER = list(FILE_KINDS)  # FILE_KINDS is written in dependency order
PIPELINED = frozenset({"touchpoints", "opportunities", "profile_items"})

Written = tuple[WriteReport, list[ReadRow]]


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
    """What a run did."""

    read: int = 0
    written: int = 0  # created or changed
    unchanged: int = 0
    merged: int = 0
    rejected: int = 0
    seconds: float = 0.0
    by_kind: Counter[str] = field(default_factory=Counter)  # nodes written per kind
    merge_rules: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, rule)

    @property
    def rows_per_second(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0


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
        batch_size: int = 50_000,
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
        readers = [RowReader(spec.mapping.for_kind(spec.kind), src) for spec, src in opened]
        summary = ImportSummary()
        crosswalk = Crosswalk(self.crosswalk_path)
        # Millions of long-lived index entries make every full cyclic-GC pass slower;
        # nothing the import builds is cyclic, so collection waits until the end.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            ids = Identities(crosswalk=crosswalk)
            ids.preload(self.store)
            departments: set[str] = set()
            for (spec, source), reader in zip(opened, readers, strict=True):
                ctx = Context(
                    spec.mapping.source, spec.silo, ids, self.store, reader, source, departments
                )
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
        # Kinds nobody refers back to within a file are pipelined: the next chunk is
        # read and built (Python) while the store writes this one (mostly native
        # code), which keeps both cores busy. Contacts and companies are not: a
        # chunk's merges read what the previous chunk wrote.
        overlap = spec.kind in PIPELINED
        done = 0
        waiting: tuple[Future[list[Written]], Batch, int] | None = None

        def finish(job: tuple[Future[list[Written]], Batch, int]) -> None:
            nonlocal done
            future, batch, rows = job
            self._account(batch, future.result(), source, summary)
            crosswalk.flush()
            self.rejects.flush()
            done += rows
            summary.read += rows
            self.batches += 1
            if self.progress:
                self.progress(spec.path, done, total)
            if self.after_batch:
                self.after_batch(self.batches)

        with ThreadPoolExecutor(1, thread_name_prefix="import-write") as pool:
            for chunk in iter_chunks(source, self.batch_size, spec.encoding):
                batch = build(ctx, chunk)
                if waiting is not None:
                    finish(waiting)
                waiting = (pool.submit(self._store, batch), batch, len(chunk))
                if not overlap:
                    finish(waiting)
                    waiting = None
            if waiting is not None:
                finish(waiting)

    def _store(self, batch: Batch) -> list[Written]:
        """Write a batch (on the writer thread): store calls only, no bookkeeping."""
        return [
            (self.store.upsert(kind, nodes), origins)
            for kind, nodes, origins in batch.writes
            if nodes
        ]

    def _account(
        self, batch: Batch, written: list[Written], source: Source, summary: ImportSummary
    ) -> None:
        for item, field_name, reason in batch.rejects:
            self._reject(source, item, field_name, reason, summary)
        for merge in batch.merges:
            summary.merged += 1
            summary.merge_rules[(merge.kind, merge.rule)] += 1
            if self.on_merge:
                self.on_merge(merge)
        for report, origins in written:
            summary.written += report.written
            summary.unchanged += report.unchanged
            summary.by_kind[report.kind] += report.written
            for r in report.rejected:
                item = origins[r.index] if 0 <= r.index < len(origins) else (0, [])
                self._reject(source, item, r.field, f"the store refused it: {r.reason}", summary)

    def _reject(
        self, source: Source, item: tuple[int, object], field_name: str | None, reason: str,
        summary: ImportSummary,
    ) -> None:
        line, row = item
        raw = getattr(row, "text", None) or source.raw(row)  # type: ignore[arg-type]
        self.rejects.write(Reject(str(source.path), line, field_name, reason, raw))
        summary.rejected += 1
