"""The account map: what it draws, how, and what it never shows."""

from __future__ import annotations

import re

import networkx as nx

from graph.model import User
from graph.neighbourhood import GraphBuilder
from graph.privacy import PersonalRule
from visualizer.inputs import AccountReadings, ContactReading, Hop, InfluencePath, Viewer
from visualizer.map import CATEGORY_COLOURS, LARGE, map_data, render_map
from visualizer.sample import sample_account

OUTSIDER = Viewer(name="outsider")
# Uma is on Globex\'s team: she sees the personal data of Globex\'s contacts.
TEAM = Viewer(name="team member", rule=PersonalRule(User(id="uma", name="Uma"),
                                          lambda cid: {"uma"} if cid == "globex" else ()),
              user_key="user:uma")


def by_id(items: list[dict]) -> dict[str, dict]:
    return {i["id"]: i for i in items}


def test_map_draws_company_departments_people_and_users_but_not_touchpoints(globex, readings):
    data = map_data(globex, readings, OUTSIDER)
    assert sorted(n["id"] for n in data.nodes) == [
        "company:globex",
        "contact:dana",
        "contact:eli",
        "contact:finn",
        "contact:olga",
        "department:globex/finance",
        "department:globex/it",
        "user:uma",
    ]
    kinds = {(e["from"], e["to"], e["kind"]) for e in data.edges}
    assert ("contact:eli", "contact:dana", "REPORTS_TO") in kinds
    assert ("contact:olga", "contact:dana", "KNOWS") in kinds
    assert ("user:uma", "contact:dana", "OURS") in kinds
    # Finn has no department: he hangs off the company instead of floating free.
    assert ("contact:finn", "company:globex", "EMPLOYED_AT") in kinds


def test_contacts_are_coloured_by_category_sized_by_strength_and_faded_when_left(globex, readings):
    nodes = by_id(map_data(globex, readings, OUTSIDER).nodes)
    dana, eli, finn = nodes["contact:dana"], nodes["contact:eli"], nodes["contact:finn"]
    assert dana["color"] == CATEGORY_COLOURS["decision_maker"]
    # Eli has left: hollow in his category's colour, never a filled grey (unengaged) dot.
    assert eli["color"] == {"background": "#FFFFFF", "border": CATEGORY_COLOURS["champion"]}
    assert dana["size"] > eli["size"] > finn["size"]
    assert eli["opacity"] < 1 and dana["opacity"] == 1
    assert nodes["user:uma"]["shape"] != dana["shape"]
    assert nodes["contact:olga"]["shapeProperties"]["borderDashes"]


def test_our_relationship_edges_thicken_and_fade_with_strength(globex, readings):
    edges = by_id(map_data(globex, readings, OUTSIDER).edges)
    strong, weak = edges["user:uma|OURS|contact:dana"], edges["user:uma|OURS|contact:eli"]
    assert strong["width"] > weak["width"]
    assert strong["color"]["opacity"] > weak["color"]["opacity"]


def test_hover_card_says_who_they_are_and_why_they_are_in_their_category(globex, readings):
    card = by_id(map_data(globex, readings, TEAM).nodes)["contact:dana"]["card"]
    assert card["title"] == "CFO"
    assert card["department"] == "Finance"
    assert card["category"] == "Decision maker"
    assert card["reasons"] == ["signed the 2025 renewal"]
    assert card["strength"] == 0.8
    assert card["last_touch"] == "2026-09-14"
    assert card["known_by"] == [{"name": "Uma Reed", "strength": 0.7}]


def test_outsider_gets_the_personal_item_key_but_never_its_value(globex, readings):
    data = map_data(globex, readings, OUTSIDER)
    profile = by_id(data.nodes)["contact:dana"]["card"]["profile"]
    assert {"key": "family", "value": None, "redacted": True} in profile
    assert {"key": "hobby", "value": "sailing", "redacted": False} in profile
    html = render_map(data)
    assert "two kids" not in html
    assert "sailing" in html
    assert data.personal_reads == []


