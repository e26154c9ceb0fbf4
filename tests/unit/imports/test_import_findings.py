"""What an importing user noticed (issue 18, items 8 and 9), on both stores.

Progress that ends at N of N, a summary that keeps rows and records apart, rejects
that survive the next run, unknown optional values that do not cost the row, a
profile item that a new value replaces, and firmographics in our words.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from graph import model as m
from graph.settings import Settings
from graph.store import Store
from seed.imports.mapping import load_mapping, native_mapping, parse_mapping
from seed.imports.rejects import RejectsWriter
from seed.imports.runner import FileSpec, Importer, ImportSummary
from tests.unit.imports.helpers import write


def run(store: Store, specs: list[FileSpec], tmp: Path, rejects: Path | None = None,
        **kw: Any) -> ImportSummary:
    return Importer(store, rejects=RejectsWriter(rejects or tmp / "rejects.csv"),
                    crosswalk=tmp / "xw.sqlite3", **kw).run(specs)


def _all(store: Store, kind: str) -> list[Any]:
    return [n for ids in store.iter_ids(kind) for n in store.get_many(kind, ids).values()]


COMPANIES = "id,name\nacme,Acme\nglobex,Globex\n"


@pytest.mark.parametrize("trailing_newline", [True, False])
def test_progress_ends_at_n_of_n(store: Store, tmp_path: Path, trailing_newline: bool) -> None:
    text = COMPANIES + "initech,Initech" + ("\n" if trailing_newline else "")
    f = write(tmp_path / "companies.csv", text)
    seen: list[tuple[int, int]] = []
    run(store, [FileSpec(f, "companies")], tmp_path,
        progress=lambda path, done, total: seen.append((done, total)))
    assert seen[-1] == (3, 3)
    assert all(total == 3 for _, total in seen)  # the header is not a row to wait for


def test_the_summary_keeps_rows_and_records_apart(store: Store, tmp_path: Path) -> None:
    f = write(tmp_path / "companies.csv", COMPANIES + "acme,Acme Corp\nacme,Acme\nhooli,Hooli\n")
    c = write(tmp_path / "contacts.csv", "id,name,company_id,department\n"
              "p1,Pat,acme,Finance\np2,Sam,acme,IT\np3,Lee,globex,Finance\n")
    s = run(store, [FileSpec(f, "companies"), FileSpec(c, "contacts", m.Silo.SALES)], tmp_path)
    assert s.read == 8 and s.imported["companies"] == 5 and s.imported["contacts"] == 3
    assert s.records("companies") == 3 and s.repeated("companies") == 2
    assert s.records("contacts") == 3 and s.repeated("contacts") == 0
    assert s.by_kind["department"] == 3  # records of another kind, counted as such
    from api.commands.import_ import _summary_lines

    lines = _summary_lines(s)
    assert lines[0].startswith("read 8 rows") and "8 imported, 0 rejected" in lines[0]
    assert "companies: 5 rows -> 3 company records" in lines[1]
    assert "2 rows repeated an earlier row's id" in lines[1]
    assert any("3 department" in line for line in lines)


def test_rejects_of_every_run_are_kept(store: Store, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.csv"
    bad = write(tmp_path / "companies.csv", "id,name,lifecycle\nb,Bad,sleeping\n")
    run(store, [FileSpec(bad, "companies")], tmp_path, rejects=rejects)
    worse = write(tmp_path / "contacts.csv", "id,name,company_id\nq,Quinn,nowhere\n")
    run(store, [FileSpec(worse, "contacts", m.Silo.SALES)], tmp_path, rejects=rejects)
    with rejects.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [Path(r["file"]).name for r in rows] == ["companies.csv", "contacts.csv"]
    assert all(r["run"] for r in rows)
    assert rejects.read_text(encoding="utf-8").count("file,line,field") == 1


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_an_unknown_department_keeps_the_contact(store: Store, tmp_path: Path,
                                                 suffix: str) -> None:
    f = write(tmp_path / "companies.csv", COMPANIES)
    rows = [("p1", "Pat", "acme", "Widgets"), ("p2", "Sam", "acme", "Finance")]
    if suffix == "csv":
        text = "id,name,company_id,department\n" + "".join(f"{','.join(r)}\n" for r in rows)
    else:
        import json

        text = "".join(json.dumps(dict(zip(("id", "name", "company_id", "department"), r,
                                           strict=True))) + "\n" for r in rows)
    c = write(tmp_path / f"contacts.{suffix}", text)
    s = run(store, [FileSpec(f, "companies"), FileSpec(c, "contacts", m.Silo.SALES)], tmp_path)
    assert s.rejected == 0
    people = {p.id: p for p in _all(store, "contact")}
    assert people["p1"].department_id is None and people["p2"].department_id is not None
    assert s.emptied == {("contacts", "department", "Widgets"): 1}


def test_a_required_or_defaulted_value_we_do_not_know_still_rejects(
        store: Store, tmp_path: Path) -> None:
    # An unknown lifecycle must not quietly become the default, prospect.
    f = write(tmp_path / "companies.csv", "id,name,lifecycle\nb,Bad,sleeping\n")
    s = run(store, [FileSpec(f, "companies")], tmp_path)
    assert s.rejected == 1 and s.emptied == {}


def test_a_new_value_replaces_a_single_valued_profile_item(store: Store,
                                                           tmp_path: Path) -> None:
    f = write(tmp_path / "companies.csv", COMPANIES)
    c = write(tmp_path / "contacts.csv", "id,name,company_id\np1,Pat,acme\n")
    run(store, [FileSpec(f, "companies"), FileSpec(c, "contacts", m.Silo.SALES)], tmp_path)
    first = write(tmp_path / "items1.csv", "contact_id,key,value\np1,seniority,manager\n"
                  "p1,hobby,golf\n")
    run(store, [FileSpec(first, "profile_items")], tmp_path)
    later = write(tmp_path / "items2.csv", "contact_id,key,value\np1,seniority,director\n"
                  "p1,hobby,chess\n")
    run(store, [FileSpec(later, "profile_items")], tmp_path)
    items = sorted((i.key, i.value) for i in _all(store, "profile_item"))
    assert items == [("hobby", "chess"), ("hobby", "golf"), ("seniority", "director")]


def test_a_mapping_names_its_own_multi_valued_keys(store: Store, tmp_path: Path) -> None:
    mapping = parse_mapping({"multi_valued_keys": ["pet"], "profile_items": {
        "contact_id": "contact_id", "key": "key", "value": "value"}})
    assert mapping.multi_valued_keys == {"pet"}
    assert "hobby" in native_mapping().multi_valued_keys


def test_countries_and_bands_come_in_our_words(store: Store, tmp_path: Path) -> None:
    f = write(tmp_path / "companies.csv", "id,name,region,size_band,revenue_band\n"
              "a,A,United States,5001+,100M-1B\nb,B,DE,250,<1M\nc,C,EMEA,51-200,$1B+\n"
              "d,D,Atlantis,,\n")
    run(store, [FileSpec(f, "companies")], tmp_path)
    got = {c.id: (c.region, c.size_band, c.revenue_band) for c in _all(store, "company")}
    assert got == {"a": ("North America", "5000+", "$250M-$1B"),
                   "b": ("EMEA", "201-1000", "<$10M"),
                   "c": ("EMEA", "51-200", "$1B+"),
                   "d": ("Atlantis", None, None)}  # unknown: kept as given, never guessed


def test_the_mapping_overrides_the_regions(store: Store, tmp_path: Path) -> None:
    mapping = parse_mapping({"companies": {
        "id": "id", "name": "name",
        "region": {"column": "country", "values": {"Germany": "DACH"}},
        "size_band": {"column": "employees", "normalise": False}}})
    f = write(tmp_path / "companies.csv", "id,name,country,employees\n"
              "a,A,Germany,5001+\nb,B,France,10\n")
    run(store, [FileSpec(f, "companies", mapping=mapping)], tmp_path)
    got = {c.id: (c.region, c.size_band) for c in _all(store, "company")}
    assert got == {"a": ("DACH", "5001+"), "b": ("EMEA", "10")}


def test_shipped_mappings_speak_our_bands() -> None:
    from seed.generator.vocab import REVENUE_BANDS, SIZE_BANDS

    for name in ("salesforce", "hubspot"):
        rules = load_mapping(name).for_kind("companies").rules
        assert {label for _, label in rules["size_band"].bands} == set(SIZE_BANDS)
        assert {label for _, label in rules["revenue_band"].bands} == set(REVENUE_BANDS)
        assert rules["region"].translate("United States") == "North America"


def test_the_brief_of_an_imported_account_names_departments_not_ids(
        store: Store, tmp_path: Path) -> None:
    from api.commands.brief import brief_text
    from api.commands.map import load_account

    sf = load_mapping("salesforce")
    f = write(tmp_path / "Account.csv", "Id,Name,Website\n001A,Acme,acme.example\n")
    c = write(tmp_path / "Contact.csv", "Id,AccountId,FirstName,LastName,Title,Department\n"
              "003A,001A,Pat,Buyer,Buyer,Purchasing\n")
    run(store, [FileSpec(f, "companies", m.Silo.SALES, sf),
                FileSpec(c, "contacts", m.Silo.SALES, sf)], tmp_path)
    company = _all(store, "company")[0].id
    text = brief_text(load_account(store, company, None, settings=Settings(data_dir=tmp_path)))
    assert "Procurement" in text and "/procurement" not in text and "salesforce-" not in text
