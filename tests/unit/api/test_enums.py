"""The schema's enums spell the readings' own vocabularies (issue 18, item 3)."""

from __future__ import annotations

from api.schema.enums import AccountSort, AccountStatus, Category, ContactSort
from graph.readings.rules import load_rules
from graph.readings.select import ACCOUNT_SORTS, CONTACT_SORTS, STATUS_ORDER
from graph.readings.status import STATUSES


def test_categories_are_the_shipped_rules_categories() -> None:
    assert [c.value for c in Category] == load_rules().category_names


def test_statuses_are_the_readings_statuses() -> None:
    assert {s.value for s in AccountStatus} == set(STATUSES) == set(STATUS_ORDER)


def test_every_sort_is_one_the_selection_knows() -> None:
    assert {s.value for s in AccountSort} == set(ACCOUNT_SORTS)
    assert {s.value for s in ContactSort} == set(CONTACT_SORTS)
