"""The database's signal weights and the agreement measure read the same from every store.

The sample accounts are written into the backend and into the in-memory reference
store of the API tests; the counts the weights are estimated from, the weights, and
``accountgraph evaluate``'s numbers must be the same from both.
"""

from __future__ import annotations

import pytest

from graph.evaluate import evaluate
from graph.evidence import database_counts, rules_for
from graph.readings.contract import readings_fingerprint
from graph.readings.rules import load_rules
from graph.readings.testing import SAMPLE_AS_OF, SAMPLES, load_into
from graph.store import Store
from tests.unit.api.memstore import MemStore

# Samples that share no ids (most samples reuse "sig", "ann"...), loaded side by side.
TOGETHER = ["entered_roles", "warm_path"]


def _loaded(store: Store) -> Store:
    for name in TOGETHER:
        load_into(store, SAMPLES[name]())
    return store


def test_signal_weights_are_the_same_from_every_store(store: Store) -> None:
    rules = load_rules()
    reference = _loaded(MemStore())
    assert database_counts(_loaded(store), rules) == database_counts(reference, rules)
    mine, theirs = rules_for(store, rules).priors, rules_for(reference, rules).priors
    assert mine == theirs
    # The entered role is in the counts: Olga signs, and a person said decision maker.
    assert mine is not None and mine.weight("kind:contract_signature", "decision_maker") > 0


def test_signal_weights_read_a_range_of_contacts_at_a_time_the_same(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large world is grouped a range of contacts at a time (one pass over 10M
    # touchpoints outgrew the embedded store's buffer pool): two contacts a pass here.
    import graph.stores.base

    rules = load_rules()
    whole = database_counts(_loaded(store), rules)
    monkeypatch.setattr(graph.stores.base, "TOUCH_KINDS_CONTACTS", 2)
    assert store.contact_touch_kinds().num_rows > 2  # several passes' rows
    assert database_counts(store, rules) == whole == database_counts(_loaded(MemStore()), rules)


def test_readings_with_the_weights_are_the_same_from_the_store(store: Store) -> None:
    rules = rules_for(_loaded(store), load_rules())
    for name in TOGETHER:
        G = SAMPLES[name]()
        got = readings_fingerprint(store.account_data(G.graph["company_id"]), SAMPLE_AS_OF,
                                   rules=rules)
        assert got == readings_fingerprint(G, SAMPLE_AS_OF, rules=rules)


def test_agreement_is_the_same_from_every_store(store: Store) -> None:
    mine = evaluate(_loaded(store), folds=2, as_of=SAMPLE_AS_OF)
    assert mine == evaluate(_loaded(MemStore()), folds=2, as_of=SAMPLE_AS_OF)
    # Olga (entered decision maker, signs) is scored; Pia's "Influencer" is no category.
    assert mine.contacts == 1 and mine.confusion == {"decision_maker": {"decision_maker": 1}}
