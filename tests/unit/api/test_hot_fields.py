"""The direct resolvers for hot fields (api/schema/hot.py) answer as Strawberry's own do,
and never skip a permission check or an argument someone gave."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.permission import BasePermission

from api.schema import hot


class Never(BasePermission):
    message = "not for you"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Contact:
    id: str

    @strawberry.field
    def category(self, info: strawberry.Info) -> str:
        return f"{info.context['prefix']}{self.id}"

    @strawberry.field
    def strength(self, info: strawberry.Info, as_of: datetime | None = None) -> str:
        return f"as of {as_of:%Y-%m-%d}" if as_of else "now"

    @strawberry.field(permission_classes=[Never])
    def company(self, info: strawberry.Info) -> str:
        return "secret"


@strawberry.type
class Query:
    @strawberry.field
    def contacts(self) -> list[Contact]:
        return [Contact(id="a"), Contact(id="b")]


def _run(query: str) -> strawberry.types.ExecutionResult:
    schema = strawberry.Schema(Query)
    done = hot.install(schema)
    assert done == ["Contact.category", "Contact.strength"]  # company keeps its check
    return schema.execute_sync(query, context_value={"prefix": "cat-"})


def test_hot_fields_answer_with_context_and_arguments() -> None:
    result = _run('{ contacts { category strength then: strength(asOf: "2025-06-01T00:00:00Z") } }')
    assert result.errors is None
    assert result.data == {"contacts": [
        {"category": "cat-a", "strength": "now", "then": "as of 2025-06-01"},
        {"category": "cat-b", "strength": "now", "then": "as of 2025-06-01"}]}


def test_a_field_with_a_permission_check_still_refuses() -> None:
    result = _run("{ contacts { id company } }")
    assert result.errors and result.errors[0].message == "not for you"
