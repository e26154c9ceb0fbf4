"""The one settings object, read once at start from the environment and ``.env``.

Every variable is prefixed ``ACCOUNTGRAPH_`` except the Neo4j connection, which
uses the names the Neo4j tools use (``NEO4J_URI``, ``NEO4J_USER``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``).

Every value is checked here, once, before anything runs: a value that cannot work
is one line naming the variable, what it was, and what is allowed (``ALLOWED``),
never a traceback from deep inside a reading or a server listening elsewhere.

The embedded store has one default place, whoever opens it (``make run``, the
CLI, ``serve``): ``$XDG_DATA_HOME/accountgraph``, else ``~/.local/share/accountgraph``.
"""

from __future__ import annotations

import os
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.errors import ConfigError


class StoreKind(StrEnum):
    LADYBUG = "ladybug"
    NEO4J = "neo4j"


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"
    CRITICAL = "CRITICAL"


NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

# What each setting accepts, in words, for the one-line error.
ALLOWED = {
    "store": "ladybug or neo4j",
    "data_dir": "a folder (created if missing), not a file",
    "ladybug_buffer_pool_mb": "a whole number of MiB, at least 64",
    "neo4j_uri": f"a URI starting {', '.join(s + '://' for s in NEO4J_SCHEMES)}",
    "api_host": "a host name or IP address, e.g. 127.0.0.1 or 0.0.0.0",
    "api_port": "a whole number from 1 to 65535",
    "api_url": "the server's address, e.g. http://127.0.0.1:8000",
    "admin_token": "an admin's token, ag_tok-..._...",
    "log_level": "debug, info, warning, error or critical",
    "demo": "true or false (1 or 0)",
    "rules_file": "the path of an existing rules TOML file",
    "strength_half_life_days": "a number of days above 0, e.g. 180",
    "jobs": "a whole number of processes from 1 to 64, e.g. 2",
}


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "accountgraph"


def _default_jobs() -> int:
    # Each walk process holds its own store and readings: past 4 the store's reads
    # and the machine's memory, not the cores, set the pace.
    return max(1, min(os.cpu_count() or 1, 4))


def variable_of(name: str) -> str:
    """The environment variable of a settings field."""
    return name.upper() if name.startswith("neo4j_") else f"ACCOUNTGRAPH_{name.upper()}"


