"""The analysts' questions in docs/api.md run as written against the demo world.

Each must answer without errors and with something to read: a question that
returns nothing on the demo world would teach nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
SECTION = DOC.read_text().split("## Analysts' questions")[1].split("\n## ")[0]
QUESTIONS = re.findall(r"```graphql\n(.*?)```", SECTION, flags=re.S)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    from api.app import create_app
    from api.auth import TOKEN_CACHE, create_token
    from graph import model as m
    from graph.settings import Settings
    from graph.stores.ladybug import LadybugStore
    from seed.generator import generate, preset
    from seed.load import load_world

    where = tmp_path_factory.mktemp("demo")
    store = LadybugStore(where / "demo.lbug")
    load_world(store, generate(seed=42, sizes=preset("demo")))
    store.upsert("user", [m.User(id="u-docs-analyst", name="Docs", access=m.Access.ANALYST)])
    TOKEN_CACHE.forget()
    token = create_token(store, "u-docs-analyst")[0]
    app = create_app(Settings(data_dir=where), store=store)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, token
    TOKEN_CACHE.forget()
    store.close()


def test_the_doc_asks_five_questions() -> None:
    assert len(QUESTIONS) == 5


def _items(data: Any) -> list[Any]:
    """Every non-empty list of items in an answer, depth first."""
    found = []
    if isinstance(data, dict):
        for k, v in data.items():
            if k == "items" and v:
                found.append(v)
            found.extend(_items(v))
    elif isinstance(data, list):
        for v in data:
            found.extend(_items(v))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("text", QUESTIONS, ids=lambda t: t.split("{")[0].split()[-1])
def test_question_runs_as_written_on_the_demo_world(demo: tuple[TestClient, str],
                                                     text: str) -> None:
    client, token = demo
    r = client.post("/graphql", json={"query": text},
                    headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert "errors" not in body, body["errors"]
    assert _items(body["data"]), f"no answer on the demo world: {body['data']}"


def _ask(demo: tuple[TestClient, str], query: str) -> Any:
    client, token = demo
    body = client.post("/graphql", json={"query": query},
                       headers={"Authorization": f"Bearer {token}"}).json()
    assert "errors" not in body, body["errors"]
    return body["data"]


@pytest.mark.slow
def test_accounts_sorted_by_status_and_by_breadth_follow_their_readings(
        demo: tuple[TestClient, str]) -> None:
    from graph.readings.select import STATUS_ORDER

    items = _ask(demo, """{ accounts(sort: STATUS, first: 100) { items { id
        readings { status } } } }""")["accounts"]["items"]
    statuses = [a["readings"]["status"] for a in items]
    assert len(set(statuses)) > 1, "the demo world has accounts of several statuses"
    assert statuses == sorted(statuses, key=STATUS_ORDER.index)
    items = _ask(demo, """{ accounts(sort: BREADTH, first: 100) { items { id
        readings { breadth { departmentsCovered liveRelationships } } } } }""")
    widths = [(len(b["departmentsCovered"]), b["liveRelationships"]) for b in
              (a["readings"]["breadth"] for a in items["accounts"]["items"])]
    assert len(set(widths)) > 1 and widths == sorted(widths, reverse=True)


def test_readings_are_typed_for_graphiql_and_code_generators(
        demo: tuple[TestClient, str]) -> None:
    fields = _ask(demo, """{ __type(name: "AccountReadings") { fields { name
        type { name kind ofType { name kind ofType { name kind ofType { name kind } } } } } } }""")
    kinds = {}
    for f in fields["__type"]["fields"]:
        t = f["type"]
        while t.get("ofType"):  # through NON_NULL and LIST to the named type
            t = t["ofType"]
        kinds[f["name"]] = (t["kind"], t["name"])
    for name in ("mix", "breadth", "whitespace", "keyPeople", "jobChanges"):
        assert kinds[name][0] == "OBJECT", (name, kinds[name])
    assert not [n for n, (_, t) in kinds.items() if t == "JSON"]
