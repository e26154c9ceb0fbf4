"""The store backends, and the one function that picks one from the settings."""

from __future__ import annotations

from graph.settings import Settings, StoreKind, get_settings
from graph.store import Store


def open_store(settings: Settings | None = None, *, read_only: bool = False) -> Store:
    """Open (and set up) the store the settings name: LadybugDB unless told otherwise."""
    settings = settings or get_settings()
    if settings.store is StoreKind.NEO4J:
        from graph.stores.neo4j import Neo4jStore

        return Neo4jStore.from_settings(settings)
    from graph.stores.ladybug import LadybugStore

    return LadybugStore(
        settings.ladybug_path,
        read_only=read_only,
        buffer_pool_mb=settings.ladybug_buffer_pool_mb,
    )
