"""Identity resolution: recognising the same company, person or user across silos.

Rules, in order (the first that matches wins):

Companies
    1. the same source id imported before (crosswalk) -> that company;
    2. the same normalised web domain -> merge ("domain");
    3. the same normalised name (legal suffixes ignored), when the domains do
       not disagree -> merge ("name").
Contacts
    1. the same source id imported before -> that contact;
    2. the same normalised email -> merge ("email");
    3. the same normalised name at the same company (its domain, or the
       company itself when it has none), unless both have emails and they
       differ -> merge ("name+company"). Two people with one name at two
       companies therefore never merge.
Users
    1. the same source id; 2. the same email.

A new record's id is stable: ``<source>-<foreign id>`` when the row has an id,
otherwise a digest of its match key, so the same input gives the same ids on
every run. Existing store records are loaded first (:meth:`Identities.preload`)
so matches also find what earlier imports, the seed or users wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from graph import model as m
from graph.store import Store
from seed.imports.crosswalk import Crosswalk
from seed.imports.normalise import (
    normalise_company_name,
    normalise_domain,
    normalise_email,
    normalise_name,
    safe_id,
    short_hash,
)


class Match(NamedTuple):
    """Where a row's record went: its id, and the rule that merged it (if any).

    A named tuple: one is made per imported row, and a frozen dataclass cost
    several times as much to build.
    """

    id: str
    rule: str | None  # None: new, or the same source record seen again
    key: str = ""  # the value the rule matched on
    existed: bool = False  # the record was already in the store or an earlier batch


@dataclass
class Identities:
    """Every match key seen so far -> our id, for one import run."""

    crosswalk: Crosswalk = field(default_factory=Crosswalk)
    company_by_domain: dict[str, str] = field(default_factory=dict)
    company_by_name: dict[str, str] = field(default_factory=dict)
    company_domain: dict[str, str | None] = field(default_factory=dict)
    contact_by_email: dict[str, str] = field(default_factory=dict)
    contact_by_name: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)
    contact_company: dict[str, str] = field(default_factory=dict)
    user_by_email: dict[str, str] = field(default_factory=dict)
    known: dict[str, set[str]] = field(
        default_factory=lambda: {"company": set(), "contact": set(), "user": set()}
    )
    # Keys and results of the Arrow lookups, and what they were built from: see _lookup()
    _lookups: dict[tuple[str, ...], tuple[tuple[int, ...], pa.Array, pa.Array]] = field(
        default_factory=dict, repr=False, compare=False
    )

    # -- loading what the store already holds -------------------------------
    def preload(self, store: Store) -> int:
        """Learn every company, contact and user already stored; returns how many.

        Reads only the columns the keys need, as Arrow (``Store.get_table``): a
        model object per stored contact cost ~700 MiB and a minute per million.
        """
        seen = 0
        for kind, columns in (
            ("company", ("id", "domain", "name")),
            ("user", ("id", "email")),
            ("contact", ("id", "email", "name", "company_id")),
        ):
            # In id order, as before: the first record with a key keeps it.
            table = store.get_table(kind).sort_by("id")
            values = [table.column(c).to_pylist() for c in columns]
            del table
            if kind == "company":
                for id, domain, name in zip(*values, strict=True):
                    self._register_company(id, domain, name)
            elif kind == "user":
                for id, email in zip(*values, strict=True):
                    self.known["user"].add(id)
                    if email:
                        self.user_by_email.setdefault(email, id)
            else:
                for id, email, name, company_id in zip(*values, strict=True):
                    self._register_contact(id, email, name, company_id)
            seen += len(values[0])
        return seen

    def learn(self, nodes: Iterable[m.Node]) -> None:
        """Register stored records (or records just written) under their keys."""
        for node in nodes:
            if isinstance(node, m.Company):
                self._register_company(node.id, node.domain, node.name)
            elif isinstance(node, m.Contact):
                self._register_contact(node.id, node.email, node.name, node.company_id)
            elif isinstance(node, m.User):
                self.known["user"].add(node.id)
                if node.email:
                    self.user_by_email.setdefault(node.email, node.id)

    # -- companies ----------------------------------------------------------
    def match_company(
        self, source: str, foreign: str | None, domain: str | None, name: str
    ) -> Match:
        domain = normalise_domain(domain) if domain else None
        folded = normalise_company_name(name) or name
        if foreign and (hit := self.crosswalk.get(source, "company", foreign)):
            return Match(hit, None, foreign, hit in self.known["company"])
        if domain and (hit := self.company_by_domain.get(domain)):
            return Match(hit, "domain", domain, True)
        hit = self.company_by_name.get(folded)
        if hit and (not domain or self.company_domain.get(hit) in (None, domain)):
            return Match(hit, "name", folded, True)
        new = safe_id(source, foreign) if foreign else f"company-{short_hash(domain or folded)}"
        return Match(new, None, "", new in self.known["company"])

    def accept_company(
        self, source: str, foreign: str | None, company: m.Company
    ) -> None:
        self._register_company(company.id, company.domain, company.name)
        key = foreign or f"#{company.domain or normalise_company_name(company.name)}"
        self.crosswalk.put(source, "company", key, company.id)

    def _register_company(self, id: str, domain: str | None, name: str) -> None:
        self.known["company"].add(id)
        if domain:
            self.company_by_domain.setdefault(domain, id)
            if self.company_domain.get(id) is None:
                self.company_domain[id] = domain
        else:
            self.company_domain.setdefault(id, None)
        folded = normalise_company_name(name)
        if folded:
            self.company_by_name.setdefault(folded, id)

    def company_ref(
        self, source: str, foreign: str | None, domain: str | None, name: str | None
    ) -> str | None:
        """The id of the company a row refers to, or None when we do not have it."""
        if foreign:
            hit = self.crosswalk.get(source, "company", foreign)
            if hit:
                return hit
            if foreign in self.known["company"]:
                return foreign
        if domain and (hit := self.company_by_domain.get(normalise_domain(domain))):
            return hit
        if name and (folded := normalise_company_name(name)):
            return self.company_by_name.get(folded)
        return None

    # -- contacts -----------------------------------------------------------
    def _company_key(self, company_id: str) -> str:
        return self.company_domain.get(company_id) or f"id:{company_id}"

    def match_contact(
        self, source: str, foreign: str | None, email: str | None, name: str, company_id: str,
        folded: str | None = None, new_id: str | None = None,
    ) -> Match:
        """The contact a row is; ``folded`` and ``new_id`` may be given precomputed.

        ``folded`` is ``normalise_name(name)`` and ``new_id`` is
        ``safe_id(source, foreign)`` (a column importer computes them for a
        whole chunk at once); None means: compute here.
        """
        # A re-import finds nearly every row here: the keys are built after.
        if foreign and (hit := self.crosswalk.get(source, "contact", foreign)):
            return Match(hit, None, foreign, hit in self.known["contact"])
        email = normalise_email(email)
        if folded is None:
            folded = normalise_name(name)
        name_key = (folded or name, self._company_key(company_id))
        if email and (hit := self.contact_by_email.get(email)):
            return Match(hit, "email", email, True)
        found = self.contact_by_name.get(name_key)
        if found and (found[1] is None or email is None or found[1] == email):
            return Match(found[0], "name+company", f"{name_key[0]} @ {name_key[1]}", True)
        new = (
            (new_id or safe_id(source, foreign))
            if foreign
            else f"contact-{short_hash(email or '|'.join(name_key))}"
        )
        return Match(new, None, "", new in self.known["contact"])

    def accept_contact(self, source: str, foreign: str | None, contact: m.Contact) -> None:
        self.accept_contact_fields(
            source, foreign, contact.id, contact.email, contact.name, contact.company_id
        )

    def accept_contact_fields(
        self, source: str, foreign: str | None, id: str, email: str | None, name: str,
        company_id: str, folded: str | None = None,
    ) -> None:
        """Remember a contact just built (after merging) under its keys and foreign id.

        ``folded``: ``normalise_name(name)`` when the caller has it already.
        """
        if folded is None:
            folded = normalise_name(name)
        self._register_contact(id, email, name, company_id, folded)
        key = foreign or f"#{email or folded}|{company_id}"
        self.crosswalk.put(source, "contact", key, id)

    def _register_contact(
        self, id: str, email: str | None, name: str, company_id: str, folded: str | None = None
    ) -> None:
        self.known["contact"].add(id)
        self.contact_company.setdefault(id, company_id)
        if email:
            self.contact_by_email.setdefault(email, id)
        if folded is None:
            folded = normalise_name(name)
        name_key = (folded or name, self._company_key(company_id))
        if name_key not in self.contact_by_name or email:
            previous = self.contact_by_name.get(name_key)
            if previous is None or (previous[0] == id and previous[1] is None):
                self.contact_by_name[name_key] = (id, email)

    def drop_contact_keys(self) -> None:
        """Forget contacts' emails and names: only contact and user files match on them.

        The files after them (profile items, opportunities, touchpoints) refer to
        contacts by id; for a million contacts the keys are a good part of the memory.
        """
        self.contact_by_email.clear()
        self.contact_by_name.clear()

    # -- users --------------------------------------------------------------
    def match_user(
        self, source: str, foreign: str | None, email: str | None, name: str
    ) -> Match:
        email = normalise_email(email)
        if foreign and (hit := self.crosswalk.get(source, "user", foreign)):
            return Match(hit, None, foreign, hit in self.known["user"])
        if email and (hit := self.user_by_email.get(email)):
            return Match(hit, "email", email, True)
        new = safe_id(source, foreign) if foreign else f"user-{short_hash(email or name)}"
        return Match(new, None, "", new in self.known["user"])

    def accept_user(self, source: str, foreign: str | None, user: m.User) -> None:
        self.known["user"].add(user.id)
        if user.email:
            self.user_by_email.setdefault(user.email, user.id)
        self.crosswalk.put(source, "user", foreign or f"#{user.email or user.name}", user.id)

    # -- references ---------------------------------------------------------
    def ref(self, source: str, kind: str, foreign: str) -> str | None:
        """Our id of a contact or user a row refers to by its source id."""
        hit = self.crosswalk.get(source, kind, foreign)
        if hit:
            return hit
        return foreign if foreign in self.known[kind] else None

    def refs(self, source: str, kind: str, foreign: pa.Array) -> pa.Array:
        """:meth:`ref` of each value of a string column at once; null where it gives None."""
        # Kept until the crosswalk changes or an id becomes known (the sets only grow):
        # files that refer to records come after the files that make them.
        stamp = (self.crosswalk.version, len(self.known[kind]))
        return self._lookup(("ref", source, kind), stamp, lambda: self._ref_pairs(source, kind),
                            foreign)

    def _ref_pairs(self, source: str, kind: str) -> tuple[pa.Array, pa.Array]:
        """Every foreign id :meth:`ref` resolves, and what to."""
        # A crosswalk hit first; else an id of ours that is known is its own reference.
        entries = self.crosswalk.entries(source, kind)
        ours = pa.array(list(entries.values()), pa.string())
        hit = pc.not_equal(ours, "")  # as in ref(): an empty id is no hit
        keys, ours = pa.array(list(entries), pa.string()).filter(hit), ours.filter(hit)
        known = pa.array(list(self.known[kind]), pa.string())
        own = known.filter(pc.invert(pc.is_in(known, value_set=keys)))
        return pa.concat_arrays([keys, own]), pa.concat_arrays([ours, own])

    def employers(self, contacts: pa.Array) -> pa.Array:
        """``contact_company`` of each id of a string column; null where it has none."""
        # contact_company is only added to (setdefault), so its size says when it changed.
        employer = self.contact_company
        return self._lookup(
            ("employer",), (len(employer),),
            lambda: (pa.array(list(employer), pa.string()),
                     pa.array(list(employer.values()), pa.string())),
            contacts,
        )

    def _lookup(
        self, name: tuple[str, ...], stamp: tuple[int, ...],
        pairs: Callable[[], tuple[pa.Array, pa.Array]], values: pa.Array,
    ) -> pa.Array:
        """``values`` looked up in ``pairs()`` (keys, results), built again when ``stamp`` moves.

        The contact ids of a 500,000-row touchpoint chunk (170,000 distinct, of
        200,000 contacts) took 0.24 s through :meth:`ref` one distinct id at a
        time, and take 0.03 s so (plus 0.1 s once for the lookup). Arrow hashes
        all the keys on every call: with a million contacts it is 0.25 s a chunk.
        """
        cached = self._lookups.get(name)
        if cached is None or cached[0] != stamp:
            cached = (stamp, *pairs())
            self._lookups[name] = cached
        _, keys, results = cached
        return results.take(pc.index_in(values, value_set=keys))
