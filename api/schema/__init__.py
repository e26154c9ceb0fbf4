"""The GraphQL schema: types, queries, mutations and the limits around them."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from api.schema import hot
from api.schema.admin import AdminQuery
from api.schema.limits import CountingExecution, extensions
from api.schema.logged import LoggedSchema
from api.schema.mutations import Mutation
from api.schema.queries import Query


def build_schema() -> strawberry.Schema:
    # The admins' queries (tokens) live with their mutations in admin.py.
    query = merge_types("Query", (Query, AdminQuery))
    schema = LoggedSchema(query=query, mutation=Mutation, extensions=extensions(),
                          execution_context_class=CountingExecution)
    hot.install(schema)
    return schema
