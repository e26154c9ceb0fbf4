"""The same data gives the same bytes from either store: every command a user reads.

The same seed goes into the embedded store and into Neo4j; then ``analyze``
(text, ``--json``, ``--all``), ``brief``, ``map`` and every ``export`` format
must print byte for byte the same from both. Neither store promises a row
order, so this holds only because the stores sort at the boundary.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.settings import get_settings
from graph.stores.ladybug import LadybugStore
from tests.integration.neo4j_fixture import neo4j_server, neo4j_store

pytestmark = pytest.mark.neo4j
AS_OF = "2026-06-01"

Run = Callable[..., bytes]


def _runner(env: dict[str, str | None], path: Path) -> Run:
    runner = CliRunner()

    def run(*args: str) -> bytes:
        get_settings.cache_clear()
        try:
            result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
        finally:
            get_settings.cache_clear()
        assert result.exit_code == 0, result.output
        return result.stdout_bytes

    run.path = path  # type: ignore[attr-defined]
    return run


@pytest.fixture(scope="module")
def both(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Run]:
    """The same seeded world in each store, and a way to run the CLI on each."""
    tmp = tmp_path_factory.mktemp("same-bytes")
    server = neo4j_server(request)
    for store in neo4j_store(request):  # empties the database
        store.close()
    common = {"ACCOUNTGRAPH_DEMO": None, "COLUMNS": "120"}
    runs = {
        "ladybug": _runner({**common, "ACCOUNTGRAPH_STORE": "ladybug", "NEO4J_URI": None,
                            "ACCOUNTGRAPH_DATA_DIR": str(tmp / "ladybug")},
                           tmp / "ladybug" / "accountgraph.lbug"),
        "neo4j": _runner({**common, "ACCOUNTGRAPH_STORE": "neo4j", "NEO4J_URI": server.uri,
                          "NEO4J_USER": server.user, "NEO4J_PASSWORD": server.password,
                          "NEO4J_DATABASE": server.database,
                          "ACCOUNTGRAPH_DATA_DIR": str(tmp / "neo4j")}, tmp / "neo4j"),
    }  # fmt: skip
    for name, run in runs.items():
        manifest = tmp / f"{name}.json"
        run("seed", "--size", "small", "--seed", "7", "--contacts", "300",
            "--touchpoints", "3000", "--manifest", str(manifest))  # fmt: skip
    return runs


@pytest.fixture(scope="module")
def accounts(both: dict[str, Run]) -> list[tuple[str, str]]:
    """(account, its owner) for a few accounts, the busiest included."""
    listed = both["ladybug"]("analyze", "--all", "--json", "--jobs", "1", "--as-of", AS_OF)
    rows = [json.loads(line) for line in listed.decode().splitlines()]
    rows.sort(key=lambda r: -int(r.get("contacts", 0)))
    store = LadybugStore(both["ladybug"].path, read_only=True)  # type: ignore[attr-defined]
    try:
        out = []
        # And the brief's hard cases: a quiet champion (co-00002), a champion who moved
        # and an account handed over (co-00004).
        hard = [r for r in rows if r["company_id"] in ("co-00002", "co-00004")]
        for r in rows[:4] + rows[-2:] + [r for r in hard if r not in rows[:4] + rows[-2:]]:
            owners = store.relationships("OWNS", target=r["company_id"])
            out.append((r["company_id"], owners[0].source if owners else ""))
    finally:
        store.close()
    return out


def _same(both: dict[str, Run], *args: str) -> None:
    mine, theirs = both["ladybug"](*args), both["neo4j"](*args)
    assert mine, f"{args} printed nothing"
    assert mine == theirs, f"{' '.join(args)}: the stores print different bytes"


def test_analyze_all_is_the_same(both: dict[str, Run]) -> None:
    _same(both, "analyze", "--all", "--jobs", "1", "--as-of", AS_OF)
    _same(both, "analyze", "--all", "--json", "--jobs", "1", "--as-of", AS_OF)


def test_each_accounts_readings_brief_and_exports_are_the_same(
    both: dict[str, Run], accounts: list[tuple[str, str]]
) -> None:
    for account, owner in accounts:
        _same(both, "analyze", account, "--json", "--as-of", AS_OF)
        _same(both, "analyze", account, "--as-of", AS_OF)
        _same(both, "brief", account)
        if owner:
            _same(both, "brief", account, "--as", owner)
            for fmt in ("json", "csv", "graphml"):
                _same(both, "export", account, "--format", fmt, "--as", owner)


def test_each_accounts_map_is_the_same(
    both: dict[str, Run], accounts: list[tuple[str, str]], tmp_path: Path
) -> None:
    for account, _ in accounts:
        pages = {}
        for name, run in both.items():
            out = tmp_path / f"{name}-{account}.html"
            run("map", account, "-o", str(out))
            pages[name] = out.read_bytes()
        assert pages["ladybug"] == pages["neo4j"], f"map of {account} differs"
