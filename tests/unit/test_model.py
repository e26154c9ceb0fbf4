"""The model refuses what does not fit, naming the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from graph.errors import ValidationError
from graph.model import Company, Contact, Touchpoint, department_id, normalise_domain, validate


def test_an_email_that_is_not_an_email_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as err:
        validate(Contact, {"id": "c1", "company_id": "acme", "name": "Ann", "email": "ann at acme"})
    assert err.value.field == "email" and err.value.item == "c1"
    assert "'ann at acme' is not an email address" in str(err.value)


def test_a_contact_needs_a_company() -> None:
    with pytest.raises(ValidationError) as err:
        validate(Contact, {"id": "c1", "name": "Ann"})
    assert err.value.field == "company_id"


def test_a_touchpoint_needs_a_time() -> None:
    with pytest.raises(ValidationError) as err:
        validate(Touchpoint, {"id": "t1", "company_id": "acme", "type": "call"})
    assert err.value.field == "at"


def test_an_unknown_touchpoint_type_lists_the_known_ones() -> None:
    with pytest.raises(ValidationError) as err:
        validate(
            Touchpoint, {"id": "t1", "company_id": "acme", "type": "mailer", "at": "2026-01-01"}
        )
    assert err.value.field == "type" and "direct_mail" in str(err.value)


def test_times_are_kept_in_utc() -> None:
    est = timezone(timedelta(hours=-5))
    t = Touchpoint(id="t1", company_id="a", type="call", at=datetime(2026, 1, 1, 9, tzinfo=est))
    assert t.at == datetime(2026, 1, 1, 14, tzinfo=UTC)
    naive = Touchpoint(id="t2", company_id="a", type="call", at=datetime(2026, 1, 1, 9))
    assert naive.at.tzinfo is UTC


def test_emails_and_domains_are_normalised() -> None:
    assert Contact(id="c", company_id="a", name="A", email=" Ann@ACME.com ").email == "ann@acme.com"
    assert Company(id="a", name="Acme", domain="https://www.Acme.com/about").domain == "acme.com"
    assert normalise_domain("mailto:bob@acme.com") == "acme.com"


def test_ids_are_plain() -> None:
    with pytest.raises(ValidationError) as err:
        validate(Company, {"id": "acme corp; DROP", "name": "Acme"})
    assert err.value.field == "id"


def test_department_ids_are_stable_per_company_and_function() -> None:
    assert department_id("acme", "R&D") == "acme/r-d"
    assert department_id("acme", "Investor Relations") == "acme/investor-relations"
    with pytest.raises(ValueError):
        department_id("acme", "Astrology")
