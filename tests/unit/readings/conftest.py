"""Small, named account graphs whose right answers are obvious by eye.

The graphs themselves live in :mod:`graph.readings.testing` (``SAMPLES``) so the store
contract suite can load the very same ones into every backend.
"""

from __future__ import annotations

import networkx as nx
import pytest

from graph.readings import testing

AS_OF = testing.SAMPLE_AS_OF


@pytest.fixture
def single_threaded() -> nx.MultiDiGraph:
    return testing.single_threaded()


@pytest.fixture
def champion_left() -> nx.MultiDiGraph:
    return testing.champion_left()


@pytest.fixture
def healthy() -> nx.MultiDiGraph:
    return testing.healthy()


@pytest.fixture
def warm_path() -> nx.MultiDiGraph:
    return testing.warm_path()
