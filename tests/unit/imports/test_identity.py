"""Identity rules, on plain data: who is the same company or person."""

from __future__ import annotations

import pytest

from graph import model as m
from seed.imports.identity import Identities


def _with_acme() -> Identities:
    ids = Identities()
    ids.learn([
        m.Company(id="acme", name="Acme Inc", domain="acme.com"),
        m.Company(id="globex", name="Globex", domain="globex.com"),
        m.Company(id="nodomain", name="Initech"),
        m.Contact(id="jo", company_id="acme", name="Jo Smith", email="jo@acme.com"),
        m.Contact(id="ann", company_id="nodomain", name="Ann Lee"),
    ])
    return ids


def test_company_matches_on_domain_first() -> None:
    match = _with_acme().match_company("hubspot", "9001", "https://www.ACME.com", "ACME Corp")
    assert (match.id, match.rule, match.key) == ("acme", "domain", "acme.com")


def test_company_matches_on_name_without_legal_suffix() -> None:
    match = _with_acme().match_company("hubspot", "9001", None, "ACME, Inc.")
    assert (match.id, match.rule) == ("acme", "name")


def test_company_with_the_same_name_but_another_domain_is_another_company() -> None:
    match = _with_acme().match_company("hubspot", "9001", "acme.co.uk", "Acme Inc")
    assert match.rule is None and match.id == "hubspot-9001"


def test_contact_matches_on_normalised_email() -> None:
    match = _with_acme().match_contact("hubspot", "1", " JO@Acme.COM ", "Joanna S.", "acme")
    assert (match.id, match.rule) == ("jo", "email")


def test_contact_matches_on_name_and_company_domain() -> None:
    ids = _with_acme()
    # A second Acme record (another CRM) shares the domain, so it is the same company.
    match = ids.match_contact("purchased", None, None, "  jo  SMITH ", "acme")
    assert (match.id, match.rule, match.key) == ("jo", "name+company", "jo smith @ acme.com")
    # A company without a domain is matched by itself.
    match = ids.match_contact("purchased", None, None, "Ann Lee", "nodomain")
    assert (match.id, match.rule) == ("ann", "name+company")


def test_two_people_with_one_name_at_two_companies_are_never_merged() -> None:
    match = _with_acme().match_contact("hubspot", "77", None, "Jo Smith", "globex")
    assert match.rule is None and match.id == "hubspot-77"


def test_same_name_same_company_but_different_emails_are_two_people() -> None:
    match = _with_acme().match_contact("hubspot", "78", "jo.smith2@acme.com", "Jo Smith", "acme")
    assert match.rule is None and match.id == "hubspot-78"


def test_new_ids_are_stable_and_do_not_depend_on_the_run() -> None:
    first = Identities().match_contact("purchased", None, "new@acme.com", "New Person", "acme")
    again = Identities().match_contact("purchased", None, "new@acme.com", "New Person", "acme")
    assert first.id == again.id and first.id.startswith("contact-")
    odd = Identities().match_contact("sf", "003 A/1", None, "X", "acme")
    assert odd.id.startswith("sf-003_A/1")


def test_a_source_id_seen_before_is_the_same_record_not_a_merge() -> None:
    ids = _with_acme()
    ids.accept_contact("hubspot", "501", m.Contact(id="jo", company_id="acme", name="Jo Smith"))
    match = ids.match_contact("hubspot", "501", "other@acme.com", "Jo Smith", "acme")
    assert (match.id, match.rule, match.existed) == ("jo", None, True)


def test_names_folded_a_column_at_a_time_match_one_at_a_time() -> None:
    # The contact importer folds a chunk's names with Arrow; a name folded
    # differently would stop "Jo Smith" in one silo matching "jo smith" in another.
    import pyarrow as pa

    from seed.imports.normalise import normalise_name, normalise_names

    names = [
        "  Jo  Smith ", "jo smith", "Jö Smith", "O'Brien-Smith, Jr.", "___", "!!", "", None,
        "A\x1fB", "Ünïcode Nàme", "x_y 9", "\tTab\nName\x0b", "İlker Ñuñez",
        "\uff2a\uff2f \uff33\uff2d\uff29\uff34\uff28",  # full-width JO SMITH
    ]
    assert normalise_names(pa.array(names, pa.string())) == [normalise_name(n) for n in names]


