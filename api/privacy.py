"""Who may see a contact's personal profile items, and the audit of every such read.

The rule (DOMAIN.md, Privacy): personal items are shown to users on that
account's team (an ``ON_TEAM`` link or the current ``OWNS``) and to admins.
Everyone else gets the item's key with ``redacted=True`` and no value. Public
items are shown to every signed-in user.

Every path that hands out profile items (GraphQL fields, search, exports, maps,
briefs) goes through :meth:`Privacy.view_item`, which is the one place the value
is released and the one place the read is recorded. Filters act on
:meth:`Privacy.visible_value`, so a filter on a value the viewer cannot read
matches nothing rather than revealing, by which rows come back, what it is.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import networkx as nx

from api.auth import Viewer, now
from graph.model import AuditAction, AuditEvent, Visibility
from graph.neighbourhood import split_key
from graph.store import Store

log = logging.getLogger("accountgraph.audit")


@dataclass(frozen=True)
class ProfileItemView:
    """A profile item as one viewer may see it: ``value`` is None when redacted."""

    id: str
    contact_id: str
    key: str
    value: str | None
    visibility: str
    redacted: bool
    entered_by: str | None = None
    entered_at: datetime | None = None


def team_user_ids(G: nx.MultiDiGraph) -> frozenset[str]:
    """Users on the account's team in an account graph: ON_TEAM, or the current OWNS."""
    company = f"company:{G.graph.get('company_id')}"
    out: set[str] = set()
    if company not in G:
        return frozenset()
    for u, _, data in G.in_edges(company, data=True):
        kind = data.get("kind")
        if kind == "ON_TEAM" or (kind == "OWNS" and data.get("until") is None):
            out.add(split_key(u)[1])
    return frozenset(out)


class Privacy:
    """One request's view of personal data: decides, releases, and records.

    Parameters
    ----------
    viewer : who is asking.
    team_of : company id -> ids of the users on its team (cached by the caller).
    door : how the data leaves ("graphql", "export", "map", "brief", "cli").
    """

    def __init__(
        self,
        viewer: Viewer,
        team_of: Callable[[str], frozenset[str]],
        *,
        door: str,
        request_id: str | None = None,
    ):
        self.viewer = viewer
        self.team_of = team_of
        self.door = door
        self.request_id = request_id
        self._pending: dict[tuple[str, str], AuditEvent] = {}
        self._decided: dict[str, bool] = {}

    def may_see_personal(self, company_id: str) -> bool:
        """True when the viewer is an admin or on this account's team."""
        if self.viewer.is_admin:
            return True
        if company_id not in self._decided:
            self._decided[company_id] = self.viewer.id in self.team_of(company_id)
        return self._decided[company_id]

    def visible_value(self, item: Mapping[str, Any], company_id: str) -> str | None:
        """The value the viewer could read, without recording a read (for filters)."""
        if item.get("visibility") == Visibility.PUBLIC or self.may_see_personal(company_id):
            return item.get("value")
        return None

    def view_item(self, item: Mapping[str, Any], company_id: str) -> ProfileItemView:
        """The item as this viewer may see it; records the read when it is personal."""
        public = item.get("visibility") == Visibility.PUBLIC
        shown = public or self.may_see_personal(company_id)
        if shown and not public:
            self.record(item["contact_id"], str(item["key"]))
        return ProfileItemView(
            id=item["id"],
            contact_id=item["contact_id"],
            key=str(item["key"]),
            value=item.get("value") if shown else None,
            visibility=str(item.get("visibility") or Visibility.PERSONAL),
            redacted=not shown,
            entered_by=item.get("entered_by"),
            entered_at=item.get("entered_at"),
        )

    def view_items(
        self, items: Iterable[Mapping[str, Any]], company_id: str
    ) -> list[ProfileItemView]:
        return [self.view_item(i, company_id) for i in items]

    def record(
        self, contact_id: str, field: str, action: AuditAction = AuditAction.READ
    ) -> None:
        """Queue one audit row; one per (contact, field) per request is enough."""
        k = (contact_id, f"{action}:{field}")
        if k in self._pending:
            return
        self._pending[k] = AuditEvent(
            id=f"aud-{uuid.uuid4().hex}",
            at=now(),
            user_id=self.viewer.id,
            contact_id=contact_id,
            field=field,
            action=action,
            door=self.door,
            request_id=self.request_id,
        )

    @property
    def pending(self) -> list[AuditEvent]:
        return list(self._pending.values())

    def flush(self, store: Store) -> int:
        """Write the queued audit rows in one batch; returns how many."""
        events = list(self._pending.values())
        if not events:
            return 0
        report = store.upsert("audit_event", events)
        if report.rejected:
            # An unrecorded personal read is a privacy bug: shout, do not hide it.
            log.error("audit rows rejected: %s", "; ".join(map(str, report.rejected)))
        self._pending.clear()
        return len(events)
