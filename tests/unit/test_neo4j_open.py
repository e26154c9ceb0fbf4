"""Opening a Neo4j store that cannot work says so in one line (no server needed).

Port 1 on the loopback address has nothing listening, so the connection is
refused at once: these tests run everywhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.errors import ConfigError, StoreUnavailable
from graph.settings import Settings
from graph.stores import open_store
from graph.stores.neo4j import Neo4jStore

NOWHERE = "bolt://127.0.0.1:1"
ROOT = Path(__file__).resolve().parents[2]


def test_a_uri_that_does_not_answer_names_it_and_the_fix() -> None:
    with pytest.raises(StoreUnavailable) as err:
        Neo4jStore(NOWHERE, "neo4j", "secret")
    message = str(err.value)
    assert "\n" not in message
    assert NOWHERE in message and "does not answer" in message and "NEO4J_URI" in message


def test_open_store_follows_neo4j_uri_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("NEO4J_URI", "neo4j://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "secret")
    with pytest.raises(StoreUnavailable, match=r"neo4j://127\.0\.0\.1:1 does not answer"):
        open_store(Settings())


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "localhost:7687"])
def test_a_uri_that_is_not_bolt_is_a_config_error(uri: str) -> None:
    with pytest.raises(ConfigError, match="not a Bolt address") as err:
        Neo4jStore(uri, "neo4j", "secret")
    assert uri in str(err.value)


def test_the_cli_prints_one_line_not_a_stack_trace(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "ACCOUNTGRAPH_"))}
    env.update(NEO4J_URI=NOWHERE, NEO4J_PASSWORD="secret", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "counts"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: Neo4j at {NOWHERE} does not answer")
    assert "docker compose up neo4j" in lines[0]
