"""The model's enums, exposed to GraphQL (values as the model spells them).

``strawberry.enum`` registers each class in place; the names below are plain
aliases so type checkers see real classes.
"""

from __future__ import annotations

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
