"""What the browser tests share: the demo world served on loopback, and signed-in pages.

The app runs under uvicorn on a random loopback port over a temporary LadybugDB
store holding the demo world, read as of the world's own date (as ``make run``
does). One server and one browser serve every browser test of the session.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.chromium import CHROMIUM, FLAGS, require_chromium, serving
from tests.browser.site import Site


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    require_chromium()

    from api.app import create_app
    from api.auth import create_token
    from api.demo import world_date
    from graph.model import Access, User
    from graph.neighbourhood import nodes_of
    from graph.settings import Settings
    from graph.stores import open_store
    from seed.generator import generate, preset
    from seed.load import load_world

    settings = Settings(data_dir=tmp_path_factory.mktemp("browser") / "data", store="ladybug",
                        as_of=world_date())
    store = open_store(settings)
    load_world(store, generate(seed=42, sizes=preset("demo")))
    companies = store.list("company", limit=100).items
    sizes = {c.id: store.list("contact", {"company_id": c.id}, limit=1).total for c in companies}
    big = max(sizes, key=lambda c: sizes[c])
    empty = next(c for c, n in sizes.items() if n == 0)
    # A member on the team of an account with personal notes, and a member on no team.
    team_of = {c: {r.source for r in store.relationships("ON_TEAM", target=c)} for c in sizes}
    users = [u for u in store.list("user", limit=100).items if getattr(u, "access", "") == "member"]
    account, member, personal = None, None, []
    for c in sorted(sizes, key=lambda c: sizes[c]):
        if not team_of[c] or sizes[c] > 200:
            continue
        G = store.account_graph(c)
        items = [G.nodes[p] for p in nodes_of(G, "profile_item")]
        public = {str(i["value"]) for i in items if i.get("visibility") == "public"}
        # Only values that cannot show up for another reason (the same word made public).
        personal = sorted({
            str(i["value"]) for i in items
            if i.get("visibility") == "personal" and str(i["value"]) not in public
            and len(str(i["value"])) > 6
        })  # fmt: skip
        member = next((u.id for u in users if u.id in team_of[c]), None)
        if personal and member:
            account = c
            break
    assert account and member, "the demo world should have a member's account with personal notes"
    # Every demo user is on some team: the outsider is one of ours who is on none.
    store.upsert("user", [
        User(id="u-outsider", name="Oscar Outsider", access=Access.MEMBER),
        User(id="u-analyst", name="Ann Analyst", access=Access.ANALYST),
        User(id="u-admin", name="Ada Admin", access=Access.ADMIN),
    ])
    tokens = {
        "member": create_token(store, member)[0],
        "outsider": create_token(store, "u-outsider")[0],
        "analyst": create_token(store, "u-analyst")[0],
        "admin": create_token(store, "u-admin")[0],
    }

    try:
        with serving(create_app(settings, store=store)) as base:
            yield Site(base, store, tokens, big, empty, account, personal)
    finally:
        store.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One chromium for every browser test: Playwright's sync API allows one at a time."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's launch gives chromium a fresh temporary profile of its own; each
    # test opens a context of its own (its own cookies and local storage).
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page_as(site: Site, browser: Any) -> Iterator[Any]:
    """``page_as(who)``: a fresh signed-in page that records every request it makes."""
    contexts = []

    def make(who: str) -> Any:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.requests = []  # type: ignore[attr-defined]
        page.on("request", lambda r: page.requests.append(r.url))
        page.errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(f"{site.base}/signin")
        page.fill("#token", site.tokens[who])
        page.click("button[type=submit]")
        page.wait_for_url(f"{site.base}/")
        return page

    yield make
    for c in contexts:
        c.close()
