"""Put a world into a store through its public write API, the fast way in for tests."""

from __future__ import annotations

from graph.store import Store
from seed.load import LoadReport, load_world
from seed.worlds.world import CrmWorld


def load_into(store: Store, world: CrmWorld) -> LoadReport:
    """Write every record of ``world`` (never its truth) into ``store``.

    Nodes go through ``upsert`` (big batches as Arrow tables), team and ownership
    through ``link``; loading the same world twice writes nothing the second time.
    What a Salesforce export cannot carry yet (deal contacts, co-attendees,
    account teams) is loaded here all the same: see docs/worlds.md.
    """
    return load_world(store, world.batches())
