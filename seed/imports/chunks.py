"""A file as chunks of rows in our fields, each able to say where its rows are.

CSV goes through Arrow and :class:`~seed.imports.columns.ColumnReader`; JSON
Lines through the row reader. Both give a :class:`Chunk`: the rows as
:class:`~seed.imports.columns.Fields`, a way to find the line and text of any
of its rows (looked up only for the rows that are rejected or merged), and the
rows that never became fields (wrong number of fields).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from seed.imports.columns import ColumnReader, Fields, RowProblem, fields_from_rows
from seed.imports.fields import RowError, RowReader
from seed.imports.mapping import KindMapping
from seed.imports.readers import BadLine, ReadRow, Source, iter_chunks
from seed.imports.tables import CsvChunk, LineFinder, iter_tables

#: (line, raw text) of chunk rows, by their index in the chunk
Locate = Callable[[list[int]], dict[int, tuple[int, str]]]
#: (line, raw text, reason) of rows refused before they were read
Unread = list[tuple[int, str, str]]


@dataclass
class Chunk:
    """One chunk of a file: its rows in our fields, and how to find them in the file."""

    fields: Fields
    locate: Locate
    _unread: Callable[[], Unread] = field(default=lambda: [])
    dropped: int = 0  # rows reported by unread()

    def unread(self) -> Unread:
        """Rows near this chunk that had the wrong number of fields; call after locate."""
        rows = self._unread()
        self.dropped += len(rows)
        return rows

    @property
    def rows(self) -> int:
        return self.fields.table.num_rows + self.dropped


def read_chunks(
    mapping: KindMapping, source: Source, size: int, encoding: str, finder: LineFinder
) -> Iterator[Chunk]:
    """The file as chunks of ``size`` rows; ``finder`` finds CSV lines (caller closes it)."""
    if source.columns is None:
        yield from _jsonl_chunks(mapping, source, size, encoding)
        return
    columns = ColumnReader(mapping, source)
    parts = iter_tables(source, size, columns.columns, encoding)
    current = next(parts, None)
    while current is not None:
        # One chunk of look-ahead: the last chunk must know it is last (see _unread).
        following = next(parts, None)
        yield Chunk(
            columns.read(current.table),
            _locate(finder, current.start),
            _unread(finder, source, current, last=following is None),
        )
        current = following


def _locate(finder: LineFinder, start: int) -> Locate:
    def locate(indexes: list[int]) -> dict[int, tuple[int, str]]:
        found = finder.find([start + i for i in indexes])
        return {i: found[start + i] for i in indexes if start + i in found}

    return locate


def _unread(
    finder: LineFinder, source: Source, part: CsvChunk, *, last: bool
) -> Callable[[], Unread]:
    width = len(source.columns or ())

    def unread() -> Unread:
        # Arrow counted the rows it dropped as it read (possibly ahead of this chunk);
        # the finder reads the file again only as far as it must to locate them.
        if part.wrong_width > len(finder.wrong_width):
            finder.pass_to(part.start + part.table.num_rows)
            if last:
                finder.finish()
        found = finder.wrong_width[finder.reported:]
        finder.reported = len(finder.wrong_width)
        return [
            (line, source.raw(row), f"row has {len(row)} fields but the header has {width}")
            for line, row in found
        ]

    return unread


def _jsonl_chunks(
    mapping: KindMapping, source: Source, size: int, encoding: str
) -> Iterator[Chunk]:
    reader = RowReader(mapping, source)
    names = [name for name, _, _ in reader._fields]
    for items in iter_chunks(source, size, encoding):
        rows, emptied = [], []
        for i, (_, row) in enumerate(items):
            rows.append(_read_row(reader, row))
            emptied += [(i, name, raw) for name, raw in reader.emptied]
        yield Chunk(fields_from_rows(mapping.kind, names, rows, emptied),
                    _listed(source, items))


def _read_row(reader: RowReader, row: Any) -> dict[str, Any] | RowProblem:
    reader.emptied = []
    if isinstance(row, BadLine):
        return (0, None, row.reason)
    try:
        return reader.read(row)
    except RowError as exc:
        reader.emptied = []  # a rejected row is not imported with anything left empty
        return (0, exc.field, exc.reason)


def _listed(source: Source, items: list[ReadRow]) -> Locate:
    def locate(indexes: list[int]) -> dict[int, tuple[int, str]]:
        out = {}
        for i in indexes:
            line, row = items[i]
            out[i] = (line, getattr(row, "text", None) or source.raw(row))
        return out

    return locate
