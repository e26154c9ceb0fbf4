"""The demo world's emails and meetings written as exported mailboxes and calendars.

Test data for ``accountgraph capture`` that looks like real exports: every email
touchpoint of a generated world becomes a message in the mailbox of each of our
users on it (the same message twice when two of ours took part), every meeting
an event in each of their calendars. Around them, what real exports hold and
capture must not count: replies and forwards threaded by In-Reply-To and
References, auto-replies, mailing-list posts, newsletters, internal mail,
calendar holds with no one from outside, meetings moved (an older export with
the first version) and cancelled; Date headers in many time zones, some broken
(the Received header still says when), some messages with no Message-ID or
saved as single ``.eml`` files, non-ASCII names as RFC 2047 words and as raw
UTF-8, long address lines folded.

:func:`split_world` takes the email and meeting touchpoints out of a world (what
capture must find again); :func:`write_exports` writes them, and
:func:`write_csv` the same interactions as an import file, to compare with.
"""

from __future__ import annotations

import csv
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from graph.model import Contact, Touchpoint, User
from seed.generator.vocab import OUR_DOMAIN

TEAM = ("Sales Team", f"sales@{OUR_DOMAIN}")  # a shared mailbox of ours, not a user
KINDS = ("email", "meeting")
_ZONES = [timezone(timedelta(hours=h, minutes=m)) for h, m in
          ((-8, 0), (-5, 0), (0, 0), (1, 0), (2, 0), (5, 30), (9, 0))]
_ICS_ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC")
_TOPICS = ("Renewal", "Pricing question", "Next steps", "Roadmap review", "Invoice",
           "Security questionnaire", "Kick-off", "Quarterly review", "Contract draft")


@dataclass
class MailWorld:
    """What :func:`write_exports` wrote: the files, and what else they hold."""

    files: list[Path] = field(default_factory=list)
    noise: Counter[str] = field(default_factory=Counter)  # not interactions, by what they are
    copies: int = 0  # messages and events written, every copy counted


def split_world(
    world: Iterable[tuple[str, list[Any]]],
) -> tuple[list[tuple[str, list[Any]]], list[Touchpoint]]:
    """The world's batches without its email and meeting touchpoints, and those touchpoints.

    Their times are cut to the second, as a Date header writes them.
    """
    base: list[tuple[str, list[Any]]] = []
    found: list[Touchpoint] = []
    for kind, batch in world:
        if kind == "touchpoint":
            keep = [t for t in batch if str(t.type) not in KINDS]
            found += [t.model_copy(update={"at": t.at.replace(microsecond=0)})
                      for t in batch if str(t.type) in KINDS]
            batch = keep
        if batch:
            base.append((kind, batch))
    return base, found


