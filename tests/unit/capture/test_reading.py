"""Reading mail and calendar exports: headers, dates, skips, signatures, meeting versions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from seed.capture import ics, mail
from seed.capture.headers import addresses, header_date, parse_headers
from seed.capture.interaction import Address
from seed.capture.knows import MIN_TOGETHER, knows_links
from seed.capture.people import display_name, name_from
from seed.capture.signatures import read_signature

FIXTURES = Path(__file__).parents[2] / "fixtures" / "capture"


def one(name: str):  # type: ignore[no-untyped-def]
    (it,) = mail.read_eml(FIXTURES / name)
    return it


def test_outlook_headers_folded_lines_and_names_are_read_as_a_person_would() -> None:
    it = one("outlook-inbound.eml")
    assert it.key == "DB9PR04MB8412A1B2C3D4E5F6@DB9PR04MB8412.eurprd04.prod.outlook.com"
    assert it.subject == "RE: Renewal timeline for 2025"  # folded over three lines
    assert it.at == datetime(2025, 3, 4, 9, 14, 58, tzinfo=UTC)
    assert it.sender == Address("Smith, Jo", "jo.smith@acme.com")  # address lower case
    assert [a.email for a in it.others] == [
        "amy@ourco.com", "zoe.mueller@acme.com", "joerg.weiss@acme.com", "info@acme.com"]
    assert it.others[2].name == "Jörg Weiß"
    assert it.skip is None and it.problem is None


def test_gmail_encoded_words_and_zones_become_text_and_utc() -> None:
    it = one("gmail-outbound.eml")
    assert it.sender == Address("Amy Archer", "amy@ourco.com")
    assert it.subject == "Agenda für Donnerstag"
    assert it.others[1] == Address("Renée Dupont", "renee@globex.de")
    assert it.at == datetime(2025, 3, 5, 16, 30, tzinfo=UTC)  # 08:30 -0800


@pytest.mark.parametrize(("name", "why"), [
    ("auto-reply.eml", "auto-reply"),
    ("mailing-list.eml", "mailing list"),
    ("newsletter.eml", "newsletter"),
])
def test_machine_mail_is_skipped_with_its_reason(name: str, why: str) -> None:
    assert one(name).skip == why


def test_a_date_nobody_can_read_falls_back_to_received_or_is_a_problem() -> None:
    assert one("broken-date.eml").problem == (
        "Date", "the date 'sometime last week' cannot be read and no Received header gives "
        "one; export the message again with its headers")
    h = parse_headers([b"Date: 31/02/2025 25:61", b"Received: from a by b; "
                       b"Tue, 4 Mar 2025 10:15:02 +0100"])
    from seed.capture.mail import to_interaction

    assert to_interaction(h | {"from": "a@b.com"}, None, "x", 1).at == datetime(
        2025, 3, 4, 9, 15, 2, tzinfo=UTC)
    assert header_date("Tue, 4 Mar 2025 10:15:02") == datetime(2025, 3, 4, 10, 15, 2, tzinfo=UTC)


def test_an_mbox_streams_from_an_offset_and_says_where_it_ended(tmp_path: Path) -> None:
    box = tmp_path / "a.mbox"
    msg = (FIXTURES / "auto-reply.eml").read_bytes()
    box.write_bytes(b"From x Mon Jan  1 00:00:00 2025\n" + msg + b"\n"
                    b"From y Mon Jan  1 00:00:00 2025\n" + msg.replace(b"auto-1", b"auto-2")
                    + b"\n>From the body, quoted\n")
    end: list[int] = []
    keys = [it.key for it in mail.read_mbox(box, stop=end)]
    assert keys == ["auto-1@acme.com", "auto-2@acme.com"]
    assert end[0] == box.stat().st_size
    second = box.read_bytes().index(b"From y")
    assert mail.starts_a_message(box, second) and not mail.starts_a_message(box, second + 1)
    (it,) = mail.read_mbox(box, start=second, first_line=12)
    assert (it.key, it.line) == ("auto-2@acme.com", 13)


def test_calendar_updates_and_cancellations_of_one_uid_keep_the_latest() -> None:
    events = [*ics.read_ics(FIXTURES / "calendar-first.ics"),
              *ics.read_ics(FIXTURES / "calendar-later.ics")]
    latest = ics.latest(events)
    review = latest["040000008200E00074C5B7101A82E00800000000renewal-review"]
    # Moved from Thursday 10:00 (Outlook's Windows zone name) to Friday 15:00 Berlin.
    assert review.at == datetime(2025, 3, 14, 14, 0, tzinfo=UTC)
    assert [a.email for a in review.others] == ["jo.smith@acme.com", "bob@ourco.com"]
    assert events[0].at == datetime(2025, 3, 13, 9, 0, tzinfo=UTC)
    assert latest["dinner-2025-03@ourco.com"].cancelled
    # The order files come in does not matter.
    assert ics.latest(reversed(events)) == latest


def test_signatures_give_a_title_and_phone_and_nothing_when_unsure() -> None:
    it = one("outlook-inbound.eml")
    sig = read_signature(mail.body_text(it), display_name(it.sender.name))
    assert (sig.title, sig.phone) == ("VP Finance", "+1 (555) 010-0199")
    # The account number below the quoted reply is never looked at; no name, no block.
    assert read_signature(["Thanks", "", "Sent from my iPhone"], "Jo Smith").title is None
    assert read_signature(["Best,", "Jo Smith", "Order 12345678 ships Monday"],
                          "Jo Smith").phone is None
    assert read_signature(["--", "Jo Smith", "Head of Procurement, Acme",
                           "Mobile: +49 170 1234567"], "Jo Smith") .title == "Head of Procurement"


def test_names_without_a_display_name_come_from_the_address() -> None:
    assert name_from(Address("", "jo.smith@acme.com")) == "Jo Smith"
    assert name_from(Address("Smith, Jo", "x@acme.com")) == "Jo Smith"
    assert addresses("undisclosed-recipients:;, <@broken>, Ann <ANN@X.COM>") == [
        Address("Ann", "ann@x.com")]


def test_knows_needs_repeated_days_and_fades_with_time() -> None:
    day = lambda m, d: datetime(2025, m, d, 10, tzinfo=UTC)  # noqa: E731
    busy_day = [(["a", "b"], day(3, 1), "email")] * (MIN_TOGETHER + 2)
    assert knows_links(busy_day) == []  # one busy thread on one day is no relationship
    recent = [(["a", "b"], day(3, d), "meeting") for d in (1, 2, 3)]
    stale = [(["c", "d"], day(1, d), "meeting") for d in (1, 2, 3)] + [([], day(9, 1), "email")]
    links = {(k.source, k.target): k for k in knows_links(recent + stale)}
    assert links[("a", "b")].strength > links[("c", "d")].strength
    assert links[("c", "d")].origin == "captured: 3 meetings together since 2025-01"
