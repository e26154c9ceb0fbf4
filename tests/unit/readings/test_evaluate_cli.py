"""`accountgraph evaluate`: agreement with entered roles, and --fit's rules file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.commands import evaluate as command
from graph.readings.rules import load_rules
from graph.readings.testing import AccountBuilder, load_into
from graph.settings import Settings
from graph.stores import open_store


def world() -> AccountBuilder:
    """Sixty people reps labelled: signers are decision makers, demo-goers evaluators,
    ticket-filers end users; everyone also gets emails (they say nothing)."""
    b = AccountBuilder("labco", name="Lab Co")
    b.user("una", owner=True)
    kinds = {"decision_maker": "contract_signature", "technical_evaluator": "demo",
             "end_user": "support_ticket"}
    for i in range(60):
        role = list(kinds)[i % 3]
        b.contact(f"p{i:02}", title="Associate", buying_roles=[role], role_entered_by="una")
        b.touch(f"t{i:02}", kinds[role], date(2025, 1 + i % 6, 1 + i % 27), contacts=[f"p{i:02}"],
                users=["una"])
        b.touch(f"e{i:02}", "email", date(2025, 2, 1 + i % 27), contacts=[f"p{i:02}"],
                users=["una"])
    return b


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, settings: Settings):
    store = open_store(settings)
    load_into(store, world().G)
    store.close()
    monkeypatch.setattr(command, "get_settings", lambda: settings)

    def _run(*args: str):
        return CliRunner().invoke(app, ["evaluate", *args])
    return _run


def test_evaluate_prints_agreement_next_to_both_baselines(run) -> None:
    result = run("--folds", "3")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "60 engaged contacts have a role a person entered" in out
    lines = {line.split()[0]: line.split() for line in out.splitlines() if "%" in line}
    assert lines["classification"][1] == "100.0%"  # what they do gives each role away
    assert lines["title"][3] == "33.3%"  # "Associate" says nothing: every role the same
    assert "decision_maker" in out and "entered (rows) -> read (columns)" in out


def test_fit_writes_a_rules_file_a_person_can_keep(run, tmp_path: Path) -> None:
    out = tmp_path / "learnt.toml"
    assert run("--folds", "3", "--fit", str(out)).exit_code == 0
    text = out.read_text()
    assert text.startswith("# accountgraph rules learnt by `accountgraph evaluate --fit`")
    rules = load_rules(out)
    # Emails: everybody's, so they weigh nothing; the telling kinds weigh a lot.
    assert rules.categories["technical_evaluator"].touchpoints["demo"] > 1
    assert all(r.touchpoints.get("email", 0.0) < 0.25 for r in rules.categories.values())
    again = tmp_path / "again.toml"
    run("--folds", "3", "--fit", str(again))
    assert again.read_text() == text  # deterministic


def test_too_few_folds_is_one_clear_error(run) -> None:
    result = run("--folds", "1")
    assert result.exit_code != 0
    assert "--folds 1: use 2 or more" in str(result.exception or result.output)
