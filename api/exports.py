"""Exports of one account: its subgraph as GraphML or JSON, its contacts as CSV.

The same privacy rules as GraphQL: profile items pass through
:meth:`Privacy.view_item` and contacts' email and phone through
:meth:`Privacy.view_field` (redacted unless the viewer may see that contact's
personal data, audited when shown), and the audit rows are written before the
first byte leaves.
Served as plain streaming routes, not GraphQL, because they can be large.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from enum import Enum
from typing import Any

import networkx as nx
from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from api.cache import AccountCache
from api.deps import get_cache, get_store, privacy_for
from api.privacy import Privacy
from api.schema.validation import check_id
from graph.neighbourhood import nodes_of
from graph.privacy import PERSONAL_CONTACT_FIELDS, REDACTED
from graph.store import Store


def redacted_graph(G: nx.MultiDiGraph, privacy: Privacy) -> nx.MultiDiGraph:
    """A copy of an account graph with every personal value as this viewer may see it.

    Contacts' email and phone, and profile items, decided per contact by the
    contact's current account; hidden values are written ``[redacted]`` (an item's
    value None with ``redacted`` true), so the file still says they exist.
    """
    H = G.copy()
    for n in nodes_of(H, "contact"):
        attrs = H.nodes[n]  # G.copy() copied each attribute dict
        for f in PERSONAL_CONTACT_FIELDS:
            if attrs.get(f) is not None:
                attrs[f] = privacy.view_field(G.nodes[n], f) or REDACTED
    for n in nodes_of(H, "profile_item"):
        item = H.nodes[n]
        contact = H.nodes.get(f"contact:{item['contact_id']}", {})
        company_id = contact.get("company_id") or G.graph.get("company_id")
        view = privacy.view_item(item, str(company_id))
        item["value"] = view.value
        item["redacted"] = view.redacted
    return H


def _scalar(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | dict):
        return json.dumps(value, default=str)
    return value


def graphml_lines(G: nx.MultiDiGraph) -> Iterator[str]:
    """GraphML text, line by line (GraphML holds scalars only: lists become JSON text)."""
    H = nx.MultiDiGraph(company_id=G.graph.get("company_id"))
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: _scalar(v) for k, v in d.items() if v is not None})
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **{a: _scalar(b) for a, b in d.items() if b is not None})
    for line in nx.generate_graphml(H):
        yield line + "\n"


def json_chunks(G: nx.MultiDiGraph) -> Iterator[str]:
    """Node-link JSON, streamed one node or edge at a time."""
    yield '{"company_id": ' + json.dumps(G.graph.get("company_id")) + ', "nodes": ['
    for i, (n, d) in enumerate(G.nodes(data=True)):
        yield ("," if i else "") + json.dumps({"key": n, **d}, default=_scalar)
    yield '], "edges": ['
    for i, (u, v, d) in enumerate(G.edges(data=True)):
        yield ("," if i else "") + json.dumps({"source": u, "target": v, **d}, default=_scalar)
    yield "]}\n"


CSV_COLUMNS = ["id", "name", "email", "phone", "title", "seniority", "status", "department",
               "profile"]


def contacts_csv(G: nx.MultiDiGraph) -> Iterator[str]:
    """The account's own contacts, one row each; profile items as ``key=value; ...``.

    ``G`` must already be redacted (:func:`redacted_graph`).
    """
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    cid = G.graph.get("company_id")
    for n in sorted(nodes_of(G, "contact")):
        d = G.nodes[n]
        if d.get("outside") or d.get("company_id") != cid:
            continue
        dept = G.nodes.get(f"department:{d.get('department_id')}", {})
        items = [G.nodes[v] for _, v, k in G.out_edges(n, keys=True) if k == "HAS_PROFILE_ITEM"]
        profile = "; ".join(
            f"{i['key']}={REDACTED if i.get('redacted') else i.get('value')}"
            for i in sorted(items, key=lambda i: i["id"]))
        writer.writerow([d["id"], d["name"], d.get("email") or "", d.get("phone") or "",
                         d.get("title") or "", _scalar(d.get("seniority")) or "",
                         _scalar(d.get("status")) or "", dept.get("function") or "", profile])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def export_account(store: Store, cache: AccountCache, privacy: Privacy, company_id: str,
                   fmt: str) -> Iterator[str]:
    """Redact, write the audit, then hand back the chunks of one export format."""
    H = redacted_graph(cache.graph(check_id(company_id)), privacy)
    privacy.flush(store)
    if fmt == "graphml":
        return graphml_lines(H)
    if fmt == "json":
        return json_chunks(H)
    if fmt == "csv":
        return contacts_csv(H)
    raise ValueError(f"unknown export format {fmt!r}; one of graphml, json, csv")


router = APIRouter(prefix="/accounts", tags=["exports"])

_MEDIA = {"graphml": "application/graphml+xml", "json": "application/json",
          "csv": "text/csv; charset=utf-8"}


@router.get("/{company_id}/export")
def export_route(
    company_id: str,
    format: str = Query("json", pattern="^(graphml|json|csv)$"),
    store: Store = Depends(get_store),
    cache: AccountCache = Depends(get_cache),
    privacy: Privacy = Depends(privacy_for("export")),
) -> StreamingResponse:
    """The account as GraphML or JSON, or its contacts as CSV (format=csv)."""
    chunks = export_account(store, cache, privacy, company_id, format)
    ext = {"graphml": "graphml", "json": "json", "csv": "contacts.csv"}[format]
    return StreamingResponse(chunks, media_type=_MEDIA[format], headers={
        "Content-Disposition": f'attachment; filename="{company_id}.{ext}"'})
