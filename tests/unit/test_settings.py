"""Settings: sensible defaults, and one clear line for a value that cannot work."""

from __future__ import annotations

import re
from pathlib import Path

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


@pytest.mark.parametrize("variable, value, allowed", [
    ("ACCOUNTGRAPH_STRENGTH_HALF_LIFE_DAYS", "0", "above 0"),
    ("ACCOUNTGRAPH_STRENGTH_HALF_LIFE_DAYS", "nan", "above 0"),
    ("ACCOUNTGRAPH_LOG_LEVEL", "LOUD", "debug, info, warning, error or critical"),
    ("ACCOUNTGRAPH_API_PORT", "99999", "from 1 to 65535"),
    ("ACCOUNTGRAPH_API_PORT", "0", "from 1 to 65535"),
    ("ACCOUNTGRAPH_JOBS", "0", "from 1 to 64"),
    ("ACCOUNTGRAPH_STORE", "mongo", "ladybug or neo4j"),
    ("ACCOUNTGRAPH_LADYBUG_BUFFER_POOL_MB", "8", "at least 64"),
    ("ACCOUNTGRAPH_RULES_FILE", "/no/such/rules.toml", "existing rules TOML"),
    ("ACCOUNTGRAPH_API_URL", "localhost:8000", "http://127.0.0.1:8000"),
    ("NEO4J_URI", "http://db:7474", "bolt://"),
])
def test_every_bad_setting_is_one_line_naming_it_and_what_is_allowed(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, allowed: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as err:
        get_settings()
    message = str(err.value)
    assert "\n" not in message
    assert f"{variable}={value!r}" in message and allowed in message
    get_settings.cache_clear()


def test_several_bad_settings_are_named_together(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCOUNTGRAPH_LOG_LEVEL", "LOUD")
    monkeypatch.setenv("ACCOUNTGRAPH_API_PORT", "99999")
    with pytest.raises(ConfigError) as err:
        get_settings()
    assert "ACCOUNTGRAPH_LOG_LEVEL" in str(err.value) and "ACCOUNTGRAPH_API_PORT" in str(err.value)
    get_settings.cache_clear()


def test_an_admin_token_is_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", "")
    monkeypatch.setenv("ACCOUNTGRAPH_ADMIN_TOKEN", "ag_tok-1_s3cret")
    monkeypatch.setenv("ACCOUNTGRAPH_API_PORT", "-1")
    with pytest.raises(ConfigError) as err:
        get_settings()
    assert "s3cret" not in str(err.value)
    get_settings.cache_clear()


def test_log_levels_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCOUNTGRAPH_LOG_LEVEL", "warning")
    assert get_settings().log_level == "WARNING"
    get_settings.cache_clear()


def test_one_default_store_whoever_opens_it(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    # `make run` used to serve ./data while the CLI read ~/.local/share: the Makefile
    # must leave the place to the settings, which follow XDG_DATA_HOME.
    monkeypatch.delenv("ACCOUNTGRAPH_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert Settings().ladybug_path == tmp_path / "accountgraph" / "accountgraph.lbug"
    makefile = (Path(__file__).parents[2] / "Makefile").read_text()
    assert not re.search(r"ACCOUNTGRAPH_DATA_DIR\s*[?:]?=", makefile)


def test_the_cli_finds_a_server_listening_everywhere_on_the_loopback() -> None:
    assert Settings(api_host="0.0.0.0", api_port=9001).server_url == "http://127.0.0.1:9001"
    assert Settings(api_url="http://api:8000/").server_url == "http://api:8000"
