"""Admins manage users, tokens and teams over GraphQL while the server runs (issue 18.2)."""

from __future__ import annotations

from tests.unit.api.conftest import Api

ERRORS = """... on InvalidInput { message errors { field message } }
    ... on NotFoundError { message kind missing: id } ... on NotAllowed { message }"""


def _me(api: Api, token: str) -> int:
    r = api.client.post("/graphql", json={"query": "{ me { id } }"},
                        headers={"Authorization": f"Bearer {token}"})
    return r.status_code


def _issue(api: Api, user: str) -> dict:
    got = api.gql("ada", f"""mutation {{ createToken(userId: "{user}", name: "laptop",
        expiresInDays: 30) {{ __typename ... on IssuedToken {{ token record {{ id userId name
        state expiresAt revokedAt createdAt }} }} {ERRORS} }} }}""")
    return got["data"]["createToken"]


def test_a_revoked_token_is_refused_at_the_very_next_request(api: Api) -> None:
    issued = _issue(api, "u-ann")
    assert issued["record"]["state"] == "active" and issued["record"]["userId"] == "u-ann"
    assert _me(api, issued["token"]) == 200  # now trusted (and cached) by the server
    got = api.gql("ada", f"""mutation {{ revokeToken(id: "{issued['record']['id']}") {{
        __typename ... on ApiToken {{ id state revokedAt }} {ERRORS} }} }}""")
    assert got["data"]["revokeToken"]["state"] == "revoked"
    assert _me(api, issued["token"]) == 401


def test_a_deactivated_user_is_refused_at_once_and_listed_inactive(api: Api) -> None:
    assert _me(api, api.tokens["oscar"]) == 200
    got = api.gql("ada", f"""mutation {{ deactivateUser(id: "u-oscar") {{ __typename
        ... on User {{ id active }} {ERRORS} }} }}""")
    assert got["data"]["deactivateUser"] == {"__typename": "User", "id": "u-oscar",
                                             "active": False}
    assert _me(api, api.tokens["oscar"]) == 401
    back = api.gql("ada", """mutation { updateUser(id: "u-oscar", patch: {active: true,
        access: ANALYST}) { ... on User { active access } } }""")
    assert back["data"]["updateUser"] == {"active": True, "access": "ANALYST"}
    assert _me(api, api.tokens["oscar"]) == 200


def test_admins_list_tokens_without_their_secrets(api: Api) -> None:
    issued = _issue(api, "u-cara")
    got = api.gql("ada", """{ apiTokens(userId: "u-cara") { __typename
        ... on ApiTokenList { items { id userId name state } } ... on NotAllowed { message } } }""")
    items = got["data"]["apiTokens"]["items"]
    assert next(i["id"] for i in items) == issued["record"]["id"]
    assert all(i["userId"] == "u-cara" for i in items)
    assert issued["token"].split("_")[-1] not in str(got)


def test_create_user_then_put_them_on_a_team(api: Api) -> None:
    got = api.gql("ada", f"""mutation {{ createUser(input: {{id: "u-new", name: "New Hire",
        access: MEMBER}}) {{ __typename ... on User {{ id access active }} {ERRORS} }}
        assignTeam(accountId: "acme", userId: "u-new") {{ __typename ... on Account {{ id
        team {{ user {{ id }} role }} }} {ERRORS} }} }}""")
    assert got["data"]["createUser"]["__typename"] == "User"
    team = {t["user"]["id"] for t in got["data"]["assignTeam"]["team"]}
    assert "u-new" in team
    again = api.gql("ada", f"""mutation {{ createUser(input: {{id: "u-new", name: "Twice"}}) {{
        __typename {ERRORS} }} }}""")
    assert again["data"]["createUser"]["__typename"] == "InvalidInput"


def test_only_admins_administer(api: Api) -> None:
    for who in ("ann", "amy"):
        got = api.gql(who, f"""mutation {{
            a: createToken(userId: "u-{who}") {{ __typename {ERRORS} }}
            b: revokeToken(id: "tok-0000000000000000") {{ __typename {ERRORS} }}
            c: deactivateUser(id: "u-ada") {{ __typename {ERRORS} }}
            d: updateUser(id: "u-{who}", patch: {{access: ADMIN}}) {{ __typename {ERRORS} }}
            e: createUser(input: {{id: "u-x", name: "X"}}) {{ __typename {ERRORS} }} }}""")
        assert {v["__typename"] for v in got["data"].values()} == {"NotAllowed"}, got
        listing = api.gql(who, "{ apiTokens { __typename } }")
        assert listing["data"]["apiTokens"]["__typename"] == "NotAllowed"


def test_unknown_ids_and_bad_values_name_the_field(api: Api) -> None:
    got = api.gql("ada", f"""mutation {{
        a: revokeToken(id: "tok-0000000000000000") {{ __typename {ERRORS} }}
        b: createToken(userId: "u-nobody") {{ __typename {ERRORS} }}
        c: createToken(userId: "u-ann", expiresInDays: 0) {{ __typename {ERRORS} }}
        d: deactivateUser(id: "u-ada") {{ __typename {ERRORS} }} }}""")["data"]
    assert got["a"]["__typename"] == "NotFoundError" and got["a"]["missing"].startswith("tok-")
    assert got["b"]["__typename"] == "NotFoundError" and got["b"]["missing"] == "u-nobody"
    assert got["c"]["errors"][0]["field"] == "expiresInDays"
    assert got["d"]["__typename"] == "InvalidInput"  # not yourself: someone must stay admin


def test_admins_see_which_store_the_server_serves(api: Api) -> None:
    got = api.gql("ada", "{ serverStore { ... on ServerStore { kind location } } }")
    assert got["data"]["serverStore"]["location"].endswith("accountgraph.lbug")
    refused = api.gql("ann", "{ serverStore { __typename } }")
    assert refused["data"]["serverStore"]["__typename"] == "NotAllowed"


def test_create_user_names_every_invalid_field_at_once(api: Api) -> None:
    got = api.gql("ada", f"""mutation {{
        a: createUser(input: {{id: "bad id!", name: "", email: "not-an-email"}}) {{
            __typename {ERRORS} }}
        b: createUser(input: {{id: "u-ann", name: "", email: "ann@example.com"}}) {{
            __typename {ERRORS} }} }}""")["data"]
    assert sorted(e["field"] for e in got["a"]["errors"]) == ["email", "id", "name"]
    taken = {e["field"]: e["message"] for e in got["b"]["errors"]}
    assert set(taken) == {"id", "name"} and "exists" in taken["id"]
    assert api.store.get("user", "bad id!") is None
