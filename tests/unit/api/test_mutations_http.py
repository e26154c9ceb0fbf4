"""Mutations: results or typed errors naming the field; handover keeps history."""

from __future__ import annotations

import json
from typing import Any

from graph import model as m
from tests.unit.api.conftest import Api

HANDOVER = """mutation($to: ID!) { handOver(accountId: "acme", toUserId: $to) {
    __typename
    ... on Account { owner { id } ownershipHistory { user { id } until } team { user { id } } }
    ... on NotAllowed { message }
    ... on InvalidInput { errors { field message } }
} }"""


def test_handover_moves_ownership_and_keeps_history(api: Api) -> None:
    result = api.gql("amy", HANDOVER, {"to": "u-cara"})["data"]["handOver"]
    assert result["owner"] == {"id": "u-cara"}
    history = result["ownershipHistory"]
    assert [h["user"]["id"] for h in history] == ["u-amy", "u-cara"]
    assert history[0]["until"] is not None and history[1]["until"] is None
    assert [t["user"]["id"] for t in result["team"]] == ["u-cara"]


def test_after_handover_the_new_owner_sees_personal_notes_and_the_old_does_not(api: Api) -> None:
    q = '{ contact(id: "c-alice") { profileItems { key value } } }'
    assert "sailing" not in json.dumps(api.gql("cara", q))
    api.gql("amy", HANDOVER, {"to": "u-cara"})
    assert "sailing" in json.dumps(api.gql("cara", q))
    assert "sailing" not in json.dumps(api.gql("amy", q))


def test_only_owner_or_admin_may_hand_over(api: Api) -> None:
    result = api.gql("oscar", HANDOVER, {"to": "u-oscar"})["data"]["handOver"]
    assert result == {"__typename": "NotAllowed",
                      "message": "only the owner of account 'acme' or an admin may"}


def test_handover_to_unknown_user_names_the_field(api: Api) -> None:
    result = api.gql("ada", """mutation { handOver(accountId: "acme", toUserId: "u-nobody") {
        __typename ... on NotFoundError { kind id message } } }""")["data"]["handOver"]
    assert result == {"__typename": "NotFoundError", "kind": "user", "id": "u-nobody",
                      "message": "no user with id 'u-nobody'"}


def test_invalid_input_names_the_field(api: Api) -> None:
    result = api.gql("ann", """mutation { createContact(input: {id: "c-new", companyId: "acme",
        name: "Neo", email: "not-an-email"}) {
        __typename ... on InvalidInput { errors { field message } } } }""")
    errors = result["data"]["createContact"]["errors"]
    assert errors[0]["field"] == "email"
    assert "not an email address" in errors[0]["message"]


def test_create_contact_in_a_department_then_read_it(api: Api) -> None:
    result = api.gql("ann", """mutation { createContact(input: {id: "c-new", companyId: "acme",
        name: "Neo", department: LEGAL, seniority: VP}) {
        __typename ... on Contact { id department { function } } } }""")
    assert result["data"]["createContact"] == {"__typename": "Contact", "id": "c-new",
                                               "department": {"function": "LEGAL"}}


def test_update_company_changes_only_given_fields(api: Api) -> None:
    result = api.gql("ann", """mutation { updateCompany(id: "acme", patch: {region: "APAC"}) {
        ... on Account { name region industry } } }""")
    assert result["data"]["updateCompany"] == {"name": "Acme Corp", "region": "APAC",
                                               "industry": "Software"}


def test_members_cannot_edit_accounts_they_are_not_on(api: Api) -> None:
    result = api.gql("oscar", """mutation { updateCompany(id: "acme", patch: {region: "X"}) {
        __typename ... on NotAllowed { message } } }""")
    assert result["data"]["updateCompany"]["__typename"] == "NotAllowed"


def test_profile_items_need_the_team(api: Api) -> None:
    add = """mutation($who: ID!) { addProfileItem(input: {contactId: $who, key: "sport",
        value: "tennis"}) { __typename ... on ProfileItem { key value redacted } } }"""
    assert api.gql("oscar", add, {"who": "c-alice"})["data"]["addProfileItem"] == {
        "__typename": "NotAllowed"}
    assert api.gql("amy", add, {"who": "c-alice"})["data"]["addProfileItem"] == {
        "__typename": "ProfileItem", "key": "sport", "value": "tennis", "redacted": False}
    q = '{ contact(id: "c-alice") { profileItems { key value } } }'
    assert {"key": "sport", "value": None} in api.gql("ann", q)["data"]["contact"]["profileItems"]


