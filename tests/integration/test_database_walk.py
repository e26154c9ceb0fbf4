"""The database readings' walk in processes, its saved rows, and a restart, on the demo world.

Rows read by worker processes must be the rows one process reads; rows saved
beside the store must come back the same after a restart on an unchanged store,
without a walk and without a personal value ever written to disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from api.database import DatabaseReadings, Snapshot
from api.database_file import PATTERN
from graph import model as m
from graph.settings import Settings, StoreKind
from graph.store import Store
from seed.generator import REFERENCE_NOW
from tests.integration.conftest import BACKENDS

#: The demo world's day: strengths decay by the second when read as of "now".
AS_OF = REFERENCE_NOW.date()
#: A personal profile item of a contact on a closed deal: must never reach the file.
SECRET = "personal-hobby-xq7-never-on-disk"


@dataclass
class World:
    store: Store
    settings: Settings  # names the same store, for the worker processes
    folder: Path


def _deal_contact(store: Store) -> str:
    """A contact on a closed deal (their profile items become case features)."""
    after = None
    while True:
        page = store.list("opportunity", {}, after=after, limit=500)
        for o in page.items:
            if isinstance(o, m.Opportunity) and str(o.stage) in ("closed_won", "closed_lost") \
                    and o.contact_ids:
                return sorted(o.contact_ids)[0]
        if page.next_cursor is None:
            raise AssertionError("the demo world has no closed deal with contacts")
        after = page.next_cursor


@pytest.fixture(scope="module", params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    from seed.generator import generate, preset
    from seed.load import load_world

    folder = tmp_path_factory.mktemp("database-walk")
    if request.param == "ladybug":
        from graph.stores.ladybug import LadybugStore

        settings = Settings(data_dir=folder, store=StoreKind.LADYBUG)
        store: Store = LadybugStore(settings.ladybug_path)
        close = store.close
    else:
        from tests.integration.neo4j_fixture import neo4j_server, neo4j_store

        server = neo4j_server(request)
        settings = Settings(data_dir=folder, store=StoreKind.NEO4J, neo4j_uri=server.uri,
                            neo4j_user=server.user, neo4j_password=server.password,
                            neo4j_database=server.database)
        opened = neo4j_store(request)
        store = next(opened)

        def close() -> None:
            opened.close()

    load_world(store, generate(seed=42, sizes=preset("demo")))
    store.upsert("profile_item", [m.ProfileItem(
        id="walk-secret", contact_id=_deal_contact(store), key="hobby", value=SECRET,
        visibility=m.Visibility.PERSONAL)])
    yield World(store, settings, folder)
    close()


def _personal_values(snap: Snapshot) -> set[str]:
    return {v for r in snap.rows for f in (r.personal or {}).values()
            for values in f.values() for v in values}


def _same_rows(a: Snapshot, b: Snapshot, *, personal: bool = True) -> None:
    assert [r.summary for r in a.rows] == [r.summary for r in b.rows]
    assert [r.contacts for r in a.rows] == [r.contacts for r in b.rows]
    assert a.cases() == b.cases()
    if personal:
        assert a.cases(include_personal=True) == b.cases(include_personal=True)


def test_worker_processes_read_the_rows_one_process_reads(world: World) -> None:
    alone = DatabaseReadings(world.store, as_of=AS_OF).snapshot()
    # Chunks of 4 accounts: the demo world's 40 spread over both processes.
    db = DatabaseReadings(world.store, as_of=AS_OF, settings=world.settings, jobs=2,
                          chunk=4)
    together = db.snapshot()
    assert len(together.rows) == 40 and db.stats["accounts_read"] == 40
    _same_rows(alone, together)
    assert [r.personal for r in alone.rows] == [r.personal for r in together.rows]
    assert SECRET in _personal_values(together)
    assert {r.summary["status"] for r in together.rows} >= {"at_risk", "can_grow"}


@pytest.fixture(scope="module")
def walked(world: World) -> DatabaseReadings:
    """Readings that walked every account in this process and saved their rows."""
    db = DatabaseReadings(world.store, as_of=AS_OF, folder=world.folder, where="demo")
    db.snapshot()
    db.wait_for_refresh(timeout=60)  # the save runs behind the answer
    return db


def _saved(world: World) -> list[Path]:
    return list(world.folder.glob(PATTERN))


def test_a_restart_on_an_unchanged_store_serves_the_saved_rows(
        world: World, walked: DatabaseReadings) -> None:
    snap = walked.snapshot()
    [saved] = _saved(world)
    # Case features made of personal profile items are never written.
    assert SECRET in _personal_values(snap)
    assert SECRET.encode() not in saved.read_bytes()

    again = DatabaseReadings(world.store, as_of=AS_OF, folder=world.folder, where="demo")
    again.start()
    loaded = again.snapshot()
    assert again.stats["loaded_from_file"] == 40 and again.stats["accounts_read"] == 0
    assert not loaded.personal_known
    _same_rows(snap, loaded, personal=False)
    # An admin's aggregate over personal items reads them again, only for accounts
    # with cases, and gets what the walk had.
    again.with_personal(loaded)
    assert loaded.personal_known and SECRET in _personal_values(loaded)
    assert 0 < again.stats["personal_read"] < 40
    _same_rows(snap, loaded)


def test_an_erasure_deletes_the_saved_rows(world: World, walked: DatabaseReadings) -> None:
    from api.erasure import erase_contact

    assert _saved(world)
    # The rows quote names (contact rows, departures): an erasure replaces the name.
    victim = next(r for r in walked.snapshot().rows if r.contacts)
    contact = next(iter(victim.contacts.values()))[0]
    done = erase_contact(world.store, contact.contact_id, data_dir=world.folder)
    assert not _saved(world)
    assert any(p.name.startswith("database-rows-") for p in done.side_files)
    # A server told of the erasure (no account named) forgets its file at once too.
    walked.invalidate(contact.company_id)
    walked.snapshot()
    walked.wait_for_refresh(timeout=60)
    assert _saved(world)
    walked.invalidate()
    assert not _saved(world)


def test_a_changed_store_is_read_again_not_served_from_the_file(
        world: World, walked: DatabaseReadings) -> None:
    walked.snapshot()
    walked.wait_for_refresh(timeout=60)
    assert _saved(world)  # saved as of the store's change counter now
    world.store.upsert("company", [m.Company(id="walk-new", name="Walk New Ltd")])
    try:
        again = DatabaseReadings(world.store, as_of=AS_OF, folder=world.folder, where="demo")
        again.start()
        again.wait_for_refresh(timeout=300)
        assert again.stats["loaded_from_file"] == 0
        assert "walk-new" in {r.summary["company_id"] for r in again.snapshot().rows}
    finally:
        world.store.delete("company", "walk-new")
