"""Tokens: stored hashed, listed, revoked, expiring."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.auth import AuthError, authenticate, create_token, list_tokens, now, revoke_token
from graph import model as m
from tests.unit.api.conftest import Api, build_world


def test_only_the_hash_is_stored() -> None:
    store = build_world()
    plain, record = create_token(store, "u-ann", name="laptop")
    stored = store.get("api_token", record.id)
    assert isinstance(stored, m.ApiToken)
    assert plain.split("_", 2)[2] not in stored.model_dump_json()
    assert authenticate(store, plain).id == "u-ann"


def test_revoked_token_is_refused_with_when(api: Api) -> None:
    token_id = api.tokens["oscar"].split("_")[1]
    revoke_token(api.store, token_id)
    r = api.client.post("/graphql", json={"query": "{ me { id } }"},
                        headers={"Authorization": f"Bearer {api.tokens['oscar']}"})
    assert r.status_code == 401
    assert r.json()["detail"].startswith(f"token {token_id} was revoked at ")


def test_expired_token_is_refused() -> None:
    store = build_world()
    plain, record = create_token(store, "u-ann", expires_in_days=1)
    store.upsert("api_token", [record.model_copy(
        update={"expires_at": now() - timedelta(minutes=1)})])
    with pytest.raises(AuthError, match="expired at"):
        authenticate(store, plain)


def test_inactive_user_is_refused() -> None:
    store = build_world()
    plain, _ = create_token(store, "u-oscar")
    user = store.get("user", "u-oscar")
    assert user is not None
    store.upsert("user", [user.model_copy(update={"active": False})])
    with pytest.raises(AuthError, match="inactive"):
        authenticate(store, plain)


def test_list_tokens_newest_first_per_user() -> None:
    store = build_world()
    create_token(store, "u-ann", name="one")
    create_token(store, "u-ann", name="two")
    create_token(store, "u-amy", name="other")
    assert [t.name for t in list_tokens(store, "u-ann")] == ["two", "one"]
