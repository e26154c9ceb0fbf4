"""Exports follow the same privacy rules, and audit what they release."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from tests.unit.api.conftest import Api


def _get(api: Api, who: str, fmt: str) -> str:
    r = api.client.get(f"/accounts/acme/export?format={fmt}",
                       headers={"Authorization": f"Bearer {api.tokens[who]}"})
    assert r.status_code == 200, r.text
    return r.text


@pytest.mark.parametrize("fmt", ["graphml", "json", "csv"])
def test_outsider_export_has_no_personal_value(api: Api, fmt: str) -> None:
    body = _get(api, "oscar", fmt)
    assert "sailing" not in body and "two kids" not in body
    assert "alice@acme.com" not in body  # a direct email is personal too
    assert "[redacted]" in body  # but that it exists is said
    assert "MIT" in body  # public
    assert api.audit() == []


@pytest.mark.parametrize("fmt", ["graphml", "json", "csv"])
def test_team_export_has_values_and_is_audited(api: Api, fmt: str) -> None:
    body = _get(api, "amy", fmt)
    assert "sailing" in body and "alice@acme.com" in body
    assert {(e.contact_id, e.field, e.door) for e in api.audit()} == {
        ("c-alice", "hobby", "export"), ("c-bob", "family", "export"),
        ("c-alice", "email", "export")}


def test_exports_parse(api: Api) -> None:
    G = nx.read_graphml(io.StringIO(_get(api, "ann", "graphml")))
    assert "contact:c-alice" in G and G.nodes["profile_item:pi-hobby"]["redacted"] is True
    data = json.loads(_get(api, "ann", "json"))
    assert {n["key"] for n in data["nodes"]} >= {"company:acme", "contact:c-bob"}
    rows = list(csv.DictReader(io.StringIO(_get(api, "ann", "csv"))))
    alice = next(r for r in rows if r["id"] == "c-alice")
    assert alice["profile"] == "hobby=[redacted]; school=MIT"
    assert alice["department"] == "IT"


def test_graphml_holds_every_node_edge_and_value_as_written(api: Api) -> None:
    from graph import model as m

    api.store.upsert("contact", [m.Contact(id="c-odd", company_id="acme",
                                           name='Zoë "Z" <Ops> & Co', title="A\nB")])
    G = nx.read_graphml(io.StringIO(_get(api, "ada", "graphml")), force_multigraph=True)
    data = json.loads(_get(api, "ada", "json"))
    assert set(G.nodes) == {n["key"] for n in data["nodes"]}
    assert G.number_of_edges() == len(data["edges"])
    odd = G.nodes["contact:c-odd"]
    assert odd["name"] == 'Zoë "Z" <Ops> & Co' and odd["title"] == "A\nB"
    assert G.nodes["contact:c-alice"]["email"] == "alice@acme.com"  # an admin sees it
    assert G.nodes["touchpoint:tp-1"]["at"].startswith("2026-01-10T15:00:00")
    assert G.graph["company_id"] == "acme"
    assert G.nodes["profile_item:pi-hobby"]["redacted"] is False
    hobby = next(n for n in data["nodes"] if n["key"] == "profile_item:pi-hobby")
    assert (hobby["item_key"], hobby["value"]) == ("hobby", "sailing")


@pytest.mark.parametrize("fmt", ["graphml", "json", "csv"])
def test_an_export_whose_audit_cannot_be_stored_sends_nothing(
    api: Api, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph.errors import StoreUnavailable

    upsert = api.store.upsert

    def failing(kind: str, items: object) -> object:
        if kind == "audit_event":
            raise StoreUnavailable("the store went away mid-write")
        return upsert(kind, items)

    monkeypatch.setattr(api.store, "upsert", failing)
    r = api.client.get(f"/accounts/acme/export?format={fmt}",
                       headers={"Authorization": f"Bearer {api.tokens['amy']}"})
    assert r.status_code == 503
    assert "sailing" not in r.text and "alice@acme.com" not in r.text
