"""Addresses to people: our users, known contacts, new contacts at known companies.

Rules, in order, for each address of a message or meeting:

1. on the ``--exclude`` list (the address, or its domain): dropped, before
   anything else looks at it;
2. one of our users' addresses -> that user; another address at one of our
   domains -> nobody (a shared mailbox, a colleague not in accountgraph);
3. a contact's address (normalised) -> that contact, at any domain;
4. at a known company's web domain (or a subdomain of it), not a role address
   (``info@``, ``sales@``...), not free mail -> the contact the importer's
   identity resolution finds (:class:`seed.imports.identity.Identities`, rule
   ``name+company`` for someone known by name only) or a new contact, whose
   sources say ``capture``;
5. anything else (free mail, unknown domains) -> nobody.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from graph import model as m
from graph.privacy import CAPTURED
from seed.capture.interaction import Address
from seed.imports.identity import Identities
from seed.imports.normalise import normalise_domain

Job = tuple[str, date | None, date | None]  # company, start, end

SOURCE = CAPTURED  # the identity namespace (and touchpoint origin) of what capture makes

FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de",
    "ymail.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "outlook.com",
    "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "gmx.de", "gmx.net",
    "gmx.com", "web.de", "t-online.de", "proton.me", "protonmail.com", "mail.com",
    "yandex.ru", "yandex.com", "zoho.com", "qq.com", "163.com", "126.com", "fastmail.com",
    "orange.fr", "free.fr", "laposte.net", "libero.it", "btinternet.com", "comcast.net",
})
# Shared mailboxes, not people: never made into contacts.
ROLE_LOCALS = frozenset({
    "info", "sales", "support", "admin", "billing", "accounts", "accounting", "invoices",
    "invoice", "ap", "ar", "hello", "contact", "office", "team", "marketing", "noreply",
    "no-reply", "donotreply", "postmaster", "mailer-daemon", "help", "service", "hr",
    "jobs", "careers", "press", "media", "legal", "privacy", "security", "webmaster",
    "enquiries", "inquiries", "orders", "purchasing", "procurement", "reception",
})

# Why an address became nobody (counted in the summary).
EXCLUDED = "excluded (--exclude)"
OUR_OTHER = "our domain, not a user"
FREE = "free mail, not a contact"
UNKNOWN = "unknown domain"
ROLE = "shared mailbox (info@, sales@...)"


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1]


def _within(domain: str, domains: frozenset[str]) -> bool:
    """``domain`` is one of ``domains`` or a subdomain of one (mail.acme.com -> acme.com)."""
    parts = domain.split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts) - 1))


def display_name(name: str) -> str:
    """A display name as a person writes it: Outlook's ``Smith, Jo`` is Jo Smith."""
    name = " ".join(name.strip().strip("'\"").split())
    last, comma, first = name.partition(",")
    if comma and "," not in first and first.strip() and " " not in last.strip():
        return f"{first.strip()} {last.strip()}"
    return name


def name_from(address: Address) -> str:
    """The display name, or one made from the address's local part (``jo.smith`` -> Jo Smith)."""
    name = display_name(address.name)
    if name and "@" not in name:
        return name
    local = address.email.split("@", 1)[0]
    words = [w for w in local.replace("_", ".").replace("-", ".").split(".") if w]
    return " ".join(w.capitalize() for w in words) or local


@dataclass
class Found:
    """The people of one message or meeting."""

    user_ids: list[str] = field(default_factory=list)
    contact_ids: list[str] = field(default_factory=list)
    # each contact's company then (their address's), in order: the touchpoint's account
    companies: list[str] = field(default_factory=list)
    sender_ours: bool = False


