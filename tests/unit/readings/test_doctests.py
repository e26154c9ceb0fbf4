"""The examples in the readings' docstrings are part of their documentation: keep them true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import graph.readings

MODULES = sorted(
    ["graph.readings"] + [f"graph.readings.{m.name}"
                          for m in pkgutil.iter_modules(graph.readings.__path__)]
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
