"""The store interface: everything the app needs from a graph store.

Two backends implement it, :class:`graph.stores.ladybug.LadybugStore` (embedded,
the default) and :class:`graph.stores.neo4j.Neo4jStore`; both pass the contract
suite in ``tests/integration/test_store_contract.py``.

Write semantics (both backends, same code in :mod:`graph.writer`):

* Writes are idempotent, keyed on ``id`` (nodes) or on the endpoints plus the
  relationship's key properties. Writing the same batch twice changes nothing.
* **A batch with bad items is applied without them and the bad items are
  reported** in :attr:`WriteReport.rejected` (item, field, reason). A bad item
  is one that fails validation or names an id that does not exist (a contact
  whose company is not there). Nothing is half-written: the good part of a
  batch commits in one transaction per chunk.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import networkx as nx

from graph.model import Node, Rel

if TYPE_CHECKING:  # graph.neighbourhood imports this module
    from graph.neighbourhood import AccountData


@dataclass(frozen=True)
class Rejection:
    """One item of a batch that was not written, and why."""

    index: int  # position in the batch as given
    item: str | None  # its id (or "source->target"), when it had one
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = f"item {self.index}" + (f" ({self.item})" if self.item else "")
        return f"{where}: {self.reason}"


@dataclass
class WriteReport:
    """What one write did."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def written(self) -> int:
        return self.created + self.updated

    def merge(self, other: WriteReport) -> WriteReport:
        """Add another chunk's report (its indexes are already batch-wide)."""
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected.extend(other.rejected)
        return self


@dataclass(frozen=True)
class Page:
    """One page of a list; ``next_cursor`` is None on the last page."""

    items: list[Node]
    next_cursor: str | None
    total: int


@dataclass(frozen=True)
class ErasureReport:
    contact_id: str
    profile_items_removed: int
    fields_cleared: tuple[str, ...]
    subjects_cleared: int = 0  # captured touchpoints' subjects the contact was on


@dataclass(frozen=True)
class DataVersion:
    """Where a store's data stands (:meth:`Store.data_version`).

    ``changes`` counts committed writes to the data (any process, through any
    Store object), ``erasures`` those that erased personal data, and
    ``elsewhere`` the changes not made through the Store object asked: what a
    cache in this process cannot have been told about.
    """

    changes: int
    erasures: int
    elsewhere: int


MAX_PAGE_SIZE = 500


