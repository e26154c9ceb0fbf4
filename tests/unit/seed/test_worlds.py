"""The measuring worlds do what each scenario says (seed/worlds, docs/worlds.md)."""

from __future__ import annotations

import csv
import doctest
import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

import seed.worlds
from graph.errors import ValidationError
from graph.model import Company, OpportunityStage, Seniority
from seed.worlds import CrmWorld, Outcome, Role, build_world, params_for
from seed.worlds.baselines import title_category
from seed.worlds.salesforce import write_salesforce
from seed.worlds.score import score_classification, score_status, score_triggers

MAIN = (Role.ECONOMIC_BUYER, Role.TECHNICAL_EVALUATOR, Role.END_USER, Role.CHAMPION)
SMALL = {"accounts": 120, "contacts": 480, "touchpoints": 12_000, "opportunities": 520}
_cache: dict[tuple[str, ...], CrmWorld] = {}


def world(*scenarios: str, **sizes: int) -> CrmWorld:
    """Each world is built once per test session (they are deterministic)."""
    key = (*scenarios, *(f"{k}={v}" for k, v in sorted(sizes.items())))
    if key not in _cache:
        _cache[key] = build_world(scenarios, seed=1, **(sizes or SMALL))
    return _cache[key]


def touches_of(w: CrmWorld) -> dict[str, Counter[str]]:
    """Touchpoint kinds per contact."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for t in w.touchpoints:
        for c in t.contact_ids:
            out[c][t.type.value] += 1
    return out


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def engaged_of(w: CrmWorld, role: Role) -> list[str]:
    return sorted(c for c in w.truth.engaged if w.truth.roles[c] == role)


def doers(w: CrmWorld, kind: str) -> Counter[Role]:
    """True roles of the contacts who did each touchpoint of ``kind``."""
    return Counter(w.truth.roles[c] for t in w.touchpoints if t.type.value == kind
                   for c in t.contact_ids)


@pytest.mark.parametrize("name", sorted(
    ["seed.worlds"] + [f"seed.worlds.{m.name}" for m in pkgutil.iter_modules(seed.worlds.__path__)]
))
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"


# --- the world as a whole ----------------------------------------------------------


def test_same_seed_same_world_and_another_seed_another() -> None:
    a = build_world("baseline", seed=5, accounts=20, contacts=80, touchpoints=1500,
                    opportunities=80)
    b = build_world("baseline", seed=5, accounts=20, contacts=80, touchpoints=1500,
                    opportunities=80)
    c = build_world("baseline", seed=6, accounts=20, contacts=80, touchpoints=1500,
                    opportunities=80)
    assert [x.model_dump() for x in a.touchpoints] == [x.model_dump() for x in b.touchpoints]
    assert a.truth == b.truth
    assert [x.model_dump() for x in a.contacts] != [x.model_dump() for x in c.contacts]


def test_default_size_is_near_the_third_party_world() -> None:
    w = build_world("baseline", seed=2)
    n = w.counts()
    assert (n["company"], n["contact"]) == (300, 1200)
    assert 28_500 <= n["touchpoint"] <= 31_500
    assert 1_000 <= n["opportunity"] <= 1_600
    outcomes = Counter(w.truth.outcomes.values())
    # Most accounts bought, a good share only ever lost, some churned or never engaged.
    assert outcomes[Outcome.WON] > outcomes[Outcome.LOST_ONLY] > outcomes[Outcome.CHURNED] > 0
    assert outcomes[Outcome.NEVER_ENGAGED] > 0
    # About two contacts in three talk to us; the rest are names on a list.
    assert 0.55 <= len(w.truth.engaged) / n["contact"] <= 0.8


def test_every_reference_points_at_something_written_before_it() -> None:
    w = world("baseline")
    seen: dict[str, set[str]] = defaultdict(set)
    for kind, items in w.batches():
        for item in items:
            if kind == "contact":
                assert item.company_id in seen["company"]
                assert item.department_id is None or item.department_id in seen["department"]
            if kind == "touchpoint":
                assert set(item.contact_ids) <= seen["contact"]
                assert set(item.user_ids) <= seen["user"]
            if kind == "opportunity":
                assert set(item.contact_ids) <= seen["contact"]
            if hasattr(item, "id"):
                seen[kind].add(item.id)
    assert max(t.at for t in w.touchpoints) <= w.as_of


def test_outcomes_follow_the_deals() -> None:
    w = world("baseline")
    deals: dict[str, list[OpportunityStage]] = defaultdict(list)
    for o in w.opportunities:
        deals[o.company_id].append(o.stage)
    lifecycle = {c.id: c.lifecycle.value for c in w.companies}
    for company, outcome in w.truth.outcomes.items():
        stages = deals[company]
        if outcome == Outcome.LOST_ONLY:
            assert OpportunityStage.CLOSED_WON not in stages
            assert OpportunityStage.CLOSED_LOST in stages
        if outcome in (Outcome.WON, Outcome.CHURNED):
            assert OpportunityStage.CLOSED_WON in stages
        if outcome == Outcome.NEVER_ENGAGED:
            assert not stages
        assert lifecycle[company] == {"won": "customer", "churned": "churned"}.get(
            outcome.value, "prospect")


def test_unknown_scenario_or_parameter_is_named() -> None:
    with pytest.raises(ValidationError, match="unknown scenario 'rolez'"):
        params_for("rolez")
    with pytest.raises(ValidationError, match="unknown parameter 'acounts'"):
        params_for("baseline", acounts=3)


# --- role_independent ---------------------------------------------------------------


def test_role_independent_demos_say_nothing_about_the_role() -> None:
    w = world("role_independent")
    kinds = touches_of(w)
    had_demo = {r: sum(kinds[c]["demo"] > 0 for c in engaged_of(w, r)) / len(engaged_of(w, r))
                for r in MAIN}
    # Nearly everyone in every role had a demo, as in the third-party world.
    assert min(had_demo.values()) >= 0.85
    assert max(had_demo.values()) - min(had_demo.values()) <= 0.1


def _demo_share(w: CrmWorld, role: Role) -> float:
    kinds = touches_of(w)
    ids = engaged_of(w, role)
    return sum(kinds[c]["demo"] for c in ids) / sum(sum(kinds[c].values()) for c in ids)


def test_role_independent_demo_rates_are_alike_and_role_habits_are_not() -> None:
    same = [_demo_share(world("role_independent"), r) for r in MAIN]
    assert max(same) / min(same) < 1.4
    habits = world("baseline")
    # The realistic default keeps habits: evaluators sit in far more demos than buyers.
    assert _demo_share(habits, Role.TECHNICAL_EVALUATOR) > 1.5 * _demo_share(
        habits, Role.ECONOMIC_BUYER)


def test_role_independent_acts_follow_roles_noisily() -> None:
    w = world("role_independent")
    company = {c.id: c.company_id for c in w.contacts}
    for kind, role in (("contract_signature", Role.ECONOMIC_BUYER),
                       ("purchase_order", Role.PURCHASER), ("invoice", Role.FINANCE)):
        # At accounts where someone of that role talks to us, they do most of it.
        present = {company[c] for c in engaged_of(w, role)}
        by = Counter(w.truth.roles[c] for t in w.touchpoints
                     if t.type.value == kind and t.company_id in present for c in t.contact_ids)
        share = by[role] / sum(by.values())
        assert 0.5 <= share < 0.99, (kind, share)  # mostly them, never only them
    tickets = doers(w, "support_ticket")
    assert tickets[Role.END_USER] + tickets[Role.TECHNICAL_EVALUATOR] > 0.65 * sum(
        tickets.values())


def test_champions_show_by_behaviour_not_by_one_kind() -> None:
    w = world("role_independent")
    kinds = touches_of(w)
    champions, others = engaged_of(w, Role.CHAMPION), [
        c for r in MAIN[:3] for c in engaged_of(w, r)]
    advocates = [c for c in champions if kinds[c]["reference"] + kinds[c]["referral"]]
    assert len(advocates) < 0.6 * len(champions)  # most never gave a reference or referral

    def inbound_share(ids: list[str]) -> float:
        talk = [t for t in w.touchpoints if t.type.value in ("email", "call")]
        mine = [t for t in talk if set(t.contact_ids) & set(ids)]
        return sum(t.direction.value == "inbound" for t in mine) / len(mine)

    assert inbound_share(champions) > 1.5 * inbound_share(others)
    on_deals = Counter(c for o in w.opportunities for c in o.contact_ids)
    assert (sum(on_deals[c] for c in champions) / len(champions)
            > 1.3 * sum(on_deals[c] for c in others) / len(others))
    intros = [t for t in w.touchpoints if (t.subject or "").startswith("Introduction")]
    assert intros and all(w.truth.roles[t.contact_ids[0]] == Role.CHAMPION for t in intros)


# --- departments, titles ---------------------------------------------------------------


def test_no_departments_means_no_department_data_at_all() -> None:
    w = world("no_departments")
    assert w.departments == []
    assert all(c.department_id is None for c in w.contacts)
    assert len(world("baseline").departments) > 0


def test_title_styles_holds_the_styles_people_write() -> None:
    w = world("title_styles", accounts=300, contacts=1200, touchpoints=3000, opportunities=1300)
    titles = [c.title for c in w.contacts]
    text = {t for t in titles if t}
    styles = {  # each style at least once
        "C-level abbreviations": r"^(CEO|CFO|CTO|CIO|COO|CMO|CRO|CPO)$",
        "VP abbreviated": r"^(S|E)?VP[ ,]", "Head of X": r"^Head of ",
        "X Director": r"\w Director$", "Director of X": r"^Director of ",
        "Sr. and levels": r"^Sr\. .* II$|^Sr\. ",
        "ampersands": r" & ", "AP": r"^AP ",
    }
    for style, pattern in styles.items():
        assert any(re.search(pattern, t) for t in text), style
    missing = titles.count(None) / len(titles)
    assert 0.08 <= missing <= 0.17
    assert sum(t in ("Consultant", "Associate", "Team Member", "N/A") for t in titles) > 0
    # Messier titles tell less: a title-words rule does worse than on tidy titles.
    def rule(wo: CrmWorld) -> float:
        ids = sorted(wo.truth.engaged)
        title = {c.id: c.title for c in wo.contacts}
        return sum(title_category(title[c]) == wo.truth.category(c) for c in ids) / len(ids)
    assert rule(w) < rule(world("baseline"))


def test_titles_only_leaves_nothing_but_titles() -> None:
    w = world("titles_only")
    assert w.departments == [] and all(c.seniority is None for c in w.contacts)
    # Signatures land on economic buyers as often as chance would put them there.
    engaged: dict[str, list[Role]] = defaultdict(list)
    for c in w.contacts:
        if c.id in w.truth.engaged:
            engaged[c.company_id].append(w.truth.roles[c.id])
    signed = [t for t in w.touchpoints if t.type.value == "contract_signature"]
    actual = sum(w.truth.roles[t.contact_ids[0]] == Role.ECONOMIC_BUYER for t in signed)
    chance = sum(engaged[t.company_id].count(Role.ECONOMIC_BUYER) / len(engaged[t.company_id])
                 for t in signed)
    assert abs(actual - chance) / len(signed) < 0.06
    assert not [t for t in w.touchpoints if (t.subject or "").startswith("Introduction")]
    # ...while titles still carry the roles.
    title = {c.id: c.title for c in w.contacts}
    ids = sorted(w.truth.engaged)
    assert sum(title_category(title[c]) == w.truth.category(c) for c in ids) / len(ids) > 0.5


# --- drivers --------------------------------------------------------------------------


Keep = Callable[[Company, Seniority | None], bool]


def _win_rate(w: CrmWorld, keep: Keep) -> tuple[float, int]:
    """Win rate of the closed deals ``keep`` takes (by company and top seniority known)."""
    company = {c.id: c for c in w.companies}
    seniority = {c.id: c.seniority for c in w.contacts}
    order = list(Seniority)
    picked = []
    for o in w.opportunities:
        if o.stage not in (OpportunityStage.CLOSED_WON, OpportunityStage.CLOSED_LOST):
            continue
        known = [s for x in o.contact_ids if (s := seniority[x]) is not None]
        top = min(known, key=order.index) if known else None
        if keep(company[o.company_id], top):
            picked.append(o.won)
    return (sum(picked) / len(picked) if picked else 0.0), len(picked)


def test_planted_drivers_move_win_rates_and_noise_does_not() -> None:
    w = world("drivers", accounts=300, contacts=1200, touchpoints=30_000, opportunities=1300)
    overall, n = _win_rate(w, lambda c, top: True)
    assert n > 800
    for d in w.truth.drivers:
        if d.field == "revenue_band":
            rate, k = _win_rate(w, lambda c, top, v=d.value: c.revenue_band == v)
        else:
            rate, k = _win_rate(w, lambda c, top, v=d.value: top is not None and top == v)
        assert k >= 30, d
        assert (rate - overall) * d.effect > 0 and abs(rate - overall) >= 0.08, (d, rate, overall)
    for region in {c.region for c in w.companies}:
        rate, k = _win_rate(w, lambda c, top, r=region: c.region == r)
        if k >= 100:
            assert abs(rate - overall) < 0.1, (region, rate, overall)
    assert set(w.truth.noise_fields) >= {"industry", "region", "profile.hobby"}
    assert not world("baseline").truth.drivers


# --- truth kept apart, and the export ----------------------------------------------------


def test_the_truth_is_not_in_the_records() -> None:
    w = world("baseline")
    assert all(r.role is None and r.is_primary is None for r in w.deal_roles)
    text = " ".join(str(x.model_dump()) for _, items in w.batches() for x in items)
    for word in ("economic_buyer", "technical_evaluator", "champion"):
        assert word not in text


def test_entered_roles_fill_the_standard_role_column(tmp_path: Path) -> None:
    w = build_world("baseline", seed=1, accounts=30, contacts=120, touchpoints=2000,
                    opportunities=120, entered_roles=1.0, entered_role_errors=0.0)
    write_salesforce(w, tmp_path)
    ocr = rows(tmp_path / "OpportunityContactRole.csv")
    assert ocr and all(r["Role"] for r in ocr)
    buyers = [r for r in ocr if w.truth.roles[r["ContactId"]] == Role.ECONOMIC_BUYER]
    assert buyers and all(r["Role"] == "Economic Buyer" for r in buyers)


def test_salesforce_export_has_standard_files_and_withholds_roles(tmp_path: Path) -> None:
    w = world("baseline")
    manifest = write_salesforce(w, tmp_path)
    for name in ("Account.csv", "Contact.csv", "Task.csv", "Event.csv", "Opportunity.csv",
                 "OpportunityContactRole.csv", "User.csv", "import.toml"):
        assert (tmp_path / name).exists(), name
    ocr = rows(tmp_path / "OpportunityContactRole.csv")
    assert list(ocr[0]) == ["Id", "OpportunityId", "ContactId", "Role", "IsPrimary"]
    assert len(ocr) == sum(len(o.contact_ids) for o in w.opportunities)
    assert all(r["Role"] == "" and r["IsPrimary"] == "" for r in ocr)
    tasks = rows(tmp_path / "Task.csv")
    events = rows(tmp_path / "Event.csv")
    assert len(tasks) + len(events) == len(w.touchpoints)
    assert "OpportunityContactRole" in manifest.read_text()  # named as not imported yet


# --- the scores ---------------------------------------------------------------------------


def test_classification_score_puts_readings_beside_both_baselines() -> None:
    w = world("baseline")
    truth = {c: w.truth.category(c) for c in w.truth.engaged}
    titles = {c.id: c.title for c in w.contacts}
    perfect = score_classification(truth, w.truth, titles)
    assert perfect.accuracy == perfect.macro_f1 == 1.0
    constant = score_classification({c: "technical_evaluator" for c in truth}, w.truth, titles)
    assert constant.accuracy <= constant.majority_accuracy < constant.title_accuracy
    assert constant.contacts == len(truth)
    assert constant.confusion["champion"] == {"technical_evaluator": len(
        engaged_of(w, Role.CHAMPION))}


def test_status_score_separates_buying_from_not_buying() -> None:
    w = world("baseline")
    ideal = {c: "can_grow" if o == Outcome.WON else "at_risk"
             for c, o in w.truth.outcomes.items()}
    s = score_status(ideal, w.truth)
    assert s.can_grow_auc == 1.0 and s.can_grow_buying == 1.0 and s.can_grow_not_buying == 0.0
    flat = score_status({c: "at_risk" for c in w.truth.outcomes}, w.truth)
    assert flat.can_grow_auc == 0.5
    assert flat.shares["won"] == {"at_risk": 1.0}


def _trigger(feature: str, value: str, difference: float, significant: bool) -> SimpleNamespace:
    return SimpleNamespace(feature=feature, value=value, difference=difference,
                           significant=significant)


def test_trigger_score_finds_drivers_by_field_and_value() -> None:
    w = world("drivers")
    good = SimpleNamespace(ranked=[
        _trigger("revenue_band", "1B+", 0.3, True),
        _trigger("deal.seniority_reached", "Individual contributor", -0.25, True),
        _trigger("revenue_band", "<1M", -0.2, True),
        _trigger("deal.seniority_reached", "C-level", 0.2, True),
        _trigger("size_band", "5001+", 0.1, False),
        _trigger("region", "EMEA", 0.02, False),
    ])
    s = score_triggers(good, w.truth)
    assert [d.rank for d in s.drivers] == [1, 4, 3, 2]
    assert s.drivers_above_noise and s.losing_flagged
    assert s.best_noise_rank == 6 and s.proxies == {"size_band": 5}
    # Noise above a driver, a losing value not flagged, a driver never ranked: all seen.
    bad = SimpleNamespace(ranked=[good.ranked[5], good.ranked[0],
                                  _trigger("revenue_band", "<1M", -0.2, False)])
    s = score_triggers(bad, w.truth)
    assert not s.drivers_above_noise and not s.losing_flagged
    assert [d.rank for d in s.drivers] == [2, None, 3, None]


# --- the command line ------------------------------------------------------------------------


def test_seed_world_command_loads_a_world_and_writes_its_truth_apart(tmp_path: Path) -> None:
    truth = tmp_path / "truth.json"
    env = {**os.environ, "ACCOUNTGRAPH_DATA_DIR": str(tmp_path / "data"),
           "ACCOUNTGRAPH_STORE": "ladybug", "COLUMNS": "120"}
    env.pop("NEO4J_URI", None)
    run = subprocess.run(
        [sys.executable, "-m", "api.cli", "seed", "--world", "no_departments,title_styles",
         "--companies", "15", "--seed", "3", "--manifest", str(truth),
         "--salesforce", str(tmp_path / "sf")],
        cwd=Path(__file__).parents[3], env=env, capture_output=True, text=True, timeout=300,
        check=False)
    assert run.returncode == 0, run.stderr
    data = json.loads(truth.read_text())
    assert data["scenarios"] == ["no_departments", "title_styles"]
    assert data["counts"]["company"] == 15 and data["counts"]["contact"] == 60
    assert set(data["roles"].values()) >= {"economic_buyer", "end_user"}
    assert (tmp_path / "sf" / "import.toml").exists()
    bad = subprocess.run([sys.executable, "-m", "api.cli", "seed", "--world", "rolez"],
                         cwd=Path(__file__).parents[3], env=env, capture_output=True,
                         text=True, timeout=300, check=False)
    assert bad.returncode == 2 and "unknown scenario 'rolez'" in bad.stderr
