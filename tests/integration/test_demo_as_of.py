"""The demo tells the same story whenever it is opened (issue 17, item 2).

The demo world is made as of a fixed day; the demo server reads every account as
of that day (``Settings.as_of``). Opened on two days a year apart, its home page
and every account's brief (moved champions, quiet ones, handovers) are the same
pages, byte for byte. Without ``as_of`` the
same world ages with the calendar: that is what the test would catch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import TOKEN_CACHE, create_token
from api.demo import world_date
from graph.settings import Settings
from graph.store import Store
from graph.stores.ladybug import LadybugStore

DAYS = (datetime(2026, 12, 3, 9, tzinfo=UTC), datetime(2027, 12, 3, 9, tzinfo=UTC))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    from seed.generator import generate, preset
    from seed.load import load_world

    store = LadybugStore(tmp_path_factory.mktemp("demo") / "demo.lbug")
    load_world(store, generate(seed=42, sizes=preset("small")))
    token = create_token(store, _any_user(store))[0]
    yield store, token
    store.close()


def _any_user(store: Store) -> str:
    return str(store.list("user", limit=1).items[0].id)


def _pages(store: Store, token: str, folder: Path, as_of: date | None,
           monkeypatch: pytest.MonkeyPatch, today: datetime) -> tuple[str, str, list[str]]:
    """The home page and every account's brief, with the clock at ``today``."""
    monkeypatch.setattr("graph.readings.facts.now", lambda: today)
    TOKEN_CACHE.forget()
    settings = Settings(data_dir=folder, as_of=as_of)
    with TestClient(create_app(settings, store=store)) as client:
        client.app.state.accounts.wait()  # type: ignore[attr-defined]
        headers = {"Authorization": f"Bearer {token}"}
        home = client.get("/?sort=status", headers=headers)
        accounts = re.findall(r'<tr data-account="([^"]+)"', home.text)
        briefs = [client.get(f"/accounts/{a}/brief", headers=headers) for a in accounts]
    assert home.status_code == 200 and {b.status_code for b in briefs} == {200}
    assert "co-00004" in accounts  # handed over, its champion moved
    return (home.text, "".join(b.text for b in briefs),
            re.findall(r'data-status="(\w+)"', home.text))


def test_the_demo_reads_the_same_a_year_apart(world: tuple[Store, str], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store, token = world
    day = world_date()
    assert day is not None
    seen = [_pages(store, token, tmp_path / f"fixed-{i}", day, monkeypatch, today)
            for i, today in enumerate(DAYS)]
    (home1, brief1, statuses1), (home2, brief2, _) = seen
    assert home1 == home2 and brief1 == brief2
    assert f"Read as of <strong>{day.isoformat()}</strong>" in home1
    assert "Read as of" in brief1
    assert 'id="handover"' in brief1 and 'id="departed"' in brief1
    assert len(set(statuses1)) > 1, "the demo should tell more than one story"


def test_without_a_reading_date_the_same_world_ages(world: tuple[Store, str], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    store, token = world
    statuses = [_pages(store, token, tmp_path / f"today-{i}", None, monkeypatch, today)[2]
                for i, today in enumerate(DAYS)]
    assert statuses[0] != statuses[1]
    assert statuses[1].count("dormant") > statuses[0].count("dormant")
