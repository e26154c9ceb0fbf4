"""The store backends, and the one function that picks one from the settings."""

from __future__ import annotations

from graph.settings import Settings, StoreKind, get_settings
from graph.store import Store


def open_store(settings: Settings | None = None, *, read_only: bool = False) -> Store:
    """Open the store the settings name: LadybugDB unless told otherwise.

    ``read_only``: for commands that only read. They share the embedded store
    with a running ``serve``, and on Neo4j they need no right to write or to
    manage schema (the schema is set up by ``init`` or the first write).
    """
    settings = settings or get_settings()
    if settings.store is StoreKind.NEO4J:
        from graph.stores.neo4j import Neo4jStore

        return Neo4jStore.from_settings(settings, read_only=read_only)
    from graph.stores.ladybug import LadybugStore

    return LadybugStore(
        settings.ladybug_path,
        read_only=read_only,
        buffer_pool_mb=settings.ladybug_buffer_pool_mb,
    )


def open_reader(settings: Settings | None = None) -> Store:
    """Open the store for a command that only reads (read-only wherever that can work).

    An embedded store that does not exist yet is created instead: opening it
    read-only would only say that it is missing.
    """
    settings = settings or get_settings()
    read_only = settings.store is StoreKind.NEO4J or settings.ladybug_path.exists()
    return open_store(settings, read_only=read_only)
