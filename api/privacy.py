"""Personal data at the API's doors: released through the rule, and every read audited.

The rule itself (who may see a contact's personal data) is
:func:`graph.privacy.may_see_personal`, decided per contact by the team of the
contact's current account, or admin. This module applies it for one request:

* :meth:`Privacy.view_item` is the one place a profile item's value is released,
  :meth:`Privacy.view_field` the one place a contact's email or phone is; both
  record the read when the value is personal and shown.
* Filters and search act on :meth:`Privacy.visible_value` / :meth:`Privacy.sees`,
  so a filter on a value the viewer cannot read matches nothing rather than
  revealing, by which rows come back, what it is.
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
from graph.privacy import PERSONAL_CONTACT_FIELDS, PersonalRule, team_from_links
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
    if company not in G:
        return frozenset()
    return team_from_links(
        (split_key(u)[1], data) for u, _, data in G.in_edges(company, data=True)
    )


class Privacy:
    """One request's view of personal data: decides (by the rule), releases, and records.

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
        self.rule = PersonalRule(viewer.user, team_of)
        self.door = door
        self.request_id = request_id
        self._pending: dict[tuple[str, str], AuditEvent] = {}

    def may_see_personal(self, company_id: str) -> bool:
        """True when the viewer may see the personal data of this account's own contacts."""
        return self.rule.sees_account(company_id)

    def sees(self, contact: Mapping[str, Any]) -> bool:
        """True when the viewer may see this contact's personal data (by its current account)."""
        return self.rule.sees(contact)

    def visible_value(self, item: Mapping[str, Any], company_id: str) -> str | None:
        """The value the viewer could read, without recording a read (for filters).

        ``company_id``: the current account of the item's contact.
        """
        if item.get("visibility") == Visibility.PUBLIC or self.may_see_personal(company_id):
            return item.get("value")
        return None

    def view_item(self, item: Mapping[str, Any], company_id: str) -> ProfileItemView:
        """The item as this viewer may see it; records the read when it is personal.

        ``company_id``: the current account of the item's contact (not the account
        being looked at: a contact who moved belongs to their new account's team).
        """
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

    def view_field(self, contact: Mapping[str, Any], field: str) -> str | None:
        """A contact's email or phone if the viewer may see it (the read recorded), else None."""
        assert field in PERSONAL_CONTACT_FIELDS, field
        value = contact.get(field)
        if value is None or not self.sees(contact):
            return None
        self.record(str(contact["id"]), field)
        return str(value)

    def view_subject(self, touchpoint: Mapping[str, Any]) -> str | None:
        """A captured touchpoint's subject if the viewer may see it, else None.

        It is personal data of the people on it (:func:`graph.privacy.subject_is_personal`):
        shown to the team of the touchpoint's account, the read recorded under each
        contact on it.
        """
        if not self.may_see_personal(str(touchpoint.get("company_id"))):
            return None
        for contact_id in touchpoint.get("contact_ids") or ():
            self.record(str(contact_id), "subject")
        return touchpoint.get("subject")

    def hidden_fields(self, contact: Mapping[str, Any]) -> list[str]:
        """The personal contact fields that hold a value this viewer may not see."""
        if self.sees(contact):
            return []
        return [f for f in PERSONAL_CONTACT_FIELDS if contact.get(f) is not None]

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

    def record_reads(self, reads: Iterable[tuple[str, str]]) -> None:
        """Queue a read of each (contact id, field) a page or file showed."""
        for contact_id, field in reads:
            self.record(contact_id, field)

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
