"""Mapping files turn a foreign export's columns and values into our fields."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from graph.errors import ImportFailed
from graph.model import Lifecycle, TouchpointKind
from seed.imports.fields import RowError, RowReader
from seed.imports.mapping import load_mapping, parse_mapping
from seed.imports.readers import iter_chunks, open_source
from tests.unit.imports.helpers import rows_of, write

FIXTURES = Path(__file__).parents[2] / "fixtures" / "crm"


def test_foreign_column_names_become_our_fields(tmp_path: Path) -> None:
    f = write(tmp_path / "a.csv", "Acct Name,Web\nAcme Inc,https://www.Acme.com/about\n")
    [row] = rows_of(f, "companies", {"name": "Acct Name", "domain": "Web"})
    assert row == {"name": "Acme Inc", "domain": "https://www.Acme.com/about"}


def test_foreign_values_map_onto_our_enums_case_insensitively(tmp_path: Path) -> None:
    f = write(
        tmp_path / "t.csv",
        "ACTIVITY_TYPE,When,Acct\nMailer,2024-01-31,a1\nMAILER,2024-02-01,a1\nemail,2024-02-02,a1\n",
    )
    rows = rows_of(
        f,
        "touchpoints",
        {
            "type": {"column": "ACTIVITY_TYPE", "values": {"Mailer": "direct_mail"}},
            "at": "When",
            "company_id": "Acct",
        },
    )
    # Values the map does not list pass through and may be ours already.
    assert [r["type"] for r in rows] == [
        TouchpointKind.DIRECT_MAIL, TouchpointKind.DIRECT_MAIL, TouchpointKind.EMAIL,
    ]
    assert rows[0]["at"] == datetime(2024, 1, 31, tzinfo=UTC)


def test_names_are_joined_and_the_first_present_column_wins(tmp_path: Path) -> None:
    f = write(tmp_path / "c.csv", "First,Last,Work,Mobile,Acct\nJo,Smith,,555 01,a1\n")
    [row] = rows_of(
        f,
        "contacts",
        {
            "name": {"columns": ["First", "Last"], "join": " "},
            "phone": ["Work", "Mobile"],
            "company_id": "Acct",
        },
    )
    assert row == {"name": "Jo Smith", "phone": "555 01", "company_id": "a1"}


def test_other_default_bands_and_date_format(tmp_path: Path) -> None:
    f = write(tmp_path / "o.csv", "Acct,Type,Staff,Closed\nA,Reseller,120,03/04/2024\nB,,9,\n")
    companies = rows_of(
        f,
        "companies",
        {
            "name": "Acct",
            "lifecycle": {"column": "Type", "values": {"Customer": "customer"},
                          "other": "partner", "default": "prospect"},
            "size_band": {"column": "Staff", "bands": [[50, "small"], [1000, "mid"]]},
        },
    )
    assert [c["lifecycle"] for c in companies] == [Lifecycle.PARTNER, Lifecycle.PROSPECT]
    assert [c["size_band"] for c in companies] == ["mid", "small"]
    [opp, _] = rows_of(
        f, "opportunities",
        {"company_id": "Acct", "close_date": {"column": "Closed", "format": "%m/%d/%Y"}},
    )
    assert opp["close_date"] == date(2024, 3, 4)


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("Kind,At,Acct\nCarrier pigeon,2024-01-01,a\n", "type", "not a known type"),
        ("Kind,At,Acct\nemail,31/31/2024,a\n", "at", "not a date"),
        ("Kind,At,Acct\n,2024-01-01,a\n", "type", "missing required type"),
        ("Kind,At,Acct\nemail,2024-01-01\n", None, "row has 2 fields but the header has 3"),
    ],
)
def test_bad_values_name_the_field_and_the_reason(
    tmp_path: Path, text: str, field: str | None, words: str
) -> None:
    f = write(tmp_path / "bad.csv", text)
    with pytest.raises(RowError) as err:
        rows_of(f, "touchpoints", {"type": "Kind", "at": "At", "company_id": "Acct"})
    assert err.value.field == field
    assert words in err.value.reason


def test_a_mapping_naming_a_field_we_do_not_have_is_refused() -> None:
    with pytest.raises(ImportFailed, match="'nickname' is not one of ours"):
        parse_mapping({"contacts": {"nickname": "Nick"}})
    with pytest.raises(ImportFailed, match="unknown kind \\[leads\\]"):
        parse_mapping({"leads": {"name": "Name"}})
    with pytest.raises(ImportFailed, match="unknown key 'colum'"):
        parse_mapping({"contacts": {"name": {"colum": "Name"}}})


def test_yaml_and_toml_mappings_read_the_same(tmp_path: Path) -> None:
    toml = write(tmp_path / "m.toml", 'source = "x"\n[companies]\nname = "Acct Name"\n')
    yaml = write(tmp_path / "m.yaml", "source: x\ncompanies:\n  name: Acct Name\n")
    assert load_mapping(toml).kinds == load_mapping(yaml).kinds


def test_a_file_without_the_mapped_columns_is_refused_in_one_line(tmp_path: Path) -> None:
    f = write(tmp_path / "deals.csv", "Deal,Value\nBig,10\n")
    with pytest.raises(ImportFailed, match="wrong --kind or --mapping"):
        rows_of(f, "contacts", {"name": "Full Name", "company_id": "Acct"})


@pytest.mark.parametrize(
    ("crm", "files"),
    [
        ("salesforce", {"Account.csv": "companies", "Contact.csv": "contacts",
                        "Task.csv": "touchpoints", "Event.csv": "touchpoints",
                        "Opportunity.csv": "opportunities"}),
        ("hubspot", {"companies.csv": "companies", "contacts.csv": "contacts",
                     "activities.csv": "touchpoints", "deals.csv": "opportunities"}),
    ],
)
def test_shipped_mappings_read_every_row_of_their_example_exports(
    crm: str, files: dict[str, str]
) -> None:
    mapping = load_mapping(crm)
    for name, kind in files.items():
        source = open_source(FIXTURES / crm / name)
        reader = RowReader(mapping.for_kind(kind), source)
        rows = [reader.read(r) for chunk in iter_chunks(source, 10) for _, r in chunk]
        assert rows, name
        if kind == "touchpoints":
            assert all(isinstance(r["type"], TouchpointKind) for r in rows)
