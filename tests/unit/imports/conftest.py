"""Fixtures of the import tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.settings import Settings
from graph.store import Store
from graph.stores import open_store


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """A fresh embedded store."""
    s = open_store(settings)
    yield s
    s.close()
