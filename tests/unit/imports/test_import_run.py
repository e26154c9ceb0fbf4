"""End to end into a temporary embedded store: merges, rejects, re-import."""

from __future__ import annotations

import csv
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph import model as m
from graph.store import Store, WriteReport
from seed.imports.mapping import load_mapping
from seed.imports.rejects import RejectsWriter
from seed.imports.runner import FileSpec, Importer, ImportSummary
from tests.unit.imports.helpers import write

CRM = Path(__file__).parents[2] / "fixtures" / "crm"


def crm_specs() -> list[FileSpec]:
    sf, hs = load_mapping("salesforce"), load_mapping("hubspot")
    sales, marketing = m.Silo.SALES, m.Silo.MARKETING
    return [
        # Given out of order on purpose: the importer puts companies first.
        FileSpec(CRM / "hubspot/contacts.csv", "contacts", marketing, hs),
        FileSpec(CRM / "salesforce/Account.csv", "companies", sales, sf),
        FileSpec(CRM / "salesforce/Contact.csv", "contacts", sales, sf),
        FileSpec(CRM / "salesforce/Task.csv", "touchpoints", sales, sf),
        FileSpec(CRM / "salesforce/Event.csv", "touchpoints", sales, sf),
        FileSpec(CRM / "salesforce/Opportunity.csv", "opportunities", sales, sf),
        FileSpec(CRM / "hubspot/companies.csv", "companies", marketing, hs),
        FileSpec(CRM / "hubspot/activities.csv", "touchpoints", marketing, hs),
        FileSpec(CRM / "hubspot/deals.csv", "opportunities", marketing, hs),
    ]


def run(store: Store, specs: list[FileSpec], tmp: Path, **kw: Any) -> ImportSummary:
    return Importer(
        store, rejects=RejectsWriter(tmp / "rejects.csv"), crosswalk=tmp / "xw.sqlite3", **kw
    ).run(specs)


