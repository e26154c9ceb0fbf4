"""The brief on accounts built for each hard case: the next steps name the person and why.

Each account is small enough to read by eye, and goes through the real readings
(:func:`visualizer.inputs.readings_for`), as the pages and the command line do:

* Initech: champion Carl moved to Northwind; Dana works where he did.
* Umbrella: champion Hal has been quiet for 200 days; Gus still signs.
* Hooli: CEO Gus is the only warm route into Legal (Lia and Leo report to him);
  Operations has two strong people who have nothing to do with that gap.
* Vandelay: Ola owned the account until March and has left us; Una owns it now.
"""

from __future__ import annotations

from datetime import UTC, datetime

from graph.model import User
from graph.privacy import PersonalRule
from graph.readings.testing import AccountBuilder
from visualizer.brief import build_brief
from visualizer.brief_render import to_html, to_markdown
from visualizer.inputs import Viewer, readings_for

AS_OF = datetime(2025, 6, 30, tzinfo=UTC)
OUTSIDER = Viewer(name="outsider")


def _brief(b: AccountBuilder, viewer: Viewer = OUTSIDER):
    return build_brief(b.G, readings_for(b.G, as_of=AS_OF), viewer, as_of=AS_OF)


def _step(brief, start: str):
    found = [s for s in brief.next_steps if s.action.startswith(start)]
    assert found, f"no step starts {start!r}: {[s.action for s in brief.next_steps]}"
    return found[0]


def moved_champion() -> AccountBuilder:
    b = AccountBuilder("initech", name="Initech")
    b.user("una", name="Una Reed", owner=True)
    b.contact("carl", name="Carl Diaz", title="Director of Operations", department="Operations",
              left_on="2025-03-01", moved_to="co-9")
    # As in the demo: active at his new company; only his employment here ended.
    b.G.nodes["contact:carl"]["status"] = "active"
    b.G.graph["company_names"]["co-9"] = "Northwind"
    b.contact("dana", name="Dana Lee", title="Operations Manager", department="Operations")
    b.contact("eve", name="Eve Moss", title="VP Finance", seniority="VP", department="Finance")
    for i, day in enumerate(("2024-10-05", "2024-11-05", "2025-01-15")):
        b.touch(f"ref{i}", "reference" if i % 2 else "referral", day, contacts=["carl"],
                users=["una"], outcome="positive")
    for i, day in enumerate(("2025-05-02", "2025-06-03")):
        b.touch(f"m{i}", "meeting", day, contacts=["dana"], users=["una"])
    b.touch("sig", "contract_signature", "2025-05-20", contacts=["eve"], users=["una"])
    return b


def test_a_champion_who_moved_is_shown_as_moved_with_the_new_companys_name():
    brief = _brief(moved_champion())
    shown = [p.name for people in brief.people_by_role.values() for p in people]
    assert "Carl Diaz" not in shown
    (gone,) = brief.departed
    assert (gone.person.name, gone.role, gone.now_at) == ("Carl Diaz", "Champion", "Northwind")
    md = to_markdown(brief)
    assert "Champion Carl Diaz (Director of Operations, Operations) left on 2025-03-01, now " \
           "at Northwind" in md
    assert "co-9" not in md
    html = to_html(brief, account_href=lambda c: f"/accounts/{c}/brief")
    assert '<a href="/accounts/co-9/brief">Northwind</a>' in html


def test_served_the_brief_leads_to_the_warm_paths_a_saved_file_does_not():
    brief = _brief(moved_champion())
    served = to_html(brief, account_href=lambda c: f"/accounts/{c}/brief",
                     reach_href=lambda c, p: f"/accounts/{c}/map?to={p}")
    # Followed to the new company: the paths to him there.
    assert 'href="/accounts/co-9/map?to=carl"' in served
    assert "how do we reach them there" in served
    # Every key person here: the paths to them.
    assert 'href="/accounts/initech/map?to=dana"' in served
    # A file written by the command line has no server to answer the link.
    assert "how do we reach them" not in to_html(brief)


