"""The one exception tree of accountgraph.

Everything the app raises on purpose derives from :class:`AccountGraphError`;
driver errors (LadybugDB ``RuntimeError``, Neo4j ``ServiceUnavailable``,
``ConstraintError``...) are translated into it at the store boundary so that
callers never see a backend's own exception types::

    AccountGraphError
    ├── ConfigError            settings that cannot work (bad path, bad URI)
    ├── StoreError             the store failed
    │   ├── StoreUnavailable   cannot reach / open the store
    │   └── StoreLocked        another process holds the embedded store for writing
    ├── ValidationError        input that does not fit the model (names the field)
    ├── NotFound               an id that does not exist
    ├── PermissionDenied       the viewer may not do or see this
    └── ImportFailed           an input file that cannot be read at all
"""

from __future__ import annotations


class AccountGraphError(Exception):
    """Root of every error accountgraph raises on purpose."""


class ConfigError(AccountGraphError):
    """The settings cannot work; the message says which setting and how to fix it."""


class StoreError(AccountGraphError):
    """The store failed to do what was asked."""


class StoreUnavailable(StoreError):
    """The store cannot be opened or reached."""


class StoreLocked(StoreUnavailable):
    """Another process holds the embedded store for writing."""


class ValidationError(AccountGraphError):
    """Input that does not fit the model.

    ``field`` names the offending field (dotted for nested ones) and ``item``
    the id or position of the offending item, when known. ``problems`` lists every
    ``(field, message)`` found when one input had several (the first is ``field``
    and the message), so a client can fix them all in one round trip.
    """

    def __init__(self, message: str, *, field: str | None = None, item: str | None = None,
                 problems: list[tuple[str | None, str]] | None = None):
        super().__init__(message)
        self.field = field
        self.item = item
        self.problems = problems or [(field, message)]


class NotFound(AccountGraphError):
    """An id that does not exist."""

    def __init__(self, kind: str, id: str):
        super().__init__(f"no {kind} with id {id!r}")
        self.kind = kind
        self.id = id


class PermissionDenied(AccountGraphError):
    """The viewer may not do or see this."""


class ImportFailed(AccountGraphError):
    """An input file that cannot be read at all (not CSV, wrong encoding, empty)."""
