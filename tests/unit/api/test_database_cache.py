"""The database readings' rows: read once, re-read on writes, refreshed behind the scenes."""

from __future__ import annotations

import time

from api.database import DatabaseReadings
from graph import model as m
from tests.unit.api.conftest import build_world


def _contacts(db: DatabaseReadings) -> int:
    return sum(r.summary["contacts"] for r in db.snapshot().rows)


def test_a_write_by_another_process_shows_after_ttl_without_a_stall() -> None:
    store = build_world()
    db = DatabaseReadings(store, ttl=3600)
    assert _contacts(db) == 3
    store.as_another_process().upsert(
        "contact", [m.Contact(id="c-new", company_id="globex", name="Nina New")])
    read = db.stats["accounts_read"]
    # Nobody told us (an import in another process): within the ttl, the rows stay.
    assert _contacts(db) == 3 and db.stats["accounts_read"] == read
    db._checked -= 3600  # the ttl has passed
    # Served at once from the old rows while every account is re-read behind the scenes.
    assert _contacts(db) == 3
    db.wait_for_refresh(timeout=30)
    assert _contacts(db) == 4
    assert db.stats["accounts_read"] == read + 2


def test_past_the_ttl_an_unchanged_store_is_not_read_again() -> None:
    store = build_world()
    db = DatabaseReadings(store, ttl=3600)
    db.snapshot()
    read = db.stats["accounts_read"]
    db._checked -= 3600
    db.snapshot()
    db.wait_for_refresh(timeout=30)
    # Nobody else wrote: a whole walk (36 min on the large world) would find nothing new.
    assert db.stats["accounts_read"] == read


def test_a_company_gone_from_the_store_leaves_the_readings() -> None:
    store = build_world()
    db = DatabaseReadings(store)
    assert {r.summary["company_id"] for r in db.snapshot().rows} == {"acme", "globex"}
    store.delete("company", "globex")
    db.invalidate("globex")
    assert {r.summary["company_id"] for r in db.snapshot().rows} == {"acme"}


def test_a_refresh_never_overwrites_a_newer_row() -> None:
    store = build_world()
    db = DatabaseReadings(store)
    db.snapshot()
    old = db._rows["acme"]
    newer = type(old)(old.summary, old.cases, old.personal, loaded=time.monotonic() + 60)
    db._rows["acme"] = newer  # as if a request re-read it after a write, mid-refresh
    db._checked -= db.ttl
    db.snapshot()
    db.wait_for_refresh(timeout=30)
    assert db._rows["acme"] is newer


def test_cases_are_exactly_those_of_the_pure_walk_public_or_full() -> None:
    from graph.readings.database import iter_opportunity_cases
    from graph.readings.triggers import feature_pairs as _pairs
    from tests.unit.api.test_database_http import add_deals

    store = add_deals(build_world())
    # The same key both public and personal on one contact: both values must count.
    store.upsert("profile_item", [m.ProfileItem(id="hobby-pub", contact_id="dc-00", key="hobby",
                                                value="rowing", visibility=m.Visibility.PUBLIC)])
    snap = DatabaseReadings(store).snapshot()
    for personal in (False, True):
        served = {c["opportunity_id"]: _pairs(c["features"])
                  for c in snap.cases(include_personal=personal)}
        direct = {c["opportunity_id"]: _pairs(c["features"])
                  for c in iter_opportunity_cases(store, include_personal=personal)}
        assert served == direct
        assert (("profile.hobby", "golf") in served["do-00"]) is personal
        assert ("profile.hobby", "rowing") in served["do-00"]
