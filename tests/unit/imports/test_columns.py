"""The column-wise reader (big CSV files) reads every cell as the row reader does."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from seed.imports.chunks import read_chunks
from seed.imports.fields import RowError, RowReader
from seed.imports.mapping import ImportMapping, load_mapping, parse_mapping
from seed.imports.readers import iter_chunks, open_source
from seed.imports.tables import LineFinder
from tests.unit.imports.helpers import write

CRM = Path(__file__).parents[2] / "fixtures" / "crm"


def by_row_reader(path: Path, mapping: ImportMapping, kind: str) -> list[tuple[int, Any]]:
    source = open_source(path)
    reader = RowReader(mapping.for_kind(kind), source)
    out: list[tuple[int, Any]] = []
    for chunk in iter_chunks(source, 1000):
        for line, row in chunk:
            try:
                read = reader.read(row)
                out.append((line, {k: v.value if isinstance(v, Enum) else v
                                   for k, v in read.items()}))
            except RowError as exc:
                out.append((line, (exc.field, exc.reason)))
    return out


def by_columns(path: Path, mapping: ImportMapping, kind: str, size: int) -> list[tuple[int, Any]]:
    source = open_source(path)
    finder = LineFinder(source, "utf-8")
    out: list[tuple[int, Any]] = []
    try:
        for chunk in read_chunks(mapping.for_kind(kind), source, size, "utf-8", finder):
            problems = {i: (f, r) for i, f, r in chunk.fields.problems}
            rows = chunk.fields.table.to_pylist()
            where = chunk.locate(list(range(len(rows))))
            for i, row in enumerate(rows):
                value = problems.get(i) or {k: v for k, v in row.items() if v is not None}
                out.append((where[i][0], value))
            out += [(line, (None, reason)) for line, _, reason in chunk.unread()]
    finally:
        finder.close()
    return sorted(out, key=lambda r: r[0])


@pytest.mark.parametrize(
    ("crm", "file", "kind"),
    [
        ("salesforce", "Account.csv", "companies"),
        ("salesforce", "Contact.csv", "contacts"),
        ("salesforce", "Task.csv", "touchpoints"),
        ("salesforce", "Event.csv", "touchpoints"),
        ("salesforce", "Opportunity.csv", "opportunities"),
        ("hubspot", "companies.csv", "companies"),
        ("hubspot", "contacts.csv", "contacts"),
        ("hubspot", "activities.csv", "touchpoints"),
        ("hubspot", "deals.csv", "opportunities"),
    ],
)
def test_shipped_mappings_read_the_same_both_ways(crm: str, file: str, kind: str) -> None:
    mapping = load_mapping(crm)
    path = CRM / crm / file
    assert by_columns(path, mapping, kind, 2) == by_row_reader(path, mapping, kind)


def test_awkward_cells_read_the_same_both_ways(tmp_path: Path) -> None:
    f = write(
        tmp_path / "t.csv",
        "Id,Kind,When,Who,Acct,Dir,Note\n"
        " t1 , Mailer ,2024-01-31, a; ;b ,acme,,\"two\nlines\"\n"   # spaces, a quoted newline
        "t2,call,31/01/2024,a,acme,INBOUND,\n"                       # a date it cannot read
        "\n"                                                         # a blank line
        "t3,sleeping,2024-02-01,,acme,,x\n"                          # unknown type
        "t4,CALL,1706695200000,a,,,\n"                               # epoch ms; no company
        "t5,call,2024-02-01\n"                                       # too few fields
        "t6,,2024-02-01T10:00:00+02:00,a,acme,Outbound,\n",          # no type
    )
    mapping = parse_mapping({"touchpoints": {
        "id": "Id",
        "type": {"column": "Kind", "values": {"Mailer": "direct_mail"}},
        "at": "When",
        "contact_ids": {"column": "Who", "split": ";"},
        "company_id": "Acct",
        "direction": {"column": "Dir", "values": {"inbound": "inbound"}, "other": "outbound",
                      "default": "outbound"},
        "subject": {"columns": ["Note", "Kind"], "join": " / "},
    }})
    columns = by_columns(f, mapping, "touchpoints", 3)
    assert columns == by_row_reader(f, mapping, "touchpoints")
    # What a user sees in the rejects file: the line each bad row starts on.
    assert [(line, v[0]) for line, v in columns if isinstance(v, tuple)] == [
        (4, "at"), (6, "type"), (8, None), (9, "type"),
    ]


def test_merges_and_short_rows_name_the_lines_they_start_on(tmp_path: Path) -> None:
    from graph import model as m
    from graph.settings import Settings
    from graph.stores import open_store
    from seed.imports.rejects import RejectsWriter
    from seed.imports.runner import FileSpec, Importer

    companies = write(tmp_path / "companies.csv", "id,name,domain\nacme,Acme,acme.com\n")
    contacts = write(
        tmp_path / "contacts.csv",
        "id,name,email,company_id,title\n"
        'c1,Ann,ann@acme.com,acme,"Head of\nFinance"\n'   # lines 2-3
        "c2,Ann B,ANN@acme.com,acme,CFO\n"                # line 4: the same email
        "c3,Bob,bob@acme.com,acme\n"                      # line 5: a field short
        "c4,Cy,cy@acme.com,acme,\n",
    )
    merges: list[Any] = []
    store = open_store(Settings(data_dir=tmp_path / "data", store="ladybug"))
    try:
        summary = Importer(store, rejects=RejectsWriter(tmp_path / "rejects.csv"),
                           on_merge=merges.append, batch_size=2).run([
            FileSpec(companies, "companies"), FileSpec(contacts, "contacts", m.Silo.SALES),
        ])
        assert sorted(store.get_table("contact").column("id").to_pylist()) == ["c1", "c4"]
    finally:
        store.close()
    assert [(x.rule, x.line, x.into) for x in merges] == [("email", 4, "c1")]
    assert (summary.read, summary.rejected) == (5, 1)  # a company and four contact rows
    rejects = (tmp_path / "rejects.csv").read_text().splitlines()
    assert rejects[1].startswith(f"{contacts},5,,row has 4 fields but the header has 5")


def test_a_list_column_without_separator_reads_the_same_both_ways(tmp_path: Path) -> None:
    # One id per cell: blank and space-only cells name nobody, whatever the chunk size.
    f = write(
        tmp_path / "t.csv",
        "Id,Kind,When,Who,Acct\n"
        "t1,call,2024-01-31, a ,acme\n"
        "t2,call,2024-01-31,,acme\n"
        "t3,call,2024-01-31,   ,acme\n"
        "t4,call,2024-01-31,b;c,acme\n",
    )
    mapping = parse_mapping({"touchpoints": {
        "id": "Id", "type": "Kind", "at": "When", "contact_ids": "Who", "company_id": "Acct",
    }})
    for size in (1, 3, 10):
        assert by_columns(f, mapping, "touchpoints", size) == by_row_reader(f, mapping,
                                                                           "touchpoints")
