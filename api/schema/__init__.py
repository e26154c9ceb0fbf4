"""The GraphQL schema: types, queries, mutations and the limits around them."""

from __future__ import annotations

import strawberry

from api.schema import hot
from api.schema.limits import extensions
from api.schema.mutations import Mutation
from api.schema.queries import Query


def build_schema() -> strawberry.Schema:
    schema = strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions())
    hot.install(schema)
    return schema
