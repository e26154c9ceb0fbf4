"""Globex: a small account whose right answers are obvious by eye.

Globex Corp
├── Finance: Dana (decision maker, strong, known by our Uma)   hobby sailing (public)
│                                                             family "two kids" (personal)
├── IT:      Eli  (champion, has left, reports to Dana)
└── (none):  Finn (unengaged)
Olga works elsewhere and knows Dana; Uma owns the account; Uma and Eli met at the summit.
"""

from __future__ import annotations

from datetime import UTC, datetime

import networkx as nx
import pytest

from graph.neighbourhood import GraphBuilder
from visualizer.inputs import AccountReadings, ContactReading, KeyPerson


def globex_graph() -> nx.MultiDiGraph:
    b = GraphBuilder("globex")
    b.node("company", {"id": "globex", "name": "Globex Corp", "lifecycle": "customer"})
    for fn in ("Finance", "IT"):
        d = f"globex/{fn.lower()}"
        b.node("department", {"id": d, "company_id": "globex", "function": fn, "name": fn})
        b.edge("HAS_DEPARTMENT", ("company", "globex"), ("department", d))
    people = [
        ("dana", "Dana Scott", "CFO", "globex/finance", "active"),
        ("eli", "Eli Park", "IT Manager", "globex/it", "left"),
        ("finn", "Finn Moss", "Analyst", None, "active"),
    ]
    for cid, name, title, dept, status in people:
        b.node("contact", {"id": cid, "company_id": "globex", "name": name, "title": title,
                           "department_id": dept, "status": status})  # fmt: skip
        b.edge("EMPLOYED_AT", ("contact", cid), ("company", "globex"))
        if dept:
            b.edge("WORKS_IN", ("contact", cid), ("department", dept))
    b.node("contact", {"id": "olga", "company_id": "initech", "name": "Olga Ray"}, outside=True)
    b.edge(
        "KNOWS", ("contact", "olga"), ("contact", "dana"), {"strength": 0.6, "origin": "MBA class"}
    )
    b.edge("REPORTS_TO", ("contact", "eli"), ("contact", "dana"))
    b.node("user", {"id": "uma", "name": "Uma Reed", "role": "account_manager"})
    b.edge("OWNS", ("user", "uma"), ("company", "globex"))
    summit = datetime(2026, 9, 14, tzinfo=UTC)
    b.node("touchpoint", {"id": "t-summit", "company_id": "globex", "touchpoint_kind": "event",
                          "at": summit, "subject": "2026 summit"})  # fmt: skip
    for kind, pid in (("user", "uma"), ("contact", "eli"), ("contact", "dana")):
        b.edge("PARTICIPATED_IN", (kind, pid), ("touchpoint", "t-summit"))
    for pid, key, value, vis in (
        ("p1", "hobby", "sailing", "public"),
        ("p2", "family", "two kids", "personal"),
    ):
        b.node("profile_item", {"id": pid, "contact_id": "dana", "key": key, "value": value,
                                "visibility": vis})  # fmt: skip
        b.edge("HAS_PROFILE_ITEM", ("contact", "dana"), ("profile_item", pid))
    return b.G


def globex_readings() -> AccountReadings:
    dana = ContactReading(
        "decision_maker", ("finance",), ("signed the 2025 renewal",), 0.8, {"user:uma": 0.7}
    )
    return AccountReadings(
        status="at_risk",
        status_reasons=("single-threaded: Dana carries 80% of the strength", "champion Eli left"),
        contacts={
            "contact:dana": dana,
            "contact:eli": ContactReading("champion", (), ("ran pilot",), 0.3, {"user:uma": 0.2}),
            "contact:finn": ContactReading("unengaged", (), ("no touchpoints",), 0.0),
            "contact:olga": ContactReading("unengaged", (), (), 0.0),
        },
        whitespace=("No one in IT now Eli has left", "No technical evaluator"),
        key_people=(KeyPerson("contact:dana", 0.9, True, "only route to Finance"),),
        breadth={"departments covered": "1 of 2"},
    )  # fmt: skip


@pytest.fixture
def globex() -> nx.MultiDiGraph:
    return globex_graph()


@pytest.fixture
def readings() -> AccountReadings:
    return globex_readings()
