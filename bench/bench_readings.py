"""Benchmark the readings on a generated account of 1,000 contacts and 20,000 touchpoints.

Run by hand (numbers go in the report, not in tests)::

    .venv/bin/python bench/bench_readings.py                 # readings only
    .venv/bin/python bench/bench_readings.py --store         # + write/fetch via LadybugDB
    .venv/bin/python bench/bench_readings.py --networkx      # + NetworkX betweenness (slow)
    .venv/bin/python bench/bench_readings.py --world DIR     # a seeded store, e.g. `large`
    .venv/bin/python bench/bench_readings.py --world COPY --add-account   # + the generated one

With ``--world`` it opens that store read-only instead of generating: the readings
of its accounts closest to 1,000 contacts (fetch included), and classification +
status of ``--accounts`` accounts (all with 0), timed and extrapolated to all. The
``large`` world's biggest accounts have about 10,000 touchpoints; ``--add-account``
first writes the generated 1,000-contact, 20,000-touchpoint account (company
``bench``) into the store, so the issue's account is read among a million contacts:
give it a copy of the world (``cp -r``), since it writes.

The account is generated here (seeded) because the ``large`` demo world may not be
loaded: same shape as the issue's target (1,000 contacts, 20,000 touchpoints, 13
departments, reporting lines, "knows" links, a dozen users).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import networkx as nx

from graph.model import Function, Seniority, TouchpointKind
from graph.readings import account_readings
from graph.readings.breadth import account_breadth
from graph.readings.classification import classify_contacts
from graph.readings.facts import account_facts
from graph.readings.key_people import betweenness, key_people
from graph.readings.paths import influence_paths
from graph.readings.people import people_graph
from graph.readings.rules import load_rules
from graph.readings.status import account_status
from graph.readings.strength import contact_strength
from graph.readings.testing import AccountBuilder

AS_OF = datetime(2025, 6, 30, tzinfo=UTC)
TITLES = ["CFO", "CEO", "IT Manager", "Engineer", "Buyer", "Controller", "Architect",
          "VP Sales", "Analyst", "Director of Operations", "Developer", "Office manager"]
KIND_WEIGHTS = {"email": 30, "call": 10, "meeting": 10, "event": 4, "webinar": 6,
                "support_ticket": 12, "invoice": 5, "payment": 4, "purchase_order": 2,
                "contract_signature": 1, "demo": 3, "survey": 3, "reference": 1,
                "referral": 1, "direct_mail": 5, "analyst_briefing": 1, "press_inquiry": 1}


def generate_account(company_id: str = "bench", contacts: int = 1000, touchpoints: int = 20_000,
                     users: int = 12, seed: int = 1) -> nx.MultiDiGraph:
    """A seeded account graph of the given size, following graph.neighbourhood."""
    rng = random.Random(seed)
    b = AccountBuilder(company_id, name=f"Bench {company_id}", industry="Retail")
    functions = [str(f) for f in Function]
    seniorities = [str(s) for s in Seniority]
    for u in range(users):
        b.user(f"{company_id}-u{u}", role="account_manager" if u else None, owner=u == 0)
    ids = [f"{company_id}-c{i}" for i in range(contacts)]
    for i, cid in enumerate(ids):
        left = rng.random() < 0.05
        b.contact(cid, title=rng.choice(TITLES), department=rng.choice(functions),
                  seniority=rng.choice(seniorities),
                  left_on=(AS_OF - timedelta(days=rng.randint(1, 700))).date() if left else None,
                  moved_to="elsewhere" if left and rng.random() < 0.5 else None)
        if i:
            b.reports(cid, ids[rng.randrange(0, i)])
    for _ in range(contacts * 2):
        b.knows(rng.choice(ids), rng.choice(ids), round(rng.uniform(0.2, 0.9), 2), "rep notes")
    kinds = list(KIND_WEIGHTS)
    weights = list(KIND_WEIGHTS.values())
    # A few contacts get most touchpoints, as in real accounts.
    popular = ids[: contacts // 10]
    for t in range(touchpoints):
        kind = rng.choices(kinds, weights)[0]
        pool = popular if rng.random() < 0.6 else ids
        n = 1 if kind in ("email", "invoice", "payment") else rng.randint(1, 4)
        if kind in ("event", "webinar"):
            n = rng.randint(5, 30)
        who = rng.sample(pool, min(n, len(pool)))
        us = [f"{company_id}-u{rng.randrange(users)}" for _ in range(rng.randint(0, 2))]
        assert kind in {str(k) for k in TouchpointKind}
        b.touch(f"{company_id}-t{t}", kind, AS_OF - timedelta(days=rng.randint(0, 1500),
                                                                minutes=rng.randint(0, 1440)),
                contacts=who, users=sorted(set(us)),
                outcome=rng.choice([None, "responded", "positive", "no_response", "negative"]),
                subject=f"{kind} {t % 50}")
    return b.G


def timed(label: str, fn: Callable[[], Any], repeat: int = 3) -> Any:
    """Median wall and CPU time; on a shared machine the CPU time is the steadier one."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    print(f"{label:<48} wall {statistics.median(walls) * 1000:8.1f} ms   "
          f"cpu {statistics.median(cpus) * 1000:8.1f} ms  (median of {repeat})")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", action="store_true", help="also write and fetch via LadybugDB")
    ap.add_argument("--networkx", action="store_true", help="also time NetworkX betweenness")
    ap.add_argument("--accounts", type=int, default=200,
                    help="small accounts for the all-accounts extrapolation")
    ap.add_argument("--world", type=Path, help="a seeded store's data directory (read-only)")
    ap.add_argument("--add-account", action="store_true",
                    help="with --world: write the generated account into it first (use a copy)")
    args = ap.parse_args()
    rules = load_rules()
    if args.world:
        if args.add_account:
            add_account(args.world)
        world(args.world, rules, args.accounts)
        return

    t0 = time.perf_counter()
    G = generate_account()
    print(f"generated {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges "
          f"in {time.perf_counter() - t0:.1f} s")

    facts = timed("account_facts (one pass over the graph)", lambda: account_facts(G, AS_OF))
    cls = timed("classification", lambda: classify_contacts(G, rules=rules, facts=facts))
    strength = timed("strength", lambda: contact_strength(G, rules=rules, facts=facts))
    breadth = account_breadth(facts, cls, strength, rules=rules)
    timed("status", lambda: account_status(facts, cls, strength, breadth, rules=rules))
    P = timed("people graph", lambda: people_graph(facts, rules=rules))
    H = P.subgraph([n for n, hub in P.nodes(data="hub") if not hub])
    print(f"  people graph: {P.number_of_nodes():,} nodes, {P.number_of_edges():,} edges "
          f"({H.number_of_edges():,} without department hubs)")
    target = max((n for n in P if n.startswith("contact:")), key=lambda n: (-P.degree(n), n))
    far = sorted(n for n in P if n.startswith("contact:") and P.degree(n) <= 2)
    for t in [target, *far[:1]]:
        r = timed(f"influence paths k=3, 4 hops -> {t}", partial(influence_paths, P, t, k=3))
        print(f"  {len(r.paths)} paths; best {r.paths[0].strength if r.paths else None}; "
              f"{r.reasons[-1]}")
    fast = timed("betweenness, igraph (exact)", lambda: betweenness(H, engine="igraph"), 3)
    timed("betweenness, auto (estimated above 500)", lambda: betweenness(H), 3)
    timed("key people (auto + dominators)", lambda: key_people(P))
    timed("ALL account_readings (from the graph)", lambda: account_readings(G, rules, AS_OF))
    if args.networkx:
        nx_between = timed("betweenness, networkx", lambda: betweenness(H, engine="networkx"), 1)
        worst = max(abs(nx_between[0][n] - fast[0][n]) for n in H)
        print(f"  largest difference networkx vs igraph: {worst:.2e}")

    if args.store:
        from graph.readings.testing import load_into
        from graph.stores.ladybug import LadybugStore

        with tempfile.TemporaryDirectory() as tmp:
            store = LadybugStore(Path(tmp) / "bench.lbug")
            t0 = time.perf_counter()
            load_into(store, G)
            print(f"loaded into LadybugDB in {time.perf_counter() - t0:.1f} s")
            # The 21,000-node graph above would stay alive for every timing below:
            # the readings from the store do not have it, and nor should the process.
            del G, P, H, facts, cls, strength, breadth
            gc.collect()
            fetched = timed("store.account_graph (LadybugDB)", lambda: store.account_graph("bench"))
            print(f"  fetched {fetched.number_of_nodes():,} nodes, {fetched.number_of_edges():,}"
                  " edges")
            timed("store.account_data (LadybugDB)", lambda: store.account_data("bench"))
            timed("fetch (account_data) + ALL account_readings",
                  lambda: account_readings(store.account_data("bench"), rules, AS_OF))
            store.close()

    small = [generate_account(f"a{i}", contacts=100, touchpoints=1000, users=4, seed=i)
             for i in range(args.accounts)]
    t0 = time.perf_counter()
    for g in small:
        f = account_facts(g, AS_OF)
        c = classify_contacts(g, rules=rules, facts=f)
        s = contact_strength(g, rules=rules, facts=f)
        account_status(f, c, s, account_breadth(f, c, s, rules=rules), rules=rules)
    per = (time.perf_counter() - t0) / len(small)
    print(f"classification + status, 100-contact accounts: {per * 1000:.1f} ms each; "
          f"10,000 accounts -> {per * 10_000:.0f} s (without the store fetch)")


