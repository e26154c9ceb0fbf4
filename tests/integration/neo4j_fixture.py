"""The Neo4j half of the ``store`` fixture: a real Neo4j 5 server, or a skip."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from graph.store import Store


def neo4j_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if not os.environ.get("NEO4J_URI"):
        pytest.skip(
            "no Neo4j: set NEO4J_URI (and TEST_NEO4J_ALLOW_WIPE=1) or start a Docker engine"
        )
    from graph.settings import Settings
    from graph.stores.neo4j import Neo4jStore

    s = Neo4jStore.from_settings(Settings(store="neo4j"))
    yield s
    s.close()
