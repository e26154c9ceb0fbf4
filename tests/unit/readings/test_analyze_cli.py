from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.commands import analyze
from graph.readings.rules import resolve


class OneAccountStore:
    """Just enough of a Store for `accountgraph analyze`."""

    def __init__(self, G):
        self.G = G
        self.closed = False

    def get(self, kind, id):
        return SimpleNamespace(id=id) if id == self.G.graph["company_id"] else None

    def search(self, text, kinds=("company",), limit=20):
        name = self.G.nodes[f"company:{self.G.graph['company_id']}"]["name"]
        return [SimpleNamespace(id=self.G.graph["company_id"], name=name)] if (
            text.lower() in name.lower()) else []

    def account_data(self, company_id):
        # The readings take the hand-built graph as well as a store's AccountData.
        return self.G

    def close(self):
        self.closed = True


@pytest.fixture
def run(monkeypatch, warm_path):
    store = OneAccountStore(warm_path)
    monkeypatch.setattr(analyze, "open_reader", lambda *a, **k: store)
    # The stub holds one account: no database to estimate signal weights from.
    monkeypatch.setattr(analyze, "rules_of_settings",
                        lambda store, settings, rules=None: resolve(rules or settings.rules_file))

    def _run(*args):
        return CliRunner().invoke(app, ["analyze", *args])
    _run.store = store
    return _run


def test_analyze_prints_status_mix_and_the_warm_path(run):
    result = run("hooli", "--as-of", "2025-06-30")
    assert result.exit_code == 0, result.output
    assert run.store.closed
    out = result.output
    assert "Hooli (hooli) as of 2025-06-30" in out
    assert "STATUS: at risk" in out
    assert "to Bob (contact:bob):" in out
    assert "1. Una -> Ann -> Bob" in out
    assert "both took part in event '2025 summit' on 2025-05-20" in out


def test_analyze_finds_the_account_by_name_and_prints_json(run):
    result = run("Hool", "--json", "--as-of", "2025-06-30")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["company_id"] == "hooli"
    assert data["paths"][0]["paths"][0]["hops"][1]["evidence"] == ["knows (worked together)"]


def test_unknown_account_and_bad_date_are_one_readable_error(run):
    from graph.errors import NotFound, ValidationError

    assert isinstance(run("nope").exception, NotFound)
    bad = run("hooli", "--as-of", "30/06/2025")
    assert isinstance(bad.exception, ValidationError)
    assert "YYYY-MM-DD" in str(bad.exception)


def test_analyze_reads_the_rules_file_the_settings_name(run, monkeypatch, tmp_path):
    from graph.settings import Settings

    rules = tmp_path / "team-rules.toml"
    rules.write_text('[categories.decision_maker]\ntitles = ["engineer"]\n'
                     '[categories.technical_evaluator]\ntitles = []\ndepartments = []\n')
    monkeypatch.setattr(analyze, "get_settings",
                        lambda: Settings(data_dir=tmp_path, store="ladybug", rules_file=rules))
    data = json.loads(run("hooli", "--json", "--as-of", "2025-06-30").output)
    assert data["rules"] == str(rules)
    # Ann (an engineer) is now read as a decision maker; Bob, the CEO, has no interactions.
    assert data["classification"]["ann"]["primary"] == "decision_maker"
