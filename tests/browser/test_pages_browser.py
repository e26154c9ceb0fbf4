"""The pages in a real browser: Debian's headless chromium driven by Playwright.

The app runs under uvicorn on a random loopback port over a temporary LadybugDB
store holding the demo world. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.browser.chromium import ARTIFACTS, CHROMIUM, ENV, FLAGS, free_port
from tests.conftest import require

pytestmark = pytest.mark.browser


@dataclass
class Site:
    base: str
    store: Any
    tokens: dict[str, str]  # "member", "outsider"
    big: str  # the 2,000-contact account
    empty: str
    team_account: str  # an account the member is on, with personal notes
    personal_values: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    require(os.path.exists(CHROMIUM), f"{CHROMIUM} is not installed (apt-get install chromium)",
            env=ENV)  # fmt: skip
    try:
        import playwright  # noqa: F401
    except ImportError:
        require(False, "playwright is not installed (pip install playwright)", env=ENV)
    import uvicorn

    from api.app import create_app
    from api.auth import create_token
    from graph.model import Access, User
    from graph.neighbourhood import nodes_of
    from graph.settings import Settings
    from graph.stores import open_store
    from seed.generator import generate, preset
    from seed.load import load_world

    settings = Settings(data_dir=tmp_path_factory.mktemp("browser") / "data", store="ladybug")
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
    store.upsert("user", [User(id="u-outsider", name="Oscar Outsider", access=Access.MEMBER)])
    outsider = "u-outsider"
    tokens = {
        "member": create_token(store, member)[0],
        "outsider": create_token(store, outsider)[0],
    }

    port = free_port()
    config = uvicorn.Config(create_app(settings, store=store), host="127.0.0.1", port=port,
                            log_level="warning", ws="none", lifespan="on")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield Site(f"http://127.0.0.1:{port}", store, tokens, big, empty, account, personal)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's launch gives chromium a fresh temporary profile of its own.
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


def _only_ours(site: Site, page: Any) -> None:
    foreign = [
        u for u in page.requests if not u.startswith(site.base) and not u.startswith("data:")
    ]
    assert foreign == [], f"requests to other hosts: {foreign}"
    assert page.errors == [], page.errors


def _settled(page: Any, timeout: float = 30_000) -> None:
    page.wait_for_function("window.accountMap && window.accountMap.settled", timeout=timeout)


def test_home_lists_the_members_accounts_with_links(site: Site, page_as: Any):
    page = page_as("member")
    rows = page.locator("#accounts tr[data-account]")
    assert rows.count() >= 1
    assert page.locator(f'tr[data-account="{site.team_account}"]').count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    page.click(f'tr[data-account="{site.team_account}"] a:text("map")')
    _settled(page)
    _only_ours(site, page)


def test_big_map_draws_every_contact_and_filters_work(site: Site, page_as: Any):
    from graph.neighbourhood import nodes_of

    page = page_as("member")
    started = time.perf_counter()
    page.goto(f"{site.base}/accounts/{site.big}/map")
    _settled(page)
    opened = time.perf_counter() - started
    contacts = len(nodes_of(site.store.account_graph(site.big), "contact"))
    drawn = page.evaluate(
        "accountMap.network.body.nodeIndices"
        ".filter(id => accountMap.nodes.get(id).kind === 'contact').length"
    )
    assert drawn == contacts >= 2000
    assert page.evaluate("accountMap.data.large") is True
    page.screenshot(path=str(ARTIFACTS / "map-2000.png"))
    print(f"2,000-contact map: opened and settled in {opened:.2f}s, "
          f"layout {page.evaluate('accountMap.layoutMs'):.0f} ms")  # fmt: skip

    # Legend: unticking a category hides exactly its contacts.
    first = page.locator("#legend input").first
    category = first.get_attribute("value")
    in_category = page.evaluate(
        "accountMap.nodes.get({filter: n => n.kind === 'contact' && n.category === "
        f"'{category}'}}).length"
    )
    first.uncheck()
    assert page.evaluate("accountMap.visibleContacts") == contacts - in_category
    first.check()
    # Department: every contact still shown is in it.
    page.select_option("#f-dept", index=1)
    dept = page.eval_on_selector("#f-dept", "s => s.value")
    shown = page.evaluate("accountMap.nodes.get({filter: n => n.kind === 'contact' && !n.hidden})")
    assert shown and {n["department"] for n in shown} == {dept}
    page.select_option("#f-dept", "")
    # Minimum strength: nobody weaker than it stays on the map.
    page.fill("#f-strength", "0.5")
    page.dispatch_event("#f-strength", "input")
    weak = page.evaluate(
        "accountMap.nodes.get({filter: n => n.kind === 'contact' && !n.hidden"
        " && n.strength < 0.5}).length"
    )
    assert weak == 0 and page.evaluate("accountMap.visibleContacts") < contacts
    _only_ours(site, page)


def test_outsider_sees_no_personal_values_on_map_or_brief(site: Site, page_as: Any):
    page = page_as("outsider")
    for path, shot in (("map", "map-outsider.png"), ("brief", "brief-outsider.png")):
        page.goto(f"{site.base}/accounts/{site.team_account}/{path}")
        _settled(page)
        html = page.content()
        leaked = [v for v in site.personal_values if v in html]
        assert leaked == [], f"{path} shows personal values to an outsider: {leaked}"
        page.screenshot(path=str(ARTIFACTS / shot), full_page=path == "brief")
    # The hover card says an item exists but not what it says.
    page.goto(f"{site.base}/accounts/{site.team_account}/map")
    _settled(page)
    with_items = page.evaluate(
        "accountMap.nodes.get({filter: n => n.card && n.card.profile.some(p => p.redacted)})"
        ".map(n => n.id)"
    )
    assert with_items
    page.evaluate(f"accountMap.showCard({with_items[0]!r})")
    assert page.locator("#card .redacted").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "card-outsider.png"))
    _only_ours(site, page)


def test_member_sees_the_personal_notes_of_their_account(site: Site, page_as: Any):
    page = page_as("member")
    page.goto(f"{site.base}/accounts/{site.team_account}/brief")
    _settled(page)
    html = page.content()
    assert any(v in html for v in site.personal_values)
    assert page.locator("#next-steps li").count() >= 3
    page.screenshot(path=str(ARTIFACTS / "brief-member.png"), full_page=True)
    _only_ours(site, page)


def test_empty_account_map_and_brief_render(site: Site, page_as: Any):
    page = page_as("member")
    for path in ("map", "brief"):
        page.goto(f"{site.base}/accounts/{site.empty}/{path}")
        _settled(page)
        assert page.evaluate(
            "accountMap.nodes.get('company:' + accountMap.data.nodes[0].id.split(':')[1])"
        )
    assert page.locator("#next-steps li").count() >= 3
    _only_ours(site, page)
