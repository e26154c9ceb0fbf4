"""Both ways into a store give the same measuring world: direct load, and the Salesforce export.

The export carries what a Salesforce org holds; what the importer cannot read yet
(OpportunityContactRole, AccountTeamMember, Task/EventRelation) shows as exactly the
relationships a direct load has and an import has not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from api.commands.import_ import read_manifest
from graph.store import Store
from graph.stores.ladybug import LadybugStore
from seed.imports.rejects import RejectsWriter
from seed.imports.runner import Importer
from seed.worlds import CrmWorld, build_world
from seed.worlds.load import load_into
from seed.worlds.salesforce import write_salesforce

# What a direct load has that the importer cannot take from a Salesforce export yet.
NOT_IMPORTED = ("INVOLVED_IN", "ON_TEAM", "OWNS")


@pytest.fixture(scope="module")
def world() -> CrmWorld:
    return build_world(("role_independent", "title_styles"), seed=4, accounts=30, contacts=120,
                       touchpoints=2_500, opportunities=130, entered_roles=0.5)


def test_direct_load_holds_the_whole_world_once(store: Store, world: CrmWorld) -> None:
    report = load_into(store, world)
    assert not report.rejected
    counts = store.counts()
    assert {k: counts.get(k, 0) for k in world.store_counts()} == world.store_counts()
    again = load_into(store, world)
    assert sum(again.written.values()) == 0 and store.counts() == counts


def test_salesforce_export_imports_to_the_same_world(
    store: Store, world: CrmWorld, tmp_path: Path
) -> None:
    manifest = write_salesforce(world, tmp_path / "export")
    summary = Importer(store, rejects=RejectsWriter(tmp_path / "rejects.csv"),
                       crosswalk=tmp_path / "crosswalk.sqlite3").run(read_manifest(manifest))
    assert summary.rejected == 0 and summary.merged == 0
    direct = LadybugStore(tmp_path / "direct.lbug")
    try:
        load_into(direct, world)
        want, got = direct.counts(), store.counts()
        same = {k for k in want if k not in NOT_IMPORTED and k != "PARTICIPATED_IN"}
        assert {k: got.get(k) for k in same} == {k: want[k] for k in same}
        assert all(got.get(k, 0) == 0 < want[k] for k in NOT_IMPORTED)
        # An activity names one contact (WhoId) and one owner; the rest is in *Relation.csv.
        assert got["PARTICIPATED_IN"] == sum(
            bool(t.contact_ids) + bool(t.user_ids) for t in world.touchpoints)
        for kind, ids in (("company", [c.id for c in world.companies]),
                          ("contact", [c.id for c in world.contacts]),
                          ("profile_item", [p.id for p in world.profile_items])):
            assert store.get_many(kind, ids) == direct.get_many(kind, ids), kind
        single = [t.id for t in world.touchpoints
                  if len(t.contact_ids) <= 1 and len(t.user_ids) <= 1]
        assert store.get_many("touchpoint", single) == direct.get_many("touchpoint", single)
        opps = store.get_many("opportunity", [o.id for o in world.opportunities])
        assert {o.id: o.model_copy(update={"contact_ids": []}) for o in world.opportunities} \
            == opps
    finally:
        direct.close()
    # Importing the same export again changes nothing.
    again = Importer(store, rejects=RejectsWriter(tmp_path / "rejects2.csv"),
                     crosswalk=tmp_path / "crosswalk.sqlite3").run(read_manifest(manifest))
    assert again.written == 0
