"""``accountgraph capture`` on both stores: touchpoints, people, skips, privacy, re-runs, "knows".

A small world (our users Amy and Bob at ourco.com; Acme at acme.com with Jo, who
has an email, and Zoë, known by name only; Globex at globex.de) and the
hand-written exports in ``tests/fixtures/capture`` (Outlook and Gmail headers,
an auto-reply, a list post, a newsletter, a broken date, a meeting moved by a
later export and a dinner cancelled by one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api.erasure import erase_contact
from graph import model as m
from graph.readings import account_readings
from graph.store import Store
from seed.capture.run import Capturer, CaptureSummary
from seed.imports.rejects import RejectsWriter

FIXTURES = Path(__file__).parents[1] / "fixtures" / "capture"
MAILS = sorted(FIXTURES.glob("*.eml"))
FIRST, LATER = FIXTURES / "calendar-first.ics", FIXTURES / "calendar-later.ics"


def small_world(store: Store) -> None:
    store.upsert("user", [m.User(id="u-amy", name="Amy Archer", email="amy@ourco.com"),
                          m.User(id="u-bob", name="Bob Baker", email="bob@ourco.com")])
    store.upsert("company", [m.Company(id="acme", name="Acme", domain="acme.com"),
                             m.Company(id="globex", name="Globex", domain="globex.de")])
    store.upsert("contact", [
        m.Contact(id="c-jo", company_id="acme", name="Jo Smith", email="jo.smith@acme.com",
                  sources=[m.Silo.SALES]),
        m.Contact(id="c-zoe", company_id="acme", name="Zoë Müller", sources=[m.Silo.MARKETING]),
    ])


def capture(store: Store, tmp_path: Path, *files: Path, **options: Any) -> CaptureSummary:
    return Capturer(store, ledger=tmp_path / "ledger.sqlite3",
                    rejects=RejectsWriter(tmp_path / "rejects.csv"), **options).run(list(files))


def captured(store: Store) -> dict[str, m.Touchpoint]:
    ids = [i for batch in store.iter_ids("touchpoint") for i in batch]
    return {i: t for i, t in store.get_many("touchpoint", ids).items()
            if isinstance(t, m.Touchpoint)}


def by_email(store: Store) -> dict[str, m.Contact]:
    return {c.email or c.id: c for c in store.list("contact", limit=100).items
            if isinstance(c, m.Contact)}


def contents(store: Store) -> tuple[Any, ...]:
    return (sorted(t.model_dump_json() for t in captured(store).values()),
            sorted(c.model_dump_json() for c in by_email(store).values()),
            sorted(k.model_dump_json() for c in by_email(store).values()
                   for k in store.relationships("KNOWS", source=c.id)))


def mbox(path: Path, *messages: str) -> Path:
    with path.open("a", encoding="utf-8") as fh:
        for text in messages:
            fh.write("From someone Mon Jan  1 00:00:00 2025\n" + text.strip() + "\n\n")
    return path


def message(key: str, date: str, frm: str, to: str, cc: str = "", subject: str = "Hi") -> str:
    return (f"Message-ID: <{key}>\nDate: {date}\nFrom: {frm}\nTo: {to}\n"
            + (f"Cc: {cc}\n" if cc else "") + f"Subject: {subject}\n\nHello\n")


def test_exports_become_touchpoints_with_direction_people_and_skips(
    store: Store, tmp_path: Path
) -> None:
    small_world(store)
    s = capture(store, tmp_path, *MAILS, FIRST, LATER)
    tps = sorted(captured(store).values(), key=lambda t: t.at)
    people = by_email(store)
    jorg, renee = people["joerg.weiss@acme.com"], people["renee@globex.de"]
    assert [(str(t.type), str(t.direction), t.company_id, t.contact_ids, t.user_ids)
            for t in tps] == [
        # Jo wrote to Amy, copying Zoë, Jörg and info@ (a shared mailbox: nobody).
        ("email", "inbound", "acme", ["c-jo", "c-zoe", jorg.id], ["u-amy"]),
        # Amy wrote to Jo and Renée, copying Bob and a private gmail address (nobody).
        ("email", "outbound", "acme", ["c-jo", renee.id], ["u-amy", "u-bob"]),
        # The review as moved by the later export; the dinner was cancelled, the hold internal.
        ("meeting", "outbound", "acme", ["c-jo"], ["u-amy", "u-bob"]),
    ]
    assert all(t.origin == "capture" and t.subject is None for t in tps)
    # New people at known companies' domains, marked as found by capture; Zoë, known by
    # name at Acme, is the same person (identity resolution) and gets her address.
    assert (jorg.name, jorg.company_id, jorg.sources) == ("Jörg Weiß", "acme", [m.Silo.CAPTURE])
    assert renee.company_id == "globex"
    assert people["zoe.mueller@acme.com"].id == "c-zoe"
    assert "pat.private@gmail.com" not in people and "info@acme.com" not in people
    assert len(people) == 4
    # Jo's signature gave her title and phone; her sources say where they came from.
    jo = people["jo.smith@acme.com"]
    assert (jo.title, jo.phone, jo.sources) == ("VP Finance", "+1 (555) 010-0199",
                                                [m.Silo.SALES, m.Silo.CAPTURE])
    assert s.skipped == {"auto-reply": 1, "mailing list": 1, "newsletter": 1,
                         "cancelled meeting": 1, "calendar hold, no external attendee": 1}
    assert s.ignored == {"free mail, not a contact": 1, "shared mailbox (info@, sales@...)": 1}
    assert (s.written, s.new_contacts, s.merged["name+company"], s.rejected) == (3, 2, 1, 1)
    rejects = (tmp_path / "rejects.csv").read_text(encoding="utf-8").splitlines()
    assert rejects[1].startswith(f"{FIXTURES / 'broken-date.eml'},1,Date,the date "
                                 "'sometime last week' cannot be read")


def test_a_rerun_changes_nothing_and_a_later_export_moves_and_cancels(
    store: Store, tmp_path: Path
) -> None:
    small_world(store)
    first = capture(store, tmp_path, *MAILS, FIRST)
    assert first.written == 4  # two emails, the review as first planned, the dinner
    before = contents(store)
    again = capture(store, tmp_path, *MAILS, FIRST)
    assert (again.written, again.new_contacts, again.filled, again.deleted) == (0, 0, 0, 0)
    assert again.files_unchanged == len(MAILS)  # not even read
    assert contents(store) == before
    later = capture(store, tmp_path, LATER)
    assert (later.written, later.deleted) == (1, 1)
    meetings = [t for t in captured(store).values() if str(t.type) == "meeting"]
    assert [(t.at.isoformat(), t.user_ids) for t in meetings] == [
        ("2025-03-14T14:00:00+00:00", ["u-amy", "u-bob"])]
    # An older export captured after the newer one does not move the meeting back.
    older = capture(store, tmp_path, FIRST)
    assert older.written == 0 and len(captured(store)) == 3


def test_a_message_in_two_mailboxes_is_one_touchpoint_and_new_mail_adds_only_itself(
    store: Store, tmp_path: Path
) -> None:
    small_world(store)
    sent = message("m1@ourco.com", "Mon, 3 Mar 2025 09:00:00 +0000", "amy@ourco.com",
                   "Jo Smith <jo.smith@acme.com>", "bob@ourco.com")
    amy = mbox(tmp_path / "amy.mbox", sent)
    bob = mbox(tmp_path / "bob.mbox", sent, message(
        "m2@acme.com", "Tue, 4 Mar 2025 09:00:00 +0000", "jo.smith@acme.com", "bob@ourco.com"))
    s = capture(store, tmp_path, amy, bob)
    assert (s.read, s.written, s.unchanged) == (3, 2, 1)
    mbox(amy, message("m3@ourco.com", "Wed, 5 Mar 2025 09:00:00 +0000", "amy@ourco.com",
                      "jo.smith@acme.com"))
    s = capture(store, tmp_path, amy, bob)
    assert (s.read, s.written, s.files_unchanged) == (1, 1, 1)  # only what was appended
    assert sorted(str(t.direction) for t in captured(store).values()) == [
        "inbound", "outbound", "outbound"]


def test_excluded_people_are_never_written(store: Store, tmp_path: Path) -> None:
    small_world(store)
    s = capture(store, tmp_path, *MAILS, FIRST,
                exclude=["joerg.weiss@acme.com", "globex.de"])
    people = by_email(store)
    assert "joerg.weiss@acme.com" not in people and "renee@globex.de" not in people
    tps = captured(store).values()
    assert all(c in ("c-jo", "c-zoe") for t in tps for c in t.contact_ids)
    # The dinner had nobody else from outside: not a touchpoint at all.
    assert s.skipped["calendar hold, no external attendee"] == 2
    assert s.ignored["excluded (--exclude)"] == 3  # Jörg once, Renée twice


def test_subjects_only_when_asked_and_erased_with_the_contact(
    store: Store, tmp_path: Path
) -> None:
    small_world(store)
    capture(store, tmp_path, *MAILS, FIRST, LATER, keep_subjects=True)
    subjects = {t.id: t.subject for t in captured(store).values()}
    assert sorted(subjects.values()) == ["Agenda für Donnerstag", "RE: Renewal timeline for 2025",
                                         "Renewal review (moved)"]
    done = erase_contact(store, "c-zoe", data_dir=tmp_path)
    assert done.report.subjects_cleared == 1  # the one email Zoë was on
    after = {t.id: t.subject for t in captured(store).values()}
    assert sorted(s for s in after.values() if s) == ["Agenda für Donnerstag",
                                                      "Renewal review (moved)"]
    # Readings never quote a captured subject, and say where a touchpoint came from.
    reading = account_readings(store.account_data("acme"), as_of="2025-04-01")
    reasons = " ".join(r for s in reading.strength.values() for r in s.reasons)
    assert "(captured)" in reasons and "Agenda" not in reasons


def test_people_often_together_know_each_other_and_other_links_stay(
    store: Store, tmp_path: Path
) -> None:
    small_world(store)
    store.upsert("contact", [m.Contact(id="c-max", company_id="acme", name="Max Mora",
                                       email="max@acme.com")])
    store.link("KNOWS", [m.Knows(source="c-jo", target="c-max", strength=0.9,
                                 origin="rep notes: old colleagues")])
    box = mbox(tmp_path / "amy.mbox", *[
        message(f"k{d}@ourco.com", f"{d} Mar 2025 09:00:00 +0000", "amy@ourco.com",
                "jo.smith@acme.com", "Zoë Müller <zoe.mueller@acme.com>, max@acme.com")
        for d in (3, 10, 17)])
    s = capture(store, tmp_path, box)
    links = {(k.source, k.target): k for c in ("c-jo", "c-max", "c-zoe")
             for k in store.relationships("KNOWS", source=c)}
    assert links[("c-jo", "c-zoe")].origin == "captured: 3 emails together since 2025-03"
    assert 0 < links[("c-jo", "c-zoe")].strength < 1
    assert links[("c-max", "c-zoe")].origin == "captured: 3 emails together since 2025-03"
    assert links[("c-jo", "c-max")].origin == "rep notes: old colleagues"  # not captured's
    assert s.knows == 2
    # Warm paths see them as they see imported links.
    reading = account_readings(store.account_data("acme"), as_of="2025-04-01",
                               targets=["contact:c-zoe"])
    evidence = [e for p in reading.paths[0].paths for h in p.hops for e in h.evidence]
    assert any(e.startswith("both took part in email (captured) on 2025-03-") for e in evidence)
    assert any(e.startswith("knows (captured: 3 emails together") for e in evidence), evidence
