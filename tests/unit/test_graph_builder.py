"""GraphBuilder fills NetworkX's dicts itself: the graph must be the one networkx would build.

Same nodes, edges, attributes and, since exports print them in graph order, the same
order; a repeated node keeps its first attributes, a repeated edge key merges into the
first edge, an edge to a node that is not held is dropped.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.neighbourhood import GraphBuilder


def _shape(G: nx.MultiDiGraph) -> tuple[Any, ...]:
    return (
        G.graph,
        [(n, list(d.items())) for n, d in G.nodes(data=True)],
        [(u, v, k, list(d.items())) for u, v, k, d in G.edges(keys=True, data=True)],
        [(n, list(G.pred[n]), list(G.succ[n])) for n in G],
    )


def test_builder_builds_what_networkx_builds_in_the_same_order() -> None:
    nodes = [
        ("company", {"id": "acme", "name": "Acme"}, False),
        ("contact", {"id": "c-2", "name": "Bea"}, False),
        ("contact", {"id": "c-1", "name": "Al"}, False),
        ("contact", {"id": "c-1", "name": "Al again"}, True),  # first one wins
        ("user", {"id": "u-1", "name": "Amy"}, True),
    ]
    edges: list[tuple[str, tuple[str, str], tuple[str, str], dict[str, Any] | None, str | None]] = [
        ("EMPLOYED_AT", ("contact", "c-1"), ("company", "acme"),
         {"title": "CFO", "start_date": "2020-01-01"}, None),
        ("KNOWS", ("contact", "c-1"), ("contact", "c-2"), {"strength": 0.5}, None),
        ("EMPLOYED_AT", ("contact", "c-2"), ("company", "acme"), None, None),
        # the same key again: merged into the first edge, in its place
        ("EMPLOYED_AT", ("contact", "c-1"), ("company", "acme"), {"title": "CEO"}, None),
        ("OWNS", ("user", "u-1"), ("company", "acme"), {"until": None}, None),
        ("OWNS", ("user", "u-1"), ("company", "acme"), {"until": None}, "OWNS#2"),
        ("KNOWS", ("contact", "c-1"), ("contact", "c-1"), None, None),  # a loop
        ("KNOWS", ("contact", "c-1"), ("contact", "c-gone"), None, None),  # not held
        ("REPORTS_TO", ("contact", "c-2"), ("contact", "c-1"), None, None),
    ]
    b = GraphBuilder("acme")
    for rel, src, tgt, props, edge_key in edges[:3]:  # edges may come before their nodes
        b.edge(rel, src, tgt, props, edge_key=edge_key)
    for kind, props, outside in nodes:
        b.node(kind, props, outside=outside)
    for rel, src, tgt, props, edge_key in edges[3:]:
        b.edge(rel, src, tgt, props, edge_key=edge_key)

    want = nx.MultiDiGraph(company_id="acme")
    for kind, props, outside in nodes:
        k = f"{kind}:{props['id']}"
        if k not in want:
            want.add_node(k, kind=kind, outside=outside, **props)
    want.add_edges_from(
        (u, v, edge_key or rel, {"kind": rel, **(props or {})})
        for rel, (u, v), props, edge_key in (
            (rel, (f"{s[0]}:{s[1]}", f"{t[0]}:{t[1]}"), props, edge_key)
            for rel, s, t, props, edge_key in edges
        )
        if u in want and v in want
    )

    got = b.G
    assert _shape(got) == _shape(want)
    employed = got.edges["contact:c-1", "company:acme", "EMPLOYED_AT"]
    assert (employed["title"], employed["start_date"]) == ("CEO", "2020-01-01")
    assert "contact:c-gone" not in got
    # Still a graph networkx's own code reads and changes as usual.
    assert nx.has_path(got, "contact:c-2", "company:acme")
    got.add_edge("user:u-1", "contact:c-2", key="KNOWS", kind="KNOWS")
    assert list(got.successors("user:u-1")) == ["company:acme", "contact:c-2"]
