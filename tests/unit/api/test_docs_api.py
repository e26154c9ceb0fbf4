"""The GraphQL examples in docs/api.md run against the schema as it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import parse, validate

from api.schema import build_schema
from tests.unit.api.conftest import Api

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", DOC.read_text(), flags=re.S)
# The analysts' questions name the demo world's data (EMEA manufacturing...):
# tests/integration/test_analyst_questions.py runs them there; here they are checked
# against the schema only.
QUESTIONS = re.findall(r"```graphql\n(.*?)```", DOC.read_text().split("## Analysts' questions")[1]
                       .split("\n## ")[0], flags=re.S)


def test_the_doc_has_examples() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("text", EXAMPLES, ids=lambda t: t.split("{")[0].strip() or "anon")
def test_example_is_valid_against_the_schema(text: str) -> None:
    schema = build_schema()._schema
    assert [e.message for e in validate(schema, parse(text))] == []


VARIABLES = {"Account": {"id": "acme"}, "Contact": {"id": "c-alice"},
             "Paths": {"contact": "c-bob"}}


@pytest.mark.parametrize("text", [e for e in EXAMPLES if e not in QUESTIONS],
                         ids=lambda t: t.split("{")[0].strip() or "anon")
def test_example_runs_over_http_within_the_limits(api: Api, text: str) -> None:
    name = text.split("{")[0].split("(")[0].replace("query", "").strip()
    result = api.gql("ada", text, VARIABLES.get(name, {}))
    assert "errors" not in result, result["errors"]
