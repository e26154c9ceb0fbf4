"""Fixtures of the import tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.settings import Settings
from graph.store import Store
from graph.stores import open_store
from tests.integration.conftest import BACKENDS


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Store]:
    """A fresh store of each backend: the embedded one, and Neo4j (see neo4j_fixture.py)."""
    if request.param == "ladybug":
        s = open_store(settings)
        yield s
        s.close()
    else:
        from tests.integration.neo4j_fixture import neo4j_store

        yield from neo4j_store(request)
