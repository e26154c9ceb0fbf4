"""Job titles as people write them: by function and level, tidy or in every real style."""

from __future__ import annotations

import random

from graph.model import Function, Seniority

C, VP, DIR, MGR, IC = (Seniority.C_LEVEL, Seniority.VP, Seniority.DIRECTOR,
                       Seniority.MANAGER, Seniority.INDIVIDUAL)
Table = dict[Function, dict[Seniority, tuple[str, ...]]]

# One tidy title per function and level, as a well-kept CRM holds them.
PLAIN: Table = {
    Function.EXECUTIVE: {C: ("Chief Executive Officer", "Chief Operating Officer", "President"),
                         VP: ("Vice President of Strategy",), DIR: ("Director of Strategy",),
                         MGR: ("Chief of Staff",), IC: ("Executive Assistant",)},
    Function.FINANCE: {C: ("Chief Financial Officer",), VP: ("Vice President of Finance",),
                       DIR: ("Finance Director", "Controller"),
                       MGR: ("Accounts Payable Manager", "Finance Manager"),
                       IC: ("Accounts Payable Specialist", "Accountant")},
    Function.IT: {C: ("Chief Information Officer",), VP: ("Vice President of IT",),
                  DIR: ("Director of IT",), MGR: ("IT Manager",),
                  IC: ("Systems Administrator", "Systems Engineer")},
    Function.RND: {C: ("Chief Technology Officer",), VP: ("Vice President of Engineering",),
                   DIR: ("Director of Engineering",), MGR: ("Engineering Manager",),
                   IC: ("Software Engineer", "Solutions Architect")},
    Function.OPERATIONS: {C: ("Chief Operating Officer",),
                          VP: ("Vice President of Operations",), DIR: ("Operations Director",),
                          MGR: ("Operations Manager",), IC: ("Operations Analyst",)},
    Function.SALES: {C: ("Chief Revenue Officer",), VP: ("Vice President of Sales",),
                     DIR: ("Sales Director",), MGR: ("Sales Manager",),
                     IC: ("Account Executive", "Sales Representative")},
    Function.MARKETING: {C: ("Chief Marketing Officer",), VP: ("Vice President of Marketing",),
                         DIR: ("Marketing Director",), MGR: ("Marketing Manager",),
                         IC: ("Marketing Specialist",)},
    Function.SUPPORT: {C: ("Chief Customer Officer",), VP: ("Vice President of Support",),
                       DIR: ("Director of Support",), MGR: ("Support Manager",),
                       IC: ("Support Specialist", "Customer Service Representative")},
    Function.PROCUREMENT: {C: ("Chief Procurement Officer",),
                           VP: ("Vice President of Procurement",),
                           DIR: ("Procurement Director",), MGR: ("Procurement Manager",),
                           IC: ("Buyer", "Procurement Specialist")},
    Function.OTHER: {C: ("Chief Research Officer",), VP: ("Vice President of Research",),
                     DIR: ("Research Director",), MGR: ("Research Manager",),
                     IC: ("Industry Analyst", "Senior Analyst")},
}

