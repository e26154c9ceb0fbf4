"""What only the Neo4j store has to get right, against a real Neo4j 5 server.

The shared contract is in test_store_contract.py; these cases cover the
server-specific parts: its one-line errors, its schema, how values cross the
Bolt boundary, transactions in chunks, and concurrent writers.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pytest

from graph.errors import StoreError, StoreUnavailable
from graph.model import Company, Contact, Opportunity, Touchpoint
from graph.schema import NODE_KINDS
from graph.stores.base import VERSION_LABEL, StoreBase
from graph.stores.neo4j import CROSSWALK_LABEL, INDEXED, Neo4jStore
from tests.integration import neo4j_launcher
from tests.integration.neo4j_fixture import neo4j_server, neo4j_store

pytestmark = pytest.mark.neo4j
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def neo(request: pytest.FixtureRequest) -> Iterator[Neo4jStore]:
    for s in neo4j_store(request):
        assert isinstance(s, Neo4jStore)
        yield s


@pytest.fixture
def acme(neo: Neo4jStore) -> Neo4jStore:
    neo.upsert("company", [Company(id="acme", name="Acme Corp", domain="acme.com")])
    return neo


def test_a_wrong_password_says_which_settings_to_fix(request: pytest.FixtureRequest) -> None:
    server = neo4j_server(request)
    with pytest.raises(StoreUnavailable, match="NEO4J_PASSWORD") as err:
        Neo4jStore(server.uri, server.user, server.password + "-wrong", server.database)
    assert "\n" not in str(err.value) and server.uri in str(err.value)


def test_an_unknown_database_says_so(request: pytest.FixtureRequest) -> None:
    server = neo4j_server(request)
    with pytest.raises(StoreUnavailable, match="NEO4J_DATABASE") as err:
        Neo4jStore(server.uri, server.user, server.password, "nosuchdatabase")
    assert "nosuchdatabase" in str(err.value)


def _schema(neo: Neo4jStore) -> tuple[list[tuple[str, list[str]]], set[tuple[str, str]]]:
    """(label, properties) of the uniqueness constraints, and (label, property) indexed."""
    rows = neo._read("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type")
    unique = sorted(
        (r["labelsOrTypes"][0], r["properties"])
        for r in rows
        if r["type"] in ("UNIQUENESS", "NODE_PROPERTY_UNIQUENESS")
    )
    indexed = {
        (r["labelsOrTypes"][0], p)
        for r in neo._read("SHOW INDEXES YIELD labelsOrTypes, properties")
        if r["labelsOrTypes"]
        for p in r["properties"]
    }
    return unique, indexed


def _drop_schema(neo: Neo4jStore) -> None:
    for r in neo._read("SHOW CONSTRAINTS YIELD name"):
        neo._auto(f"DROP CONSTRAINT `{r['name']}`")
    for r in neo._read("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'"):
        neo._auto(f"DROP INDEX `{r['name']}`")


def test_init_twice_keeps_one_constraint_per_label_and_the_indexes(
    neo: Neo4jStore, request: pytest.FixtureRequest
) -> None:
    server = neo4j_server(request)
    for _ in range(2):
        other = Neo4jStore(server.uri, server.user, server.password, server.database)
        other.ensure_schema()
        other.close()
    unique, indexed = _schema(neo)
    labels = [k.label for k in NODE_KINDS.values()] + [CROSSWALK_LABEL, VERSION_LABEL]
    assert unique == sorted((label, ["id"]) for label in labels)
    for kind, fields in INDEXED.items():
        for f in fields:
            assert (NODE_KINDS[kind].label, f) in indexed
    for k in NODE_KINDS.values():
        for f in k.text_fields:
            assert (k.label, f) in indexed  # the full-text index search uses


def test_four_processes_setting_up_a_fresh_database_at_once_all_succeed(
    neo: Neo4jStore, request: pytest.FixtureRequest
) -> None:
    # Processes opening a fresh database at once raced to create the same rules:
    # one died of EquivalentSchemaRuleAlreadyExists, the others printed lock dumps.
    server = neo4j_server(request)
    script = (
        "import sys; from graph.stores.neo4j import Neo4jStore\n"
        "s = Neo4jStore(*sys.argv[1:5])\n"
        "s.upsert('company', [{'id': 'c' + sys.argv[5], 'name': 'C'}]); s.close()\n"
    )
    for trial in range(2):
        _drop_schema(neo)
        neo.wipe()
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", script, server.uri, server.user, server.password,
                 server.database, str(i)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            )
            for i in range(4)
        ]  # fmt: skip
        outcomes = [(p.wait(timeout=120), *p.communicate()) for p in runs]
        assert outcomes == [(0, "", "")] * 4, f"trial {trial}: {outcomes}"
        assert neo.counts()["company"] == 4
    unique, _ = _schema(neo)
    assert len(unique) == len(NODE_KINDS) + 2  # the crosswalk and the change marker


def test_a_read_only_open_needs_no_schema_and_refuses_writes(
    neo: Neo4jStore, request: pytest.FixtureRequest
) -> None:
    _drop_schema(neo)
    server = neo4j_server(request)
    reader = Neo4jStore(server.uri, server.user, server.password, server.database,
                        read_only=True)  # fmt: skip
    try:
        # Every session of a read-only store is a read session: the server itself
        # refuses any write in one, schema included, as it would a reader role's.
        assert reader.counts()["company"] == 0
        assert reader.search("acme") == []
        with pytest.raises(StoreError, match="read-only"):
            reader.upsert("company", [Company(id="acme", name="Acme")])
    finally:
        reader.close()
    assert _schema(neo)[0] == []
    neo.upsert("company", [Company(id="acme", name="Acme Corp")])  # the first write sets it up
    assert len(_schema(neo)[0]) == len(NODE_KINDS) + 2  # the crosswalk and the change marker


def test_a_read_session_refuses_schema_commands(neo: Neo4jStore) -> None:
    # What makes the test above stand for a reader role: the server enforces it.
    reader = neo._driver.session(database=neo.database, default_access_mode="READ")
    with reader, pytest.raises(Exception, match=r"(?i)read"):
        reader.run("CREATE INDEX probe IF NOT EXISTS FOR (n:Probe) ON (n.x)").consume()


@pytest.mark.slow
def test_wiping_a_graph_bigger_than_one_transaction_can_hold() -> None:
    # One DETACH DELETE of everything ran out of transaction memory (1 GiB heap:
    # 375,000 nodes). A server whose transactions may hold 48 MiB each stands
    # for that, with a graph a single transaction cannot delete.
    launched = neo4j_launcher.start({"db.memory.transaction.max": "48m"}, heap="256m")
    try:
        store = Neo4jStore(launched.uri, launched.user, launched.password)
        try:
            store._auto(
                "UNWIND range(0, 19999) AS i CALL (i) { CREATE (a:W {id: i})-[:R]->(:W)"
                "-[:R]->(a) } IN TRANSACTIONS OF 1000 ROWS"
            )
            with pytest.raises(Exception, match=r"(?i)memory"):
                store._auto("MATCH (n) DETACH DELETE n")
            store.wipe()
            assert store._read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
        finally:
            store.close()
    finally:
        launched.stop()


def test_times_and_dates_come_back_as_the_python_values_written(acme: Neo4jStore) -> None:
    paris = timezone(timedelta(hours=2))
    acme.upsert("contact", [Contact(id="ann", company_id="acme", name="Ann")])
    acme.upsert(
        "touchpoint",
        [
            Touchpoint(
                id="t1",
                company_id="acme",
                type="meeting",
                at=datetime(2026, 3, 1, 17, 30, 15, 123456, tzinfo=paris),
                contact_ids=["ann"],
            )
        ],
    )
    acme.upsert(
        "opportunity",
        [Opportunity(id="o1", company_id="acme", amount=1200, close_date=date(2026, 5, 1))],
    )
    t1 = acme.get("touchpoint", "t1")
    assert t1 is not None and t1.at == datetime(2026, 3, 1, 15, 30, 15, 123456, tzinfo=UTC)  # type: ignore[attr-defined]
    assert t1.at.utcoffset() == timedelta(0)  # type: ignore[attr-defined]
    o1 = acme.get("opportunity", "o1")
    assert o1 is not None and o1.close_date == date(2026, 5, 1)  # type: ignore[attr-defined]
    assert type(o1.close_date) is date  # type: ignore[attr-defined]
    again = acme.upsert("touchpoint", [t1])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_none_is_an_absent_property_and_clearing_a_field_removes_it(acme: Neo4jStore) -> None:
    acme.upsert("contact", [Contact(id="ann", company_id="acme", name="Ann", email="a@acme.com")])
    acme.upsert("contact", [Contact(id="ann", company_id="acme", name="Ann")])
    [row] = acme._read("MATCH (n:Contact {id: 'ann'}) RETURN keys(n) AS keys")
    assert "email" not in row["keys"] and "phone" not in row["keys"]
    ann = acme.get("contact", "ann")
    assert ann is not None and ann.email is None  # type: ignore[attr-defined]


def test_many_chunks_each_their_own_transaction_stay_idempotent(acme: Neo4jStore) -> None:
    acme.chunk_size = 1_000
    people = [{"id": f"p{i:05d}", "company_id": "acme", "name": f"P {i}"} for i in range(2_500)]
    first = acme.upsert("contact", people)
    assert (first.created, first.rejected) == (2_500, [])
    second = acme.upsert("contact", people)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2_500)
    counts = acme.counts()
    assert counts["contact"] == 2_500 and counts["EMPLOYED_AT"] == 2_500


def test_two_writers_of_the_same_new_ids_do_not_collide(
    acme: Neo4jStore, request: pytest.FixtureRequest
) -> None:
    server = neo4j_server(request)
    other = Neo4jStore(server.uri, server.user, server.password, server.database)
    people = [{"id": f"q{i:04d}", "company_id": "acme", "name": f"Q {i}"} for i in range(1_000)]
    errors: list[BaseException] = []

    def write(store: Neo4jStore) -> None:
        try:
            store.upsert("contact", people)
        except BaseException as exc:
            errors.append(exc)

    try:
        threads = [threading.Thread(target=write, args=(s,)) for s in (acme, other)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        other.close()
    assert errors == []
    counts = acme.counts()
    assert counts["contact"] == 1_000 and counts["EMPLOYED_AT"] == 1_000


def test_search_goes_through_the_full_text_index(
    acme: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The scan (toLower(...) CONTAINS over every node of a label) is only for a
    # needle without letters or digits, or a database never set up.
    acme.upsert("contact", [Contact(id="ann", company_id="acme", name="Ann Archer")])
    indexes = acme._read("SHOW INDEXES YIELD name, type, labelsOrTypes WHERE type = 'FULLTEXT'")
    assert {(r["name"], r["labelsOrTypes"][0]) for r in indexes} >= {
        ("Company_text", "Company"), ("Contact_text", "Contact")}  # fmt: skip

    def scan(*args: object, **kwargs: object) -> None:
        raise AssertionError("searched by scanning every node")

    monkeypatch.setattr(StoreBase, "search", scan)
    assert [n.id for n in acme.search("CME")] == ["acme"]
    assert [n.id for n in acme.search("rche", kinds=["contact"])] == ["ann"]


def test_two_bulk_writers_of_the_same_new_ids_do_not_collide(
    acme: Neo4jStore, request: pytest.FixtureRequest
) -> None:
    server = neo4j_server(request)
    other = Neo4jStore(server.uri, server.user, server.password, server.database)
    table = pa.Table.from_pylist(
        [{"id": f"q{i:05d}", "company_id": "acme", "name": f"Q {i}"} for i in range(20_000)]
    )
    errors: list[BaseException] = []

    def write(store: Neo4jStore) -> None:
        try:
            report = store.upsert_table("contact", table)
            assert report.rejected == [] and report.created + report.unchanged == 20_000
        except BaseException as exc:
            errors.append(exc)

    try:
        threads = [threading.Thread(target=write, args=(s,)) for s in (acme, other)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        other.close()
    assert errors == []
    counts = acme.counts()
    assert counts["contact"] == 20_000 and counts["EMPLOYED_AT"] == 20_000
