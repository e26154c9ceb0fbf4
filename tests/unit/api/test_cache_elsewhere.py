"""Writes by another process reach the account cache through the store's change marker."""

from __future__ import annotations

from api.cache import AccountCache
from graph import model as m
from tests.unit.api.conftest import build_world


def _hobbies(cache: AccountCache) -> set[str]:
    return {str(d.get("value")) for d in cache.nodes("acme", "profile_item")}


def test_an_erasure_in_another_process_empties_the_cache_at_the_next_look() -> None:
    store = build_world()
    told: list[tuple[str, ...]] = []
    cache = AccountCache(store, ttl=3600, version_every=0)
    cache.listeners.append(lambda *ids: told.append(ids))
    assert "sailing" in _hobbies(cache)
    store.as_another_process().erase_personal_data("c-alice")
    assert "sailing" not in _hobbies(cache)  # long before the ttl
    assert told == [()]  # the database readings re-read everything: they may hold it too


def test_other_writes_elsewhere_drop_the_accounts_but_spare_the_database_readings() -> None:
    store = build_world()
    told: list[tuple[str, ...]] = []
    cache = AccountCache(store, ttl=3600, version_every=0)
    cache.listeners.append(lambda *ids: told.append(ids))
    cache.graph("acme")
    store.as_another_process().upsert("contact", [
        m.Contact(id="c-new", company_id="acme", name="Nina New")])
    assert "Nina New" in {d["name"] for d in cache.nodes("acme", "contact")}
    assert told == []


def test_our_own_writes_do_not_empty_the_cache_and_the_marker_is_read_on_a_clock() -> None:
    store = build_world()
    cache = AccountCache(store, ttl=3600, version_every=3600)
    cache.graph("acme"), cache.graph("globex")
    loads = cache.stats["graph_loads"]
    store.upsert("contact", [m.Contact(id="c-new", company_id="acme", name="Nina New")])
    cache.invalidate("acme")  # what the API does after its own write
    cache.graph("acme"), cache.graph("globex")
    assert cache.stats["graph_loads"] == loads + 1  # globex was kept
    assert store.calls["data_version"] == 1  # once, then not again within the hour
