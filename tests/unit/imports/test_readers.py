"""Unreadable files fail in one clear line; readable ones stream with line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import ImportFailed
from seed.imports.readers import BadLine, iter_chunks, open_source
from tests.unit.imports.helpers import write


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="empty"):
        open_source(write(tmp_path / "e.csv", ""))


def test_header_without_rows_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="header but no rows"):
        open_source(write(tmp_path / "h.csv", "Name,Email\n\n"))


def test_wrong_encoding_names_the_line_and_the_fix(tmp_path: Path) -> None:
    f = tmp_path / "latin1.csv"
    f.write_bytes("Name,City\nAnna,Berlin\nJörg,Köln\n".encode("latin-1"))
    with pytest.raises(ImportFailed, match=r"latin1.csv:3: is not utf-8.*--encoding"):
        open_source(f)
    # ...and the encoding it names does read it.
    source = open_source(f, encoding="latin-1")
    rows = [row for chunk in iter_chunks(source, 10, "latin-1") for _, row in chunk]
    assert rows[1] == ["Jörg", "Köln"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"PK\x03\x04\x14\x00rest-of-a-zip", "spreadsheet workbook"),
        (b"Name,Email\nA,\x00\x01\x02\n", "binary data"),
        (b'{"name": "Acme"}\n', "looks like JSON"),
    ],
)
def test_files_that_are_not_csv_are_refused(tmp_path: Path, content: bytes, words: str) -> None:
    f = tmp_path / "export.csv"
    f.write_bytes(content)
    with pytest.raises(ImportFailed, match=words):
        open_source(f)


def test_rows_carry_the_line_they_start_on(tmp_path: Path) -> None:
    f = write(
        tmp_path / "notes.csv",
        'Name,Note\nAnna,"first line\nsecond line"\n\nBen,short\n',
    )
    chunks = list(iter_chunks(open_source(f), 1))
    assert [(line, row[0]) for [(line, row)] in chunks] == [(2, "Anna"), (5, "Ben")]


def test_semicolon_exports_are_read(tmp_path: Path) -> None:
    source = open_source(write(tmp_path / "eu.csv", "Name;Amount\nAcme;1,5\n"))
    assert source.columns == ["Name", "Amount"]
    assert next(iter_chunks(source, 10))[0][1] == ["Acme", "1,5"]


def test_a_bad_json_line_is_a_bad_row_not_a_bad_file(tmp_path: Path) -> None:
    f = write(tmp_path / "c.jsonl", '{"name": "A"}\nnot json\n[1]\n{"name": "B"}\n')
    rows = [item for chunk in iter_chunks(open_source(f), 10) for item in chunk]
    assert [line for line, _ in rows] == [1, 2, 3, 4]
    assert isinstance(rows[1][1], BadLine) and "not valid JSON" in rows[1][1].reason
    assert isinstance(rows[2][1], BadLine) and "not a JSON object" in rows[2][1].reason
    assert rows[3][1] == {"name": "B"}


def test_chunks_bound_how_many_rows_are_held(tmp_path: Path) -> None:
    f = write(tmp_path / "many.csv", "Name\n" + "".join(f"n{i}\n" for i in range(25)))
    assert [len(c) for c in iter_chunks(open_source(f), 10)] == [10, 10, 5]
