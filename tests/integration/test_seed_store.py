"""The same seeding code fills every backend, and each reads back the generator's counts."""

from __future__ import annotations

from graph.store import Store
from seed.generator import Sizes, generate
from seed.load import load_world


def test_seeded_world_counts_match_on_every_backend(store: Store) -> None:
    world = generate(9, Sizes(companies=14, contacts=250, touchpoints=1_000))
    report = load_world(store, world)
    assert report.rejected == []
    counts = store.counts()
    assert {k: counts[k] for k in world.counts} == dict(world.counts)
