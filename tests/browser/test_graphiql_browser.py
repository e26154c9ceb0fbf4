"""GraphiQL at /graphql works in a browser with no internet: zero requests elsewhere.

Debian's headless chromium (driven by Playwright) loads the page from a uvicorn
server on loopback over the small named world of the API unit tests, runs the
default query with a token, and records every request the page makes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.chromium import ARTIFACTS, ENV, require_chromium, serving
from tests.conftest import require

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    from api.graphiql import missing_assets

    require_chromium()
    require(not missing_assets(), "GraphiQL assets missing: python -m api.graphiql.vendor", env=ENV)

    from api.app import create_app
    from api.auth import create_token
    from graph.settings import Settings
    from tests.unit.api.conftest import build_world

    store = build_world()
    token = create_token(store, "u-amy")[0]
    settings = Settings(data_dir=tmp_path_factory.mktemp("graphiql"))
    with serving(create_app(settings, store=store)) as base:
        yield base, token


def test_graphiql_runs_a_query_with_no_request_to_another_host(
    server: tuple[str, str], browser: Any
) -> None:
    base, token = server
    requests: list[str] = []
    errors: list[str] = []
    context = browser.new_context()
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        # GraphiQL keeps the headers tab in localStorage: put the token there first.
        page.goto(f"{base}/healthz")
        page.evaluate(
            "t => localStorage.setItem('graphiql:headers', "
            "JSON.stringify({Authorization: 'Bearer ' + t}))",
            token,
        )
        page.goto(f"{base}/graphql")
        page.wait_for_function("window.graphiqlReady === true")
        page.locator(".graphiql-execute-button").click()
        page.wait_for_function(
            "document.querySelector('.result-window')?.innerText.includes('u-amy')",
            timeout=15_000,
        )
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "graphiql.png"))
    finally:
        context.close()
    foreign = [u for u in requests if not u.startswith(base) and not u.startswith("data:")]
    assert foreign == [], f"requests to other hosts: {foreign}"
    assert errors == []
    assert f"{base}/static/vendor/graphiql.min.js" in requests


def test_graphiql_runs_as_the_browser_signed_in_with_nothing_pasted(
    server: tuple[str, str], browser: Any
) -> None:
    base, token = server
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/signin")
        # The whole line the demo prints, pasted as it is.
        page.fill("#token", f"Authorization: Bearer {token}")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.goto(f"{base}/graphql")
        page.wait_for_function("window.graphiqlReady === true")
        assert page.evaluate("localStorage.getItem('graphiql:headers')") in (None, "", "{}")
        page.locator(".graphiql-execute-button").click()
        page.wait_for_function(
            "document.querySelector('.result-window')?.innerText.includes('u-amy')",
            timeout=15_000,
        )
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "graphiql-signed-in.png"))
    finally:
        context.close()
