"""Status, breadth, mix, whitespace and job changes on accounts readable by eye."""

from __future__ import annotations

import json

from graph.readings import account_readings
from graph.readings.testing import AccountBuilder

from .conftest import AS_OF


def test_single_threaded_account_is_at_risk_and_names_the_thread(single_threaded):
    r = account_readings(single_threaded, as_of=AS_OF)
    assert r.status.status == "at_risk"
    assert any(x.startswith("single-threaded: Ann carries 100%") for x in r.status.reasons)
    assert "no champion engaged" in r.status.reasons
    assert r.breadth.live_contacts == ["ann"]
    assert r.mix.counts["decision_maker"] == 1
    assert r.mix.counts["unengaged"] == 2
    assert r.mix.ratios["unengaged"] == round(2 / 3, 4)


def test_champion_who_left_is_a_risk_here_and_an_opening_where_they_went(champion_left):
    r = account_readings(champion_left, as_of=AS_OF)
    assert r.status.status == "at_risk"
    # Where he went is named as a rep knows it, not by its id.
    assert "champion Carl left on 2025-03-01, now at Globex" in r.status.reasons
    carl = next(j for j in r.job_changes if j.contact_id == "carl")
    assert (carl.direction, carl.other_company_id, carl.other_company, carl.risk,
            carl.opening) == ("left", "globex", "Globex", True, True)
    # Carl no longer counts in the mix: he is not a current contact.
    assert r.mix.counts["champion"] == 0
    assert r.classification["carl"].primary == "champion"


def test_the_day_before_the_champion_left_he_still_counts(champion_left):
    r = account_readings(champion_left, as_of="2025-02-28")
    assert r.mix.counts["champion"] == 1
    assert not any("left" in x for x in r.status.checks["at_risk"])


def test_healthy_account_can_grow(healthy):
    r = account_readings(healthy, as_of=AS_OF)
    assert r.status.status == "can_grow", r.status.checks
    assert r.breadth.departments_covered == ["Executive", "IT", "Operations"]
    assert "decision maker engaged: Gus" in r.status.reasons


def test_account_nobody_touched_for_a_year_is_dormant(healthy):
    r = account_readings(healthy, as_of="2026-09-01")
    assert r.status.status == "dormant"
    assert r.status.reasons[0].startswith("no touchpoint for ")


def test_only_media_engaged_means_no_relationship():
    b = AccountBuilder("gazette")
    b.contact("jo", title="Editor")
    b.touch("p", "press_inquiry", "2025-06-01", contacts=["jo"])
    r = account_readings(b.G, as_of=AS_OF)
    assert r.status.status == "no_relationship"
    assert "serves another purpose" in r.status.reasons[0]


def test_names_on_a_list_are_no_relationship():
    b = AccountBuilder("listco")
    b.contact("a", title="CFO")
    b.contact("b", title="Engineer")
    r = account_readings(b.G, as_of=AS_OF)
    assert r.status.status == "no_relationship"
    assert r.status.reasons == ["none of 2 current contacts has a touchpoint or opportunity"]


def test_whitespace_shows_departments_and_categories_with_nobody(single_threaded):
    w = account_readings(single_threaded, as_of=AS_OF).whitespace
    assert "Executive" in w.empty_departments and "Operations" in w.empty_departments
    assert w.unengaged_departments == ["IT", "Procurement"]
    assert "champion" in w.missing_categories and "decision_maker" not in w.missing_categories
    assert w.grid == {"Finance": {"C-level": 1}}
    assert ("Finance", "VP") in w.gaps and ("Finance", "C-level") not in w.gaps


def test_arrival_from_another_account_with_history_is_an_opening():
    b = AccountBuilder("newco")
    b.user("una")
    k = b.contact("carl", title="Director")
    # Carl's earlier job elsewhere, as the store's employment history gives it.
    b.G.add_edge(k, "company:oldco", key="EMPLOYED_AT", kind="EMPLOYED_AT",
                 end_date=__import__("datetime").date(2025, 3, 1))
    b.touch("t", "meeting", "2025-06-01", contacts=["carl"], users=["una"])
    jc = account_readings(b.G, as_of=AS_OF).job_changes
    assert [(j.direction, j.other_company_id, j.opening) for j in jc] == [
        ("joined", "oldco", True)]


def test_readings_are_json_ready(champion_left):
    data = account_readings(champion_left, as_of=AS_OF).to_dict()
    back = json.loads(json.dumps(data))
    assert back["status"]["status"] == "at_risk"
    assert back["as_of"].startswith("2025-06-30")


def test_a_support_engineer_on_a_won_deal_is_not_named_a_decision_maker(healthy):
    b = AccountBuilder("globex")
    b.G = healthy
    b.contact("kim", name="Kim", title="Support Engineer", seniority="Individual contributor",
              department="IT")
    for i in range(6):
        b.touch(f"tk{i}", "support_ticket", f"2025-06-{10 + i}", contacts=["kim"])
    b.opportunity("deal", close_date="2025-06-25", contacts=["gus", "kim"])
    status = account_readings(healthy, as_of=AS_OF).status
    named = next(r for r in status.reasons if r.startswith("decision maker engaged"))
    assert "Gus" in named and "Kim" not in named


def test_the_summary_agrees_with_the_full_readings():
    from graph.readings import account_summary
    from graph.readings.testing import SAMPLE_AS_OF, SAMPLES

    for name, build in SAMPLES.items():
        G = build()
        full = account_readings(G, as_of=SAMPLE_AS_OF)
        summary = account_summary(G, as_of=SAMPLE_AS_OF)
        assert summary.status == full.status, name
        assert summary.breadth == full.breadth, name