class Settings(BaseSettings):
    """Everything configurable about accountgraph."""

    model_config = SettingsConfigDict(
        env_prefix="ACCOUNTGRAPH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # Store choice: with nothing configured the embedded store is used, unless a
    # NEO4J_URI is given, in which case the user plainly meant Neo4j.
    store: StoreKind | None = None
    data_dir: Path = Field(default_factory=_default_data_dir)
    # LadybugDB's page cache; left to itself it takes most of the machine's RAM.
    ladybug_buffer_pool_mb: int = Field(default=1024, ge=64, le=1 << 22)

    neo4j_uri: str | None = Field(default=None, validation_alias=AliasChoices("NEO4J_URI"))
    neo4j_user: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_USER", "NEO4J_USERNAME")
    )
    neo4j_password: SecretStr = Field(
        default=SecretStr(""), validation_alias=AliasChoices("NEO4J_PASSWORD")
    )
    neo4j_database: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE"))

    api_host: str = Field(default="127.0.0.1", min_length=1)
    api_port: int = Field(default=8000, ge=1, le=65535)
    # Where the CLI reaches a running server (default: api_host and api_port), and an
    # admin's token for the writes it sends there while that server holds the store.
    api_url: str | None = None
    admin_token: SecretStr | None = None
    log_level: LogLevel = LogLevel.INFO
    demo: bool = False
    rules_file: Path | None = None
    strength_half_life_days: float = Field(default=180.0, gt=0, allow_inf_nan=False)
    # Read every account as of this day instead of today: a fixed world (the demo's)
    # then tells the same story whenever it is opened. Pages say so when it is set.
    as_of: date | None = None
    # Processes that read every account at once (the database readings' first walk,
    # ``analyze --all``): reading and classifying is CPU work in Python.
    jobs: int = Field(default_factory=_default_jobs, ge=1, le=64)

    @field_validator("log_level", mode="before")
    @classmethod
    def _any_case(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("data_dir")
    @classmethod
    def _a_folder(cls, value: Path) -> Path:
        value = value.expanduser()
        if value.exists() and not value.is_dir():
            raise ValueError(f"{value} is a file")
        return value

    @field_validator("rules_file")
    @classmethod
    def _a_rules_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.expanduser().is_file():
            raise ValueError(f"no file at {value}")
        return value.expanduser() if value is not None else None

    @field_validator("api_url")
    @classmethod
    def _an_http_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        url = urlsplit(value.strip())
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError("not an http(s) URL")
        return value.strip().rstrip("/")

    @field_validator("neo4j_uri")
    @classmethod
    def _a_bolt_uri(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        uri = urlsplit(value.strip())
        if uri.scheme not in NEO4J_SCHEMES or not uri.hostname:
            raise ValueError("not a Neo4j URI")
        return value.strip()

    @model_validator(mode="after")
    def _pick_store(self) -> Settings:
        if self.store is None:
            self.store = StoreKind.NEO4J if self.neo4j_uri else StoreKind.LADYBUG
        if self.store is StoreKind.NEO4J and not self.neo4j_uri:
            raise ConfigError(
                "ACCOUNTGRAPH_STORE=neo4j needs NEO4J_URI (for example bolt://localhost:7687)"
            )
        no_password = not self.neo4j_password.get_secret_value()
        if self.store is StoreKind.NEO4J and no_password and not self.demo:
            raise ConfigError(
                "NEO4J_PASSWORD is empty: set it to the server's password "
                "(an empty one is accepted only with ACCOUNTGRAPH_DEMO=1)"
            )
        return self

    @property
    def ladybug_path(self) -> Path:
        """The embedded database file."""
        return self.data_dir / "accountgraph.lbug"

    @property
    def server_url(self) -> str:
        """Where the CLI finds a running ``serve`` of these settings."""
        if self.api_url:
            return self.api_url
        # A server listening on every interface answers on the loopback one.
        host = "127.0.0.1" if self.api_host in ("0.0.0.0", "::", "") else self.api_host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.api_port}"

    @property
    def store_location(self) -> str:
        """Where the store is, for people: the Neo4j URI (and database), else the file."""
        if self.store is StoreKind.NEO4J:
            # Never a password someone wrote into the URI.
            uri = urlsplit(self.neo4j_uri or "")
            shown = uri._replace(netloc=uri.netloc.rpartition("@")[2]).geturl()
            return f"{shown} (database {self.neo4j_database})"
        return str(self.ladybug_path)


def config_error(exc: ValidationError) -> ConfigError:
    """Every bad value of a ValidationError, on one line: variable, value, what is allowed."""
    parts = []
    for error in exc.errors():
        name = str(error["loc"][0]).lower() if error["loc"] else "?"
        shown = "<hidden>" if "password" in name or "token" in name else repr(error.get("input"))
        # Our own checks say what is wrong with this value; pydantic's only restate the rule.
        why = str(error["msg"]).removeprefix("Value error, ")
        allowed = ALLOWED.get(name)
        if allowed and error["type"] != "value_error":
            parts.append(f"{variable_of(name)}={shown} is not allowed: use {allowed}")
        elif allowed:
            parts.append(f"{variable_of(name)}={shown}: {why}; use {allowed}")
        else:
            parts.append(f"{variable_of(name)}={shown}: {why}")
    return ConfigError(f"bad setting {'; '.join(parts)} (in the environment or .env)")


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment (and ``overrides``); a bad value is one ConfigError."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise config_error(exc) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once; a bad value is one ConfigError line."""
    return load_settings()
