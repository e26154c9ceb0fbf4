"""Client mistakes are one JSON line at info; only our faults carry a traceback (issue 18.7)."""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.logs import JsonFormatter
from tests.unit.api.conftest import Api

MISTAKES = [
    '{ accounts(first: 100000) { totalCount } }',  # a bad first
    '{ accounts(after: "xyz") { totalCount } }',  # a bad cursor
    '{ account(id: "bad id!") { name } }',  # a bad id
    '{ account(id: "acme") { nosuchfield } }',  # does not validate
    '{ account(id: ',  # does not parse
]


@pytest.mark.parametrize("query", MISTAKES)
def test_a_client_mistake_is_one_info_line(api: Api, caplog: pytest.LogCaptureFixture,
                                           query: str) -> None:
    caplog.set_level(logging.DEBUG)
    r = api.client.post("/graphql", json={"query": query},
                        headers={"Authorization": f"Bearer {api.tokens['ada']}"})
    assert r.json().get("errors")
    assert [rec for rec in caplog.records if rec.levelno >= logging.WARNING] == []
    assert all(rec.exc_info is None for rec in caplog.records)
    assert not [rec for rec in caplog.records if rec.name.startswith("strawberry")]
    lines = [JsonFormatter().format(rec) for rec in caplog.records
             if rec.getMessage() == "client error"]
    assert lines, "the mistake is logged"
    record = json.loads(lines[0])
    assert record["level"] == "info" and "\n" not in lines[0] and record["error"]
    assert record["request_id"] == r.headers["x-request-id"]


def test_our_fault_is_an_error_with_its_traceback_inside_the_json(
        api: Api, caplog: pytest.LogCaptureFixture) -> None:
    def boom(company_id: str, **kwargs: object) -> None:
        raise RuntimeError("the disk caught fire")

    api.store.account_data = boom  # type: ignore[method-assign,assignment]
    caplog.set_level(logging.DEBUG)
    api.gql("ada", '{ account(id: "acme") { readings { status } } }')
    # The request's fault, once (the home page's account list, reading in the
    # background, meets the same fault and says so in a record of its own).
    errors = [rec for rec in caplog.records
              if rec.levelno >= logging.ERROR and getattr(rec, "request_id", None)]
    assert len(errors) == 1
    line = JsonFormatter().format(errors[0])
    assert "\n" not in line  # one line: the traceback is a field of the record
    assert "the disk caught fire" in json.loads(line)["exc"]


def test_the_servers_libraries_log_as_json() -> None:
    from api.logs import configure

    configure("INFO")
    for name in ("uvicorn.error", "strawberry"):
        logger = logging.getLogger(name)
        streams = [h for h in logger.handlers if type(h) is logging.StreamHandler]
        assert streams and all(isinstance(h.formatter, JsonFormatter) for h in streams)
        assert not logger.propagate  # never also printed as plain text by the root logger


def test_a_client_that_hangs_up_is_one_info_line(api: Api,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    import asyncio

    from starlette.types import Message

    async def hang_up() -> Message:
        return {"type": "http.disconnect"}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/graphql", "raw_path": b"/graphql",
             "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
             "server": ("testserver", 80), "client": ("testclient", 1),
             "headers": [(b"authorization", f"Bearer {api.tokens['ada']}".encode()),
                         (b"content-type", b"application/json"),
                         (b"content-length", b"40")]}
    caplog.set_level(logging.DEBUG)
    # On a thread of its own: the browser tests' sync Playwright may hold an event
    # loop on this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, api.client.app(scope, hang_up, send)).result()  # type: ignore[arg-type]
    assert [rec for rec in caplog.records if rec.levelno >= logging.WARNING] == []
    assert all(rec.exc_info is None for rec in caplog.records)
    assert [rec.getMessage() for rec in caplog.records].count("client went away") == 1
    assert not any(m.get("status") == 500 for m in sent)
