"""From :mod:`graph.readings` to the plain :class:`AccountReadings` the pages draw.

The one place that knows the shape of the readings facade; the page builders only
know :mod:`visualizer.inputs`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import networkx as nx

from graph.neighbourhood import key
from graph.readings import account_readings
from graph.readings.facts import AccountFacts, account_facts
from graph.readings.strength import DEFAULT_HALF_LIFE_DAYS, pair_strength
from visualizer.inputs import AccountReadings, ContactReading, Hop, InfluencePath, KeyPerson


def adapt(
    G: nx.MultiDiGraph,
    *,
    as_of: date | datetime | str | None = None,
    rules: Path | str | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    to: str | None = None,
    user_id: str | None = None,
) -> AccountReadings:
    """The account's readings; influence paths only towards ``to`` (a contact key).

    Paths to the decision makers are what ``accountgraph analyze`` shows; the pages
    ask for them only when a user asks for one target (``?to=``), which keeps an
    ordinary map fast.
    """
    # Read once: the readings and each user's strength with each contact share it.
    facts = account_facts(G, as_of)
    raw = account_readings(
        facts, rules, as_of, half_life_days=half_life_days,
        targets=[to] if to else [], user_id=user_id,
    )  # fmt: skip
    return from_raw(G, raw, rules=rules, half_life_days=half_life_days, facts=facts)


def from_raw(
    G: nx.MultiDiGraph,
    r: Any,
    *,
    rules: Path | str | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    facts: AccountFacts | None = None,
) -> AccountReadings:
    """Adapt an already computed ``graph.readings.AccountReadings`` (e.g. the API's cached one).

    Adds what the facade does not give: each of our users' strength with each contact
    (from ``facts`` when the caller has read them as of the readings' moment).
    """
    pairs = pair_strength(G, rules=None if rules is None else _rules(rules), as_of=r.as_of,
                          half_life_days=half_life_days, facts=facts)  # fmt: skip
    known: dict[str, dict[str, float]] = {}
    for (uid, cid), s in pairs.items():
        # A user who has left us cannot introduce anyone: the handover says what they knew.
        if G.nodes.get(key("user", uid), {}).get("active") is False:
            continue
        if s.strength > 0:
            known.setdefault(cid, {})[key("user", uid)] = s.strength
    contacts = {}
    for cid, c in r.classification.items():
        st = r.strength.get(cid)
        contacts[key("contact", cid)] = ContactReading(
            category=c.primary,
            secondary=tuple(c.secondary),
            reasons=tuple(c.reasons),
            strength=st.strength if st else 0.0,
            known_by=known.get(cid, {}),
            touchpoints=st.touchpoints if st else 0,
            last_touch=st.last_touch if st else None,
        )
    spof = {p.key: p for p in r.key_people.single_points}
    central = [p for p in r.key_people.central if p.kind == "contact"]
    def cuts(k: str) -> dict[str, tuple[str, ...]]:
        p = spof.get(k)
        return {"cut_departments": tuple(p.departments), "cut_people": tuple(p.people)} if p \
            else {}

    key_people = [
        KeyPerson(
            contact=p.key,
            score=p.betweenness,
            single_point_of_failure=p.key in spof,
            why="; ".join(spof[p.key].reasons if p.key in spof else p.reasons),
            **cuts(p.key),
        )
        for p in central
    ]
    key_people += [
        KeyPerson(p.key, 0.0, True, "; ".join(p.reasons or [f"only route to {', '.join(p.cuts)}"]),
                  **cuts(p.key))
        for p in r.key_people.single_points
        if p.kind == "contact" and p.key not in {k.contact for k in key_people}
    ]
    return AccountReadings(
        status=r.status.status,
        status_reasons=tuple(r.status.reasons),
        status_notes=tuple(r.status.notes),
        risks=tuple(r.status.checks.get("at_risk", ())),
        contacts=contacts,
        whitespace=tuple(_whitespace(r.whitespace)),
        key_people=tuple(key_people),
        breadth=breadth_view(r.breadth),
        paths=tuple(p for reading in r.paths for p in _paths(reading)),
        departures=tuple(j for j in r.job_changes if j.direction == "left"),
        quiet_champions=tuple(r.status.quiet_champions),
        handovers=tuple(r.handovers),
    )


def _rules(rules: Path | str | None) -> Any:
    from graph.readings.rules import resolve

    return resolve(rules)


def _whitespace(w: Any) -> list[str]:
    if w.reasons:
        return list(w.reasons)
    out = [f"No one in {d}" for d in w.empty_departments]
    out += [f"Nobody engaged in {d}" for d in w.unengaged_departments]
    out += [f"No {c.replace('_', ' ')}" for c in w.missing_categories]
    return out


def breadth_view(b: Any) -> dict[str, Any]:
    """A breadth reading as the labelled values the pages show.

    A dimension the account has no data on reads "unknown", never "0 of 5" or "none".
    """
    known = len(b.departments_known)
    unknown = set(getattr(b, "unknown", ()))
    return {
        "departments covered": "unknown (no department data)" if "departments" in unknown
        else f"{len(b.departments_covered)} of {known}" if known else "none known",
        "categories engaged": ", ".join(c.replace("_", " ") for c in b.categories_engaged)
        or "none",
        "seniority levels reached": "unknown (no seniority data)" if "seniority" in unknown
        else ", ".join(b.seniorities_reached) or "none",
        "live relationships": b.live_relationships,
        "executives engaged": "unknown (no seniority data)" if "seniority" in unknown
        else b.executives_engaged,
    }


def _paths(reading: Any) -> list[InfluencePath]:
    return [
        InfluencePath(
            hops=tuple(
                Hop(h.source, h.target, h.strength, "; ".join(h.evidence) or "linked")
                for h in p.hops
            ),
            strength=p.strength,
        )
        for p in reading.paths
    ]


def paths_to(
    G: nx.MultiDiGraph,
    target: str,
    *,
    as_of: date | datetime | str | None = None,
    rules: Path | str | None = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    user_id: str | None = None,
) -> list[InfluencePath]:
    """Warm paths from our users (or one user) to one contact key, best first."""
    from graph.readings.paths import influence_paths
    from graph.readings.people import people_graph

    r = _rules(rules) if rules else None
    P = people_graph(account_facts(G, as_of), rules=r, half_life_days=half_life_days)
    if target not in P:
        return []
    cfg = (r or _rules(None)).section("paths")
    reading = influence_paths(
        P, target, sources=[key("user", user_id)] if user_id else None,
        k=int(cfg.get("k", 3)), max_hops=int(cfg.get("max_hops", 4)),
    )  # fmt: skip
    return _paths(reading)
