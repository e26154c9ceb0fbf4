"""The GraphQL schema: types, queries, mutations and the limits around them."""

from __future__ import annotations

import strawberry

from api.schema import hot
from api.schema.limits import CountingExecution, extensions
from api.schema.mutations import Mutation
from api.schema.queries import Query


def build_schema() -> strawberry.Schema:
    schema = strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions(),
                               execution_context_class=CountingExecution)
    hot.install(schema)
    return schema
