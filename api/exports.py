"""Exports of one account: its subgraph as GraphML or JSON, its contacts as CSV.

The same privacy rules as GraphQL: profile items pass through
:meth:`Privacy.view_item` and contacts' email and phone through
:meth:`Privacy.view_field` (redacted unless the viewer may see that contact's
personal data, audited when shown), and the audit rows are stored before the
first byte leaves.
Served as plain streaming routes, not GraphQL, because they can be large.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from api.cache import AccountCache
from api.deps import get_cache, get_store, privacy_for
from api.privacy import Privacy
from api.schema.validation import check_id
from graph import collector
from graph.neighbourhood import nodes_of
from graph.privacy import PERSONAL_CONTACT_FIELDS, REDACTED, subject_is_personal
from graph.store import Store


@dataclass
class Redacted:
    """An account graph as one viewer may see it, without copying the graph.

    Only the nodes that hold personal data (contacts with an email or phone,
    profile items) get a new attribute dict; every other node and every edge is
    read from the account graph as it is (touchpoints only when a kept subject is personal).
    """

    G: nx.MultiDiGraph
    changed: dict[str, dict[str, Any]]

    def nodes(self) -> Iterator[tuple[str, dict[str, Any]]]:
        changed = self.changed
        for n, d in self.G.nodes(data=True):
            yield n, changed.get(n, d)

    def node(self, n: str) -> dict[str, Any]:
        return self.changed.get(n) or self.G.nodes[n]


def redact(G: nx.MultiDiGraph, privacy: Privacy) -> Redacted:
    """Every personal value of an account graph as this viewer may see it (reads recorded).

    Contacts' email and phone, and profile items, decided per contact by the
    contact's current account, a captured touchpoint's subject by its account;
    hidden values are written ``[redacted]`` (an item's value None with ``redacted``
    true), so the file still says they exist.
    """
    changed: dict[str, dict[str, Any]] = {}
    for n in nodes_of(G, "contact"):
        attrs = G.nodes[n]
        if any(attrs.get(f) is not None for f in PERSONAL_CONTACT_FIELDS):
            changed[n] = {**attrs, **{f: privacy.view_field(attrs, f) or REDACTED
                                      for f in PERSONAL_CONTACT_FIELDS
                                      if attrs.get(f) is not None}}
    for n in nodes_of(G, "profile_item"):
        item = G.nodes[n]
        contact = G.nodes.get(f"contact:{item['contact_id']}", {})
        company_id = contact.get("company_id") or G.graph.get("company_id")
        view = privacy.view_item(item, str(company_id))
        changed[n] = {**item, "value": view.value, "redacted": view.redacted}
    for n in nodes_of(G, "touchpoint"):
        tp = G.nodes[n]
        if subject_is_personal(tp):
            changed[n] = {**tp, "subject": privacy.view_subject(tp) or REDACTED}
    return Redacted(G, changed)


_PLAIN = frozenset({str, int, float, bool, type(None)})
# json.dumps(value, default=str) with its encoder made once, not once per list.
_AS_JSON = json.JSONEncoder(default=str).encode


def _scalar(value: Any) -> Any:
    if type(value) in _PLAIN:  # nearly every value: no isinstance chain
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | dict):
        return _AS_JSON(value)
    return value


# Chunks of about this many characters: a chunk per node made the response
# machinery (one ASGI message each) cost more than writing the file.
_CHUNK = 64 * 1024


def _batched(parts: Iterable[str]) -> Iterator[str]:
    buf: list[str] = []
    size = 0
    for part in parts:
        buf.append(part)
        size += len(part)
        if size >= _CHUNK:
            yield "".join(buf)
            buf, size = [], 0
    if buf:
        yield "".join(buf)


def _graphml_type(kinds: set[type]) -> str:
    """The GraphML type of an attribute seen with these Python types (the widest)."""
    if kinds <= {bool}:
        return "boolean"
    if kinds <= {int}:
        return "long"
    if kinds <= {int, float}:
        return "double"
    return "string"


def _text(value: Any) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    text = value if type(value) is str else str(value)
    # Escaping only what needs it: most values are ids, names, times and numbers.
    return escape(text) if ("&" in text or "<" in text or ">" in text) else text


def _attr(value: str) -> str:
    """An XML attribute value in quotes (escaped only when needed: keys and ids rarely are)."""
    if "&" in value or "<" in value or ">" in value or '"' in value or "\n" in value:
        return quoteattr(value)
    return f'"{value}"'


def _data(attrs: dict[str, Any], tags: dict[str, str], kinds: dict[str, set[type]],
          first: int) -> str:
    """An element's ``<data>`` children (Nones left out), declaring each new attribute.

    A new attribute gets the next key id after ``first`` (its tag kept in ``tags``);
    the Python type of every value written is noted in ``kinds``, for the key's type.
    """
    out = []
    for name, value in attrs.items():
        if value is None:
            continue
        t = type(value)
        if t is str:  # most values: ids, names, titles
            text = escape(value) if ("&" in value or "<" in value or ">" in value) else value
        else:
            if t not in _PLAIN:
                value = _scalar(value)
                t = type(value)
            text = _text(value)
        tag = tags.get(name)
        if tag is None:
            tag = tags[name] = f'<data key="d{first + len(tags)}">'
            kinds[name] = {t}
        else:
            kinds[name].add(t)
        out.append(f"{tag}{text}</data>")
    return "".join(out)


def _only_text(attrs: dict[str, Any]) -> tuple[str, str] | None:
    """(name, value) of attributes that are one text only (an edge's kind): else None."""
    if len(attrs) != 1:
        return None
    ((name, value),) = attrs.items()
    return (name, value) if type(value) is str else None


def graphml_lines(R: Redacted) -> Iterator[str]:
    """GraphML text, streamed (GraphML holds scalars only: lists become JSON text).

    Written directly rather than through an XML tree (networkx's writer took 9-16 s
    on the 2,000-contact account). The keys (name and type of every attribute,
    nodes and edges apart) come first in the file but are known only once every
    value is seen, so the elements are written in one pass, each key numbered when
    first met (nodes' from d1, edges' after them), and the keys put before them.
    """
    node_tags: dict[str, str] = {}
    node_kinds: dict[str, set[type]] = {}
    quoted: dict[str, str] = {}  # node -> its id as an attribute value, for its edges too
    elements: list[str] = []
    for n, d in R.nodes():
        q = quoted[n] = _attr(n)
        elements.append(f"    <node id={q}>{_data(d, node_tags, node_kinds, 1)}</node>\n")
    edge_tags: dict[str, str] = {}
    edge_kinds: dict[str, set[type]] = {}
    first_edge = 1 + len(node_tags)
    edge_ids: dict[Any, str] = {}
    # Most edges carry their kind only (PARTICIPATED_IN, ON_ACCOUNT...): written once each.
    kind_only: dict[tuple[str, str], str] = {}
    for u, v, k, d in R.G.edges(keys=True, data=True):
        kid = edge_ids.get(k)
        if kid is None:
            kid = edge_ids[k] = _attr(str(k))
        only = _only_text(d)
        if only is None:
            data = _data(d, edge_tags, edge_kinds, first_edge)
        else:
            data = kind_only.get(only) or kind_only.setdefault(
                only, _data(d, edge_tags, edge_kinds, first_edge))
        elements.append(f"    <edge source={quoted[u]} target={quoted[v]} id={kid}>{data}</edge>\n")
    declared = [("graph", "company_id", "string"),
                *(("node", n, _graphml_type(t)) for n, t in node_kinds.items()),
                *(("edge", n, _graphml_type(t)) for n, t in edge_kinds.items())]
    company_id = R.G.graph.get("company_id")

    def parts() -> Iterator[str]:
        yield ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
               'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
               'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
               'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for i, (scope, name, t) in enumerate(declared):
            yield (f'  <key id="d{i}" for="{scope}" attr.name={quoteattr(name)}'
                   f' attr.type="{t}" />\n')
        yield '  <graph edgedefault="directed">\n'
        if company_id is not None:
            yield f'    <data key="d0">{_text(company_id)}</data>\n'
        yield from elements
        yield "  </graph>\n</graphml>\n"

    return _batched(parts())


def json_chunks(R: Redacted) -> Iterator[str]:
    """Node-link JSON, streamed in chunks: each node's ``key`` is its graph key
    (``contact:c-1``); a profile item's own key (``hobby``) is its ``item_key``."""
    encode = json.JSONEncoder(default=_scalar).encode

    def parts() -> Iterator[str]:
        yield '{"company_id": ' + encode(R.G.graph.get("company_id")) + ', "nodes": ['
        for i, (n, d) in enumerate(R.nodes()):
            if "key" in d:  # a profile item's own key must not hide the node's
                d = {("item_key" if a == "key" else a): v for a, v in d.items()}
            yield ("," if i else "") + encode({"key": n, **d})
        yield '], "edges": ['
        # An edge is {"source": .., "target": .., its attributes}: its ends' JSON made
        # once per node, an attribute set of its kind only once per kind.
        ends: dict[str, str] = {}
        rest: dict[tuple[str, str], str] = {}  # the attributes after the ends, by _only_text
        for i, (u, v, d) in enumerate(R.G.edges(data=True)):
            if not d or "source" in d or "target" in d:
                yield ("," if i else "") + encode({"source": u, "target": v, **d})
                continue
            eu = ends.get(u) or ends.setdefault(u, encode(u))
            ev = ends.get(v) or ends.setdefault(v, encode(v))
            only = _only_text(d)
            if only is None:
                tail = encode(d)[1:]  # '"kind": "KNOWS", "strength": 0.4}'
            else:
                tail = rest.get(only) or rest.setdefault(only, encode(d)[1:])
            yield f'{"," if i else ""}{{"source": {eu}, "target": {ev}, {tail}'
        yield "]}\n"

    return _batched(parts())


CSV_COLUMNS = ["id", "name", "email", "phone", "title", "seniority", "status", "department",
               "profile"]


def contacts_csv(R: Redacted) -> Iterator[str]:
    """The account's own contacts, one row each; profile items as ``key=value; ...``."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    G, cid = R.G, R.G.graph.get("company_id")
    for n in sorted(nodes_of(G, "contact")):
        d = R.node(n)
        if d.get("outside") or d.get("company_id") != cid:
            continue
        dept = G.nodes.get(f"department:{d.get('department_id')}", {})
        items = [R.node(v) for _, v, k in G.out_edges(n, keys=True) if k == "HAS_PROFILE_ITEM"]
        profile = "; ".join(
            f"{i['key']}={REDACTED if i.get('redacted') else i.get('value')}"
            for i in sorted(items, key=lambda i: i["id"]))
        writer.writerow([d["id"], d["name"], d.get("email") or "", d.get("phone") or "",
                         d.get("title") or "", _scalar(d.get("seniority")) or "",
                         _scalar(d.get("status")) or "", dept.get("function") or "", profile])
        if buf.tell() >= _CHUNK:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


_WRITERS: dict[str, Callable[[Redacted], Iterator[str]]] = {
    "graphml": graphml_lines, "json": json_chunks, "csv": contacts_csv}


def export_account(store: Store, cache: AccountCache, privacy: Privacy, company_id: str,
                   fmt: str) -> Iterator[str]:
    """Redact, write the audit, then hand back the chunks of one export format.

    The audit rows are written on another thread while the first chunks are made
    (the store's write runs outside the GIL); no chunk is handed back until the
    rows are stored, and a failed write raises here, before anything is sent.
    """
    write = _WRITERS.get(fmt)
    if write is None:
        raise ValueError(f"unknown export format {fmt!r}; one of graphml, json, csv")
    with collector.paused():  # every redacted node's dict and audit row: no cycles
        H = redact(cache.graph(check_id(company_id)), privacy)
        audit = _audit_writer().submit(privacy.flush, store)
        try:
            chunks = write(H)
            ahead: list[str] = []
            for chunk in chunks:  # as much as is made while the audit is written
                ahead.append(chunk)
                if audit.done():
                    break
        finally:
            audit.result()  # stored (or raised) before a chunk can leave
    return itertools.chain(ahead, chunks)


@functools.cache
def _audit_writer() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="export-audit")


router = APIRouter(prefix="/accounts", tags=["exports"])

_MEDIA = {"graphml": "application/graphml+xml", "json": "application/json",
          "csv": "text/csv; charset=utf-8"}


@router.get("/{company_id}/export")
def export_route(
    company_id: str,
    format: Literal["graphml", "json", "csv"] = Query("json"),
    store: Store = Depends(get_store),
    cache: AccountCache = Depends(get_cache),
    privacy: Privacy = Depends(privacy_for("export")),
) -> StreamingResponse:
    """The account as GraphML or JSON, or its contacts as CSV (format=csv)."""
    chunks = export_account(store, cache, privacy, company_id, format)
    ext = {"graphml": "graphml", "json": "json", "csv": "contacts.csv"}[format]
    return StreamingResponse(chunks, media_type=_MEDIA[format], headers={
        "Content-Disposition": f'attachment; filename="{company_id}.{ext}"'})
