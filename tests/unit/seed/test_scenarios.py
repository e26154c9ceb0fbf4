"""Each account is what the manifest says it was built for.

These check the raw data the readings will read, so a reading that disagrees
with the manifest points at the reading, not at the world.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

import pytest

from graph.model import (
    ContactStatus,
    Lifecycle,
    OpportunityStage,
    Silo,
    TouchpointKind,
    UserRole,
    Visibility,
)
from seed.generator import REFERENCE_NOW, AccountRecord, Scenario
from tests.unit.seed.conftest import Generated

K = TouchpointKind
YEAR = timedelta(days=365)


def account(demo: Generated, scenario: Scenario) -> AccountRecord:
    return next(r for r in demo.world.manifest if r.scenario is scenario)


def touches(demo: Generated, company_id: str) -> list[Any]:
    return [t for t in demo.of("touchpoint") if t.company_id == company_id]


def people(demo: Generated, company_id: str) -> list[Any]:
    return [c for c in demo.of("contact") if c.company_id == company_id]


def last_touch(demo: Generated) -> dict[str, datetime]:
    last: dict[str, datetime] = {}
    for t in demo.of("touchpoint"):
        for c in t.contact_ids:
            last[c] = max(last.get(c, t.at), t.at)
    return last


def test_every_scenario_is_in_the_demo(demo: Generated) -> None:
    assert {r.scenario for r in demo.world.manifest} == set(Scenario)


def test_touchpoints_span_three_years_up_to_now(demo: Generated) -> None:
    times = [t.at for t in demo.of("touchpoint")]
    assert max(times) <= REFERENCE_NOW
    assert min(times) >= REFERENCE_NOW - 3 * YEAR
    assert max(times) >= REFERENCE_NOW - timedelta(days=7)
    assert min(times) <= REFERENCE_NOW - 2.9 * YEAR


def test_growing_account_has_decision_maker_and_champion_in_touch(demo: Generated) -> None:
    rec = account(demo, Scenario.GROWING)
    last = last_touch(demo)
    assert REFERENCE_NOW - last[rec.people["decision_maker"]] < timedelta(days=90)
    assert REFERENCE_NOW - last[rec.people["champion"]] < timedelta(days=90)
    recent = {c for t in touches(demo, rec.company_id) if REFERENCE_NOW - t.at < YEAR
              for c in t.contact_ids}
    departments = {c.department_id for c in people(demo, rec.company_id) if c.id in recent}
    assert len(departments) >= 4
    assert rec.lifecycle == "customer"


def test_single_threaded_account_hangs_on_one_person(demo: Generated) -> None:
    rec = account(demo, Scenario.SINGLE_THREADED)
    tps = touches(demo, rec.company_id)
    assert tps
    assert {c for t in tps for c in t.contact_ids} == {rec.people["only_thread"]}
    assert len(people(demo, rec.company_id)) > 10


def test_quiet_champion_has_not_been_touched_for_200_days(demo: Generated) -> None:
    rec = account(demo, Scenario.CHAMPION_QUIET)
    last = last_touch(demo)
    assert REFERENCE_NOW - last[rec.people["champion"]] >= timedelta(days=200)
    # ...while the account itself is alive.
    assert max(t.at for t in touches(demo, rec.company_id)) > REFERENCE_NOW - timedelta(days=30)


def test_champion_who_left_now_works_at_another_account(demo: Generated) -> None:
    old = account(demo, Scenario.CHAMPION_LEFT)
    new = account(demo, Scenario.CHAMPION_ARRIVED)
    champion = old.people["champion"]
    assert old.people["moved_to"] == new.company_id
    assert new.people["arrived_champion"] == champion
    contact = next(c for c in demo.of("contact") if c.id == champion)
    assert contact.company_id == new.company_id
    jobs = {r.target: r for r in demo.of("EMPLOYED_AT") if r.source == champion}
    assert jobs[old.company_id].end_date is not None
    assert jobs[new.company_id].end_date is None
    assert jobs[new.company_id].start_date > jobs[old.company_id].end_date
    # No touch at the old account after leaving; some at the new one since joining.
    left = jobs[old.company_id].end_date
    at_old = [t.at.date() for t in touches(demo, old.company_id) if champion in t.contact_ids]
    at_new = [t.at.date() for t in touches(demo, new.company_id) if champion in t.contact_ids]
    assert at_old and max(at_old) <= left
    assert at_new and min(at_new) >= jobs[new.company_id].start_date
    # Old colleagues still know them: the warm path into the new account.
    knows = [r for r in demo.of("KNOWS") if champion in (r.source, r.target)]
    assert any(r.origin == "former colleague" for r in knows)


def test_some_people_left_without_moving_within_the_world(demo: Generated) -> None:
    left = [c for c in demo.of("contact") if c.status is ContactStatus.LEFT]
    assert len(left) >= 10
    ends = {r.source: r.end_date for r in demo.of("EMPLOYED_AT") if r.end_date}
    assert all(ends.get(c.id) for c in left)
    last = last_touch(demo)
    for c in left:
        if c.id in last:
            assert last[c.id].date() <= ends[c.id]


def test_dormant_account_has_no_touchpoint_in_a_year(demo: Generated) -> None:
    rec = account(demo, Scenario.DORMANT)
    tps = touches(demo, rec.company_id)
    assert tps
    assert max(t.at for t in tps) < REFERENCE_NOW - YEAR


def test_media_only_account_talks_to_us_only_through_analysts_and_press(demo: Generated) -> None:
    rec = account(demo, Scenario.MEDIA_ONLY)
    kinds = Counter(t.type for t in touches(demo, rec.company_id))
    assert kinds[K.ANALYST_BRIEFING] + kinds[K.PRESS_INQUIRY] > sum(kinds.values()) / 2
    assert not {K.CONTRACT_SIGNATURE, K.INVOICE, K.PURCHASE_ORDER, K.SUPPORT_TICKET} & set(kinds)
    assert {demo.world.roles[c.id] for c in people(demo, rec.company_id)} <= {"analyst", "media"}


def test_purchased_list_account_is_bought_names_and_nothing_else(demo: Generated) -> None:
    rec = account(demo, Scenario.PURCHASED_ONLY)
    contacts = people(demo, rec.company_id)
    assert contacts
    assert all(c.sources == [Silo.PURCHASED] for c in contacts)
    assert touches(demo, rec.company_id) == []


def test_marketing_only_account_hears_only_campaigns(demo: Generated) -> None:
    rec = account(demo, Scenario.MARKETING_ONLY)
    tps = touches(demo, rec.company_id)
    assert tps
    assert {t.type for t in tps} <= {K.EMAIL, K.DIRECT_MAIL, K.WEBINAR}
    assert all(t.campaign for t in tps)


def test_empty_account_has_no_one(demo: Generated) -> None:
    rec = account(demo, Scenario.EMPTY)
    assert people(demo, rec.company_id) == []
    assert touches(demo, rec.company_id) == []
    assert rec.contacts == 0


def test_no_decision_maker_account_has_none(demo: Generated) -> None:
    rec = account(demo, Scenario.NO_DECISION_MAKER)
    roles = {demo.world.roles[c.id] for c in people(demo, rec.company_id)}
    assert "decision_maker" not in roles and "champion" not in roles
    assert touches(demo, rec.company_id)


# role -> kinds that should be the bulk of that role's touchpoints
ROLE_KINDS = {
    "finance": {K.INVOICE, K.PAYMENT},
    "end_user": {K.SUPPORT_TICKET},
    "decision_maker": {K.CONTRACT_SIGNATURE, K.MEETING},
    "purchaser": {K.PURCHASE_ORDER},
    "technical_evaluator": {K.DEMO},
    "analyst": {K.ANALYST_BRIEFING},
    "media": {K.PRESS_INQUIRY},
    "champion": {K.REFERENCE, K.REFERRAL, K.MEETING},
}


@pytest.mark.parametrize("role", list(ROLE_KINDS))
def test_touchpoint_mix_follows_the_contacts_role(demo: Generated, role: str) -> None:
    kinds: Counter[TouchpointKind] = Counter()
    for t in demo.of("touchpoint"):
        if demo.world.roles.get(t.contact_ids[0]) == role:
            kinds[t.type] += 1
    share = sum(kinds[k] for k in ROLE_KINDS[role]) / sum(kinds.values())
    assert share >= 0.3, kinds
    # And those kinds are what sets this role apart from everyone else.
    others: Counter[TouchpointKind] = Counter()
    for t in demo.of("touchpoint"):
        if demo.world.roles.get(t.contact_ids[0]) != role:
            others[t.type] += 1
    assert share > sum(others[k] for k in ROLE_KINDS[role]) / sum(others.values())


def test_every_touchpoint_kind_outcome_and_direction_occurs(demo: Generated) -> None:
    tps = demo.of("touchpoint")
    assert {t.type for t in tps} == set(TouchpointKind)
    assert {t.outcome for t in tps} >= {"responded", "no_response", "positive", "negative"}
    assert {t.direction for t in tps} == {"inbound", "outbound"}
    assert any(t.campaign for t in tps)
    assert any(len(t.contact_ids) > 1 for t in tps)
    assert all(t.contact_ids for t in tps)


def test_firmographics_cover_every_lifecycle_and_targets(demo: Generated) -> None:
    companies = demo.of("company")
    assert {c.lifecycle for c in companies} == set(Lifecycle)
    assert len({c.industry for c in companies}) >= 6
    assert len({c.size_band for c in companies}) >= 4
    assert len({c.region for c in companies}) >= 3
    assert 0 < sum(c.target for c in companies) < len(companies)
    manifest = {r.company_id: r.lifecycle for r in demo.world.manifest}
    assert all(manifest[c.id] == c.lifecycle for c in companies)


def test_every_account_has_one_current_owner_and_some_changed_hands(demo: Generated) -> None:
    current = Counter(r.target for r in demo.of("OWNS") if r.until is None)
    assert set(current.values()) == {1}
    assert len(current) == len(demo.of("company"))
    handed_over = {r.target for r in demo.of("OWNS") if r.until is not None}
    assert 3 <= len(handed_over) < len(current)
    owners = {r.source for r in demo.of("OWNS") if r.until is None}
    team = {(r.source, r.target) for r in demo.of("ON_TEAM")}
    assert all((r.source, r.target) in team for r in demo.of("OWNS") if r.until is None)
    users = {u.id: u for u in demo.of("user")}
    assert {users[u].role for u in owners} == {UserRole.ACCOUNT_MANAGER}
    assert {u.role for u in users.values()} == set(UserRole)
    # Some accounts came from someone who has since left us (the onboarding case).
    assert any(not users[r.source].active for r in demo.of("OWNS") if r.until is not None)


def test_touchpoint_users_are_on_that_account_team(demo: Generated) -> None:
    """Or owned the account then: before a handover, the previous owner took part."""
    team: dict[str, set[str]] = defaultdict(set)
    for r in demo.of("ON_TEAM"):
        team[r.target].add(r.source)
    ended = defaultdict(list)
    for o in demo.of("OWNS"):
        if o.until is not None:
            ended[o.target].append(o)

    def ours(t: Any) -> set[str]:
        return team[t.company_id] | {o.source for o in ended[t.company_id] if t.at < o.until}

    assert all(set(t.user_ids) <= ours(t) for t in demo.of("touchpoint"))
    handed = {t.company_id for t in demo.of("touchpoint")
              if set(t.user_ids) - team[t.company_id]}
    assert handed and handed <= set(ended)


def test_reporting_lines_form_trees_inside_each_company(demo: Generated) -> None:
    company = {c.id: c.company_id for c in demo.of("contact")}
    manager = {r.source: r.target for r in demo.of("REPORTS_TO")}
    assert len(manager) == len(demo.of("REPORTS_TO"))  # one manager each
    assert all(company[a] == company[b] for a, b in manager.items())
    for start in manager:  # no cycles
        seen, node = set(), start
        while node in manager:
            assert node not in seen
            seen.add(node)
            node = manager[node]


def test_profile_items_are_public_and_personal_and_entered_by_the_team(demo: Generated) -> None:
    items = demo.of("profile_item")
    assert {i.visibility for i in items} == set(Visibility)
    assert {"school", "charity", "family", "sports", "hobby", "values_in_vendor"} <= {
        i.key for i in items
    }
    assert all(i.visibility is Visibility.PERSONAL for i in items if i.key == "family")
    pairs = [(i.contact_id, i.key) for i in items]
    assert len(pairs) == len(set(pairs))


def test_deals_are_won_lost_and_open(demo: Generated) -> None:
    stages = Counter(o.stage for o in demo.of("opportunity"))
    assert stages[OpportunityStage.CLOSED_WON] >= 10
    assert stages[OpportunityStage.CLOSED_LOST] >= 10
    assert sum(n for s, n in stages.items() if not s.startswith("closed")) >= 3
    future = [o for o in demo.of("opportunity") if o.close_date > REFERENCE_NOW.date()]
    assert all(not o.stage.startswith("closed") for o in future)
