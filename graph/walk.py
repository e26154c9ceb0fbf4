"""Every account's summary row, read by several processes at once.

:func:`graph.readings.database.iter_account_summaries` reads one account after
another in one process: about 36 ms per account of the ``large`` demo world, six
minutes for its 10,000 accounts. Reading and classifying is CPU work in Python,
so :func:`account_summaries` splits the accounts over ``jobs`` processes, each
with its own read-only store (LadybugDB shares a store between read-only
processes; Neo4j between any clients). Rows come back in company id order.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

from graph.settings import Settings

CHUNK = 100  # accounts per task: big enough to amortise a task, small enough to balance

_store: Any = None  # the worker process's store


def _open(settings: Settings) -> None:
    global _store
    from graph.stores import open_store

    _store = open_store(settings, read_only=True)


def _summaries(
    company_ids: Sequence[str], rules: Path | None, as_of: date | datetime | str | None,
    half_life_days: float, priors: Any = None,
) -> list[dict[str, Any]]:
    from graph.readings.database import iter_account_summaries
    from graph.readings.rules import resolve

    r = resolve(rules)
    return list(iter_account_summaries(
        _store, rules=r.with_priors(priors) if priors is not None else r, as_of=as_of,
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
    chunks = [list(company_ids[i:i + CHUNK]) for i in range(0, len(company_ids), CHUNK)]
    if jobs <= 1:
        _open(settings)
        try:
            for chunk in chunks:
                yield from _summaries(chunk, rules, as_of, settings.strength_half_life_days,
                                      priors)
        finally:
            _store.close()
        return
    # spawn, not fork: a forked child would share the parent's open database handles.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_open,
                             initargs=(settings,)) as pool:
        futures = [pool.submit(_summaries, chunk, rules, as_of, settings.strength_half_life_days,
                               priors) for chunk in chunks]
        for future in futures:
            yield from future.result()
