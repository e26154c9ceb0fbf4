"""Identity rules, on plain data: who is the same company or person."""

from __future__ import annotations

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
