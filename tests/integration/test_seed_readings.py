"""The readings read each scenario account of a generated world as it was built to read.

This is the meeting point of the generator (seed/) and the readings
(graph/readings/): when it fails, the manifest says what the account was meant
to show and the status reasons say what the reading saw.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.readings import account_readings
from graph.stores.ladybug import LadybugStore
from seed.generator import REFERENCE_NOW, Sizes, generate
from seed.load import load_world


@pytest.mark.slow
def test_every_scenario_account_reads_with_its_expected_status(tmp_path: Path) -> None:
    # Twelve companies: one of each named scenario (all but the map account).
    world = generate(42, Sizes(companies=12, contacts=400, touchpoints=3_000))
    store = LadybugStore(tmp_path / "seed.lbug")
    try:
        load_world(store, world)
        wrong = []
        for rec in world.manifest:
            if rec.expected_status is None:
                continue
            status = account_readings(store.account_graph(rec.company_id), as_of=REFERENCE_NOW)
            if status.status.status != rec.expected_status:
                wrong.append(
                    f"{rec.company_id} built {rec.scenario}, expected {rec.expected_status}, "
                    f"read {status.status.status}: {'; '.join(status.status.reasons)}"
                )
        assert not wrong, "\n".join(wrong)
    finally:
        store.close()
