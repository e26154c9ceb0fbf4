"""A Neo4j 5 Community server from Maven Central, for test runs without Docker.

``tests/tools/neo4j_launcher`` is a Maven project (one Java class) that starts
Neo4j with Bolt on a free loopback port and a data folder; ``make test`` builds
it, and :func:`start` builds it too when it is missing or older than its
sources. The server lives as long as its standard input stays open, so a test
run that dies takes its server with it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "tests" / "tools" / "neo4j_launcher"
TARGET = PROJECT / "target"
BUILT = TARGET / ".built"  # touched by make and by build() after a good build
MAIN_CLASS = "accountgraph.testing.Neo4jLauncher"
READY = "accountgraph-neo4j "
PASSWORD = "accountgraph-tests"
# Enough for the suite's biggest transactions with room to spare; the page
# cache holds a test's few thousand nodes many times over.
HEAP = os.environ.get("ACCOUNTGRAPH_TEST_NEO4J_HEAP", "1g")
PAGE_CACHE = os.environ.get("ACCOUNTGRAPH_TEST_NEO4J_PAGECACHE", "256m")
START_TIMEOUT = 180.0
# Neo4j's page cache and native I/O want these; without them it logs warnings
# and falls back to slower paths.
JVM_OPTIONS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
)


class LauncherError(Exception):
    """The launcher cannot run here; the message says what is missing."""


@dataclass
class Launched:
    uri: str
    user: str
    password: str
    process: subprocess.Popen[bytes]
    home: Path
    logs: tuple[IO[bytes], ...]

    def stop(self) -> None:
        """Close the server's stdin (it shuts down cleanly) and remove its data."""
        try:
            if self.process.stdin:
                self.process.stdin.close()
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        finally:
            for log in self.logs:
                log.close()
            shutil.rmtree(self.home, ignore_errors=True)


def _sources() -> list[Path]:
    return [PROJECT / "pom.xml", *sorted((PROJECT / "src").rglob("*.java"))]


def is_built() -> bool:
    if not BUILT.exists():
        return False
    stamp = BUILT.stat().st_mtime
    return all(p.stat().st_mtime <= stamp for p in _sources())


def build() -> None:
    """``mvn package`` the launcher unless it is up to date (the jars stay cached in ~/.m2)."""
    if is_built():
        return
    mvn = shutil.which("mvn")
    if mvn is None or shutil.which("java") is None:
        raise LauncherError("the Neo4j launcher needs Java 17 and Maven (apt install maven)")
    done = subprocess.run(
        [mvn, "-q", "-B", "-f", str(PROJECT / "pom.xml"), "package"],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        raise LauncherError("building the Neo4j launcher failed: " + " | ".join(tail))
    BUILT.touch()


def classpath() -> str:
    return os.pathsep.join([str(TARGET / "classes"), str(TARGET / "dependency" / "*")])


def start(settings: Mapping[str, str] | None = None, *, heap: str = HEAP) -> Launched:
    """Build if needed, start a server on a fresh data folder, wait until it answers.

    ``settings``: extra neo4j.conf settings, for a test that needs its own server.
    """
    build()
    java = shutil.which("java")
    if java is None:
        raise LauncherError("the Neo4j launcher needs Java 17 (apt install openjdk-17-jre)")
    home = Path(tempfile.mkdtemp(prefix="accountgraph-neo4j-"))
    out = (home / "launcher.out").open("w+b")
    err = (home / "launcher.err").open("w+b")
    command = [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *JVM_OPTIONS,
        "-cp",
        classpath(),
        MAIN_CLASS,
        str(home / "neo4j"),
        PASSWORD,
        "0",
        PAGE_CACHE,
        *(f"{k}={v}" for k, v in (settings or {}).items()),
    ]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, stderr=err)
    launched = Launched("", "neo4j", PASSWORD, process, home, (out, err))
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        out.seek(0)
        for line in out.read().decode(errors="replace").splitlines():
            if line.startswith(READY):
                launched.uri = line[len(READY) :].strip()
                return launched
        if process.poll() is not None:
            err.seek(0)
            tail = err.read().decode(errors="replace").strip().splitlines()[-5:]
            launched.stop()
            raise LauncherError(
                f"the Neo4j launcher exited with {process.returncode}: " + " | ".join(tail)
            )
        time.sleep(0.2)
    launched.stop()
    raise LauncherError(f"the Neo4j launcher did not answer within {START_TIMEOUT:.0f} s")
