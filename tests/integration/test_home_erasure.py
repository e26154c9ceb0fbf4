"""An erasure reaches the home page's kept rows: memory and the file beside the store."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import TOKEN_CACHE, create_token
from graph.settings import Settings
from graph.store import Store
from tests.unit.api.conftest import populate


def listed(html: str) -> list[str]:
    return re.findall(r'<tr data-account="([^"]+)"', html)


def test_an_erasure_leaves_the_erased_name_in_no_row_and_no_file(store: Store, tmp_path: Path):
    # Read as of a day when Acme's status names Alice ("single-threaded: Alice Archer").
    populate(store)
    TOKEN_CACHE.forget()
    admin, analyst = create_token(store, "u-ada")[0], create_token(store, "u-ann")[0]
    settings = Settings(data_dir=tmp_path, as_of=date(2026, 2, 5))
    with TestClient(create_app(settings, store=store)) as client:
        accounts = client.app.state.accounts  # type: ignore[attr-defined]
        accounts.wait()
        home = client.get("/", headers={"Authorization": f"Bearer {analyst}"})
        assert "Alice Archer" in home.text
        assert "Alice Archer" in next(tmp_path.glob("account-rows-*.json")).read_text()
        erased = client.post("/graphql", headers={"Authorization": f"Bearer {admin}"}, json={
            "query": 'mutation { eraseContactPersonalData(contactId: "c-alice") { __typename } }'})
        assert erased.json()["data"]["eraseContactPersonalData"]["__typename"] == "Erasure"
        # At once: no file holds the name, and no row is served with it.
        assert not any("Alice Archer" in f.read_text() for f in tmp_path.glob("account-rows-*"))
        client.get("/", headers={"Authorization": f"Bearer {analyst}"})
        accounts.wait()
        home = client.get("/", headers={"Authorization": f"Bearer {analyst}"})
        assert listed(home.text) == ["acme", "globex"] and "Alice Archer" not in home.text
        assert not any("Alice Archer" in f.read_text() for f in tmp_path.glob("account-rows-*"))
