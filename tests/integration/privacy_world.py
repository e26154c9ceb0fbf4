"""A small world for privacy tests: one contact's personal data, and everyone around it.

Xena Quill worked at Globex and moved to Acme: Acme is her current account.
Her direct email and phone and two personal profile items are random canary
strings (a fresh tag per world), so a test can search any output for them; her
school is public. Around her:

* Gus (Globex) reports to her, so Globex's graph still holds her twice over;
* a meeting at Initech had her and Ian (Initech) in it, so Initech's graph
  holds her as a participant from elsewhere;
* an email with her at Acme was captured from a mailbox with its subject, which
  is personal data like her email (a canary too).

Our people, and whether they may see Xena's personal data (DOMAIN.md, Privacy):

=====  =========================================================  =========
who    what                                                       may see
=====  =========================================================  =========
ada    admin                                                      yes
amy    member, owner and on the team of Acme (her current)        yes
fay    member, on the team of Globex (her former account)         no
mo     member, on the team of Initech (another account)           no
ann    analyst, on the team of Initech                            no
eve    member, owned Acme until last year, no longer on its team  no
anon   no token at all                                            no
=====  =========================================================  =========
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import TOKEN_CACHE, create_token
from graph import model as m
from graph.settings import Settings
from graph.store import Store

XENA = "c-xena"
PEOPLE = ("ada", "amy", "fay", "mo", "ann", "eve")
MAY_SEE = frozenset({"ada", "amy"})
MAY_NOT_SEE = ("fay", "mo", "ann", "eve", "anon")


@dataclass(frozen=True)
class Canaries:
    """Xena's personal values, by the field an audit row names for them."""

    email: str
    phone: str
    family: str
    health: str
    public: str  # her public school: every signed-in user may read it
    subject: str  # of a meeting captured from a mailbox with --keep-subjects

    @property
    def personal(self) -> dict[str, str]:
        return {"email": self.email, "phone": self.phone, "family": self.family,
                "health": self.health, "subject": self.subject}

    def found_in(self, text: str) -> dict[str, str]:
        """The personal values that occur in ``text`` (case-insensitive), by field."""
        low = text.lower()
        return {f: v for f, v in self.personal.items() if v.lower() in low}


def canaries() -> Canaries:
    tag = secrets.token_hex(5)
    return Canaries(
        email=f"xq.{tag}@mail.example",
        phone=f"+1-555-{tag}",
        family=f"family-canary-{tag}",
        health=f"health-canary-{tag}",
        public=f"public-school-{tag}",
        subject=f"subject-canary-{tag}",
    )