def test_a_moved_champion_is_replaced_here_and_followed_to_the_new_company():
    brief = _brief(moved_champion())
    replace = _step(brief, "Replace champion Carl Diaz here: win over Dana Lee.")
    assert "Job changes: Carl Diaz left on 2025-03-01 for Northwind" in replace.answers
    assert "works in Operations, as Carl Diaz did" in replace.why
    follow = _step(brief, "Follow Carl Diaz to Northwind")
    assert "now works at Northwind" in follow.answers
    assert "Una Reed knows them best" in follow.why


def quiet_champion() -> AccountBuilder:
    b = AccountBuilder("umbrella", name="Umbrella")
    b.user("una", name="Una Reed", owner=True)
    b.contact("gus", name="Gus Hart", title="CEO", seniority="C-level", department="Executive")
    b.contact("hal", name="Hal Ng", title="Head of Operations", department="Operations")
    b.touch("ref", "reference", "2024-12-11", contacts=["hal"], users=["una"],
            outcome="positive")
    b.touch("sig", "contract_signature", "2025-06-20", contacts=["gus"], users=["una"])
    return b


def test_a_quiet_champion_the_status_names_gets_a_step_to_re_engage_them():
    brief = _brief(quiet_champion())
    assert any(r.startswith("champion Hal Ng quiet for 200 days") for r in brief.status_reasons)
    step = _step(brief, "Re-engage champion Hal Ng (Head of Operations, Operations).")
    assert step.answers.startswith("Relationship status: champion Hal Ng quiet for 200 days")
    assert "Una Reed knows them best" in step.why
    # Said once: the reason is not repeated under "Risks".
    assert not any("quiet" in r for r in brief.risks)


def single_route_into_legal() -> AccountBuilder:
    b = AccountBuilder("hooli", name="Hooli")
    b.user("una", name="Una Reed", owner=True)
    b.contact("gus", name="Gus Hart", title="CEO", seniority="C-level", department="Executive")
    b.contact("lia", name="Lia Park", title="General Counsel", department="Legal")
    b.contact("leo", name="Leo Park", title="Contracts Manager", department="Legal")
    b.reports("lia", "gus")
    b.reports("leo", "lia")
    b.contact("olga", name="Olga Ruiz", title="VP Operations", department="Operations")
    b.contact("otto", name="Otto Ruiz", title="Operations Director", department="Operations")
    for i in range(6):
        day = f"2025-0{i + 1}-10"
        b.touch(f"o{i}", "meeting", day, contacts=["olga", "otto"], users=["una"],
                outcome="positive")
    b.touch("sig", "contract_signature", "2025-06-01", contacts=["gus"], users=["una"])
    return b


def test_widening_a_single_point_of_failure_picks_the_people_who_close_the_gap():
    brief = _brief(single_route_into_legal())
    assert ("Gus Hart is a single point of failure: the only warm route into Executive and "
            "into Legal") in brief.risks
    step = _step(brief, "Widen beyond Gus Hart: build a direct relationship with")
    assert "Lia Park" in step.action and "in Legal" in step.action
    # Not the strongest people elsewhere: they close no gap.
    assert "Olga" not in step.action and "Otto" not in step.action
    assert step.answers == "Key people: Gus Hart is the only warm route into Legal"
    assert "reached today only through Gus Hart" in step.why


