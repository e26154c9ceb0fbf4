"""Checks on arguments shared by queries, mutations and exports."""

from __future__ import annotations

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from graph import model as m
from graph.errors import ValidationError

_ID: TypeAdapter[str] = TypeAdapter(m.Id)


def id_problem(value: str, field: str = "id") -> str | None:
    """What is wrong with an id, in words, or None when it is a valid id."""
    try:
        _ID.validate_python(value)
    except PydanticValidationError:
        return f"{field} {value[:60]!r} is not a valid id (1-200 letters, digits and _ . : @ / -)"
    return None


def check_id(value: str, field: str = "id") -> str:
    """An id in the model's id syntax, or ValidationError saying what ids look like."""
    problem = id_problem(value, field)
    if problem is not None:
        raise ValidationError(problem, field=field)
    return value
