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