def build(store: Store) -> Canaries:
    """Write the world into ``store``; returns Xena's canaries."""
    c = canaries()
    t0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    store.upsert("company", [
        m.Company(id="acme", name="Acme Corp", industry="Software", region="EMEA"),
        m.Company(id="globex", name="Globex", industry="Energy", region="NA"),
        m.Company(id="initech", name="Initech", industry="Software", region="NA"),
    ])
    store.upsert("user", [
        m.User(id="u-ada", name="Ada Admin", access=m.Access.ADMIN),
        m.User(id="u-amy", name="Amy Acme", access=m.Access.MEMBER),
        m.User(id="u-fay", name="Fay Former", access=m.Access.MEMBER),
        m.User(id="u-mo", name="Mo Other", access=m.Access.MEMBER),
        m.User(id="u-ann", name="Ann Analyst", access=m.Access.ANALYST),
        m.User(id="u-eve", name="Eve Ex", access=m.Access.MEMBER),
    ])
    # Xena at Globex first, then at Acme: the move keeps her Globex employment.
    xena = {"id": XENA, "name": "Xena Quill", "title": "VP Operations",
            "email": c.email, "phone": c.phone}
    store.upsert("contact", [{**xena, "company_id": "globex"}])
    store.upsert("contact", [
        {**xena, "company_id": "acme"},
        m.Contact(id="c-gus", company_id="globex", name="Gus Grant", title="Ops Manager"),
        m.Contact(id="c-ian", company_id="initech", name="Ian Irwin", title="CTO"),
        m.Contact(id="c-abe", company_id="acme", name="Abe Able", title="CFO"),
    ])
    store.upsert("profile_item", [
        m.ProfileItem(id="pi-x-family", contact_id=XENA, key="family", value=c.family,
                      visibility=m.Visibility.PERSONAL),
        m.ProfileItem(id="pi-x-health", contact_id=XENA, key="health", value=c.health,
                      visibility=m.Visibility.PERSONAL),
        m.ProfileItem(id="pi-x-school", contact_id=XENA, key="school", value=c.public,
                      visibility=m.Visibility.PUBLIC),
    ])
    store.link("REPORTS_TO", [m.ReportsTo(source="c-gus", target=XENA)])
    store.link("KNOWS", [m.Knows(source="u-amy", target=XENA, strength=0.8)])
    store.upsert("touchpoint", [
        m.Touchpoint(id="tp-acme", company_id="acme", type=m.TouchpointKind.MEETING, at=t0,
                     contact_ids=[XENA, "c-abe"], user_ids=["u-amy"],
                     outcome=m.Outcome.POSITIVE),
        m.Touchpoint(id="tp-globex", company_id="globex", type=m.TouchpointKind.CALL,
                     at=datetime(2025, 6, 1, tzinfo=UTC), contact_ids=[XENA, "c-gus"],
                     user_ids=["u-fay"]),
        m.Touchpoint(id="tp-initech", company_id="initech", type=m.TouchpointKind.EVENT,
                     at=t0, contact_ids=[XENA, "c-ian"], user_ids=["u-mo"]),
        # Captured (accountgraph capture --keep-subjects): its subject is personal data.
        m.Touchpoint(id="tp-captured", company_id="acme", type=m.TouchpointKind.EMAIL,
                     at=t0, contact_ids=[XENA], user_ids=["u-amy"], origin="capture",
                     subject=c.subject),
    ])
    store.upsert("opportunity", [
        m.Opportunity(id="o-acme", company_id="acme", name="Acme renewal", amount=40_000,
                      contact_ids=[XENA]),
    ])
    store.link("OWNS", [
        m.Owns(source="u-eve", target="acme", since=datetime(2024, 1, 1, tzinfo=UTC),
               until=datetime(2025, 1, 1, tzinfo=UTC)),
        m.Owns(source="u-amy", target="acme", since=datetime(2025, 1, 1, tzinfo=UTC)),
        m.Owns(source="u-fay", target="globex", since=datetime(2024, 1, 1, tzinfo=UTC)),
        m.Owns(source="u-mo", target="initech", since=datetime(2024, 1, 1, tzinfo=UTC)),
    ])
    store.link("ON_TEAM", [
        m.OnTeam(source="u-amy", target="acme", role=m.TeamRole.OWNER),
        m.OnTeam(source="u-fay", target="globex", role=m.TeamRole.OWNER),
        m.OnTeam(source="u-mo", target="initech", role=m.TeamRole.OWNER),
        m.OnTeam(source="u-ann", target="initech", role=m.TeamRole.ACCOUNT_MANAGER),
    ])
    return c


@dataclass
class World:
    client: TestClient
    store: Any
    canaries: Canaries
    tmp: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, who: str) -> dict[str, str]:
        return {} if who == "anon" else {"Authorization": f"Bearer {self.tokens[who]}"}

    def gql(self, who: str, query: str, variables: dict[str, Any] | None = None) -> str:
        """The whole response (status, headers and body) as text, for canary searches."""
        r = self.client.post("/graphql", json={"query": query, "variables": variables or {}},
                             headers=self.headers(who))
        return f"{r.status_code} {dict(r.headers)} {r.text}"

    def get(self, who: str, path: str) -> str:
        r = self.client.get(path, headers=self.headers(who), follow_redirects=False)
        return f"{r.status_code} {dict(r.headers)} {r.text}"

    def audit(self) -> list[m.AuditEvent]:
        out: list[m.AuditEvent] = []
        after = None
        while True:
            page = self.store.list("audit_event", after=after, limit=500)
            out += [e for e in page.items if isinstance(e, m.AuditEvent)]
            if page.next_cursor is None:
                return out
            after = page.next_cursor


def serve(store: Store, tmp_path: Any) -> Iterator[World]:
    """The app over the privacy world, with a token for each of our people."""
    TOKEN_CACHE.forget()
    found = build(store)
    tokens = {who: create_token(store, f"u-{who}")[0] for who in PEOPLE}
    app = create_app(Settings(data_dir=tmp_path / "data"), store=store)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield World(client, store, found, Path(tmp_path), tokens)
    TOKEN_CACHE.forget()
