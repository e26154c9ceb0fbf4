"""A small, named world for driving the API over HTTP.

Acme (owned by Amy, on her team) and Globex. Alice (IT director at Acme) has a
personal hobby (sailing) and a public school; Bob (Acme finance) reports to Alice
and has a personal note about his family. Users: Ada the admin, Ann the analyst,
Amy the member on Acme's team, Oscar the outsider member, Cara who may take over.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import TOKEN_CACHE, create_token
from graph import model as m
from graph.settings import Settings
from graph.store import Store
from tests.unit.api.memstore import MemStore

T0 = datetime(2026, 1, 10, 15, 0, tzinfo=UTC)


def build_world() -> MemStore:
    return populate(MemStore())  # type: ignore[return-value]


def populate(s: Store) -> Store:
    """Write the world into any store (the in-memory one, or a real backend)."""
    s.upsert("company", [
        m.Company(id="acme", name="Acme Corp", domain="acme.com", industry="Software",
                  size_band="1000+", region="EMEA", lifecycle=m.Lifecycle.CUSTOMER),
        m.Company(id="globex", name="Globex", domain="globex.com", industry="Energy",
                  region="NA"),
    ])
    s.upsert("department", [
        m.Department(id="acme/it", company_id="acme", function=m.Function.IT),
        m.Department(id="acme/finance", company_id="acme", function=m.Function.FINANCE),
    ])
    s.upsert("contact", [
        m.Contact(id="c-alice", company_id="acme", name="Alice Archer", title="IT Director",
                  seniority=m.Seniority.DIRECTOR, department_id="acme/it",
                  email="alice@acme.com"),
        m.Contact(id="c-bob", company_id="acme", name="Bob Baker", title="Controller",
                  seniority=m.Seniority.MANAGER, department_id="acme/finance"),
        m.Contact(id="c-carl", company_id="globex", name="Carl Cole", title="CFO"),
    ])
    s.upsert("profile_item", [
        m.ProfileItem(id="pi-hobby", contact_id="c-alice", key="hobby", value="sailing",
                      visibility=m.Visibility.PERSONAL),
        m.ProfileItem(id="pi-school", contact_id="c-alice", key="school", value="MIT",
                      visibility=m.Visibility.PUBLIC),
        m.ProfileItem(id="pi-family", contact_id="c-bob", key="family", value="two kids",
                      visibility=m.Visibility.PERSONAL),
    ])
    s.upsert("user", [
        m.User(id="u-ada", name="Ada Admin", access=m.Access.ADMIN),
        m.User(id="u-ann", name="Ann Analyst", access=m.Access.ANALYST),
        m.User(id="u-amy", name="Amy Owner", access=m.Access.MEMBER),
        m.User(id="u-oscar", name="Oscar Outsider", access=m.Access.MEMBER),
        m.User(id="u-cara", name="Cara Next", access=m.Access.MEMBER),
    ])
    s.upsert("touchpoint", [
        m.Touchpoint(id="tp-1", company_id="acme", type=m.TouchpointKind.MEETING, at=T0,
                     contact_ids=["c-alice"], user_ids=["u-amy"], outcome=m.Outcome.POSITIVE),
        m.Touchpoint(id="tp-2", company_id="acme", type=m.TouchpointKind.EMAIL,
                     at=datetime(2026, 2, 1, tzinfo=UTC), contact_ids=["c-bob"],
                     user_ids=["u-amy"]),
    ])
    s.upsert("opportunity", [m.Opportunity(id="o-1", company_id="acme", name="Renewal",
                                           amount=50_000, contact_ids=["c-alice"])])
    s.link("REPORTS_TO", [m.ReportsTo(source="c-bob", target="c-alice")])
    s.link("OWNS", [m.Owns(source="u-amy", target="acme",
                           since=datetime(2025, 1, 1, tzinfo=UTC))])
    s.link("ON_TEAM", [m.OnTeam(source="u-amy", target="acme", role=m.TeamRole.OWNER)])
    return s


@dataclass
class Api:
    client: TestClient
    store: Any  # MemStore in unit tests, a real backend in integration tests
    tokens: dict[str, str]

    def gql(self, who: str, query: str, variables: dict[str, Any] | None = None,
            ) -> dict[str, Any]:
        r = self.client.post("/graphql", json={"query": query, "variables": variables or {}},
                             headers={"Authorization": f"Bearer {self.tokens[who]}"})
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    def audit(self) -> list[m.AuditEvent]:
        page = self.store.list("audit_event", limit=500)
        return [e for e in page.items if isinstance(e, m.AuditEvent)]


def serve(store: Store, tmp_path: Any) -> Iterator[Api]:
    """The app over a populated store, with a token for each of our people."""
    TOKEN_CACHE.forget()
    tokens = {who: create_token(store, f"u-{who}")[0]
              for who in ("ada", "ann", "amy", "oscar", "cara")}
    app = create_app(Settings(data_dir=tmp_path), store=store)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, store, tokens)
    TOKEN_CACHE.forget()


@pytest.fixture
def api(tmp_path: Any) -> Iterator[Api]:
    yield from serve(build_world(), tmp_path)