def write_csv(path: Path, interactions: Iterable[Touchpoint]) -> Path:
    """The interactions as a touchpoints file for ``accountgraph import`` (our column names)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "type", "at", "direction", "company_id", "contact_ids", "user_ids"])
        for t in interactions:
            w.writerow([t.id, str(t.type), t.at.isoformat(), str(t.direction), t.company_id,
                        ";".join(t.contact_ids), ";".join(t.user_ids)])
    return path


class _Writer:
    """Collects messages per mailbox and events per calendar, then writes the files."""

    def __init__(self, folder: Path, users: dict[str, User], contacts: dict[str, Contact],
                 seed: int):
        self.folder = folder
        self.users = users
        self.contacts = contacts
        self.rng = random.Random(seed)
        self.mailboxes: dict[str, list[tuple[datetime, bytes]]] = defaultdict(list)
        self.single: list[tuple[str, bytes]] = []
        self.events: dict[str, list[Any]] = defaultdict(list)  # calendar file -> events
        self.threads: dict[str, tuple[str, str, list[str]]] = {}  # company -> last message
        self.out = MailWorld()
        self.n = 0

    # -- people ------------------------------------------------------------------------
    def user(self, uid: str) -> tuple[str, str]:
        u = self.users[uid]
        return (u.name, u.email or TEAM[1])

    def contact(self, cid: str) -> tuple[str, str]:
        c = self.contacts[cid]
        return (c.name, c.email or "")

    def address(self, who: tuple[str, str]) -> str:
        name, email = who
        if not name.isascii() and self.rng.random() < 0.3:
            return f'"{name}" <{email}>'  # raw UTF-8, as some clients write it
        return formataddr((name, email), charset="utf-8")

    def address_list(self, people: list[tuple[str, str]]) -> str:
        # Folded after every second address, as clients fold long lines.
        parts = [self.address(p) for p in people]
        return ",\r\n\t".join(", ".join(parts[i:i + 2]) for i in range(0, len(parts), 2))

    # -- messages ----------------------------------------------------------------------
    def message(self, *, frm: tuple[str, str], to: list[tuple[str, str]],
                cc: list[tuple[str, str]], at: datetime, subject: str,
                extra: tuple[str, ...] = (), body: str = "", msg_id: str | None = None,
                reply_to: tuple[str, list[str]] | None = None, broken_date: bool = False,
                ) -> tuple[bytes, str]:
        self.n += 1
        msg_id = msg_id or f"<m{self.n}.{self.rng.getrandbits(40):x}@mail.{OUR_DOMAIN}>"
        local = at.astimezone(self.rng.choice(_ZONES))
        lines = [f"Received: from mx1.example.net by mx.{OUR_DOMAIN}; {format_datetime(local)}"]
        lines.append("Date: " + ("Mon, 32 Foo 2025 25:61:00 +0000" if broken_date
                                 else format_datetime(local)))
        lines += [f"From: {self.address(frm)}", f"To: {self.address_list(to)}"]
        if cc:
            lines.append(f"Cc: {self.address_list(cc)}")
        lines.append(f"Subject: {_encoded(subject)}")
        if msg_id != "-":
            lines.append(f"Message-ID: {msg_id}")
        if reply_to is not None:
            parent, refs = reply_to
            lines += [f"In-Reply-To: {parent}", "References: " + "\r\n ".join(refs)]
        lines += [*extra, "MIME-Version: 1.0", 'Content-Type: text/plain; charset="utf-8"',
                  "Content-Transfer-Encoding: 8bit"]
        text = "\r\n".join(lines) + "\r\n\r\n" + (body or "Thanks,\r\n" + frm[0]) + "\r\n"
        return text.encode("utf-8"), msg_id

    def deliver(self, boxes: list[str], at: datetime, raw: bytes) -> None:
        for box in boxes:
            self.mailboxes[box].append((at, raw))
            self.out.copies += 1

    def email(self, t: Touchpoint) -> None:
        us = [self.user(u) for u in t.user_ids]
        them = [self.contact(c) for c in t.contact_ids]
        if str(t.direction) == "outbound":
            frm, to, cc = (us[0] if us else TEAM), them, us[1:]
        else:
            frm, to, cc = them[0], (us or [TEAM]), them[1:]
        subject, reply = self.rng.choice(_TOPICS), None
        last = self.threads.get(t.company_id)
        r = self.rng.random()
        body = ""
        if last is not None and r < 0.45:
            subject, reply = "Re: " + last[1].removeprefix("Re: "), (last[0], [*last[2], last[0]])
            body = f"Sounds good.\r\n\r\nOn {format_datetime(t.at)}, someone wrote:\r\n> earlier"
        elif last is not None and r < 0.55:
            subject = "Fwd: " + last[1]
            body = "FYI\r\n\r\n---------- Forwarded message ---------\r\nFrom: someone"
        if str(t.direction) == "inbound":
            c = self.contacts[t.contact_ids[0]]
            # Signed with what we know already: a signature adds nothing to compare.
            body = (body or "Thanks,") + f"\r\n\r\n--\r\n{c.name}\r\n{c.title or ''}"
        no_id = self.rng.random() < 0.05
        raw, msg_id = self.message(
            frm=frm, to=to, cc=cc, at=t.at, subject=subject, reply_to=reply, body=body,
            broken_date=self.rng.random() < 0.03, msg_id="-" if no_id else None)
        if not no_id:
            self.threads[t.company_id] = (msg_id, subject, (reply[1] if reply else [])[-5:])
        boxes = list(t.user_ids) or ["team"]
        if self.rng.random() < 0.03:
            self.single.append((f"{t.id}.eml", raw))
            self.out.copies += 1
        else:
            self.deliver(boxes, t.at, raw)
        if str(t.direction) == "outbound" and self.rng.random() < 0.06:
            raw, _ = self.message(
                frm=them[0], to=[frm], cc=[], at=t.at + timedelta(seconds=7),
                subject="Automatic reply: " + subject, body="I am out of the office.",
                extra=("Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All"))
            self.deliver(boxes[:1], t.at, raw)
            self.out.noise["auto-reply"] += 1

    def noise(self, contacts: list[Contact], users: list[User], start: datetime) -> None:
        """Mailing lists, newsletters and internal mail: none of them an interaction."""
        box = users[0].id if users else "team"
        for i in range(25):
            c = self.rng.choice(contacts)
            at = start + timedelta(days=i * 11, hours=3)
            raw, _ = self.message(frm=self.contact(c.id), to=[("Peers", "peers@lists.example.org")],
                                  cc=[self.user(box)] if users else [], at=at,
                                  subject=f"[peers] question {i}",
                                  extra=("List-Id: Peers <peers.lists.example.org>",
                                         "Precedence: list"))
            self.deliver([box], at, raw)
            self.out.noise["mailing list"] += 1
            domain = (c.email or "x@example.com").split("@")[1]
            raw, _ = self.message(frm=("Newsletter", f"updates@{domain}"),
                                  to=[self.user(box)] if users else [TEAM], cc=[],
                                  at=at + timedelta(hours=1), subject=f"News {i}",
                                  extra=(f"List-Unsubscribe: <https://{domain}/unsub>",
                                         "Precedence: bulk"))
            self.deliver([box], at, raw)
            self.out.noise["newsletter"] += 1
        for i in range(min(15, len(users) - 1)):
            a, b = users[i], users[i + 1]
            at = start + timedelta(days=i * 17, hours=5)
            raw, _ = self.message(frm=self.user(a.id), to=[self.user(b.id)], cc=[], at=at,
                                  subject="Internal sync")
            self.deliver([a.id, b.id], at, raw)
            self.out.noise["no external participant we know"] += 1

    # -- meetings ------------------------------------------------------------------------
    def meeting(self, t: Touchpoint) -> None:
        us = [self.user(u) for u in t.user_ids]
        them = [self.contact(c) for c in t.contact_ids]
        if str(t.direction) == "outbound":
            organizer, attendees = (us[0] if us else TEAM), them + us[1:]
        else:
            organizer, attendees = them[0], them[1:] + us
        uid = f"{t.id}@cal.{OUR_DOMAIN}"
        calendars = list(t.user_ids) or ["team"]
        event = self.event(uid, t.at, organizer, attendees, sequence=1)
        for cal in calendars:
            self.events[cal].append(event)
            self.out.copies += 1
        if self.rng.random() < 0.2:  # first planned a day earlier: an older export has that
            self.events[f"{calendars[0]}-older"].append(
                self.event(uid, t.at - timedelta(days=1), organizer, attendees, sequence=0))
            self.out.copies += 1

    def event(self, uid: str, at: datetime, organizer: tuple[str, str],
              attendees: list[tuple[str, str]], *, sequence: int, cancelled: bool = False,
              ) -> Any:
        from zoneinfo import ZoneInfo

        from icalendar import Event, vCalAddress

        ev = Event()
        ev.add("uid", uid)
        ev.add("sequence", sequence)
        ev.add("dtstamp", datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=sequence))
        ev.add("dtstart", at.astimezone(ZoneInfo(self.rng.choice(_ICS_ZONES))))
        ev.add("summary", self.rng.choice(_TOPICS))
        org = vCalAddress(f"mailto:{organizer[1]}")
        org.params["cn"] = organizer[0]
        ev.add("organizer", org)
        for name, email in attendees:
            a = vCalAddress(f"mailto:{email}")
            a.params["cn"] = name
            ev.add("attendee", a)
        if cancelled:
            ev.add("status", "CANCELLED")
        return ev

    def calendar_noise(self, contacts: list[Contact], users: list[User],
                       start: datetime) -> None:
        """Holds with nobody from outside, and meetings planned then cancelled."""
        for i in range(min(12, len(users))):
            u = users[i]
            others = [self.user(x.id) for x in users if x.id != u.id][:1]
            ev = self.event(f"hold-{i}@cal.{OUR_DOMAIN}", start + timedelta(days=i * 9),
                            self.user(u.id), others, sequence=0)
            self.events[u.id].append(ev)
            self.out.noise["calendar hold, no external attendee"] += 1
        for i in range(8):
            owner = users[i % len(users)].id if users else None
            cal = owner or "team"
            c = self.rng.choice(contacts)
            args = (f"cancelled-{i}@cal.{OUR_DOMAIN}", start + timedelta(days=i * 13),
                    self.user(owner) if owner else TEAM, [self.contact(c.id)])
            self.events[f"{cal}-older"].append(self.event(*args, sequence=0))
            self.events[cal].append(self.event(*args, sequence=1, cancelled=True))
            self.out.noise["cancelled meeting"] += 1

    # -- files -----------------------------------------------------------------------------
    def write(self) -> MailWorld:
        from icalendar import Calendar

        mail = self.folder / "mail"
        (mail / "eml").mkdir(parents=True, exist_ok=True)
        for box, messages in sorted(self.mailboxes.items()):
            path = mail / f"{box}.mbox"
            with path.open("wb") as fh:
                for at, raw in sorted(messages, key=lambda x: x[0]):
                    fh.write(f"From MAILER-DAEMON {at:%a %b %d %H:%M:%S %Y}\n".encode())
                    fh.write(raw.replace(b"\r\n", b"\n") + b"\n")
            self.out.files.append(path)
        for name, raw in self.single:
            path = mail / "eml" / name
            path.write_bytes(raw)
            self.out.files.append(path)
        cal = self.folder / "calendar"
        cal.mkdir(parents=True, exist_ok=True)
        for name, events in sorted(self.events.items()):
            c = Calendar()
            c.add("prodid", "-//accountgraph//mailbox world//EN")
            c.add("version", "2.0")
            for ev in events:
                c.add_component(ev)
            path = cal / f"{name}.ics"
            path.write_bytes(c.to_ical())
            self.out.files.append(path)
        return self.out


def _encoded(subject: str) -> str:
    from email.header import Header

    return subject if subject.isascii() else Header(subject, "utf-8").encode()


def write_exports(
    folder: Path, base: list[tuple[str, list[Any]]], interactions: list[Touchpoint], *,
    seed: int = 7,
) -> MailWorld:
    """Write ``interactions`` (from :func:`split_world`) as mailboxes and calendars."""
    users = {u.id: u for kind, batch in base if kind == "user" for u in batch}
    contacts = {c.id: c for kind, batch in base if kind == "contact" for c in batch}
    w = _Writer(folder, users, contacts, seed)
    for t in sorted(interactions, key=lambda t: (t.at, t.id)):
        (w.email if str(t.type) == "email" else w.meeting)(t)
    start = min((t.at for t in interactions), default=datetime(2025, 1, 1, tzinfo=UTC))
    people = sorted(contacts.values(), key=lambda c: c.id)
    staff = sorted((u for u in users.values() if u.email), key=lambda u: u.id)
    w.noise(people, staff, start)
    w.calendar_noise(people, staff, start)
    return w.write()
