"""Normalised forms used to recognise the same company or person across silos.

Identity resolution compares these, never the raw strings: ``" Jo  Smith "``,
``"jo smith"`` and ``"Jö Smith"`` are one name; ``JO@Acme.COM`` and
``jo@acme.com`` are one address.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from graph.model import normalise_domain

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "normalise_domain", "normalise_email", "normalise_emails", "normalise_name",
    "normalise_names", "safe_id", "safe_ids", "short_hash",
]

_NOT_WORD = re.compile(r"[^\w]+")
_ID_CHARS = "A-Za-z0-9_.:@/-"  # what an id may hold as it is
_BAD_ID_CHARS = re.compile(f"[^{_ID_CHARS}]")
_SAFE = f"^[{_ID_CHARS}]*$"  # an id safe_id keeps as it is (an Arrow regex)
# What str.strip() and str.lower() would change in an ASCII email: space and control
# characters at either end, capitals; and an empty one (None).
_EMAIL_CHANGES = r"^[\t-\r\x1c-\x1f ]|[\t-\r\x1c-\x1f ]$|[A-Z]|^$"
# Legal suffixes say nothing about which company it is ("Acme Inc" is "Acme").
_COMPANY_SUFFIXES = frozenset(
    {"inc", "incorporated", "llc", "ltd", "limited", "gmbh", "ag", "sa", "sas", "bv", "plc",
     "corp", "corporation", "co", "company", "oy", "ab", "srl", "spa", "pty", "kk"}
)


def normalise_email(value: str | None) -> str | None:
    """Lower case and trimmed; None when empty."""
    if not value:
        return None
    value = value.strip().lower()
    return value or None


def normalise_emails(values: pa.Array) -> list[str | None]:
    """:func:`normalise_email` of each value of a string column.

    An address the model has read is nearly always normalised already: only
    the others (not ASCII, or changed by trimming or lower case) go through
    :func:`normalise_email` itself.
    """
    import pyarrow.compute as pc

    out: list[str | None] = values.to_pylist()
    other = pc.or_(pc.invert(pc.string_is_ascii(values)),
                   pc.match_substring_regex(values, _EMAIL_CHANGES))
    for i in pc.indices_nonzero(pc.fill_null(other, False)).to_pylist():
        out[i] = normalise_email(out[i])
    return out


def _fold(value: str) -> str:
    # Strip accents so "Jörg" and "Jorg" compare equal: exports disagree on them.
    # ASCII has neither accents nor compatibility forms: most names skip the work.
    if value.isascii():
        plain = value
    else:
        decomposed = unicodedata.normalize("NFKD", value)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", plain.casefold()).strip()


@lru_cache(maxsize=1 << 12)  # matching a contact and then remembering it fold the name twice
def normalise_name(value: str | None) -> str | None:
    """A person's name folded for comparison: case, accents, punctuation, spaces."""
    if not value:
        return None
    return _fold(value) or None


def normalise_names(values: pa.Array) -> list[str | None]:
    """:func:`normalise_name` of each value of a string column.

    ASCII names (nearly all) are folded by Arrow: lower case, each run of
    characters other than ``[A-Za-z0-9_]`` one space (what ``\\w`` leaves of
    ASCII), trimmed; the others go through :func:`normalise_name` itself.
    """
    import pyarrow.compute as pc

    lowered = pc.ascii_lower(values)
    folded = pc.utf8_trim(pc.replace_substring_regex(lowered, r"[^a-z0-9_]+", " "), " ")
    out: list[str | None] = [v or None for v in folded.to_pylist()]
    other = pc.invert(pc.fill_null(pc.string_is_ascii(values), False))
    for i in pc.indices_nonzero(other).to_pylist():
        out[i] = normalise_name(values[i].as_py())
    return out


def normalise_company_name(value: str | None) -> str | None:
    """A company's name folded for comparison, without legal suffixes (Inc, GmbH...)."""
    if not value:
        return None
    words = _fold(value).split()
    while len(words) > 1 and words[-1] in _COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words) or None


def short_hash(*parts: str) -> str:
    """A short stable digest of ``parts`` (for ids derived from a match key)."""
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


def safe_id(prefix: str, foreign: str) -> str:
    """An id our model accepts built from a foreign id: ``salesforce-0035g00000XyZ``.

    Characters the model does not allow in ids are replaced, and a digest is
    added when that happened so two different foreign ids never collide.
    """
    foreign = foreign.strip()
    clean = _BAD_ID_CHARS.sub("_", foreign)
    if clean != foreign:
        clean = f"{clean[:150]}~{short_hash(foreign)}".replace("~", "-")
    return f"{prefix}-{clean}" if prefix else clean


def safe_ids(prefix: str, foreign: pa.Array) -> pa.Array:
    """:func:`safe_id` of each value of a string column (null stays null).

    Python runs only for the unusual ids (those :func:`safe_id` changes).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    safe = pc.fill_null(pc.match_substring_regex(foreign, _SAFE), False)
    prefixed = pc.binary_join_element_wise(prefix, foreign, "-") if prefix else foreign
    out = pc.if_else(safe, prefixed, pa.scalar(None, pa.string()))
    unusual = pc.and_(pc.is_valid(foreign), pc.invert(safe))
    slow = pc.indices_nonzero(unusual).to_pylist()
    if not slow:
        return out
    values = out.to_pylist()
    for i, given in zip(slow, foreign.take(pa.array(slow, pa.int64())).to_pylist(), strict=True):
        values[i] = safe_id(prefix, given)
    return pa.array(values, pa.string())
