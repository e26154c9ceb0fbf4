"""An account's touchpoints as columns: what the readings add up, without an object per row.

A busy account has 20,000 touchpoints and 70,000 participations. Weighing,
counting and pairing them is array arithmetic (numpy), so :class:`Touches` keeps
them as columns in time order, with participations as two parallel index arrays
(touchpoint row, person row). A :class:`Touch` object is made only for the few
touchpoints a reading quotes as evidence (:meth:`Touches.touch`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graph.model import TouchpointKind
from graph.privacy import CAPTURED

TOUCHPOINT_KINDS = frozenset(str(k) for k in TouchpointKind)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def from_us(us: int) -> datetime:
    """A UTC datetime from microseconds since the epoch."""
    return _EPOCH + timedelta(microseconds=int(us))


def to_us(when: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    return (when - _EPOCH) // timedelta(microseconds=1)


@dataclass
class Touch:
    """One touchpoint of the account, with who took part."""

    id: str
    kind: str
    at: datetime
    direction: str
    outcome: str | None
    campaign: str | None
    subject: str | None
    contacts: list[str] = field(default_factory=list)  # contact ids
    users: list[str] = field(default_factory=list)  # user ids
    origin: str | None = None  # "capture": read from a mailbox or calendar

    @property
    def captured(self) -> bool:
        return self.origin == CAPTURED


def _codes(
    col: pa.ChunkedArray | pa.Array, fill: str | None, order: np.ndarray
) -> tuple[np.ndarray, list[str | None]]:
    """Integer codes of a string column's rows ``order``, and the value of each code
    (nulls -> ``fill``)."""
    enc = pc.dictionary_encode(col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col)
    names: list[str | None] = enc.dictionary.to_pylist()
    codes = enc.indices.fill_null(len(names)).to_numpy(zero_copy_only=False).astype(np.int32)
    return codes[order], [*names, fill]


def _participants(
    lists: pa.ChunkedArray, ids: Sequence[str], rank: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(touch row, person row) of every participant among ``ids``, each pair once, by touch.

    ``rank``: the touch row of each of ``lists``' rows (they come unsorted).
    """
    if not ids or len(lists) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    arr = lists.combine_chunks()
    flat = pc.list_flatten(arr)
    parents = pc.list_parent_indices(arr).to_numpy(zero_copy_only=False).astype(np.int64)
    rows = pc.index_in(flat, value_set=pa.array(ids, pa.string()))
    held = rows.is_valid().to_numpy(zero_copy_only=False)
    person = rows.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)[held]
    # Someone listed twice on one touchpoint took part once.
    pair = np.sort(rank[parents[held]] * len(ids) + person)
    pair = pair[np.r_[True, pair[1:] != pair[:-1]]] if len(pair) else pair
    return pair // len(ids), pair % len(ids)


def _without_personal_subjects(table: pa.Table) -> pa.Table:
    """The subjects of captured touchpoints blanked: they are personal data
    (:func:`graph.privacy.subject_is_personal`), and readings are shown to everyone."""
    if "origin" not in table.column_names or "subject" not in table.column_names:
        return table
    captured = pc.fill_null(pc.equal(table.column("origin"), CAPTURED), False)
    if not pc.any(captured).as_py():
        return table
    subject = pc.if_else(captured, pa.scalar(None, pa.string()), table.column("subject"))
    return table.set_column(table.column_names.index("subject"), "subject", subject)


