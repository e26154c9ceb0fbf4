"""Small helpers to write export files and read their rows in tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from seed.imports.fields import RowReader
from seed.imports.mapping import parse_mapping
from seed.imports.readers import iter_chunks, open_source


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def rows_of(path: Path, kind: str, mapping: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of ``path`` read with a mapping given as a plain dict."""
    source = open_source(path)
    reader = RowReader(parse_mapping({kind: mapping}).for_kind(kind), source)
    return [reader.read(row) for chunk in iter_chunks(source, 100) for _, row in chunk]
