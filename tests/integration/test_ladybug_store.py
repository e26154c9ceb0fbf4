"""What only the embedded store does: files, locks and readers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from graph.errors import StoreLocked, StoreUnavailable
from graph.model import Company
from graph.stores.ladybug import LadybugStore

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, *env_pairs: tuple[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_a_file_that_is_not_a_database_gives_one_clear_line(tmp_path: Path) -> None:
    junk = tmp_path / "notes.lbug"
    junk.write_text("these are my meeting notes, not a database\n" * 100)
    with pytest.raises(StoreUnavailable) as err:
        LadybugStore(junk)
    message = str(err.value)
    assert "\n" not in message and str(junk) in message and "ACCOUNTGRAPH_DATA_DIR" in message


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="is a folder"):
        LadybugStore(tmp_path)


def test_a_second_writer_is_told_who_holds_the_store(tmp_path: Path) -> None:
    path = tmp_path / "held.lbug"
    holder = LadybugStore(path)
    holder.upsert("company", [Company(id="acme", name="Acme")])
    try:
        result = _run(f"""
            from graph.stores.ladybug import LadybugStore
            from graph.errors import StoreLocked
            try:
                LadybugStore({str(path)!r})
            except StoreLocked as exc:
                print("LOCKED", exc)
        """)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("LOCKED")
        assert "accountgraph serve" in result.stdout and "Traceback" not in result.stdout
        # Readers share it while the writer holds it.
        reader = _run(f"""
            from graph.stores.ladybug import LadybugStore
            s = LadybugStore({str(path)!r}, read_only=True)
            print(s.counts()["company"])
        """)
        assert reader.returncode == 0, reader.stderr
        assert reader.stdout.strip() == "1"
    finally:
        holder.close()
    # Once the holder is gone, a writer gets in and the data is intact.
    again = LadybugStore(path)
    assert again.get("company", "acme") is not None
    again.close()
    assert issubclass(StoreLocked, StoreUnavailable)


def test_read_only_on_a_missing_database_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="accountgraph seed"):
        LadybugStore(tmp_path / "none.lbug", read_only=True)


def test_the_cli_prints_one_line_not_a_stack_trace(tmp_path: Path) -> None:
    (tmp_path / "accountgraph.lbug").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "counts"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"ACCOUNTGRAPH_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr


def test_the_schema_is_safe_to_create_twice(tmp_path: Path) -> None:
    path = tmp_path / "twice.lbug"
    LadybugStore(path).close()
    s = LadybugStore(path)
    assert s.counts()["company"] == 0
    s.close()


# A bulk load COPYs 3,000 contacts at acme (a COPY-only write, not checkpointed
# at its commit), runs ``then`` inside the load, and the process dies without
# closing the store: inside the load, or just after it ends.
_BULK_THEN_DIE = """
    import os
    import pyarrow as pa
    from graph.model import Company, Contact
    from graph.stores.ladybug import LadybugStore
    s = LadybugStore({path!r})
    s.upsert("company", [Company(id="acme", name="Acme")])
    contacts = pa.table({{"id": [f"c{{i}}" for i in range(3000)],
                         "name": [f"Person {{i}}" for i in range(3000)],
                         "company_id": ["acme"] * 3000}})
    with s.bulk_load():
        s.upsert_table("contact", contacts)
        print("inside", s.counts()["contact"], flush=True)
        {then}
        if {die_inside}:
            os._exit(9)  # no close, no cleanup: as a killed process
    os._exit(9)
"""


def _bulk_then_die(path: Path, then: str = "pass", *, die_inside: bool = False) -> str:
    done = _run(_BULK_THEN_DIE.format(path=str(path), then=then, die_inside=die_inside))
    assert done.returncode == 9, done.stderr
    return done.stdout


def _contacts_at(path: Path) -> tuple[int, int, str | None]:
    """Contacts, their employments, and the title of contact c5 (read by a new process)."""
    done = _run(f"""
        from graph.stores.ladybug import LadybugStore
        s = LadybugStore({str(path)!r})
        counts, c5 = s.counts(), s.get("contact", "c5")
        print(counts["contact"], counts["EMPLOYED_AT"], getattr(c5, "title", None))
        s.close()
    """)
    assert done.returncode == 0, f"the store did not open (exit {done.returncode}) {done.stderr}"
    contacts, employed, title = done.stdout.split()
    return int(contacts), int(employed), None if title == "None" else title


def test_a_bulk_load_is_durable_once_it_ends(tmp_path: Path) -> None:
    path = tmp_path / "bulk.lbug"
    assert _bulk_then_die(path) == "inside 3000\n"  # the rows are read back inside the load
    assert _contacts_at(path) == (3000, 3000, None)


def test_a_change_to_bulk_rows_survives_a_kill_with_them(tmp_path: Path) -> None:
    # The logged write (a SET on a COPYed contact) makes the load checkpoint
    # first: replaying the log onto rows a crash lost crashed the engine on open.
    path = tmp_path / "bulk.lbug"
    _bulk_then_die(path, 's.upsert("contact", [Contact(id="c5", name="Person 5", '
                         'company_id="acme", title="CFO")])', die_inside=True)
    assert _contacts_at(path) == (3000, 3000, "CFO")


def test_a_bulk_load_killed_midway_opens_and_a_rerun_completes_it(tmp_path: Path) -> None:
    path = tmp_path / "bulk.lbug"
    _bulk_then_die(path, die_inside=True)
    contacts, employed, _ = _contacts_at(path)  # opens; what it kept is consistent
    assert contacts == employed and contacts in (0, 3000)
    _bulk_then_die(path)  # the same load again
    assert _contacts_at(path) == (3000, 3000, None)


def test_a_store_made_before_a_field_existed_is_upgraded_on_a_writable_open(
    tmp_path: Path,
) -> None:
    from datetime import UTC, datetime

    from graph.model import Touchpoint

    path = tmp_path / "old.lbug"
    store = LadybugStore(path)
    store.upsert("company", [Company(id="acme", name="Acme")])
    # As an accountgraph from before capture made it: touchpoints had no origin.
    store._exec("ALTER TABLE Touchpoint DROP origin")
    store.close()

    with pytest.raises(StoreUnavailable, match=r"older accountgraph.*Touchpoint\.origin.*init"):
        LadybugStore(path, read_only=True)

    store = LadybugStore(path)  # what `accountgraph init` and every writer do
    try:
        tp = Touchpoint(id="t1", company_id="acme", type="email",
                        at=datetime(2026, 1, 5, tzinfo=UTC), origin="capture")
        store.upsert("touchpoint", [tp])
        assert store.get("touchpoint", "t1").origin == "capture"  # type: ignore[union-attr]
        assert store.get("company", "acme").name == "Acme"  # type: ignore[union-attr]
    finally:
        store.close()
    LadybugStore(path, read_only=True).close()  # upgraded: readers open it again
