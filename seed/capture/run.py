"""The capture run: mailbox and calendar files in, touchpoints and "knows" links out.

Every file is checked before anything is written (a file that cannot be read at
all stops the run, as the importer does). Then:

1. the store's users, companies and contacts are learnt, as the importer's
   identity resolution learns them (:class:`seed.imports.identity.Identities`);
2. mail files are streamed in batches of ``batch_size`` messages; each batch
   writes its new contacts, the contacts it filled in, then its touchpoints
   (``Store.upsert_table``), inside one ``Store.bulk_load`` scope per file;
3. meetings of every calendar file are reduced to each event's latest version
   (:func:`seed.capture.ics.latest`) and written, or deleted when cancelled;
4. "knows" links are worked out again from every captured touchpoint
   (:mod:`seed.capture.knows`) when the run changed any.

A touchpoint's id is a digest of its Message-ID or UID, so the copy of a message
in the recipient's mailbox is the sender's copy, and a re-run writes nothing
new. The ledger (:mod:`seed.capture.ledger`) lets a re-run skip what it read.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from graph import model as m
from graph.errors import ImportFailed
from graph.store import Store, WriteReport
from seed.capture import ics, mail
from seed.capture.files import check_file, expand
from seed.capture.interaction import Interaction
from seed.capture.knows import write_knows
from seed.capture.ledger import FileMark, Ledger, head_digest
from seed.capture.people import SOURCE, People, display_name
from seed.capture.signatures import Signature, read_signature
from seed.imports.identity import Identities
from seed.imports.normalise import short_hash
from seed.imports.rejects import Reject, RejectsWriter

# Why a message or meeting was not made a touchpoint (counted in the summary).
NO_EXTERNAL = "no external participant we know"
HOLD = "calendar hold, no external attendee"
CANCELLED = "cancelled meeting"

# The touchpoint columns a row holds (the rest of a row, "_" names, is for the run).
_COLUMNS = ("id", "company_id", "type", "at", "direction", "subject", "contact_ids",
            "user_ids", "origin")

#: called as (file, progress so far, total): bytes of an mbox, messages or events otherwise
Progress = Callable[[Path, int, int], None]


@dataclass
class CaptureSummary:
    """What a run did."""

    read: int = 0  # messages and meeting versions read
    written: int = 0  # touchpoints created or changed
    unchanged: int = 0  # already captured (another mailbox, an earlier run)
    deleted: int = 0  # meetings cancelled since they were captured
    rejected: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> messages
    ignored: Counter[str] = field(default_factory=Counter)  # reason -> addresses
    merged: Counter[str] = field(default_factory=Counter)  # identity rule -> addresses
    new_contacts: int = 0
    filled: int = 0  # contacts given an email, title or phone they did not have
    knows: int = 0  # "knows" links written (created or changed)
    files_unchanged: int = 0  # read by an earlier run and not changed since
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0


def touchpoint_id(it: Interaction) -> str:
    """A message's or meeting's touchpoint id: the same for every copy of it."""
    return f"{SOURCE}-{it.kind}-{short_hash(it.key)}"


class Capturer:
    """Captures files into a store; one instance per run."""

    def __init__(
        self,
        store: Store,
        *,
        our_domains: Sequence[str] = (),
        exclude: Sequence[str] = (),
        keep_subjects: bool = False,
        knows: bool = True,
        rejects: RejectsWriter | None = None,
        ledger: Path | None = None,
        batch_size: int = 50_000,
        half_life_days: float = 180.0,
        progress: Progress | None = None,
        after_batch: Callable[[int], None] | None = None,
    ):
        self.store = store
        self.our_domains = our_domains
        self.exclude = exclude
        self.keep_subjects = keep_subjects
        self.knows = knows
        self.rejects = rejects or RejectsWriter(None)
        self.ledger_path = ledger
        self.batch_size = batch_size
        self.half_life_days = half_life_days
        self.progress = progress
        self.after_batch = after_batch  # called with the number of batches written so far
        self.batches = 0
        self.summary = CaptureSummary()
        self._changed = False
        self._people: People | None = None
        self._known_ids: set[str] | None = None

    @property
    def people(self) -> People:
        """Who is who, learnt from the store when first needed (a re-run with nothing
        new to read never needs it: 100,000 contacts took 9 s to learn)."""
        if self._people is None:
            ids = Identities()
            ids.preload(self.store)
            self._people = People.of(ids, self.our_domains, self.exclude, self._employments)
            if not self._people.our_domains:
                raise ImportFailed("capture cannot tell inbound from outbound: no user has an "
                                   "email address; add users with theirs (accountgraph users "
                                   "create) or give --our-domain example.com")
        return self._people

    @property
    def _known(self) -> set[str]:
        """Touchpoint ids the store holds from capture, or this run wrote (read when needed)."""
        if self._known_ids is None:
            self._known_ids = {i for batch in self.store.iter_ids("touchpoint") for i in batch
                               if i.startswith(f"{SOURCE}-")}
        return self._known_ids

    # -- the run -------------------------------------------------------------------
    def run(self, paths: Sequence[Path]) -> CaptureSummary:
        """Capture ``paths``; raises ImportFailed before writing if a file is unreadable."""
        started = time.perf_counter()
        files = expand(paths)
        if not files:
            raise ImportFailed("no mailbox or calendar files given (.mbox, .eml, .msg, .ics)")
        calendars = {f: check_file(f) for f in files}  # every file, before any write
        ledger = Ledger(self.ledger_path)
        try:
            if not self.store.list("touchpoint", {"origin": SOURCE}, limit=1).items:
                ledger.reset()  # it describes a store that is no more (or nothing yet)
            marks: list[tuple[Path, FileMark]] = []
            meetings: dict[str, tuple[int, datetime, bool]] = {}
            # One scope for the run: its writes are made durable together at its end
            # (LadybugDB: one checkpoint, 0.5 s each, rather than one per file).
            with self.store.bulk_load():
                self._mail([f for f in files if f.suffix.lower() != ".ics"], ledger, marks)
                events = [f for f in files if f.suffix.lower() == ".ics"]
                if events:
                    meetings = self._meetings(events, calendars, ledger)
                if self.knows and self._changed:
                    report = write_knows(self.store, half_life_days=self.half_life_days)
                    self.summary.knows += report.written
                    self._report(report, [])  # rejections name their pair
            # Only now are the writes durable: a run killed before this reads it all again.
            for path, mark in marks:
                ledger.file_done(path, mark)
            ledger.meetings_done(meetings)
        finally:
            ledger.close()
            self.rejects.close()
        s = self.summary
        if self._people is not None:
            s.ignored, s.merged = self._people.ignored, self._people.merges
        s.seconds = time.perf_counter() - started
        return s

    # -- mail ------------------------------------------------------------------------
    def _mail(self, files: list[Path], ledger: Ledger, marks: list[tuple[Path, FileMark]]) -> None:
        """Every mail file's new messages, in batches that may span files."""
        batch: list[Interaction] = []
        for path in files:
            size = path.stat().st_size
            position = [0, 1]
            for it in self._messages(path, ledger, marks, position):
                batch.append(it)
                if len(batch) >= self.batch_size:
                    self._mail_batch(batch)
                    batch = []
                    self._done_batch(path, position[0], size)
            if self.progress:
                self.progress(path, size, size)
        if batch:
            self._mail_batch(batch)
            self._done_batch(None, 0, 0)

    def _messages(
        self, path: Path, ledger: Ledger, marks: list[tuple[Path, FileMark]], position: list[int],
    ) -> Iterator[Interaction]:
        """A file's messages an earlier run did not read; its mark added to ``marks`` at the end.

        ``position`` follows the byte offset and line reached (in an mbox).
        """
        size, head = path.stat().st_size, head_digest(path)
        mark = ledger.file(path)
        start, line = 0, 1
        suffix = path.suffix.lower()
        if mark is not None and mark.head == head_digest(path, mark.size):
            if mark.size == size:
                self.summary.files_unchanged += 1
                return
            if suffix in (".mbox", ".mbx") and mark.size < size \
                    and mail.starts_a_message(path, mark.offset):
                start, line = mark.offset, mark.line  # appended to since: read what is new
        position[:] = [start, line]
        if suffix == ".eml":
            yield from mail.read_eml(path)
        elif suffix == ".msg":
            from seed.capture.outlook import read_msg

            yield from read_msg(path)
        else:
            yield from mail.read_mbox(path, start=start, first_line=line, stop=position)
        end = position if suffix in (".mbox", ".mbx") else [size, 0]
        marks.append((path, FileMark(size, head, end[0], end[1])))

    def _done_batch(self, path: Path | None, done: int, total: int) -> None:
        """A batch is written: progress (of ``path``, when it is still being read), test hook."""
        self.rejects.flush()
        self.batches += 1
        if self.progress and path is not None:
            self.progress(path, done, total)
        if self.after_batch:
            self.after_batch(self.batches)

    def _mail_batch(self, batch: list[Interaction]) -> None:
        rows: list[dict[str, Any]] = []
        signatures: dict[str, tuple[datetime, Signature]] = {}
        for it in batch:
            self.summary.read += 1
            if not self._usable(it):
                continue
            tid = touchpoint_id(it)
            if tid in self._known:
                self.summary.unchanged += 1
                continue
            row = self._row(it, tid)
            if row is None:
                continue
            self._known.add(tid)
            rows.append(row)
            if it.body and not row["_outbound"] and row["_sender"] is not None:
                name = display_name(it.sender.name) if it.sender else ""
                sig = read_signature(mail.body_text(it), name)
                had = signatures.get(row["_sender"])
                if (sig.title or sig.phone) and (had is None or had[0] <= row["at"]):
                    signatures[row["_sender"]] = (row["at"], sig)
        self._write(rows, {c: s for c, (_, s) in signatures.items()})

    def _usable(self, it: Interaction) -> bool:
        """False (and counted) for a message or meeting that is rejected or skipped."""
        if it.problem is not None:
            field_name, reason = it.problem
            self.rejects.write(Reject(it.file, it.line, field_name, reason, it.key))
            self.summary.rejected += 1
            return False
        if it.skip is not None:
            self.summary.skipped[it.skip] += 1
            return False
        return True

    def _row(self, it: Interaction, tid: str) -> dict[str, Any] | None:
        """The touchpoint of a message or meeting, or None (counted) when it has no contact."""
        found = self.people.resolve(it.people, it.sender, it.at)
        if not found.contact_ids:
            self.summary.skipped[HOLD if it.kind == "meeting" else NO_EXTERNAL] += 1
            return None
        # One account per touchpoint: the one most of its contacts are at (the first on a tie).
        counts = Counter(found.companies)
        company = max(counts, key=lambda c: (counts[c], -found.companies.index(c)))
        sender = None
        if it.sender is not None and not found.sender_ours:
            sender = self.people.ids.contact_by_email.get(it.sender.email)
        assert it.at is not None
        return {
            "id": tid, "company_id": company, "type": it.kind, "at": it.at,
            "direction": "outbound" if found.sender_ours else "inbound",
            "subject": it.subject if self.keep_subjects else None,
            "contact_ids": found.contact_ids, "user_ids": found.user_ids, "origin": SOURCE,
            "_outbound": found.sender_ours, "_sender": sender,
        }

    def _employments(self, contact_id: str) -> list[tuple[str, Any, Any]]:
        return sorted(((r.target, getattr(r, "start_date", None), getattr(r, "end_date", None))
                       for r in self.store.relationships("EMPLOYED_AT", source=contact_id)),
                      key=lambda j: (j[1] is None, j[1] or 0, j[0]))

    # -- writing -----------------------------------------------------------------------
    def _write(self, rows: list[dict[str, Any]], signatures: dict[str, Signature]) -> None:
        people = self._people
        if people is None:
            return  # nothing was resolved, so nothing is new
        new = list(people.new_contacts.values())
        if new:
            self._report(self.store.upsert("contact", new), [c.id for c in new])
            self.summary.new_contacts += len(new)
        fills = self._fills(signatures)
        if fills:
            report = self.store.upsert("contact", fills)
            self._report(report, [c.id for c in fills])
            self.summary.filled += report.written
        people.new_contacts.clear()
        people.emails_found.clear()
        if rows:
            table = pa.table({k: [r[k] for r in rows] for k in _COLUMNS})
            report = self.store.upsert_table("touchpoint", table)
            self._report(report, [r["id"] for r in rows])
            self.summary.written += report.written
            self.summary.unchanged += report.unchanged
            self._changed = self._changed or report.written > 0

    def _fills(self, signatures: dict[str, Signature]) -> list[m.Contact]:
        """Contacts with empty fields filled: an email found by name, a signature's title/phone.

        What a contact already has is never replaced; a signature's fill adds ``capture``
        to the contact's sources, which says where the value came from.
        """
        people = self.people
        wanted = set(people.emails_found) | set(signatures)
        if not wanted:
            return []
        fresh = {c.id: c for c in people.new_contacts.values()}
        stored = self.store.get_many("contact", sorted(wanted - set(fresh)))
        out = []
        for cid in sorted(wanted):
            contact = fresh.get(cid) or stored.get(cid)
            if not isinstance(contact, m.Contact):
                continue
            sig = signatures.get(cid) or Signature()
            found: dict[str, Any] = {"email": people.emails_found.get(cid), "title": sig.title,
                     "phone": sig.phone}
            update = {k: v for k, v in found.items() if v and not getattr(contact, k)}
            if update.keys() & {"title", "phone"} and m.Silo.CAPTURE not in contact.sources:
                update["sources"] = [*contact.sources, m.Silo.CAPTURE]
            if update:
                out.append(contact.model_copy(update=update))
        return out

    def _report(self, report: WriteReport, ids: list[str]) -> None:
        for r in report.rejected:
            item = ids[r.index] if 0 <= r.index < len(ids) else r.item or ""
            self.rejects.write(Reject("(store)", 0, r.field, f"the store refused it: {r.reason}",
                                      item))
            self.summary.rejected += 1

    # -- meetings ----------------------------------------------------------------------
    def _meetings(
        self, files: list[Path], calendars: dict[Path, Any], ledger: Ledger
    ) -> dict[str, tuple[int, datetime, bool]]:
        """Each event's latest version written (or deleted); returns the versions applied."""
        read: list[Interaction] = []
        for f in files:
            events = list(ics.read_ics(f, calendars[f]))
            self.summary.read += len(events)
            read += events
            if self.progress:
                self.progress(f, len(events), len(events))
        applied = ledger.meetings()
        usable = [it for it in read if self._usable(it)]
        fresh: dict[str, tuple[int, datetime, bool]] = {}
        rows: list[dict[str, Any]] = []
        gone: list[str] = []
        for key, it in sorted(ics.latest(usable).items()):
            version = ics.version(it)
            had = applied.get(key)
            if had is not None and (had[0], had[1], had[2]) >= (
                    version[0], version[1].isoformat(), version[2]):
                self.summary.unchanged += 1  # this version, or a later one, is in already
                continue
            fresh[key] = version
            tid = touchpoint_id(it)
            if it.cancelled:
                if tid in self._known:
                    gone.append(tid)
                else:
                    self.summary.skipped[CANCELLED] += 1
                continue
            row = self._row(it, tid)
            if row is not None:
                self._known.add(tid)
                rows.append(row)
        self._write(rows, {})
        for tid in gone:
            if self.store.delete("touchpoint", tid):
                self.summary.deleted += 1
                self._known.discard(tid)
                self._changed = True
        self._done_batch(None, 0, 0)
        return fresh
