"""The pages over HTTP, as Amy (on Acme's team) and Oscar (an outsider) see them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.api.conftest import Api
from tests.unit.api.conftest import api as api
from visualizer.brief_render import status_label


@pytest.fixture
def client(api: Api) -> Iterator[Api]:
    yield api


def get(api: Api, who: str, path: str, **kw):  # type: ignore[no-untyped-def]
    return api.client.get(path, headers={"Authorization": f"Bearer {api.tokens[who]}"}, **kw)


def test_browser_without_token_is_sent_to_sign_in(client: Api):
    r = client.client.get("/accounts/acme/map", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/signin?next=/accounts/acme/map"
    assert "Sign in with your API token" in client.client.get("/signin").text


def test_bad_bearer_header_is_a_401_not_a_redirect(client: Api):
    r = client.client.get("/", headers={"Authorization": "Bearer nope"}, follow_redirects=False)
    assert r.status_code == 401


def test_sign_in_sets_a_cookie_that_opens_the_home_page(client: Api):
    r = client.client.post("/signin", data={"token": client.tokens["amy"], "next": "/"},
                           follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    home = client.client.get("/")
    assert home.status_code == 200
    # Every account is listed, Amy's team's first.
    assert home.text.index('data-account="acme"') < home.text.index('data-account="globex"')
    assert 'href="/accounts/acme/map"' in home.text


def test_sign_in_with_a_bad_token_says_why_and_never_redirects_off_site(client: Api):
    r = client.client.post("/signin", data={"token": "ag_tok-x_y", "next": "//evil.example"})
    assert r.status_code == 401 and "unknown token" in r.text
    assert 'value="/"' in r.text


def test_team_member_map_shows_personal_values_and_audits_them(client: Api):
    r = get(client, "amy", "/accounts/acme/map")
    assert r.status_code == 200
    assert "sailing" in r.text and "two kids" in r.text
    reads = {(e.contact_id, e.field, e.door) for e in client.audit()}
    assert {("c-alice", "hobby", "map"), ("c-bob", "family", "map")} <= reads


def test_outsider_map_and_brief_show_no_personal_values(client: Api):
    for path in ("/accounts/acme/map", "/accounts/acme/brief"):
        r = get(client, "oscar", path)
        assert r.status_code == 200, r.text
        assert "sailing" not in r.text and "two kids" not in r.text
        assert "MIT" in r.text  # public items are for every signed-in user
    assert client.audit() == []


def test_brief_page_has_status_people_and_the_map(client: Api):
    r = get(client, "amy", "/accounts/acme/brief")
    assert r.status_code == 200
    assert "Acme Corp" in r.text and "Alice Archer" in r.text
    assert 'id="map-data"' in r.text and "Suggested next steps" in r.text
    # Key people lead to the warm paths to them.
    assert 'class="reach" href="/accounts/acme/map?to=c-' in r.text


def test_map_with_a_target_lists_warm_paths(client: Api):
    r = get(client, "amy", "/accounts/acme/map", params={"to": "c-bob"})
    assert r.status_code == 200
    assert '"target":"contact:c-bob"' in r.text
    assert '"paths":[{' in r.text


def test_unknown_account_is_a_404(client: Api):
    assert get(client, "amy", "/accounts/nope/map").status_code == 404


def test_home_shows_status_without_computing_full_readings(client: Api):
    cache = client.client.app.state.cache  # type: ignore[attr-defined]
    home = get(client, "amy", "/")
    assert home.status_code == 200
    # The list is the summary reading only: no people graph, key people or paths.
    assert cache.stats["readings_computed"] == 0
    assert status_label(cache.readings("acme").status) in home.text
