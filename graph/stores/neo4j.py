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
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, cast

import pyarrow as pa

import queries
from graph.digest import schema_of
from graph.errors import AccountGraphError, ConfigError, StoreError, StoreUnavailable
from graph.model import Node
from graph.neighbourhood import AccountData
from graph.schema import NODE_KINDS, NodeKind, node_kind
from graph.store import WriteReport
from graph.stores.base import VERSION_LABEL, StoreBase
from graph.stores.neo4j_cypher import (
    CROSSWALK_LABEL,
    INDEXED,
    crosswalk_key,
    fulltext_fields,
    fulltext_index,
    fulltext_terms,
    rel_key,
    rel_returns,
    returns_fast,
)
from graph.stores.neo4j_tx import Neo4jTx, from_neo4j, literal, run_rows
from graph.writer import Row, WriteTx, normalise_row

# Imported by name from this module (tests, the Cypher linter's renderings).
__all__ = [
    "CROSSWALK_LABEL",
    "INDEXED",
    "Neo4jStore",
    "fulltext_fields",
    "fulltext_index",
    "rel_key",
    "rel_returns",
]

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

# Schema errors that mean another process created the same rule first.
SCHEMA_RACE_CODES = (
    "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
    "Neo.ClientError.Schema.ConstraintAlreadyExists",
    "Neo.ClientError.Schema.IndexAlreadyExists",
)
# Rows per transaction when emptying the database: each transaction's memory
# stays small whatever the size of the graph (one transaction ran out of a
# 1 GiB heap at 375,000 nodes).
WIPE_BATCH = 10_000
# A parameter in a query's text (ours name them with letters, digits and _).
PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# Values read back as they come (see Neo4jStore._read_rows).
_FLAT = frozenset({str, int, float, bool, type(None), list})
# How long setting up the schema waits for new indexes to come online.
INDEX_WAIT_SECONDS = 300

def _import_neo4j() -> Any:
    try:
        import neo4j
    except ImportError as exc:  # pragma: no cover - it is a core dependency
        raise StoreUnavailable("the Neo4j driver is not installed: pip install neo4j") from exc
    return neo4j


def _quiet_driver_logs() -> None:
    """Keep the driver's own chatter out of the CLI's output.

    Neo4j answers our fixed queries with hints meant for people typing Cypher
    ("relationship type KNOWS does not exist" on an empty database), and the
    driver logs every transient failure it retries with the server's whole
    message (several processes setting up one database printed multi-line lock
    dumps). Python prints warnings when logging is not set up; what matters
    reaches the caller as an error. Left alone when someone configured the
    ``neo4j`` logger on purpose.
    """
    log = logging.getLogger("neo4j")
    if log.level == logging.NOTSET:
        log.setLevel(logging.ERROR)


