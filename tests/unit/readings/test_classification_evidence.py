"""Classification weighs evidence by what it tells in this database, and says why in words."""

from __future__ import annotations

import re

from graph.readings.classification import classify_contacts
from graph.readings.priors import SignalCounts, estimate_priors
from graph.readings.rules import load_rules
from graph.readings.testing import AccountBuilder

AS_OF = "2025-06-30"


def _demo_for_everyone():
    """Weights from a database where every role sits in demos and decision makers sign."""
    rules = load_rules()
    c = SignalCounts()
    roles = ["decision_maker", "technical_evaluator", "end_user", "finance"]
    for i in range(400):
        role = roles[i % 4]
        sigs = ["kind:demo", "kind:email"]
        if role == "decision_maker" and i % 8 < 6:
            sigs.append("kind:contract_signature")
        if role == "finance":
            sigs.append("kind:invoice")
        c.add({role: 1.0}, sigs)
    return rules.with_priors(estimate_priors(c, rules))


def test_thirteen_demos_do_not_outweigh_a_signature_and_a_won_deal():
    b = AccountBuilder("acme")
    b.contact("ann", title="Program Lead")
    for i in range(13):
        b.touch(f"d{i}", "demo", f"2025-0{i % 5 + 1}-1{i % 9}", contacts=["ann"])
    b.touch("sig", "contract_signature", "2025-05-20", contacts=["ann"])
    b.opportunity("o1", close_date="2025-05-20", contacts=["ann"])
    for rules in (load_rules(), _demo_for_everyone()):
        assert classify_contacts(b.G, rules=rules, as_of=AS_OF)["ann"].primary == "decision_maker"


def test_a_kind_everyone_has_says_nothing_and_the_reasons_say_so():
    rules = _demo_for_everyone()
    assert rules.active_priors.weight("kind:demo", "technical_evaluator") == 0.0
    b = AccountBuilder("acme")
    b.contact("cfo", title="CFO")
    for i in range(5):
        b.touch(f"d{i}", "demo", f"2025-03-0{i + 1}", contacts=["cfo"])
    c = classify_contacts(b.G, rules=rules, as_of=AS_OF)["cfo"]
    assert c.primary == "decision_maker"  # a CFO who sat in five demos
    assert c.reasons[0] == "Decision maker: title CFO: C-level, Finance"
    assert any(r.startswith("5 demos: says little about a role here") for r in c.reasons)


def test_a_role_a_rep_entered_shows_marked_as_entered_and_the_evidence_is_kept():
    b = AccountBuilder("acme")
    b.user("una", name="Una Owner", owner=True)
    b.contact("ivy", title="Solutions Architect", buying_roles=["Economic Buyer"],
              role_entered_by="una", role_entered_at="2025-02-01")
    b.touch("d1", "demo", "2025-03-01", contacts=["ivy"], users=["una"])
    c = classify_contacts(b.G, as_of=AS_OF)["ivy"]
    assert (c.primary, c.entered, c.inferred) == ("decision_maker", "decision_maker",
                                                  "technical_evaluator")
    assert c.reasons[0] == ("Decision maker: entered by Una Owner on 2025-02-01 in crm; "
                            "the evidence alone reads technical evaluator")
    assert c.secondary == ["technical_evaluator"]


def test_roles_on_deals_are_evidence_and_unknown_ones_are_said():
    b = AccountBuilder("acme")
    b.contact("pat", title="Associate")
    b.contact("quin", title="Associate")
    b.touch("e1", "email", "2025-03-01", contacts=["pat", "quin"])
    b.opportunity("renewal", stage="proposal", contacts=[])
    b.deal_role("renewal", "pat", "Technical Buyer", primary=True)
    b.deal_role("renewal", "quin", "Blocker")
    cls = classify_contacts(b.G, as_of=AS_OF)
    assert cls["pat"].primary == "technical_evaluator"
    assert ("Technical evaluator: entered as technical evaluator on deal 'renewal' "
            "(primary contact)") in cls["pat"].reasons[0]
    assert any("'Blocker': not one of our categories" in r for r in cls["quin"].reasons)


def test_a_champion_shows_by_behaviour_without_references():
    """Cleo writes in, brings colleagues along, and is on most deals: a champion."""
    b = AccountBuilder("acme")
    b.user("una", owner=True)
    for who in ("cleo", "dan", "eli", "fay"):
        b.contact(who, title="Operations Manager")
    for i in range(6):
        b.touch(f"in{i}", "email", f"2025-0{i % 6 + 1}-05", contacts=["cleo"], users=["una"],
                direction="inbound")
    # Dan's and Eli's first touchpoints came in with Cleo.
    b.touch("intro1", "email", "2025-04-10", contacts=["cleo", "dan"], users=["una"],
            direction="inbound")
    b.touch("intro2", "email", "2025-05-10", contacts=["cleo", "eli"], users=["una"],
            direction="inbound")
    b.touch("tix", "support_ticket", "2025-05-12", contacts=["fay"], direction="inbound")
    b.opportunity("o1", close_date="2025-03-01", contacts=["cleo", "dan"])
    b.opportunity("o2", close_date="2025-06-01", contacts=["cleo"])
    cls = classify_contacts(b.G, as_of=AS_OF)
    assert cls["cleo"].primary == "champion"
    said = " ".join(cls["cleo"].reasons)
    assert "brought 2 people to us" in said and "emails and calls came from them" in said
    assert cls["fay"].primary != "champion" and cls["dan"].primary != "champion"


def test_reasons_speak_a_reps_words_not_ours():
    b = AccountBuilder("acme")
    b.contact("ann", title="AP Manager", sources=["finance"])
    b.contact("bob", title="Head of IT")
    for i in range(3):
        b.touch(f"i{i}", "invoice", f"2025-0{i + 1}-02", contacts=["ann"])
    b.touch("p1", "purchase_order", "2025-03-02", contacts=["ann", "bob"])
    b.touch("p2", "purchase_order", "2025-04-02", contacts=["bob"])
    cls = classify_contacts(b.G, as_of=AS_OF)
    assert cls["ann"].primary == "finance"
    assert "Finance / accounts payable: title AP Manager: Manager, Finance" in cls["ann"].reasons
    assert ("Purchaser / procurement: took part in 1 of the 2 purchase orders at this account"
            in " ".join(cls["ann"].reasons))
    internal = re.compile(r"decision_maker|technical_evaluator|end_user|score|\d+\.\d+ x")
    for c in cls.values():
        assert not any(internal.search(r) for r in c.reasons), c.reasons
