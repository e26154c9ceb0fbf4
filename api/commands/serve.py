"""``accountgraph serve``: the API and pages over HTTP (uvicorn, one process)."""

from __future__ import annotations

import gc
import logging

import typer

from graph.settings import get_settings

log = logging.getLogger("accountgraph.api")


def run(host: str | None = None, port: int | None = None, store: object | None = None) -> None:
    """Serve the app; with ``store`` given, serve that store (demo mode passes its own)."""
    import uvicorn

    from api.app import create_app

    settings = get_settings()
    app = create_app(settings, store=store)  # type: ignore[arg-type]
    # Everything loaded so far (modules, the schema: ~100,000 objects) lives as long
    # as the process. Frozen, the collector stops walking it on every full
    # collection, which took ~100 ms each on a busy machine: a visible tail latency.
    gc.freeze()
    # A request frees nearly all it makes by reference counting, but the default
    # first-generation threshold (700) still ran a collection every few requests,
    # promoting in-flight objects until a full collection walked every cached account
    # graph (230 ms with the 2,000-contact demo account, once per ~300 account views).
    # At 50,000 the collector still runs, just rarely; cyclic garbage waits a little.
    gc.set_threshold(50_000, *gc.get_threshold()[1:])
    host, port = host or settings.api_host, port or settings.api_port
    # Which store this is matters as much as the port: on Neo4j its URI, never a
    # data folder the process does not use.
    log.info("listening", extra={"url": f"http://{host}:{port}", "store": str(settings.store),
                                 "where": settings.store_location})  # fmt: skip
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=False, workers=1)


def serve(
    host: str = typer.Option(None, help="Interface (default ACCOUNTGRAPH_API_HOST, 127.0.0.1)"),
    port: int = typer.Option(None, min=1, max=65535,
                             help="Port (default ACCOUNTGRAPH_API_PORT, 8000)"),
) -> None:
    """Serve GraphQL at /graphql (GraphiQL in a browser), exports and pages."""
    run(host, port)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
