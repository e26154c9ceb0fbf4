"""Time the account map and the onboarding brief on the embedded store.

    .venv/bin/python bench/bench_map.py [--contacts 2000] [--browser]

Builds a temporary LadybugDB store holding the demo world (its largest account has
2,000 contacts), then times, for the largest account: the fetch
(``Store.account_graph``), the readings, the map data, the map HTML, and the brief
(data, Markdown, HTML). ``--browser`` also opens the map in Debian's chromium and
reports how long vis-network takes to lay it out and draw it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time in ms over ``runs`` and the last result."""
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()

    from graph.model import Access, User
    from graph.privacy import PersonalRule
    from graph.settings import Settings
    from graph.stores import open_store
    from seed.generator import generate, preset
    from seed.load import load_world
    from visualizer.brief import build_brief
    from visualizer.brief_render import to_html, to_markdown
    from visualizer.inputs import Viewer, readings_for
    from visualizer.map import map_data, render_map

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Settings(data_dir=Path(tmp) / "data", store="ladybug"))
        load_world(store, generate(seed=42, sizes=preset("demo")))
        companies = store.list("company", limit=100).items
        size = {c.id: store.list("contact", {"company_id": c.id}, limit=1).total for c in companies}
        big = max(size, key=lambda c: size[c])
        # An admin: every personal value drawn, the most the pages ever carry.
        admin = User(id="u-bench", name="Bench", access=Access.ADMIN)
        viewer = Viewer(rule=PersonalRule(admin, lambda _: ()))

        fetch_ms, G = timed(lambda: store.account_graph(big), args.runs)
        readings_ms, readings = timed(lambda: readings_for(G), max(1, args.runs // 2))
        data_ms, data = timed(lambda: map_data(G, readings, viewer), args.runs)
        html_ms, html = timed(lambda: render_map(data), args.runs)
        brief_ms, brief = timed(lambda: build_brief(G, readings, viewer), args.runs)
        md_ms, md = timed(lambda: to_markdown(brief), args.runs)
        bhtml_ms, bhtml = timed(lambda: to_html(brief, data), args.runs)
        store.close()

    contacts = sum(1 for n in data.nodes if n["kind"] == "contact")
    print(
        f"account {big}: {size[big]} contacts ({contacts} on the map with people from "
        f"elsewhere), {len(data.nodes)} nodes, {len(data.edges)} edges"
    )
    print(f"fetch (account_graph)          {fetch_ms:8.1f} ms")
    print(f"readings (graph.readings)      {readings_ms:8.1f} ms")
    print(f"map data                       {data_ms:8.1f} ms")
    print(f"map HTML                       {html_ms:8.1f} ms   ({len(html) / 1e6:.2f} MB)")
    print(f"  map from graph + readings    {data_ms + html_ms:8.1f} ms   (goal < 1000)")
    print(f"brief data                     {brief_ms:8.1f} ms")
    print(f"brief Markdown                 {md_ms:8.1f} ms   ({len(md) / 1e3:.1f} kB)")
    print(f"  brief (data + Markdown)      {brief_ms + md_ms:8.1f} ms   (goal < 500)")
    print(f"brief HTML with map            {bhtml_ms:8.1f} ms   ({len(bhtml) / 1e6:.2f} MB)")
    if args.browser:
        browser_layout(html)


def browser_layout(html: str) -> None:
    from playwright.sync_api import sync_playwright

    # The browser tests' launch settings: two copies of the flags had drifted once.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.browser.chromium import CHROMIUM
    from tests.browser.chromium import FLAGS as flags
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        path = Path(tmp) / "map.html"
        path.write_text(html, encoding="utf-8")
        b = p.chromium.launch(executable_path=CHROMIUM, args=flags)
        page = b.new_page(viewport={"width": 1400, "height": 900})
        t = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function("window.accountMap && window.accountMap.settled", timeout=120_000)
        wall = (time.perf_counter() - t) * 1e3
        layout = page.evaluate("window.accountMap.layoutMs")
        b.close()
    print(f"browser: page open to settled  {wall:8.1f} ms (vis-network draw {layout:.0f} ms)")


if __name__ == "__main__":
    main()
