"""Our own people and the account teams they sit on."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from graph.model import Access, OnTeam, Owns, TeamRole, User, UserRole
from seed.generator import vocab
from seed.generator.plan import CompanyPlan, Scenario
from seed.generator.sizes import REFERENCE_NOW
from seed.generator.touchpoints import Team


@dataclass(frozen=True)
class Staff:
    """Every user, by role; ``former`` account managers have left us."""

    users: list[User]
    managers: list[str]
    former: list[str]
    reps: list[str]
    support: list[str]
    executives: list[str]


def _access(so_far: list[User], role: UserRole) -> Access:
    # One admin (the first user) and one analyst seat (the first executive),
    # so the demo can show both views.
    if not so_far:
        return Access.ADMIN
    if role is UserRole.EXECUTIVE and all(u.role is not role for u in so_far):
        return Access.ANALYST
    return Access.MEMBER


def make_staff(seed: int, companies: int) -> Staff:
    """Enough of our people for ``companies`` accounts (about a dozen each)."""
    rng = random.Random(f"accountgraph:{seed}:staff")
    n_am = max(3, -(-companies // 12))
    counts = (
        (UserRole.ACCOUNT_MANAGER, n_am, True),
        (UserRole.ACCOUNT_MANAGER, max(1, n_am // 4), False),
        (UserRole.SALES_REP, max(2, n_am // 2), True),
        (UserRole.SUPPORT_ENGINEER, max(2, n_am // 2), True),
        (UserRole.EXECUTIVE, max(2, n_am // 10), True),
    )
    groups: list[list[str]] = []
    users: list[User] = []
    width = max(4, len(str(n_am * 3)))
    for role, n, active in counts:
        ids = []
        for _ in range(n):
            uid = f"u-{len(users) + 1:0{width}d}"
            first, last = rng.choice(vocab.USER_FIRST), rng.choice(vocab.USER_LAST)
            users.append(
                User(
                    id=uid,
                    name=f"{first} {last}",
                    email=f"{first}.{last}.{uid}@{vocab.OUR_DOMAIN}".lower(),
                    role=role,
                    access=_access(users, role),
                    active=active,
                )
            )
            ids.append(uid)
        groups.append(ids)
    managers, former, reps, support, executives = groups
    return Staff(users, managers, former, reps, support, executives)


def make_team(
    rng: random.Random, plan: CompanyPlan, staff: Staff
) -> tuple[Team, list[OnTeam], list[Owns], dict[str, str]]:
    """The account team, its ON_TEAM and OWNS relationships, and notes for the manifest.

    One current owner per account; about a third of accounts changed hands,
    some from an account manager who has since left us (the onboarding case).
    """
    owner = staff.managers[plan.index % len(staff.managers)]
    reps = [rng.choice(staff.reps)]
    support = [rng.choice(staff.support)]
    execs = [rng.choice(staff.executives)] if plan.scenario in (
        Scenario.GROWING, Scenario.MAP) or rng.random() < 0.15 else []
    team = [OnTeam(source=owner, target=plan.id, role=TeamRole.OWNER)]
    team += [OnTeam(source=u, target=plan.id, role=TeamRole.SALES_REP) for u in reps]
    team += [OnTeam(source=u, target=plan.id, role=TeamRole.SUPPORT) for u in support]
    team += [OnTeam(source=u, target=plan.id, role=TeamRole.EXECUTIVE_SPONSOR) for u in execs]
    notes = {"owner": owner}
    first = REFERENCE_NOW - timedelta(days=rng.randrange(400, 2000))
    owns: list[Owns] = []
    if rng.random() < 0.33 or plan.scenario is Scenario.CHAMPION_LEFT:
        before = rng.choice(staff.former if rng.random() < 0.6 else staff.managers)
        if before == owner:
            before = staff.former[0]
        handover = REFERENCE_NOW - timedelta(days=rng.randrange(20, 380))
        owns.append(Owns(source=before, target=plan.id, since=first, until=handover))
        owns.append(Owns(source=owner, target=plan.id, since=handover))
        notes["previous_owner"] = before
    else:
        owns.append(Owns(source=owner, target=plan.id, since=first))
    return Team(owner, reps, support, execs), team, owns, notes


def before_handover(
    company_id: str, owner: str, owns: list[Owns], touchpoints: list[Any], items: list[Any],
    build: Callable[..., Any],
) -> tuple[list[Any], list[Any]]:
    """What the owner did at the account before a handover was the previous owner's.

    Touchpoints are drawn with the current owner whatever their date; before the
    handover the previous owner took part instead, and entered the notes, so a rep
    who inherits the account finds what their predecessor knew. No random draw is
    made: the rest of the world is what it was.
    """
    ended = [o for o in owns if o.until is not None and o.source != owner]
    if not ended:
        return touchpoints, items
    before, cut = ended[-1].source, ended[-1].until
    assert cut is not None

    def theirs(ids: list[str]) -> list[str]:
        return list(dict.fromkeys(before if u == owner else u for u in ids))

    tps = [build(type(t), **{**dict(t), "user_ids": theirs(t.user_ids)})
           if t.company_id == company_id and t.at < cut and owner in t.user_ids else t
           for t in touchpoints]
    notes = [build(type(i), **{**dict(i), "entered_by": before})
             if i.entered_by == owner and i.entered_at is not None and i.entered_at < cut else i
             for i in items]
    return tps, notes
