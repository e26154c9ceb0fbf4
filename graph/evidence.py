"""The database's signal weights, read from a store once per rules version and data change.

Classification weighs each signal (a touchpoint kind, a deal, a silo) by how specific
it is to each category *in this database* (:mod:`graph.readings.priors`). That needs
every contact's signals and what their role is known to be; reading them is a pass
over the whole store, so it happens here, once, never inside an account's readings:

* :func:`database_counts` reads the contacts, departments, opportunities, deal roles
  and one aggregating query (``contact_touch_kinds``) into
  :class:`~graph.readings.priors.SignalCounts`;
* :func:`rules_for` attaches the estimated weights to the rules
  (:meth:`Rules.with_priors`) and keeps them per (store, rules digest, change
  marker): a second call with nothing changed costs the marker's few count queries.

Every reading then takes those rules as it takes any rules, on both stores alike.
"""

from __future__ import annotations

import hashlib
import json
import threading
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from graph.readings.priors import Evidence, Priors, estimate_priors
from graph.readings.rules import Rules
from graph.readings.signals import label_of, profile_of, profile_signals, signals_of
from graph.settings import Settings
from graph.store import Store

# Node kinds whose counts make the change marker until the store keeps its own.
_MARKED = ("contact", "touchpoint", "opportunity", "deal_role", "department")


def change_marker(store: Store) -> str:
    """Something that changes when the data the weights rest on changes.

    For now the node counts of the kinds the weights read (a cheap fingerprint: an
    edited title with no other change is not seen until something is added); swap
    in the store-wide change marker when the store keeps one.
    """
    read = getattr(store, "change_marker", None)
    if callable(read):
        return str(read())
    counts = store.counts()
    return ",".join(f"{k}={counts.get(k, 0)}" for k in _MARKED)


@dataclass(frozen=True)
class ContactRow:
    """One contact as the weights see it."""

    id: str
    company_id: str
    label: tuple[tuple[str, float], ...]  # (category, mass), empty: role unknown
    blind_label: tuple[tuple[str, float], ...]  # the title's alone, as if nobody entered one
    signals: tuple[str, ...]
    entered: str | None  # the category a person entered (rep or deal role), if any
    title: str | None
    by_person: bool  # ``label`` is a role a person entered, not the title's reading


def contact_rows(store: Store, rules: Rules) -> Iterator[ContactRow]:
    """Every engaged contact of the store with its signals and known role (one pass)."""
    contacts = store.get_table("contact").select(
        ["id", "company_id", "title", "seniority", "department_id", "sources", "buying_roles"]
    ).to_pylist()
    functions = {r["id"]: r["function"]
                 for r in store.get_table("department").select(["id", "function"]).to_pylist()}
    by_kind: dict[str, dict[str, int]] = {}
    table = store.contact_touch_kinds()
    if table.num_rows:
        for cid, kind, n in zip(table.column("id").to_pylist(), table.column("kind").to_pylist(),
                                table.column("n").to_pylist(), strict=True):
            by_kind.setdefault(cid, {})[kind] = int(n)
    # The same signals an account's classification reads (signals_of), all time.
    kinds = {cid: sorted(signals_of(k, (), ())) for cid, k in by_kind.items()}
    deals: dict[str, set[str]] = {}
    stage_of: dict[str, str] = {}
    for o in store.get_table("opportunity").select(["id", "stage", "contact_ids"]).to_pylist():
        stage = o["stage"] if o["stage"] in ("closed_won", "closed_lost") else "open"
        stage_of[o["id"]] = stage
        for c in o["contact_ids"] or []:
            deals.setdefault(c, set()).add(f"deal:{stage}")
    roles: dict[str, list[str | None]] = {}
    for r in store.get_table("deal_role").select(
            ["contact_id", "opportunity_id", "role", "is_primary"]).to_pylist():
        roles.setdefault(r["contact_id"], []).append(r["role"])
        if r["opportunity_id"] in stage_of:
            deals.setdefault(r["contact_id"], set()).add(f"deal:{stage_of[r['opportunity_id']]}")
    for c in contacts:
        cid = c["id"]
        sigs = kinds.get(cid, []) + sorted(deals.get(cid, ()))
        if not sigs:
            continue  # not engaged: says nothing about what engagement means
        sigs += [f"source:{s}" for s in c["sources"] or []]
        profile = profile_of(c["title"], c["seniority"], functions.get(c["department_id"]))
        sigs += profile_signals(profile)
        label = label_of(profile, c["buying_roles"] or (), roles.get(cid, ()), rules)
        blind = label_of(profile, (), (), rules)
        known = bool(c["buying_roles"] or any(roles.get(cid, ())))
        entered_cat = next(iter(label)) if label and known and len(label) == 1 else None
        yield ContactRow(cid, c["company_id"], tuple(sorted((label or {}).items())),
                         tuple(sorted((blind or {}).items())), tuple(sorted(set(sigs))),
                         entered_cat, c["title"], entered_cat is not None)


