"""Questions an analyst asks across the database (issue 18, items 3 and 4).

The world of conftest: Acme (Software, EMEA, 2 contacts: Alice met in January,
Bob emailed in February) and Globex (Energy, NA, Carl, never touched).
"""

from __future__ import annotations

from typing import Any

from tests.unit.api.conftest import Api


def ids(result: dict[str, Any], field: str) -> list[str]:
    assert "errors" not in result, result["errors"]
    return [i["id"] for i in result["data"][field]["items"]]


def error(result: dict[str, Any]) -> str:
    assert result.get("errors"), result
    return str(result["errors"][0]["message"])


# -- item 3: unknown filter values are errors, open vocabularies ignore case -----------


def test_an_industry_matches_whatever_its_case(api: Api) -> None:
    q = '{ accounts(filter: {industry: "software"}) { totalCount items { id industry } } }'
    data = api.gql("ann", q)["data"]["accounts"]
    assert data == {"totalCount": 1, "items": [{"id": "acme", "industry": "Software"}]}
    q = '{ accounts(filter: {region: "emea"}, sort: NAME) { items { id } } }'
    assert ids(api.gql("ann", q), "accounts") == ["acme"]


def test_an_industry_nobody_has_is_an_error_listing_those_that_exist(api: Api) -> None:
    q = '{ accounts(filter: {industry: "healthcare"}) { totalCount } }'
    message = error(api.gql("ann", q))
    assert "industry 'healthcare' is not a value any account holds" in message
    assert "Energy, Software" in message
    # The same through the readings' path (sorted by status).
    q = '{ accounts(filter: {region: "Mars"}, sort: STATUS) { totalCount } }'
    assert "use one of EMEA, NA" in error(api.gql("ann", q))


def test_closed_vocabularies_are_enums_that_name_their_values(api: Api) -> None:
    message = error(api.gql("ann", '{ accounts(filter: {status: "at risk"}) { totalCount } }'))
    assert "AccountStatus" in message and "AT_RISK" in message  # the value it meant
    message = error(api.gql(
        "ann", '{ account(id: "acme") { contacts(category: "decision maker") { totalCount } } }'))
    assert "Category" in message
    schema = api.gql("ann", '{ __type(name: "Category") { enumValues { name } } }')
    names = {v["name"] for v in schema["data"]["__type"]["enumValues"]}
    assert {"DECISION_MAKER", "CHAMPION", "UNENGAGED"} <= names


def test_accounts_filtered_by_status_agree_with_their_readings(api: Api) -> None:
    statuses = {a["id"]: a["readings"]["status"] for a in api.gql(
        "ann", "{ accounts { items { id readings { status } } } }")["data"]["accounts"]["items"]}
    for status in set(statuses.values()):
        q = f"{{ accounts(filter: {{status: {status.upper()}}}) {{ items {{ id }} }} }}"
        assert ids(api.gql("ann", q), "accounts") == sorted(
            a for a, s in statuses.items() if s == status)


# -- item 4: sorts, cross-account contacts, search pages -------------------------------


def test_accounts_sorted_by_last_touch_put_the_untouched_last(api: Api) -> None:
    q = "{ accounts(sort: LAST_TOUCH) { items { id } } }"
    assert ids(api.gql("ann", q), "accounts") == ["acme", "globex"]
    q = "{ accounts(sort: CONTACTS) { items { id } } }"
    assert ids(api.gql("ann", q), "accounts") == ["acme", "globex"]
    q = "{ accounts(sort: CONTACTS, descending: false) { items { id } } }"
    assert ids(api.gql("ann", q), "accounts") == ["globex", "acme"]
    q = "{ accounts(sort: NAME, descending: true) { items { id } } }"
    assert ids(api.gql("ann", q), "accounts") == ["globex", "acme"]


def test_an_accounts_contacts_by_strength_and_with_a_minimum(api: Api) -> None:
    q = """{ account(id: "acme") { byName: contacts { items { id strength } }
             strongest: contacts(sort: STRENGTH) { items { id } }
             weakest: contacts(sort: STRENGTH, descending: false) { items { id } }
             latest: contacts(sort: LAST_TOUCH) { items { id } } } }"""
    data = api.gql("ann", q)["data"]["account"]
    strength = {c["id"]: c["strength"] for c in data["byName"]["items"]}
    by_strength = sorted(strength, key=lambda c: -strength[c])
    assert [c["id"] for c in data["strongest"]["items"]] == by_strength
    assert [c["id"] for c in data["weakest"]["items"]] == by_strength[::-1]
    assert [c["id"] for c in data["latest"]["items"]] == ["c-bob", "c-alice"]  # Feb, Jan
    cut = min(strength.values()) + 1e-9
    q = f'{{ account(id: "acme") {{ contacts(minStrength: {cut}) {{ items {{ id }} }} }} }}'
    page = api.gql("ann", q)["data"]["account"]["contacts"]
    assert [c["id"] for c in page["items"]] == [c for c in strength if strength[c] >= cut]
    assert len(page["items"]) < len(strength)


