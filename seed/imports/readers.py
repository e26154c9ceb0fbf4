"""Streaming readers for CSV and JSON Lines exports.

Rows come out in chunks, each row with the line number it starts on, so a file
of any size is read with bounded memory and every rejected row can be found
again in the file. A file that cannot be read at all (missing, empty, binary,
not UTF-8, a spreadsheet or JSON named .csv) raises :class:`ImportFailed`
with one line saying what is wrong and how to fix it, before anything is
written.
"""

from __future__ import annotations

import codecs
import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import ImportFailed

# Long free-text columns (notes, descriptions) exceed csv's 128 KiB default.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

JSONL_SUFFIXES = (".jsonl", ".ndjson")
_SCAN_CHUNK = 1 << 22
_DELIMITERS = (",", ";", "\t", "|")

Row = list[str] | dict[str, Any]


# (line the row starts on, 1-based with the header on line 1; the row). A tuple,
# not a dataclass: millions are made per import.
ReadRow = tuple[int, Row]


@dataclass
class Source:
    """An opened export: its format, its columns (CSV) and its rows."""

    path: Path
    format: str  # "csv" or "jsonl"
    columns: list[str] | None  # the CSV header; None for JSON Lines
    delimiter: str = ","
    lines: int = 0  # lines in the file: the progress bar's total (rows may span lines)

    @property
    def rows_estimate(self) -> int:
        return max(self.lines - (0 if self.columns is None else 1), 1)

    def raw(self, row: Row) -> str:
        """The row as it was in the file (re-serialised), for the rejects file."""
        if isinstance(row, dict):
            return json.dumps(row, ensure_ascii=False, default=str)
        return self.delimiter.join(row)


def file_format(path: Path) -> str:
    return "jsonl" if path.suffix.lower() in JSONL_SUFFIXES else "csv"


def check_file(path: Path, encoding: str = "utf-8") -> int:
    """Refuse, with one clear line, a file that cannot be imported at all.

    Reads the file once in chunks (never whole) to find a wrong encoding or
    binary content before any row is written; returns its number of lines.
    """
    if not path.exists():
        raise ImportFailed(f"{path}: no such file")
    if path.is_dir():
        raise ImportFailed(f"{path}: is a directory, not an export file")
    if path.stat().st_size == 0:
        raise ImportFailed(f"{path}: the file is empty; export it again with its rows")
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    line = 1
    last = b"\n"
    with path.open("rb") as fh:
        head = fh.read(8)
        fh.seek(0)
        if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
            raise ImportFailed(
                f"{path}: is a spreadsheet workbook (xlsx/xls), not CSV; "
                "save it as 'CSV UTF-8' and import that"
            )
        while chunk := fh.read(_SCAN_CHUNK):
            if b"\x00" in chunk and not encoding.lower().startswith("utf-16"):
                at = line + chunk[: chunk.index(b"\x00")].count(b"\n")
                raise ImportFailed(
                    f"{path}:{at}: contains binary data (NUL bytes): not a CSV or JSON Lines "
                    "text file"
                )
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                at = line + chunk[: exc.start].count(b"\n")
                raise ImportFailed(
                    f"{path}:{at}: is not {encoding} (byte 0x{chunk[exc.start]:02x}); "
                    "re-export as UTF-8 or pass --encoding (for example --encoding cp1252)"
                ) from None
            line += chunk.count(b"\n")
            last = chunk[-1:]
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise ImportFailed(f"{path}: ends in the middle of a {encoding} character") from None
    # Lines, not newlines: a last line without one counts, the newline ending the file
    # starts none (else a progress bar over a file's rows ends at N of N+1).
    return line - 1 if last == b"\n" else line


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def open_source(path: Path, encoding: str = "utf-8") -> Source:
    """Check the file and read its header; rows come from :func:`iter_chunks`."""
    lines = check_file(path, encoding)
    fmt = file_format(path)
    with path.open(encoding=_enc(encoding), newline="") as fh:
        first = fh.readline()
        while first and not first.strip():
            first = fh.readline()
        if not first.strip():
            raise ImportFailed(f"{path}: the file holds only blank lines")
        if fmt == "jsonl":
            try:
                json.loads(first)
            except ValueError:
                raise ImportFailed(
                    f"{path}: the first line is not JSON; JSON Lines files hold one JSON "
                    "object per line (a CSV file should be named .csv)"
                ) from None
            return Source(path, fmt, None, lines=lines)
        stripped = first.lstrip()
        if stripped.startswith(("{", "[")):
            raise ImportFailed(
                f"{path}: looks like JSON, not CSV; name a JSON Lines file .jsonl"
            )
        delimiter = _sniff_delimiter(first)
        header = next(csv.reader([first], delimiter=delimiter))
        columns = [c.strip() for c in header]
        if not any(columns):
            raise ImportFailed(f"{path}:1: the header row has no column names")
        has_rows = any(line.strip() for line in fh)
    if not has_rows:
        raise ImportFailed(f"{path}: has a header but no rows")
    return Source(path, fmt, columns, delimiter, lines)


def _enc(encoding: str) -> str:
    # A UTF-8 byte order mark (Excel writes one) must not end up in the first column name.
    return "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding


def iter_chunks(source: Source, size: int, encoding: str = "utf-8") -> Iterator[list[ReadRow]]:
    """The rows of ``source`` in chunks of ``size``, blank lines skipped."""
    jsonl = source.format == "jsonl"
    rows = _iter_jsonl(source, encoding) if jsonl else _iter_csv(source, encoding)
    chunk: list[ReadRow] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _iter_csv(source: Source, encoding: str) -> Iterator[ReadRow]:
    with source.path.open(encoding=_enc(encoding), newline="") as fh:
        reader = csv.reader(fh, delimiter=source.delimiter)
        start = 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if line == 1 or not row or (len(row) == 1 and not row[0].strip()):
                continue  # the header, or a blank line
            yield (line, row)


class BadLine(dict[str, Any]):
    """A JSON Lines line that is not a JSON object: rejected, not fatal."""

    def __init__(self, text: str, reason: str):
        super().__init__()
        self.text = text
        self.reason = reason


def _iter_jsonl(source: Source, encoding: str) -> Iterator[ReadRow]:
    with source.path.open(encoding=_enc(encoding)) as fh:
        for number, text in enumerate(fh, start=1):
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                yield (number, BadLine(text.rstrip("\n"), f"not valid JSON: {exc.msg}"))
                continue
            if not isinstance(value, dict):
                yield (number, BadLine(text.rstrip("\n"), "not a JSON object"))
                continue
            yield (number, value)
