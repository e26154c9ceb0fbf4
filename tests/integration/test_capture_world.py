"""The generated mailbox world: capture finds every interaction the generator made, and the
warm paths read from captured data are the ones read from the same interactions imported.

The demo generator's small world is split (:mod:`seed.generator.mailboxes`): its emails
and meetings are written as each user's mailbox and calendar, with the noise real
exports hold, and everything else is loaded as it is. One store captures the exports;
a second (embedded) store imports the same interactions from CSV.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from graph.readings import account_readings
from graph.settings import Settings
from graph.store import Store
from graph.stores import open_store
from seed.capture.run import Capturer
from seed.generator import generate
from seed.generator.mailboxes import split_world, write_csv, write_exports
from seed.generator.sizes import PRESETS, REFERENCE_NOW
from seed.imports.runner import FileSpec, Importer
from seed.load import load_world

pytestmark = pytest.mark.slow


def _key(t: Any) -> tuple[Any, ...]:
    return (str(t.type), t.at, str(t.direction), t.company_id, tuple(sorted(t.contact_ids)),
            tuple(sorted(t.user_ids)))


def _paths(store: Store, companies: list[str]) -> list[Any]:
    """Every account's warm paths, hop by hop with strengths (evidence words aside)."""
    out = []
    for cid in companies:
        r = account_readings(store.account_data(cid), as_of=REFERENCE_NOW)
        out.append([(p.target, [(round(x.strength, 9), [(h.source, h.target, round(h.strength, 9))
                                                         for h in x.hops]) for x in p.paths])
                    for p in r.paths])
    return out


def test_capture_recovers_the_generated_interactions_and_their_warm_paths(
    store: Store, tmp_path: Path
) -> None:
    base, interactions = split_world(generate(42, PRESETS["small"]))
    exports = write_exports(tmp_path / "exports", base, interactions)
    assert {"email", "meeting"} == {str(t.type) for t in interactions}
    load_world(store, base)
    s = Capturer(store, knows=False).run([tmp_path / "exports"])

    ids = [i for batch in store.iter_ids("touchpoint") for i in batch if i.startswith("capture-")]
    got = Counter(_key(t) for t in store.get_many("touchpoint", ids).values())
    assert got == Counter(_key(t) for t in interactions)
    # Every copy beyond the first of a message or meeting was found to be one already.
    assert s.written == len(interactions) and s.rejected == 0
    for why, n in exports.noise.items():
        assert s.skipped[why] >= n, why
    assert s.new_contacts == 0  # every address was someone the world knows

    imported = open_store(Settings(data_dir=tmp_path / "csv", store="ladybug"))
    try:
        load_world(imported, base)
        csv = write_csv(tmp_path / "touchpoints.csv", interactions)
        assert Importer(imported).run([FileSpec(csv, "touchpoints")]).rejected == 0
        companies = sorted(c.id for kind, batch in base if kind == "company" for c in batch)
        paths = _paths(store, companies)
        assert sum(len(x) for p in paths for t in p for x in [t[1]]) > 20  # paths were found
        assert paths == _paths(imported, companies)
    finally:
        imported.close()
