"""The onboarding brief: what a rep who inherits Globex reads, and what they may not."""

from __future__ import annotations

from datetime import UTC, date, datetime

from graph.model import User
from graph.neighbourhood import GraphBuilder
from graph.privacy import PersonalRule
from visualizer.brief import build_brief
from visualizer.brief_render import to_html, to_markdown
from visualizer.inputs import AccountReadings, ContactReading, Viewer
from visualizer.map import map_data

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
OUTSIDER = Viewer(name="outsider")
# Uma is on Globex\'s team: she sees the personal data of Globex\'s contacts.
TEAM = Viewer(name="new owner", rule=PersonalRule(User(id="uma", name="Uma"),
                                          lambda cid: {"uma"} if cid == "globex" else ()),
              user_key="user:uma")


def test_status_and_why_come_from_the_readings(globex, readings):
    brief = build_brief(globex, readings, OUTSIDER, as_of=AS_OF)
    assert brief.status == "at_risk"
    assert brief.status_reasons == list(readings.status_reasons)
    assert brief.owner == "Uma Reed"


def test_key_people_by_role_with_strength_and_who_knows_them(globex, readings):
    brief = build_brief(globex, readings, OUTSIDER, as_of=AS_OF)
    (dana,) = brief.people_by_role["Decision maker"]
    assert dana.name == "Dana Scott"
    assert dana.strength == 0.8
    assert dana.known_by == [("Uma Reed", 0.7)]
    assert dana.single_point_of_failure
    # Eli has left: he is no longer a key person, he is a risk.
    assert "Champion" not in brief.people_by_role
    # The status reasons say "champion Eli left"; the risks name him in full, once.
    assert "Champion Eli Park has left" in brief.risks
    assert "Dana Scott is a single point of failure: only route to Finance" in brief.risks
    assert not set(brief.risks) & set(brief.status_reasons)


def test_next_steps_follow_from_the_readings(globex, readings):
    steps = build_brief(globex, readings, OUTSIDER, as_of=AS_OF).next_steps
    assert 3 <= len(steps) <= 5
    text = " ".join(map(str, steps))
    assert "Replace champion Eli Park" in text
    # Dana is the only one we know in Finance: nobody else there closes the gap.
    assert "Widen beyond Dana Scott: find a second person in Finance." in text
    assert "No one in IT now Eli has left" in text
    assert all(s.answers and s.why for s in steps)


def test_weak_decision_maker_gets_an_introduction_step(globex):
    weak = AccountReadings(
        contacts={"contact:dana": ContactReading("decision_maker", strength=0.1,
                                                 known_by={"user:uma": 0.1})}
    )  # fmt: skip
    steps = build_brief(globex, weak, OUTSIDER, as_of=AS_OF).next_steps
    assert any("Meet Dana Scott" in s.action and "ask Uma Reed to introduce you" in s.action
               for s in steps)


def test_recent_and_upcoming_touchpoints_split_at_as_of(globex, readings):
    recent = build_brief(globex, readings, OUTSIDER, as_of=AS_OF).recent
    assert [(t.kind, t.subject) for t in recent] == [("event", "2026 summit")]
    assert recent[0].contacts == ["Dana Scott", "Eli Park"] and recent[0].users == ["Uma Reed"]
    before = build_brief(globex, readings, OUTSIDER, as_of=datetime(2026, 9, 1, tzinfo=UTC))
    assert before.recent == [] and [t.subject for t in before.upcoming] == ["2026 summit"]
    assert before.next_steps[0].action.startswith("Prepare for the event on 2026-09-14")


def test_open_and_recently_closed_opportunities_not_old_ones(globex, readings):
    for oid, stage, closed in (
        ("o-open", "proposal", date(2026, 12, 15)),
        ("o-won", "closed_won", date(2026, 3, 1)),
        ("o-old", "closed_lost", date(2023, 1, 1)),
    ):
        globex.add_node(f"opportunity:{oid}", kind="opportunity", id=oid, name=oid,
                        stage=stage, amount=1000.0, close_date=closed)  # fmt: skip
        globex.add_edge("contact:dana", f"opportunity:{oid}", key="INVOLVED_IN", kind="INVOLVED_IN")
    brief = build_brief(globex, readings, OUTSIDER, as_of=AS_OF)
    assert [d.name for d in brief.deals] == ["o-open", "o-won"]
    assert any(
        s.action.startswith("Move o-open (proposal, 1,000) forward with Dana Scott")
        for s in brief.next_steps
    )


def test_outsider_sees_that_notes_exist_but_not_what_they_say(globex, readings):
    brief = build_brief(globex, readings, OUTSIDER, as_of=AS_OF)
    assert [(n.key, n.value) for n in brief.notes] == [("hobby", "sailing")]
    assert brief.hidden_notes == 1
    assert brief.personal_reads == []
    md = to_markdown(brief)
    html = to_html(brief, map_data(globex, readings, OUTSIDER))
    for page in (md, html):
        assert "two kids" not in page
        assert "1 personal note hidden" in page


def test_team_member_reads_personal_notes_and_the_read_is_reported(globex, readings):
    brief = build_brief(globex, readings, TEAM, as_of=AS_OF)
    assert ("family", "two kids") in [(n.key, n.value) for n in brief.notes]
    assert brief.hidden_notes == 0
    assert brief.personal_reads == [("dana", "family")]
    assert "Dana Scott: family: two kids" in to_markdown(brief)


def test_markdown_has_every_section_a_new_rep_needs(globex, readings):
    md = to_markdown(build_brief(globex, readings, OUTSIDER, as_of=AS_OF))
    assert md.startswith("# Globex Corp: onboarding brief\n")
    for heading in ("Why this status", "Risks", "Suggested next steps", "Key people by role",
                    "Whitespace", "Upcoming touchpoints", "Recent touchpoints", "Opportunities",
                    "Personal notes", "Our team"):  # fmt: skip
        assert f"\n## {heading}\n" in md
    assert "Status: **at risk**" in md


def test_html_brief_embeds_the_map(globex, readings):
    brief = build_brief(globex, readings, OUTSIDER, as_of=AS_OF)
    html = to_html(brief, map_data(globex, readings, OUTSIDER))
    assert 'id="map-data"' in html and "vis.Network" in html
    assert 'class="badge status-at_risk"' in html


def test_markdown_escapes_names_that_look_like_markup(readings):
    b = GraphBuilder("m")
    b.node("company", {"id": "m", "name": "**Bold** [link](http://x)"})
    md = to_markdown(build_brief(b.G, AccountReadings(), OUTSIDER, as_of=AS_OF))
    assert "[link](http://x)" not in md and "**Bold**" not in md


def test_empty_account_still_gives_three_steps():
    b = GraphBuilder("empty")
    b.node("company", {"id": "empty", "name": "Empty Ltd"})
    brief = build_brief(b.G, AccountReadings(), OUTSIDER, as_of=AS_OF)
    assert len(brief.next_steps) == 3
    assert brief.contacts == 0
    assert "_Nobody engaged yet._" in to_markdown(brief)
    assert "Empty Ltd" in to_html(brief, map_data(b.G, AccountReadings(), OUTSIDER))
