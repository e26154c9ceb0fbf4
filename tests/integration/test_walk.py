"""Every account's status from several processes: the same rows as one process, in order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.readings.database import iter_account_summaries
from graph.readings.testing import SAMPLE_AS_OF, SAMPLES, load_into
from graph.settings import Settings
from graph.stores.ladybug import LadybugStore
from graph.walk import account_summaries


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("walk")
    store = LadybugStore(data_dir / "accountgraph.lbug")
    for make in SAMPLES.values():
        load_into(store, make())
    store.close()
    return data_dir


def test_two_processes_give_the_rows_one_process_gives(world: Path) -> None:
    settings = Settings(data_dir=world, store="ladybug")
    store = LadybugStore(world / "accountgraph.lbug", read_only=True)
    ids = [i for batch in store.iter_ids("company") for i in batch]
    alone = list(iter_account_summaries(store, as_of=SAMPLE_AS_OF, company_ids=ids))
    store.close()
    together = list(account_summaries(settings, ids, jobs=2, as_of=SAMPLE_AS_OF))
    assert [r["company_id"] for r in together] == ids
    assert together == alone
    assert {r["status"] for r in together} >= {"at_risk", "can_grow"}


def test_analyze_all_prints_a_line_per_account(world: Path) -> None:
    env = {**os.environ, "ACCOUNTGRAPH_DATA_DIR": str(world)}
    run = subprocess.run(
        [sys.executable, "-m", "api.cli", "analyze", "--all", "--json", "--jobs", "2"],
        env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert sorted(r["company_id"] for r in rows) == sorted(
        G.graph["company_id"] for G in (make() for make in SAMPLES.values()))
    both = subprocess.run(
        [sys.executable, "-m", "api.cli", "analyze", "acme", "--all"],
        env=env, capture_output=True, text=True, timeout=300, check=False)
    assert both.returncode != 0 and "give an account or --all, not both" in both.stderr