@dataclass
class People:
    """Resolves addresses for one run; remembers the contacts it made or filled."""

    ids: Identities
    our_domains: frozenset[str]
    exclude: frozenset[str] = frozenset()  # addresses and domains, lower case
    new_contacts: dict[str, m.Contact] = field(default_factory=dict)  # made this batch
    emails_found: dict[str, str] = field(default_factory=dict)  # contact id -> email to fill
    ignored: Counter[str] = field(default_factory=Counter)
    merges: Counter[str] = field(default_factory=Counter)  # identity rule -> addresses
    # contact id -> (company, start, end) of each employment: asked only for the few
    # whose address is at another known company than their current one
    employments: Callable[[str], list[Job]] = lambda _: []
    _jobs: dict[str, list[Job]] = field(default_factory=dict)
    _domains: dict[str, tuple[bool, bool]] = field(default_factory=dict)
    _companies: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def of(cls, ids: Identities, our_domains: Iterable[str], exclude: Iterable[str],
           employments: Callable[[str], list[Job]] | None = None) -> People:
        ours = {normalise_domain(d) for d in our_domains if d}
        ours |= {domain_of(e) for e in ids.user_by_email}
        return cls(ids, frozenset(ours), frozenset(x.strip().lower().lstrip("@")
                                                   for x in exclude if x.strip()),
                   employments=employments or (lambda _: []))

    def _domain(self, domain: str) -> tuple[bool, bool]:
        """(excluded, ours) of a domain, worked out once per domain."""
        known = self._domains.get(domain)
        if known is None:
            known = self._domains[domain] = (_within(domain, self.exclude),
                                             _within(domain, self.our_domains))
        return known

    def excluded(self, email: str) -> bool:
        return email in self.exclude or self._domain(domain_of(email))[0]

    def is_ours(self, email: str) -> bool:
        return self._domain(domain_of(email))[1]

    def company_at(self, domain: str) -> str | None:
        """The known company whose web domain ``domain`` is (or is under)."""
        if domain in FREE_MAIL:
            return None
        if domain in self._companies:
            return self._companies[domain]
        parts = domain.split(".")
        hit = None
        for i in range(len(parts) - 1):
            hit = self.ids.company_by_domain.get(".".join(parts[i:]))
            if hit:
                break
        self._companies[domain] = hit
        return hit

    def _employer(self, contact: str, email: str, at: datetime | None) -> str:
        """The company a contact took part for: their current one, unless their address is
        at another known company's domain (they have moved since, or use an old address),
        when their employment history at ``at`` decides."""
        current = self.ids.contact_company[contact]
        there = self.company_at(domain_of(email))
        if there is None or there == current or at is None:
            return current
        jobs = self._jobs.get(contact)
        if jobs is None:
            jobs = self._jobs[contact] = self.employments(contact)
        day = at.date()
        for company, start, end in jobs:
            if (start is None or start <= day) and (end is None or day < end):
                return company
        return there

    def resolve(
        self, people: Iterable[Address], sender: Address | None, at: datetime | None = None
    ) -> Found:
        """Who took part, by the rules of the module docstring; excluded people are dropped."""
        found = Found()
        for a in people:
            email = a.email
            if self.excluded(email):
                self.ignored[EXCLUDED] += 1
                continue
            if sender is not None and email == sender.email:
                found.sender_ours = self.is_ours(email)
            user = self.ids.user_by_email.get(email)
            if user is not None:
                if user not in found.user_ids:
                    found.user_ids.append(user)
                continue
            if self.is_ours(email):
                self.ignored[OUR_OTHER] += 1
                continue
            contact = self.ids.contact_by_email.get(email) or self._at_company(a)
            if contact is None:
                continue
            if contact not in found.contact_ids:
                found.contact_ids.append(contact)
                found.companies.append(self._employer(contact, email, at))
        return found

    def _at_company(self, a: Address) -> str | None:
        domain = domain_of(a.email)
        company = self.company_at(domain)
        if company is None:
            self.ignored[FREE if domain in FREE_MAIL else UNKNOWN] += 1
            return None
        if a.email.split("@", 1)[0] in ROLE_LOCALS:
            self.ignored[ROLE] += 1
            return None
        name = name_from(a)
        match = self.ids.match_contact(SOURCE, None, a.email, name, company)
        if match.rule is not None:  # someone known by name at that company, without this address
            self.merges[match.rule] += 1
            self.emails_found.setdefault(match.id, a.email)
            self.ids.contact_by_email.setdefault(a.email, match.id)
            return match.id
        if match.id not in self.ids.known["contact"] or match.id in self.new_contacts:
            contact = m.Contact(id=match.id, company_id=company, name=name, email=a.email,
                                sources=[m.Silo.CAPTURE])
            self.new_contacts[match.id] = contact
            self.ids.accept_contact(SOURCE, None, contact)
        return match.id
