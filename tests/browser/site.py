"""The served demo world the browser tests share, and what they check on every page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Site:
    base: str
    store: Any
    tokens: dict[str, str]  # "member", "outsider", "analyst", "admin"
    big: str  # the 2,000-contact account
    empty: str
    team_account: str  # an account the member is on, with personal notes
    personal_values: list[str] = field(default_factory=list)


def only_ours(site: Site, page: Any) -> None:
    foreign = [
        u for u in page.requests if not u.startswith(site.base) and not u.startswith("data:")
    ]
    assert foreign == [], f"requests to other hosts: {foreign}"
    assert page.errors == [], page.errors


def settled(page: Any, timeout: float = 30_000) -> None:
    page.wait_for_function("window.accountMap && window.accountMap.settled", timeout=timeout)
