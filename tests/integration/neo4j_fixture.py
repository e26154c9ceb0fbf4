"""The Neo4j half of the ``store`` fixture: a real Neo4j 5 server, or a skip.

Where the server comes from, first that answers:

1. ``NEO4J_URI`` (with ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``):
   a server you run. Every test empties its database first, so it must be one
   kept for tests: the URI must point at this machine (localhost, 127.0.0.1,
   ::1) or ``TEST_NEO4J_ALLOW_WIPE=1`` must say that wiping it is fine.
2. testcontainers' ``Neo4jContainer("neo4j:5")`` when a Docker engine answers;
   started once per test session and stopped at its end.
3. Otherwise Neo4j 5 Community from Maven Central, started by the launcher in
   ``tests/tools/neo4j_launcher`` (Java 17 and Maven; see ``neo4j_launcher.py``)
   once per test session on a free loopback port and stopped at its end.
4. When none of these can run, the test is skipped with a one-line reason, or
   fails where ``ACCOUNTGRAPH_REQUIRE_NEO4J=1`` (CI) says Neo4j must be there.
"""

from __future__ import annotations

import gc
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from graph.errors import StoreUnavailable
from graph.store import Store
from tests.conftest import require

IMAGE = "neo4j:5"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class Server:
    uri: str
    user: str
    password: str
    database: str


REQUIRE_ENV = "ACCOUNTGRAPH_REQUIRE_NEO4J"

_session_server: Server | None = None
_no_server_reason: str | None = None


def _from_env() -> Server | None:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    host = urlsplit(uri).hostname or ""
    if host not in LOCAL_HOSTS and os.environ.get("TEST_NEO4J_ALLOW_WIPE") != "1":
        require(
            False,
            f"NEO4J_URI={uri} is not on this machine and the tests empty its database: "
            "set TEST_NEO4J_ALLOW_WIPE=1 if that database is only for tests",
            env=REQUIRE_ENV,
        )
    return Server(
        uri,
        os.environ.get("NEO4J_USER") or os.environ.get("NEO4J_USERNAME") or "neo4j",
        os.environ.get("NEO4J_PASSWORD", ""),
        os.environ.get("NEO4J_DATABASE") or "neo4j",
    )


def _docker_answers() -> str | None:
    """None when a Docker engine answers, else why not."""
    try:
        import docker
    except ImportError:
        return "the docker package is not installed (pip install -e '.[dev]')"
    reason = None
    # docker-py leaves its socket for the garbage collector when the engine
    # does not answer; collect it here, where its ResourceWarning means nothing.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            client = docker.from_env()
            try:
                client.ping()
            finally:
                client.close()
        except Exception as exc:  # any failure to reach the engine means: no Docker here
            reason = f"no Docker engine answers ({type(exc).__name__})"
        gc.collect()
    return reason


def _from_container(config: pytest.Config) -> Server:
    try:
        from testcontainers.community.neo4j import Neo4jContainer
    except ImportError:  # testcontainers before 4.10 kept it at the top level
        from testcontainers.neo4j import Neo4jContainer  # type: ignore[no-redef]

    container = Neo4jContainer(IMAGE)
    container.start()
    config.add_cleanup(container.stop)
    return Server(container.get_connection_url(), container.username, container.password, "neo4j")


def _from_launcher(config: pytest.Config) -> Server:
    from tests.integration import neo4j_launcher

    launched = neo4j_launcher.start()
    config.add_cleanup(launched.stop)
    return Server(launched.uri, launched.user, launched.password, "neo4j")


def _session(config: pytest.Config) -> Server:
    """The server this test session started (Docker, else the launcher), started once."""
    global _session_server, _no_server_reason
    if _session_server is not None:
        return _session_server
    if _no_server_reason is None:
        from tests.integration.neo4j_launcher import LauncherError

        docker_reason = _docker_answers()
        try:
            _session_server = (
                _from_container(config) if docker_reason is None else _from_launcher(config)
            )
            return _session_server
        except LauncherError as exc:
            _no_server_reason = (
                f"no Neo4j: set NEO4J_URI, start a Docker engine ({docker_reason}) "
                f"or let the launcher run ({exc})"
            )
    require(False, _no_server_reason, env=REQUIRE_ENV)
    raise AssertionError("unreachable: require skips or fails")


def neo4j_server(request: pytest.FixtureRequest) -> Server:
    """The server the Neo4j tests use, or a skip saying why there is none."""
    return _from_env() or _session(request.config)


def neo4j_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """A Neo4j store on an empty database, closed after the test."""
    from graph.stores.neo4j import Neo4jStore

    server = neo4j_server(request)
    try:
        store = Neo4jStore(server.uri, server.user, server.password, server.database)
    except StoreUnavailable as exc:
        if os.environ.get("NEO4J_URI"):
            # The user asked for this server: not reaching it is a failure.
            pytest.fail(str(exc))
        raise
    try:
        store.wipe()
        yield store
    finally:
        store.close()
