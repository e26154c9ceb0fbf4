"""The generated world as a whole: volumes, report, determinism, streaming order."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from typing import Any

import pytest

from graph.errors import ValidationError
from graph.model import Node, Rel
from graph.schema import NODE_KINDS, REL_KINDS
from seed.generator import ORDER, Scenario, Sizes, generate, preset
from tests.unit.seed.conftest import Generated, run

SMALL = Sizes(companies=15, contacts=400, touchpoints=3_000)


def test_demo_has_the_volumes_the_issue_promises(demo: Generated) -> None:
    assert len(demo.of("company")) == 40
    assert len(demo.of("contact")) == 3_500
    assert len(demo.of("touchpoint")) == 20_000
    by_company = Counter(c.company_id for c in demo.of("contact"))
    (big,) = [r for r in demo.world.manifest if r.scenario is Scenario.MAP]
    # One map account of ~2,000 people; the other 39 share the usual ~1,500.
    assert 1_900 <= by_company[big.company_id] <= 2_000
    assert 1_400 <= 3_500 - by_company[big.company_id] <= 1_600


def test_report_counts_every_node_and_relationship(demo: Generated) -> None:
    counts = demo.world.counts
    for kind in ORDER:
        assert counts[kind] == len(demo.of(kind)), kind
    tps = demo.of("touchpoint")
    assert counts["PARTICIPATED_IN"] == sum(len(t.contact_ids) + len(t.user_ids) for t in tps)
    assert counts["ON_ACCOUNT"] == len(tps)
    assert counts["HAS_DEPARTMENT"] == len(demo.of("department"))
    assert counts["INVOLVED_IN"] == sum(len(o.contact_ids) for o in demo.of("opportunity"))
    # Every relationship kind the store knows is reported.
    assert set(REL_KINDS) <= set(counts)


def test_relationship_keys_are_unique(demo: Generated) -> None:
    # The store keeps one relationship per key; a duplicate would make the
    # store's count fall short of the report.
    for kind in ("EMPLOYED_AT", "REPORTS_TO", "KNOWS", "ON_TEAM", "OWNS"):
        rel = REL_KINDS[kind]
        keys = [(r.source, r.target, *(getattr(r, k) for k in rel.key)) for r in demo.of(kind)]
        assert len(keys) == len(set(keys)), kind
    knows = {frozenset((r.source, r.target)) for r in demo.of("KNOWS")}
    assert len(knows) == len(demo.of("KNOWS"))
    contact_company = {(c.id, c.company_id) for c in demo.of("contact")}
    assert contact_company <= {(r.source, r.target) for r in demo.of("EMPLOYED_AT")}


def test_every_generated_object_passes_validation(demo: Generated) -> None:
    # The generator skips validation for speed; this is what keeps that honest.
    for kind, items in demo.by_kind.items():
        for item in items:
            assert isinstance(item, Node | Rel)
            again = type(item).model_validate(dict(item))
            assert again == item, (kind, item)


def _dump(g: Generated) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(k, [dict(i) for i in b]) for k, b in g.batches]


def test_same_seed_gives_the_same_world() -> None:
    assert _dump(run(generate(7, SMALL))) == _dump(run(generate(7, SMALL)))


def test_another_seed_gives_another_world() -> None:
    a, b = run(generate(7, SMALL)), run(generate(8, SMALL))
    assert [c.name for c in a.of("contact")] != [c.name for c in b.of("contact")]


def test_small_batches_hold_the_same_world() -> None:
    whole = run(generate(7, SMALL))
    streamed = run(generate(7, SMALL, batch_size=250))
    assert max(len(b) for _, b in streamed.batches) <= 250
    assert {k: [dict(i) for i in v] for k, v in streamed.by_kind.items()} == {
        k: [dict(i) for i in v] for k, v in whole.by_kind.items()
    }


def _refs(kind: str, item: Any) -> list[tuple[str, str]]:
    """(kind, id) pairs an item needs to exist before it can be written."""
    if kind in REL_KINDS:
        pairs = REL_KINDS[kind].pairs
        src = {s for s, _ in pairs}
        tgt = {t for _, t in pairs}
        return [("|".join(sorted(src)), item.source), ("|".join(sorted(tgt)), item.target)]
    out = []
    for d in NODE_KINDS[kind].derived:
        value = getattr(item, d.field)
        for ref in value if isinstance(value, list) else [value] if value else []:
            out.append((d.other, ref))
    return out


@pytest.mark.parametrize("batch_size", [50_000, 97])
def test_batches_only_refer_to_ids_written_before(batch_size: int) -> None:
    # A store rejects an item naming an id it does not hold yet, so a world
    # written batch by batch must never point forward.
    seen: dict[str, set[str]] = {}
    for kind, batch in generate(3, SMALL, batch_size=batch_size):
        for item in batch:
            for kinds, ref in _refs(kind, item):
                assert any(ref in seen.get(k, ()) for k in kinds.split("|")), (kind, item)
        if kind in NODE_KINDS:
            seen.setdefault(kind, set()).update(i.id for i in batch)


@pytest.mark.parametrize(
    "sizes",
    [Sizes(0, 0, 0), Sizes(1, 0, 0), Sizes(1, 5, 10), Sizes(3, 2, 0), Sizes(5, 40, 7)],
    ids=str,
)
def test_tiny_worlds_still_hit_their_exact_totals(sizes: Sizes) -> None:
    g = run(generate(1, sizes))
    assert len(g.of("company")) == sizes.companies
    assert len(g.of("contact")) == sizes.contacts
    assert len(g.of("touchpoint")) == sizes.touchpoints


def test_impossible_sizes_say_which_number_is_wrong() -> None:
    with pytest.raises(ValidationError, match="companies"):
        Sizes(companies=0, contacts=10, touchpoints=0)
    with pytest.raises(ValidationError, match="touchpoints must be 0 or more"):
        Sizes(companies=1, contacts=1, touchpoints=-1)
    with pytest.raises(ValidationError, match="demo, small, large"):
        preset("huge")


def test_a_world_streams_once() -> None:
    world = generate(1, Sizes(2, 4, 4))
    list(world)
    with pytest.raises(RuntimeError, match="once"):
        list(world)


_DIGEST = """
import hashlib
from seed.generator import Sizes, generate
h = hashlib.sha256()
for kind, batch in generate(7, Sizes(15, 400, 3000)):
    for item in batch:
        h.update(repr((kind, sorted(dict(item).items()))).encode())
print(h.hexdigest())
"""


def test_same_seed_gives_the_same_world_in_another_process() -> None:
    # Catches anything that leans on set order or str hashing, which a
    # comparison inside one process cannot see.
    digests = {
        subprocess.run(
            [sys.executable, "-c", _DIGEST], env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True, text=True, check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1
