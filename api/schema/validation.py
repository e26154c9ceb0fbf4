"""Checks on arguments shared by queries, mutations and exports."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from api.schema.errors import camel_field
from graph import model as m
from graph.errors import NotFound, ValidationError
from graph.store import Store

M = TypeVar("M", bound=BaseModel)

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


class Problems:
    """Every problem with one mutation's input, gathered before any is reported.

    A client with a bad id, an empty name and a bad email hears of all three at
    once (``InvalidInput.errors``), not one per round trip. A record that is not
    there is reported the same way when other problems come with it; alone it
    stays a ``NotFoundError``.
    """

    def __init__(self) -> None:
        self.found: list[tuple[str | None, str]] = []
        self.missing: NotFound | None = None

    def add(self, field: str, message: str) -> None:
        self.found.append((field, message))

    def _named(self, field: str) -> bool:
        return any(camel_field(f) == camel_field(field) for f, _ in self.found)

    def model(self, model: type[M], data: Any) -> M | None:
        """``model`` from ``data``, or None with every invalid field noted."""
        try:
            return m.validate(model, data)
        except ValidationError as exc:
            # A field already found wanting (a bad id checked first) is named once.
            self.found.extend((f, msg) for f, msg in exc.problems
                              if f is None or not self._named(f))
            return None

    def exists(self, store: Store, kind: str, id: str, field: str) -> m.Node | None:
        """The record ``id`` of ``kind``, or None with why noted (a bad id once per field)."""
        problem = id_problem(id, field)
        if problem is not None:
            if not self._named(field):
                self.add(field, problem)
            return None
        node = store.get(kind, id)
        if node is None:
            self.missing = self.missing or NotFound(kind, id)
            self.add(field, f"no {kind} with id {id!r}")
        return node

    def check(self) -> None:
        """Raise what was found: NotFound when that is all, else ValidationError with all."""
        if self.missing is not None and len(self.found) == 1:
            raise self.missing
        if self.found:
            field, message = self.found[0]
            raise ValidationError(message, field=field, problems=self.found)
