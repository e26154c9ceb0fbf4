"""Measure the readings against worlds we did not shape (issue 14): the before/after numbers.

Run by hand (numbers go in the report and docs/worlds.md, not in tests)::

    .venv/bin/python bench/bench_worlds.py                        # every scenario, seeds 1-3
    .venv/bin/python bench/bench_worlds.py --scenario drivers --seeds 1 2 3 4 5
    .venv/bin/python bench/bench_worlds.py --scale 0.4            # smaller worlds, faster
    .venv/bin/python bench/bench_worlds.py --rules my-rules.toml  # try a rules file
    .venv/bin/python bench/bench_worlds.py --json out.json        # every number, for diffing

For each scenario and seed it builds the world (default size: 300 accounts, 1,200
contacts, ~30,000 touchpoints, ~1,300 opportunities), loads it into a fresh
embedded store and prints:

* classification: accuracy and macro-F1 of the primary category on engaged
  contacts, beside always-the-majority-role and a title-words rule;
* status: "can grow" among accounts with recent wins/renewals vs accounts that only
  lost or churned, the AUC between them, and the share of each status by outcome;
* triggers (worlds with planted drivers): each driver's rank and whether it is
  flagged, the best rank of a pure-noise field.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from graph.stores.ladybug import LadybugStore
from seed.worlds import SCENARIOS, build_world, params_for
from seed.worlds.load import load_into
from seed.worlds.measure import WorldScore, read_world, score_world

DEFAULT_SCENARIOS = ("baseline", "role_independent", "no_departments", "title_styles",
                     "titles_only", "drivers")


def run(scenario: str, seed: int, scale: float, rules: Path | None) -> tuple[WorldScore, dict]:
    base = params_for(scenario)
    sizes = {k: max(1, round(getattr(base, k) * scale))
             for k in ("accounts", "contacts", "touchpoints", "opportunities")}
    started = time.perf_counter()
    world = build_world(scenario, seed=seed, **sizes)
    built = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        store = LadybugStore(Path(tmp) / "world.lbug")
        try:
            load_into(store, world)
            loaded = time.perf_counter()
            readings = read_world(store, world, rules=rules)
            read = time.perf_counter()
        finally:
            store.close()
    timing = {"build_s": round(built - started, 2), "load_s": round(loaded - built, 2),
              "read_s": round(read - loaded, 2), "counts": world.counts()}
    return score_world(readings, world), timing


def show(scenario: str, seed: int, s: WorldScore, timing: dict) -> None:
    c, st = s.classification, s.status
    n = timing["counts"]
    print(f"\n== {scenario} seed {seed}: {n.get('company', 0)} accounts, "
          f"{n.get('contact', 0)} contacts, {n.get('touchpoint', 0):,} touchpoints, "
          f"{n.get('opportunity', 0):,} opportunities (build {timing['build_s']} s, "
          f"load {timing['load_s']} s, read {timing['read_s']} s)")
    print(f"classification on {c.contacts} engaged contacts: accuracy {c.accuracy:.1%}, "
          f"macro-F1 {c.macro_f1:.3f} | majority ({c.majority_role}) {c.majority_accuracy:.1%}"
          f" | title words {c.title_accuracy:.1%}, macro-F1 {c.title_macro_f1:.3f}")
    auc = "n/a" if st.can_grow_auc is None else f"{st.can_grow_auc:.3f}"
    print(f"status: can grow {st.can_grow_buying:.1%} of {st.buying} buying accounts, "
          f"{st.can_grow_not_buying:.1%} of {st.not_buying} not buying; AUC {auc}")
    for outcome, shares in st.shares.items():
        print(f"  {outcome:<14} " + ", ".join(f"{k} {v:.0%}" for k, v in shares.items()))
    if s.triggers is not None:
        t = s.triggers
        print(f"triggers: {t.ranked} ranked; best noise rank {t.best_noise_rank} "
              f"({', '.join(f'{k} #{v}' for k, v in t.noise.items())}); proxies "
              f"{', '.join(f'{k} #{v}' for k, v in t.proxies.items())}")
        for d in t.drivers:
            side = "winning" if d.driver.winning else "losing"
            print(f"  {side:<7} {d.driver.field} = {d.driver.value}: rank {d.rank}, "
                  f"difference {d.difference}, flagged {d.flagged} ({d.driver.meaning})")
        print(f"  every driver above every noise field: {t.drivers_above_noise}; "
              f"losing drivers flagged: {t.losing_flagged}")


def summary(scenario: str, scores: list[WorldScore]) -> None:
    def mean(values: list[Any]) -> str:
        vals = [v for v in values if v is not None]
        return f"{statistics.mean(vals):.3f}" if vals else "n/a"

    cs = [s.classification for s in scores]
    print(f"\n## {scenario} over {len(scores)} seeds: accuracy {mean([c.accuracy for c in cs])}"
          f" (majority {mean([c.majority_accuracy for c in cs])}, title words "
          f"{mean([c.title_accuracy for c in cs])}), macro-F1 {mean([c.macro_f1 for c in cs])}"
          f" (title words {mean([c.title_macro_f1 for c in cs])}); can-grow AUC "
          f"{mean([s.status.can_grow_auc for s in scores])}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", action="append", choices=sorted(SCENARIOS),
                    help="a scenario (repeatable); default: all six")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--scale", type=float, default=1.0, help="world size, 1.0 = 300 accounts")
    ap.add_argument("--rules", type=Path, help="a rules file instead of the shipped one")
    ap.add_argument("--json", type=Path, help="also write every number here")
    args = ap.parse_args()
    out: dict[str, Any] = {}
    for scenario in args.scenario or DEFAULT_SCENARIOS:
        scores = []
        for seed in args.seeds:
            s, timing = run(scenario, seed, args.scale, args.rules)
            show(scenario, seed, s, timing)
            scores.append(s)
            out[f"{scenario}/{seed}"] = {"score": asdict(s), "timing": timing}
        summary(scenario, scores)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=str))


if __name__ == "__main__":
    main()
