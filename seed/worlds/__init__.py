"""Worlds that do not flatter us: generated CRMs with known truth, to measure readings against.

Independent of the demo generator (``seed.generator``) and of our reading rules:
each world is built from how buying committees and CRMs behave, with the truth
(every contact's buying role, every account's outcome, planted purchase drivers)
kept apart from the data. See docs/worlds.md.

>>> w = build_world("role_independent", seed=3, accounts=10, contacts=40,
...                 touchpoints=600, opportunities=40, users=4)
>>> len(w.contacts), sorted(str(o) for o in set(w.truth.outcomes.values()))[:1]
(40, ['churned'])
"""

from seed.worlds.params import SCENARIOS, WORLD_DATE, Params, params_for
from seed.worlds.truth import BUYING, NOT_BUYING, ROLE_CATEGORY, Driver, Outcome, Role, Truth
from seed.worlds.world import CrmWorld, DealRole, build_world

__all__ = [
    "BUYING",
    "NOT_BUYING",
    "ROLE_CATEGORY",
    "SCENARIOS",
    "WORLD_DATE",
    "CrmWorld",
    "DealRole",
    "Driver",
    "Outcome",
    "Params",
    "Role",
    "Truth",
    "build_world",
    "params_for",
]
