"""The demo world generator: a deterministic, realistic B2B book of business.

>>> world = generate(seed=7, sizes=Sizes(companies=3, contacts=20, touchpoints=50))
>>> sum(len(items) for kind, items in world if kind == "contact")
20

See docs/demo-world.md for what is in a world and why.
"""

from seed.generator.plan import EXPECTED_STATUS, Scenario
from seed.generator.sizes import PRESETS, REFERENCE_NOW, Sizes, preset
from seed.generator.world import ORDER, AccountRecord, World, generate

__all__ = [
    "EXPECTED_STATUS",
    "ORDER",
    "PRESETS",
    "REFERENCE_NOW",
    "AccountRecord",
    "Scenario",
    "Sizes",
    "World",
    "generate",
    "preset",
]
