"""Direct resolvers for the few fields the account view resolves once per contact.

Strawberry wraps every field that has a resolver in a chain that converts
arguments, builds an ``Info``, looks for a ``info`` parameter and folds in field
extensions. On the account view (100 contacts, each with ``category``,
``strength`` and ``company``) that chain cost more than the resolvers and the
rest of the query together: about 9 ms of 22 ms CPU on the 2,000-contact demo
account. For the fields named in :data:`HOT`, whose resolvers need only
``info.context``, :func:`install` gives graphql-core a resolver that builds the
``Info`` and calls ours directly; any argument given a value (``strength(asOf:)``)
goes through Strawberry's own chain as before, so results and errors are the same.

A field is skipped (left on Strawberry's chain) when it has field extensions or
permission classes, since the direct path would not run them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from strawberry.types import Info
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

# GraphQL type name -> Python names of its per-contact fields on the account view.
HOT: dict[str, tuple[str, ...]] = {"Contact": ("category", "strength", "company")}


def _direct(field: StrawberryField, slow: Callable[..., Any]) -> Callable[..., Any]:
    assert field.base_resolver is not None
    func: Callable[..., Any] = field.base_resolver.wrapped_func  # type: ignore[assignment]

    def resolve(source: Any, info: GraphQLResolveInfo, **kwargs: Any) -> Any:
        # graphql-core passes arguments with defaults too (asOf=None): only a value
        # someone gave needs Strawberry's conversion.
        for value in kwargs.values():
            if value is not None:
                return slow(source, info, **kwargs)
        return func(source, Info(_raw_info=info, _field=field))

    return resolve


def install(schema: strawberry.Schema, hot: dict[str, tuple[str, ...]] = HOT) -> list[str]:
    """Give the hot fields direct resolvers; returns the ``Type.field`` names done."""
    done: list[str] = []
    for type_name, names in hot.items():
        definition = schema.get_type_by_name(type_name)
        gql_type = schema._schema.type_map.get(type_name)
        if not isinstance(definition, StrawberryObjectDefinition) or not isinstance(
            gql_type, GraphQLObjectType
        ):
            raise LookupError(f"no object type {type_name} in the schema (api/schema/hot.py)")
        for name in names:
            field = definition.get_field(name)
            if field is None or field.base_resolver is None:
                raise LookupError(f"{type_name}.{name} has no resolver (api/schema/hot.py)")
            if field.extensions or field.permission_classes:
                continue
            gql_field = gql_type.fields[schema.config.name_converter.get_graphql_name(field)]
            slow = gql_field.resolve
            assert slow is not None
            gql_field.resolve = _direct(field, slow)
            done.append(f"{type_name}.{name}")
    return done
