"""Touchpoints name contacts and users by the export's ids: which of ours they become."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from graph import model as m
from graph.store import Store
from seed.imports.mapping import native_mapping
from seed.imports.runner import FileSpec
from tests.unit.imports.helpers import write
from tests.unit.imports.test_import_run import contents, read_rejects, run

# Our own column names, and ids namespaced by the CRM: its contact m1 is our crm-m1,
# so a reference resolves only through what the import remembers.
CRM = dataclasses.replace(native_mapping(), source="crm")


def people(folder: Path) -> list[FileSpec]:
    """Acme; Jo and Ann from marketing; finance's f1 is Jo again (same email)."""
    companies = write(folder / "companies.csv", "id,name,domain\nacme,Acme,acme.com\n")
    marketing = write(folder / "marketing.csv", "id,name,email,company_id\n"
                      "m1,Jo Smith,jo@acme.com,acme\nm2,Ann Lee,ann@acme.com,acme\n")
    finance = write(folder / "finance.csv", "id,name,email,company_id\n"
                    "f1,Jo Smith,JO@acme.com,acme\n")
    return [
        FileSpec(companies, "companies", mapping=CRM),
        FileSpec(marketing, "contacts", m.Silo.MARKETING, CRM),
        FileSpec(finance, "contacts", m.Silo.FINANCE, CRM),
    ]


def touchpoints(folder: Path, text: str) -> FileSpec:
    return FileSpec(write(folder / "touchpoints.csv", text), "touchpoints", mapping=CRM)


def test_a_contact_named_by_both_of_its_ids_is_listed_once(store: Store, tmp_path: Path) -> None:
    summary = run(store, [*people(tmp_path), touchpoints(tmp_path, (
        "id,type,at,contact_ids\n"
        "t1,call,2024-01-31,m1;f1\n"
        "t2,call,2024-01-31,f1;m2;m1\n"
        "t3,call,2024-01-31,m2;m1\n"
        "t4,call,2024-01-31,f1\n"
    ))], tmp_path)
    assert summary.merge_rules == {("contact", "email"): 1}
    listed = {id: t["contact_ids"] for id, t in contents(store)["touchpoint"].items()}
    # Jo once, where she is first named; the order of the others as given.
    assert listed == {
        "crm-t1": ["crm-m1"],
        "crm-t2": ["crm-m1", "crm-m2"],
        "crm-t3": ["crm-m2", "crm-m1"],
        "crm-t4": ["crm-m1"],
    }
    # Without a company column a touchpoint is on its first contact's company.
    assert {t["company_id"] for t in contents(store)["touchpoint"].values()} == {"crm-acme"}


def test_a_contact_or_user_that_is_not_there_is_rejected_naming_it(
    store: Store, tmp_path: Path
) -> None:
    summary = run(store, [*people(tmp_path), touchpoints(tmp_path, (
        "id,type,at,contact_ids,user_ids\n"
        "t1,call,2024-01-31,m1,\n"
        "t2,call,2024-01-31,m1;m9;m8,\n"      # the first that is not there is named
        "t3,call,2024-01-31,m9,\n"            # the same unknown id on another row
        "t4,call,2024-01-31,m2,u7\n"          # no users were imported
        "t5,call,2024-01-31,m2,\n"
    ))], tmp_path)
    assert read_rejects(tmp_path / "rejects.csv") == [
        (3, "contact_ids", "contact 'm9' is not there; import its contacts first"),
        (4, "contact_ids", "contact 'm9' is not there; import its contacts first"),
        (5, "user_ids", "user 'u7' is not there; import its users first"),
    ]
    assert summary.rejected == 3
    assert sorted(contents(store)["touchpoint"]) == ["crm-t1", "crm-t5"]


def test_a_later_run_resolves_ids_it_learned_in_an_earlier_one(
    store: Store, tmp_path: Path
) -> None:
    run(store, people(tmp_path), tmp_path)
    # Another run, another process: f1 (merged into m1) is known only to the crosswalk file.
    summary = run(store, [touchpoints(tmp_path, (
        "id,type,at,company_id,contact_ids\n"
        "t1,call,2024-01-31,acme,f1\n"
        "t2,call,2024-01-31,,f1;m2\n"
    ))], tmp_path)
    assert summary.rejected == 0
    assert {id: (t["company_id"], t["contact_ids"])
            for id, t in contents(store)["touchpoint"].items()} == {
        "crm-t1": ("crm-acme", ["crm-m1"]),
        "crm-t2": ("crm-acme", ["crm-m1", "crm-m2"]),
    }


def csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def test_ids_with_unusual_characters_resolve(store: Store, tmp_path: Path) -> None:
    odd = ["O'Brien, Pat", "Zoë 2", "a/b:c@d.e", 'say "hi"', "a long id " * 30]
    companies = write(tmp_path / "companies.csv", "id,name\nAcme & Co. #1,Acme\n")
    contacts = write(tmp_path / "contacts.csv", "id,name,company_id\n" + "".join(
        f"{csv_cell(id)},Person {i},Acme & Co. #1\n" for i, id in enumerate(odd)))
    listed = csv_cell(";".join(odd))
    tps = touchpoints(tmp_path, f"id,type,at,contact_ids\nt1,call,2024-01-31,{listed}\n")
    summary = run(store, [FileSpec(companies, "companies", mapping=CRM),
                          FileSpec(contacts, "contacts", m.Silo.SALES, CRM), tps], tmp_path)
    assert summary.rejected == 0
    stored = contents(store)
    ours = {c["name"]: id for id, c in stored["contact"].items()}
    [touchpoint] = stored["touchpoint"].values()
    assert touchpoint["contact_ids"] == [ours[f"Person {i}"] for i in range(len(odd))]
    [acme] = stored["company"]
    assert touchpoint["company_id"] == acme and acme.startswith("crm-Acme")
