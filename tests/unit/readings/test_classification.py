from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import ConfigError
from graph.readings.classification import classify_contacts
from graph.readings.rules import load_rules
from graph.readings.testing import AccountBuilder


def test_it_manager_who_signs_renewals_is_a_decision_maker():
    b = AccountBuilder("acme")
    b.contact("ann", title="IT Manager", department="IT")
    b.touch("r1", "contract_signature", "2024-01-10", contacts=["ann"])
    b.touch("r2", "contract_signature", "2025-01-10", contacts=["ann"])
    c = classify_contacts(b.G, as_of="2025-06-01")["ann"]
    assert c.primary == "decision_maker"
    assert "technical_evaluator" in c.secondary  # the title is still evidence
    assert c.reasons[0] == (
        "Decision maker: all 2 contract signatures at this account (a strong sign)")
    assert "Technical evaluator: title IT Manager: Manager, IT" in c.reasons


def test_contact_without_interactions_is_unengaged_whatever_the_title():
    b = AccountBuilder("acme")
    b.contact("ceo", title="Chief Executive Officer", seniority="C-level")
    c = classify_contacts(b.G, as_of="2025-06-01")["ceo"]
    assert c.primary == "unengaged"
    assert not c.engaged
    assert c.secondary == ["decision_maker"]
    assert any(r.startswith("(title only)") for r in c.reasons)


def test_title_decides_when_interactions_are_generic():
    b = AccountBuilder("acme")
    b.contact("pat", title="Procurement Manager")
    b.contact("joe", title="Office plant waterer")
    b.touch("e1", "email", "2025-05-01", contacts=["pat", "joe"])
    cls = classify_contacts(b.G, as_of="2025-06-01")
    assert cls["pat"].primary == "purchaser"
    assert cls["joe"].primary == "end_user"  # engaged, no rule matches: the fallback


def test_touchpoints_after_as_of_do_not_count():
    b = AccountBuilder("acme")
    b.contact("ann", title="Journalist")
    b.touch("p1", "press_inquiry", "2025-05-01", contacts=["ann"])
    assert classify_contacts(b.G, as_of="2025-04-30")["ann"].primary == "unengaged"
    assert classify_contacts(b.G, as_of="2025-05-02")["ann"].primary == "media"


def test_team_rules_file_overrides_only_what_it_names(tmp_path: Path):
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text('[classification]\nfallback = "partner"\n')
    b = AccountBuilder("acme")
    b.contact("joe", title="Happiness wrangler")
    b.touch("e1", "email", "2025-05-01", contacts=["joe"])
    rules = load_rules(rules_file)
    assert classify_contacts(b.G, rules=rules, as_of="2025-06-01")["joe"].primary == "partner"
    # untouched sections still come from the defaults
    assert rules.section("strength")["scale"] == 5.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[classification]\nfallback = "wizard"\n', "fallback = 'wizard'"),
        ('[categories.media]\ntouchpoints = { telepathy = 1.0 }\n', "telepathy"),
        ("[classification\n", "rules.toml"),
    ],
)
def test_bad_rules_file_names_file_and_key(tmp_path: Path, text: str, expected: str):
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_rules(rules_file)
    assert expected in str(err.value)
    assert str(rules_file) in str(err.value)


def test_missing_rules_file_says_how_to_fix(tmp_path: Path):
    with pytest.raises(ConfigError, match="ACCOUNTGRAPH_RULES_FILE"):
        load_rules(tmp_path / "nope.toml")
