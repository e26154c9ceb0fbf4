"""Erasing a contact's personal data from every copy this installation keeps.

:func:`erase_contact` is what ``eraseContactPersonalData`` runs:

1. reads the values about to go (direct email and phone, profile items' values,
   the name: :func:`graph.privacy.personal_values`);
2. erases them in the store (:meth:`graph.store.Store.erase_personal_data`),
   with the subjects of captured touchpoints the contact was on (personal data,
   :func:`graph.privacy.subject_is_personal`); on the embedded store it also
   rewrites its file so no old copy stays in free pages, and it bumps the
   store's change marker, so other processes' caches drop what they hold
   (:meth:`graph.store.Store.data_version`);
3. drops every cached account in this process (the caller's cache), since the
   contact may appear in any account that holds them through a touchpoint,
   a reporting line, a "knows" link, or as a former employee;
4. removes the values from the importer's crosswalk and side files (rejects
   and merge logs, :mod:`seed.imports.side_files`);
5. deletes the database readings' saved rows (:mod:`api.database_file`): they
   quote names (contact rows, departures), and are read again at the next start.

Exports are made on request from the cache, so the next one no longer holds
the values; files someone already downloaded are theirs to delete (docs/api.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from api import database_file
from graph.errors import NotFound
from graph.model import Contact, ProfileItem
from graph.privacy import personal_values
from graph.store import ErasureReport, Store

PAGE = 500


@dataclass
class Erasure:
    report: ErasureReport
    side_files: list[Path] = field(default_factory=list)
    crosswalk_entries: int = 0


def _items(store: Store, contact_id: str) -> list[ProfileItem]:
    items: list[ProfileItem] = []
    after = None
    while True:
        page = store.list("profile_item", {"contact_id": contact_id}, after=after, limit=PAGE)
        items += [i for i in page.items if isinstance(i, ProfileItem)]
        if page.next_cursor is None:
            return items
        after = page.next_cursor


def erase_contact(store: Store, contact_id: str, *, data_dir: Path | None) -> Erasure:
    """Erase one contact's personal data from the store and the importer's files."""
    contact = store.get("contact", contact_id)
    if not isinstance(contact, Contact):
        raise NotFound("contact", contact_id)
    values = personal_values(contact.model_dump(),
                             [i.model_dump() for i in _items(store, contact_id)])
    report = store.erase_personal_data(contact_id)
    done = Erasure(report)
    from seed.imports.crosswalk import Crosswalk, StoreKeeper

    if data_dir is not None:
        from seed.imports import side_files

        done.side_files = side_files.scrub(data_dir, [*values, contact.name])
        done.side_files += database_file.forget(data_dir)
    # Where the importer keeps it: in the store (Neo4j), else in a file beside it.
    crosswalk = data_dir / "imports" / "crosswalk.sqlite3" if data_dir is not None else None
    if isinstance(store, StoreKeeper) or (crosswalk is not None and crosswalk.exists()):
        walk = Crosswalk(crosswalk, store=store)
        try:
            done.crosswalk_entries = walk.forget_foreign_ids(set(values))
        finally:
            walk.close()
    return done
