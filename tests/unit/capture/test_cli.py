"""``accountgraph capture`` as a user runs it: summary, exit codes, errors, a killed run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from graph import model as m
from graph.settings import Settings
from graph.stores import open_store

FIXTURES = Path(__file__).parents[2] / "fixtures" / "capture"


def accountgraph(data_dir: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACCOUNTGRAPH_DATA_DIR": str(data_dir), "ACCOUNTGRAPH_STORE": "ladybug"}
    env.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "capture", *map(str, args)],
        cwd=data_dir.parent, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def world(data_dir: Path) -> None:
    store = open_store(Settings(data_dir=data_dir, store="ladybug"))
    try:
        store.upsert("user", [m.User(id="u-amy", name="Amy Archer", email="amy@ourco.com")])
        store.upsert("company", [m.Company(id="acme", name="Acme", domain="acme.com")])
        store.upsert("contact", [m.Contact(id="c-jo", company_id="acme", name="Jo Smith",
                                           email="jo.smith@acme.com")])
    finally:
        store.close()


def snapshot(data_dir: Path) -> tuple[dict[str, int], Any]:
    store = open_store(Settings(data_dir=data_dir, store="ladybug"))
    try:
        nodes = {k: sorted(n.model_dump_json() for batch in store.iter_ids(k)
                           for n in store.get_many(k, batch).values())
                 for k in ("touchpoint", "contact")}
        knows = sorted(r.model_dump_json() for c in store.iter_ids("contact") for i in c
                       for r in store.relationships("KNOWS", source=i))
        return store.counts(), (nodes, knows)
    finally:
        store.close()


def mailbox(path: Path, n: int) -> Path:
    """``n`` days of mail between Amy and Jo, each copying one of five colleagues of Jo."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(f"From x Mon Jan  1 00:00:00 2025\nMessage-ID: <k{i}@ourco.com>\n"
                     f"Date: {1 + i % 28} Mar 2025 09:{i % 60:02d}:00 +0100\n"
                     f"From: Amy Archer <amy@ourco.com>\nTo: Jo Smith <jo.smith@acme.com>\n"
                     f"Cc: Colleague {i % 5} <colleague{i % 5}@acme.com>\nSubject: s{i}\n\nhi\n\n")
    return path


def test_a_run_prints_its_summary_and_says_what_it_skipped(tmp_path: Path) -> None:
    world(tmp_path / "data")
    done = accountgraph(tmp_path / "data", *sorted(FIXTURES.glob("*.eml")),
                        "--rejects", tmp_path / "rejects.csv")
    assert done.returncode == 1, done.stderr  # the broken date was rejected
    assert "touchpoints written 2" in done.stderr
    assert "skipped: auto-reply 1, mailing list 1, newsletter 1" in done.stderr
    assert "broken-date.eml:1: Date: the date 'sometime last week' cannot be read" in done.stderr
    again = accountgraph(tmp_path / "data", *sorted(FIXTURES.glob("*.eml")))
    assert again.returncode == 0 and "touchpoints written 0" in again.stderr
    assert "files unchanged since the last run 6" in again.stderr


def test_an_unreadable_file_is_one_error_line_and_exit_code_2(tmp_path: Path) -> None:
    world(tmp_path / "data")
    f = tmp_path / "inbox.mbox"
    f.write_text("Subject: not an mbox\n")
    done = accountgraph(tmp_path / "data", FIXTURES / "gmail-outbound.eml", f)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: {f}: not an mbox (it should start with a 'From ' line); export the folder "
        "as mbox, or name single messages .eml"]
    assert snapshot(tmp_path / "data")[0]["touchpoint"] == 0  # checked before any write
    bad = tmp_path / "mail.msg"
    bad.write_bytes(b"not OLE")
    done = accountgraph(tmp_path / "data", bad)
    assert done.returncode == 2 and "not an Outlook message that can be read" in done.stderr


def test_without_our_domain_capture_refuses_to_guess_directions(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path / "data", store="ladybug"))
    store.close()
    done = accountgraph(tmp_path / "data", FIXTURES / "gmail-outbound.eml")
    assert done.returncode == 2 and "give --our-domain" in done.stderr
    done = accountgraph(tmp_path / "data", FIXTURES / "gmail-outbound.eml",
                        "--our-domain", "ourco.com")
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_a_capture_killed_midway_and_run_again_ends_as_one_clean_run(tmp_path: Path) -> None:
    box = mailbox(tmp_path / "amy.mbox", 60)
    for name in ("clean", "killed"):
        world(tmp_path / name)
    clean = accountgraph(tmp_path / "clean", box, "--batch-size", "10")
    assert clean.returncode == 0, clean.stderr
    killed = accountgraph(tmp_path / "killed", box, "--batch-size", "10",
                          "--exit-after-batches", "3")
    assert killed.returncode == 75, killed.stderr
    rerun = accountgraph(tmp_path / "killed", box, "--batch-size", "10")
    assert rerun.returncode == 0, rerun.stderr
    counts, contents = snapshot(tmp_path / "clean")
    assert snapshot(tmp_path / "killed") == (counts, contents)
    assert counts["touchpoint"] == 60 and counts["contact"] == 6
    assert counts["KNOWS"] == 5  # Jo and each colleague: 12 emails on 12 days each
