"""``accountgraph import`` as a user runs it: exit codes, one-line errors, a killed run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from graph.settings import Settings
from graph.stores import open_store
from tests.unit.imports.helpers import write
from tests.unit.imports.test_import_run import contents

ROOT = Path(__file__).parents[3]


def accountgraph(data_dir: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACCOUNTGRAPH_DATA_DIR": str(data_dir), "ACCOUNTGRAPH_STORE": "ladybug"}
    env.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "import", *map(str, args)],
        cwd=data_dir.parent, env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )


def silo_exports(folder: Path) -> Path:
    """Three silos' exports of one small world, and a manifest listing them.

    The finance list repeats half the marketing people under its own ids and
    column names, so a correct import merges them.
    """
    folder.mkdir()
    write(folder / "companies.csv", "id,name,domain\n" + "".join(
        f"co{i},Company {i},company{i}.com\n" for i in range(20)))
    write(folder / "marketing.csv", "id,name,email,company_id\n" + "".join(
        f"m{i},Person {i},person{i}@company{i % 20}.com,co{i % 20}\n" for i in range(300)))
    write(folder / "finance.csv", "Vendor Contact ID,Full Name,E-mail,Acct\n" + "".join(
        f"F{i},Person {i},PERSON{i}@company{i % 20}.com,co{i % 20}\n"
        for i in range(150, 450)))
    write(folder / "finance.toml", 'source = "ap"\n[contacts]\nid = "Vendor Contact ID"\n'
          'name = "Full Name"\nemail = "E-mail"\ncompany_id = "Acct"\n')
    write(folder / "touchpoints.csv", "id,type,at,contact_ids\n" + "".join(
        f"t{i},email,2024-01-{1 + i % 28:02d}T10:00:00,m{i % 300}\n" for i in range(600)))
    return write(folder / "import.toml", """
[[files]]
path = "companies.csv"
kind = "companies"
[[files]]
path = "marketing.csv"
kind = "contacts"
silo = "marketing"
[[files]]
path = "finance.csv"
kind = "contacts"
silo = "finance"
mapping = "finance.toml"
[[files]]
path = "touchpoints.csv"
kind = "touchpoints"
""")


def snapshot(data_dir: Path) -> tuple[dict[str, int], Any]:
    store = open_store(Settings(data_dir=data_dir, store="ladybug"))
    try:
        return store.counts(), contents(store)
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.parametrize("killed_after", [3, 6])  # in the contacts, in the touchpoints
def test_an_import_killed_midway_and_run_again_ends_as_one_clean_run(
    tmp_path: Path, killed_after: int
) -> None:
    manifest = silo_exports(tmp_path / "exports")
    clean = accountgraph(tmp_path / "clean", "--manifest", manifest, "--batch-size", "100")
    assert clean.returncode == 0, clean.stderr

    killed = accountgraph(tmp_path / "killed", "--manifest", manifest, "--batch-size", "100",
                          "--exit-after-batches", str(killed_after))
    assert killed.returncode == 75, killed.stderr
    partial_counts, _ = snapshot(tmp_path / "killed")
    rerun = accountgraph(tmp_path / "killed", "--manifest", manifest, "--batch-size", "100")
    assert rerun.returncode == 0, rerun.stderr

    clean_counts, clean_contents = snapshot(tmp_path / "clean")
    assert partial_counts != clean_counts  # the kill really left a partial import
    assert snapshot(tmp_path / "killed") == (clean_counts, clean_contents)
    # 450 people, 150 of them in both silos.
    assert clean_counts["contact"] == 450
    assert clean_counts["touchpoint"] == 600
    assert "150 rows merged into a record matched by name or email" in clean.stderr


def test_rejected_rows_give_exit_code_1_and_a_rejects_file(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    f = write(exports / "companies.csv", "id,name,lifecycle\na,Acme,customer\nb,Bad,sleeping\n")
    done = accountgraph(tmp_path / "data", f, "--kind", "companies",
                        "--rejects", exports / "rejects.csv")
    assert done.returncode == 1
    assert "1 rejected" in done.stderr
    assert "companies.csv:3: lifecycle: 'sleeping' is not a known lifecycle" in done.stderr
    assert (exports / "rejects.csv").read_text().startswith("file,line,field,reason,raw")
    # Rows as read may hold personal values: erasure must find the file again.
    from seed.imports.side_files import remembered

    assert remembered(tmp_path / "data") == [(exports / "rejects.csv").absolute()]


def test_an_unreadable_file_is_one_error_line_and_exit_code_2(tmp_path: Path) -> None:
    f = tmp_path / "contacts.csv"
    f.write_bytes(b"")
    done = accountgraph(tmp_path / "data", f, "--kind", "contacts", "--silo", "sales")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"error: {f}: the file is empty; export it "
                                                "again with its rows"]


def test_contacts_without_a_silo_are_refused_before_anything_is_read(tmp_path: Path) -> None:
    f = write(tmp_path / "c.csv", "name,company_id\nA,x\n")
    done = accountgraph(tmp_path / "data", f, "--kind", "contacts")
    assert done.returncode == 2
    assert "contacts need the silo they came from" in done.stderr
