"""The home page over HTTP: every account for everyone, filters, search, kept rows."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

from fastapi.testclient import TestClient

import graph.account_list
from api.app import create_app
from graph import model as m
from graph.settings import Settings
from tests.unit.api.conftest import Api, build_world
from tests.unit.api.conftest import api as api


def get(api: Api, who: str, path: str, accept: str = "*/*"):  # type: ignore[no-untyped-def]
    return api.client.get(path, headers={"Authorization": f"Bearer {api.tokens[who]}",
                                         "Accept": accept})


def listed(html: str) -> list[str]:
    return re.findall(r'<tr data-account="([^"]+)"', html)


def test_the_list_examples_hold():
    assert doctest.testmod(graph.account_list).failed == 0


def test_everyone_gets_every_account_and_their_team_first(api: Api):
    for who in ("ada", "ann", "oscar"):
        page = get(api, who, "/")
        assert page.status_code == 200
        assert listed(page.text) == ["acme", "globex"], who
        assert 'href="/graphql"' in page.text
    # Globex sorts after Acme by name; sorted backwards, Amy's own Acme still leads.
    assert listed(get(api, "amy", "/?sort=name&desc=1").text) == ["acme", "globex"]
    assert listed(get(api, "ann", "/?sort=name&desc=1").text) == ["globex", "acme"]


def test_rows_show_status_owner_and_last_touch(api: Api):
    html = get(api, "ann", "/").text
    acme = html[html.index('data-account="acme"'):html.index('data-account="globex"')]
    assert "Amy Owner" in acme and "2026-02-01" in acme
    assert re.search(r'data-status="\w+"', acme)


def test_filters_by_segment_owner_and_status(api: Api):
    assert listed(get(api, "ann", "/?industry=Energy").text) == ["globex"]
    assert listed(get(api, "ann", "/?owner=u-amy").text) == ["acme"]
    status = re.search(r'data-account="acme" data-status="(\w+)"', get(api, "ann", "/").text)
    assert status is not None
    assert listed(get(api, "ann", f"/?status={status.group(1)}").text)[0] == "acme"


def test_search_finds_contacts_by_name_never_by_a_personal_field(api: Api):
    found = get(api, "oscar", "/?q=alice").text
    assert 'data-contact="c-alice"' in found
    assert 'href="/accounts/acme/map?to=c-alice"' in found  # how do we reach them
    # Her email is personal: searching for it finds nobody, for anyone.
    for who in ("oscar", "amy"):
        assert "data-contact=" not in get(api, who, "/?q=alice%40acme").text


def test_a_bad_filter_is_an_error_page_naming_it(api: Api):
    r = get(api, "ann", "/?sort=salary", accept="text/html")
    assert r.status_code == 422
    assert "cannot sort by" in r.text and 'id="home"' in r.text


def test_pages_of_fifty(api: Api):
    api.store.upsert("company", [m.Company(id=f"zz-{i:03d}", name=f"Zed {i:03d}")
                                 for i in range(60)])
    api.client.app.state.accounts.invalidate()  # type: ignore[attr-defined]
    api.client.app.state.accounts.rows()  # type: ignore[attr-defined]
    api.client.app.state.accounts.wait()  # type: ignore[attr-defined]
    first = get(api, "ann", "/").text
    assert len(listed(first)) == 50 and "page 1 of 2" in first
    second = get(api, "ann", "/?page=2").text
    assert len(listed(second)) == 12 and not set(listed(first)) & set(listed(second))
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_a_write_through_the_api_shows_on_the_next_request(api: Api):
    api.gql("ada", """mutation { updateCompany(id: "globex", patch: {name: "Globex Two"}) {
        ... on Account { name } } }""")
    assert "Globex Two" in get(api, "ann", "/").text


def test_rows_are_kept_beside_the_store_and_not_read_again_at_restart(tmp_path: Path):
    store = build_world()
    settings = Settings(data_dir=tmp_path)
    with TestClient(create_app(settings, store=store)) as client:
        accounts = client.app.state.accounts  # type: ignore[attr-defined]
        accounts.wait()
        assert accounts.stats["accounts_read"] == 2
    assert list(tmp_path.glob("account-rows-*.json"))
    with TestClient(create_app(settings, store=store)) as client:
        accounts = client.app.state.accounts  # type: ignore[attr-defined]
        rows = accounts.rows()
        assert rows.ready and [r["id"] for r in rows.rows] == ["acme", "globex"]
        assert accounts.stats == {"accounts_read": 0, "walks": 0, "loaded_from_file": 2}


def test_a_second_store_sharing_the_data_folder_reads_its_own_rows(tmp_path: Path):
    settings = Settings(data_dir=tmp_path)
    with TestClient(create_app(settings, store=build_world())) as client:
        client.app.state.accounts.wait()  # type: ignore[attr-defined]
    other = Settings(data_dir=tmp_path, store="neo4j", neo4j_uri="bolt://elsewhere:7687",
                     neo4j_password="x")
    with TestClient(create_app(other, store=build_world())) as client:
        accounts = client.app.state.accounts  # type: ignore[attr-defined]
        accounts.rows()
        accounts.wait()
        assert accounts.stats["loaded_from_file"] == 0
        assert accounts.stats["accounts_read"] == 2
