"""How GraphQL errors reach the log: a client's mistake is one info line, ours a traceback.

Strawberry logs every error of a response with its Python traceback, on a plain
text logger. A bad ``first``, a bad cursor or id, or a query that does not
validate is the client's doing: it is answered in the response, and logged as one
JSON line at info (request id, the field's path, the message). Our own failures are
logged by :class:`api.schema.limits.MaskInternalErrors` with the traceback inside
the JSON record, before the client sees only a line with the request id.
"""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from api.auth import AuthError
from graph.errors import NotFound, PermissionDenied, ValidationError

log = logging.getLogger("accountgraph.api")

CLIENT_ERRORS = (ValidationError, NotFound, PermissionDenied, AuthError, GraphQLError)


def is_client_error(error: GraphQLError) -> bool:
    """A syntax, validation or input error, or one of our expected ones: the client's."""
    original = error.original_error
    return original is None or isinstance(original, CLIENT_ERRORS)


class LoggedSchema(strawberry.Schema):
    """The schema, with its errors logged by who caused them (see the module docstring)."""

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        context = getattr(execution_context, "context", None)
        rid = getattr(context, "request_id", None)
        for error in errors:
            # Anything else is ours: MaskInternalErrors logs it, traceback and all, as it
            # hides it from the client (it runs after this, on the same errors).
            if is_client_error(error):
                path = ".".join(map(str, error.path or [])) or None
                log.info("client error", extra={"request_id": rid, "field": path,
                                                "error": error.message})
