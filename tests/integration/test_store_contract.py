"""What every store must do, run against each backend (see conftest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from graph.errors import NotFound, ValidationError
from graph.model import (
    Company,
    Contact,
    Department,
    Employment,
    Knows,
    OnTeam,
    Opportunity,
    Owns,
    ProfileItem,
    ReportsTo,
    Touchpoint,
    User,
    department_id,
)
from graph.neighbourhood import key
from graph.store import Store
from graph.writer import to_row

IT = department_id("acme", "IT")
FIN = department_id("acme", "Finance")


ANN = Contact(
    id="ann",
    company_id="acme",
    name="Ann Archer",
    email="ann@acme.com",
    title="CIO",
    seniority="C-level",
    department_id=IT,
    sources=["sales"],
)


def small_world(store: Store) -> None:
    """Acme with two departments, three contacts, one rep, a few touchpoints."""
    store.upsert(
        "company",
        [
            Company(id="acme", name="Acme Corp", domain="acme.com", industry="Manufacturing"),
            Company(id="globex", name="Globex", domain="globex.com"),
        ],
    )
    store.upsert(
        "department",
        [
            Department(id=IT, company_id="acme", function="IT"),
            Department(id=FIN, company_id="acme", function="Finance"),
        ],
    )
    store.upsert(
        "contact",
        [
            ANN,
            Contact(
                id="bob",
                company_id="acme",
                name="Bob Baker",
                email="bob@acme.com",
                title="AP Clerk",
                department_id=FIN,
                sources=["finance"],
            ),
            Contact(id="cy", company_id="acme", name="Cy Cole", title="Engineer", department_id=IT),
        ],
    )
    store.upsert("user", [User(id="rep", name="Rita Rep", email="rita@us.example")])
    store.link("ON_TEAM", [OnTeam(source="rep", target="acme")])
    store.link("OWNS", [Owns(source="rep", target="acme", since=datetime(2025, 1, 1, tzinfo=UTC))])
    store.link("REPORTS_TO", [ReportsTo(source="cy", target="ann")])
    store.link("KNOWS", [Knows(source="rep", target="ann", strength=0.8, origin="met at summit")])
    store.upsert(
        "touchpoint",
        [
            Touchpoint(
                id="t1",
                company_id="acme",
                type="meeting",
                at=datetime(2026, 3, 1, 15, 30),
                outcome="positive",
                contact_ids=["ann", "cy"],
                user_ids=["rep"],
            ),
            Touchpoint(
                id="t2",
                company_id="acme",
                type="invoice",
                at=datetime(2026, 4, 1),
                contact_ids=["bob"],
            ),
        ],
    )
    store.upsert(
        "profile_item",
        [
            ProfileItem(id="p1", contact_id="ann", key="school", value="MIT", visibility="public"),
            ProfileItem(id="p2", contact_id="ann", key="family", value="two kids"),
        ],
    )
    store.upsert(
        "opportunity",
        [
            Opportunity(
                id="o1",
                company_id="acme",
                amount=50_000,
                stage="closed_won",
                close_date=date(2026, 5, 1),
                contact_ids=["ann"],
            ),
        ],
    )


def test_writing_the_same_batch_twice_changes_nothing(store: Store) -> None:
    small_world(store)
    before = store.counts()
    small_world(store)
    assert store.counts() == before
    # The same person again, as a plain mapping this time (as an import sends it).
    again = store.upsert("contact", [ANN.model_dump(mode="json")])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_bad_item_is_reported_and_the_rest_lands(store: Store) -> None:
    small_world(store)
    report = store.upsert(
        "contact",
        [
            {"id": "dee", "company_id": "acme", "name": "Dee Dunn"},
            {"id": "eve", "company_id": "acme", "name": "Eve", "email": "not-an-email"},
            {"id": "fay", "company_id": "nowhere", "name": "Fay"},
        ],
    )
    assert report.created == 1
    assert {(r.index, r.item, r.field) for r in report.rejected} == {
        (1, "eve", "email"),
        (2, "fay", "company_id"),
    }
    assert "nowhere" in next(r.reason for r in report.rejected if r.item == "fay")
    assert store.get("contact", "dee") is not None
    assert store.get("contact", "eve") is None and store.get("contact", "fay") is None


def test_a_touchpoint_without_a_time_is_refused_naming_the_field(store: Store) -> None:
    small_world(store)
    report = store.upsert("touchpoint", [{"id": "t9", "company_id": "acme", "type": "call"}])
    assert report.created == 0
    assert report.rejected[0].field == "at"


def test_updates_change_fields_and_move_relationships(store: Store) -> None:
    small_world(store)
    report = store.upsert(
        "contact",
        [
            Contact(
                id="cy",
                company_id="acme",
                name="Cy Cole",
                title="Finance Analyst",
                department_id=FIN,
            )
        ],
    )
    assert report.updated == 1
    assert store.get("contact", "cy").title == "Finance Analyst"  # type: ignore[union-attr]
    G = store.account_graph("acme")
    assert list(G.successors(key("contact", "cy"))).count(key("department", FIN)) == 1
    assert not G.has_edge(key("contact", "cy"), key("department", IT))


def test_account_graph_holds_the_whole_neighbourhood(store: Store) -> None:
    small_world(store)
    G = store.account_graph("acme")
    kinds = sorted(k for _, k in G.nodes(data="kind"))
    assert kinds.count("contact") == 3 and kinds.count("touchpoint") == 2
    assert kinds.count("department") == 2 and kinds.count("user") == 1
    assert kinds.count("profile_item") == 2 and kinds.count("opportunity") == 1
    assert G.nodes[key("touchpoint", "t1")]["type"] == "meeting"
    assert G.nodes[key("touchpoint", "t1")]["at"] == datetime(2026, 3, 1, 15, 30, tzinfo=UTC)
    assert G.has_edge(key("contact", "cy"), key("contact", "ann"), "REPORTS_TO")
    assert G.edges[key("user", "rep"), key("contact", "ann"), "KNOWS"]["strength"] == 0.8
    assert G.has_edge(key("user", "rep"), key("touchpoint", "t1"), "PARTICIPATED_IN")
    assert G.has_edge(key("user", "rep"), key("company", "acme"), "OWNS")
    assert G.has_edge(key("contact", "ann"), key("opportunity", "o1"), "INVOLVED_IN")
    assert key("company", "globex") not in G


def test_account_graph_of_an_unknown_company_says_so(store: Store) -> None:
    with pytest.raises(NotFound, match="nope"):
        store.account_graph("nope")


def test_employment_is_history(store: Store) -> None:
    small_world(store)
    # Ann leaves Acme for Globex: her old job keeps its dates, her new one starts.
    store.link(
        "EMPLOYED_AT",
        [
            Employment(
                source="ann",
                target="acme",
                title="CIO",
                start_date=date(2019, 1, 1),
                end_date=date(2026, 6, 1),
            )
        ],
    )
    store.upsert(
        "contact",
        [
            Contact(
                id="ann",
                company_id="globex",
                name="Ann Archer",
                email="ann@globex.com",
                title="CTO",
                seniority="C-level",
            )
        ],
    )
    old = store.account_graph("acme")
    edge = old.edges[key("contact", "ann"), key("company", "acme"), "EMPLOYED_AT"]
    assert edge["end_date"] == date(2026, 6, 1)
    new = store.account_graph("globex")
    assert new.has_edge(key("contact", "ann"), key("company", "globex"), "EMPLOYED_AT")


def test_relationship_properties_update_in_place(store: Store) -> None:
    small_world(store)
    report = store.link("KNOWS", [Knows(source="rep", target="ann", strength=0.3)])
    assert (report.created, report.updated) == (0, 1)
    [rel] = store.relationships("KNOWS", source="rep")
    assert rel.strength == 0.3  # type: ignore[attr-defined]
    bad = store.link("KNOWS", [{"source": "ghost", "target": "ann"}])
    assert bad.rejected[0].field == "source" and "ghost" in bad.rejected[0].reason


def test_links_written_by_others_are_read_in_one_go(store: Store) -> None:
    small_world(store)
    store.link("KNOWS", [
        Knows(source="ann", target="bob", strength=0.4, origin="captured: 3 emails together"),
        Knows(source="cy", target="bob", strength=0.6),  # no origin: someone else's too
    ])
    others = store.relationships_not_from("KNOWS", "captured:")
    assert [(k.source, k.target, k.origin) for k in others] == [  # type: ignore[attr-defined]
        ("cy", "bob", None), ("rep", "ann", "met at summit")]
    with pytest.raises(ValidationError, match="origin"):
        store.relationships_not_from("REPORTS_TO", "x")


def test_ownership_history_is_kept(store: Store) -> None:
    small_world(store)
    store.upsert("user", [User(id="rep2", name="Ron")])
    handover = datetime(2026, 7, 1, tzinfo=UTC)
    store.link(
        "OWNS",
        [
            Owns(
                source="rep", target="acme", since=datetime(2025, 1, 1, tzinfo=UTC), until=handover
            ),
            Owns(source="rep2", target="acme", since=handover),
        ],
    )
    owners = {(r.source, r.until) for r in store.relationships("OWNS", target="acme")}  # type: ignore[attr-defined]
    assert owners == {("rep", handover), ("rep2", None)}


def test_search_is_case_insensitive_over_names_and_domains(store: Store) -> None:
    small_world(store)
    assert [n.id for n in store.search("ACME", kinds=["company"])] == ["acme"]
    assert [n.id for n in store.search("acme")] == ["acme", "ann", "bob"]  # their emails
    assert {n.id for n in store.search("archer", kinds=["contact"])} == {"ann"}
    assert store.search("   ") == []


@pytest.mark.parametrize(
    ("needle", "found"),
    [
        ("cme", ["acme", "ann", "bob"]),  # inside a word
        ("ME CO", ["acme"]),  # across two words
        ("@acme.", ["ann", "bob"]),  # punctuation around the letters
        ("n@a", ["ann"]),  # the end of one word and the start of the next
        ("o'b", ["obrien"]),  # an apostrophe inside a word
        ("x-", ["xyz"]),  # letters and a hyphen
        ("the ", ["the-co"]),  # a stop word to an English analyser
        ("ünï", ["uni"]),  # beyond ASCII
        ("1b", ["a1b2"]),  # digits and letters
        ("@", ["ann", "bob"]),  # no letter or digit at all
        ("zzz", []),
    ],
)
def test_search_finds_every_value_containing_the_text(
    store: Store, needle: str, found: list[str]
) -> None:
    small_world(store)
    store.upsert(
        "company",
        [
            Company(id="obrien", name="O'Brien & Sons"),
            Company(id="xyz", name="X-Y Zeta"),
            Company(id="the-co", name="The Company"),
            Company(id="uni", name="Ünïcode GmbH"),
            Company(id="a1b2", name="A1B2 Labs"),
        ],
    )
    assert [n.id for n in store.search(needle)] == found


def test_list_pages_through_everything_once(store: Store) -> None:
    small_world(store)
    seen, cursor = [], None
    while True:
        page = store.list("contact", after=cursor, limit=2)
        assert page.total == 3
        seen += [c.id for c in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == ["ann", "bob", "cy"]
    assert [c.id for c in store.list("contact", {"department_id": IT}).items] == ["ann", "cy"]
    with pytest.raises(ValidationError, match="colour"):
        store.list("contact", {"colour": "red"})
    with pytest.raises(ValidationError, match="page size"):
        store.list("contact", limit=10_000)


def test_erasure_removes_personal_data_and_keeps_business_records(store: Store) -> None:
    small_world(store)
    report = store.erase_personal_data("ann")
    assert report.profile_items_removed == 2
    ann = store.get("contact", "ann")
    assert ann is not None and ann.email is None and "Archer" not in ann.name  # type: ignore[attr-defined]
    G = store.account_graph("acme")
    assert G.has_edge(key("contact", "ann"), key("touchpoint", "t1"), "PARTICIPATED_IN")
    assert not [n for n, k in G.nodes(data="kind") if k == "profile_item"]
    with pytest.raises(NotFound):
        store.erase_personal_data("nobody")


def test_unlink_and_delete(store: Store) -> None:
    small_world(store)
    assert store.unlink("REPORTS_TO", [("cy", "ann")]) == 1
    assert store.relationships("REPORTS_TO", source="cy") == []
    assert store.delete("contact", "cy") is True
    assert store.get("contact", "cy") is None
    assert store.delete("contact", "cy") is False


def test_iter_ids_and_counts(store: Store) -> None:
    small_world(store)
    assert [i for batch in store.iter_ids("contact", batch=2) for i in batch] == [
        "ann",
        "bob",
        "cy",
    ]
    counts = store.counts()
    assert counts["contact"] == 3 and counts["PARTICIPATED_IN"] == 4 and counts["KNOWS"] == 1


def test_large_batches_take_the_bulk_path_and_stay_idempotent(store: Store) -> None:
    small_world(store)
    many = [{"id": f"x{i:05d}", "company_id": "acme", "name": f"Person {i}"} for i in range(5_000)]
    first = store.upsert("contact", many)
    assert first.created == 5_000
    second = store.upsert("contact", many)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 5_000)
    assert store.counts()["EMPLOYED_AT"] == 5_003


def test_optional_fields_may_be_empty_in_some_items_and_set_in_others(store: Store) -> None:
    small_world(store)
    report = store.upsert(
        "profile_item",
        [
            ProfileItem(id="p3", contact_id="bob", key="sport", value="golf"),
            ProfileItem(
                id="p4",
                contact_id="bob",
                key="charity",
                value="Red Cross",
                entered_by="rep",
                entered_at=datetime(2026, 2, 1, tzinfo=UTC),
            ),
        ],
    )
    assert report.created == 2 and not report.rejected
    assert store.get("profile_item", "p4").entered_by == "rep"  # type: ignore[union-attr]
    assert store.get("profile_item", "p3").entered_at is None  # type: ignore[union-attr]
    store.link(
        "EMPLOYED_AT",
        [
            Employment(source="bob", target="acme"),
            Employment(source="cy", target="acme", start_date=date(2020, 1, 1), title="Engineer"),
        ],
    )
    G = store.account_graph("acme")
    assert (
        G.edges[key("contact", "cy"), key("company", "acme"), "EMPLOYED_AT"]["title"] == "Engineer"
    )


def test_a_reps_acquaintances_elsewhere_stay_out_of_the_account(store: Store) -> None:
    small_world(store)
    store.upsert(
        "contact",
        [
            Contact(id="gil", company_id="globex", name="Gil Green"),
            Contact(id="hal", company_id="globex", name="Hal Hill"),
        ],
    )
    # Rita knows Gil and Hal at Globex; only Gil knows anyone at Acme.
    store.link(
        "KNOWS",
        [
            Knows(source="rep", target="gil", strength=0.9),
            Knows(source="rep", target="hal", strength=0.9),
            Knows(source="gil", target="bob", strength=0.6),
        ],
    )
    G = store.account_graph("acme")
    assert G.nodes[key("contact", "gil")]["outside"] is True
    assert G.has_edge(key("user", "rep"), key("contact", "gil"), "KNOWS")
    assert key("contact", "hal") not in G


def test_changing_one_ownership_period_keeps_the_others(store: Store) -> None:
    small_world(store)
    y = [datetime(year, 1, 1, tzinfo=UTC) for year in (2023, 2024, 2025, 2026)]
    store.link(
        "OWNS",
        [
            Owns(source="rep", target="acme", since=y[0], until=y[1]),
            Owns(source="rep", target="acme", since=y[2]),
        ],
    )
    report = store.link("OWNS", [Owns(source="rep", target="acme", since=y[2], until=y[3])])
    assert (report.created, report.updated) == (0, 1)
    periods = sorted((r.since, r.until) for r in store.relationships("OWNS", source="rep"))  # type: ignore[attr-defined]
    # The small world's own period (since 2025-01-01) is the one just closed.
    assert periods == [(y[0], y[1]), (y[2], y[3])]


def test_get_table_reads_what_get_many_reads(store: Store) -> None:
    small_world(store)
    wanted = ["cy", "ann", "nobody"]
    table = store.get_table("contact", wanted)
    nodes = store.get_many("contact", wanted)
    # The same contacts with the same values, as rows of plain column values.
    assert sorted(table.to_pylist(), key=lambda r: r["id"]) == [
        {k: (list(v) if isinstance(v, list) else v) for k, v in to_row(nodes[i]).items()}
        for i in sorted(nodes)
    ]
    assert sorted(table.column("id").to_pylist()) == ["ann", "cy"]
    every = store.get_table("touchpoint")
    assert every.num_rows == store.counts()["touchpoint"]
    assert store.get_table("contact", []).num_rows == 0


def test_an_accounts_dates_and_times_read_back_as_written_before_1970_too(store: Store) -> None:
    # Neo4j hands an account's dates over as days since 1970 and its times as
    # microseconds: days and seconds before 1970 count down, and none stays none.
    small_world(store)
    started, left = date(1969, 12, 31), date(1950, 6, 1)
    since = datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
    store.link(
        "EMPLOYED_AT",
        [Employment(source="ann", target="acme", title="CIO", start_date=started,
                    end_date=left)],
    )
    store.link("OWNS", [Owns(source="rep", target="acme", since=since)])
    store.upsert("opportunity", [
        Opportunity(id="deal", company_id="acme", close_date=left),
        Opportunity(id="open", company_id="acme"),
    ])
    data = store.account_data("acme")
    ann = next(r for r in data.employees if r["id"] == "ann")
    assert (ann["emp_start"], ann["emp_end"]) == (started, left)
    owner = next(r for r in data.owners if r["id"] == "rep" and r["owns_since"] == since)
    assert owner["owns_until"] is None
    closing = {r["id"]: r["close_date"] for r in data.opportunities}
    assert closing == {"o1": date(2026, 5, 1), "deal": left, "open": None}
