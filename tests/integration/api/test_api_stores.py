"""The API over the real stores: same query, different viewers; audit; handover.

Runs against every backend of the ``store`` fixture (LadybugDB always, Neo4j when
reachable), with the small named world of the unit tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store import Store
from tests.unit.api.conftest import Api, populate, serve

VIEW = """{ account(id: "acme") {
    owner { id }
    readings { status missing }
    contacts(first: 50) { totalCount items { id category { primary } strength
        profileItems { key value redacted } } } } }"""


@pytest.fixture
def api(store: Store, tmp_path: Path) -> Iterator[Api]:
    yield from serve(populate(store), tmp_path)


def test_same_query_different_visibility(api: Api) -> None:
    team = api.gql("amy", VIEW)
    outsider = api.gql("oscar", VIEW)
    assert "sailing" in json.dumps(team)
    assert "sailing" not in json.dumps(outsider) and "two kids" not in json.dumps(outsider)
    # Everything but the hidden values is the same.
    for result in (team, outsider):
        for c in result["data"]["account"]["contacts"]["items"]:
            for item in c["profileItems"]:
                item.pop("value"), item.pop("redacted")
    assert team == outsider
    assert outsider["data"]["account"]["readings"]["missing"] == []


def test_personal_reads_are_audited_in_the_store(api: Api) -> None:
    api.gql("amy", VIEW)
    assert sorted((e.user_id, e.contact_id, e.field) for e in api.audit()) == [
        ("u-amy", "c-alice", "hobby"), ("u-amy", "c-bob", "family")]
    api.gql("oscar", VIEW)
    assert len(api.audit()) == 2


def test_handover_keeps_history(api: Api) -> None:
    result = api.gql("amy", """mutation { handOver(accountId: "acme", toUserId: "u-cara") {
        ... on Account { owner { id } ownershipHistory { user { id } until } } } }""")
    data = result["data"]["handOver"]
    assert data["owner"] == {"id": "u-cara"}
    assert [(h["user"]["id"], h["until"] is None) for h in data["ownershipHistory"]] == [
        ("u-amy", False), ("u-cara", True)]
    again = api.gql("ann", '{ account(id: "acme") { owner { id } } }')
    assert again["data"]["account"]["owner"] == {"id": "u-cara"}


def test_erasure_on_the_store(api: Api) -> None:
    done = api.gql("ada", """mutation { eraseContactPersonalData(contactId: "c-alice") {
        ... on Erasure { profileItemsRemoved } } }""")
    assert done["data"]["eraseContactPersonalData"] == {"profileItemsRemoved": 2}
    after = api.gql("ada", '{ contact(id: "c-alice") { email profileItems { key } } }')
    assert after["data"]["contact"] == {"email": None, "profileItems": []}


@pytest.fixture
def deals_api(store: Store, tmp_path: Path) -> Iterator[Api]:
    from tests.unit.api.test_database_http import add_deals

    yield from serve(add_deals(populate(store)), tmp_path)


def test_database_triggers_on_the_store(deals_api: Api) -> None:
    from api.database import AGGREGATE_TRIGGERS_FIELD
    from graph.readings.database import iter_opportunity_cases
    from graph.readings.triggers import revenue_triggers
    from tests.unit.api.test_database_http import TRIGGERS

    analyst = deals_api.gql("ann", TRIGGERS)["data"]["databaseReadings"]["revenueTriggers"]
    assert "golf" not in json.dumps(analyst)
    assert ("profile.school", "MIT") in {(x["feature"], x["value"]) for x in analyst["ranked"]}
    direct = revenue_triggers(iter_opportunity_cases(deals_api.store), min_support=5)
    assert [(x["feature"], x["value"], x["support"]) for x in analyst["ranked"]] == [
        (x.feature, x.value, x.support) for x in direct.ranked]
    admin = deals_api.gql("ada", TRIGGERS, {"personal": True})
    assert admin["data"]["databaseReadings"]["revenueTriggers"]["ranked"][0]["value"] == "golf"
    assert [(e.user_id, e.field) for e in deals_api.audit()] == [
        ("u-ada", AGGREGATE_TRIGGERS_FIELD)]


def test_a_running_server_weighs_evidence_anew_after_the_data_changes(api: Api) -> None:
    """Weights are estimated once per data change, not once per server start."""
    from graph import model as m

    app = api.client.app  # type: ignore[attr-defined]
    keeper = app.state.weights
    names = '{ account(id: "acme") { contacts(first: 50) { items { id } } } }'
    seen = api.gql("amy", names)["data"]["account"]["contacts"]["items"]
    assert keeper.refresh() is False  # nothing changed: no pass over the store
    old = keeper.rules
    # A write the server's caches were not told about (as an import by another
    # process would be, on a store object of its own).
    api.store.upsert("contact", [m.Contact(id="c-dan", company_id="acme", name="Dan Dale",
                                           title="Procurement Manager")])
    assert keeper.refresh() is True
    assert keeper.rules is not old and app.state.cache.readings_options["rules"] is keeper.rules
    now = api.gql("amy", names)["data"]["account"]["contacts"]["items"]
    assert {"id": "c-dan"} in now and {"id": "c-dan"} not in seen
