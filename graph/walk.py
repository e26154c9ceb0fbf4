"""Read every account by several processes at once: one mechanism for every walk.

Reading and classifying an account is CPU work in Python: one process reads the
``large`` demo world's 10,000 accounts' summaries in about six minutes, and the
database readings' rows (summaries, contact rows, closed-deal cases) in 36.
:func:`map_accounts` splits the accounts over ``jobs`` processes, each with its own
read-only store (LadybugDB shares a store between read-only processes and the one
writer, say a running ``serve``; Neo4j between any clients), and hands the results
back in company id order. :func:`account_summaries` (``analyze --all``) and the API's
database readings (:class:`api.database.DatabaseReadings`) both walk with it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from graph.settings import Settings
from graph.store import Store

CHUNK = 100  # accounts per task: big enough to amortise a task, small enough to balance

T = TypeVar("T")
#: Reads a chunk of accounts from a store: ``read(store, company_ids, *args)``. It
#: must be a module-level function (it is sent to the worker processes by name).
ChunkReader = Callable[..., list[T]]

_store: Any = None  # the worker process's store


def _open(settings: Settings) -> None:
    global _store
    from graph.stores import open_store

    _store = open_store(settings, read_only=True)


def _run(read: ChunkReader[T], company_ids: Sequence[str], args: tuple[Any, ...]) -> list[T]:
    return read(_store, company_ids, *args)


def map_accounts(
    settings: Settings | None,
    company_ids: Sequence[str],
    read: ChunkReader[T],
    *args: Any,
    jobs: int = 2,
    store: Store | None = None,
    chunk: int = CHUNK,
) -> Generator[T, None, None]:
    """``read(store, chunk, *args)`` over ``company_ids`` in chunks, results in order.

    ``jobs`` processes each open the store ``settings`` name, read-only; with
    ``jobs=1`` (or no ``settings``) the chunks are read here, from ``store`` when
    given (else one opened read-only from ``settings``). Stopping the iteration
    early cancels the chunks not yet started.
    """
    chunks = [list(company_ids[i:i + chunk]) for i in range(0, len(company_ids), chunk)]
    if jobs <= 1 or settings is None:
        own = store is None
        if store is None:
            if settings is None:
                raise ValueError("map_accounts needs a store or the settings naming one")
            _open(settings)
        here: Store = _store if store is None else store
        try:
            for ids in chunks:
                yield from read(here, ids, *args)
        finally:
            if own:
                here.close()
        return
    # spawn, not fork: a forked child would share the parent's open database handles.
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(min(jobs, max(len(chunks), 1)), mp_context=ctx,
                               initializer=_open, initargs=(settings,))
    try:
        futures: list[Future[list[T]]] = [pool.submit(_run, read, ids, args)
                                          for ids in chunks]
        for future in futures:
            yield from future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _summaries(
    store: Store, company_ids: Sequence[str], rules: Path | None,
    as_of: date | datetime | str | None, half_life_days: float, priors: Any = None,
) -> list[dict[str, Any]]:
    from graph.readings.database import iter_account_summaries
    from graph.readings.rules import resolve

    r = resolve(rules)
    return list(iter_account_summaries(
        store, rules=r.with_priors(priors) if priors is not None else r, as_of=as_of,
        half_life_days=half_life_days, company_ids=company_ids))


def account_summaries(
    settings: Settings,
    company_ids: Sequence[str],
    *,
    jobs: int = 2,
    rules: Path | None = None,
    as_of: date | datetime | str | None = None,
    priors: Any = None,
) -> Iterator[dict[str, Any]]:
    """Summary rows (firmographics, mix, status, departures) of ``company_ids``, in order.

    ``jobs`` processes read the store ``settings`` names, read-only, at once; with
    ``jobs=1`` it is :func:`iter_account_summaries` in this process. ``priors``: the
    database's signal weights (:func:`graph.evidence.rules_for`), estimated once by
    the caller and handed to every process.
    """
    return map_accounts(settings, company_ids, _summaries, rules, as_of,
                        settings.strength_half_life_days, priors, jobs=jobs)
