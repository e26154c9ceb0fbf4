"""Reading iCalendar (``.ics``) files: one :class:`Interaction` per event, with ``icalendar``.

An event's key is its UID (plus RECURRENCE-ID for one changed occurrence of a
series). Calendars export every version they hold of an event: an update has a
higher SEQUENCE (or the same SEQUENCE and a later DTSTAMP), and a cancellation
has ``STATUS:CANCELLED`` or comes in a ``METHOD:CANCEL`` calendar. The run
keeps the latest version of each key (:func:`latest`), so the same meeting
exported from three calendars, moved twice and then cancelled is no meeting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from graph.errors import ImportFailed
from seed.capture.interaction import Address, Interaction

_BEGIN_EVENT = re.compile(rb"^BEGIN:VEVENT\s*$", re.MULTILINE)


def _utc(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):  # an all-day event
        return datetime.combine(value, time(), UTC)
    return None


def _address(prop: Any) -> Address | None:
    text = str(prop).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if "@" not in text:
        return None
    params = getattr(prop, "params", {}) or {}
    return Address(str(params.get("CN", "")).strip().strip('"'), text.strip().lower())


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def parse(path: Path) -> list[Any]:
    """The calendars of a file (``icalendar.Calendar``), or ImportFailed naming the file."""
    from icalendar import Calendar

    try:
        data = path.read_bytes()
        calendars = Calendar.from_ical(data, multiple=True)
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise ImportFailed(f"{path}: not an iCalendar file that can be read ({exc}); export "
                           "the calendar again as .ics") from None
    if not calendars:
        raise ImportFailed(f"{path}: holds no calendar (BEGIN:VCALENDAR); export it again")
    return list(calendars)


def read_ics(path: Path, calendars: list[Any] | None = None) -> Iterator[Interaction]:
    """Every event of an ``.ics`` file, in file order."""
    calendars = parse(path) if calendars is None else calendars
    lines = [path.read_bytes().count(b"\n", 0, m.start()) + 1
             for m in _BEGIN_EVENT.finditer(path.read_bytes())]
    n = 0
    for cal in calendars:
        method_cancel = str(cal.get("METHOD", "")).upper() == "CANCEL"
        for ev in cal.walk("VEVENT"):
            line = lines[n] if n < len(lines) else 0
            n += 1
            yield _event(ev, str(path), line, method_cancel)


def _event(ev: Any, file: str, line: int, method_cancel: bool) -> Interaction:
    uid = str(ev.get("UID", "")).strip()
    recurrence = ev.get("RECURRENCE-ID")
    occurrence = _utc(recurrence.dt) if recurrence is not None else None
    key = uid + (f"#{occurrence.isoformat()}" if occurrence is not None else "")
    start = ev.get("DTSTART")
    at = _utc(start.dt) if start is not None else None
    organizer = _address(ev["ORGANIZER"]) if "ORGANIZER" in ev else None
    attendees = [a for a in map(_address, _list(ev.get("ATTENDEE"))) if a is not None]
    stamp = ev.get("DTSTAMP")
    try:
        sequence = int(ev.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        sequence = 0
    summary = " ".join(str(ev.get("SUMMARY", "")).split()) or None
    it = Interaction("meeting", key, at, organizer, attendees, summary, file, line,
                     sequence=sequence, stamp=_utc(stamp.dt) if stamp is not None else None)
    it.cancelled = method_cancel or str(ev.get("STATUS", "")).upper() == "CANCELLED"
    if not uid:
        it.problem = ("UID", "the event has no UID; export the calendar again (every "
                             "calendar program writes one)")
    elif at is None:
        it.problem = ("DTSTART", "the event has no start time that can be read")
    elif organizer is None and not attendees:
        it.problem = ("ATTENDEE", "the event names no organizer or attendee by address")
    return it


def version(it: Interaction) -> tuple[int, datetime, bool]:
    """What orders two versions of one event: SEQUENCE, then DTSTAMP; a cancellation wins a tie."""
    return (it.sequence, it.stamp or datetime.min.replace(tzinfo=UTC), it.cancelled)


def latest(events: Iterable[Interaction]) -> dict[str, Interaction]:
    """The latest version of each event key (see :func:`version`)."""
    out: dict[str, Interaction] = {}
    for it in events:
        had = out.get(it.key)
        if had is None or version(it) >= version(had):
            out[it.key] = it
    return out