def contents(store: Store) -> dict[str, dict[str, dict[str, Any]]]:
    """Every node of every kind the importer writes, as plain data."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for kind in ("company", "department", "contact", "user", "touchpoint", "opportunity",
                 "profile_item"):
        out[kind] = {
            id: node.model_dump()
            for ids in store.iter_ids(kind)
            for id, node in store.get_many(kind, ids).items()
        }
    return out


def test_two_crms_become_one_picture(store: Store, tmp_path: Path) -> None:
    merges: list[Any] = []
    summary = run(store, crm_specs(), tmp_path, on_merge=merges.append)

    companies = contents(store)["company"]
    # Acme is in both CRMs (acme.com): one company; Globex, Initech, Umbrella once each.
    assert sorted(c["name"] for c in companies.values()) == [
        "Acme, Inc.", "Globex GmbH", "Initech", "Umbrella Corp",
    ]
    contacts = contents(store)["contact"]
    jos = sorted((c for c in contacts.values() if c["name"] == "Jo Smith"),
                 key=lambda c: c["email"])
    # Jo Smith of Acme arrived from Salesforce (a trade show lead) and HubSpot marketing:
    # one contact who keeps every silo. The Jo Smith at Umbrella is someone else.
    assert [(j["email"], j["sources"]) for j in jos] == [
        ("jo.smith@acme.com", [m.Silo.MARKETING, m.Silo.SALES, m.Silo.EVENT]),
        ("jo@umbrella.example", [m.Silo.MARKETING]),
    ]
    assert {(x.kind, x.rule, x.key) for x in merges} == {
        ("company", "domain", "acme.com"), ("contact", "email", "jo.smith@acme.com"),
    }
    # The HubSpot email to Jo lands on the merged contact and on the merged Acme.
    email = contents(store)["touchpoint"]["hubspot-7001"]
    assert email["contact_ids"] == [jos[0]["id"]]
    assert email["company_id"] == jos[0]["company_id"]
    assert (summary.read, summary.merged, summary.rejected) == (22, 2, 0)


def test_importing_the_same_files_again_changes_nothing(store: Store, tmp_path: Path) -> None:
    run(store, crm_specs(), tmp_path)
    before, counts = contents(store), store.counts()
    again = run(store, crm_specs(), tmp_path)
    assert (again.written, again.merged, again.rejected) == (0, 0, 0)
    assert again.unchanged > 0
    assert store.counts() == counts and contents(store) == before


def test_matches_contacts_already_in_the_store(store: Store, tmp_path: Path) -> None:
    store.upsert("company", [m.Company(id="acme", name="Acme", domain="acme.com")])
    store.upsert("contact", [m.Contact(id="c-1", company_id="acme", name="Jo Smith",
                                       email="jo.smith@acme.com", sources=[m.Silo.FINANCE])])
    f = write(tmp_path / "list.csv", "name,email,company_domain,title\n"
              "Jo Smith,JO.SMITH@acme.com,acme.com,CFO\n")
    summary = run(store, [FileSpec(f, "contacts", m.Silo.PURCHASED)], tmp_path)
    assert summary.merge_rules == {("contact", "email"): 1}
    jo = store.get("contact", "c-1")
    assert isinstance(jo, m.Contact)
    # Nothing the store knew is lost; the gap (title) is filled; both silos kept.
    assert (jo.title, jo.sources) == ("CFO", [m.Silo.FINANCE, m.Silo.PURCHASED])
    assert store.counts()["contact"] == 1


def read_rejects(path: Path) -> list[tuple[int, str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(int(r["line"]), r["field"], r["reason"]) for r in csv.DictReader(fh)]


def test_bad_rows_are_rejected_with_file_line_field_and_the_rest_imported(
    store: Store, tmp_path: Path
) -> None:
    companies = write(tmp_path / "companies.csv", "id,name,domain\nacme,Acme,acme.com\n")
    contacts = write(
        tmp_path / "contacts.csv",
        "id,name,email,company_id,seniority\n"
        "c1,Ann,ann@acme.com,acme,VP\n"
        "c2,,nobody@acme.com,acme,\n"          # missing required name
        "c3,Bob,bob@acme.com,acme,Intern\n"    # unknown optional value: imported without
        "c4,Cat,cat@nowhere.com,nowhere,\n"    # company that is not there
        "c5,Dan,not-an-email,acme,\n",         # the model refuses the email
    )
    touchpoints = write(
        tmp_path / "touchpoints.csv",
        "id,type,at,contact_ids\n"
        "t1,call,2024-01-31,c1\n"
        "t2,call,yesterday-ish,c1\n"          # unparseable date
        "t3,call,2024-02-01,c9\n",            # contact that is not there
    )
    summary = run(store, [
        FileSpec(companies, "companies"),
        FileSpec(contacts, "contacts", m.Silo.SALES),
        FileSpec(touchpoints, "touchpoints"),
    ], tmp_path)

    rejects = read_rejects(tmp_path / "rejects.csv")
    assert [(line, field) for line, field, _ in rejects] == [
        (3, "name"), (5, "company_id"), (6, "email"),
        (3, "at"), (4, "contact_ids"),
    ]
    assert "company 'nowhere' is not there" in rejects[1][2]
    assert (summary.read, summary.rejected) == (9, 5)
    assert summary.emptied == {("contacts", "seniority", "Intern"): 1}
    assert sorted(contents(store)["contact"]) == ["c1", "c3"]
    assert contents(store)["contact"]["c3"]["seniority"] is None
    assert sorted(contents(store)["touchpoint"]) == ["t1"]


class RefusingStore:
    """A store that refuses one id, as a store may for reasons the importer cannot see."""

    def __init__(self, inner: Store, refuse: str):
        self.inner, self.refuse = inner, refuse

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def upsert(self, kind: str, items: Any) -> WriteReport:
        from graph.store import Rejection

        items = list(items)
        keep = [i for i in items if i.id != self.refuse]
        report = self.inner.upsert(kind, keep)
        for index, item in enumerate(items):
            if item.id == self.refuse:
                report.rejected.append(Rejection(index, item.id, "name", "refused"))
        return report


def test_store_refusals_are_traced_back_to_their_line(store: Store, tmp_path: Path) -> None:
    f = write(tmp_path / "c.csv", "id,name\na,A\nb,B\nc,C\n")
    refusing: Any = RefusingStore(store, "b")
    summary = run(refusing, [FileSpec(f, "companies")], tmp_path)
    assert summary.rejected == 1
    [(line, field, reason)] = read_rejects(tmp_path / "rejects.csv")
    assert (line, field) == (3, "name") and "the store refused it" in reason


def test_json_lines_exports_import_like_csv(store: Store, tmp_path: Path) -> None:
    companies = write(tmp_path / "companies.jsonl", '{"id": "acme", "name": "Acme"}\n')
    contacts = write(
        tmp_path / "contacts.jsonl",
        '{"id": "c1", "name": "Ann", "company_id": "acme", "seniority": "vp"}\n'
        '{"id": "c2", "name": "Ben", "company_id": "acme"}\n',
    )
    touchpoints = write(
        tmp_path / "touchpoints.jsonl",
        # Lists may be JSON lists; epoch milliseconds are times too.
        '{"id": "t1", "type": "meeting", "at": 1706695200000, "contact_ids": ["c1", "c2"]}\n'
        "{oops\n",
    )
    summary = run(store, [
        FileSpec(companies, "companies"),
        FileSpec(contacts, "contacts", m.Silo.SUPPORT),
        FileSpec(touchpoints, "touchpoints"),
    ], tmp_path)
    meeting = store.get("touchpoint", "t1")
    assert isinstance(meeting, m.Touchpoint)
    assert (meeting.contact_ids, meeting.company_id) == (["c1", "c2"], "acme")
    assert meeting.at == datetime(2024, 1, 31, 10, 0, tzinfo=UTC)
    assert store.get("contact", "c1").seniority is m.Seniority.VP  # type: ignore[union-attr]
    assert summary.rejected == 1
    [(line, _, reason)] = read_rejects(tmp_path / "rejects.csv")
    assert line == 2 and "not valid JSON" in reason


def test_a_later_run_finds_records_merged_in_an_earlier_one(store: Store, tmp_path: Path) -> None:
    sf, hs = load_mapping("salesforce"), load_mapping("hubspot")
    # Run 1: HubSpot's Acme first, then Salesforce's Acme merges into it (same domain).
    run(store, [FileSpec(CRM / "hubspot/companies.csv", "companies", mapping=hs),
                FileSpec(CRM / "salesforce/Account.csv", "companies", mapping=sf)], tmp_path)
    # Run 2, another process: Salesforce contacts name their account by its Salesforce id.
    summary = run(store, [FileSpec(CRM / "salesforce/Contact.csv", "contacts", m.Silo.SALES, sf)],
                  tmp_path)
    assert summary.rejected == 0
    wile = next(c for c in contents(store)["contact"].values() if c["name"] == "Wile Coyote")
    assert wile["company_id"] == "hubspot-9001"


class _SlowWrites:
    """The real store, its writes held back: the next batch is built meanwhile."""

    def __init__(self, store: Store):
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def upsert_table(self, kind: str, table: Any, **kw: Any) -> WriteReport:
        time.sleep(0.3)
        return self._store.upsert_table(kind, table, **kw)


def test_a_person_repeated_in_a_later_batch_of_the_same_file_is_merged(
    store: Store, tmp_path: Path
) -> None:
    # Batches are written while the next is built; a batch that merges into the
    # one before it must see that one written (else it would be made again).
    companies = write(tmp_path / "companies.csv", "id,name,domain\nacme,Acme,acme.com\n")
    rows = [  # each batch of 50 repeats the people of the batch before it
        f"p{i},Person {i},p{i}@acme.com,,CFO,acme\n" if first else
        f"q{i},Person {i},P{i}@acme.com,+1 555 {i:04d},,acme\n"
        for block in range(0, 200, 50) for first in (True, False)
        for i in range(block, block + 50)
    ]
    header = "id,name,email,phone,title,company_id\n"
    contacts = write(tmp_path / "contacts.csv", header + "".join(rows))
    summary = run(_SlowWrites(store), [FileSpec(companies, "companies"),
                                       FileSpec(contacts, "contacts", m.Silo.SALES)],
                  tmp_path, batch_size=50)
    assert (summary.rejected, summary.merged) == (0, 200)
    assert store.counts()["contact"] == 200
    merged = store.get_many("contact", [f"p{i}" for i in range(200)])
    assert {c.phone for c in merged.values()} == {f"+1 555 {i:04d}" for i in range(200)}
    assert {c.title for c in merged.values()} == {"CFO"}  # what the first row knew stays


def test_a_batch_whose_every_row_is_bad_is_rejected_row_by_row(
    store: Store, tmp_path: Path
) -> None:
    companies = write(tmp_path / "companies.csv", "id,name\nacme,Acme\n")
    contacts = write(tmp_path / "contacts.csv",
                     "id,name,company_id\nc1,Ann,nowhere\nc2,Bob,nowhere\nc3,Cy,acme\n")
    touchpoints = write(tmp_path / "touchpoints.csv",
                        "id,type,at,contact_ids\nt1,call,2024-01-02,c9\nt2,call,2024-01-03,c8\n"
                        "t3,call,2024-01-04,c3\n")
    summary = run(store, [FileSpec(companies, "companies"),
                          FileSpec(contacts, "contacts", m.Silo.SALES),
                          FileSpec(touchpoints, "touchpoints")], tmp_path, batch_size=2)
    assert summary.rejected == 4
    with (tmp_path / "rejects.csv").open() as fh:
        rejects = [(Path(r["file"]).name, r["line"], r["field"]) for r in csv.DictReader(fh)]
    assert rejects == [("contacts.csv", "2", "company_id"), ("contacts.csv", "3", "company_id"),
                       ("touchpoints.csv", "2", "contact_ids"),
                       ("touchpoints.csv", "3", "contact_ids")]
    assert store.counts()["contact"] == 1 and store.counts()["touchpoint"] == 1  # the good rows
