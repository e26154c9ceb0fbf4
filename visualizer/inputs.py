"""What the map and the brief are drawn from, as plain data.

The page builders never compute a reading themselves and never make up who may see
what: they take an account graph (:mod:`graph.neighbourhood`), an
:class:`AccountReadings` and a :class:`Viewer`, whose :class:`graph.privacy.PersonalRule`
decides per contact (by the contact's current account, not the page's), and draw.
:func:`readings_for` fills an :class:`AccountReadings` from :mod:`graph.readings`;
tests build one by hand.

Profile items are read only through :func:`profile_items`, which drops the value
of a personal item unless the rule lets the viewer see that contact's personal
data, so a value the viewer may not read never reaches a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import networkx as nx

from graph.neighbourhood import nodes_of
from graph.privacy import NOBODY, PersonalRule
from graph.readings.handover import Handover
from graph.readings.job_changes import JobChange
from graph.readings.status import QuietChampion

# The categories of DOMAIN.md in the order the legend lists them.
CATEGORIES: tuple[str, ...] = (
    "decision_maker",
    "champion",
    "purchaser",
    "finance",
    "technical_evaluator",
    "end_user",
    "partner",
    "investor",
    "analyst",
    "media",
    "unengaged",
)
UNKNOWN_CATEGORY = "unclassified"


def category_label(category: str) -> str:
    """``"technical_evaluator"`` -> ``"Technical evaluator"``."""
    return category.replace("_", " ").capitalize()


@dataclass(frozen=True)
class ContactReading:
    """One contact's readings, as the pages show them."""

    category: str = UNKNOWN_CATEGORY
    secondary: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    strength: float = 0.0  # 0..1
    # Our users who know this contact: user node key -> pair strength (0..1).
    known_by: dict[str, float] = field(default_factory=dict)
    # The evidence behind the strength: touchpoints up to as_of, and the latest.
    touchpoints: int = 0
    last_touch: datetime | None = None


@dataclass(frozen=True)
class KeyPerson:
    contact: str  # node key
    score: float
    single_point_of_failure: bool = False
    why: str = ""
    # What their departure would cut: departments, and decision makers' node keys.
    cut_departments: tuple[str, ...] = ()
    cut_people: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hop:
    source: str  # node key
    target: str  # node key
    strength: float
    evidence: str


@dataclass(frozen=True)
class InfluencePath:
    hops: tuple[Hop, ...]
    strength: float

    @property
    def nodes(self) -> list[str]:
        if not self.hops:
            return []
        return [self.hops[0].source, *(h.target for h in self.hops)]


@dataclass(frozen=True)
class AccountReadings:
    """An account's readings: everything the pages show that is not a raw fact."""

    status: str = "unknown"
    status_reasons: tuple[str, ...] = ()
    # Reasons said but not counted against the account ("no data on departments"),
    # and the at-risk findings whatever the status (a dormant account's quiet champion).
    status_notes: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    contacts: dict[str, ContactReading] = field(default_factory=dict)  # by node key
    whitespace: tuple[str, ...] = ()  # readable gaps, "No one in Finance"
    key_people: tuple[KeyPerson, ...] = ()
    breadth: dict[str, Any] = field(default_factory=dict)  # label -> value, shown as is
    paths: tuple[InfluencePath, ...] = ()  # to the contact asked for (``?to=``), best first
    # Who left the account (and where they went), key people first.
    departures: tuple[JobChange, ...] = ()
    # The quiet champions behind the status reasons and notes.
    quiet_champions: tuple[QuietChampion, ...] = ()
    # Who owned the account before, the latest handover first.
    handovers: tuple[Handover, ...] = ()

    def contact(self, node: str) -> ContactReading:
        return self.contacts.get(node) or ContactReading()


@dataclass(frozen=True)
class Viewer:
    """Who the page is for; ``rule`` decides per contact whose personal data they see."""

    name: str = "command line"
    rule: PersonalRule = NOBODY
    user_key: str | None = None  # "user:u-1" when the viewer is one of our users


@dataclass(frozen=True)
class Item:
    """A profile item as a page may show it: ``value`` is None when redacted."""

    contact: str
    key: str
    value: str | None
    personal: bool
    entered_by: str | None = None  # user id
    entered_at: datetime | None = None

    @property
    def redacted(self) -> bool:
        return self.value is None


def profile_items(G: nx.MultiDiGraph, viewer: Viewer) -> dict[str, list[Item]]:
    """Every contact's profile items, personal values dropped unless the viewer may see them.

    Decided per contact by its current account (``company_id``): in the map of an
    account a contact has left, their personal items are their new team's.
    """
    out: dict[str, list[Item]] = {}
    for node in nodes_of(G, "profile_item"):
        attrs = G.nodes[node]
        contact = f"contact:{attrs.get('contact_id')}"
        personal = attrs.get("visibility", "personal") != "public"
        owner = G.nodes[contact] if contact in G else {}
        value = attrs.get("value") if (not personal or viewer.rule.sees(owner)) else None
        out.setdefault(contact, []).append(Item(
            contact, str(attrs.get("key")), value, personal,
            attrs.get("entered_by"), attrs.get("entered_at")))
    for items in out.values():
        items.sort(key=lambda i: i.key)
    return out


def personal_reads(items: dict[str, list[Item]]) -> list[tuple[str, str]]:
    """(contact id, item key) of every personal value shown: what the caller must audit."""
    return [
        (i.contact.partition(":")[2], i.key)
        for contact_items in items.values()
        for i in contact_items
        if i.personal and not i.redacted
    ]


def last_touch(G: nx.MultiDiGraph) -> dict[str, datetime]:
    """Each person's latest touchpoint time in this account graph."""
    latest: dict[str, datetime] = {}
    for u, v, kind in G.edges(keys=True):
        if kind != "PARTICIPATED_IN":
            continue
        at = G.nodes[v].get("at")
        if at is not None and (u not in latest or at > latest[u]):
            latest[u] = at
    return latest


def readings_for(G: nx.MultiDiGraph, **options: Any) -> AccountReadings:
    """The account's readings from :mod:`graph.readings`, as the pages take them.

    Options: ``as_of``, ``rules``, ``half_life_days``, ``to`` (a contact key to find
    influence paths to), ``user_id`` (paths from this user only).
    """
    from visualizer.readings_adapter import adapt

    return adapt(G, **options)
