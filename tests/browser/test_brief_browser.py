"""The brief's handed-over section in a real browser (Debian's chromium, Playwright).

The app runs under uvicorn on a random loopback port over a temporary LadybugDB
store holding the small demo world, whose co-00004 changed hands: its champion
moved to another account, and its previous owner took part in touchpoints and
entered notes before the handover. A new rep on the account's team reads what the
previous owner knew, personal notes included; one of our users on no team sees that
those notes exist, not what they say. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.browser.chromium import ARTIFACTS, CHROMIUM, ENV, FLAGS, free_port
from tests.conftest import require

pytestmark = pytest.mark.browser
ACCOUNT = "co-00004"


@dataclass
class Site:
    base: str
    tokens: dict[str, str]  # "rep" (on the account's team), "outsider"
    previous_owner: str  # their name
    successor: str
    personal: list[str]  # values of the previous owner's personal notes (team-visible)


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
    from graph.settings import Settings
    from graph.stores import open_store
    from seed.generator import generate, preset
    from seed.load import load_world

    settings = Settings(data_dir=tmp_path_factory.mktemp("brief-browser") / "data",
                        store="ladybug")
    store = open_store(settings)
    load_world(store, generate(seed=42, sizes=preset("small")))
    owns = store.relationships("OWNS", target=ACCOUNT)
    before = next(o for o in owns if o.until is not None)
    after = next(o for o in owns if o.until is None)
    users = {u.id: u for u in store.list("user", limit=500).items}
    store.upsert("user", [User(id="u-rep", name="Nia New", access=Access.MEMBER),
                          User(id="u-outsider", name="Oscar Outsider", access=Access.MEMBER)])
    store.link("ON_TEAM", [{"source": "u-rep", "target": ACCOUNT, "role": "sales_rep"}])
    # The previous owner's personal notes about people who still work here: the team's.
    here = {c.id for c in store.list("contact", {"company_id": ACCOUNT}, limit=500).items}
    theirs = [i for i in store.list("profile_item", {"entered_by": before.source},
                                    limit=500).items if i.contact_id in here]
    # Checked in the handover's notes, where only their notes about this account's
    # people show: a value they also entered as public would show there rightly.
    public = {i.value for i in theirs if i.visibility == "public"}
    personal = sorted({i.value for i in theirs
                       if i.visibility == "personal" and i.value not in public})
    assert personal, "the previous owner of co-00004 should have entered personal notes"
    tokens = {"rep": create_token(store, "u-rep")[0],
              "outsider": create_token(store, "u-outsider")[0]}

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
        yield Site(f"http://127.0.0.1:{port}", tokens, users[before.source].name,
                   users[after.source].name, personal)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _brief_as(site: Site, browser: Any, who: str) -> Any:
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"{site.base}/signin")
    page.fill("#token", site.tokens[who])
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.base}/")
    page.goto(f"{site.base}/accounts/{ACCOUNT}/brief")
    page.wait_for_function("window.accountMap && window.accountMap.settled", timeout=30_000)
    return page


def test_the_new_rep_reads_who_owned_the_account_and_what_they_knew(site: Site, browser: Any):
    page = _brief_as(site, browser, "rep")
    handover = page.locator("#handover")
    handover.scroll_into_view_if_needed()
    heading = handover.locator("h3").first.inner_text()
    assert heading.startswith(f"{site.previous_owner} (")
    assert " owned the account from " in heading
    assert f"then {site.successor}" in heading
    assert handover.locator(".their-touches li").count() >= 1
    assert handover.locator(".knew-best li").count() >= 1
    notes = handover.locator(".their-notes").inner_text()
    assert any(v in notes for v in site.personal), notes
    # The champion who moved is shown as moved, with where he went by name.
    departed = page.locator("#departed").inner_text()
    assert "Champion" in departed and "now at" in departed and "co-0" not in departed
    # Every next step says what it answers and why.
    steps = page.locator("#next-steps li")
    assert steps.count() >= 3
    for i in range(steps.count()):
        text = steps.nth(i).inner_text()
        assert "Answers " in text and "Why: " in text, text
    # The brief uses the page's width: no third of it left blank.
    width = page.evaluate("document.querySelector('main.brief').getBoundingClientRect().width")
    assert width > 0.9 * 1600
    ARTIFACTS.mkdir(exist_ok=True)
    handover.screenshot(path=str(ARTIFACTS / "brief-handover.png"))
    page.screenshot(path=str(ARTIFACTS / "brief-handed-over.png"), full_page=True)
    assert page.errors == []
    page.context.close()


def test_an_outsider_sees_that_the_previous_owners_notes_exist_not_what_they_say(
    site: Site, browser: Any
):
    page = _brief_as(site, browser, "outsider")
    notes = page.locator("#handover .their-notes").inner_text()
    assert [v for v in site.personal if v in notes] == []
    hidden = page.locator("#handover .their-notes .redacted").inner_text()
    assert "hidden: only the account team may read them" in hidden
    page.locator("#handover").screenshot(path=str(ARTIFACTS / "brief-handover-outsider.png"))
    page.context.close()
