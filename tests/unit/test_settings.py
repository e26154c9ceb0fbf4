"""Settings: sensible defaults, and one clear line for a value that cannot work."""

from __future__ import annotations

import pytest

from graph.errors import ConfigError
from graph.settings import Settings, StoreKind, get_settings


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NEO4J_URI", "NEO4J_PASSWORD", "ACCOUNTGRAPH_STORE", "ACCOUNTGRAPH_DEMO"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()


def test_with_nothing_configured_the_embedded_store_is_used() -> None:
    assert Settings().store is StoreKind.LADYBUG


def test_a_neo4j_uri_alone_means_neo4j(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://db:7687")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret")
    assert Settings().store is StoreKind.NEO4J


def test_neo4j_without_a_uri_or_password_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCOUNTGRAPH_STORE", "neo4j")
    with pytest.raises(ConfigError, match="NEO4J_URI"):
        Settings()
    monkeypatch.setenv("NEO4J_URI", "bolt://db:7687")
    with pytest.raises(ConfigError, match="NEO4J_PASSWORD"):
        Settings()


def test_a_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCOUNTGRAPH_API_PORT", "eighty")
    with pytest.raises(ConfigError) as err:
        get_settings()
    assert "ACCOUNTGRAPH_API_PORT" in str(err.value) and "'eighty'" in str(err.value)
    get_settings.cache_clear()
