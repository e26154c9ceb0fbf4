"""The store contract runs against every backend through the ``store`` fixture.

LadybugDB always runs. Neo4j runs when a server is reachable (see
``neo4j_fixture.py``) and is otherwise skipped with its reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store import Store
from graph.stores.ladybug import LadybugStore

BACKENDS = ["ladybug", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "ladybug":
        s = LadybugStore(tmp_path / "contract.lbug")
        yield s
        s.close()
    else:
        from tests.integration.neo4j_fixture import neo4j_store

        yield from neo4j_store(request)
