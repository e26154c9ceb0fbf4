"""Who may see a contact's personal data: one rule, decided per contact.

DOMAIN.md, Privacy: a contact's personal data (their personal profile items and
their direct email and phone, :data:`PERSONAL_CONTACT_FIELDS`) is visible to the
team of the contact's *current* account and to admins; everyone else sees that
it exists, not its value. The account a page, an export or a query is about
does not matter: a contact who moved from account B to account A is A's
contact, and B's team no longer sees their personal data, on B's pages too.

Every door (GraphQL, pages, exports, the command line, search, evidence quoted
in readings, error messages) asks :func:`may_see_personal`, usually through a
:class:`PersonalRule` that remembers each account's answer for one request.
Plain data in, a yes or no out: no store, no web code, so ``api/`` and
``visualizer/`` call the same function.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, Protocol

from graph.schema import NODE_KINDS

#: The contact fields that are personal (erased with the contact's personal data).
PERSONAL_CONTACT_FIELDS: tuple[str, ...] = NODE_KINDS["contact"].personal_fields

#: A touchpoint's ``origin`` when ``accountgraph capture`` read it from a mailbox or calendar.
CAPTURED = "capture"

#: What an export or a page writes where a value is hidden.
REDACTED = "[redacted]"


class UserLike(Protocol):
    """What the rule needs of a user: :class:`graph.model.User` has it."""

    @property
    def id(self) -> str: ...

    @property
    def access(self) -> Any: ...

    @property
    def active(self) -> bool: ...


TeamOf = Callable[[str], Collection[str]]


def is_admin(user: UserLike | None) -> bool:
    return user is not None and user.active and str(user.access) == "admin"


def may_see_personal(
    user: UserLike | None, contact: Mapping[str, Any], team: Collection[str]
) -> bool:
    """True when ``user`` may read ``contact``'s personal data.

    Parameters
    ----------
    user
        Who asks; None (nobody signed in, or a command run without ``--as``)
        sees no personal data. An inactive user sees none either.
    contact
        The contact's fields; ``company_id`` is their current account.
    team
        Ids of the users on the team of that account (``ON_TEAM`` or its
        current owner): the caller looks them up for ``contact["company_id"]``.

    Returns
    -------
    bool
        Admins: always. Anyone else: only on the team of the contact's
        current account.

    Examples
    --------
    >>> from graph.model import User
    >>> amy = User(id="u-amy", name="Amy")
    >>> may_see_personal(amy, {"id": "c-1", "company_id": "acme"}, {"u-amy"})
    True
    >>> may_see_personal(amy, {"id": "c-1", "company_id": "globex"}, {"u-bob"})
    False
    """
    if user is None or not user.active:
        return False
    if is_admin(user):
        return True
    return user.id in team


class PersonalRule:
    """One user's answers of :func:`may_see_personal`, remembered per account.

    ``team_of(company_id)`` gives the team of an account; it is asked once per
    account a contact belongs to, however many contacts are looked at.
    """

    def __init__(self, user: UserLike | None, team_of: TeamOf):
        self.user = user
        self.team_of = team_of
        self._by_account: dict[str, bool] = {}

    @property
    def user_id(self) -> str | None:
        return self.user.id if self.user is not None else None

    def sees_account(self, company_id: str | None) -> bool:
        """The answer for every contact whose current account is ``company_id``."""
        if self.user is None or company_id is None:
            return False
        if company_id not in self._by_account:
            team = () if is_admin(self.user) or not self.user.active else self.team_of(company_id)
            self._by_account[company_id] = may_see_personal(
                self.user, {"company_id": company_id}, team
            )
        return self._by_account[company_id]

    def sees(self, contact: Mapping[str, Any]) -> bool:
        """True when the user may read this contact's personal data."""
        company_id = contact.get("company_id")
        return self.sees_account(str(company_id) if company_id is not None else None)


#: The rule for nobody: every personal value hidden (a command run without ``--as``).
NOBODY = PersonalRule(None, lambda _: ())


def subject_is_personal(touchpoint: Mapping[str, Any]) -> bool:
    """True when a touchpoint's subject is personal data: it was captured from a mailbox.

    Such a subject (kept only with ``capture --keep-subjects``) is shown only to those
    who may see the personal data of the touchpoint's account's contacts
    (:func:`may_see_personal` with that account), every read of it is audited under
    each contact on it (field ``subject``), and erasing a contact's personal data
    clears it. Readings, which every signed-in user sees, never quote it.
    """
    return touchpoint.get("origin") == CAPTURED and bool(touchpoint.get("subject"))


def team_from_links(links: Iterable[tuple[str, Mapping[str, Any]]]) -> frozenset[str]:
    """Team ids from (user id, link attributes) pairs of ON_TEAM and OWNS links.

    ``kind`` in the attributes names the link; an OWNS counts while ``until``
    is empty (the current owner).
    """
    out: set[str] = set()
    for user_id, data in links:
        kind = data.get("kind")
        if kind == "ON_TEAM" or (kind == "OWNS" and data.get("until") is None):
            out.add(user_id)
    return frozenset(out)


def personal_values(contact: Mapping[str, Any], items: Iterable[Mapping[str, Any]]) -> list[str]:
    """The personal values a contact holds: direct email and phone, personal items' values.

    What erasure must remove from every copy (caches, side files, store files).
    """
    values = [str(contact[f]) for f in PERSONAL_CONTACT_FIELDS if contact.get(f)]
    values += [
        str(i["value"]) for i in items if i.get("value") and i.get("visibility") != "public"
    ]
    return values


def team_in_store(store: Any, company_id: str) -> frozenset[str]:
    """The team of an account read from a :class:`graph.store.Store` (two small reads).

    For contacts of accounts whose graph is not at hand (a contact who moved,
    a participant from elsewhere).
    """
    links: list[tuple[str, Mapping[str, Any]]] = [
        (r.source, {"kind": "ON_TEAM"}) for r in store.relationships("ON_TEAM", target=company_id)
    ]
    links += [(r.source, {"kind": "OWNS", "until": getattr(r, "until", None)})
              for r in store.relationships("OWNS", target=company_id)]
    return team_from_links(links)
