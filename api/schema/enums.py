"""The model's enums, exposed to GraphQL (values as the model spells them).

``strawberry.enum`` registers each class in place; the names below are plain
aliases so type checkers see real classes.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from graph import model as m

for _enum in (m.Lifecycle, m.Function, m.Seniority, m.ContactStatus, m.UserRole,
              m.TouchpointKind, m.Direction, m.Outcome, m.Visibility, m.OpportunityStage,
              m.Access, m.TeamRole, m.AuditAction):
    strawberry.enum(_enum)

Lifecycle = m.Lifecycle
Function = m.Function
Seniority = m.Seniority
ContactStatus = m.ContactStatus
UserRole = m.UserRole
TouchpointKind = m.TouchpointKind
Direction = m.Direction
Outcome = m.Outcome
Visibility = m.Visibility
OpportunityStage = m.OpportunityStage
Access = m.Access
TeamRole = m.TeamRole
AuditAction = m.AuditAction


# Vocabularies of the readings. Categories are the shipped rules' (a team's rules
# file may add categories, never remove these: tables merge over the defaults);
# tests/unit/api/test_enums.py holds both lists to the readings' own.


@strawberry.enum(description="A contact's primary category: how they interact with us.")
class Category(Enum):
    DECISION_MAKER = "decision_maker"
    PURCHASER = "purchaser"
    FINANCE = "finance"
    END_USER = "end_user"
    TECHNICAL_EVALUATOR = "technical_evaluator"
    CHAMPION = "champion"
    ANALYST = "analyst"
    MEDIA = "media"
    INVESTOR = "investor"
    PARTNER = "partner"
    UNENGAGED = "unengaged"


@strawberry.enum(description="An account's relationship status (docs/readings.md).")
class AccountStatus(Enum):
    CAN_GROW = "can_grow"
    AT_RISK = "at_risk"
    NO_RELATIONSHIP = "no_relationship"
    DORMANT = "dormant"
    CHURNED = "churned"


@strawberry.enum(description="How to order accounts. STATUS: at risk, dormant, can grow, no "
                 "relationship, churned; LAST_TOUCH: latest first; BREADTH: most departments "
                 "covered, then most live relationships; CONTACTS: most first.")
class AccountSort(Enum):
    ID = "id"
    NAME = "name"
    STATUS = "status"
    LAST_TOUCH = "last_touch"
    BREADTH = "breadth"
    CONTACTS = "contacts"


@strawberry.enum(description="How to order contacts: NAME (A-Z), STRENGTH (strongest first), "
                 "LAST_TOUCH (latest first, never touched last).")
class ContactSort(Enum):
    NAME = "name"
    STRENGTH = "strength"
    LAST_TOUCH = "last_touch"
