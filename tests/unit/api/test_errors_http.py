"""Bad requests get clear errors: no stack traces, nothing about the database."""

from __future__ import annotations

import json

import pytest

from tests.unit.api.conftest import Api

LEAKS = ("Traceback", "File \"", "MemStore", "ladybug", "Cypher", "site-packages")


def _errors(api: Api, query: str, variables: dict | None = None) -> list[str]:
    result = api.gql("ann", query, variables)
    body = json.dumps(result)
    for leak in LEAKS:
        assert leak not in body, body
    return [e["message"] for e in result.get("errors", [])]


def test_malformed_graphql(api: Api) -> None:
    assert any("Syntax Error" in m for m in _errors(api, "{ account(id: "))


def test_unknown_field_names_it(api: Api) -> None:
    msgs = _errors(api, '{ account(id: "acme") { salary } }')
    assert msgs == ["Cannot query field 'salary' on type 'Account'."]


def test_wrong_type(api: Api) -> None:
    msgs = _errors(api, "query($n: Int!) { accounts(first: $n) { totalCount } }", {"n": "ten"})
    assert "Int cannot represent non-integer value" in msgs[0]


def test_oversized_page(api: Api) -> None:
    msgs = _errors(api, '{ account(id: "acme") { contacts(first: 5000) { totalCount } } }')
    assert msgs == ["first=5000 is outside 1..200 (the maximum page size); ask for fewer and "
                    "page on with `after: pageInfo.endCursor`"]


def test_too_deep(api: Api) -> None:
    nest = "reportsTo { " * 11 + "id" + " }" * 11
    msgs = _errors(api, f'{{ contact(id: "c-bob") {{ {nest} }} }}')
    assert msgs and "exceeds maximum operation depth of 10" in msgs[0]


def test_too_costly(api: Api) -> None:
    q = """{ accounts(first: 200) { items { contacts(first: 200) { items {
             colleagues(first: 200) { items { id } } } } } } }"""
    msgs = _errors(api, q)
    assert msgs and msgs[0].startswith("query cost ") and "over the limit" in msgs[0]


def test_an_analysts_nested_pages_run_costing_what_is_there(api: Api) -> None:
    # Refused before at "cost 60,151": the worst case of 50 accounts of 200 contacts.
    q = """{ accounts(first: 50) { items { id contacts(first: 200) { totalCount
             items { id name title strength category { primary } } } } } }"""
    result = api.gql("ann", q)
    assert "errors" not in result, result["errors"]
    assert sum(len(a["contacts"]["items"]) for a in result["data"]["accounts"]["items"]) == 3


def test_a_query_that_resolves_too_much_is_stopped_while_running(
        api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.schema import limits

    q = """{ accounts(first: 50) { items { id contacts(first: 200) { items { id name } } } } }"""
    monkeypatch.setattr(limits, "MAX_RESOLVED", 5)  # 2 accounts x 1 field, then 2 x 2 + 1 x 2
    msgs = _errors(api, q)
    assert msgs and msgs[0].startswith("this query resolves more than 5 fields (at accounts.")
    assert "page on with after" in msgs[0]


def test_too_many_aliases(api: Api) -> None:
    q = "{ " + " ".join(f'a{i}: me {{ id }}' for i in range(25)) + " }"
    msgs = _errors(api, q)
    assert msgs and "aliases found" in msgs[0]


@pytest.mark.parametrize("bad, expect", [
    ("no-such", "no company with id 'no-such'"),
    ("bad id!", "id 'bad id!' is not a valid id"),
])
def test_bad_ids(api: Api, bad: str, expect: str) -> None:
    msgs = _errors(api, "query($id: ID!) { account(id: $id) { name } }", {"id": bad})
    assert msgs and msgs[0].startswith(expect)


def test_bad_cursor(api: Api) -> None:
    msgs = _errors(api, '{ accounts(after: "xyz") { totalCount } }')
    assert msgs and "is not one this list gave out" in msgs[0]


def test_unexpected_failure_is_masked_with_request_id(api: Api) -> None:
    def boom(company_id: str) -> None:
        raise RuntimeError("Binder exception: table Company at /secret/path.lbug")

    api.store.account_data = boom  # type: ignore[method-assign,assignment]
    msgs = _errors(api, '{ account(id: "acme") { name } }')
    assert len(msgs) == 1
    assert msgs[0].startswith("internal error; it has been logged with request id ")
    assert "Binder" not in msgs[0] and "/secret" not in msgs[0]


@pytest.mark.parametrize("header, reason", [
    (None, "no token: send 'Authorization: Bearer <token>'"),
    ("Basic abc", "the Authorization header must be 'Bearer <token>'"),
    ("Bearer nonsense", "malformed token"),
    ("Bearer ag_tok-0000_wrong", "unknown token"),
])
def test_401_with_one_line_reason(api: Api, header: str | None, reason: str) -> None:
    headers = {"Authorization": header} if header else {}
    r = api.client.post("/graphql", json={"query": "{ me { id } }"}, headers=headers)
    assert r.status_code == 401
    detail = r.json()["detail"]
    assert detail.startswith(reason) and "\n" not in detail



def test_health_and_ready(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    assert api.client.get("/readyz").json() == {"status": "ready"}
