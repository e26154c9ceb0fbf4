"""Expected failures as GraphQL types: a mutation returns its result or one of these."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from pydantic.alias_generators import to_camel

from graph.errors import NotFound, PermissionDenied, ValidationError


@strawberry.type
class FieldError:
    field: str = strawberry.field(description="The input field, as named in GraphQL.")
    message: str


@strawberry.type
class InvalidInput:
    message: str
    errors: list[FieldError]


@strawberry.type
class NotFoundError:
    message: str
    kind: str
    id: str


@strawberry.type
class NotAllowed:
    message: str


def camel_field(field: str | None) -> str:
    """``department_id`` -> ``departmentId``; dotted paths keep their dots."""
    if not field:
        return "input"
    return ".".join(to_camel(p) for p in field.split("."))


def invalid(exc: ValidationError) -> InvalidInput:
    """Every problem of the input, each naming its field (all at once, not the first only)."""
    errors = [FieldError(field=camel_field(f), message=msg) for f, msg in exc.problems]
    more = len(errors) - 1
    message = str(exc) + (f" (and {more} more: see errors)" if more else "")
    return InvalidInput(message=message, errors=errors)


F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def expected_errors(fn: F) -> F:
    """Turn our expected exceptions into the typed errors of a result union."""

    @functools.wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return await fn(*args, **kwargs)
        except ValidationError as exc:
            return invalid(exc)
        except NotFound as exc:
            return NotFoundError(message=str(exc), kind=exc.kind, id=exc.id)
        except PermissionDenied as exc:
            return NotAllowed(message=str(exc))

    return wrapper  # type: ignore[return-value]
