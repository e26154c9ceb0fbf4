"""The account view after a write shows the write, though its objects are shared between
requests while nothing changes (api/schema/views.py)."""

from __future__ import annotations

from typing import Any

from tests.unit.api.conftest import Api

VIEW = """{ account(id: "acme") { name contacts(first: 10) { items {
    id name strength category { primary } company { name } } } } }"""


def _view(api: Api) -> dict[str, Any]:
    account = api.gql("amy", VIEW)["data"]["account"]
    return {"name": account["name"],
            **{c["id"]: c for c in account["contacts"]["items"]}}


def test_renames_show_on_the_next_view(api: Api) -> None:
    before = _view(api)
    assert before["c-bob"]["name"] == "Bob Baker"
    assert before["c-bob"]["company"] == {"name": "Acme Corp"}
    api.gql("amy", 'mutation { updateContact(id: "c-bob", patch: {name: "Robert Baker"}) '
                   "{ __typename } }")
    api.gql("amy", 'mutation { updateCompany(id: "acme", patch: {name: "Acme Group"}) '
                   "{ __typename } }")
    after = _view(api)
    assert after["name"] == "Acme Group"
    assert after["c-bob"]["name"] == "Robert Baker"
    assert {c["company"]["name"] for k, c in after.items() if k != "name"} == {"Acme Group"}


def test_a_new_meeting_strengthens_the_contact_on_the_next_view(api: Api) -> None:
    before = _view(api)["c-bob"]["strength"] or 0.0
    api.gql("amy", """mutation { recordTouchpoint(input: {companyId: "acme", type: MEETING,
        at: "2026-11-01T10:00:00Z", contactIds: ["c-bob"], outcome: POSITIVE}) { __typename } }""")
    after = _view(api)["c-bob"]
    assert after["strength"] > before
    assert after["category"] is not None
