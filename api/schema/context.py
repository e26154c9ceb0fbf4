"""The per-request GraphQL context: who asks, the store, caches and loaders.

Built by a FastAPI dependency (:func:`api.deps.graphql_context`) once per
request; DataLoaders live here so they are never shared between requests (a
shared loader would serve one viewer's batch to another).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from api.auth import Viewer
from api.cache import AccountCache
from api.database import DatabaseReadings
from api.privacy import Privacy
from api.readings import AccountReadings
from graph.model import Node
from graph.store import Store


def _loader(store: Store, kind: str) -> DataLoader[str, Node | None]:
    async def load(ids: Sequence[str]) -> list[Node | None]:
        found = store.get_many(kind, list(ids))
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


class Context(BaseContext):
    def __init__(
        self,
        *,
        viewer: Viewer,
        store: Store,
        cache: AccountCache,
        request_id: str,
        settings: Any = None,
        database: DatabaseReadings | None = None,
    ):
        super().__init__()
        self.viewer = viewer
        self.store = store
        self.cache = cache
        self.request_id = request_id
        self.settings = settings
        self.database = database
        self.privacy = Privacy(viewer, cache.team, door="graphql", request_id=request_id)
        self.companies = _loader(store, "company")
        self.contacts = _loader(store, "contact")
        self.users = _loader(store, "user")
        self._readings: dict[str, AccountReadings] = {}
        # Per-request results resolvers may reuse within this request only.
        self.memo: dict[tuple[str, str], Any] = {}

    def readings(self, company_id: str) -> AccountReadings:
        """The account's readings, looked up in the shared cache once per request."""
        found = self._readings.get(company_id)
        if found is None:
            found = self._readings[company_id] = self.cache.readings(company_id)
        return found
