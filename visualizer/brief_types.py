"""What an onboarding brief holds, as plain data: :mod:`visualizer.brief` fills it,
:mod:`visualizer.next_steps` reads it, :mod:`visualizer.brief_render` writes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    title: str | None
    department: str | None
    category: str
    strength: float
    known_by: list[tuple[str, float]]  # our users' names and pair strengths, strongest first
    left: bool = False
    single_point_of_failure: bool = False
    why_key: str = ""
    secondary: tuple[str, ...] = ()
    # The evidence behind ``strength``: how many touchpoints, and the latest.
    touchpoints: int = 0
    last_touch: datetime | None = None
    cut_departments: tuple[str, ...] = ()  # a single point of failure's: what we would lose
    cut_people: tuple[str, ...] = ()  # decision makers' node keys

    @property
    def where(self) -> str:
        """"VP Research, R&D": title and department, as far as we know them."""
        return ", ".join(x for x in (self.title, self.department) if x)

    def has(self, category: str) -> bool:
        return self.category == category or category in self.secondary


@dataclass(frozen=True)
class Touch:
    at: datetime
    kind: str
    subject: str | None
    contacts: list[str]
    users: list[str]
    outcome: str | None
    subject_of: tuple[str, ...] = ()  # contact ids whose personal data the subject shown is


@dataclass(frozen=True)
class Deal:
    name: str
    stage: str
    amount: float
    close_date: date | None
    contacts: list[str]


@dataclass(frozen=True)
class Note:
    contact: str
    key: str
    value: str
    by: str | None = None  # who entered it
    at: date | None = None


@dataclass(frozen=True)
class Departed:
    """A key person who left the account: a risk here, an opening where they went."""

    person: Person
    role: str  # their key role here, as a label ("Champion")
    category: str  # the same as a category name ("champion")
    left_on: date | None
    now_at: str | None  # the new company's name
    now_at_id: str | None
    opening: bool  # we can follow them there


@dataclass(frozen=True)
class Known:
    """Someone a previous owner knew, as they knew them at the handover."""

    name: str
    where: str  # title, department
    strength: float  # their pair strength at the handover
    touchpoints: int
    last_touch: date | None
    knows: float | None  # their "knows" link, where one exists
    current: bool  # still at the account
    key: str = ""


@dataclass(frozen=True)
class Handed:
    """One handover: who owned the account before, when, and what they knew."""

    name: str
    active: bool  # still one of our users
    since: date | None
    until: date
    successor: str | None
    touchpoints: int
    last_touch: date | None
    kinds: list[tuple[str, int]]  # touchpoint kinds they took part in, most first
    recent: list[Touch]
    knew_best: list[Known]
    notes: list[Note]  # the notes they entered that the viewer may read
    hidden_notes: int  # theirs the viewer may not read


@dataclass(frozen=True)
class Step:
    """One next step: what to do, the reading it answers, and why this person."""

    action: str
    answers: str  # the reading and its finding: "Relationship status: champion ... quiet"
    why: str  # why this person (or this step)

    def __str__(self) -> str:
        return f"{self.action} Answers {self.answers}. Why: {self.why}"


@dataclass
class Brief:
    company_id: str
    name: str
    facts: dict[str, str]  # industry, region, lifecycle... as shown
    owner: str | None
    team: list[tuple[str, str]]  # (name, role), the owner once and first
    status: str
    status_reasons: list[str]
    breadth: dict[str, Any]
    people_by_role: dict[str, list[Person]]  # category label -> people
    whitespace: list[str]
    recent: list[Touch]
    upcoming: list[Touch]
    deals: list[Deal]
    notes: list[Note]
    hidden_notes: int  # personal notes the viewer may not see
    risks: list[str]  # beyond the status reasons: nothing said twice
    next_steps: list[Step]
    as_of: datetime
    contacts: int
    personal_reads: list[tuple[str, str]] = field(default_factory=list)
    departed: list[Departed] = field(default_factory=list)
    handovers: list[Handed] = field(default_factory=list)
