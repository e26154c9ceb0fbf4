"""The database's signal weights for a running server, estimated again after data changes.

Classification weighs evidence by how specific it is in this database
(:mod:`graph.evidence`). Estimating that is a pass over the whole store, so the
server does it once at start and then only when the data has changed: a thread
looks at the store's change marker every ``every`` seconds and, when it moved,
estimates the weights behind the requests (which keep the old ones meanwhile),
then swaps them in and drops every cached reading, since every account's
classification may read differently. Writes through this server, imports by
another process and erasures are all seen, as they all move the marker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from graph.evidence import rules_of_settings
from graph.readings.rules import Rules
from graph.settings import Settings
from graph.store import Store

log = logging.getLogger("accountgraph.api")

#: How often the marker is looked at. A burst of writes (an import) is one
#: re-estimate a minute at most, not one per batch.
REFRESH_SECONDS = 60.0


class WeightsKeeper:
    """Holds the rules every reading of the server uses, weights included.

    ``on_change(rules)`` is called from the keeper's thread after new weights
    are in; the app points the caches at them there.
    """

    def __init__(self, store: Store, settings: Settings, *, every: float = REFRESH_SECONDS):
        self.store = store
        self.settings = settings
        self.every = every
        self._marker = store.data_version().changes
        self.rules: Rules = rules_of_settings(store, settings)
        self.on_change: list[Callable[[Rules], None]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="weights", daemon=True)
        self._thread.start()

    def refresh(self) -> bool:
        """Estimate again if the data changed since the last estimate; True if it did."""
        marker = self.store.data_version().changes
        if marker == self._marker:
            return False
        rules = rules_of_settings(self.store, self.settings)
        self._marker, self.rules = marker, rules
        for listener in self.on_change:
            listener(rules)
        log.info("signal weights estimated again after data changes")
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.refresh()
            except Exception:  # a failed estimate keeps the old weights; try next time
                log.exception("signal weights not estimated again")

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
