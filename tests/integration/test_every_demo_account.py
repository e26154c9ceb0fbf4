"""Every account of the demo world opens as a map and a brief, the empty one included,
and reads the same from ``account_data`` as from the graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.neighbourhood import nodes_of
from graph.readings import account_readings
from graph.readings.database import account_summary
from graph.stores.ladybug import LadybugStore
from seed.generator import generate, preset
from seed.load import load_world
from visualizer.brief import build_brief
from visualizer.brief_render import to_html, to_markdown
from visualizer.inputs import Viewer, readings_for
from visualizer.map import map_data, render_map

AS_OF = "2026-06-30"


@pytest.mark.slow
def test_every_demo_account_renders_a_map_and_a_brief(tmp_path: Path) -> None:
    world = generate(1, preset("demo"))
    store = LadybugStore(tmp_path / "demo.lbug")
    try:
        load_world(store, world)
        sizes = []
        for batch in store.iter_ids("company"):
            for company_id in batch:
                G = store.account_graph(company_id)
                readings = readings_for(G)
                viewer = Viewer()
                data = map_data(G, readings, viewer)
                page = render_map(data, viewer_name=viewer.name)
                brief = build_brief(G, readings, viewer)
                markdown = to_markdown(brief)
                html = to_html(brief, data, viewer_name=viewer.name)
                name = G.nodes[f"company:{company_id}"]["name"]
                assert name in markdown and name.replace("&", "&amp;") in html
                drawn = sum(1 for n in data.nodes if n["kind"] == "contact")
                assert drawn == len(nodes_of(G, "contact")), company_id
                assert "<script" in page
                sizes.append(drawn)
                # The database walk's light fetch and the readings' fast path agree
                # with the full graph on every kind of account the demo holds.
                light = store.account_data(company_id, people=False)
                assert account_summary(light, as_of=AS_OF) == account_summary(G, as_of=AS_OF)
                status = account_readings(store.account_data(company_id), as_of=AS_OF).status
                assert status == account_readings(G, as_of=AS_OF).status, company_id
        # The demo world holds both extremes the maps must survive.
        assert min(sizes) == 0 and max(sizes) >= 2_000
        assert len(sizes) == world.counts["company"]
    finally:
        store.close()
