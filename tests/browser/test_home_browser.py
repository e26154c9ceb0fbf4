"""Finding things in a real browser: the home page for every role, the watch list,
the map's contact search and "how do we reach them", and an error page.

The served demo world is ``tests/browser/conftest.py``'s (read as of the world's
date). Screenshots go to ``test-artifacts/`` (gitignored).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.chromium import ARTIFACTS
from tests.browser.site import Site, only_ours, settled

pytestmark = pytest.mark.browser


def _shot(page: Any, name: str, full: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full)


def _rows(page: Any) -> list[str]:
    return page.eval_on_selector_all("#accounts tr[data-account]",
                                     "rs => rs.map(r => r.dataset.account)")


def _column(page: Any, attr: str) -> list[str]:
    return page.eval_on_selector_all(f"#accounts tr[data-{attr}]",
                                     f"rs => rs.map(r => r.getAttribute('data-{attr}'))")


@pytest.mark.parametrize("who", ["member", "outsider", "analyst", "admin"])
def test_home_lists_every_account_for_every_role(site: Site, page_as: Any, who: str):
    page = page_as(who)
    total = site.store.list("company", limit=1).total
    assert f"{total} accounts" in page.inner_text("#count")
    assert len(_rows(page)) == min(total, 50)
    assert page.locator("header a[href='/graphql']").count() == 1
    if who == "member":
        # The member's own accounts lead, marked as theirs.
        mine = page.eval_on_selector_all("#accounts tr[data-account]",
                                         "rs => rs.map(r => r.classList.contains('mine'))")
        assert mine[0] and mine == sorted(mine, reverse=True)
        assert page.locator(f'tr.mine[data-account="{site.team_account}"]').count() == 1
    else:
        assert page.locator("tr.mine").count() == 0
    _shot(page, f"home-{who}.png")
    only_ours(site, page)


def _groups(page: Any, cells: list[str]) -> list[list[str]]:
    """The cells of the viewer's own accounts, then the others' (each group sorted alone)."""
    mine = page.eval_on_selector_all("#accounts tr[data-account]",
                                     "rs => rs.map(r => r.classList.contains('mine'))")
    return [[c for c, m in zip(cells, mine, strict=True) if m is group]
            for group in (True, False)]


@pytest.mark.parametrize("who", ["member", "outsider", "analyst", "admin"])
def test_filter_sort_and_page_through_the_accounts(site: Site, page_as: Any, who: str):
    page = page_as(who)
    # Filter: at risk only.
    page.select_option("#f-status", "at_risk")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**status=at_risk**")
    statuses = _column(page, "status")
    assert statuses and set(statuses) == {"at_risk"}
    _shot(page, f"home-at-risk-{who}.png")
    # Sort by last touchpoint, then the other way round.
    page.goto(f"{site.base}/")
    page.click("th a[data-sort=last_touch]")
    page.wait_for_url("**sort=last_touch**")
    cells = page.eval_on_selector_all("#accounts tr[data-account] td:nth-child(6)",
                                      "tds => tds.map(t => t.textContent.trim())")
    # A member's own accounts lead, each group in the chosen order.
    for group in _groups(page, cells):
        dated = [c for c in group if c != "never"]
        assert dated == sorted(dated)
    page.click("th a[data-sort=last_touch]")
    page.wait_for_url("**desc=1**")
    cells = page.eval_on_selector_all("#accounts tr[data-account] td:nth-child(6)",
                                      "tds => tds.map(t => t.textContent.trim())")
    for group in _groups(page, cells):
        dated = [c for c in group if c != "never"]
        # Never touched sorts as the oldest: last when the newest come first.
        assert group[:len(dated)] == sorted(dated, reverse=True)
    # Ten a page: the next page holds the next ten, and nothing twice.
    page.goto(f"{site.base}/?per=10")
    first = _rows(page)
    page.click("#next")
    page.wait_for_url("**page=2**")
    second = _rows(page)
    assert len(first) == len(second) == 10 and not set(first) & set(second)
    assert "page 2 of" in page.inner_text("#pager")
    only_ours(site, page)


@pytest.mark.parametrize("who", ["member", "outsider", "analyst", "admin"])
def test_search_finds_a_contact_and_leads_to_the_warm_paths(site: Site, page_as: Any,
                                                            who: str):
    from graph.neighbourhood import nodes_of

    G = site.store.account_graph(site.team_account)
    target = next(G.nodes[c] for c in nodes_of(G, "contact")
                  if not G.nodes[c].get("outside") and G.nodes[c].get("status") != "left")
    page = page_as(who)
    page.fill("#q", str(target["name"]))
    page.press("#q", "Enter")
    page.wait_for_selector(f'#contacts li[data-contact="{target["id"]}"]')
    _shot(page, f"home-search-{who}.png")
    page.click(f'#contacts li[data-contact="{target["id"]}"] a.reach')
    page.wait_for_url(f"**/accounts/{site.team_account}/map?to={target['id']}")
    settled(page)
    assert page.text_content("#paths h2").startswith("Warm paths to")
    _shot(page, f"home-search-reach-{who}.png", full=False)
    only_ours(site, page)


def test_watch_list_says_what_changed_last_week(site: Site, page_as: Any):
    page = page_as("analyst")
    items = page.locator("#watch li[data-kind]")
    assert items.count() >= 1, "the demo world's last week should change something"
    kinds = set(page.eval_on_selector_all("#watch li[data-kind]",
                                          "ls => ls.map(l => l.dataset.kind)"))
    assert kinds <= {"status", "champion_quiet", "champion_left", "new_decision_maker"}
    _shot(page, "home-watch.png")
    account = items.first.get_attribute("data-account")
    items.first.locator("a").first.click()
    page.wait_for_url(f"**/accounts/{account}/brief")
    settled(page)
    only_ours(site, page)


def test_map_contact_search_and_how_do_we_reach_them(site: Site, page_as: Any):
    page = page_as("member")
    page.goto(f"{site.base}/accounts/{site.big}/map")
    settled(page)
    name = page.evaluate(
        "accountMap.data.nodes.filter(n => n.kind === 'contact' && !n.left)[7].label")
    page.fill("#find", name)
    first = page.locator("#found button").first
    first.wait_for()
    node = first.get_attribute("data-node")
    assert page.evaluate("id => accountMap.nodes.get(id).label", node) == name
    first.click()
    card = page.locator("#card")
    assert card.is_visible() and name in card.inner_text()
    assert page.evaluate("accountMap.network.getSelectedNodes()") == [node]
    _shot(page, "map-find.png", full=False)
    card.locator("a.reach").click()
    contact_id = node.split(":", 1)[1]
    page.wait_for_url(f"**/accounts/{site.big}/map?to={contact_id}")
    settled(page)
    assert page.evaluate("accountMap.data.target") == node
    _shot(page, "map-reach.png", full=False)
    only_ours(site, page)


def test_our_people_are_drawn_on_top_and_the_lines_explained(site: Site, page_as: Any):
    page = page_as("member")
    page.goto(f"{site.base}/accounts/{site.big}/map")
    settled(page)
    order = page.evaluate("accountMap.network.body.nodeIndices"
                          ".map(id => accountMap.nodes.get(id).kind)")
    # vis-network draws in this order: our people last (on top), contacts first.
    assert order[-1] == "user" and order[0] == "contact"
    assert order.index("department") > max(i for i, k in enumerate(order) if k == "contact")
    assert page.locator("#edge-legend div").count() >= 5
    only_ours(site, page)


def test_an_unknown_account_is_a_page_with_a_way_back(site: Site, page_as: Any):
    page = page_as("member")
    page.goto(f"{site.base}/accounts/nope/map")
    assert "no company with id 'nope'" in page.inner_text("#message")
    _shot(page, "error-404.png")
    page.click("#home")
    page.wait_for_url(f"{site.base}/")
    assert len(_rows(page)) >= 1
    only_ours(site, page)
