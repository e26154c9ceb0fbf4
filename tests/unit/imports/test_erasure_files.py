"""Erasure reaches the importer's files: the crosswalk, rejects and merge logs."""

from __future__ import annotations

from pathlib import Path

from api.erasure import erase_contact
from seed.imports import side_files
from seed.imports.crosswalk import Crosswalk
from tests.unit.api.conftest import build_world


def test_crosswalk_forgets_entries_keyed_by_an_erased_value(tmp_path: Path) -> None:
    path = tmp_path / "crosswalk.sqlite3"
    walk = Crosswalk(path)
    walk.put("hubspot", "contact", "Alice@Acme.com", "c-alice")
    walk.put("hubspot", "contact", "bob@acme.com", "c-bob")
    walk.close()
    walk = Crosswalk(path)
    assert walk.forget_foreign_ids({"alice@acme.com"}) == 1
    walk.close()
    again = Crosswalk(path)
    assert again.get("hubspot", "contact", "Alice@Acme.com") is None
    assert again.get("hubspot", "contact", "bob@acme.com") == "c-bob"
    again.close()
    assert b"Alice@Acme.com" not in path.read_bytes()  # vacuumed, not only unlinked


def test_erasure_scrubs_remembered_rejects_and_merge_files(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    rejects = tmp_path / "work" / "import-rejects.csv"
    rejects.parent.mkdir()
    rejects.write_text("file,line,field,reason,raw\n"
                       "c.csv,3,phone,bad,\"Alice Archer,ALICE@acme.com,sailing\"\n"
                       "c.csv,4,name,empty,\"Carl,carl@globex.com\"\n", encoding="utf-8")
    untouched = tmp_path / "work" / "other.csv"
    untouched.write_text("alice@acme.com\n", encoding="utf-8")  # never written by an import
    side_files.remember(data_dir, rejects)
    side_files.remember(data_dir, rejects)  # once is enough
    walk = Crosswalk(data_dir / "imports" / "crosswalk.sqlite3")
    walk.put("salesforce", "contact", "alice@acme.com", "c-alice")
    walk.close()

    done = erase_contact(build_world(), "c-alice", data_dir=data_dir)

    assert done.side_files == [rejects.absolute()] and done.crosswalk_entries == 1
    text = rejects.read_text(encoding="utf-8")
    assert "alice@acme.com" not in text.lower() and "sailing" not in text
    assert "Alice Archer" not in text and "[erased]" in text
    assert "carl@globex.com" in text  # other people's rows are left alone
    assert untouched.read_text(encoding="utf-8") == "alice@acme.com\n"
    assert (data_dir / "imports" / "side-files.txt").read_text().count("\n") == 1
