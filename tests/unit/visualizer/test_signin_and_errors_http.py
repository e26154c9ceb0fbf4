"""Signing in as people paste tokens, GraphiQL on the browser's sign-in, demo tokens
that survive a restart, and errors a browser can read."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.auth import TOKEN_CACHE, revoke_token
from api.demo import make_demo_users
from tests.unit.api.conftest import Api, build_world
from tests.unit.api.conftest import api as api

HTML = {"Accept": "text/html,application/xhtml+xml"}
ME = {"query": "{ me { id } }"}


@pytest.mark.parametrize("pasted", ["{t}", "Bearer {t}", "  bearer {t} ",
                                    "Authorization: Bearer {t}"])
def test_the_printed_line_or_any_part_of_it_signs_in(api: Api, pasted: str):
    r = api.client.post("/signin", data={"token": pasted.format(t=api.tokens["amy"]),
                                         "next": "/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert api.client.get("/").status_code == 200


def test_graphiql_runs_as_the_signed_in_browser_and_nothing_else_does(api: Api):
    api.client.post("/signin", data={"token": api.tokens["amy"], "next": "/"})
    session = {"X-AccountGraph-Session": "1"}
    r = api.client.post("/graphql", json=ME, headers=session)
    assert r.status_code == 200 and r.json()["data"]["me"]["id"] == "u-amy"
    # The cookie alone (a form posted from another site) is not enough.
    assert api.client.post("/graphql", json=ME).status_code == 401
    # The page asks for no pasted token any more.
    assert "PASTE-A-TOKEN" not in api.client.get("/graphql").text


def test_an_unknown_account_is_an_html_page_with_a_way_back(api: Api):
    api.client.post("/signin", data={"token": api.tokens["amy"], "next": "/"})
    r = api.client.get("/accounts/nope/map",
                       headers={**HTML, "Referer": "http://testserver/?q=acme"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no company with id &#39;nope&#39;" in r.text
    assert 'href="/?q=acme"' in r.text and 'href="/"' in r.text
    # Another site as the referer is never a link back.
    r = api.client.get("/accounts/nope/map", headers={**HTML, "Referer": "https://evil.example/"})
    assert "evil.example" not in r.text


def test_a_bad_export_format_names_the_choices_not_a_regex(api: Api):
    api.client.post("/signin", data={"token": api.tokens["amy"], "next": "/"})
    r = api.client.get("/accounts/acme/export?format=xml", headers=HTML)
    assert r.status_code == 422
    assert "&#39;graphml&#39;, &#39;json&#39; or &#39;csv&#39;" in r.text and "^(" not in r.text


def test_api_clients_still_get_json_errors(api: Api):
    r = api.client.get("/accounts/nope/map",
                       headers={"Authorization": f"Bearer {api.tokens['amy']}"})
    assert r.status_code == 404 and r.json() == {"detail": "no company with id 'nope'"}


def test_a_page_that_does_not_exist_and_the_icon(api: Api):
    r = api.client.get("/no/such/page", headers=HTML)
    assert r.status_code == 404 and "there is no page at /no/such/page" in r.text
    icon = api.client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.content.startswith(b"\x89PNG")


def test_demo_tokens_stay_the_same_across_restarts(tmp_path: Path):
    store, keep = build_world(), tmp_path / "demo-tokens.json"
    first = {login.user.id: login.token for login in make_demo_users(store, keep=keep)}
    assert keep.stat().st_mode & 0o077 == 0  # working tokens: the owner's eyes only
    again = {login.user.id: login.token for login in make_demo_users(store, keep=keep)}
    assert again == first
    # A token that stopped working is replaced; the others stay.
    revoke_token(store, first["demo-analyst"].split("_")[1])
    TOKEN_CACHE.forget()
    third = {login.user.id: login.token for login in make_demo_users(store, keep=keep)}
    assert third["demo-analyst"] != first["demo-analyst"]
    assert third["demo-admin"] == first["demo-admin"]
