"""Filtering, sorting and paging the account list (graph.account_list)."""

from __future__ import annotations

import pytest

from graph.account_list import ListQuery, select_accounts
from graph.errors import ValidationError


def _rows() -> list[dict]:
    def row(i: int, status: str, industry: str, owner: str | None, touch: str | None,
            team: tuple[str, ...] = ()) -> dict:
        return {"id": f"co-{i:03d}", "name": f"Company {i:03d}", "status": status,
                "industry": industry, "owner_id": owner, "owner": owner and owner.title(),
                "last_touch": touch, "departments": i % 5, "live": i % 7, "team": list(team)}

    statuses = ["can_grow", "at_risk", "dormant", "no_relationship"]
    return [row(i, statuses[i % 4], "Banking" if i % 3 else "Energy",
                "amy" if i % 2 else None, None if i % 10 == 0 else f"2026-0{1 + i % 9}-01",
                ("u-me",) if i in (90, 91) else ())
            for i in range(120)]


def ids(page) -> list[str]:
    return [r["id"] for r in page.rows]


def test_filters_combine_and_count_every_match():
    page = select_accounts(_rows(), ListQuery(status="at_risk", segment={"industry": "Energy"},
                                              limit=500))
    assert page.total == len(page.rows) == 10
    assert all(r["status"] == "at_risk" and r["industry"] == "Energy" for r in page.rows)
    owned = select_accounts(_rows(), ListQuery(owner="amy", limit=500))
    assert owned.total == 60 and all(r["owner_id"] == "amy" for r in owned.rows)


def test_name_search_ignores_case():
    assert ids(select_accounts(_rows(), ListQuery(text="company 01"))) == [
        f"co-{i:03d}" for i in range(10, 20)]


def test_sort_by_status_puts_the_most_at_risk_first_and_ties_by_name():
    page = select_accounts(_rows(), ListQuery(sort="status", limit=3))
    assert ids(page) == ["co-001", "co-005", "co-009"]
    backwards = select_accounts(_rows(), ListQuery(sort="status", descending=True, limit=500))
    assert backwards.rows[0]["status"] == "no_relationship"


def test_never_touched_sorts_as_the_oldest():
    page = select_accounts(_rows(), ListQuery(sort="last_touch", limit=500))
    assert page.rows[0]["last_touch"] is None
    assert select_accounts(_rows(), ListQuery(sort="last_touch", descending=True)
                           ).rows[0]["last_touch"] == "2026-09-01"


def test_pages_cover_every_row_once():
    seen = []
    for n in range(3):
        seen += ids(select_accounts(_rows(), ListQuery(offset=50 * n, limit=50)))
    assert len(seen) == len(set(seen)) == 120


def test_the_viewers_team_accounts_come_first_in_the_chosen_order():
    page = select_accounts(_rows(), ListQuery(team_of="u-me", sort="name", descending=True))
    assert ids(page)[:3] == ["co-091", "co-090", "co-119"]


def test_a_question_that_cannot_be_answered_names_the_field():
    with pytest.raises(ValidationError, match="cannot sort by 'salary'") as bad:
        select_accounts(_rows(), ListQuery(sort="salary"))
    assert bad.value.field == "sort"
    with pytest.raises(ValidationError, match="no segment 'colour'"):
        select_accounts(_rows(), ListQuery(segment={"colour": "red"}))
    with pytest.raises(ValidationError, match="1 to 500 rows"):
        select_accounts(_rows(), ListQuery(limit=0))
