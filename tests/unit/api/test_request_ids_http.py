"""Every response names its request id, so a user's report can be matched to our log."""

from __future__ import annotations

import logging

import pytest

from tests.unit.api.conftest import Api


def test_the_callers_request_id_comes_back(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="accountgraph.api"):
        r = api.client.post("/graphql", json={"query": "{ me { id } }"},
                            headers={"Authorization": f"Bearer {api.tokens['ann']}",
                                     "X-Request-ID": "ticket-4711"})
    assert r.status_code == 200 and r.headers["x-request-id"] == "ticket-4711"
    line = next(rec for rec in caplog.records if rec.getMessage() == "request")
    assert (line.request_id, line.status, line.user_id) == ("ticket-4711", 200, "u-ann")


def test_a_request_without_one_gets_a_fresh_id(api: Api) -> None:
    ids = {api.client.get("/healthz").headers["x-request-id"] for _ in range(3)}
    assert len(ids) == 3 and all(ids)


def test_a_crash_in_a_route_is_a_500_naming_the_request_id(api: Api) -> None:
    def boom(company_id: str) -> None:
        raise RuntimeError("driver said: secret")

    api.store.account_data = boom  # type: ignore[method-assign,assignment]
    r = api.client.get("/accounts/acme/export",
                       headers={"Authorization": f"Bearer {api.tokens['ann']}"})
    rid = r.headers["x-request-id"]
    assert r.status_code == 500 and "secret" not in r.text
    assert r.json()["detail"].endswith(f"request id {rid}")
