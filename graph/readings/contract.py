"""The readings the store contract suite compares across backends.

``tests/integration/test_store_contract.py`` loads the same fixture data into every
store and asserts :func:`readings_fingerprint` of ``store.account_graph(id)`` is equal
on all of them (and equal to the fingerprint of the graph the data was built from).
Only the deterministic, order-free parts of the readings are kept; floats are rounded
so two backends' datetime round trips cannot make them differ in the last digit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from graph.readings import account_readings
from graph.readings.facts import AccountSource
from graph.readings.rules import Rules


def readings_fingerprint(
    G: AccountSource, as_of: date | datetime | str = "2025-06-30", *, rules: Rules | None = None
) -> dict[str, Any]:
    """A comparable summary of every per-account reading of ``G`` as of a fixed date.

    Examples
    --------
    >>> from graph.readings.testing import AccountBuilder
    >>> b = AccountBuilder("acme")
    >>> _ = b.contact("ann", title="CFO")
    >>> readings_fingerprint(b.G)["status"]
    'no_relationship'
    """
    r = account_readings(G, rules, as_of=as_of, engine="networkx")
    return {
        "status": r.status.status,
        "status_reasons": sorted(r.status.reasons),
        "primary": {c: x.primary for c, x in sorted(r.classification.items())},
        "secondary": {c: sorted(x.secondary) for c, x in sorted(r.classification.items())},
        "entered": {c: x.entered for c, x in sorted(r.classification.items())},
        "class_reasons": {c: x.reasons for c, x in sorted(r.classification.items())},
        "strength": {c: round(s.strength, 4) for c, s in sorted(r.strength.items())},
        "mix": dict(sorted(r.mix.counts.items())),
        "departments_covered": r.breadth.departments_covered,
        "live": r.breadth.live_contacts,
        "missing_categories": sorted(r.whitespace.missing_categories),
        "job_changes": sorted((j.contact_id, j.direction, j.other_company_id)
                              for j in r.job_changes),
        "single_points": sorted((s.key, tuple(sorted(s.cuts)))
                                for s in r.key_people.single_points),
        "job_change_places": sorted((j.contact_id, j.other_company) for j in r.job_changes),
        "handovers": [(h.user_id, h.until.isoformat(), h.successor_id, h.touchpoints,
                       [(k.contact_id, round(k.strength, 4), k.touchpoints) for k in h.knew_best])
                      for h in r.handovers],
        "paths": {p.target: [[*path.people] for path in p.paths] for p in r.paths},
        # Each hop's strength and evidence: a link read twice would be stronger and
        # say its evidence twice.
        "hops": {p.target: [[(h.source, h.target, round(h.strength, 4), *h.evidence)
                             for h in path.hops] for path in p.paths] for p in r.paths},
    }
