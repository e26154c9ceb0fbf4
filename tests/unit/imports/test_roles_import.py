"""Roles reps entered, imported: Salesforce contact roles on deals, HubSpot buying roles."""

from __future__ import annotations

from pathlib import Path

from graph import model as m
from graph.readings import account_readings
from graph.store import Store
from seed.imports.mapping import load_mapping
from seed.imports.runner import FileSpec
from tests.unit.imports.test_import_run import CRM, contents, crm_specs, read_rejects, run


def role_specs() -> list[FileSpec]:
    ocr = FileSpec(CRM / "salesforce/OpportunityContactRole.csv", "deal_roles", None,
                   load_mapping("salesforce"))
    return [ocr, *crm_specs()]


def test_contact_roles_on_deals_land_in_our_categories(store: Store, tmp_path: Path) -> None:
    summary = run(store, role_specs(), tmp_path)
    roles = {r.id: r for ids in store.iter_ids("deal_role")
             for r in store.get_many("deal_role", ids).values() if isinstance(r, m.DealRole)}
    got = {(r.contact_id, r.role, r.is_primary) for r in roles.values()}
    jo = next(c["id"] for c in contents(store)["contact"].values()
              if c["email"] == "jo.smith@acme.com")  # merged with HubSpot's Jo
    assert got == {
        (jo, "decision_maker", True),  # Economic Buyer
        ("salesforce-0035g00000WiCoAAA", "Other", False),  # kept as entered
        ("salesforce-0035g00000HaScAAA", "decision_maker", True),
        ("salesforce-0035g00000PeGiAAA", "technical_evaluator", False),
    }
    # Not refused, but said: the team can map it.
    assert summary.unplaced_roles[("deal_role", "Other")] == 1


def test_bad_role_rows_name_file_line_and_field_and_the_rest_land(
    store: Store, tmp_path: Path
) -> None:
    summary = run(store, role_specs(), tmp_path)
    assert summary.rejected == 2
    rejects = read_rejects(tmp_path / "rejects.csv")
    by_line = {line: (field, reason) for line, field, reason in rejects}
    # Line 6 names an opportunity that is not there, line 7 a contact that is not there.
    assert by_line[6][0] == "opportunity_id" and "0065g00000O9AAA" in by_line[6][1]
    assert by_line[7][0] == "contact_id" and "0035g00000NoneAAA" in by_line[7][1]
    assert all("OpportunityContactRole.csv" in f for f in _files(tmp_path / "rejects.csv"))


def _files(path: Path) -> list[str]:
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        return [row["file"] for row in csv.DictReader(fh)]


def test_hubspot_buying_roles_are_entered_roles(store: Store, tmp_path: Path) -> None:
    summary = run(store, role_specs(), tmp_path)
    contacts = contents(store)["contact"]
    by_email = {c["email"]: c for c in contacts.values()}
    jo = by_email["jo.smith@acme.com"]  # HubSpot's Jo, merged with Salesforce's
    assert (jo["buying_roles"], jo["role_source"]) == (["decision_maker", "champion"], "hubspot")
    assert by_email["jo@umbrella.example"]["buying_roles"] == ["end_user", "BLOCKER"]
    assert summary.unplaced_roles[("contact", "BLOCKER")] == 1
    # Read back, Jo shows the role as entered by a person, not as inferred.
    r = account_readings(store.account_data(jo["company_id"]), as_of="2025-01-01")
    c = r.classification[jo["id"]]
    assert (c.primary, c.entered) == ("decision_maker", "decision_maker")
    assert c.reasons[0].startswith("Decision maker: entered by a person")


def test_importing_roles_again_changes_nothing(store: Store, tmp_path: Path) -> None:
    run(store, role_specs(), tmp_path)
    before, counts = contents(store), store.counts()
    again = run(store, role_specs(), tmp_path)
    assert (again.written, again.merged) == (0, 0)
    assert store.counts() == counts and contents(store) == before
