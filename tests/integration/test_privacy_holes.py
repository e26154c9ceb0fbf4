"""The four holes of issue 15, one test each, on every store.

Each drives the app as a user would (HTTP and GraphQL), so it ran against the
code before the fix too, and failed there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store import Store
from graph.stores.ladybug import LadybugStore
from tests.integration.privacy_world import XENA, World, build, serve

ERASE = """mutation { eraseContactPersonalData(contactId: "c-xena") {
    __typename ... on Erasure { profileItemsRemoved } } }"""


@pytest.fixture
def world(store: Store, tmp_path: Path) -> Iterator[World]:
    yield from serve(store, tmp_path)


def test_a_moved_contacts_former_account_does_not_show_their_personal_data(
        world: World) -> None:
    """Hole 1: Globex's team saw Xena's personal items on Globex's map and brief."""
    for path in ("/accounts/globex/brief", "/accounts/globex/map"):
        page = world.get("fay", path)
        assert page.startswith("200"), page[:300]
        assert "Xena Quill" in page  # she is on the page...
        assert world.canaries.found_in(page) == {}, path  # ...without her personal data
    # Her current account's team still sees it there, and on its own pages.
    assert world.canaries.found_in(world.get("amy", "/accounts/globex/brief"))


def test_an_analyst_cannot_move_a_contact_onto_their_own_team_to_read_it(
        world: World) -> None:
    """Hole 2: Ann (analyst, Initech's team) moved Xena to Initech and read everything."""
    move = """mutation { updateContact(id: "c-xena", patch: {companyId: "initech"}) {
        __typename ... on NotAllowed { message } ... on Contact { companyId } } }"""
    refused = world.gql("ann", move)
    assert '"__typename":"NotAllowed"' in refused, refused
    read = world.gql("ann", """{ contact(id: "c-xena") { companyId
        profileItems { key value } } }""")
    assert '"companyId":"acme"' in read
    assert world.canaries.found_in(read) == {}
    # Amy is on Acme's team but not on Initech's: a move needs both.
    assert '"__typename":"NotAllowed"' in world.gql("amy", move)
    # An admin may, and the move is on the audit trail.
    assert '"companyId":"initech"' in world.gql("ada", move)
    assert [(e.user_id, e.field) for e in world.audit() if e.action == "move"] == [
        ("u-ada", "company_id:acme->initech")]


def test_an_erasure_reaches_every_cached_account_that_holds_the_contact(
        world: World) -> None:
    """Hole 3: maps, briefs and exports of other accounts, cached before, kept the values."""
    views = [f"/accounts/{a}/{door}" for a in ("acme", "globex", "initech")
             for door in ("map", "brief", "export?format=json", "export?format=csv")]
    before = {v: world.canaries.found_in(world.get("ada", v)) for v in views}
    assert before["/accounts/acme/brief"] and before["/accounts/globex/export?format=json"]
    assert '"profileItemsRemoved":3' in world.gql("ada", ERASE)
    for v in views:
        assert world.canaries.found_in(world.get("ada", v)) == {}, v


def test_erased_values_are_gone_from_the_embedded_stores_files(tmp_path: Path) -> None:
    """Hole 4: after erase and a clean close, grep found the values in accountgraph.lbug."""
    folder = tmp_path / "data"
    store = LadybugStore(folder / "accountgraph.lbug")
    found = build(store)
    store.close()  # the values are in the file now, as after any import or seed
    assert any(found.email.encode() in p.read_bytes() for p in folder.rglob("*") if p.is_file())
    store = LadybugStore(folder / "accountgraph.lbug")
    store.erase_personal_data(XENA)
    assert store.get("contact", XENA).email is None  # type: ignore[union-attr]
    store.close()
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert files
    for p in files:
        data = p.read_bytes()
        for field, value in found.personal.items():
            assert value.encode() not in data, f"{field} still in {p.name}"
    # The rewritten file is whole: everything else is still there.
    again = LadybugStore(folder / "accountgraph.lbug", read_only=True)
    try:
        assert {c: n for c, n in again.counts().items() if n} == {
            c: n for c, n in _counts_of_a_fresh_erased_world(tmp_path).items() if n}
    finally:
        again.close()


def _counts_of_a_fresh_erased_world(tmp_path: Path) -> dict[str, int]:
    other = LadybugStore(tmp_path / "other" / "x.lbug")
    try:
        build(other)
        other.erase_personal_data(XENA)
        return other.counts()
    finally:
        other.close()