def test_contacts_across_accounts_filter_on_their_account(api: Api) -> None:
    q = """{ contacts(filter: {account: {region: "emea"}}) { totalCount items { id } } }"""
    assert ids(api.gql("ann", q), "contacts") == ["c-alice", "c-bob"]
    q = """{ contacts(filter: {account: {industry: "Energy"}}) { items { id companyId } } }"""
    assert api.gql("ada", q)["data"]["contacts"]["items"] == [
        {"id": "c-carl", "companyId": "globex"}]


def test_contacts_across_accounts_by_category_agree_with_each_account(api: Api) -> None:
    q = """{ accounts { items { contacts { items { id category { primary } } } } } }"""
    primary = {c["id"]: c["category"]["primary"]
               for a in api.gql("ann", q)["data"]["accounts"]["items"]
               for c in a["contacts"]["items"]}
    for category in set(primary.values()):
        q = f"{{ contacts(filter: {{categories: [{category.upper()}]}}) {{ items {{ id }} }} }}"
        assert ids(api.gql("ann", q), "contacts") == sorted(
            c for c, p in primary.items() if p == category)


def test_contacts_across_accounts_show_what_they_were_sorted_by_without_reading_accounts(
        api: Api) -> None:
    # The first page over a million contacts spans as many accounts as it has contacts:
    # reading each one for a strength took seconds. The kept rows already hold it.
    cache = api.client.app.state.cache  # type: ignore[attr-defined]
    api.gql("ann", "{ contacts { totalCount } }")  # the rows exist (they read every account)
    cache.invalidate(own_data_of=())  # forget every account read, tell nobody
    loads = cache.stats["graph_loads"]
    q = "{ contacts(sort: STRENGTH) { items { id strength category { primary } } } }"
    listed = api.gql("ann", q)["data"]["contacts"]["items"]
    assert cache.stats["graph_loads"] == loads
    assert [c["strength"] for c in listed] == sorted((c["strength"] for c in listed),
                                                      reverse=True)
    # The same values as each account's own view (which reads the account).
    q = "{ accounts { items { contacts { items { id strength category { primary } } } } } }"
    each = {c["id"]: c for a in api.gql("ann", q)["data"]["accounts"]["items"]
            for c in a["contacts"]["items"]}
    assert cache.stats["graph_loads"] > loads
    assert listed and all(c == each[c["id"]] for c in listed)
    # Asking for more than the primary category reads the account for its reasons.
    q = "{ contacts(first: 1) { items { category { primary reasons } } } }"
    assert api.gql("ann", q)["data"]["contacts"]["items"][0]["category"]["reasons"]


def test_contacts_not_touched_since_include_the_never_touched(api: Api) -> None:
    q = """{ contacts(filter: {notTouchedSince: "2026-01-20T00:00:00Z"}) { items { id } } }"""
    assert ids(api.gql("ann", q), "contacts") == ["c-alice", "c-carl"]
    q = """{ contacts(filter: {touchedSince: "2026-01-20T00:00:00Z"}) { items { id } } }"""
    assert ids(api.gql("ann", q), "contacts") == ["c-bob"]
    q = """{ contacts(sort: LAST_TOUCH) { items { id } } }"""
    assert ids(api.gql("ann", q), "contacts") == ["c-bob", "c-alice", "c-carl"]


def test_contacts_across_accounts_page_on_and_refuse_members(api: Api) -> None:
    q = """query($after: String) { contacts(first: 2, after: $after) { totalCount
             pageInfo { endCursor hasNextPage } items { id } } }"""
    first = api.gql("ann", q)["data"]["contacts"]
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"]
    rest = api.gql("ann", q, {"after": first["pageInfo"]["endCursor"]})["data"]["contacts"]
    assert [c["id"] for c in first["items"] + rest["items"]] == ["c-alice", "c-bob", "c-carl"]
    assert "for analysts and admins" in error(api.gql("amy", "{ contacts { totalCount } }"))
    q = "{ contacts(filter: {minStrength: 2}) { totalCount } }"
    assert "minStrength=2.0 is outside 0..1" in error(api.gql("ann", q))


def test_search_pages_with_a_total(api: Api) -> None:
    q = """query($after: String) { search(text: "co", first: 2, after: $after) {
             totalCount complete pageInfo { endCursor hasNextPage }
             items { __typename ... on Account { id } ... on Contact { id } } } }"""
    first = api.gql("ann", q)["data"]["search"]
    assert first["complete"] and first["pageInfo"]["hasNextPage"]
    rest = api.gql("ann", q, {"after": first["pageInfo"]["endCursor"]})["data"]["search"]
    found = [i["id"] for i in first["items"] + rest["items"]]
    assert len(found) == first["totalCount"] == len(set(found))
    # Companies first (Acme Corp, Globex.com), then contacts (Carl Cole, Bob the Controller).
    assert found == ["acme", "globex", "c-bob", "c-carl"]
