"""A generated account of any size, for benchmarks and page tests without a store.

Deterministic for a given seed. The graph follows :mod:`graph.neighbourhood`; the
readings are made up (category and strength drawn at random), which is all the
pages need to be exercised: the real ones come from :mod:`graph.readings`.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import networkx as nx

from graph.neighbourhood import GraphBuilder, key
from visualizer.inputs import CATEGORIES, AccountReadings, ContactReading, KeyPerson

FUNCTIONS = (
    "Executive", "Finance", "Procurement", "IT", "Operations", "Marketing", "Sales",
    "Support", "Legal", "HR", "R&D",
)  # fmt: skip
SENIORITY = ("C-level", "VP", "Director", "Manager", "Individual contributor")
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def sample_account(
    contacts: int, *, seed: int = 7, company_id: str = "acme", users: int = 4
) -> tuple[nx.MultiDiGraph, AccountReadings]:
    """An account with ``contacts`` contacts, ~3 edges between people per contact."""
    rnd = random.Random(seed)
    b = GraphBuilder(company_id)
    b.node(
        "company", {"id": company_id, "name": f"{company_id.title()} Corp", "lifecycle": "customer"}
    )
    depts = [f"{company_id}/{f.lower().replace('&', '')}" for f in FUNCTIONS]
    for d, f in zip(depts, FUNCTIONS, strict=True):
        b.node("department", {"id": d, "company_id": company_id, "function": f, "name": f})
        b.edge("HAS_DEPARTMENT", ("company", company_id), ("department", d))
    user_ids = [f"u-{i}" for i in range(users)]
    for i, u in enumerate(user_ids):
        b.node("user", {"id": u, "name": f"Our Rep {i}", "role": "account_manager"})
        b.edge("OWNS" if i == 0 else "ON_TEAM", ("user", u), ("company", company_id))
    readings: dict[str, ContactReading] = {}
    ids = [f"{company_id}-c{i}" for i in range(contacts)]
    for i, c in enumerate(ids):
        d = rnd.choice(depts)
        left = rnd.random() < 0.05
        b.node("contact", {
            "id": c, "company_id": company_id, "name": f"Person {i}", "department_id": d,
            "title": f"{rnd.choice(SENIORITY)} {d.split('/')[1]}",
            "seniority": rnd.choice(SENIORITY), "status": "left" if left else "active",
        })  # fmt: skip
        b.edge("WORKS_IN", ("contact", c), ("department", d))
        b.edge("EMPLOYED_AT", ("contact", c), ("company", company_id))
        if i:
            b.edge(
                "REPORTS_TO", ("contact", c), ("contact", ids[rnd.randrange(max(1, i // 4 + 1))])
            )
        strength = round(rnd.random() ** 2, 3)
        known = {key("user", u): round(strength * rnd.random(), 3) for u in rnd.sample(user_ids, 1)}
        readings[key("contact", c)] = ContactReading(
            category=rnd.choice(CATEGORIES),
            reasons=(f"{rnd.randint(1, 9)} meetings in the last year",),
            strength=strength,
            known_by=known if strength > 0.3 else {},
        )
        if rnd.random() < 0.2:
            for vis in ("public", "personal"):
                pid = f"{c}-p-{vis}"
                b.node("profile_item", {
                    "id": pid, "contact_id": c, "key": "hobby" if vis == "public" else "family",
                    "value": f"secret-{vis}-{i}", "visibility": vis,
                })  # fmt: skip
                b.edge("HAS_PROFILE_ITEM", ("contact", c), ("profile_item", pid))
    for c in ids:
        for other in rnd.sample(ids, min(2, len(ids))):
            if other != c:
                b.edge(
                    "KNOWS",
                    ("contact", c),
                    ("contact", other),
                    {"strength": rnd.random(), "origin": "worked together"},
                )
    for t in range(contacts // 2):
        tid = f"{company_id}-t{t}"
        who = rnd.sample(ids, min(2, len(ids)))
        b.node("touchpoint", {
            "id": tid, "company_id": company_id, "touchpoint_kind": "meeting",
            "at": NOW - timedelta(days=rnd.randint(0, 400)),
            "contact_ids": who, "user_ids": [user_ids[0]],
        })  # fmt: skip
        for c in who:
            b.edge("PARTICIPATED_IN", ("contact", c), ("touchpoint", tid))
        b.edge("PARTICIPATED_IN", ("user", user_ids[0]), ("touchpoint", tid))
    top = sorted(readings, key=lambda c: -readings[c].strength)[:5]
    return b.G, AccountReadings(
        status="can_grow",
        status_reasons=("decision maker and champion engaged", "6 departments covered"),
        contacts=readings,
        whitespace=("No one in Legal", "No technical evaluator"),
        key_people=tuple(KeyPerson(c, readings[c].strength, i == 0) for i, c in enumerate(top)),
        breadth={"departments covered": "8 of 11"},
    )
