"""The analysts' view of how far classification agrees with the roles reps entered."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from graph import model as m
from tests.unit.api.conftest import Api, build_world, serve

Q = """{ databaseReadings { __typename ... on DatabaseReadings {
  classificationAgreement(folds: 3) {
    contacts folds weightsFrom left_out: leftOut
    classification { accuracy macroF1 correct total }
    majority { name accuracy } titleOnly { accuracy }
    confusion { entered read contacts } } }
  ... on NotAllowed { message } } }"""


def add_entered(s: Any) -> Any:
    """Twelve signers entered as decision makers, twelve ticket-filers as end users."""
    s.upsert("company", [m.Company(id="rc", name="Roles Co")])
    people = []
    touches = []
    for i in range(24):
        signer = i < 12
        people.append(m.Contact(
            id=f"rc-{i:02}", company_id="rc", name=f"Person {i}", title="Manager",
            buying_roles=["decision_maker" if signer else "end_user"],
            role_entered_by="u-amy", role_source="crm"))
        touches.append(m.Touchpoint(
            id=f"rt-{i:02}", company_id="rc",
            type=m.TouchpointKind.CONTRACT_SIGNATURE if signer else m.TouchpointKind.SUPPORT_TICKET,
            at=datetime(2025, 3, 1, tzinfo=UTC), contact_ids=[f"rc-{i:02}"]))
    s.upsert("contact", people)
    s.upsert("touchpoint", touches)
    return s


@pytest.fixture
def roles_api(tmp_path: Any) -> Iterator[Api]:
    yield from serve(add_entered(build_world()), tmp_path)


def test_analyst_sees_agreement_next_to_both_baselines(roles_api: Api) -> None:
    a = roles_api.gql("ann", Q)["data"]["databaseReadings"]["classificationAgreement"]
    assert (a["contacts"], a["folds"]) == (24, 3)
    # "Manager" tells nothing; who signs and who files tickets does.
    assert a["classification"]["correct"] == 24
    assert a["titleOnly"]["accuracy"] <= 0.5
    assert a["majority"]["accuracy"] == 0.5
    cells = {(c["entered"], c["read"]): c["contacts"] for c in a["confusion"]}
    assert cells == {("decision_maker", "decision_maker"): 12, ("end_user", "end_user"): 12}


def test_members_are_told_it_is_for_analysts(roles_api: Api) -> None:
    got = roles_api.gql("amy", Q)["data"]["databaseReadings"]
    assert got["__typename"] == "NotAllowed" and "analysts" in got["message"]


def test_bad_folds_name_the_argument(roles_api: Api) -> None:
    q = Q.replace("folds: 3", "folds: 1")
    assert "folds=1 is outside 2..20" in roles_api.gql("ann", q)["errors"][0]["message"]
