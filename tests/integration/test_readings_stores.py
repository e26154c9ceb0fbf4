"""The readings answer the same from every store as from the graph the data came from.

Each sample account of :mod:`graph.readings.testing` is written into the backend,
fetched back with ``account_graph`` and with ``account_data`` (the readings' fast
path, no graph built) and read; the readings must equal those of the hand-built
graph (``readings_fingerprint``), so both stores and both paths give the same answers.
"""

from __future__ import annotations

import pytest

from graph.readings.contract import readings_fingerprint
from graph.readings.database import account_summary
from graph.readings.testing import SAMPLE_AS_OF, SAMPLES, load_into
from graph.store import Store


@pytest.mark.parametrize("fetch", ["account_graph", "account_data"])
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_readings_are_the_same_from_the_store(store: Store, name: str, fetch: str) -> None:
    G = SAMPLES[name]()
    load_into(store, G)
    fetched = getattr(store, fetch)(G.graph["company_id"])
    assert readings_fingerprint(fetched, SAMPLE_AS_OF) == readings_fingerprint(G, SAMPLE_AS_OF)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_summary_without_people_links_is_the_full_summary(store: Store, name: str) -> None:
    G = SAMPLES[name]()
    load_into(store, G)
    cid = G.graph["company_id"]
    light = account_summary(store.account_data(cid, people=False), as_of=SAMPLE_AS_OF)
    assert light == account_summary(store.account_data(cid), as_of=SAMPLE_AS_OF)
