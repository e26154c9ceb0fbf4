"""Write a world as a Salesforce-style export that ``accountgraph import --manifest`` reads.

One CSV per object with standard API field names (Account, Contact, Task, Event,
Opportunity, OpportunityContactRole, User, AccountTeamMember, TaskRelation,
EventRelation), the custom fields such an org would add, the mapping
(``salesforce.toml``, shipped beside this module) and ``import.toml``, the manifest.

The export carries what a Salesforce org holds and no more: the truth stays out
(``OpportunityContactRole.Role`` and ``IsPrimary`` are blank unless the world was
built with ``entered_roles``). Activities name one contact (``WhoId``) and one
owner; the others are in TaskRelation/EventRelation, which the importer does not
read yet, nor OpportunityContactRole or AccountTeamMember (see docs/worlds.md).
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from graph.model import Lifecycle, OpportunityStage, TeamRole, TouchpointKind, UserRole
from seed.worlds import vocab
from seed.worlds.world import CrmWorld

MAPPING = Path(__file__).with_name("salesforce.toml")
# Kinds Salesforce keeps as Events (on a calendar); the rest are Tasks.
EVENT_KINDS = frozenset({TouchpointKind.MEETING, TouchpointKind.DEMO, TouchpointKind.WEBINAR,
                         TouchpointKind.EVENT, TouchpointKind.ANALYST_BRIEFING})
TYPE = {
    "email": "Email", "call": "Call", "meeting": "Meeting", "demo": "Demo",
    "webinar": "Webinar", "event": "Conference", "direct_mail": "Mailer", "survey": "Survey",
    "support_ticket": "Support Case", "invoice": "Invoice", "payment": "Payment",
    "purchase_order": "Purchase Order", "contract_signature": "Contract Signed",
    "reference": "Reference", "referral": "Referral", "press_inquiry": "Press Inquiry",
    "analyst_briefing": "Analyst Briefing",
}
STAGE = {
    OpportunityStage.PROSPECTING: "Prospecting", OpportunityStage.QUALIFICATION: "Qualification",
    OpportunityStage.PROPOSAL: "Proposal/Price Quote",
    OpportunityStage.NEGOTIATION: "Negotiation/Review",
    OpportunityStage.CLOSED_WON: "Closed Won", OpportunityStage.CLOSED_LOST: "Closed Lost",
}
LEAD_SOURCE = {
    "marketing": "Web", "event": "Trade Show", "purchased": "Purchased List", "sales": "Partner",
    "finance": "Accounts Payable", "support": "Support Portal",
    "investor_relations": "Public Relations",
}
ACCOUNT_TYPE = {Lifecycle.CUSTOMER: "Customer - Direct", Lifecycle.CHURNED: "Former Customer"}
USER_ROLE = {UserRole.ACCOUNT_MANAGER: "Account Manager", UserRole.SALES_REP: "Sales Rep",
             UserRole.SUPPORT_ENGINEER: "Support Engineer", UserRole.EXECUTIVE: "Executive"}
TEAM_ROLE = {TeamRole.OWNER: "Account Manager", TeamRole.ACCOUNT_MANAGER: "Account Manager",
             TeamRole.SALES_REP: "Sales Rep", TeamRole.SUPPORT: "Customer Support",
             TeamRole.EXECUTIVE_SPONSOR: "Executive Sponsor"}
OPPORTUNITY_TYPE = {"new": "New Business", "renewal": "Existing Customer - Renewal",
                    "expansion": "Existing Customer - Upgrade"}
MANIFEST = """\
# A measuring world as Salesforce would export it; `accountgraph import --manifest import.toml`.
# Not listed (the importer does not read them yet): AccountTeamMember.csv,
# TaskRelation.csv, EventRelation.csv.
{files}"""
FILES = (("User.csv", "users"), ("Account.csv", "companies"), ("Contact.csv", "contacts"),
         ("Contact_Profile__c.csv", "profile_items"), ("Opportunity.csv", "opportunities"),
         ("OpportunityContactRole.csv", "deal_roles"), ("Task.csv", "touchpoints"),
         ("Event.csv", "touchpoints"))


def _when(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _bool(value: bool | None) -> str:
    return "" if value is None else str(value).lower()


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(["" if v is None else v for v in row] for row in rows)


def write_salesforce(world: CrmWorld, folder: Path) -> Path:
    """Write ``world`` into ``folder`` as a Salesforce export; returns the manifest's path."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(MAPPING, folder / "salesforce-world.toml")
    owner = {o.target: o.source for o in world.owners}
    _write(folder / "User.csv", ("Id", "FirstName", "LastName", "Email", "UserRole", "IsActive"),
           ((u.id, *u.name.split(" ", 1), u.email, USER_ROLE[u.role], _bool(u.active))
            for u in world.users))
    _write(folder / "Account.csv",
           ("Id", "Name", "Website", "Industry", "NumberOfEmployees", "AnnualRevenue",
            "Region__c", "Type", "Target_Account__c", "OwnerId"),
           ((c.id, c.name, c.domain, c.industry,
             vocab.SIZE_EMPLOYEES[vocab.SIZE_BANDS.index(c.size_band or "1-50")],
             int(vocab.REVENUE_AMOUNTS[vocab.REVENUE_BANDS.index(c.revenue_band or "<1M")]),
             c.region, ACCOUNT_TYPE.get(c.lifecycle, "Prospect"), _bool(c.target),
             owner.get(c.id)) for c in world.companies))
    function = {d.id: d.function.value for d in world.departments}
    _write(folder / "Contact.csv",
           ("Id", "AccountId", "FirstName", "LastName", "Email", "Title", "Department",
            "Seniority__c", "LeadSource"),
           ((c.id, c.company_id, *c.name.split(" ", 1), c.email, c.title,
             function.get(c.department_id or ""), c.seniority.value if c.seniority else None,
             LEAD_SOURCE[c.sources[0].value] if c.sources else None) for c in world.contacts))
    _write(folder / "Contact_Profile__c.csv",
           ("Id", "Contact__c", "Key__c", "Value__c", "Visibility__c", "CreatedById",
            "CreatedDate"),
           ((p.id, p.contact_id, p.key, p.value, p.visibility.value.capitalize(), p.entered_by,
             _when(p.entered_at) if p.entered_at else None) for p in world.profile_items))
    _write(folder / "Opportunity.csv",
           ("Id", "AccountId", "Name", "Amount", "StageName", "CloseDate", "Type", "OwnerId"),
           ((o.id, o.company_id, o.name, f"{o.amount:.2f}", STAGE[o.stage],
             o.close_date.isoformat() if o.close_date else None,
             OPPORTUNITY_TYPE[world.deal_kinds[o.id]], owner.get(o.company_id))
            for o in world.opportunities))
    _write(folder / "OpportunityContactRole.csv",
           ("Id", "OpportunityId", "ContactId", "Role", "IsPrimary"),
           ((f"ocr-{i:06d}", r.opportunity_id, r.contact_id, r.role, _bool(r.is_primary))
            for i, r in enumerate(world.deal_roles, start=1)))
    _write(folder / "AccountTeamMember.csv", ("Id", "AccountId", "UserId", "TeamMemberRole"),
           ((f"atm-{i:05d}", t.target, t.source, TEAM_ROLE[t.role])
            for i, t in enumerate(world.teams, start=1)))
    _activities(world, folder)
    manifest = folder / "import.toml"
    # A file with a header and no rows is refused by the importer: list only full ones.
    listed = [(name, kind) for name, kind in FILES
              if len((folder / name).read_text(encoding="utf-8").splitlines()) > 1]
    manifest.write_text(MANIFEST.format(files="".join(
        f'\n[[files]]\npath = "{name}"\nkind = "{kind}"\nmapping = "salesforce-world.toml"\n'
        for name, kind in listed)), encoding="utf-8")
    return manifest