def fold_of(contact_id: str, folds: int) -> int:
    """The cross-validation fold of a contact: fixed by its id, the same on every run."""
    return zlib.crc32(contact_id.encode()) % folds


def counts_of(rows: Iterable[ContactRow], *, blind: bool = False) -> Evidence:
    """:class:`Evidence` of contact rows (identical rows counted together); ``blind``:
    as if nobody had entered their roles (their titles still label them)."""
    grouped: Counter[tuple[bool, tuple[tuple[str, float], ...], tuple[str, ...]]] = Counter(
        (False, r.blind_label, r.signals) if blind else (r.by_person, r.label, r.signals)
        for r in rows)
    out = Evidence()
    for (by_person, label, signals), n in sorted(grouped.items()):
        (out.entered if by_person else out.titles).add(dict(label), signals, weight=n)
    return out


def database_counts(store: Store, rules: Rules) -> Evidence:
    """Every engaged contact's signals and known role, counted (one pass over the store)."""
    return counts_of(contact_rows(store, rules))


_cache: dict[tuple[int, str, str], Priors] = {}
_lock = threading.Lock()


def _file(folder: Path, digest: str, marker: str) -> Path:
    tag = hashlib.sha256(f"{digest}|{marker}".encode()).hexdigest()[:16]
    return folder / f"signal-weights-{tag}.json"


def _load(path: Path) -> Priors | None:
    try:
        return Priors(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None  # absent or unreadable: estimate again


def _save(folder: Path, path: Path, priors: Priors) -> None:
    """Keep the weights beside the store (aggregates only: no person's data)."""
    try:
        for old in folder.glob("signal-weights-*.json"):
            old.unlink(missing_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(priors), sort_keys=True), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only folder: the weights live in memory only


def rules_for(store: Store, rules: Rules, *, folder: Path | None = None) -> Rules:
    """``rules`` with this store's signal weights attached (estimated once, then kept).

    Keyed on the store, the rules' digest and :func:`change_marker`: new data or new
    rules estimate again; otherwise the weights come from memory, or from ``folder``
    (say, the embedded store's data folder) where an earlier process left them.
    """
    if rules.priors is not None:
        return rules
    marker = change_marker(store)
    key = (id(store), rules.digest, marker)
    with _lock:
        priors = _cache.get(key)
    if priors is None and folder is not None:
        priors = _load(_file(folder, rules.digest, marker))
    if priors is None:
        priors = estimate_priors(database_counts(store, rules), rules)
        if folder is not None:
            _save(folder, _file(folder, rules.digest, marker), priors)
    with _lock:
        for old in [k for k in _cache if k[0] == key[0]]:
            del _cache[old]
        _cache[key] = priors
    return rules.with_priors(priors)


def rules_of_settings(store: Store, settings: Settings, rules: Path | str | None = None
                      ) -> Rules:
    """The rules a command or the API reads with: ``rules`` (or the settings' rules file)
    with this store's signal weights, kept in the data folder between runs."""
    from graph.readings.rules import resolve

    folder = settings.data_dir if settings.data_dir.is_dir() else None
    return rules_for(store, resolve(rules or settings.rules_file), folder=folder)
