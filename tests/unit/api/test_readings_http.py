"""The account view with readings: served from cache until a write changes the account."""

from __future__ import annotations

from tests.unit.api.conftest import Api

# Threads the server starts itself (walks, saves, signal weights, cache refreshes):
# their store calls run beside a request's, on their own schedule.
BACKGROUND = ("account-list", "database-readings", "weights", "refresh-")

VIEW = """{ account(id: "acme") {
    owner { id }
    readings { status reasons missing mix { total categories { category count } }
               breadth { departmentsCovered } whitespace { emptyDepartments }
               keyPeople { central { name } } }
    contacts(first: 100) { items { id category { primary reasons } strength
                                   company { name } } } } }"""


def test_account_view_has_readings_and_categories(api: Api) -> None:
    data = api.gql("ann", VIEW)["data"]["account"]
    assert data["owner"] == {"id": "u-amy"}
    assert data["readings"]["status"]
    assert data["readings"]["missing"] == []
    alice = next(c for c in data["contacts"]["items"] if c["id"] == "c-alice")
    assert alice["category"]["primary"] and alice["category"]["reasons"]
    assert 0 < alice["strength"] < 1  # she met Amy in January
    assert alice["company"] == {"name": "Acme Corp"}


def test_readings_not_recomputed_until_a_write(api: Api) -> None:
    cache = api.client.app.state.cache  # type: ignore[attr-defined]
    api.gql("ann", VIEW)
    api.gql("oscar", VIEW)
    assert cache.stats == {"graph_loads": 1, "readings_computed": 1}
    result = api.gql("amy", """mutation { recordTouchpoint(input: {companyId: "acme",
        type: CALL, at: "2026-03-01T10:00:00Z", contactIds: ["c-bob"]}) {
        __typename ... on Touchpoint { id userIds } } }""")
    assert result["data"]["recordTouchpoint"]["userIds"] == ["u-amy"]
    api.gql("ann", VIEW)
    assert cache.stats == {"graph_loads": 2, "readings_computed": 2}


def test_strength_as_of_a_date_before_any_touchpoint_is_zero(api: Api) -> None:
    q = """{ contact(id: "c-alice") { now: strength
             before: strength(asOf: "2025-06-01T00:00:00Z") } }"""
    data = api.gql("ann", q)["data"]["contact"]
    assert data["before"] == 0
    assert data["now"] > 0


def test_store_calls_do_not_grow_with_contacts(api: Api) -> None:
    store, cache = api.store, api.client.app.state.cache  # type: ignore[attr-defined]

    def calls_for_view() -> int:
        cache.invalidate()
        store.calls_by_thread.clear()
        data = api.gql("ann", VIEW)["data"]["account"]
        assert all(c["company"] == {"name": "Acme Corp"} for c in data["contacts"]["items"])
        # The request's own calls: the change marker is read on a clock (at most once
        # a second), not per contact; background walks are not the view's doing.
        return sum(n for thread, calls in store.calls_by_thread.items()
                   if not thread.startswith(BACKGROUND)
                   for call, n in calls.items() if call != "data_version")

    api.gql("ann", "{ me { id } }")  # the token check is cached from here on
    few = calls_for_view()
    store.upsert("contact", [
        {"id": f"c-extra-{i}", "company_id": "acme", "name": f"Extra {i}"} for i in range(60)])
    assert calls_for_view() == few <= 3


def test_influence_path_from_me_and_honest_no_path(api: Api) -> None:
    q = """{ influencePaths(contactId: "c-bob") { targetName reasons
             paths { strength hops { fromKey toKey evidence } } } }"""
    mine = api.gql("amy", q)["data"]["influencePaths"]
    assert mine["targetName"] == "Bob Baker"
    assert mine["paths"], mine
    first = mine["paths"][0]["hops"]
    assert first[0]["fromKey"] == "user:u-amy" and first[-1]["toKey"] == "contact:c-bob"
    none = api.gql("oscar", q)["data"]["influencePaths"]
    assert none["paths"] == [] and none["reasons"]
    # Oscar has no route of his own; he is told whom on our side to ask.
    assert none["reasons"][-1].startswith("from anyone on our side: ask Amy Owner")


def test_analysts_and_admins_get_paths_from_anyone_on_our_side(api: Api) -> None:
    q = """{ influencePaths(contactId: "c-bob") { paths { hops { fromKey toKey } } } }"""
    for who in ("ann", "ada"):  # on no account team themselves
        paths = api.gql(who, q)["data"]["influencePaths"]["paths"]
        assert paths and paths[0]["hops"][0]["fromKey"] == "user:u-amy", who


def test_company_of_a_contact_whose_account_is_not_cached(api: Api) -> None:
    api.client.app.state.cache.invalidate()  # type: ignore[attr-defined]
    data = api.gql("ann", '{ contact(id: "c-carl") { name company { name region } } }')
    assert data == {"data": {"contact": {"name": "Carl Cole",
                                         "company": {"name": "Globex", "region": "NA"}}}}


def test_an_account_with_no_department_or_seniority_data_says_unknown(api: Api) -> None:
    q = """{ account(id: "globex") { readings { status notes unknown
                                            breadth { departmentCoverage } } } }"""
    r = api.gql("ann", q)["data"]["account"]["readings"]
    assert r["unknown"] == ["departments", "seniority", "outcomes"]
    assert r["breadth"]["departmentCoverage"] is None
    assert "no data on departments: not counted as a gap" in r["notes"]
    acme = api.gql("ann", '{ account(id: "acme") { readings { unknown } } }')
    assert "departments" not in acme["data"]["account"]["readings"]["unknown"]
