"""Same query, different viewers: personal values only for the team and admins."""

from __future__ import annotations

import json

import pytest

from tests.unit.api.conftest import Api

ACCOUNT_VIEW = """
query($id: ID!) {
  account(id: $id) {
    name
    canSeePersonal
    contacts(first: 10) {
      totalCount
      items { id name profileItems { key value redacted visibility } }
    }
  }
}
"""


def _items(result: dict) -> dict[str, dict]:
    out = {}
    for c in result["data"]["account"]["contacts"]["items"]:
        for i in c["profileItems"]:
            out[i["key"]] = i
    return out


@pytest.mark.parametrize("who", ["amy", "ada"])
def test_team_member_and_admin_see_personal_values(api: Api, who: str) -> None:
    items = _items(api.gql(who, ACCOUNT_VIEW, {"id": "acme"}))
    assert items["hobby"] == {"key": "hobby", "value": "sailing", "redacted": False,
                              "visibility": "PERSONAL"}
    assert items["family"]["value"] == "two kids"


@pytest.mark.parametrize("who", ["ann", "oscar"])
def test_analyst_and_outsider_get_key_and_redacted_marker(api: Api, who: str) -> None:
    result = api.gql(who, ACCOUNT_VIEW, {"id": "acme"})
    items = _items(result)
    assert items["hobby"] == {"key": "hobby", "value": None, "redacted": True,
                              "visibility": "PERSONAL"}
    assert items["family"]["value"] is None
    # Public items are for every signed-in user.
    assert items["school"]["value"] == "MIT"
    assert result["data"]["account"]["canSeePersonal"] is False
    body = json.dumps(result)
    assert "sailing" not in body and "two kids" not in body


def test_nested_path_through_colleagues_and_reporting_line_is_redacted(api: Api) -> None:
    q = """{ contact(id: "c-bob") {
        reportsTo { profileItems { key value } }
        reportingLine { profileItems { value } }
        colleagues(first: 5) { items { profileItems { value } } }
        company { contacts(first: 5) { items { profileItems { value } } } }
    } }"""
    outsider = json.dumps(api.gql("oscar", q))
    assert "sailing" not in outsider and "two kids" not in outsider
    assert "sailing" in json.dumps(api.gql("amy", q))


def test_filter_on_hidden_value_reveals_nothing_to_outsider(api: Api) -> None:
    q = """query($v: String) { account(id: "acme") {
        contacts(profile: {key: "hobby", value: $v}) { totalCount items { id } } } }"""
    right = api.gql("oscar", q, {"v": "sailing"})["data"]["account"]["contacts"]
    wrong = api.gql("oscar", q, {"v": "chess"})["data"]["account"]["contacts"]
    # Guessing right and guessing wrong must look the same.
    assert right == wrong == {"totalCount": 0, "items": []}
    team = api.gql("amy", q, {"v": "sailing"})["data"]["account"]["contacts"]
    assert team["items"] == [{"id": "c-alice"}]


def test_filter_on_public_value_works_for_everyone(api: Api) -> None:
    q = """{ account(id: "acme") { contacts(profile: {key: "school", value: "mit"}) {
        items { id } } } }"""
    assert api.gql("oscar", q)["data"]["account"]["contacts"]["items"] == [{"id": "c-alice"}]


def test_search_never_matches_profile_values(api: Api) -> None:
    q = """{ search(text: "sailing") { totalCount items { __typename } } }"""
    assert api.gql("oscar", q)["data"]["search"] == {"totalCount": 0, "items": []}
    q = """{ search(text: "alice") { items { ... on Contact { id profileItems { value } } } } }"""
    body = json.dumps(api.gql("oscar", q))
    assert "c-alice" in body and "sailing" not in body


def test_every_personal_read_leaves_an_audit_row(api: Api) -> None:
    r = api.client.post("/graphql", json={"query": ACCOUNT_VIEW, "variables": {"id": "acme"}},
                        headers={"Authorization": f"Bearer {api.tokens['amy']}",
                                 "X-Request-ID": "req-audit-1"})
    assert r.status_code == 200
    rows = {(e.user_id, e.contact_id, e.field, e.door, e.request_id) for e in api.audit()}
    assert rows == {("u-amy", "c-alice", "hobby", "graphql", "req-audit-1"),
                    ("u-amy", "c-bob", "family", "graphql", "req-audit-1")}


def test_redacted_and_public_reads_are_not_audited(api: Api) -> None:
    api.gql("oscar", ACCOUNT_VIEW, {"id": "acme"})
    assert api.audit() == []


def test_admins_can_query_the_audit_trail_and_others_cannot(api: Api) -> None:
    api.gql("amy", ACCOUNT_VIEW, {"id": "acme"})
    q = """{ auditEvents(contactId: "c-alice") { totalCount items { userId field door } } }"""
    events = api.gql("ada", q)["data"]["auditEvents"]
    assert events["items"] == [{"userId": "u-amy", "field": "hobby", "door": "graphql"}]
    denied = api.gql("amy", q)
    assert denied["data"] is None
    assert denied["errors"][0]["message"] == "only admins may read the audit trail"