def test_team_member_sees_personal_items_and_each_read_is_reported_for_audit(globex, readings):
    data = map_data(globex, readings, TEAM)
    assert "two kids" in render_map(data)
    assert data.personal_reads == [("dana", "family")]


def test_legend_lists_the_categories_present_and_departments_include_none(globex, readings):
    data = map_data(globex, readings, OUTSIDER)
    assert [e["category"] for e in data.legend] == ["decision_maker", "champion", "unengaged"]
    assert data.departments == ["(department unknown)", "Finance", "IT"]


def test_influence_path_hop_without_a_drawn_link_gets_one(globex, readings):
    path = InfluencePath(
        hops=(
            Hop("user:uma", "contact:eli", 0.4, "both attended the 2026 summit"),
            Hop("contact:eli", "contact:dana", 0.6, "Eli reports to Dana"),
        ),
        strength=0.5,
    )
    data = map_data(globex, readings, OUTSIDER, paths=[path], target="contact:dana")
    (drawn,) = data.paths
    assert drawn["nodes"] == ["user:uma", "contact:eli", "contact:dana"]
    edges = by_id(data.edges)
    # Uma-Eli is an "our relationship" edge already; Eli-Dana is the reporting line.
    assert [edges[e]["kind"] for e in drawn["edges"]] == ["OURS", "REPORTS_TO"]
    assert drawn["hops"][0]["evidence"] == "both attended the 2026 summit"

    shared = InfluencePath((Hop("user:uma", "contact:finn", 0.2, "same webinar"),), 0.2)
    data = map_data(globex, readings, OUTSIDER, paths=[shared])
    edge = by_id(data.edges)[data.paths[0]["edges"][0]]
    assert (edge["kind"], edge["from"], edge["to"]) == ("PATH", "user:uma", "contact:finn")


def test_page_is_self_contained(globex, readings):
    html = render_map(map_data(globex, readings, OUTSIDER))
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html, re.I)
    assert "vis.Network" in html  # vis-network inline, not fetched
    assert "@import" not in html


def test_names_cannot_break_out_of_the_page_script(readings):
    b = GraphBuilder("evil")
    b.node("company", {"id": "evil", "name": "Evil</script><script>alert(1)</script>"})
    b.node("contact", {"id": "x", "company_id": "evil", "name": "<img src=x onerror=alert(2)>"})
    html = render_map(map_data(b.G, AccountReadings(), OUTSIDER))
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html


def test_an_empty_account_renders():
    b = GraphBuilder("empty")
    b.node("company", {"id": "empty", "name": "Empty Ltd"})
    data = map_data(b.G, AccountReadings(), OUTSIDER)
    assert [n["id"] for n in data.nodes] == ["company:empty"]
    assert data.legend == [] and data.edges == []
    assert "Empty Ltd" in render_map(data)


def test_large_accounts_get_server_positions_for_every_node():
    G, readings = sample_account(LARGE + 50)
    data = map_data(G, readings, OUTSIDER)
    assert data.large
    assert all("x" in n and "y" in n for n in data.nodes)
    # No two people on the same spot: the layout spreads each department's disc.
    spots = {(n["x"], n["y"]) for n in data.nodes}
    assert len(spots) == len(data.nodes)


def test_small_accounts_let_the_browser_lay_out(globex, readings):
    assert not map_data(globex, readings, OUTSIDER).large


def test_unclassified_contacts_still_drawn_when_readings_are_missing(globex):
    data = map_data(globex, AccountReadings(), OUTSIDER)
    assert {n["category"] for n in data.nodes if n["kind"] == "contact"} == {"unclassified"}
    assert [e["label"] for e in data.legend] == ["Unclassified"]


def test_graph_without_company_node_still_renders():
    G = nx.MultiDiGraph(company_id="ghost")
    data = map_data(G, AccountReadings(contacts={"contact:a": ContactReading()}), OUTSIDER)
    assert data.nodes == [] and data.title == "ghost"