def test_references_resolved_a_column_at_a_time_agree_with_one_at_a_time() -> None:
    # The touchpoint importer resolves a chunk's contact ids with Arrow; it must
    # find what ref() finds (the crosswalk first, then our own known ids), and
    # see a contact accepted after it last looked.
    import pyarrow as pa

    ids = _with_acme()
    ids.accept_contact("sf", "003A", m.Contact(id="jo", company_id="acme", name="Jo Smith"))
    ids.accept_contact("sf", "ann", m.Contact(id="jo", company_id="acme", name="Jo Smith"))
    foreign = ["003A", "ann", "jo", "nobody", "003a", "", None, "O'Brien, Pat"]

    def both() -> tuple[list[str | None], list[str | None]]:
        column = ids.refs("sf", "contact", pa.array(foreign, pa.string())).to_pylist()
        return column, [ids.ref("sf", "contact", f) if f is not None else None for f in foreign]

    column, one_by_one = both()
    assert column == one_by_one == ["jo", "jo", "jo", None, None, None, None, None]
    ids.accept_contact("sf", "O'Brien, Pat", m.Contact(id="sf-pat", company_id="acme", name="Pat"))
    ids.learn([m.Contact(id="nobody", company_id="acme", name="No Body")])
    column, one_by_one = both()
    assert column == one_by_one == ["jo", "jo", "jo", "nobody", None, None, None, "sf-pat"]


def test_emails_normalised_a_column_at_a_time_match_one_at_a_time() -> None:
    # The contact importer keys a chunk's emails with Arrow; a key made differently
    # would stop JO@acme.com in one silo matching jo@acme.com in another.
    import pyarrow as pa

    from seed.imports.normalise import normalise_email, normalise_emails

    emails = [
        "jo@acme.com", "JO@Acme.COM", " jo@acme.com\t", "jo@acme.com\x1f", "\x0bjo@acme.com",
        "Jö@Acme.com", "İlker@acme.com", "jo@acme.com\u3000", "", None, "a b@c.d",
    ]
    assert normalise_emails(pa.array(emails, pa.string())) == [normalise_email(e) for e in emails]


def test_a_chunk_matched_at_once_ends_as_matching_row_by_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # match_contacts remembers rows nothing else touches all together at the end;
    # with rows that share ids, emails and names, and crosswalk entries from before
    # (one pointing at an id a row of the chunk makes), it must end as one at a time.
    import random

    from seed.imports.batches import merge_update
    from seed.imports.identity import ContactRows
    from seed.imports.normalise import normalise_email, normalise_name, safe_id

    def identities() -> Identities:
        ids = Identities()
        ids.learn([m.Company(id=f"co{c}", name=f"Co {c}", domain=f"co{c}.com" if c else None)
                   for c in range(3)])
        ids.learn([m.Contact(id=f"crm-k{k}", company_id=f"co{k % 3}", name=f"P {k}",
                             email=f"p{k}@x.com" if k % 2 else None) for k in range(4)])
        ids.crosswalk.put("crm", "contact", "k1", "crm-k1")  # a pair from an older file
        ids.crosswalk.put("crm", "contact", "gone", "crm-k2")  # merged in an earlier run
        ids.crosswalk.put("crm", "contact", "old", "crm-r3")  # a record never written
        ids._register_contact("crm-k9", "a@b.c\x1f", "K 9", "co0")  # an email not its key
        return ids

    def state(ids: Identities) -> tuple[object, ...]:
        return (ids.known, ids.contact_company, ids.contact_by_email, ids.contact_by_name,
                ids.crosswalk._maps, ids.crosswalk._pending)

    for seed in range(300):
        rng = random.Random(seed)
        n = 30
        foreign = [rng.choice([None, "", "#q|co0", " r1", "r1", "r2", "r3", "r3", "k1", "k2",
                               "gone", "old", "old", *[f"u{i}"] * 6]) for i in range(n)]
        email = [rng.choice([None, None, "p1@x.com", "p3@x.com", "a@b.c\x1f", "a@b.c",
                             *[f"u{i}@x.com"] * 4]) for i in range(n)]
        name = [rng.choice(["P 1", "P 2", "p  2", "Q", *[f"U {i}"] * 4]) for i in range(n)]
        company = [rng.choice(["co0", "co1", "co2"]) for _ in range(n)]
        rows = ContactRows(foreign, [safe_id("crm", f) if f else None for f in foreign], email,
                           [normalise_email(e) for e in email], name,
                           [normalise_name(x) for x in name], company)
        table = [{"email": e, "name": x, "company_id": c, "title": f"T{i}" if i % 3 else None}
                 for i, (e, x, c) in enumerate(zip(email, name, company, strict=True))]
        outcomes = []
        for one_at_a_time in (False, True):
            ids = identities()
            if one_at_a_time:
                monkeypatch.setattr(ids, "_alone", lambda source, rows, keys: [False] * len(keys))
            merged: dict[str, dict[str, object]] = {}
            calls: list[tuple[str, int, int]] = []

            def merge(id: str, first: int, i: int) -> tuple[str | None, str, str]:
                calls.append((id, first, i))  # noqa: B023
                current = merged.get(id) or dict(table[first])  # noqa: B023
                current = {**current, **merge_update(current, table[i])}  # noqa: B023
                merged[id] = current  # noqa: B023
                return current["email"], current["name"], current["company_id"]  # type: ignore[return-value]

            found = ids.match_contacts("crm", rows, merge)
            outcomes.append((list(found.first.items()), found.merges, found.existed, calls,
                             merged, state(ids)))
        assert outcomes[0] == outcomes[1], seed
