"""How well classification finds the roles the demo generator planted (run by hand).

    .venv/bin/python bench/bench_classification.py [--seed 42] [--db DIR] [--size demo]

Seeds the world into ``DIR`` (a temporary folder when omitted; kept and reused when
given), then classifies every account read from the store and compares each
contact's primary category with the role the generator gave them (contacts planted
as marketing leads or unengaged are left out: they are not categories a rep enters).
Prints accuracy and macro-F1 with every piece of evidence, and "blind": with the
entered roles and deal roles hidden, as ``accountgraph evaluate`` measures. Both are
compared with the majority role and title words alone.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from graph.readings.classification import classify_contacts
from graph.readings.facts import read_facts
from graph.readings.rules import load_rules
from graph.stores.ladybug import LadybugStore
from seed.generator import generate, preset
from seed.load import load_world

SKIP = {"marketing_lead", "unengaged"}
AS_OF = "2026-11-01"  # the generator's REFERENCE_NOW: every touchpoint counts


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    labels = sorted({t for t, _ in pairs})
    f1s = []
    for c in labels:
        tp = sum(1 for t, p in pairs if t == c and p == c)
        fp = sum(1 for t, p in pairs if t != c and p == c)
        fn = sum(1 for t, p in pairs if t == c and p != c)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


def _hide(facts: object) -> None:
    for p in facts.contacts.values():  # type: ignore[attr-defined]
        if hasattr(p, "entered"):
            p.entered = None
            p.deal_roles = []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--size", default="demo")
    ap.add_argument("--db", type=Path)
    ap.add_argument("--rules", type=Path, help="a rules file (default: the shipped rules)")
    args = ap.parse_args()
    folder = args.db or Path(tempfile.mkdtemp(prefix="bench-classify-"))
    path = folder / "db.lbug"
    world = generate(args.seed, preset(args.size), keep_roles=True)
    t0 = time.perf_counter()
    if path.exists():
        for _ in world:  # the roles, without writing again
            pass
        store = LadybugStore(path, read_only=True)
    else:
        store = LadybugStore(path)
        load_world(store, world)
    print(f"world ready in {time.perf_counter() - t0:.1f} s at {path}")
    rules = load_rules(args.rules)
    try:
        from graph.evidence import rules_for  # after issue 14: the database's weights

        t0 = time.perf_counter()
        rules = rules_for(store, rules)
        print(f"signal weights estimated in {time.perf_counter() - t0:.1f} s")
    except ImportError:
        pass
    truth = world.roles
    seen: dict[str, list[tuple[str, str]]] = {"with every piece of evidence": [],
                                              "blind (entered roles hidden)": []}
    t0 = time.perf_counter()
    for ids in store.iter_ids("company"):
        for cid in ids:
            data = store.account_data(cid, people=False)
            for name, blind in (("with every piece of evidence", False),
                                ("blind (entered roles hidden)", True)):
                facts = read_facts(data, AS_OF)
                if blind:
                    _hide(facts)
                for k, c in classify_contacts(facts, rules=rules, facts=facts).items():
                    role = truth.get(k)
                    if role and role not in SKIP:
                        seen[name].append((role, c.primary))
    print(f"classified in {time.perf_counter() - t0:.1f} s")
    pairs = seen["blind (entered roles hidden)"]
    majority = Counter(t for t, _ in pairs).most_common(1)[0][0]
    for name, got in seen.items():
        acc = sum(t == p for t, p in got) / len(got)
        print(f"{name}: {len(got)} contacts, accuracy {acc:.1%}, macro-F1 {macro_f1(got):.3f}")
    base = [(t, majority) for t, _ in pairs]
    print(f"majority role ({majority}): accuracy {sum(t == p for t, p in base) / len(base):.1%}"
          f", macro-F1 {macro_f1(base):.3f}")
    wrong = Counter((t, p) for t, p in pairs if t != p)
    print("most common confusions (planted -> read):",
          ", ".join(f"{t}->{p} {n}" for (t, p), n in wrong.most_common(8)))
    store.close()


if __name__ == "__main__":
    main()
