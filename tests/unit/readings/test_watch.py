"""The home page's rows and watch list, read off the sample accounts on chosen days."""

from __future__ import annotations

from graph.readings.account_row import account_row
from graph.readings.testing import champion_left, healthy


def _kinds(row: dict) -> dict[str, dict]:
    return {w["kind"]: w for w in row["watch"]}


def test_a_champion_who_moved_this_week_is_on_the_watch_list_with_where_to():
    row = account_row(champion_left(), as_of="2025-03-04")
    moved = _kinds(row)["champion_left"]
    assert moved["contact_id"] == "carl" and moved["to"] == "globex"
    assert "Carl" in moved["text"]
    # A week later it is old news.
    assert "champion_left" not in _kinds(account_row(champion_left(), as_of="2025-03-20"))


def test_a_new_decision_maker_and_the_status_change_they_bring():
    row = account_row(champion_left(), as_of="2025-05-03")
    watch = _kinds(row)
    assert watch["new_decision_maker"]["contact_id"] == "dee"
    assert watch["status"]["before"] == "no_relationship" and watch["status"]["now"] == "at_risk"
    assert row["status"] == "at_risk"


def test_a_champion_gone_quiet_this_week():
    quiet = _kinds(account_row(healthy(), as_of="2025-09-20"))
    assert quiet["champion_quiet"]["contact_id"] == "hal"
    # 85 days without a touchpoint a week earlier: not quiet yet, so not on the list.
    assert "champion_quiet" not in _kinds(account_row(healthy(), as_of="2025-09-13"))


def test_a_quiet_week_has_an_empty_watch_list():
    assert account_row(healthy(), as_of="2025-08-01")["watch"] == []


def test_the_row_says_what_the_list_shows():
    row = account_row(healthy(), as_of="2025-06-21")
    assert row["id"] == "globex" and row["name"] == "Globex"
    assert row["status"] == "can_grow" and row["reasons"]
    assert row["owner_id"] == "una" and row["owner"] == "Una"
    assert row["team"] == ["sam", "una"]
    assert row["last_touch"] == "2025-06-20"
    assert row["departments"] == 3 and row["live"] >= 3