def add_account(data_dir: Path) -> None:
    """Write the generated 1,000-contact, 20,000-touchpoint account into a seeded store."""
    from graph.errors import NotFound
    from graph.readings.testing import load_into
    from graph.settings import Settings
    from graph.stores import open_store

    store = open_store(Settings(data_dir=data_dir, store="ladybug"))
    try:
        store.account_data("bench", people=False)
        print("account bench is in the store already")
    except NotFound:
        t0 = time.perf_counter()
        load_into(store, generate_account())
        print(f"wrote account bench into {data_dir} in {time.perf_counter() - t0:.1f} s")
    store.close()


def world(data_dir: Path, rules: Any, accounts: int) -> None:
    """The readings on a seeded store: the ~1,000-contact accounts, then many accounts."""
    from graph.readings.database import iter_account_summaries
    from graph.settings import Settings
    from graph.stores import open_store

    store = open_store(Settings(data_dir=data_dir, store="ladybug"), read_only=True)
    counts = store.counts()
    load = Path("/proc/loadavg").read_text()[:14]
    print(f"store: {counts['company']:,} companies, {counts['contact']:,} contacts, "
          f"{counts['touchpoint']:,} touchpoints; load {load}")
    sizes = store._read(store._q("account_sizes"))  # type: ignore[attr-defined]
    near = sorted(sizes, key=lambda r: (abs(int(r["contacts"]) - 1000), r["id"] != "bench",
                                        r["id"]))[:3]
    for row in near:
        data = store.account_data(row["id"])
        print(f"account {row['id']}: {row['contacts']} contacts, {data.touchpoints.num_rows:,} "
              "touchpoints")
        timed("  fetch (account_data)", lambda cid=row["id"]: store.account_data(cid))
        timed("  fetch + ALL account_readings",
              lambda cid=row["id"]: account_readings(store.account_data(cid), rules))
        r = account_readings(data, rules)
        targets = [p.target for p in r.paths]
        P = people_graph(account_facts(store.account_graph(row["id"])), rules=rules)
        for t in targets[:1]:
            timed(f"  influence paths k=3, 4 hops -> {t}", partial(influence_paths, P, t, k=3))
    ids = [i for batch in store.iter_ids("company") for i in batch]
    chosen = ids if accounts <= 0 else ids[:: max(1, len(ids) // accounts)][:accounts]
    t0, c0 = time.perf_counter(), time.process_time()
    n = sum(1 for _ in iter_account_summaries(store, rules=rules, company_ids=chosen))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"classification + status (+ breadth, mix), fetch included: {n} accounts in "
          f"{wall:.1f} s wall, {cpu:.1f} s CPU; all {len(ids):,} -> {wall / n * len(ids):.0f} s")
    store.close()


if __name__ == "__main__":
    main()
