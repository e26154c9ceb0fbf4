"""The FastAPI app: GraphQL at /graphql, exports, pages, health.

``create_app(settings, store=None)`` opens the store once in the lifespan (via
:func:`graph.stores.open_store`) unless one is given (tests pass their own).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from strawberry.fastapi import GraphQLRouter

from api import admin_page, error_pages, exports, home, pages
from api.account_list import AccountList
from api.cache import AccountCache
from api.database import DatabaseReadings
from api.deps import graphql_context
from api.graphiql import VENDOR_DIR
from api.graphiql import router as graphiql_router
from api.logs import configure as configure_logs
from api.request_ids import RequestIds
from api.schema import build_schema
from api.weights import WeightsKeeper
from graph.errors import StoreUnavailable
from graph.readings.rules import Rules
from graph.settings import Settings, get_settings
from graph.store import Store

log = logging.getLogger("accountgraph.api")


class _Router(GraphQLRouter[Any, None]):
    """Strawberry's router, with responses encoded by orjson.

    The standard library took 1.6 ms to encode the account view (30 KiB, ~1,000
    fields), a tenth of the request; orjson takes 0.13 ms. Anything orjson cannot
    encode goes through the standard library as before.
    """

    def encode_json(self, data: object) -> str | bytes:
        try:
            return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)
        except TypeError:
            return super().encode_json(data)


def _use_rules(cache: AccountCache, database: DatabaseReadings, accounts: AccountList,
               rules: Rules) -> None:
    """Read every account with ``rules`` from now on (new signal weights)."""
    cache.readings_options["rules"] = rules
    database.rules = rules
    accounts.set_rules(rules)  # read again behind the rows it serves
    cache.invalidate(own_data_of=())  # every account reads anew, and so do the rows:
    database.invalidate()


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the app; ``store`` given: use it (and leave closing it to the caller)."""
    settings = settings or get_settings()
    configure_logs(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = store is None
        if own:
            from graph.stores import open_store

            app.state.store = open_store(settings)
        else:
            app.state.store = store
        # The database's signal weights: estimated at start (or read from beside the
        # store), then again in the background whenever the data has changed.
        weights = app.state.weights = WeightsKeeper(app.state.store, settings)
        rules = weights.rules
        as_of = {"as_of": settings.as_of} if settings.as_of else {}
        app.state.cache = AccountCache(app.state.store, readings_options={
            "rules": rules,
            "half_life_days": settings.strength_half_life_days, **as_of})
        # The home page's rows and the database readings' rows, kept beside the
        # embedded store (or in memory only when the data folder is not there: a
        # Neo4j server with no local folder).
        folder = settings.data_dir if settings.data_dir.is_dir() else None
        # Walks run in worker processes that open the store the settings name: only
        # when that is the store served (a store handed in may be another).
        app.state.database = DatabaseReadings(
            app.state.store, rules=rules,
            half_life_days=settings.strength_half_life_days, as_of=settings.as_of,
            settings=settings if own else None, jobs=settings.jobs,
            folder=folder, where=settings.store_location)
        app.state.accounts = AccountList(
            app.state.store, rules=rules, as_of=settings.as_of,
            half_life_days=settings.strength_half_life_days,
            folder=folder, where=settings.store_location)
        app.state.cache.listeners.append(app.state.database.invalidate)
        app.state.accounts.warmers.append(home.warm)
        app.state.cache.listeners.append(app.state.accounts.invalidate)
        weights.on_change.append(lambda new: _use_rules(
            app.state.cache, app.state.database, app.state.accounts, new))
        weights.start()
        app.state.accounts.start()
        app.state.database.start()
        log.info("serving", extra={"store": str(settings.store),
                                   "where": settings.store_location})  # fmt: skip
        try:
            yield
        finally:
            weights.close()
            app.state.accounts.close()
            app.state.database.close()
            if own:
                app.state.store.close()

    app = FastAPI(title="accountgraph", lifespan=lifespan, docs_url="/docs", redoc_url=None)
    app.state.settings = settings

    app.add_middleware(RequestIds)

    error_pages.install(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    def readyz(request: Request) -> JSONResponse:
        try:
            request.app.state.store.ping()
        except Exception as exc:  # any failure means "not ready"; say which kind only
            reason = str(exc) if isinstance(exc, StoreUnavailable) else type(exc).__name__
            return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
        return JSONResponse({"status": "ready"})

    # Our GraphiQL page answers GET /graphql before Strawberry's router does.
    app.include_router(graphiql_router)
    graphql: GraphQLRouter[Any, None] = _Router(
        build_schema(), context_getter=graphql_context, graphql_ide=None,
        allow_queries_via_get=False)
    app.include_router(graphql, prefix="/graphql")
    app.include_router(exports.router)
    app.include_router(pages.router)
    app.include_router(home.router)
    app.include_router(admin_page.router)
    if VENDOR_DIR.is_dir():
        from fastapi.staticfiles import StaticFiles

        app.mount("/static/vendor", StaticFiles(directory=VENDOR_DIR), name="vendor")
    return app
