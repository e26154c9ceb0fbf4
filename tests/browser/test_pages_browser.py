"""The pages in a real browser: Debian's headless chromium driven by Playwright.

The served demo world is ``tests/browser/conftest.py``'s. Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.browser.chromium import ARTIFACTS
from tests.browser.site import Site
from tests.browser.site import only_ours as _only_ours
from tests.browser.site import settled as _settled

pytestmark = pytest.mark.browser


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
