"""Named queries: templates take schema identifiers only."""

from __future__ import annotations

import pytest

import queries
from graph.schema import NODE_KINDS, REL_KINDS


def test_every_template_renders_for_every_kind() -> None:
    for k in NODE_KINDS.values():
        text = queries.render(
            "ladybug", "node_fetch", label=k.label, returns=queries.returns(["id"])
        )
        assert f"MATCH (n:{k.label}" in text and "$ids" in text
    for r in REL_KINDS.values():
        assert r.name in queries.render("ladybug", "rel_count", rel=r.name)


def test_a_slot_refuses_anything_but_an_identifier() -> None:
    with pytest.raises(ValueError, match="not an identifier"):
        queries.render("ladybug", "node_count", label="Contact) DETACH DELETE (n")
    with pytest.raises(ValueError, match="not a Cypher identifier"):
        queries.props_map(["name`: 1}) //"])


def test_unknown_queries_and_dialects_are_named() -> None:
    with pytest.raises(KeyError, match="no_such_query"):
        queries.text("ladybug", "no_such_query")
    with pytest.raises(ValueError, match="sqlite"):
        queries.text("sqlite", "node_count")
