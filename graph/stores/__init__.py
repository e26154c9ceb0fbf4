"""The store backends, and the one function that picks one from the settings."""

from __future__ import annotations

import logging

from graph.settings import Settings, StoreKind, get_settings
from graph.store import Store

# Says which store each open reached (``accountgraph --verbose`` shows it): the same
# settings must mean the same store for the CLI, ``serve`` and ``make run``.
log = logging.getLogger("accountgraph.store")


def describe(settings: Settings, *, read_only: bool = False) -> str:
    """The store the settings name, for people: kind, place, and how it is opened."""
    mode = "read-only" if read_only else "read-write"
    return f"{settings.store} store {settings.store_location} ({mode})"


def open_store(settings: Settings | None = None, *, read_only: bool = False) -> Store:
    """Open the store the settings name: LadybugDB unless told otherwise.

    ``read_only``: for commands that only read. They share the embedded store
    with a running ``serve``, and on Neo4j they need no right to write or to
    manage schema (the schema is set up by ``init`` or the first write).
    """
    settings = settings or get_settings()
    store: Store
    if settings.store is StoreKind.NEO4J:
        from graph.stores.neo4j import Neo4jStore

        store = Neo4jStore.from_settings(settings, read_only=read_only)
    else:
        from graph.stores.ladybug import LadybugStore

        store = LadybugStore(
            settings.ladybug_path,
            read_only=read_only,
            buffer_pool_mb=settings.ladybug_buffer_pool_mb,
        )
    log.info("opened the %s", describe(settings, read_only=read_only))
    return store


def open_reader(settings: Settings | None = None) -> Store:
    """Open the store for a command that only reads: read-only, and never created.

    A reading command that made an empty embedded store where none was would only
    answer "nothing here" about a store nobody meant (say, after ``make run`` served
    another folder): it says where it looked instead (StoreUnavailable).
    """
    return open_store(settings or get_settings(), read_only=True)
