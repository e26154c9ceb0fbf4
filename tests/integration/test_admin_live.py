"""Administration without downtime, against a real ``accountgraph serve`` (issue 18.1, 18.2).

The server holds the embedded store for writing. The CLI reads it read-only
(listings), and sends its writes through the server's API with an admin token;
without one it says how. A token revoked that way is refused at the very next
request. Every command says which store it opened (``--verbose``), and a "not
found" names the store it looked in.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from api.cli import main
from graph.settings import get_settings

ROOT = Path(__file__).parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cli:
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]

    def __call__(self, *args: str, admin_token: str | None = None) -> tuple[int, str, str]:
        """Run ``accountgraph ARGS`` in this process: (exit code, stdout, stderr)."""
        if admin_token:
            self.monkeypatch.setenv("ACCOUNTGRAPH_ADMIN_TOKEN", admin_token)
        else:
            self.monkeypatch.delenv("ACCOUNTGRAPH_ADMIN_TOKEN", raising=False)
        get_settings.cache_clear()
        self.capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, " ".join(err.split())  # rich and typer wrap long lines


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> Iterator[Cli]:
    for name in ("NEO4J_URI", "ACCOUNTGRAPH_STORE", "ACCOUNTGRAPH_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACCOUNTGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ACCOUNTGRAPH_API_PORT", str(_free_port()))
    monkeypatch.setenv("COLUMNS", "200")
    yield Cli(monkeypatch, capsys)
    get_settings.cache_clear()


def _token_of(out: str) -> str:
    return next(w for w in out.split() if w.startswith("ag_tok-"))


def _me(url: str, token: str) -> int:
    request = urllib.request.Request(
        f"{url}/graphql", data=json.dumps({"query": "{ me { id } }"}).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def server(cli: Cli) -> Iterator[str]:
    """``accountgraph serve`` in its own process over the test's store; its URL."""
    url = get_settings().server_url
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve"], cwd=ROOT,
                            env=dict(os.environ), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"serve did not start: {proc.stderr.read() if proc.stderr else ''}")
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        assert proc.stderr is not None
        proc.stderr.close()


def test_reading_commands_name_the_store_and_never_create_one(cli: Cli, tmp_path: Path) -> None:
    store = tmp_path / "data" / "accountgraph.lbug"
    code, _, err = cli("counts")
    assert code == 2 and str(store) in err and "ACCOUNTGRAPH_DATA_DIR" in err
    assert not store.exists()
    assert cli("init")[0] == 0
    code, _, err = cli("analyze", "co-00001", "--verbose")
    assert code == 2
    assert f"opened the ladybug store {store} (read-only)" in err
    assert f"no company with id 'co-00001' in the ladybug store {store}" in err


def test_administration_while_the_server_runs(cli: Cli, tmp_path: Path, request:
                                              pytest.FixtureRequest) -> None:
    companies = tmp_path / "companies.csv"
    companies.write_text("id,name,domain\nacme,Acme,acme.example\n", encoding="utf-8")
    assert cli("import", str(companies), "--kind", "companies")[0] == 0
    code, out, _ = cli("users", "create", "u-root", "--name", "Root", "--access", "admin")
    assert code == 0
    admin = _token_of(out)
    url = request.getfixturevalue("server")

    # Reading commands share the store with the running server.
    code, out, _ = cli("users", "list")
    assert code == 0 and "u-root" in out
    assert cli("tokens", "list")[0] == 0

    # A write without an admin token says how to send it through the server.
    code, _, err = cli("users", "create", "u-jane", "--name", "Jane")
    assert code == 2 and "ACCOUNTGRAPH_ADMIN_TOKEN" in err and url in err

    # With one, writes go through the server's API.
    code, out, err = cli("users", "create", "u-jane", "--name", "Jane", admin_token=admin)
    assert code == 0, err
    jane = _token_of(out)
    assert _me(url, jane) == 200  # the server now trusts (and caches) Jane's token
    token_id = jane.split("_")[1]
    code, out, _ = cli("tokens", "revoke", token_id, admin_token=admin)
    assert code == 0 and f"through the server at {url}" in out
    assert _me(url, jane) == 401  # at once, not after the cache's 10 seconds

    code, out, _ = cli("tokens", "create", "u-jane", "--name", "nb", admin_token=admin)
    second = _token_of(out)
    assert _me(url, second) == 200
    assert cli("users", "deactivate", "u-jane", admin_token=admin)[0] == 0
    assert _me(url, second) == 401

    code, _, err = cli("teams", "add", "co-none", "u-jane", admin_token=admin)
    assert code == 2 and "no company with id 'co-none'" in err
    assert cli("teams", "add", "acme", "u-jane", "--role", "support", admin_token=admin)[0] == 0
    code, out, _ = cli("teams", "list", "acme")
    assert code == 0 and "u-jane" in out and "support" in out

    # A server of another store than the one this command's settings name is not used.
    cli.monkeypatch.setenv("ACCOUNTGRAPH_DATA_DIR", str(tmp_path / "elsewhere"))
    code, _, err = cli("tokens", "create", "u-jane", admin_token=admin)
    assert code == 2 and f"serves the ladybug store {tmp_path / 'data'}" in err
    cli.monkeypatch.setenv("ACCOUNTGRAPH_DATA_DIR", str(tmp_path / "data"))

    # A token that is not an admin's is refused with the reason.
    assert cli("users", "activate", "u-jane", admin_token=admin)[0] == 0
    code, _, err = cli("users", "deactivate", "u-root", admin_token=second)
    assert code == 2 and "not an admin" in err
