"""The server store: Neo4j 5 through the official driver (Bolt).

Writes run in managed transactions (``session.execute_write``), so the driver
retries transient failures (deadlocks, leader switches) by running the whole
unit of work again; :mod:`graph.writer` keeps that work free of side effects
outside the transaction. Each chunk of :attr:`Neo4jStore.chunk_size` items is
one transaction, written with ``UNWIND $rows`` statements. Reads run in
``session.execute_read``, so a cluster routes them to readers.

Neo4j has no NULL properties: a ``None`` value is sent as an absent property
and an absent property reads back as ``None``. Times go in as UTC-aware
datetimes and come back as UTC-aware :class:`datetime.datetime`, dates as
:class:`datetime.date`, so stored rows compare equal to the model's rows and
re-writing the same data changes nothing.

Driver errors are translated here into :mod:`graph.errors`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, LiteralString, TypeVar, cast

import queries
from graph.errors import AccountGraphError, ConfigError, StoreError, StoreUnavailable
from graph.schema import NODE_KINDS, NodeKind, RelKind
from graph.stores.base import VERSION_LABEL, StoreBase
from graph.writer import Row, WriteTx, normalise_row

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

    from graph.settings import Settings

R = TypeVar("R")

# Seconds to wait for a TCP connection: an address that does not answer should
# fail fast with a clear message rather than hang the CLI.
CONNECT_TIMEOUT = 5.0
# How long the driver keeps retrying a transient failure of one transaction.
RETRY_TIME = 30.0
# Bolt schemes only: the driver's HTTP support is a preview we do not rely on.
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

# Fields looked up by value (besides ids, which get uniqueness constraints):
# sign-in by token, the audit trail of one contact, matching imports by email
# and domain, and the list filters the API offers most.
INDEXED: dict[str, tuple[str, ...]] = {
    "company": ("domain",),
    "contact": ("email", "company_id"),
    "user": ("email",),
    "touchpoint": ("company_id",),
    "api_token": ("token_hash", "user_id"),
    "audit_event": ("contact_id", "user_id"),
}
for _kind, _fields in INDEXED.items():
    _missing = set(_fields) - {c.name for c in NODE_KINDS[_kind].columns}
    assert not _missing, f"INDEXED names fields {_kind} does not have: {_missing}"


def _import_neo4j() -> Any:
    try:
        import neo4j
    except ImportError as exc:  # pragma: no cover - it is a core dependency
        raise StoreUnavailable("the Neo4j driver is not installed: pip install neo4j") from exc
    return neo4j


def _quiet_notifications() -> None:
    """Keep the server's query hints out of the CLI's output.

    Neo4j answers our fixed queries with hints meant for people typing Cypher
    ("relationship type KNOWS does not exist" on an empty database, "the
    constraint already exists"), which the driver logs as warnings and Python
    prints when logging is not set up. Left alone when someone configured
    that logger on purpose.
    """
    log = logging.getLogger("neo4j.notifications")
    if log.level == logging.NOTSET:
        log.setLevel(logging.ERROR)


def _literal(text: str) -> LiteralString:
    # The driver types query text as LiteralString to keep user strings out of
    # it. Ours comes only from queries/*.cypher, filled with schema identifiers
    # (queries.render checks them), which is the guarantee LiteralString wants.
    return cast(LiteralString, text)


# -- values in and out ---------------------------------------------------------------
def _to_neo4j(value: Any) -> Any:
    if isinstance(value, datetime):
        # A naive datetime would become a LocalDateTime, which never equals
        # the model's UTC-aware times; the model's naive times mean UTC.
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value


def _props(row: Mapping[str, Any]) -> Row:
    """A row as Neo4j properties: no ``None`` (absent instead), no empty lists."""
    return {k: _to_neo4j(v) for k, v in row.items() if v is not None and v != []}


def _from_neo4j(value: Any) -> Any:
    from neo4j import graph, time

    if isinstance(value, time.DateTime):
        native = value.to_native()
        return native.astimezone(UTC) if native.tzinfo else native.replace(tzinfo=UTC)
    if isinstance(value, time.Date):
        return value.to_native()
    if isinstance(value, graph.Node | graph.Relationship):
        return {k: _from_neo4j(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_neo4j(v) for v in value]
    if isinstance(value, dict):
        return {k: _from_neo4j(v) for k, v in value.items()}
    return value


def _run(tx: ManagedTransaction, text: str, params: Mapping[str, Any] | None) -> list[Row]:
    result = tx.run(_literal(text), dict(params or {}))
    return [{k: _from_neo4j(v) for k, v in record.items()} for record in result]


def rel_returns(rel: RelKind) -> queries.Fragment:
    """``, e.`a` AS `a`...`` for a relationship kind's properties."""
    return queries.Fragment(
        "".join(f", e.{queries.ident(c.name)} AS {queries.ident(c.name)}" for c in rel.columns)
    )


def rel_key(rel: RelKind) -> queries.Fragment:
    """`` {`since`: r.key.`since`}`` for MERGE on a kind's key ('' when it has none)."""
    if not rel.key:
        return queries.Fragment("")
    pairs = ", ".join(f"{queries.ident(k)}: r.key.{queries.ident(k)}" for k in rel.key)
    return queries.Fragment(f" {{{pairs}}}")


class Neo4jStore(StoreBase):
    """Neo4j 5, chosen by ``NEO4J_URI``."""

    dialect = "neo4j"
    lower_fn = "toLower"
    # Thousands of rows per transaction: big enough to amortise the round
    # trips, small enough to keep the server's transaction memory modest.
    chunk_size = 5_000

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j"):
        neo4j = _import_neo4j()
        _quiet_notifications()
        self.uri = uri
        self.database = database
        # The write transaction running in this thread, if any: reads issued
        # while it runs (StoreBase.delete, erase_personal_data) run inside it,
        # as they do on LadybugDB's single connection.
        self._local = threading.local()
        scheme = uri.partition("://")[0].lower()
        if "://" not in uri or scheme not in SCHEMES:
            raise ConfigError(
                f"NEO4J_URI {uri!r} is not a Bolt address; use for example "
                "bolt://localhost:7687 or neo4j://localhost:7687"
            )
        try:
            self._driver: Driver = neo4j.GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=CONNECT_TIMEOUT,
                max_transaction_retry_time=RETRY_TIME,
                # Never turn server notifications into Python warnings (the
                # driver does in debug mode; our tests make warnings errors).
                warn_notification_severity="OFF",
            )
        except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
            raise ConfigError(
                f"NEO4J_URI {uri!r} is not a Neo4j address ({exc}); use for example "
                "bolt://localhost:7687 or neo4j://localhost:7687"
            ) from None
        try:
            self._driver.verify_connectivity()
            self._create_schema()
        except BaseException as exc:
            self._driver.close()
            if isinstance(exc, neo4j.exceptions.DriverError | neo4j.exceptions.Neo4jError):
                raise self._error(exc) from None
            if isinstance(exc, ValueError):  # an address the resolver cannot parse
                raise ConfigError(f"NEO4J_URI {uri!r} cannot be resolved: {exc}") from None
            raise

    @classmethod
    def from_settings(cls, settings: Settings) -> Neo4jStore:
        """Open the Neo4j store the settings name (``NEO4J_URI`` and friends)."""
        if not settings.neo4j_uri:
            raise ConfigError("the Neo4j store needs NEO4J_URI (for example bolt://localhost:7687)")
        return cls(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value(),
            settings.neo4j_database,
        )

    def _create_schema(self) -> None:
        # One statement per transaction: Neo4j does not mix schema commands.
        for k in NODE_KINDS.values():
            self._schema(self._q("create_constraint", label=k.label))
        # The change marker (Store.data_version): one node, never two from racing MERGEs.
        self._schema(self._q("create_constraint", label=VERSION_LABEL))
        for kind, fields in INDEXED.items():
            for f in fields:
                self._schema(self._q("create_index", label=NODE_KINDS[kind].label, field=f))

    def _schema(self, text: str) -> None:
        with self._session() as session:
            session.execute_write(lambda tx: tx.run(_literal(text)).consume())

    # -- errors ------------------------------------------------------------------------
    def _error(self, exc: Exception) -> StoreError:
        """A driver error as one of ours, in one line that says what to do."""
        from neo4j import exceptions as x

        first = (getattr(exc, "message", None) or str(exc) or type(exc).__name__).splitlines()[0]
        if isinstance(exc, x.AuthError):
            return StoreUnavailable(
                f"Neo4j at {self.uri} refused the user name or password: set NEO4J_USER and "
                "NEO4J_PASSWORD to an account of that server"
            )
        if isinstance(exc, x.ServiceUnavailable | x.SessionExpired):
            return StoreUnavailable(
                f"Neo4j at {self.uri} does not answer: start it (docker compose up neo4j) "
                "or fix NEO4J_URI"
            )
        if isinstance(exc, x.Neo4jError) and "DatabaseNotFound" in (exc.code or ""):
            return StoreUnavailable(
                f"Neo4j at {self.uri} has no database {self.database!r}: create it or set "
                "NEO4J_DATABASE to one that exists (the default is neo4j)"
            )
        if isinstance(exc, x.ConstraintError):
            return StoreError(f"Neo4j refused a write that breaks a constraint: {first}")
        if isinstance(exc, x.Neo4jError):
            return StoreError(f"Neo4j refused a query ({exc.code}): {first}")
        return StoreError(f"the Neo4j driver failed: {first}")

    @contextmanager
    def _translated(self) -> Iterator[None]:
        from neo4j import exceptions as x

        try:
            yield
        except AccountGraphError:
            raise
        except (x.DriverError, x.Neo4jError) as exc:
            raise self._error(exc) from None

    def _session(self) -> Any:
        return self._driver.session(database=self.database)

    # -- primitives --------------------------------------------------------------------
    def _read(self, text: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        tx = getattr(self._local, "tx", None)
        if tx is not None:
            # Untranslated inside a transaction, so that the driver sees a
            # transient error as one and runs the whole unit again.
            return _run(tx, text, params)
        with self._translated(), self._session() as session:
            return cast(list[Row], session.execute_read(_run, text, params))

    def _write(self, work: Callable[[WriteTx], R]) -> R:
        def unit(tx: ManagedTransaction) -> R:
            self._local.tx = tx
            try:
                return work(_Tx(self, tx))
            finally:
                self._local.tx = None

        with self._translated(), self._session() as session:
            return cast(R, session.execute_write(unit))

    def _reader(self) -> WriteTx:
        return _Tx(self, None)

    def ping(self) -> None:
        self._read("RETURN 1 AS one")

    def close(self) -> None:
        self._driver.close()

    def wipe(self) -> None:
        """Delete every node and relationship (tests only; the schema stays)."""
        self._write(lambda tx: self._read(self._q("wipe")))


class _Tx:
    """Neo4j's write primitives inside one managed transaction (or reads, outside)."""

    def __init__(self, store: Neo4jStore, tx: ManagedTransaction | None):
        self.s = store
        self.tx = tx

    def _run(self, text: str, params: Mapping[str, Any]) -> list[Row]:
        if self.tx is None:
            return self.s._read(text, params)
        return _run(self.tx, text, params)

    def existing_ids(self, kind: NodeKind, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        rows = self._run(self.s._q("node_ids", label=kind.label), {"ids": list(ids)})
        return {r["id"] for r in rows}

    def fetch_nodes(self, kind: NodeKind, ids: Sequence[str]) -> dict[str, Row]:
        if not ids:
            return {}
        text = self.s._q("node_fetch", label=kind.label, returns=self.s._returns(kind))
        return {r["id"]: normalise_row(kind, r) for r in self._run(text, {"ids": list(ids)})}

    def create_nodes(self, kind: NodeKind, rows: list[Row]) -> None:
        # MERGE on the unique id, not CREATE: a concurrent writer that created
        # the same id first makes this an update instead of a constraint error.
        self._run(self.s._q("node_create", label=kind.label), {"rows": [_props(r) for r in rows]})

    def update_nodes(self, kind: NodeKind, rows: list[Row]) -> None:
        # Rows are whole nodes (graph.writer sends every column), so
        # ``SET n = r`` replaces the properties and drops the ones now None.
        self._run(self.s._q("node_update", label=kind.label), {"rows": [_props(r) for r in rows]})

    def fetch_rels(
        self, rel: RelKind, src: NodeKind, tgt: NodeKind, by: str, ids: Sequence[str]
    ) -> list[Row]:
        if not ids:
            return []
        text = self.s._q(
            f"rel_fetch_by_{by}",
            src=src.label,
            tgt=tgt.label,
            rel=rel.name,
            returns=rel_returns(rel),
        )
        rows = self._run(text, {"ids": list(ids)})
        return [
            {"source": r["source"], "target": r["target"], **normalise_row(rel, r)} for r in rows
        ]

    def create_rels(self, rel: RelKind, src: NodeKind, tgt: NodeKind, rows: list[Row]) -> None:

        # MERGE on the endpoints and the kind's key (OWNS: since), not CREATE:
        # two writers that both found a relationship missing then still leave
        # one, as does a transaction the driver runs again. ``SET e += props``
        # so that a derived EMPLOYED_AT (no properties) merged onto an explicit
        # one never blanks its dates; changed relationships were deleted first.
        names = [c.name for c in rel.columns]
        payload = [
            {
                "source": r["source"],
                "target": r["target"],
                "key": {k: _to_neo4j(r.get(k)) for k in rel.key},
                "props": _props({n: r.get(n) for n in names}),
            }
            for r in rows
        ]
        text = self.s._q(
            "rel_create",
            rel=rel.name,
            src=src.label,
            tgt=tgt.label,
            key=rel_key(rel),
        )
        self._run(text, {"rows": payload})

    def delete_rels(self, rel: RelKind, src: NodeKind, tgt: NodeKind, rows: list[Row]) -> None:
        # A relationship kind with a key (OWNS: since) may join the same two
        # nodes several times; delete only the one the key names, when given.
        payload = [
            {
                "source": r["source"],
                "target": r["target"],
                "key": _props({k: r.get(k) for k in rel.key}),
            }
            for r in rows
        ]
        self._run(
            self.s._q("rel_delete", rel=rel.name, src=src.label, tgt=tgt.label), {"rows": payload}
        )
