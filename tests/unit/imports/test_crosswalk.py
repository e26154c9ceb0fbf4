"""The crosswalk keeps only ids it cannot derive; source ids still find their records."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from graph import model as m
from graph.store import Store
from seed.imports.crosswalk import Crosswalk, StoreKeeper
from seed.imports.mapping import native_mapping
from seed.imports.runner import FileSpec
from tests.unit.imports.helpers import write
from tests.unit.imports.test_import_run import contents, run
from tests.unit.imports.test_references import CRM, csv_cell, people, touchpoints


def pairs(store: Store, tmp: Path) -> set[tuple[str, str, str, str]]:
    """What the crosswalk keeps, where it keeps it: the store (Neo4j) or a file."""
    if isinstance(store, StoreKeeper):
        assert not (tmp / "xw.sqlite3").exists()
        return set(store.crosswalk_entries())
    with sqlite3.connect(tmp / "xw.sqlite3") as db:
        return set(db.execute("SELECT * FROM crosswalk"))


def test_only_ids_that_cannot_be_derived_are_kept(store: Store, tmp_path: Path) -> None:
    run(store, people(tmp_path), tmp_path)
    # m1 is crm-m1 and acme crm-acme, as their ids say; f1 was merged into Jo (m1).
    assert pairs(store, tmp_path) == {("crm", "contact", "f1", "crm-m1")}


def test_another_machine_importing_into_the_same_store_agrees(
    store: Store, tmp_path: Path
) -> None:
    (tmp_path / "here").mkdir()
    run(store, people(tmp_path), tmp_path / "here")
    # Elsewhere, with nothing of this machine's files: finance's f1 is still Jo (m1).
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if not isinstance(store, StoreKeeper):  # the embedded store's file goes with it
        shutil.copy(tmp_path / "here" / "xw.sqlite3", elsewhere / "xw.sqlite3")
    summary = run(store, [touchpoints(
        tmp_path, "id,type,at,company_id,contact_ids\nt1,call,2024-01-31,acme,f1\n")], elsewhere)
    assert summary.rejected == 0
    [touchpoint] = contents(store)["touchpoint"].values()
    assert touchpoint["contact_ids"] == ["crm-m1"]


def test_forgetting_our_id_removes_its_entries_where_they_are_kept(
    store: Store, tmp_path: Path
) -> None:
    run(store, people(tmp_path), tmp_path)
    crosswalk = Crosswalk(tmp_path / "xw.sqlite3", store=store)
    assert crosswalk.forget("crm-m1") == 1 and crosswalk.get("crm", "contact", "f1") is None
    crosswalk.close()
    assert pairs(store, tmp_path) == set()


def test_a_re_import_finds_every_record_by_its_source_id(store: Store, tmp_path: Path) -> None:
    run(store, people(tmp_path), tmp_path)
    before = contents(store)
    again = run(store, people(tmp_path), tmp_path)
    # Found by source id (not merged again by email): m1 and m2 without a crosswalk entry.
    assert (again.written, again.merged, again.rejected) == (0, 0, 0)
    assert again.unchanged == 4  # Acme, Jo, Ann, and Jo again from finance
    assert contents(store) == before


def test_a_later_file_names_records_by_source_ids_the_crosswalk_does_not_hold(
    store: Store, tmp_path: Path
) -> None:
    run(store, people(tmp_path), tmp_path)
    items = write(tmp_path / "profile.csv", "contact_id,key,value\nm2,hobby,chess\n")
    summary = run(store, [
        touchpoints(tmp_path, "id,type,at,company_id,contact_ids\nt1,call,2024-01-31,acme,m2\n"),
        FileSpec(items, "profile_items", mapping=CRM),
    ], tmp_path)
    assert summary.rejected == 0
    stored = contents(store)
    [touchpoint] = stored["touchpoint"].values()
    assert (touchpoint["company_id"], touchpoint["contact_ids"]) == ("crm-acme", ["crm-m2"])
    assert [p["contact_id"] for p in stored["profile_item"].values()] == ["crm-m2"]


def test_a_crosswalk_file_holding_every_pair_still_works(store: Store, tmp_path: Path) -> None:
    run(store, people(tmp_path), tmp_path)
    # As an importer before this one left it: the derivable pairs too.
    crosswalk = Crosswalk(tmp_path / "xw.sqlite3", store=store)
    for pair in [("crm", "company", "acme", "crm-acme"), ("crm", "contact", "m1", "crm-m1"),
                 ("crm", "contact", "m2", "crm-m2")]:  # fmt: skip
        crosswalk.put(*pair)
    crosswalk.close()
    before = contents(store)
    again = run(store, [*people(tmp_path), touchpoints(
        tmp_path, "id,type,at,contact_ids\nt1,call,2024-01-31,f1;m2\n")], tmp_path)
    assert (again.merged, again.rejected) == (0, 0)
    assert contents(store)["contact"] == before["contact"]
    [touchpoint] = contents(store)["touchpoint"].values()
    assert touchpoint["contact_ids"] == ["crm-m1", "crm-m2"]


def test_a_source_id_merged_into_another_record_stays_with_it(
    store: Store, tmp_path: Path
) -> None:
    run(store, people(tmp_path), tmp_path)
    # A record whose id is the one f1 would have had, had it not been merged into Jo.
    other = write(tmp_path / "other.csv", "id,name,email,company_id\n"
                  "crm-f1,Someone Else,else@acme.com,crm-acme\n")
    run(store, [FileSpec(other, "contacts", m.Silo.SALES, native_mapping())], tmp_path)
    # Finance's f1 again, with nothing else in common with Jo: still Jo, not a merge.
    finance = write(tmp_path / "finance.csv", "id,name,email,title,company_id\n"
                    "f1,J. Smith,jsmith@private.example,CFO,acme\n")
    summary = run(store, [
        FileSpec(finance, "contacts", m.Silo.FINANCE, CRM),
        touchpoints(tmp_path, "id,type,at,contact_ids\nt1,call,2024-01-31,f1\n"),
    ], tmp_path)
    assert (summary.merged, summary.rejected) == (0, 0)
    stored = contents(store)
    assert stored["contact"]["crm-m1"]["title"] == "CFO"
    assert stored["contact"]["crm-f1"]["name"] == "Someone Else"
    assert stored["contact"]["crm-f1"]["title"] is None
    assert [t["contact_ids"] for t in stored["touchpoint"].values()] == [["crm-m1"]]


def test_ids_with_unusual_characters_are_found_again(store: Store, tmp_path: Path) -> None:
    odd = ["O'Brien, Pat", "Zoë 2", " padded ", "a long id " * 30]
    contacts = write(tmp_path / "contacts.csv", "id,name,company_id\nplain,Person,acme\n" + "".join(
        f"{csv_cell(id)},Person {i},acme\n" for i, id in enumerate(odd)))
    companies = write(tmp_path / "companies.csv", "id,name\nacme,Acme\n")
    specs = [FileSpec(companies, "companies", mapping=CRM),
             FileSpec(contacts, "contacts", m.Silo.SALES, CRM)]
    run(store, specs, tmp_path)
    # Their ids are digests (safe_id): derived again, not remembered.
    assert pairs(store, tmp_path) == set()
    before = contents(store)
    again = run(store, specs, tmp_path)
    assert (again.written, again.merged, again.rejected) == (0, 0, 0)
    assert contents(store) == before
    # And a later run's references find them: a column at a time and row by row.
    ours = {c["name"]: id for id, c in before["contact"].items()}
    listed = csv_cell(";".join(odd))
    items = write(tmp_path / "profile.csv", "contact_id,key,value\n" + "".join(
        f"{csv_cell(id)},rank,{i}\n" for i, id in enumerate(odd)))
    later = run(store, [
        touchpoints(tmp_path, f"id,type,at,contact_ids\nt1,call,2024-01-31,{listed}\n"),
        FileSpec(items, "profile_items", mapping=CRM),
    ], tmp_path)
    assert later.rejected == 0
    stored = contents(store)
    [touchpoint] = stored["touchpoint"].values()
    assert touchpoint["contact_ids"] == [ours[f"Person {i}"] for i in range(len(odd))]
    assert sorted(p["contact_id"] for p in stored["profile_item"].values()) == sorted(
        ours[f"Person {i}"] for i in range(len(odd)))
