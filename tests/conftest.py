"""Fixtures every test may use."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from graph.settings import Settings

# The default store is the user's own (~/.local/share/accountgraph): a test that
# names no folder gets this run's, never theirs.
os.environ["ACCOUNTGRAPH_DATA_DIR"] = tempfile.mkdtemp(prefix="accountgraph-tests-")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for an embedded store in a fresh temporary folder."""
    return Settings(data_dir=tmp_path / "data", store="ladybug")


def require(condition: bool, reason: str, *, env: str) -> None:
    """Skip with ``reason`` unless ``condition``; fail instead when ``env`` is set.

    CI sets the variable for what it installs, so a missing browser there is a
    failure, while a developer without it sees a one-line skip.
    """
    if condition:
        return
    if os.environ.get(env) == "1":
        pytest.fail(f"{reason} (and {env}=1 says it must be here)")
    pytest.skip(reason)
