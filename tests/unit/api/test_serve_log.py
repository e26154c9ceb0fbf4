"""``accountgraph serve`` says where it listens and which store it serves."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.commands import serve
from api.logs import JsonFormatter
from graph.settings import get_settings


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """serve.run up to uvicorn, which is replaced by a note of what it was given."""
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    monkeypatch.setattr(serve.gc, "freeze", lambda: None)
    monkeypatch.setattr(serve.gc, "set_threshold", lambda *a: None)
    monkeypatch.setenv("ACCOUNTGRAPH_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield seen
    get_settings.cache_clear()


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def logged() -> Iterator[list[dict[str, Any]]]:
    """The JSON lines accountgraph logs (its handler is made once per process)."""
    handler = _Lines()
    logger = logging.getLogger("accountgraph")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def _listening(lines: list[dict[str, Any]]) -> dict[str, Any]:
    [line] = [x for x in lines if x["msg"] == "listening"]
    return line


def test_on_neo4j_it_logs_the_uri_not_a_data_folder(
    started: dict[str, Any], monkeypatch: pytest.MonkeyPatch, logged: list[dict[str, Any]],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://neo:s3cret@db.internal:7687")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret")
    serve.run("0.0.0.0", 8123)
    line = _listening(logged)
    assert line["url"] == "http://0.0.0.0:8123" and line["store"] == "neo4j"
    assert line["where"] == "bolt://db.internal:7687 (database neo4j)"
    assert "s3cret" not in json.dumps(line) and str(tmp_path) not in json.dumps(logged)
    assert started["port"] == 8123


def test_embedded_it_logs_the_database_file(
    started: dict[str, Any], monkeypatch: pytest.MonkeyPatch, logged: list[dict[str, Any]],
    tmp_path: Path,
) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    serve.run(None, None)
    line = _listening(logged)
    assert line["store"] == "ladybug"
    assert line["where"] == str(tmp_path / "data" / "accountgraph.lbug")
    assert line["url"] == f"http://127.0.0.1:{started['port']}"
