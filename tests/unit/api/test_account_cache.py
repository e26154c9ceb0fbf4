"""The account cache past its ttl: the old account at once, the new one right behind it."""

from __future__ import annotations

import time

from api.cache import AccountCache
from graph import model as m
from tests.unit.api.conftest import build_world


def _names(cache: AccountCache, company_id: str) -> set[str]:
    return {d["name"] for d in cache.nodes(company_id, "contact")}


def _wait_refreshed(cache: AccountCache, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while cache._refreshing and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not cache._refreshing, "the re-read did not finish"


def test_past_the_ttl_the_old_account_is_served_while_it_is_re_read() -> None:
    store = build_world()
    cache = AccountCache(store, ttl=3600)
    before = _names(cache, "globex")
    readings = cache.readings("globex")
    # Another process writes (nobody tells this cache).
    store.upsert("contact", [m.Contact(id="c-new", company_id="globex", name="Nina New")])
    assert _names(cache, "globex") == before  # within the ttl: unchanged
    cache._entries["globex"].loaded -= 3600  # the ttl has passed
    assert _names(cache, "globex") == before  # served at once, not after a reload
    _wait_refreshed(cache)
    assert _names(cache, "globex") == before | {"Nina New"}
    # The readings came back with the re-read: the next view does not compute them.
    computed = cache.stats["readings_computed"]
    assert cache.readings("globex") is not readings
    assert cache.stats["readings_computed"] == computed


def test_a_write_during_a_read_is_not_hidden_by_what_was_read() -> None:
    store = build_world()
    cache = AccountCache(store, ttl=3600)
    read = store.account_data

    def read_then_written(company_id: str, **kw: object) -> object:
        data = read(company_id, **kw)  # type: ignore[arg-type]
        store.upsert("contact", [m.Contact(id="c-late", company_id=company_id, name="Lee Late")])
        cache.invalidate(company_id)  # the write lands while the read is under way
        return data

    store.account_data = read_then_written  # type: ignore[method-assign,assignment]
    assert "Lee Late" not in _names(cache, "acme")  # this caller gets what was read...
    store.account_data = read  # type: ignore[method-assign]
    assert "Lee Late" in _names(cache, "acme")  # ...but it was not kept
