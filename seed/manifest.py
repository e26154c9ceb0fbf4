"""A world's manifest as plain data: which account shows what, and the planted truth."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from seed.generator import REFERENCE_NOW, World
from seed.generator.deals import BASE_LOGIT, TRIGGERS


def manifest_data(world: World) -> dict[str, Any]:
    """Everything a test or a reader needs to check readings against the world."""
    return {
        "seed": world.seed,
        "sizes": asdict(world.sizes),
        "reference_now": REFERENCE_NOW.isoformat(),
        "counts": dict(sorted(world.counts.items())),
        "revenue_triggers": {"base_logit": BASE_LOGIT, "effects": TRIGGERS},
        "accounts": [
            {**asdict(rec), "scenario": str(rec.scenario)} for rec in world.manifest
        ],
        "roles": world.roles,
    }
