"""What shapes a world: sizes, and the scenarios as presets of parameters.

A scenario switches off or on one thing our readings might lean on (role-shaped
interaction rates, departments, tidy titles...) so a reading that only worked
because of it shows it. Scenarios combine: ``params_for(["no_departments",
"title_styles"])`` applies both.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any

from graph.errors import ValidationError

# The world's "now" unless one is given: fixed, so a seed gives the same world any day.
WORLD_DATE = datetime(2026, 6, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Params:
    """Every knob of a world. Defaults: a realistic CRM near the third-party world's size."""

    accounts: int = 300
    contacts: int = 1_200
    touchpoints: int = 30_000
    # Expected opportunities; the deal process is scaled towards it, not forced to it.
    opportunities: int = 1_300
    users: int = 12
    history_days: int = 3 * 365
    # Generic interactions (email, call, meeting, demo, webinar, event, survey) come
    # at the same rate for every role; otherwise each role has its own habits.
    role_independent: bool = False
    # Signatures, POs, invoices, payments, tickets follow the roles that do them in
    # real companies (noisily); False: they land on any engaged contact.
    role_acts: bool = True
    # Champions behave like champions: inbound, sustained, introduce colleagues,
    # sit on most deals, give references and referrals.
    champion_behaviour: bool = True
    department_share: float = 0.8  # contacts with a department (0: no department data)
    seniority_share: float = 0.9  # contacts with a seniority
    title_style: str = "plain"  # "plain" or "varied" (abbreviations, Head of, X Director...)
    # CRMs miss titles and hold vague ones ("Consultant"): about one in eight here.
    title_missing: float = 0.08
    title_unhelpful: float = 0.05
    # How much accounts differ in appetite (log-odds sd): drives breadth and wins.
    health_sd: float = 1.0
    # Planted firmographic and seniority drivers of winning and losing (truth.drivers).
    drivers: bool = False
    # Multi-threading, an economic buyer and a champion on a deal help it win.
    committee_effects: bool = True
    # Share of deal-contact rows whose Role a rep filled in (OpportunityContactRole).
    entered_roles: float = 0.0
    # Of those, the share a rep got wrong (reps are busy).
    entered_role_errors: float = 0.1

    def __post_init__(self) -> None:
        for name in ("accounts", "contacts", "touchpoints", "opportunities", "users"):
            if getattr(self, name) < 0:
                raise ValidationError(f"world: {name} must be 0 or more", field=name)
        if self.contacts and not self.accounts:
            raise ValidationError("world: contacts need at least one account", field="accounts")
        if self.accounts and not self.users:
            raise ValidationError("world: accounts need at least one user", field="users")
        if self.title_style not in ("plain", "varied"):
            raise ValidationError(
                f"world: title_style {self.title_style!r} is not plain or varied",
                field="title_style")


SCENARIOS: dict[str, dict[str, Any]] = {
    # The realistic default: roles have habits, departments mostly known, tidy titles.
    "baseline": {},
    "role_independent": {"role_independent": True},
    "no_departments": {"department_share": 0.0},
    "title_styles": {"title_style": "varied", "title_missing": 0.12, "title_unhelpful": 0.1},
    "titles_only": {
        "role_independent": True, "role_acts": False, "champion_behaviour": False,
        "department_share": 0.0, "seniority_share": 0.0,
    },
    "drivers": {"drivers": True, "committee_effects": False, "health_sd": 0.3},
}


def params_for(scenarios: str | list[str] | tuple[str, ...] = (), **overrides: Any) -> Params:
    """The parameters of one or more scenarios (applied in order), then ``overrides``.

    >>> p = params_for(["no_departments", "title_styles"], accounts=20, contacts=80)
    >>> p.department_share, p.title_style, p.accounts
    (0.0, 'varied', 20)
    """
    names = [scenarios] if isinstance(scenarios, str) else list(scenarios)
    values: dict[str, Any] = {}
    for name in names:
        if name not in SCENARIOS:
            raise ValidationError(
                f"world: unknown scenario {name!r} (known: {', '.join(SCENARIOS)})",
                field="scenario", item=name)
        values.update(SCENARIOS[name])
    known = {f.name for f in fields(Params)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValidationError(f"world: unknown parameter {unknown[0]!r}", field=unknown[0])
    values.update(overrides)
    return replace(Params(), **values)
