"""One account as a row of the account list: what the home page shows and filters on.

:func:`account_row` reads an account twice, as of its moment and a week before
(:mod:`graph.readings.watch`), and keeps only what a list needs: names,
firmographics, status and why, breadth, the last touchpoint, the owner and the
team, and what changed since the week before. The row is plain JSON-ready data
with no personal values (names, titles and statuses only), so it may be kept
beside the store and served to any signed-in user.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from graph import collector
from graph.readings.chain import account_state
from graph.readings.facts import AccountSource, resolve_as_of
from graph.readings.rules import Rules, resolve
from graph.readings.strength import DEFAULT_HALF_LIFE_DAYS
from graph.readings.watch import Moment, changes, moment

#: The row's firmographics, which the list filters on as segments.
SEGMENTS = ("industry", "size_band", "region", "lifecycle")
#: How far back the watch list looks.
WATCH_DAYS = 7


def _text(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def _read(source: AccountSource, r: Rules, as_of: datetime, half_life_days: float
          ) -> tuple[Any, Any, Any, Moment]:
    s = account_state(source, rules=r, as_of=as_of, half_life_days=half_life_days)
    return s.facts, s.breadth, s.status, moment(s.facts, s.classification, s.status.status,
                                                rules=r)


def account_row(
    source: AccountSource,
    *,
    rules: Rules | None = None,
    as_of: date | datetime | str | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    watch_days: int = WATCH_DAYS,
) -> dict[str, Any]:
    """The account's row: see the module docstring for what it holds.

    Parameters
    ----------
    source : AccountData or an account graph
        ``Store.account_data(id, people=False)`` is enough.
    rules, as_of, half_life_days
        As for :func:`graph.readings.account_readings`.
    watch_days : int
        The watch list compares the account with itself this many days before.

    Returns
    -------
    dict
        ``id``, ``name``, the :data:`SEGMENTS`, ``status``, ``reasons``,
        ``departments`` (covered), ``departments_known``, ``live``, ``contacts``,
        ``last_touch`` (ISO date or None), ``owner_id``, ``owner``, ``team`` (user ids),
        ``watch`` (a list of ``{kind, text, contact_id, ...}``).
    """
    r = resolve(rules)
    when = resolve_as_of(as_of)
    with collector.paused():
        facts, breadth, status, now = _read(source, r, when, half_life_days)
        before = _read(source, r, when - timedelta(days=watch_days), half_life_days)[3]
    at = facts.touches.at_us
    last = (datetime.fromtimestamp(int(at.max()) / 1e6, tz=UTC).date().isoformat()
            if len(at) else None)  # fmt: skip
    owner_id = next((uid for uid, role in sorted(facts.team.items()) if role == "owner"), None)
    owner = facts.users.get(owner_id, {}) if owner_id else {}
    return {
        "id": facts.company_id,
        "name": str(facts.company.get("name") or facts.company_id),
        **{k: _text(facts.company.get(k)) for k in SEGMENTS},
        "status": status.status,
        "reasons": list(status.reasons),
        "departments": len(breadth.departments_covered),
        "departments_known": len(breadth.departments_known),
        "live": breadth.live_relationships,
        "contacts": breadth.contacts,
        "last_touch": last,
        "owner_id": owner_id,
        "owner": str(owner.get("name") or owner_id) if owner_id else None,
        "team": sorted(facts.team),
        "watch": [
            {"kind": c.kind, "text": c.text, "contact_id": c.contact_id, **c.extra}
            for c in changes(before, now)
        ],
    }