def handed_over(*, still_with_us: bool = False) -> AccountBuilder:
    b = AccountBuilder("vandelay", name="Vandelay")
    b.user("ola", name="Ola Berg", role=None, owner=("2021-01-01", "2025-03-01"),
           active=still_with_us)
    b.user("una", name="Una Reed", role="owner", owner=("2025-03-01", None))
    b.contact("ann", name="Ann Cole", title="CFO", seniority="C-level", department="Finance")
    b.contact("bob", name="Bob Cole", title="IT Manager", department="IT")
    for i, day in enumerate(("2024-11-04", "2024-12-02", "2025-01-13", "2025-02-10")):
        b.touch(f"a{i}", "meeting", day, contacts=["ann"], users=["ola"], outcome="positive",
                subject="Quarterly review")
    b.touch("b0", "email", "2024-06-01", contacts=["bob"], users=["ola"])
    b.touch("sig", "contract_signature", "2025-06-02", contacts=["ann", "bob"], users=["una"])
    b.note("n1", "ann", "hobby", "sailing", personal=False, by="ola", at="2024-12-03")
    b.note("n2", "ann", "family", "twins born in May", by="ola", at="2025-01-14")
    return b


def test_the_handover_says_who_owned_it_since_when_and_what_they_knew():
    brief = _brief(handed_over())
    (h,) = brief.handovers
    assert (h.name, h.active, h.until.isoformat(), h.successor) == (
        "Ola Berg", False, "2025-03-01", "Una Reed")
    assert h.touchpoints == 5 and [k.name for k in h.knew_best] == ["Ann Cole", "Bob Cole"]
    assert h.knew_best[0].touchpoints == 4
    assert [(n.contact, n.key, n.value) for n in h.notes] == [("Ann Cole", "hobby", "sailing")]
    assert h.hidden_notes == 1
    md = to_markdown(brief)
    assert "## Handed over" in md
    assert "Ola Berg (has since left us) owned the account from 2021-01-01 until 2025-03-01; " \
           "then Una Reed" in md
    assert "twins" not in md and "twins" not in to_html(brief)
    # A step starts from what they knew, naming whom and why.
    step = _step(brief, "Meet Ann Cole (CFO, Finance), whom Ola Berg knew best.")
    assert "Handover: Ola Berg owned the account until 2025-03-01" in step.answers
    assert "shared 4 touchpoints with Ann Cole" in step.why
    # Someone who has left us cannot introduce anyone.
    ann = brief.people_by_role["Decision maker"][0]
    assert all(name != "Ola Berg" for name, _ in ann.known_by)


def test_the_new_team_reads_the_previous_owners_personal_notes_and_it_is_audited():
    team = Viewer(name="Una", rule=PersonalRule(User(id="una", name="Una Reed"),
                                                lambda c: {"una"} if c == "vandelay" else ()))
    brief = _brief(handed_over(), team)
    (h,) = brief.handovers
    assert ("family", "twins born in May") in [(n.key, n.value) for n in h.notes]
    assert ("ann", "family") in brief.personal_reads
    # Shown with the handover, not a second time among the other notes.
    assert brief.notes == []


def test_a_previous_owner_still_with_us_is_asked_for_a_handover_call():
    brief = _brief(handed_over(still_with_us=True))
    step = _step(brief, "Ask Ola Berg for a handover call.")
    assert "they knew Ann Cole, Bob Cole best" in step.why


def test_the_owner_is_listed_once_and_first_in_our_team():
    brief = _brief(handed_over())
    assert brief.team == [("Una Reed", "owner")]
    assert to_html(brief).count("Una Reed (owner)") == 1


def test_key_peoples_strength_shows_the_evidence_that_separates_them():
    b = single_route_into_legal()
    for i in range(10):  # Otto: ten more meetings; both relationships read about 1.00
        b.touch(f"x{i}", "meeting", f"2025-06-{i + 11}", contacts=["otto"], users=["una"],
                outcome="positive")
    md = to_markdown(_brief(b))
    line = {name: next(x for x in md.splitlines() if x.startswith(f"- **{name}**"))
            for name in ("Olga Ruiz", "Otto Ruiz")}
    assert "from 6 touchpoints, the last on 2025-06-10" in line["Olga Ruiz"]
    assert "from 16 touchpoints, the last on 2025-06-20" in line["Otto Ruiz"]
    # Labels, not internal names; counts in words.
    assert "technical evaluator" in md
    assert "technical\\_evaluator" not in md and "decision\\_maker" not in md
    assert "(s)" not in md