@runtime_checkable
class Store(Protocol):
    """What the app needs from a graph store."""

    dialect: str  # "ladybug" or "neo4j": which folder of queries/ it speaks

    # -- writing -------------------------------------------------------------
    def upsert(self, kind: str, items: Iterable[Node | Mapping[str, Any]]) -> WriteReport:
        """Create or update nodes of one kind (see module docstring for semantics)."""
        ...

    def upsert_table(self, kind: str, table: Any, *, validated: bool = False) -> WriteReport:
        """Create or update nodes of one kind from a ``pyarrow.Table``, as :meth:`upsert`.

        Columns are named like the model's fields (a missing optional column
        takes the field's default; an unknown column raises ValidationError).
        Rows are validated and reported like ``upsert``'s items (index = row
        position); the last row of an id wins. Written by either method, the
        same content counts as unchanged when written again by the other.
        ``validated``: the table is :func:`graph.bulk_check.check`'s output less
        its refused rows, so a backend may skip checking it again; it may end
        with a ``fingerprint`` column of :func:`graph.digest.digests`.
        """
        ...

    def link(self, kind: str, rels: Iterable[Rel | Mapping[str, Any]]) -> WriteReport:
        """Create or update explicit relationships of one kind (``KNOWS``, ``OWNS``...)."""
        ...

    def unlink(self, kind: str, pairs: Iterable[tuple[str, str]]) -> int:
        """Remove explicit relationships between (source id, target id) pairs."""
        ...

    def delete(self, kind: str, id: str) -> bool:
        """Delete one node and its relationships; False if it was not there."""
        ...

    def erase_personal_data(self, contact_id: str) -> ErasureReport:
        """Erase a contact's personal data, keeping what the business must keep.

        The contact's direct email and phone, their profile items, their name (replaced),
        and the subjects of captured touchpoints they were on (personal data:
        :func:`graph.privacy.subject_is_personal`). When it returns no copy of the
        erased values is left in the store's own files where the backend can see to
        it (the embedded store rewrites its file; Neo4j: see docs/api.md, Erasure),
        and :meth:`data_version` has moved.
        """
        ...

    def bulk_load(self) -> AbstractContextManager[None]:
        """A scope for one big load (an import, a seed) in which the store may make
        its bulk writes durable together rather than one commit at a time.

        Writes are visible inside as usual. A process killed inside the scope may
        lose what it wrote there (the embedded store: since its last checkpoint);
        the loads are idempotent, so running the same one again restores it.
        """
        ...

    def data_version(self) -> DataVersion:
        """The store-wide change marker: one small read, cheap enough to ask often.

        Every transaction that writes account data (not audit rows or tokens)
        bumps it, in the database itself, so it is shared by every process: a
        cache compares it with the value it loaded under. Equal values mean
        nothing changed in between.
        """
        ...

    # -- reading -------------------------------------------------------------
    def get(self, kind: str, id: str) -> Node | None: ...

    def get_many(self, kind: str, ids: Sequence[str]) -> dict[str, Node]: ...

    def get_table(self, kind: str, ids: Sequence[str] | None = None) -> Any:
        """Stored nodes of one kind as a ``pyarrow.Table`` of its columns, in no set order.

        Those of ``ids`` that exist, or every node of the kind when ``ids`` is
        None. For bulk readers (the importer's identity index): no model object
        per node, times naive UTC as :meth:`upsert_table` takes them.
        """
        ...

    def relationships(
        self, kind: str, *, source: str | None = None, target: str | None = None
    ) -> builtins.list[Rel]:
        """Explicit relationships of one kind touching a node."""
        ...

    def relationships_not_from(self, kind: str, origin_prefix: str) -> builtins.list[Rel]:
        """Every explicit relationship of a kind with an ``origin`` that does not start
        with ``origin_prefix``: what others wrote, for a writer that keeps to its own
        (capture's "knows" links leave a rep's or an import's alone). One read."""
        ...

    def search(
        self,
        text: str,
        kinds: Sequence[str] = ("company", "contact"),
        limit: int = 20,
        *,
        fields: Sequence[str] | None = None,
    ) -> builtins.list[Node]:
        """Case-insensitive substring search over each kind's text fields, by id.

        ``fields``: only these of the kinds' text fields (say, leave out a
        contact's email, which is personal: see :mod:`graph.privacy`).
        """
        ...

    def list(
        self,
        kind: str,
        filters: Mapping[str, Any] | None = None,
        *,
        after: str | None = None,
        limit: int = 50,
    ) -> Page:
        """Nodes of one kind whose fields equal ``filters``, ordered by id, after a cursor."""
        ...

    def iter_ids(self, kind: str, batch: int = 10_000) -> Iterator[builtins.list[str]]:
        """Every id of a kind, in batches, ordered."""
        ...

    def account_graph(self, company_id: str) -> nx.MultiDiGraph:
        """One account's whole neighbourhood (see :mod:`graph.neighbourhood`)."""
        ...

    def account_data(self, company_id: str, *, people: bool = True) -> AccountData:
        """The same neighbourhood as rows and one touchpoint table, before any graph.

        What :meth:`account_graph` is built from; the readings read it directly
        (``graph.readings.account_readings(store.account_data(id))``), which on a busy
        account is several times faster than building the graph. ``people=False``
        leaves out reporting lines, "knows" links and people from elsewhere: the
        account's own status, mix and breadth do not use them (half the queries).
        """
        ...

    def counts(self) -> dict[str, int]:
        """Number of nodes of each kind and relationships of each kind."""
        ...

    def contact_touch_kinds(self) -> Any:
        """How many touchpoints of each kind every contact took part in, store-wide.

        A ``pyarrow.Table`` of ``id`` (contact), ``kind``, ``n``, one row per pair, in
        no set order: what the database-level signal weights are estimated from
        (:mod:`graph.evidence`), read once per data change, never per account.
        """
        ...

    def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers."""
        ...

    def ensure_schema(self) -> None:
        """Create what the store needs to hold data, if missing (``accountgraph init``).

        Writes do it themselves the first time; read-only opens never need it.
        """
        ...

    def close(self) -> None: ...