class Neo4jStore(StoreBase):
    """Neo4j 5, chosen by ``NEO4J_URI``."""

    dialect = "neo4j"
    lower_fn = "toLower"
    # Thousands of rows per transaction: big enough to amortise the round
    # trips, small enough to keep the server's transaction memory modest.
    chunk_size = 5_000
    # Rows of an Arrow table per transaction (upsert_table): the bare driver's
    # UNWIND reference writes 10,000 a transaction at full speed.
    table_chunk = 10_000

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        *,
        read_only: bool = False,
    ):
        """Connect; the schema is set up by :meth:`ensure_schema` (``init``, first write).

        ``read_only``: every session reads only, so a role that may read but not
        write or manage schema can open the store, and a write says it was refused.
        """
        neo4j = _import_neo4j()
        _quiet_driver_logs()
        self.uri = uri
        self.database = database
        self.read_only = read_only
        self._access_mode = neo4j.READ_ACCESS if read_only else neo4j.WRITE_ACCESS
        self._schema_ready = False
        self._fulltext_seen = False
        self._schema_lock = threading.Lock()
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
            # The database must exist: a wrong NEO4J_DATABASE is told at open.
            with self._session() as session:
                session.run(literal("RETURN 1")).consume()
        except BaseException as exc:
            self._driver.close()
            if isinstance(exc, neo4j.exceptions.DriverError | neo4j.exceptions.Neo4jError):
                raise self._error(exc) from None
            if isinstance(exc, ValueError):  # an address the resolver cannot parse
                raise ConfigError(f"NEO4J_URI {uri!r} cannot be resolved: {exc}") from None
            raise

    @classmethod
    def from_settings(cls, settings: Settings, *, read_only: bool = False) -> Neo4jStore:
        """Open the Neo4j store the settings name (``NEO4J_URI`` and friends)."""
        if not settings.neo4j_uri:
            raise ConfigError("the Neo4j store needs NEO4J_URI (for example bolt://localhost:7687)")
        return cls(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value(),
            settings.neo4j_database,
            read_only=read_only,
        )

    # -- schema ------------------------------------------------------------------------
    def schema_statements(self) -> dict[str, str]:
        """Every constraint and index the store wants, by name (as SHOW INDEXES names them)."""
        wanted: dict[str, str] = {}
        # The change marker (Store.data_version): one node, never two from racing MERGEs.
        labels = [k.label for k in NODE_KINDS.values()] + [CROSSWALK_LABEL, VERSION_LABEL]
        for label in labels:
            wanted[f"{label}_id"] = self._q("create_constraint", label=label)
        fields = {NODE_KINDS[k].label: f for k, f in INDEXED.items()}
        fields[CROSSWALK_LABEL] = ("our_id",)
        for label, names in fields.items():
            for f in names:
                wanted[f"{label}_{f}"] = self._q("create_index", label=label, field=f)
        for k in NODE_KINDS.values():
            if k.text_fields:
                text = self._q("create_fulltext_index", label=k.label, fields=fulltext_fields(k))
                wanted[fulltext_index(k)] = text
        return wanted

    def ensure_schema(self) -> None:
        """Create the constraints and indexes that are missing (``init``, and the first write).

        Several processes may set up one database at once: a rule another one
        created first counts as made. A role that may write but not see or
        manage schema relies on ``accountgraph init`` run by one that may.
        """
        if self._schema_ready or self.read_only:
            return
        with self._schema_lock, self._translated():
            if self._schema_ready:
                return
            from neo4j.exceptions import ClientError

            try:
                present = {r["name"] for r in self._auto(self._q("schema_names"))}
            except ClientError as exc:
                if "Security" not in (exc.code or ""):
                    raise
                present = set(self.schema_statements())  # not ours to manage: trust init
            created = False
            for name, text in self.schema_statements().items():
                if name not in present:
                    self._schema(text)
                    created = True
            if created:
                # A full-text index answers only once online; a new one is empty.
                self._auto(self._q("await_indexes"), {"seconds": INDEX_WAIT_SECONDS})
            self._schema_ready = self._fulltext_seen = True

    def _schema(self, text: str, attempts: int = 3) -> None:
        # One statement per transaction: Neo4j does not mix schema commands.
        from neo4j.exceptions import ClientError

        for attempt in range(attempts):
            try:
                # Managed, so the driver retries what is transient (schema locks
                # taken by processes setting up the same database deadlock).
                with self._session() as session:
                    session.execute_write(lambda tx: tx.run(literal(text)).consume())
                return
            except ClientError as exc:
                if exc.code not in SCHEMA_RACE_CODES:
                    raise
                # Another process made it between our look and our CREATE ... IF
                # NOT EXISTS; once more finds it there (or says what differs).
                if attempt == attempts - 1:
                    return

    def _auto(self, text: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run one statement in its own auto-commit transaction (schema, batched deletes)."""
        with self._session() as session:
            result = session.run(literal(text), dict(params or {}))
            return [{k: from_neo4j(v) for k, v in r.items()} for r in result]

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
        return self._driver.session(
            database=self.database, default_access_mode=self._access_mode
        )

    # -- primitives --------------------------------------------------------------------
    def _read(self, text: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        tx = getattr(self._local, "tx", None)
        if tx is not None:
            # Untranslated inside a transaction, so that the driver sees a
            # transient error as one and runs the whole unit again.
            self._flush(tx)
            return run_rows(tx, text, params)
        with self._translated(), self._session() as session:
            return cast(list[Row], session.execute_read(run_rows, text, params))

    def _write(self, work: Callable[[WriteTx], R]) -> R:
        self._check_writable()
        self.ensure_schema()

        def unit(tx: ManagedTransaction) -> R:
            self._local.tx = tx
            self._local.pending = []
            try:
                result = work(Neo4jTx(self, tx))
                self._flush(tx)
                return result
            finally:
                self._local.tx = self._local.pending = None

        with self._translated(), self._session() as session:
            return cast(R, session.execute_write(unit))

    def _defer(self, text: str, params: Mapping[str, Any]) -> None:
        """Queue a write of the transaction running in this thread (see :meth:`_flush`)."""
        self._local.pending.append((text, params))

    def _flush(self, tx: ManagedTransaction) -> None:
        """Send the queued writes as one statement, before a read or the commit.

        A chunk's writes (its nodes, then each kind of relationship derived from
        them) went as a statement apiece, and on a loaded machine each round
        trip cost tens of milliseconds on top of the write: one statement of
        unit subqueries runs them in the same order, each with its own
        parameters (renamed ``$w<i>_<name>``).
        """
        pending = getattr(self._local, "pending", None)
        if not pending:
            return
        self._local.pending = []
        if len(pending) == 1:
            text, params = pending[0]
            tx.run(literal(text), dict(params)).consume()
            return
        parts, merged = [], {}
        for i, (text, params) in enumerate(pending):
            inner = PARAM.sub(rf"$w{i}_\1", text)
            parts.append(self._q("unit_part", inner=queries.Fragment(inner)))
            merged.update({f"w{i}_{k}": v for k, v in params.items()})
        tx.run(literal("\n".join(parts)), merged).consume()

    def _reader(self) -> WriteTx:
        return Neo4jTx(self, None)

    def ping(self) -> None:
        self._read("RETURN 1 AS one")

    def close(self) -> None:
        self._driver.close()

    # -- bulk ------------------------------------------------------------------------------
    def upsert_table(self, kind: str, table: Any, *, validated: bool = False) -> WriteReport:
        """Columnar upsert (see :mod:`graph.bulk`), a chunk of :attr:`table_chunk` rows per
        transaction, each column sent as one ``UNWIND`` list parameter.

        A chunk is planned (references looked up, digests compared) and written
        in one managed transaction, so a transient failure runs both again. The
        next chunk is checked and digested on another thread meanwhile: while
        the server writes, the client would otherwise wait.
        """
        from graph import bulk

        k = node_kind(kind)
        report = WriteReport(k.name)
        starts = range(0, max(table.num_rows, 1), self.table_chunk)

        def prepare(start: int) -> bulk.Prepared:
            part = table.slice(start, self.table_chunk)
            return bulk.prepare_chunk(k, part, start, validated=validated)

        def work(prepared: bulk.Prepared, tx: WriteTx) -> WriteReport:
            plan = bulk.plan_prepared(cast(bulk.BulkTx, tx), k, prepared)
            return bulk.apply_plan(cast(bulk.BulkTx, tx), k, plan)

        with ThreadPoolExecutor(1, thread_name_prefix="accountgraph-prepare") as pool:
            pending = pool.submit(prepare, starts[0])
            for following in [*starts[1:], None]:
                prepared = pending.result()
                if following is not None:
                    pending = pool.submit(prepare, following)
                try:
                    report.merge(self._write(partial(work, prepared)))
                except StoreError as exc:
                    # New rows are CREATEd (a MERGE costs a lock and a look-up a
                    # row): another writer that created one of the same ids first
                    # breaks the id's constraint. Planned again, those rows are updates.
                    if "constraint" not in str(exc):
                        raise
                    report.merge(self._write(partial(work, prepared)))
        return report

    @staticmethod
    def _returns(k: NodeKind) -> queries.Fragment:
        return returns_fast(k)

    def account_data(self, company_id: str, *, people: bool = True) -> AccountData:
        """As :meth:`StoreBase.account_data`, in one read transaction, its reads by ``$id`` at once.

        One snapshot of the account, one BEGIN and COMMIT, and the fifteen
        queries that need only the account's id sent as one statement whose one
        record holds each query's rows: on a loaded machine each round trip cost
        more than the query it carried (a 2,000-contact account: ~20 ms apiece).
        """
        if getattr(self._local, "tx", None) is not None:
            return super().account_data(company_id, people=people)
        read = super().account_data
        params = {"id": company_id}
        reads = [
            (text, names, params)
            for key, (text, names) in self._account_reads().items()
            if people or not key.startswith("links:")
        ]

        def work(tx: ManagedTransaction) -> AccountData:
            self._local.tx = tx
            try:
                self._fetch_together(tx, reads)
                return read(company_id, people=people)
            finally:
                self._local.tx = self._local.fetched = None

        with self._translated(), self._session() as session:
            return cast(AccountData, session.execute_read(work))

    def _read_ahead(self, reads: list[tuple[str, tuple[Any, ...]]]) -> None:
        # Only inside account_data's read transaction, where _one_record looks.
        tx = getattr(self._local, "tx", None)
        if tx is None or getattr(self._local, "fetched", None) is None or not reads:
            return
        reader = Neo4jTx(self, None)
        queries_ = [getattr(reader, f"{name}_read")(*args) for name, args in reads]
        self._fetch_together(tx, [(text, names, p) for text, p, names in queries_])

    def _fetch_together(
        self, tx: ManagedTransaction, reads: Sequence[tuple[str, Sequence[str], Mapping[str, Any]]]
    ) -> None:
        """Run several reads (text, returned names, parameters) as one statement whose
        one record holds each one's rows; :meth:`_one_record` then answers them from it.

        Each read's rows are collected as one list, and its parameters renamed
        ``$r<i>_<name>``: a busy account's fifteen reads by its id, then the
        few that follow from them, each a round trip of its own before.
        """
        parts, merged = [], {}
        for i, (text, names, params) in enumerate(reads):
            parts.append(
                self._q(
                    "collect_part",
                    inner=queries.Fragment(PARAM.sub(rf"$r{i}_\1", text)),
                    names=queries.Fragment(", ".join(queries.ident(n) for n in names)),
                    alias=f"r{i}",
                )
            )
            merged.update({f"r{i}_{k}": v for k, v in params.items()})
        text = self._q(
            "collect_parts",
            parts=queries.Fragment("\n".join(parts)),
            aliases=queries.Fragment(", ".join(f"r{i}" for i in range(len(reads)))),
        )
        record = tx.run(literal(text), merged).single(strict=True)
        # Beside those fetched before and not yet asked for (an account's links).
        fetched: dict[str, list[tuple[Mapping[str, Any], list[list[Any]]]]] = (
            getattr(self._local, "fetched", None) or {}
        )
        for i, (q, _, params) in enumerate(reads):
            fetched.setdefault(q, []).append((params, record[f"r{i}"]))
        self._local.fetched = fetched

    def _read_rows(self, text: str, params: Mapping[str, Any], names: Sequence[str]) -> list[Row]:
        rows = self._one_record(text, params, names)
        # Nearly every value is plain (times and dates come as numbers): only the
        # others go through from_neo4j. A list is one of strings (STRING[] columns).
        return [
            {n: v if type(v) in _FLAT else from_neo4j(v) for n, v in zip(names, row, strict=True)}
            for row in rows
        ]

    def _read_links(self, text: str, params: Mapping[str, Any], names: Sequence[str]) -> list[Row]:
        return self._read_rows(text, params, names)

    def _one_record(
        self, text: str, params: Mapping[str, Any], names: Sequence[str]
    ) -> list[list[Any]]:
        """The rows of a query returning ``names``, sent by the server as one record."""
        fields = queries.Fragment(", ".join(queries.ident(n) for n in names))
        wrapped = literal(self._q("as_columns", inner=queries.Fragment(text), names=fields))

        def work(tx: ManagedTransaction) -> list[list[Any]]:
            record = tx.run(wrapped, dict(params)).single(strict=True)
            return cast(list[list[Any]], record["rows"])

        tx = getattr(self._local, "tx", None)
        if tx is not None:
            self._flush(tx)
            ahead = (getattr(self._local, "fetched", None) or {}).get(text, [])
            for i, (given, rows) in enumerate(ahead):
                if given == params:  # read with others (_fetch_together)
                    del ahead[i]
                    return rows
            return work(tx)
        with self._translated(), self._session() as session:
            return cast(list[list[Any]], session.execute_read(work))

    def _read_table(self, text: str, params: Mapping[str, Any] | None, kind: NodeKind) -> pa.Table:
        """One account's rows of ``kind`` as Arrow, sent by the server as one record.

        The driver handles each record of a result as a message of its own
        (~0.1 ms apiece in Python); a busy account's thousands of touchpoints
        come over as one list of rows instead. Only for one account's rows
        (``params`` name the account): a whole kind would be one huge record.
        """
        if not params or set(params) != {"id"}:
            return super()._read_table(text, params, kind)
        rows = self._one_record(text, params, [c.name for c in kind.columns])
        columns = list(zip(*rows, strict=True)) or [() for _ in kind.columns]
        schema = schema_of(kind.columns)
        arrays = []
        for c, values, field in zip(kind.columns, columns, schema, strict=True):
            if c.kind == "STRING[]":  # as normalise_row: a missing list is empty
                values = tuple([] if v is None else v for v in values)
            arrays.append(pa.array(values, field.type))
        return pa.Table.from_arrays(arrays, schema=schema)

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(
                f"Neo4j at {self.uri} is open read-only here; writes need a command that writes"
            )

    def wipe(self) -> None:
        """Delete every node and relationship (tests only; the schema stays).

        In batches of :data:`WIPE_BATCH` rows, relationships first, each batch
        its own transaction, so the server's memory bounds no graph size.
        """
        self._check_writable()
        with self._translated():
            for name in ("wipe_rels", "wipe_nodes"):
                self._auto(self._q(name), {"batch": WIPE_BATCH})

    # -- search ------------------------------------------------------------------------
    def search(
        self,
        text: str,
        kinds: Sequence[str] = ("company", "contact"),
        limit: int = 20,
        *,
        fields: Sequence[str] | None = None,
    ) -> list[Node]:
        """As :meth:`StoreBase.search`, through each kind's full-text index.

        The index finds candidates (every value with a word containing the
        needle's longest run of letters and digits, a superset of the matches),
        and the same ``CONTAINS`` test as the embedded store keeps the matches:
        the same answer, without scanning every node of the kind.
        """
        needle = text.strip().lower()
        terms = fulltext_terms(needle)
        if terms is None or not self._fulltext_ready():
            return super().search(text, kinds, limit, fields=fields)
        found: list[Node] = []
        for name in kinds:
            k = node_kind(name)
            # The index covers every text field; the CONTAINS test keeps to ``fields``.
            searched = self._searched(k, fields)
            if not searched:
                continue
            query = self._q(
                "node_search_fulltext",
                label=k.label,
                where=self._contains(searched),
                returns=self._returns(k),
            )
            params = {"index": fulltext_index(k), "terms": terms, "q": needle, "limit": limit}
            rows = self._read(query, params)
            found += [k.model.model_validate(normalise_row(k, r)) for r in rows]
        return found[:limit]

    def _fulltext_ready(self) -> bool:
        """Whether the full-text indexes are there (a database never set up has none)."""
        if not self._fulltext_seen:
            wanted = {fulltext_index(k) for k in NODE_KINDS.values() if k.text_fields}
            present = {r["name"] for r in self._read(self._q("schema_names"))}
            self._fulltext_seen = wanted <= present
        return self._fulltext_seen

    # -- the importer's crosswalk --------------------------------------------------------
    def crosswalk_entries(self) -> list[tuple[str, str, str, str]]:
        """Every (source, kind, foreign id, our id) the importer remembered here."""
        rows = self._read(self._q("crosswalk_all"))
        return [(r["source"], r["kind"], r["foreign_id"], r["our_id"]) for r in rows]

    def crosswalk_put(self, entries: Sequence[tuple[str, str, str, str]]) -> None:
        """Remember (source, kind, foreign id, our id) entries, the last one of a key winning."""
        rows = [
            {"id": crosswalk_key(s, k, f), "source": s, "kind": k, "foreign_id": f, "our_id": o}
            for s, k, f, o in entries
        ]
        text = self._q("crosswalk_put")
        for start in range(0, len(rows), self.chunk_size):
            params = {"rows": rows[start : start + self.chunk_size]}
            self._write(partial(self._read_in_write, text, params))

    def crosswalk_forget(self, our_id: str) -> int:
        """Forget every foreign id that became ``our_id``; how many there were."""
        text = self._q("crosswalk_forget")
        rows = self._write(partial(self._read_in_write, text, {"id": our_id}))
        return int(rows[0]["removed"]) if rows else 0

    def crosswalk_forget_keys(self, keys: Sequence[tuple[str, str, str]]) -> int:
        """Forget these (source, kind, foreign id) entries (erasure); how many there were."""
        ids = [crosswalk_key(s, k, f) for s, k, f in keys]
        text = self._q("crosswalk_forget_keys")
        rows = self._write(partial(self._read_in_write, text, {"ids": ids}))
        return int(rows[0]["removed"]) if rows else 0

    def _read_in_write(self, text: str, params: Mapping[str, Any], tx: WriteTx) -> list[Row]:
        return self._read(text, params)  # inside _write, _read runs in its transaction
