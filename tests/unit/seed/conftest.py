"""One demo world, generated once for every seed test (it is deterministic)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest

from seed.generator import World, generate


@dataclass
class Generated:
    """A world after iteration: its batches in order, and everything by kind."""

    world: World
    batches: list[tuple[str, list[Any]]]
    by_kind: dict[str, list[Any]]

    def of(self, kind: str) -> list[Any]:
        return self.by_kind.get(kind, [])


def run(world: World) -> Generated:
    batches = list(world)
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for kind, batch in batches:
        by_kind[kind].extend(batch)
    return Generated(world, batches, dict(by_kind))


@pytest.fixture(scope="session")
def demo() -> Generated:
    """The demo world exactly as `accountgraph seed` builds it."""
    return run(generate(42, keep_roles=True))
