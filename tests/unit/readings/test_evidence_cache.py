"""The database's signal weights are read once per rules version and data change."""

from __future__ import annotations

from pathlib import Path

from graph import evidence
from graph import model as m
from graph.readings.rules import parse_rules
from graph.readings.testing import SAMPLES, load_into
from tests.unit.api.memstore import MemStore


def _store() -> MemStore:
    s = MemStore()
    load_into(s, SAMPLES["entered_roles"]())
    return s


def test_weights_are_estimated_once_until_the_data_or_the_rules_change(tmp_path: Path) -> None:
    evidence._cache.clear()
    s = _store()
    rules = parse_rules({})
    first = evidence.rules_for(s, rules)
    again = evidence.rules_for(s, rules)
    assert again.priors == first.priors
    assert s.calls["contact_touch_kinds"] == 1  # the pass over the store, once
    s.upsert("contact", [m.Contact(id="new", company_id="umbrella", name="New Person")])
    evidence.rules_for(s, rules)
    assert s.calls["contact_touch_kinds"] == 2  # new data: estimated again
    evidence.rules_for(s, parse_rules({"classification": {"prior_strength": 3.0}}))
    assert s.calls["contact_touch_kinds"] == 3  # new rules: estimated again


def test_a_later_process_reads_the_weights_left_beside_the_store(tmp_path: Path) -> None:
    evidence._cache.clear()
    s, rules = _store(), parse_rules({})
    first = evidence.rules_for(s, rules, folder=tmp_path)
    assert len(list(tmp_path.glob("signal-weights-*.json"))) == 1
    evidence._cache.clear()  # as a new process starts
    later = evidence.rules_for(s, rules, folder=tmp_path)
    assert later.priors == first.priors
    assert s.calls["contact_touch_kinds"] == 1
