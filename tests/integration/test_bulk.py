"""The columnar write path (Store.upsert_table) behaves like Store.upsert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.bulk_check import check, without_defaulted_nulls
from graph.errors import ValidationError
from graph.schema import NODE_KINDS
from graph.store import Store, WriteReport
from graph.writer import _validate

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def world() -> dict[str, list[dict]]:
    """Two accounts, their departments, people and touchpoints."""
    companies = [
        {
            "id": "acme",
            "name": "Acme",
            "domain": "https://www.Acme.com/about",
            "lifecycle": "customer",
        },
        {"id": "globex", "name": "Globex", "target": True},
    ]
    departments = [
        {"id": "acme/finance", "company_id": "acme", "function": "Finance"},
        {"id": "globex/it", "company_id": "globex", "function": "IT"},
    ]
    contacts = [
        {
            "id": "ann",
            "company_id": "acme",
            "name": "Ann Archer",
            "email": " Ann@Acme.COM ",
            "seniority": "VP",
            "department_id": "acme/finance",
            "sources": ["finance", "sales"],
        },
        {"id": "bob", "company_id": "globex", "name": "Bob Byrne", "department_id": "globex/it"},
        {"id": "cy", "company_id": "globex", "name": "Cy Cole", "status": "left"},
    ]
    touchpoints = [
        {
            "id": f"tp{i}",
            "company_id": "acme" if i % 2 else "globex",
            "type": "meeting" if i % 3 else "invoice",
            "at": START + timedelta(days=i),
            "contact_ids": ["ann", "bob"] if i % 2 else ["cy"],
        }
        for i in range(6)
    ]
    return {
        "company": companies,
        "department": departments,
        "contact": contacts,
        "touchpoint": touchpoints,
    }


def as_table(rows: list[dict]) -> pa.Table:
    # from_pylist takes its columns from the first row only: give every row all keys.
    keys = list(dict.fromkeys(k for r in rows for k in r))
    return pa.Table.from_pylist([{k: r.get(k) for k in keys} for r in rows])


def load(store: Store, data: dict[str, list[dict]], path: str) -> dict[str, WriteReport]:
    out = {}
    for kind, rows in data.items():
        out[kind] = (
            store.upsert_table(kind, as_table(rows))
            if path == "table"
            else store.upsert(kind, rows)
        )
    return out


def test_same_contents_as_row_path(store: Store, tmp_path) -> None:
    from graph.stores.ladybug import LadybugStore

    data = world()
    reports = load(store, data, "table")
    assert all(not r.rejected for r in reports.values())
    other = LadybugStore(tmp_path / "rows.lbug")
    load(other, data, "rows")
    assert store.counts() == other.counts()
    for kind, rows in data.items():
        ids = [r["id"] for r in rows]
        assert store.get_many(kind, ids) == other.get_many(kind, ids)
    other.close()
    assert store.get("company", "acme").domain == "acme.com"  # type: ignore[union-attr]
    assert store.get("contact", "ann").email == "ann@acme.com"  # type: ignore[union-attr]


def test_rerun_changes_nothing(store: Store) -> None:
    data = world()
    load(store, data, "table")
    before = store.counts()
    again = load(store, data, "table")
    for kind, r in again.items():
        assert (r.created, r.updated, r.unchanged) == (0, 0, len(data[kind])), kind
    assert store.counts() == before


@pytest.mark.parametrize(("first", "then"), [("rows", "table"), ("table", "rows")])
def test_mixed_paths_rewrite_counts_unchanged(store: Store, first: str, then: str) -> None:
    data = world()
    load(store, data, first)
    again = load(store, data, then)
    for kind, r in again.items():
        assert (r.created, r.updated, r.unchanged) == (0, 0, len(data[kind])), kind


def test_updates_write_the_columns_that_changed_and_keep_the_rest(
    store: Store, tmp_path
) -> None:
    from graph.stores.ladybug import LadybugStore

    data = world()
    ann, bob, cy = data["contact"]
    changes = [
        dict(ann, title="CFO"),  # one column more
        dict(bob, company_id="acme", department_id="acme/finance"),  # moved
        dict(cy, status="active", sources=["support"]),  # one changed, one filled
    ]
    rows = LadybugStore(tmp_path / "rows.lbug")
    for target, path in ((store, "table"), (rows, "rows")):
        load(target, data, path)
        r = (target.upsert_table("contact", as_table(changes)) if path == "table"
             else target.upsert("contact", changes))
        assert (r.created, r.updated, r.unchanged) == (0, 3, 0), path
    ids = ["ann", "bob", "cy"]
    assert store.get_many("contact", ids) == rows.get_many("contact", ids)
    assert store.counts() == rows.counts()
    for kind in ("EMPLOYED_AT", "WORKS_IN"):
        assert sorted((e.source, e.target) for e in store.relationships(kind, source="bob")) == \
            sorted((e.source, e.target) for e in rows.relationships(kind, source="bob")), kind
    rows.close()
    assert store.get("contact", "ann").email == "ann@acme.com"  # type: ignore[union-attr]


def test_inside_a_bulk_load_rows_are_diffed_and_references_checked_as_outside(
    store: Store,
) -> None:
    data = world()
    with store.bulk_load():
        assert load(store, data, "table")["touchpoint"].created == 6
        # What the load COPYed a moment ago is known: nothing is new again.
        for kind, r in load(store, data, "table").items():
            assert (r.created, r.updated, r.unchanged) == (0, 0, len(data[kind])), kind
        moved = store.upsert_table("contact", as_table([dict(data["contact"][1], title="CTO")]))
        assert (moved.created, moved.updated) == (0, 1)
        assert store.delete("contact", "cy")  # a write of another kind inside the load
        again = store.upsert_table("touchpoint", as_table(data["touchpoint"]))
        assert sorted(r.item or "" for r in again.rejected) == ["tp0", "tp2", "tp4"]  # name cy
        assert store.upsert_table("contact", as_table([data["contact"][2]])).created == 1
    assert store.get("contact", "bob").title == "CTO"  # type: ignore[union-attr]
    assert store.counts()["contact"] == 3 and store.counts()["touchpoint"] == 6


def test_a_changed_row_is_updated_and_its_relationships_follow(store: Store) -> None:
    data = world()
    load(store, data, "table")
    moved = dict(data["contact"][1], department_id=None, title="CTO")
    r = store.upsert_table("contact", as_table([moved]))
    assert (r.created, r.updated, r.unchanged) == (0, 1, 0)
    assert store.get("contact", "bob").title == "CTO"  # type: ignore[union-attr]
    assert store.counts()["WORKS_IN"] == 1


def test_changed_touchpoints_are_rewritten_whole_and_their_participants_follow(
    store: Store,
) -> None:
    data = world()
    load(store, data, "table")
    later = START + timedelta(days=30, hours=2)
    changed = [
        dict(data["touchpoint"][0], at=later, contact_ids=["ann"], outcome="positive"),
        dict(data["touchpoint"][1], contact_ids=["bob"]),
    ]
    r = store.upsert_table("touchpoint", as_table(changed))
    assert (r.created, r.updated, r.unchanged) == (0, 2, 0)
    tp0 = store.get("touchpoint", "tp0")
    assert (tp0.at, tp0.contact_ids, tp0.outcome) == (later, ["ann"], "positive")  # type: ignore[union-attr]
    assert store.get("touchpoint", "tp1").contact_ids == ["bob"]  # type: ignore[union-attr]
    # tp0 moved from cy to ann, tp1 lost ann: 9 participations before, 8 now.
    assert store.counts()["PARTICIPATED_IN"] == 8
    again = store.upsert_table("touchpoint", as_table(changed))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_bad_rows_are_reported_and_the_rest_written(store: Store) -> None:
    load(store, {k: v for k, v in world().items() if k in ("company", "department")}, "table")
    rows = [
        {"id": "ok", "company_id": "acme", "name": "Fine", "email": "fine@acme.com"},
        {"id": "has space", "company_id": "acme", "name": "Bad Id"},
        {"id": "mail", "company_id": "acme", "name": "Bad Mail", "email": "not-an-address"},
        {"id": "rank", "company_id": "acme", "name": "Bad Rank", "seniority": "Emperor"},
        {"id": "nameless", "company_id": "acme", "name": None},
        {"id": "dangling", "company_id": "initech", "name": "Nowhere"},
        {"id": "lost", "company_id": "acme", "name": "Lost", "department_id": "acme/nowhere"},
    ]
    r = store.upsert_table("contact", as_table(rows))
    got = {(x.index, x.item, x.field) for x in r.rejected}
    assert got == {
        (1, "has space", "id"),
        (2, "mail", "email"),
        (3, "rank", "seniority"),
        (4, "nameless", "name"),
        (5, "dangling", "company_id"),
        (6, "lost", "department_id"),
    }
    assert r.created == 1
    assert list(store.get_many("contact", [x["id"] for x in rows])) == ["ok"]
    dangling = next(x for x in r.rejected if x.item == "dangling")
    assert "initech" in dangling.reason


def test_times_before_1970_to_the_microsecond_or_none_read_back_as_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Neo4j sends a chunk's times as whole seconds and nanoseconds past them. Two
    # rows a chunk, so that several chunks (each prepared while the last writes)
    # carry them, and a bad row's index counts from the table's start.
    monkeypatch.setattr(store, "table_chunk", 2, raising=False)
    load(store, {"company": world()["company"]}, "table")
    times = [
        datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(1950, 6, 1, 0, 0, 0, 1, tzinfo=UTC),
        None,
        datetime(2025, 3, 1, 9, 0, 0, 123_456, tzinfo=UTC),
        datetime(1970, 1, 1, tzinfo=UTC),
    ]
    rows: list[dict] = [
        {"id": f"c{i}", "company_id": "acme", "name": f"C {i}", "role_entered_at": t}
        for i, t in enumerate(times)
    ]
    rows.insert(3, {"id": "bad one", "company_id": "acme", "name": "Bad"})
    r = store.upsert_table("contact", as_table(rows))
    assert [(x.index, x.item) for x in r.rejected] == [(3, "bad one")]
    assert r.created == 5
    got = store.get_many("contact", [f"c{i}" for i in range(5)])
    assert [got[f"c{i}"].role_entered_at for i in range(5)] == times  # type: ignore[attr-defined]
    again = store.upsert_table("contact", as_table(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_missing_required_column_rejects_every_row(store: Store) -> None:
    load(store, {"company": world()["company"]}, "table")
    r = store.upsert_table("department", as_table([{"id": "acme/it", "function": "IT"}]))
    assert [(x.index, x.field) for x in r.rejected] == [(0, "company_id")]
    assert r.created == 0


def test_unknown_column_is_refused_by_name(store: Store) -> None:
    with pytest.raises(ValidationError, match="shoe_size"):
        store.upsert_table("company", as_table([{"id": "a", "name": "A", "shoe_size": 9}]))


def test_last_row_of_an_id_wins(store: Store) -> None:
    rows = [{"id": "acme", "name": "Old name"}, {"id": "acme", "name": "New name"}]
    r = store.upsert_table("company", as_table(rows))
    assert (r.created, r.unchanged) == (1, 1)
    assert store.get("company", "acme").name == "New name"  # type: ignore[union-attr]


# --- the columnar validator judges as pydantic does -----------------------------

ids = st.one_of(
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,6}", fullmatch=True), st.text(max_size=6)
)
texts = st.one_of(st.none(), st.text(max_size=8))
contact_rows = st.fixed_dictionaries(
    {
        "id": ids,
        "company_id": ids,
        "name": texts,
        "email": st.one_of(st.none(), st.text(max_size=10), st.emails()),
        "seniority": st.one_of(st.none(), st.sampled_from(["VP", "Director", "vp", " VP", "x"])),
        "status": st.sampled_from(["active", "left", "gone"]),
        "department_id": st.one_of(st.none(), ids),
        "sources": st.lists(st.one_of(st.sampled_from(["sales", "event", "Sales"])), max_size=3),
    }
)
opportunity_rows = st.fixed_dictionaries(
    {
        "id": ids,
        "company_id": ids,
        "amount": st.floats(allow_nan=True, allow_infinity=True),
        "stage": st.sampled_from(["proposal", "closed_won", "won"]),
        "contact_ids": st.lists(ids, max_size=3),
    }
)


def _same_verdicts(kind_name: str, rows: list[dict]) -> None:
    kind = NODE_KINDS[kind_name]
    report = WriteReport(kind_name)
    # An empty cell of a field with a default means "not given" (as the
    # fallback path of StoreBase.upsert_table passes it on).
    good = _validate(kind.model, [without_defaulted_nulls(kind, r) for r in rows], 0, report)
    checked = check(kind, pa.Table.from_pylist(rows, schema=None))
    assert {(x.index, x.field) for x in checked.rejections} == {
        (x.index, x.field) for x in report.rejected
    }
    # What both accept, both normalise alike (stripped, lower-cased emails...).
    accepted = checked.table.filter(pa.compute.invert(checked.bad)).to_pylist()
    assert len(accepted) == len(good)
    for row, (_, item) in zip(accepted, good, strict=True):
        assert kind.model.model_validate(row) == item


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(contact_rows, min_size=1, max_size=5))
def test_contact_validator_matches_pydantic(rows: list[dict]) -> None:
    _same_verdicts("contact", rows)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(opportunity_rows, min_size=1, max_size=5))
def test_opportunity_validator_matches_pydantic(rows: list[dict]) -> None:
    _same_verdicts("opportunity", rows)


def test_names_of_separator_characters_get_the_models_verdict() -> None:
    # Arrow strips \x1c-\x1f as whitespace, pydantic does not (hypothesis found it).
    base = {"id": "x", "company_id": "acme", "status": "active", "sources": []}
    _same_verdicts("contact", [{**base, "name": n} for n in ("\x1f", " \x1c Jo\x1d ", "\t")])


def test_small_batches_into_a_big_table_diff_and_check_references_exactly(store: Store) -> None:
    # Big enough that a 5-row batch looks ids up one by one instead of
    # reading the whole table: both ways must give the same answers.
    store.upsert_table("company", as_table([{"id": "big", "name": "Big Co"}]))
    people = [{"id": f"p{i:03d}", "company_id": "big", "name": f"P {i}"} for i in range(100)]
    assert store.upsert_table("contact", as_table(people)).created == 100
    batch = [
        {**people[0]},
        {**people[1], "name": "P 1 renamed"},
        {"id": "p-new", "company_id": "big", "name": "Newcomer"},
        {"id": "p-lost", "company_id": "nowhere", "name": "Lost"},
    ]
    report = store.upsert_table("contact", as_table(batch))
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert [(r.item, r.field) for r in report.rejected] == [("p-lost", "company_id")]
    assert store.get("contact", "p001").name == "P 1 renamed"  # type: ignore[union-attr]
    assert store.counts()["EMPLOYED_AT"] == 101


def test_copy_files_live_beside_the_database_and_a_killed_writers_are_removed(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from graph.stores.ladybug import LadybugStore

    # Temporary folders of killed imports used to pile up in /tmp, one per store.
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    leftover = tmp_path / "db.lbug.copy"
    leftover.mkdir()
    (leftover / "rows.parquet").write_bytes(b"half a file from a killed import")
    store = LadybugStore(tmp_path / "db.lbug")
    assert not leftover.exists()
    companies = [{"id": f"c{i}", "name": f"Company {i}"} for i in range(3)]
    assert store.upsert_table("company", as_table(companies)).created == 3
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.lbug", "temp"]
    assert list(temp.iterdir()) == []
    reopened = LadybugStore(tmp_path / "db.lbug", read_only=True)
    assert reopened.counts()["company"] == 3
    reopened.close()


def test_a_small_batch_checks_its_participants_one_by_one_against_a_big_table(
    store: Store,
) -> None:
    # Two named contacts against a hundred stored: looked up by id, not scanned.
    store.upsert_table("company", as_table([{"id": "big", "name": "Big Co"}]))
    people = [{"id": f"p{i:03d}", "company_id": "big", "name": f"P {i}"} for i in range(100)]
    store.upsert_table("contact", as_table(people))
    meetings = [
        {"id": "m1", "company_id": "big", "type": "meeting", "at": START, "contact_ids": ["p007"]},
        {"id": "m2", "company_id": "big", "type": "meeting", "at": START,
         "contact_ids": ["p008", "ghost"]},
    ]
    report = store.upsert_table("touchpoint", as_table(meetings))
    assert report.created == 1
    assert [(r.item, r.field) for r in report.rejected] == [("m2", "contact_ids")]
    assert "ghost" in report.rejected[0].reason
    assert store.counts()["PARTICIPATED_IN"] == 1
