"""Write a generated world into a store, batch by batch."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from graph.schema import NODE_KINDS
from graph.store import Rejection, Store
from seed.generator import World

# Called after each batch with (kind, rows in the batch).
Progress = Callable[[str, int], None]


@dataclass
class LoadReport:
    """What a load wrote; ``rejected`` should be empty for a generated world."""

    written: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    rejected: list[tuple[str, Rejection]] = field(default_factory=list)


def load_world(store: Store, world: World, progress: Progress | None = None) -> LoadReport:
    """Stream ``world`` into ``store``: nodes through ``upsert``, the rest through ``link``.

    The world's batches come in an order where nothing refers to an id not yet
    written, so a store that rejects dangling references accepts every batch.
    Loading the same world twice writes nothing the second time.
    """
    report = LoadReport()
    for kind, batch in world:
        result = store.upsert(kind, batch) if kind in NODE_KINDS else store.link(kind, batch)
        report.written[kind] += result.written
        report.unchanged[kind] += result.unchanged
        report.rejected.extend((kind, r) for r in result.rejected)
        if progress is not None:
            progress(kind, len(batch))
    return report
