"""How big a world to build, and the fixed clock it is built against."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from graph.errors import ValidationError

# "Now" in the generated world. Fixed, never the wall clock, so the same seed
# gives the same data on any day; touchpoints span the three years before it.
REFERENCE_NOW = datetime(2026, 11, 1, tzinfo=UTC)
HISTORY_DAYS = 3 * 365

# The account built for relationship-map tests, and the contact budget a world
# needs before it gets one (below that it would swamp every other account).
MAP_ACCOUNT_CONTACTS = 2_000
MAP_ACCOUNT_MIN_BUDGET = 3_000


@dataclass(frozen=True)
class Sizes:
    """Exact totals the generator produces for the three volume kinds.

    Everything else (departments, users, profile items, opportunities,
    relationships) follows from these and is counted in the world's report.
    """

    companies: int
    contacts: int
    touchpoints: int

    def __post_init__(self) -> None:
        for name in ("companies", "contacts", "touchpoints"):
            if getattr(self, name) < 0:
                raise ValidationError(
                    f"sizes: {name} must be 0 or more, got {getattr(self, name)}", field=name
                )
        if self.contacts and not self.companies:
            raise ValidationError(
                "sizes: contacts need at least one company (give --companies 1 or more)",
                field="companies",
            )
        if self.touchpoints and not self.contacts:
            raise ValidationError(
                "sizes: touchpoints need at least one contact (give --contacts 1 or more)",
                field="contacts",
            )


# demo: about 40 companies and 1,500 ordinary contacts, plus the 2,000-contact
# map account (so 3,500 contacts in all), loading in a few seconds.
PRESETS: dict[str, Sizes] = {
    "demo": Sizes(companies=40, contacts=3_500, touchpoints=20_000),
    "small": Sizes(companies=12, contacts=300, touchpoints=2_000),
    "large": Sizes(companies=10_000, contacts=1_000_000, touchpoints=10_000_000),
}


def preset(name: str) -> Sizes:
    """The sizes of a named preset; the error lists the names there are."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ValidationError(
            f"unknown size {name!r}; one of {', '.join(PRESETS)}, or give counts", field="size"
        ) from None
