"""CSV exports read as Arrow tables, with each row's line found again on demand.

Arrow's CSV reader parses a file at hundreds of MB/s where the ``csv`` module
and a Python list per row managed a few hundred thousand rows/s, but it cannot
say which line a row started on: a quoted value may span lines, blank lines
are skipped, rows with the wrong number of fields are dropped. Line numbers
are only needed for the few rows that are rejected or merged, so
:class:`LineFinder` re-reads the file with the ``csv`` module, lazily and
only as far as the last row asked about; a file without such rows is never
read twice.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.csv as pacsv

from seed.imports.readers import Source, _enc

_BLOCK = 1 << 22


def _blank(row: Sequence[str]) -> bool:
    # The rows readers._iter_csv skips: a blank line, or spaces only.
    return not row or (len(row) == 1 and not row[0].strip())


class LineFinder:
    """The line and text of data row number ``n`` (0-based, rows Arrow kept).

    Reads forward only; rows are asked about in increasing order, chunk after
    chunk. Rows with the wrong number of fields (Arrow drops them) are
    collected in :attr:`short` as they are passed, to be rejected.
    """

    def __init__(self, source: Source, encoding: str):
        self.source = source
        self.encoding = encoding
        self.width = len(source.columns or ())
        self._fh: TextIO | None = None
        self._reader: Any = None
        self._start = 1
        self._next = 0  # the ordinal of the next kept row
        self.wrong_width: list[tuple[int, list[str]]] = []  # (line, row) dropped by Arrow
        self.reported = 0  # how many of wrong_width have been rejected

    def _rows(self) -> Any:
        if self._reader is None:
            self._fh = self.source.path.open(encoding=_enc(self.encoding), newline="")
            self._reader = csv.reader(self._fh, delimiter=self.source.delimiter)
        return self._reader

    def _read(self) -> tuple[int, list[str]] | None:
        """The next row Arrow kept (passing over blank and wrong-width ones)."""
        reader = self._rows()
        for row in reader:
            line, self._start = self._start, reader.line_num + 1
            if line == 1 or _blank(row):
                continue
            if len(row) != self.width:
                self.wrong_width.append((line, row))
                continue
            return line, row
        return None

    def find(self, ordinals: Sequence[int]) -> dict[int, tuple[int, str]]:
        """(line, raw text) of each ordinal; ``ordinals`` ascending, never behind."""
        out: dict[int, tuple[int, str]] = {}
        for n in sorted(ordinals):
            found = None
            while self._next <= n:
                found = self._read()
                self._next += 1
                if found is None:
                    break
            if found is not None and self._next == n + 1:
                out[n] = (found[0], self.source.raw(found[1]))
        return out

    def pass_to(self, ordinal: int) -> None:
        """Read up to (not including) row ``ordinal``, collecting wrong-width rows."""
        while self._next < ordinal:
            if self._read() is None:
                self._next = ordinal
                return
            self._next += 1

    def finish(self) -> None:
        """Read to the end (wrong-width rows after the last kept row)."""
        while self._read() is not None:
            self._next += 1

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


@dataclass
class CsvChunk:
    """``rows`` rows of the file from ``start`` (ordinal), as string columns."""

    table: pa.Table
    start: int
    wrong_width: int  # rows Arrow dropped so far in the file (the finder locates them)


def iter_tables(
    source: Source, size: int, columns: Sequence[str], encoding: str = "utf-8"
) -> Iterator[CsvChunk]:
    """The file in chunks of ``size`` rows: only ``columns``, every value a string."""
    assert source.columns is not None
    dropped = 0

    def on_invalid(row: Any) -> str:
        nonlocal dropped
        if row.text.strip():  # a line of spaces is a blank line, as the csv path has it
            dropped += 1
        return "skip"

    header = list(source.columns)
    wanted = [c for c in dict.fromkeys(columns) if c in header]
    reader = pacsv.open_csv(
        source.path,
        read_options=pacsv.ReadOptions(
            column_names=[f"c{i}" for i in range(len(header))],
            skip_rows=1,
            block_size=_BLOCK,
            use_threads=False,
            encoding=_enc(encoding).replace("utf-8-sig", "utf8"),
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=source.delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
        ),
        convert_options=pacsv.ConvertOptions(
            include_columns=[f"c{header.index(c)}" for c in wanted],
            column_types={f"c{header.index(c)}": pa.string() for c in wanted},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    names = list(wanted)
    pending: list[pa.RecordBatch] = []
    held = 0
    start = 0
    one_column = len(header) == 1

    def take(n: int) -> CsvChunk:
        nonlocal pending, held, start
        table = pa.Table.from_batches(pending)
        chunk, rest = table.slice(0, n), table.slice(n)
        pending = rest.to_batches()
        held -= n
        out = CsvChunk(chunk, start, dropped)
        start += n
        return out

    for batch in reader:
        if one_column:
            batch = _drop_spaces(batch)
        if batch.num_rows == 0:
            continue
        pending.append(batch.rename_columns(names))
        held += batch.num_rows
        while held >= size:
            yield take(size)
    if held:
        yield take(held)
    elif dropped:
        yield CsvChunk(pa.table({n: pa.array([], pa.string()) for n in names}), start, dropped)


def _drop_spaces(batch: pa.RecordBatch) -> pa.RecordBatch:
    # One-column files: a line of spaces is a (valid) one-field row to Arrow, a blank to csv.
    import pyarrow.compute as pc

    if batch.num_columns == 0:
        return batch
    return batch.filter(pc.not_equal(pc.utf8_trim_whitespace(batch.column(0)), ""))
