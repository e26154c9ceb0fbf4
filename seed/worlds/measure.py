"""Read a loaded world back through the readings' public entry points, and score it.

The only module here that reads a store: per account ``account_readings`` (primary
categories and status) and, for worlds with planted drivers, the database's
opportunity cases into ``revenue_triggers``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.readings import account_readings
from graph.readings.database import iter_opportunity_cases
from graph.readings.rules import Rules, resolve
from graph.readings.triggers import revenue_triggers
from graph.store import Store
from seed.worlds.score import (
    ClassificationScore,
    StatusScore,
    TriggerScore,
    score_classification,
    score_status,
    score_triggers,
)
from seed.worlds.world import CrmWorld


@dataclass
class WorldReadings:
    """What the readings said about a world, by id."""

    classification: dict[str, str]  # contact id -> primary category
    status: dict[str, str]  # company id -> status
    triggers: Any | None  # graph.readings.triggers.Triggers, when asked for


@dataclass
class WorldScore:
    classification: ClassificationScore
    status: StatusScore
    triggers: TriggerScore | None


def door_rules(store: Store, rules: Rules | Path | str | None = None) -> Rules:
    """The rules the app's doors read ``store`` with, so the scores are what users see.

    The given (or shipped) rules, plus this database's signal weights where the
    readings estimate them from the store (``graph.evidence.rules_for``, issue 14):
    looked up by name, so the harness runs on readings with and without them.
    """
    r = resolve(rules)
    try:
        evidence = importlib.import_module("graph.evidence")
    except ModuleNotFoundError:
        return r
    rules_for = getattr(evidence, "rules_for", None)
    return rules_for(store, r) if callable(rules_for) else r


def read_world(store: Store, world: CrmWorld, *, rules: Rules | Path | str | None = None,
               triggers: bool | None = None, accounts: bool = True) -> WorldReadings:
    """The readings of every account of ``world`` in ``store``, as of the world date.

    ``triggers``: also compute revenue triggers (default: when the world plants drivers).
    Profile items count whatever their visibility, as for an analyst allowed to see them.
    ``accounts=False`` skips the per-account readings (classification and status stay
    empty) when only the triggers are wanted.
    """
    used = door_rules(store, rules)
    classification: dict[str, str] = {}
    status: dict[str, str] = {}
    for company in world.companies if accounts else ():
        r = account_readings(store.account_data(company.id), used, as_of=world.as_of)
        status[company.id] = r.status.status
        classification.update({cid: c.primary for cid, c in r.classification.items()})
    found = None
    if triggers if triggers is not None else bool(world.truth.drivers):
        cases = iter_opportunity_cases(store, rules=used, include_personal=True)
        found = revenue_triggers(cases)
    return WorldReadings(classification, status, found)


def score_world(readings: WorldReadings, world: CrmWorld) -> WorldScore:
    """Score what was read against the world's truth."""
    titles = {c.id: c.title for c in world.contacts}
    return WorldScore(
        classification=score_classification(readings.classification, world.truth, titles),
        status=score_status(readings.status, world.truth),
        triggers=score_triggers(readings.triggers, world.truth)
        if readings.triggers is not None else None,
    )