def _activities(world: CrmWorld, folder: Path) -> None:
    common = ("Id", "WhoId", "AccountId", "OwnerId", "Subject", "Type", "Direction__c",
              "Outcome__c", "Campaign__c")
    tasks, events, task_rel, event_rel = [], [], [], []
    for t in world.touchpoints:
        row = [t.id, t.contact_ids[0] if t.contact_ids else None, t.company_id,
               t.user_ids[0] if t.user_ids else None, t.subject, TYPE[t.type.value],
               t.direction.value.capitalize(),
               t.outcome.value.replace("_", " ").title() if t.outcome else None, t.campaign]
        if t.type in EVENT_KINDS:
            events.append([*row, _when(t.at), t.at.date().isoformat(), "Event"])
            event_rel += [(t.id, c, "false", "true", "false") for c in t.contact_ids]
        else:
            tasks.append([*row, _when(t.at), t.at.date().isoformat(), "Task", "Completed"])
            task_rel += [(t.id, c, "false") for c in t.contact_ids]
    _write(folder / "Task.csv", (*common, "CompletedDateTime", "ActivityDate", "TaskSubtype",
                                 "Status"), tasks)
    _write(folder / "Event.csv", (*common, "ActivityDateTime", "ActivityDate", "EventSubtype"),
           events)
    _write(folder / "TaskRelation.csv", ("TaskId", "RelationId", "IsWhat"), task_rel)
    _write(folder / "EventRelation.csv",
           ("EventId", "RelationId", "IsParent", "IsInvitee", "IsWhat"), event_rel)