def test_set_reports_to_and_clear(api: Api) -> None:
    q = """mutation($m: ID) { setReportsTo(contactId: "c-alice", managerId: $m) {
        ... on Contact { reportsTo { id } } } }"""
    assert api.gql("ann", q, {"m": "c-bob"})["data"]["setReportsTo"] == {
        "reportsTo": {"id": "c-bob"}}
    assert api.gql("ann", q, {"m": None})["data"]["setReportsTo"] == {"reportsTo": None}


def test_set_knows_rejects_strength_out_of_range(api: Api) -> None:
    result = api.gql("ann", """mutation { setKnows(sourceId: "u-ann", targetId: "c-carl",
        strength: 3) { __typename ... on InvalidInput { errors { field } } } }""")
    assert result["data"]["setKnows"] == {"__typename": "InvalidInput",
                                          "errors": [{"field": "strength"}]}


def test_erasure_is_admin_only_and_audited(api: Api) -> None:
    q = """mutation { eraseContactPersonalData(contactId: "c-alice") { __typename
        ... on Erasure { profileItemsRemoved fieldsCleared } } }"""
    assert api.gql("amy", q)["data"]["eraseContactPersonalData"] == {"__typename": "NotAllowed"}
    done = api.gql("ada", q)["data"]["eraseContactPersonalData"]
    assert done == {"__typename": "Erasure", "profileItemsRemoved": 2,
                    "fieldsCleared": ["email", "phone"]}
    assert [(e.user_id, e.contact_id, e.action) for e in api.audit()] == [
        ("u-ada", "c-alice", m.AuditAction.ERASE)]
    after = api.gql("ada", '{ contact(id: "c-alice") { email profileItems { key } } }')
    assert after["data"]["contact"] == {"email": None, "profileItems": []}


def test_only_admins_create_users(api: Api) -> None:
    q = """mutation { createUser(input: {id: "u-new", name: "New", access: ANALYST}) {
        __typename ... on User { access } } }"""
    assert api.gql("ann", q)["data"]["createUser"] == {"__typename": "NotAllowed"}
    assert api.gql("ada", q)["data"]["createUser"] == {"__typename": "User",
                                                       "access": "ANALYST"}


def fields_of(result: dict[str, Any]) -> list[str]:
    assert result["__typename"] == "InvalidInput", result
    return [e["field"] for e in result["errors"]]


def test_every_invalid_field_comes_back_at_once(api: Api) -> None:
    result = api.gql("ann", """mutation { createContact(input: {id: "bad id!", companyId: "acme",
        name: "", email: "not-an-email"}) { __typename
        ... on InvalidInput { message errors { field message } } } }""")["data"]["createContact"]
    assert sorted(fields_of(result)) == ["email", "id", "name"]
    assert "(and 2 more: see errors)" in result["message"]
    assert api.store.get("contact", "bad id!") is None


def test_an_unknown_account_is_listed_with_the_other_problems(api: Api) -> None:
    result = api.gql("ann", """mutation { createContact(input: {id: "c-x", companyId: "nope",
        name: ""}) { __typename ... on InvalidInput { errors { field message } } } }""")
    errors = result["data"]["createContact"]["errors"]
    assert {e["field"]: e["message"] for e in errors}["companyId"] == "no company with id 'nope'"
    assert sorted(fields_of(result["data"]["createContact"])) == ["companyId", "name"]
    # Alone, an unknown account is still a NotFoundError.
    alone = api.gql("ann", """mutation { createContact(input: {id: "c-x", companyId: "nope",
        name: "X"}) { __typename ... on NotFoundError { kind id } } }""")
    assert alone["data"]["createContact"] == {"__typename": "NotFoundError", "kind": "company",
                                              "id": "nope"}


def test_a_touchpoint_names_each_bad_participant(api: Api) -> None:
    result = api.gql("ann", """mutation { recordTouchpoint(input: {companyId: "acme", type: CALL,
        at: "2026-03-01T10:00:00Z", contactIds: ["c-alice", "c-ghost", "no way"],
        campaign: ""}) { __typename ... on InvalidInput { errors { field message } } } }""")
    assert fields_of(result["data"]["recordTouchpoint"]) == ["contactIds.2", "contactIds.1"]


def test_updates_report_every_field_too(api: Api) -> None:
    result = api.gql("ann", """mutation { updateCompany(id: "acme", patch: {name: "",
        domain: null}) { __typename ... on InvalidInput { errors { field } } } }""")
    assert fields_of(result["data"]["updateCompany"]) == ["name"]
    result = api.gql("ann", """mutation { updateContact(id: "c-bob", patch: {name: "",
        email: "nope", companyId: "nowhere"}) { __typename
        ... on InvalidInput { errors { field } } } }""")
    assert sorted(fields_of(result["data"]["updateContact"])) == ["companyId", "email", "name"]
