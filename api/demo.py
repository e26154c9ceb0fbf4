"""Demo mode: a store with the demo world in it and one signed-in user per role.

``accountgraph demo`` (what ``make run`` calls) seeds the demo world into an
empty store, makes the demo users, prints a token for each, then serves.
Re-running it changes nothing: users are upserted by id, and the demo tokens are
kept beside the store (``demo-tokens.json`` in the data folder, readable by its
owner only) and printed again while they still work, so a browser signed in
before a restart stays signed in. A token that no longer works (revoked,
expired, or the file is gone) is replaced by a fresh one, and the old demo
tokens are revoked so they do not pile up.

The demo world is made as of a fixed day (:data:`seed.generator.REFERENCE_NOW`),
so the demo reads every account as of that day (``Settings.as_of``) and every
page says so: the story stays the same whenever it is opened.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from api.auth import AuthError, authenticate, create_token, list_tokens, revoke_token
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


def world_date() -> date | None:
    """The day the demo world is made as of (None: the generator is not installed)."""
    try:
        from seed.generator import REFERENCE_NOW
    except ImportError:
        return None
    return REFERENCE_NOW.date()


def _kept(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in found.items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _keep(path: Path | None, tokens: dict[str, str]) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        # Owner-only from the start: the file holds working tokens.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(tokens, f, sort_keys=True)
        tmp.replace(path)
    except OSError:
        pass  # a read-only folder: new tokens at the next start, as before


def _still_works(store: Store, user_id: str, token: str | None) -> bool:
    if not token:
        return False
    try:
        return authenticate(store, token).id == user_id
    except AuthError:
        return False


def make_demo_users(store: Store, keep: Path | None = None) -> list[DemoLogin]:
    """Upsert the demo users, put the member on a team, and give each a token.

    ``keep``: a file where the tokens are kept between runs; a kept token that
    still works is handed out again instead of a new one.
    """
    store.upsert("user", list(DEMO_USERS))
    account = _team_account(store)
    if account is not None:
        store.link("ON_TEAM", [m.OnTeam(source="demo-member", target=account)])
        if not any(getattr(r, "until", 0) is None
                   for r in store.relationships("OWNS", target=account)):
            store.link("OWNS", [m.Owns(source="demo-member", target=account,
                                       since=datetime.now(UTC))])
    logins = []
    kept = _kept(keep)
    for user in DEMO_USERS:
        token = kept.get(user.id)
        if not _still_works(store, user.id, token):
            for old in list_tokens(store, user.id):
                if old.name == DEMO_TOKEN_NAME and old.revoked_at is None:
                    revoke_token(store, old.id)
            token, _ = create_token(store, user.id, name=DEMO_TOKEN_NAME, expires_in_days=30)
            kept[user.id] = token
        assert token is not None
        note = {
            m.Access.ADMIN: "sees everything, reads the audit trail",
            m.Access.ANALYST: "whole database; personal items redacted",
        }.get(m.Access(user.access), f"on the team of {account}: sees its personal items"
              if user.id == "demo-member" else "on no team: personal items redacted")
        logins.append(DemoLogin(user, token, note))
    _keep(keep, kept)
    return logins
