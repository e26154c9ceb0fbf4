"""What only the Neo4j store has to get right, against a real Neo4j 5 server.

The shared contract is in test_store_contract.py; these cases cover the
server-specific parts: its one-line errors, its schema, how values cross the
Bolt boundary, transactions in chunks, and concurrent writers.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from graph.errors import StoreUnavailable
from graph.model import Company, Contact, Opportunity, Touchpoint
from graph.schema import NODE_KINDS
from graph.stores.base import VERSION_LABEL
from graph.stores.neo4j import INDEXED, Neo4jStore
from tests.integration.neo4j_fixture import neo4j_server, neo4j_store

pytestmark = pytest.mark.neo4j


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


def test_opening_twice_keeps_one_constraint_per_label_and_the_indexes(
    neo: Neo4jStore, request: pytest.FixtureRequest
) -> None:
    server = neo4j_server(request)
    Neo4jStore(server.uri, server.user, server.password, server.database).close()
    rows = neo._read("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type")
    unique = [
        (r["labelsOrTypes"][0], r["properties"])
        for r in rows
        if r["type"] in ("UNIQUENESS", "NODE_PROPERTY_UNIQUENESS")
    ]
    assert sorted(unique) == sorted([(k.label, ["id"]) for k in NODE_KINDS.values()]
                                    + [(VERSION_LABEL, ["id"])])  # the change marker
    indexed = {
        (r["labelsOrTypes"][0], r["properties"][0])
        for r in neo._read("SHOW INDEXES YIELD labelsOrTypes, properties")
        if r["labelsOrTypes"]
    }
    for kind, fields in INDEXED.items():
        for f in fields:
            assert (NODE_KINDS[kind].label, f) in indexed


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
