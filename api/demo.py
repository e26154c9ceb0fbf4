"""Demo mode: a store with the demo world in it and one signed-in user per role.

``accountgraph demo`` (what ``make run`` calls) seeds the demo world into an
empty store, makes the demo users, prints a fresh token for each, then serves.
Re-running it changes nothing but the tokens: users are upserted by id, and the
previous demo tokens are revoked so they do not pile up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from api.auth import create_token, list_tokens, revoke_token
from graph import model as m
from graph.store import Store

DEMO_TOKEN_NAME = "demo"

DEMO_USERS = (
    m.User(id="demo-admin", name="Demo Admin", access=m.Access.ADMIN,
           role=m.UserRole.EXECUTIVE),
    m.User(id="demo-analyst", name="Demo Analyst", access=m.Access.ANALYST,
           role=m.UserRole.SALES_REP),
    m.User(id="demo-member", name="Demo Member (on a team)", access=m.Access.MEMBER),
    m.User(id="demo-outsider", name="Demo Outsider", access=m.Access.MEMBER),
)


@dataclass(frozen=True)
class DemoLogin:
    user: m.User
    token: str
    note: str


def seed_if_empty(store: Store, size: str = "demo", seed: int = 42) -> str:
    """Load the demo world when the store has no companies; says what it did."""
    if store.list("company", limit=1).total:
        return "store already has data: not seeding"
    try:
        from seed.generator import generate, preset
        from seed.load import load_world
    except ImportError as exc:  # the generator is another part; say so and go on
        return f"demo world generator not available ({exc}); serving an empty store"
    load_world(store, generate(seed=seed, sizes=preset(size)))
    return f"seeded the {size!r} demo world"


def _team_account(store: Store) -> str | None:
    """The account the demo member joins: the first one that has personal profile items."""
    page = store.list("profile_item", {"visibility": m.Visibility.PERSONAL.value}, limit=50)
    contact_ids = sorted({p.contact_id for p in page.items if isinstance(p, m.ProfileItem)})
    for contact in store.get_many("contact", contact_ids).values():
        if isinstance(contact, m.Contact):
            return contact.company_id
    first = store.list("company", limit=1).items
    return first[0].id if first else None


def make_demo_users(store: Store) -> list[DemoLogin]:
    """Upsert the demo users, put the member on a team, and issue fresh tokens."""
    store.upsert("user", list(DEMO_USERS))
    account = _team_account(store)
    if account is not None:
        store.link("ON_TEAM", [m.OnTeam(source="demo-member", target=account)])
        if not any(getattr(r, "until", 0) is None
                   for r in store.relationships("OWNS", target=account)):
            store.link("OWNS", [m.Owns(source="demo-member", target=account,
                                       since=datetime.now(UTC))])
    logins = []
    for user in DEMO_USERS:
        for old in list_tokens(store, user.id):
            if old.name == DEMO_TOKEN_NAME and old.revoked_at is None:
                revoke_token(store, old.id)
        token, _ = create_token(store, user.id, name=DEMO_TOKEN_NAME, expires_in_days=30)
        note = {
            m.Access.ADMIN: "sees everything, reads the audit trail",
            m.Access.ANALYST: "whole database; personal items redacted",
        }.get(m.Access(user.access), f"on the team of {account}: sees its personal items"
              if user.id == "demo-member" else "on no team: personal items redacted")
        logins.append(DemoLogin(user, token, note))
    return logins