# The same jobs in the many ways real people and CRMs spell them.
VARIED: Table = {
    Function.EXECUTIVE: {C: ("CEO", "COO", "President & CEO", "Founder & CEO",
                             "Managing Director", "GM"),
                         VP: ("SVP Strategy", "EVP, Corporate Development", "Head of Strategy"),
                         DIR: ("Strategy Dir.", "Director, Business Transformation"),
                         MGR: ("Chief of Staff", "Office of the CEO - Manager"),
                         IC: ("EA to the CEO", "Executive Assistant")},
    Function.FINANCE: {C: ("CFO", "Chief Financial Officer", "Finance Director & CFO"),
                       VP: ("VP Finance", "SVP, Finance", "Head of Finance"),
                       DIR: ("Director, Finance", "Financial Controller", "Head of FP&A"),
                       MGR: ("AP Manager", "Finance & Operations Manager",
                             "Mgr, Accounts Payable", "Payables Team Lead"),
                       IC: ("AP Clerk", "Accounts Payable Specialist II", "Sr. Accountant",
                            "AP/AR Specialist")},
    Function.IT: {C: ("CIO", "CTO", "Chief Information & Digital Officer"),
                  VP: ("VP IT", "VP, Information Technology", "SVP Technology", "Head of IT"),
                  DIR: ("IT Director", "Director of IT", "Director, Infrastructure"),
                  MGR: ("IT Manager", "Mgr. IT Operations", "Infrastructure Lead"),
                  IC: ("Sr. Systems Administrator", "Network Engineer II", "IT Specialist",
                       "DevOps Engineer")},
    Function.RND: {C: ("CTO", "Chief Technology Officer"),
                   VP: ("VP Engineering", "VP of Engineering", "EVP, Product & Engineering",
                        "Head of Engineering"),
                   DIR: ("Engineering Director", "Director of Software Development",
                         "Head of Platform"),
                   MGR: ("Engineering Manager", "Software Development Manager", "Tech Lead"),
                   IC: ("Sr. Software Engineer II", "Software Engineer", "Staff Engineer",
                        "Principal Architect", "Developer")},
    Function.OPERATIONS: {C: ("COO", "Chief Operating Officer"),
                          VP: ("VP Ops", "Head of Operations", "SVP, Operations"),
                          DIR: ("Ops Director", "Director of Operations"),
                          MGR: ("Operations Mgr", "Business Operations Manager"),
                          IC: ("Business Operations Analyst", "Ops Specialist")},
    Function.SALES: {C: ("CRO", "Chief Revenue Officer"),
                     VP: ("SVP Sales", "Head of Sales", "VP, Sales EMEA"),
                     DIR: ("Regional Sales Director", "Sales Dir."),
                     MGR: ("Sales Mgr", "Inside Sales Manager"),
                     IC: ("AE", "Sr. Account Executive", "BDR")},
    Function.MARKETING: {C: ("CMO",), VP: ("VP, Marketing", "Head of Growth"),
                         DIR: ("Marketing Dir.", "Director of Demand Generation"),
                         MGR: ("Demand Gen Manager", "Marketing Ops Mgr"),
                         IC: ("Marketing Coordinator", "Content Specialist")},
    Function.SUPPORT: {C: ("CCO",), VP: ("VP Customer Success", "Head of Support"),
                       DIR: ("Director, Customer Care", "Support Dir."),
                       MGR: ("Support Team Lead", "Customer Success Manager"),
                       IC: ("Customer Support Rep", "Tier 2 Support Engineer", "CSM")},
    Function.PROCUREMENT: {C: ("CPO", "Chief Procurement Officer"),
                           VP: ("VP Procurement", "Head of Procurement"),
                           DIR: ("Director of Procurement", "Procurement Director",
                                 "Head of Purchasing"),
                           MGR: ("Purchasing Mgr", "Strategic Sourcing Manager",
                                 "Category Manager, IT"),
                           IC: ("Buyer II", "Sr. Buyer", "Procurement Specialist")},
    Function.OTHER: {C: ("Chief Research Officer",), VP: ("VP Research", "Head of Research"),
                     DIR: ("Research Director", "Research Dir."),
                     MGR: ("Research Manager",),
                     IC: ("Sr. Analyst", "Principal Analyst", "Industry Analyst")},
}

MEDIA_TITLES = ("Editor", "Technology Reporter", "Journalist", "Senior Editor",
                "Contributing Writer")
# Titles that say nothing about the job: people and CRMs are full of them.
UNHELPFUL = ("Consultant", "Associate", "Team Member", "Specialist", "Partner", "Lead",
             "Staff", "Employee", "Contractor", "N/A", "-", "see LinkedIn")


def title_for(
    rng: random.Random, function: Function, seniority: Seniority, *, media: bool = False,
    style: str = "plain", missing: float = 0.0, unhelpful: float = 0.0,
) -> str | None:
    """A title for someone of this function and level, or None when the CRM has none."""
    roll = rng.random()
    if roll < missing:
        return None
    if roll < missing + unhelpful:
        return rng.choice(UNHELPFUL)
    if media:
        return rng.choice(MEDIA_TITLES)
    table = VARIED if style == "varied" else PLAIN
    return rng.choice(table[function][seniority])
