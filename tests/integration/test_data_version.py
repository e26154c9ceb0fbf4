"""Store.data_version: the store-wide change marker, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from graph import model as m
from graph.store import Store
from graph.stores.ladybug import LadybugStore


def _company(id: str) -> m.Company:
    return m.Company(id=id, name=id.title())


def test_every_data_write_moves_it_and_bookkeeping_does_not(store: Store) -> None:
    start = store.data_version()
    store.upsert("company", [_company("acme")])
    store.upsert("contact", [m.Contact(id="c-1", company_id="acme", name="One",
                                       email="one@acme.example")])
    after_writes = store.data_version()
    assert after_writes.changes == start.changes + 2
    assert after_writes.elsewhere == start.elsewhere == 0  # both were ours
    # Writing the same again changes nothing, and says so (a re-import keeps caches).
    store.upsert("company", [_company("acme")])
    assert store.data_version() == after_writes
    # Audit rows and tokens are written on reads and sign-ins: they are not data.
    store.upsert("user", [m.User(id="u-1", name="U")])
    user_write = store.data_version()
    store.upsert("audit_event", [m.AuditEvent(id="aud-1", at=datetime.now(UTC), user_id="u-1",
                                              contact_id="c-1", field="email", door="test")])
    assert store.data_version() == user_write
    store.link("ON_TEAM", [m.OnTeam(source="u-1", target="acme")])
    store.unlink("ON_TEAM", [("u-1", "acme")])
    assert store.data_version().changes == user_write.changes + 2
    before = store.data_version()
    store.erase_personal_data("c-1")
    erased = store.data_version()
    assert (erased.changes, erased.erasures) == (before.changes + 1, before.erasures + 1)


def test_a_write_through_another_store_object_counts_as_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "x.lbug"
    first = LadybugStore(path)
    first.upsert("company", [_company("acme")])
    seen = first.data_version()
    first.close()
    # Another process writes (LadybugDB: one writer at a time, so one after the other).
    second = LadybugStore(path)
    second.upsert("company", [_company("globex")])
    assert second.data_version().changes == seen.changes + 1
    second.close()
    reopened = LadybugStore(path)
    try:
        now = reopened.data_version()
        assert now.changes == seen.changes + 1 and now.elsewhere == 0
        reopened.upsert("company", [_company("initech")])
        assert reopened.data_version().elsewhere == 0
    finally:
        reopened.close()


@pytest.mark.neo4j
def test_two_servers_on_one_neo4j_see_each_others_writes(request: pytest.FixtureRequest) -> None:
    from graph.stores.neo4j import Neo4jStore
    from tests.integration.neo4j_fixture import neo4j_server, neo4j_store

    gen = neo4j_store(request)
    mine = next(gen)
    try:
        server = neo4j_server(request)
        theirs = Neo4jStore(server.uri, server.user, server.password, server.database)
        try:
            mine.upsert("company", [_company("acme")])
            seen = mine.data_version()
            theirs.upsert("company", [_company("globex")])
            now = mine.data_version()
            assert now.changes == seen.changes + 1
            assert now.elsewhere == seen.elsewhere + 1
        finally:
            theirs.close()
    finally:
        gen.close()


@pytest.mark.neo4j
def test_an_erasure_by_another_server_reaches_this_servers_cache(
        request: pytest.FixtureRequest) -> None:
    from api.cache import AccountCache
    from graph.stores.neo4j import Neo4jStore
    from tests.integration.neo4j_fixture import neo4j_server, neo4j_store
    from tests.integration.privacy_world import XENA, build

    gen = neo4j_store(request)
    mine = next(gen)
    try:
        found = build(mine)
        cache = AccountCache(mine, ttl=3600, version_every=0)
        emails = {d.get("email") for d in cache.nodes("globex", "contact")}
        assert found.email in emails  # Globex's graph holds her, as a former employee
        server = neo4j_server(request)
        theirs = Neo4jStore(server.uri, server.user, server.password, server.database)
        try:
            theirs.erase_personal_data(XENA)
        finally:
            theirs.close()
        assert found.email not in {d.get("email") for d in cache.nodes("globex", "contact")}
    finally:
        gen.close()