def expand(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The concatenated ranges ``lo[i]:hi[i]`` (``np.r_`` of many slices, vectorised)."""
    size = hi - lo
    ends = np.cumsum(size)
    return np.repeat(lo - ends + size, size) + np.arange(ends[-1] if len(ends) else 0)


class Touches:
    """The touchpoints of one account up to ``as_of``, oldest first, as columns.

    Attributes
    ----------
    at_us : ndarray of int64
        When, in microseconds since the epoch (UTC).
    kind, outcome, direction : ndarray of int32
        Codes into ``kinds``, ``outcomes`` (None for no outcome), ``directions``.
    c_touch, c_person : ndarray of int64
        Contact participations: touchpoint row and contact row (the order of the
        ``contact_ids`` given), sorted by touchpoint.
    u_touch, u_person : ndarray of int64
        The same for our users.
    """

    def __init__(
        self,
        table: pa.Table,
        as_of: datetime,
        contact_ids: Sequence[str],
        user_ids: Sequence[str],
    ):
        at = pc.cast(table.column("at"), pa.timestamp("us")).cast(pa.int64())
        keep = pc.and_kleene(pc.less_equal(at, to_us(as_of)), pc.is_valid(at))
        if not pc.all(keep).as_py():  # as of today, usually every row is kept
            table = table.filter(keep)
            at = pc.cast(table.column("at"), pa.timestamp("us")).cast(pa.int64())
        # Rows stay where they are; each column is put in time order as it is read
        # (the list columns of a busy account are most of a full sort's cost).
        order = pc.sort_indices(table, sort_keys=[("at", "ascending"), ("id", "ascending")])
        self._order = order = order.to_numpy(zero_copy_only=False).astype(np.int64)
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        self._table = table = _without_personal_subjects(table)
        self.at_us = at.to_numpy(zero_copy_only=False).astype(np.int64)[order]
        self.kind, kinds = _codes(table.column("type"), "unknown", order)
        self.kinds = [k if k in TOUCHPOINT_KINDS else "unknown" for k in kinds]
        self.outcome, self.outcomes = _codes(table.column("outcome"), None, order)
        self.direction, directions = _codes(table.column("direction"), "outbound", order)
        self.directions = [d or "outbound" for d in directions]
        self.contact_ids, self.user_ids = list(contact_ids), list(user_ids)
        self.c_touch, self.c_person = _participants(
            table.column("contact_ids"), self.contact_ids, rank)
        self.u_touch, self.u_person = _participants(table.column("user_ids"), self.user_ids, rank)
        self._made: dict[int, Touch] = {}
        self._text: dict[str, list[str | None]] = {}
        self._day_names: tuple[list[str], np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.at_us)

    @property
    def last_at(self) -> datetime | None:
        """When the latest touchpoint was, or None without any."""
        return from_us(self.at_us[-1]) if len(self) else None

    def kind_of(self, i: int) -> str:
        return self.kinds[self.kind[i]]

    def _column(self, name: str) -> list[str | None]:
        col = self._text.get(name)
        if col is None:
            col = self._text[name] = self._table.column(name).take(self._order).to_pylist()
        return col

    def text(self, column: str, i: int) -> str | None:
        """A text column's value in row ``i`` (``id``, ``subject``, ``campaign``, ``origin``)."""
        if column not in self._table.column_names:
            return None  # a table from before the column was (``origin``)
        return self._column(column)[i]

    def texts(self, column: str) -> list[str | None]:
        """A text column's values, row by row (read from Arrow once, then kept)."""
        return self._column(column)

    def day(self, i: int) -> str:
        """Row ``i``'s date, ISO (``2025-03-01``)."""
        names, which = self._day_codes()
        return names[which[i]]

    def days(self, rows: np.ndarray) -> list[str]:
        """The dates of ``rows``, ISO: :meth:`day` of each, for many rows at once."""
        names, which = self._day_codes()
        return [names[w] for w in which[rows].tolist()]

    def _day_codes(self) -> tuple[list[str], np.ndarray]:
        """Each distinct day in words, and the day of each row (an index into them)."""
        if self._day_names is None:
            # A few hundred distinct days among tens of thousands of touchpoints: each
            # put into words once (numpy's datetime_as_string took 10 ms for 20,000).
            days, which = np.unique(self.at_us // 86_400_000_000, return_inverse=True)
            names = [(_EPOCH + timedelta(days=d)).date().isoformat() for d in days.tolist()]
            self._day_names = (names, which)
        return self._day_names

    def touch(self, i: int) -> Touch:
        """Row ``i`` as a :class:`Touch` (made once, then kept)."""
        t = self._made.get(i)
        if t is None:
            c_lo, c_hi = np.searchsorted(self.c_touch, [i, i + 1])
            u_lo, u_hi = np.searchsorted(self.u_touch, [i, i + 1])
            t = self._made[i] = Touch(
                id=str(self._column("id")[i]),
                kind=self.kind_of(i),
                at=from_us(self.at_us[i]),
                direction=self.directions[self.direction[i]] or "outbound",
                outcome=self.outcomes[self.outcome[i]],
                campaign=self._column("campaign")[i],
                subject=self._column("subject")[i],
                origin=self.text("origin", i),
                contacts=[self.contact_ids[p] for p in self.c_person[c_lo:c_hi]],
                users=[self.user_ids[p] for p in self.u_person[u_lo:u_hi]],
            )
        return t
