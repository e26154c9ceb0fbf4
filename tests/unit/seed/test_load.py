"""A generated world written into the embedded store reads back as reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.settings import Settings
from graph.stores import open_store
from seed.generator import Scenario, Sizes, generate
from seed.load import load_world

ROOT = Path(__file__).parents[3]
SMALL = Sizes(companies=14, contacts=300, touchpoints=1_500)


def test_small_world_reads_back_with_the_reported_counts(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path, store="ladybug"))
    try:
        world = generate(5, SMALL)
        report = load_world(store, world)
        assert report.rejected == []
        counts = store.counts()
        assert {k: counts[k] for k in world.counts} == dict(world.counts)
        # Nothing the generator does not make (tokens, audit events) appears.
        assert all(n == 0 for k, n in counts.items() if k not in world.counts)
        # The champion who moved is written where the manifest says.
        old = next(r for r in world.manifest if r.scenario is Scenario.CHAMPION_LEFT)
        moved = store.get("contact", old.people["champion"])
        assert moved is not None and moved.company_id == old.people["moved_to"]  # type: ignore[attr-defined]
    finally:
        store.close()


def test_seeding_the_same_world_twice_changes_nothing(tmp_path: Path) -> None:
    # 5,000 touchpoints: one batch big enough for the columnar path, the
    # other kinds through upsert, so both paths meet their own rows again.
    sizes = Sizes(companies=14, contacts=300, touchpoints=5_000)
    store = open_store(Settings(data_dir=tmp_path, store="ladybug"))
    try:
        load_world(store, generate(5, sizes))
        first = store.counts()
        again = load_world(store, generate(5, sizes))
        assert sum(again.written.values()) == 0
        assert store.counts() == first
    finally:
        store.close()


@pytest.mark.slow
def test_demo_world_reads_back_with_the_reported_counts(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path, store="ladybug"))
    try:
        world = generate()
        assert load_world(store, world).rejected == []
        counts = store.counts()
        assert {k: counts[k] for k in world.counts} == dict(world.counts)
        graph = store.account_graph(world.manifest[0].company_id)
        assert graph.number_of_nodes() > world.manifest[0].contacts
    finally:
        store.close()


def accountgraph(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACCOUNTGRAPH_DATA_DIR": str(data_dir), "ACCOUNTGRAPH_STORE": "ladybug",
           "COLUMNS": "120"}  # fmt: skip
    env.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "seed", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_seed_command_prints_counts_that_match_the_store(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    run = accountgraph(tmp_path / "data", "--size", "small", "--seed", "3",
                       "--contacts", "200", "--manifest", str(manifest))  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "touchpoint" in run.stdout and "2,000" in run.stdout
    data = json.loads(manifest.read_text())
    assert data["counts"]["contact"] == 200
    assert {a["scenario"] for a in data["accounts"]} >= {"growing", "empty", "dormant"}
    # The counts command reads back the same numbers.
    store = open_store(Settings(data_dir=tmp_path / "data", store="ladybug"), read_only=True)
    try:
        assert store.counts()["contact"] == 200
    finally:
        store.close()


def test_seed_command_refuses_an_unknown_size_in_one_line(tmp_path: Path) -> None:
    run = accountgraph(tmp_path / "data", "--size", "huge")
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0
    assert "unknown size 'huge'" in run.stderr and "large" in run.stderr


def test_dry_run_generates_without_touching_the_store(tmp_path: Path) -> None:
    run = accountgraph(tmp_path / "data", "--size", "small", "--dry-run")
    assert run.returncode == 0, run.stderr
    assert "company" in run.stdout
    assert not (tmp_path / "data").exists()
