"""The brief's handed-over section in a real browser (Debian's chromium, Playwright).

The shared demo site (``conftest.py``) serves co-00004, which changed hands: its
champion moved to another account, and its previous owner took part in touchpoints
and entered notes before the handover. The new owner reads what the previous owner
knew, personal notes included; one of our users on no team sees that those notes
exist, not what they say. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.browser.chromium import ARTIFACTS
from tests.browser.site import Site, only_ours, settled

pytestmark = pytest.mark.browser
ACCOUNT = "co-00004"


@dataclass
class Handover:
    previous_owner: str  # their name
    successor: str
    personal: list[str]  # values of the previous owner's personal notes (team-visible)


@pytest.fixture(scope="module")
def handover(site: Site) -> Handover:
    """Who owned co-00004 before and after, and what the new owner may read of their notes."""
    from api.auth import create_token

    store = site.store
    owns = store.relationships("OWNS", target=ACCOUNT)
    before = next(o for o in owns if o.until is not None)
    after = next(o for o in owns if o.until is None)
    users = {u.id: u for u in store.list("user", limit=500).items}
    # The previous owner's personal notes about people who still work here: the team's.
    here = {c.id for c in _every(store, "contact", {"company_id": ACCOUNT})}
    theirs = [i for i in _every(store, "profile_item", {"entered_by": before.source})
              if i.contact_id in here]
    # Checked in the handover's notes, where only their notes about this account's
    # people show: a value they also entered as public would show there rightly.
    public = {i.value for i in theirs if i.visibility == "public"}
    personal = sorted({i.value for i in theirs
                       if i.visibility == "personal" and i.value not in public})
    assert personal, f"the previous owner of {ACCOUNT} should have entered personal notes"
    site.tokens.setdefault("successor", create_token(store, after.source)[0])
    return Handover(users[before.source].name, users[after.source].name, personal)


def _every(store: Any, kind: str, filters: dict[str, str]) -> list[Any]:
    items, after = [], None
    while True:
        page = store.list(kind, filters, after=after, limit=500)
        items += page.items
        if page.next_cursor is None:
            return items
        after = page.next_cursor


def _brief_as(site: Site, page_as: Any, who: str) -> Any:
    page = page_as(who)
    page.goto(f"{site.base}/accounts/{ACCOUNT}/brief")
    settled(page)
    return page


def test_the_new_rep_reads_who_owned_the_account_and_what_they_knew(
    site: Site, page_as: Any, handover: Handover
):
    page = _brief_as(site, page_as, "successor")
    section = page.locator("#handover")
    section.scroll_into_view_if_needed()
    heading = section.locator("h3").first.inner_text()
    assert heading.startswith(f"{handover.previous_owner} (")
    assert " owned the account from " in heading
    assert f"then {handover.successor}" in heading
    assert section.locator(".their-touches li").count() >= 1
    assert section.locator(".knew-best li").count() >= 1
    notes = section.locator(".their-notes").inner_text()
    assert any(v in notes for v in handover.personal), notes
    # The champion who moved is shown as moved, with where he went by name.
    departed = page.locator("#departed").inner_text()
    assert "Champion" in departed and "now at" in departed and "co-0" not in departed
    # ... and how to reach him there.
    there = page.locator("#departed a.reach").first.get_attribute("href")
    assert there is not None and "/map?to=" in there and f"/accounts/{ACCOUNT}/" not in there
    # Every next step says what it answers and why.
    steps = page.locator("#next-steps li")
    assert steps.count() >= 3
    for i in range(steps.count()):
        text = steps.nth(i).inner_text()
        assert "Answers " in text and "Why: " in text, text
    # The brief uses the page's width: no third of it left blank.
    width = page.evaluate("document.querySelector('main.brief').getBoundingClientRect().width")
    assert width > 0.9 * page.evaluate("window.innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    section.screenshot(path=str(ARTIFACTS / "brief-handover.png"))
    page.screenshot(path=str(ARTIFACTS / "brief-handed-over.png"), full_page=True)
    only_ours(site, page)


def test_an_outsider_sees_that_the_previous_owners_notes_exist_not_what_they_say(
    site: Site, page_as: Any, handover: Handover
):
    page = _brief_as(site, page_as, "outsider")
    notes = page.locator("#handover .their-notes").inner_text()
    assert [v for v in handover.personal if v in notes] == []
    hidden = page.locator("#handover .their-notes .redacted").inner_text()
    assert "hidden: only the account team may read them" in hidden
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#handover").screenshot(path=str(ARTIFACTS / "brief-handover-outsider.png"))
    only_ours(site, page)


def test_a_key_person_on_the_brief_leads_to_the_warm_paths_to_them(
    site: Site, page_as: Any, handover: Handover
):
    page = _brief_as(site, page_as, "successor")
    link = page.locator("#key-people a.reach").first
    name = link.evaluate("a => a.parentElement.firstChild.textContent.trim()")
    link.click()
    page.wait_for_url(f"**/accounts/{ACCOUNT}/map?to=*")
    settled(page)
    assert page.text_content("#paths h2") == f"Warm paths to {name}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "brief-key-person-reach.png"))
    only_ours(site, page)
