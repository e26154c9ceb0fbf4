"""Database readings over HTTP: who may run them, what they may act on, and their numbers.

The world is the API's small world (conftest) plus twelve one-deal accounts: six
won, six lost. Whoever won plays golf (a *personal* item: perfectly predictive)
and mostly went to MIT (a *public* item: predictive, not perfectly). An analyst's
revenue triggers must find the school and never the hobby; an admin may ask for
both, and that read is audited.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from api.database import AGGREGATE_CONTACT, AGGREGATE_TRIGGERS_FIELD
from graph import model as m
from graph.readings.concentration import concentration, list_purchase_plan
from graph.readings.database import iter_account_summaries, iter_opportunity_cases
from graph.readings.mix import mix_by_segment
from graph.readings.rules import load_rules
from graph.readings.triggers import revenue_triggers
from tests.unit.api.conftest import Api, build_world, serve

DEALS = 12  # accounts d-00..d-11; even ones won


def add_deals(s: Any) -> Any:
    won = [i % 2 == 0 for i in range(DEALS)]
    s.upsert("company", [
        m.Company(id=f"d-{i:02}", name=f"Deal Co {i}", industry="Retail" if i < 8 else "Banking",
                  region="EMEA", size_band="51-200", target=i < 4)
        for i in range(DEALS)])
    s.upsert("contact", [
        m.Contact(id=f"dc-{i:02}", company_id=f"d-{i:02}", name=f"Buyer {i}", title="CFO")
        for i in range(DEALS)])
    s.upsert("touchpoint", [
        m.Touchpoint(id=f"dt-{i:02}", company_id=f"d-{i:02}", type=m.TouchpointKind.MEETING,
                     at=datetime(2025, 3, 1, tzinfo=UTC), contact_ids=[f"dc-{i:02}"],
                     user_ids=["u-amy"])
        for i in range(DEALS)])
    s.upsert("opportunity", [
        m.Opportunity(id=f"do-{i:02}", company_id=f"d-{i:02}", amount=10_000,
                      stage=m.OpportunityStage.CLOSED_WON if won[i]
                      else m.OpportunityStage.CLOSED_LOST,
                      close_date=date(2025, 6, 1), contact_ids=[f"dc-{i:02}"])
        for i in range(DEALS)])
    # One lost deal's buyer went to MIT too (i == 1), one winner did not (i == 10).
    mit = {i for i in range(DEALS) if won[i]} - {10} | {1}
    s.upsert("profile_item", [
        *(m.ProfileItem(id=f"hobby-{i:02}", contact_id=f"dc-{i:02}", key="hobby",
                        value="golf" if won[i] else "chess", visibility=m.Visibility.PERSONAL)
          for i in range(DEALS)),
        *(m.ProfileItem(id=f"school-{i:02}", contact_id=f"dc-{i:02}", key="school",
                        value="MIT" if i in mit else "Yale", visibility=m.Visibility.PUBLIC)
          for i in range(DEALS)),
    ])
    return s


@pytest.fixture
def db_api(tmp_path: Any) -> Iterator[Api]:
    yield from serve(add_deals(build_world()), tmp_path)


TRIGGERS = """query($personal: Boolean! = false) { databaseReadings {
  ... on DatabaseReadings { revenueTriggers(minSupport: 5, includePersonal: $personal) {
    cases wins baseRate personalIncluded rankedCount adjusted
    ranked { feature kind value support winsWith winRateWith winRateWithout lift difference
             differenceInterval { low high } ranked reasons direction adjustedOddsRatio
             adjustedInterval { low high } explainedBy }
    unranked { feature value support ranked } } }
  ... on NotAllowed { message } } }"""


def _triggers(api: Api, who: str, personal: bool = False) -> dict[str, Any]:
    result = api.gql(who, TRIGGERS, {"personal": personal})
    assert "errors" not in result, result
    return result["data"]["databaseReadings"]["revenueTriggers"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("who", ["amy", "oscar"])
def test_members_are_refused_with_a_typed_error(db_api: Api, who: str) -> None:
    result = db_api.gql(who, "{ databaseReadings { __typename ... on NotAllowed { message } } }")
    found = result["data"]["databaseReadings"]
    assert found["__typename"] == "NotAllowed"
    assert "analysts and admins" in found["message"]


def test_analyst_triggers_use_public_items_never_personal_ones(db_api: Api) -> None:
    t = _triggers(db_api, "ann")
    features = {(x["feature"], x["value"]) for x in t["ranked"] + t["unranked"]}
    assert ("profile.school", "MIT") in features
    assert not any(f == "profile.hobby" for f, _ in features)
    assert t["personalIncluded"] is False
    body = json.dumps(t)
    assert "golf" not in body and "chess" not in body
    school = next(x for x in t["ranked"] if (x["feature"], x["value"]) == ("profile.school", "MIT"))
    assert school["kind"] == "PROFILE"
    assert (school["support"], school["winsWith"]) == (6, 5)  # 5 of 6 winners, 1 loser


def test_analyst_asking_for_personal_items_is_refused_and_told_why(db_api: Api) -> None:
    result = db_api.gql("ann", TRIGGERS, {"personal": True})
    assert result["data"] is None
    assert "only admins may include personal profile items" in result["errors"][0]["message"]
    assert "golf" not in json.dumps(result)


def test_admin_may_include_personal_items_and_that_read_is_audited(db_api: Api) -> None:
    plain = _triggers(db_api, "ada")
    assert not any(x["feature"] == "profile.hobby" for x in plain["ranked"] + plain["unranked"])
    assert db_api.audit() == []  # nothing personal was read
    t = _triggers(db_api, "ada", personal=True)
    assert t["personalIncluded"] is True
    top = t["ranked"][0]
    assert (top["feature"], top["value"], top["winRateWith"], top["winRateWithout"]) == (
        "profile.hobby", "golf", 1.0, 0.0)
    rows = [(e.user_id, e.contact_id, e.field, e.door) for e in db_api.audit()]
    assert rows == [("u-ada", AGGREGATE_CONTACT, AGGREGATE_TRIGGERS_FIELD, "graphql")]


@pytest.mark.parametrize("personal", [False, True])
def test_triggers_match_the_pure_function(db_api: Api, personal: bool) -> None:
    served = _triggers(db_api, "ada", personal=personal)
    direct = revenue_triggers(iter_opportunity_cases(db_api.store, include_personal=personal),
                              min_support=5)
    assert (served["cases"], served["wins"], served["baseRate"]) == (
        direct.cases, direct.wins, direct.base_rate) == (DEALS, DEALS // 2, 0.5)
    assert [(x["feature"], x["value"], x["support"], x["winRateWith"], x["lift"],
             x["differenceInterval"]["low"], x["differenceInterval"]["high"], x["direction"],
             x["adjustedOddsRatio"], x["adjustedInterval"]["low"], x["explainedBy"])
            for x in served["ranked"]] == [
        (x.feature, x.value, x.support, x.win_rate_with, x.lift, *x.difference_interval,
         x.direction, x.adjusted_odds_ratio, x.adjusted_interval[0], x.explained_by)
        for x in direct.ranked]
    assert served["adjusted"] is direct.adjusted is True
    # Seen on fewer than minSupport cases (with or without): listed, not ranked.
    assert all(not x["ranked"] for x in served["unranked"])
    assert {(x["feature"], x["value"]) for x in served["unranked"]} == {
        (x.feature, x.value) for x in direct.unranked}


READINGS = """{ databaseReadings { ... on DatabaseReadings {
  accounts
  mix(by: INDUSTRY) { segment accounts contacts categories { category count ratio } }
  all: mix { segment contacts }
  concentration(top: 3, thinBelow: 2) { accounts contacts shareTop10 hhi thinTargetCount
    top { companyId contacts share } thinTargets { companyId contacts } }
  purchasePlan(pricePerContact: 10) { accountCount contactsToBuy totalCost
    byCategory { category count } accounts { companyId buy { category count } } } } } }"""


def test_analyst_readings_match_the_pure_functions(db_api: Api) -> None:
    data = db_api.gql("ann", READINGS)["data"]["databaseReadings"]
    rules = load_rules()
    summaries = list(iter_account_summaries(db_api.store))
    assert data["accounts"] == len(summaries) == DEALS + 2

    mix = mix_by_segment(summaries, "industry", categories=rules.category_names)
    assert {s["segment"]: {c["category"]: c["count"] for c in s["categories"]}
            for s in data["mix"]} == {k: v.counts for k, v in mix.items()}
    assert {s["segment"] for s in data["mix"]} == {"Retail", "Banking", "Software", "Energy"}
    assert data["all"] == [{"segment": "all", "contacts": DEALS + 3}]

    c = concentration(summaries, top=3, thin_below=2)
    served = data["concentration"]
    assert (served["contacts"], served["shareTop10"], served["hhi"]) == (
        c.contacts, c.share_top_10, c.hhi)
    assert [(r["companyId"], r["share"]) for r in served["top"]] == [
        (r["company_id"], r["share"]) for r in c.top]
    assert served["top"][0]["companyId"] == "acme"  # two contacts; everyone else has one
    # The four target accounts (d-00..d-03) have one contact each: all thin below 2.
    assert [r["companyId"] for r in served["thinTargets"]] == ["d-00", "d-01", "d-02", "d-03"]

    plan = list_purchase_plan(summaries, price_per_contact=10)
    assert (data["purchasePlan"]["contactsToBuy"], data["purchasePlan"]["totalCost"]) == (
        plan.contacts_to_buy, plan.total_cost)
    assert data["purchasePlan"]["accountCount"] == 4
    assert plan.total_cost == plan.contacts_to_buy * 10 > 0


def test_purchase_plan_filters_accounts_and_takes_a_target_mix(db_api: Api) -> None:
    q = """{ databaseReadings { ... on DatabaseReadings {
      purchasePlan(accounts: {target: null, industry: "Banking"}, pricePerContact: 5,
                   targetMix: [{category: "finance", count: 3}, {category: "champion",
                   count: 1}]) {
        accountCount contactsToBuy totalCost targetMix { category count }
        accounts { companyId buy { category count } engage { category count } } } } } }"""
    plan = db_api.gql("ann", q)["data"]["databaseReadings"]["purchasePlan"]
    assert [a["companyId"] for a in plan["accounts"]] == ["d-08", "d-09", "d-10", "d-11"]
    assert plan["targetMix"] == [{"category": "finance", "count": 3},
                                 {"category": "champion", "count": 1}]
    # A champion cannot be bought: it is listed to engage, never in the budget.
    assert all(a["engage"] == [{"category": "champion", "count": 1}] for a in plan["accounts"])
    bought = sum(b["count"] for a in plan["accounts"] for b in a["buy"])
    assert plan["contactsToBuy"] == bought and plan["totalCost"] == bought * 5


def test_bad_arguments_name_the_field(db_api: Api) -> None:
    q = """{ databaseReadings { ... on DatabaseReadings {
      purchasePlan(targetMix: [{category: "wizard", count: 1}]) { totalCost } } } }"""
    message = db_api.gql("ann", q)["errors"][0]["message"]
    assert "targetMix[0].category 'wizard' is not a category" in message
    assert "decision_maker" in message  # says what would work
    q = """{ databaseReadings { ... on DatabaseReadings {
      revenueTriggers(minSupport: 0) { cases } } } }"""
    assert "minSupport=0 is outside" in db_api.gql("ann", q)["errors"][0]["message"]


def test_readings_are_cached_and_a_write_rereads_only_its_account(db_api: Api) -> None:
    database = db_api.client.app.state.database  # type: ignore[attr-defined]
    q = "{ databaseReadings { ... on DatabaseReadings { concentration { contacts } } } }"

    def contacts() -> int:
        return int(db_api.gql("ann", q)["data"]["databaseReadings"]["concentration"]["contacts"])

    before = contacts()
    read = database.stats["accounts_read"]
    assert read == DEALS + 2
    assert contacts() == before and database.stats["accounts_read"] == read
    result = db_api.gql("ada", """mutation { createContact(input: {id: "dc-new",
        companyId: "d-05", name: "New Buyer"}) { __typename } }""")
    assert result["data"]["createContact"]["__typename"] == "Contact"
    assert contacts() == before + 1
    assert database.stats["accounts_read"] == read + 1


def test_a_knows_link_rereads_the_two_accounts_not_the_database(db_api: Api) -> None:
    database = db_api.client.app.state.database  # type: ignore[attr-defined]
    q = "{ databaseReadings { ... on DatabaseReadings { accounts } } }"
    db_api.gql("ann", q)
    read = database.stats["accounts_read"]
    result = db_api.gql("ada", """mutation { setKnows(sourceId: "dc-01", targetId: "c-carl") {
        __typename } }""")
    assert result["data"]["setKnows"]["__typename"] == "Knows"
    db_api.gql("ann", q)
    assert database.stats["accounts_read"] == read + 2  # d-01 and globex


def test_personal_items_asked_for_but_not_looked_at_are_not_a_read(db_api: Api) -> None:
    q = """{ databaseReadings { ... on DatabaseReadings {
      revenueTriggers(minSupport: 5, includePersonal: true, kinds: [FIRMOGRAPHIC, MIX]) {
        personalIncluded ranked { kind } unranked { kind } } } } }"""
    t = db_api.gql("ada", q)["data"]["databaseReadings"]["revenueTriggers"]
    assert t["personalIncluded"] is False
    assert {x["kind"] for x in t["ranked"] + t["unranked"]} <= {"FIRMOGRAPHIC", "MIX"}
    assert db_api.audit() == []


CONTACTS = """{ contacts(filter: {categories: [DECISION_MAKER]}, sort: STRENGTH) {
  totalCount items { id name } } }"""


def test_a_restarted_server_answers_from_the_saved_rows_without_a_walk(tmp_path: Any) -> None:
    store = add_deals(build_world())
    before: dict[str, Any] = {}
    for run in ("first", "restarted"):
        api = serve(store, tmp_path)
        served = next(api)
        db = served.client.app.state.database  # type: ignore[attr-defined]
        contacts = served.gql("ann", CONTACTS)
        triggers = _triggers(served, "ada", personal=True)
        if run == "first":
            before = {"contacts": contacts, "triggers": triggers}
            assert db.stats["accounts_read"] == DEALS + 2 and db.stats["loaded_from_file"] == 0
        else:
            assert {"contacts": contacts, "triggers": triggers} == before
            assert db.stats["accounts_read"] == 0
            assert db.stats["loaded_from_file"] == DEALS + 2
            # The personal hobbies were read again for the admin, not from the file.
            assert db.stats["personal_read"] == DEALS
        assert contacts["data"]["contacts"]["totalCount"] > 0
        assert triggers["personalIncluded"] is True
        next(api, None)  # stop the server: it saves the rows on its way
        saved = list(tmp_path.glob("database-rows-*.json"))
        assert len(saved) == 1
        assert b"golf" not in saved[0].read_bytes() and b"chess" not in saved[0].read_bytes()
