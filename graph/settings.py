"""The one settings object, read once at start from the environment and ``.env``.

Every variable is prefixed ``ACCOUNTGRAPH_`` except the Neo4j connection, which
uses the names the Neo4j tools use (``NEO4J_URI``, ``NEO4J_USER``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.errors import ConfigError


class StoreKind(StrEnum):
    LADYBUG = "ladybug"
    NEO4J = "neo4j"


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "accountgraph"


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
    ladybug_buffer_pool_mb: int = Field(default=1024, ge=64)

    neo4j_uri: str | None = Field(default=None, validation_alias=AliasChoices("NEO4J_URI"))
    neo4j_user: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_USER", "NEO4J_USERNAME")
    )
    neo4j_password: SecretStr = Field(
        default=SecretStr(""), validation_alias=AliasChoices("NEO4J_PASSWORD")
    )
    neo4j_database: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE"))

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    log_level: str = "INFO"
    demo: bool = False
    rules_file: Path | None = None
    strength_half_life_days: float = 180.0
    # Read every account as of this day instead of today: a fixed world (the demo's)
    # then tells the same story whenever it is opened. Pages say so when it is set.
    as_of: date | None = None

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
    def store_location(self) -> str:
        """Where the store is, for people: the Neo4j URI (and database), else the file."""
        if self.store is StoreKind.NEO4J:
            # Never a password someone wrote into the URI.
            uri = urlsplit(self.neo4j_uri or "")
            shown = uri._replace(netloc=uri.netloc.rpartition("@")[2]).geturl()
            return f"{shown} (database {self.neo4j_database})"
        return str(self.ladybug_path)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once; a bad value is one ConfigError line."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "?"
        variable = name.upper() if name.startswith("neo4j_") else f"ACCOUNTGRAPH_{name.upper()}"
        raise ConfigError(
            f"setting {variable}: {first['msg']} (got {first.get('input')!r}); fix it in the "
            "environment or .env"
        ) from None
