"""The account view over HTTP (issue 6's benchmark; run by hand).

    .venv/bin/python bench/bench_api.py [--size demo] [--data-dir DIR] [--duration 10]
        [--account ID | --manifest FILE --pick biggest|typical|full-page]

Seeds a LadybugDB store with a demo world (unless DIR already holds one), starts
``accountgraph serve`` (uvicorn, one worker) on loopback, and drives the account
view query (an account + 100 contacts with category, strength and company + the
account's readings) with ``wrk`` (Debian's package), 8 connections. Then serves
the very same response shape from in-memory objects with bare Strawberry on the
same stack (FastAPI + uvicorn) and drives it the same way, and reports the ratio
ours / bare. Targets: p50 < 30 ms, p99 < 100 ms, >= 60 requests/s, ratio <= 1.5.

Both servers are driven at 8 connections and at 1 (the single-connection latency
is the service time of one request; at 8 connections on one worker, p50 is about
8 / throughput). Bare Strawberry gets the same parser and validation caches as
ours, so the ratio compares our work with the framework's at its best. The
server's CPU time per request is read from /proc, since the machine may be busy;
ours and bare alternate in short runs (--rounds) and the medians are reported.

On a large store, name the account (--account) or let the seed's manifest pick
one (--manifest with --pick biggest, typical (the median contact count) or full-page
(the smallest with 100 contacts)); without either, the account with most contacts
among the first 500 is used.
"""


import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUERY = """query($id: ID!) { account(id: $id) { id name
  readings { status reasons mix breadth whitespace keyPeople }
  contacts(first: 100) { items { id name category { primary } strength company { name } } }
} }"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(url: str, body: dict[str, Any], token: str | None) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, json.dumps(body).encode(), headers)
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())  # type: ignore[no-any-return]


def _wait(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds}s")


def pick_from_manifest(path: Path, how: str) -> str:
    """From a seed manifest: the biggest account, one of median contact count
    ("typical"), or the smallest with a full page of 100 contacts ("full-page")."""
    accounts = sorted(json.loads(path.read_text())["accounts"], key=lambda a: a["contacts"])
    if not accounts:
        raise SystemExit(f"{path}: the manifest lists no accounts")
    if how == "full-page":
        full = [a for a in accounts if a["contacts"] >= 100]
        return str((full[0] if full else accounts[-1])["company_id"])
    return str((accounts[-1] if how == "biggest" else accounts[len(accounts) // 2])["company_id"])


def prepare(data_dir: Path, size: str, account: str | None = None) -> tuple[str, str, int]:
    """Seed if needed; returns (account id, analyst token, contacts in the account)."""
    from api.auth import create_token
    from api.demo import seed_if_empty
    from graph import model as m
    from graph.settings import Settings
    from graph.stores import open_store

    store = open_store(Settings(data_dir=data_dir, store="ladybug"))
    try:
        print(seed_if_empty(store, size=size), flush=True)
        store.upsert("user", [m.User(id="bench-analyst", name="Bench", access=m.Access.ANALYST)])
        token, _ = create_token(store, "bench-analyst", name="bench", expires_in_days=1)
        if account is not None:
            if store.get("company", account) is None:
                raise SystemExit(f"no company {account!r} in {data_dir}")
            return account, token, store.list("contact", {"company_id": account}, limit=1).total
        best, most = None, -1
        for c in store.list("company", limit=500).items:
            n = store.list("contact", {"company_id": c.id}, limit=1).total
            if n > most:
                best, most = c.id, n
        assert best is not None, "no companies in the store"
        return best, token, most
    finally:
        store.close()


def wrk(url: str, body: dict[str, Any], token: str | None, duration: int,
        connections: int) -> dict[str, float]:
    lua = Path(tempfile.mkdtemp()) / "post.lua"
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    lua.write_text("wrk.method = 'POST'\n" + f"wrk.body = {json.dumps(json.dumps(body))}\n"
                   + "".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}\n"
                             for k, v in headers.items()))
    # wrk wants no more threads than connections.
    out = subprocess.run(["wrk", f"-t{min(2, connections)}", f"-c{connections}",
                          f"-d{duration}s", "--latency", "-s", str(lua), url],
                         capture_output=True, text=True, check=True,
                         timeout=duration + 60).stdout
    def ms(label: str) -> float:
        found = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert found, out
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert rps, out
    return {"p50_ms": ms("50"), "p90_ms": ms("90"), "p99_ms": ms("99"),
            "rps": float(rps.group(1)), "non_2xx": float(errors.group(1)) if errors else 0.0}


def _fields(value: Any) -> int:
    """Resolved fields in a response (a JSON scalar counts once)."""
    if isinstance(value, dict):
        return sum(1 + (_fields(v) if isinstance(v, list | dict) else 0)
                   for v in value.values())
    if isinstance(value, list):
        return sum(_fields(v) for v in value)
    return 0


def bare_schema(response: dict[str, Any]) -> Any:
    """Bare Strawberry giving the captured response shape from in-memory objects."""
    import strawberry
    from strawberry.scalars import JSON

    data = response["data"]["account"]

    @strawberry.type
    class Company:
        name: str

    @strawberry.type
    class Category:
        primary: str

    @strawberry.type
    class Contact:
        id: strawberry.ID
        name: str
        category: Category | None
        strength: float | None
        company: Company | None

    @strawberry.type
    class Page:
        items: list[Contact]

    @strawberry.type
    class Readings:
        status: str | None
        reasons: list[str]
        mix: JSON | None
        breadth: JSON | None
        whitespace: JSON | None
        key_people: JSON | None

    contacts = [Contact(id=c["id"], name=c["name"],
                        category=Category(**c["category"]) if c["category"] else None,
                        strength=c["strength"], company=Company(**c["company"]))
                for c in data["contacts"]["items"]]
    r = data["readings"]

    @strawberry.type
    class Account:
        id: strawberry.ID
        name: str

        @strawberry.field
        def readings(self) -> Readings:
            return Readings(status=r["status"], reasons=r["reasons"], mix=r["mix"],
                            breadth=r["breadth"], whitespace=r["whitespace"],
                            key_people=r["keyPeople"])

        @strawberry.field
        def contacts(self, first: int = 50) -> Page:
            return Page(items=contacts[:first])

    @strawberry.type
    class Query:
        @strawberry.field
        def account(self, id: strawberry.ID) -> Account:
            return Account(id=id, name=data["name"])

    from strawberry.extensions import ParserCache, ValidationCache

    return strawberry.Schema(Query, extensions=[lambda: ParserCache(maxsize=256),
                                                lambda: ValidationCache(maxsize=256)])


def serve_bare(port: int, data_file: str) -> None:
    import uvicorn
    from fastapi import FastAPI
    from strawberry.fastapi import GraphQLRouter

    app = FastAPI()
    schema = bare_schema(json.loads(Path(data_file).read_text()))
    app.include_router(GraphQLRouter(schema, graphql_ide=None), prefix="/graphql")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def in_process(data_dir: Path, account: str, rounds: int = 30) -> dict[str, float]:
    """Ours and bare executed alternately in one process and one event loop, no HTTP:
    a ratio that a busy machine skews less, since both runs share whatever else runs."""
    import asyncio

    from api.auth import Viewer
    from api.cache import AccountCache
    from api.schema import build_schema
    from api.schema.context import Context
    from graph.model import User
    from graph.settings import Settings
    from graph.stores import open_store

    store = open_store(Settings(data_dir=data_dir, store="ladybug"))
    try:
        cache, schema = AccountCache(store), build_schema()
        user = store.get("user", "bench-analyst")
        assert isinstance(user, User)
        variables = {"id": account}

        async def run() -> dict[str, float]:
            def ours() -> Any:
                ctx = Context(viewer=Viewer(user, None), store=store, cache=cache,
                              request_id="b")
                return schema.execute(QUERY, variable_values=variables, context_value=ctx)

            first = await ours()
            assert not first.errors, first.errors
            bare = bare_schema({"data": first.data})

            def base() -> Any:
                return bare.execute(QUERY, variable_values=variables)

            assert (await base()).data == first.data
            spent = {"ours": 0.0, "bare": 0.0}
            for _ in range(rounds):
                for name, fn in (("ours", ours), ("bare", base)):
                    t = time.process_time()
                    await fn()
                    spent[name] += time.process_time() - t
            return {"ours_cpu_ms": round(spent["ours"] / rounds * 1e3, 2),
                    "bare_cpu_ms": round(spent["bare"] / rounds * 1e3, 2),
                    "ratio": round(spent["ours"] / spent["bare"], 2)}

        return asyncio.run(run())
    finally:
        store.close()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drive(name: str, pid: int, url: str, body: dict[str, Any], token: str | None,
          duration: int, connections: int) -> dict[str, float]:
    """One wrk run; adds the server's CPU ms per request and the load average."""
    cpu = _cpu_seconds(pid)
    result = wrk(url, body, token, duration, connections)
    spent = _cpu_seconds(pid) - cpu
    result["server_cpu_ms_per_req"] = round(spent * 1e3 / max(1.0, result["rps"] * duration), 2)
    result["load1"] = float(Path("/proc/loadavg").read_text().split()[0])
    print(f"{name} -c{connections}:", json.dumps(result), flush=True)
    return result


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: round(statistics.median(r[k] for r in runs), 2) for k in runs[0]}


def _timed_post(url: str, body: dict[str, Any], token: str | None) -> tuple[dict[str, Any],
                                                                            float]:
    t = time.perf_counter()
    answer = _post(url, body, token)
    return answer, round((time.perf_counter() - t) * 1e3, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="demo")
    ap.add_argument("--data-dir", type=Path, default=None)
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    ap.add_argument("--rounds", type=int, default=3,
                    help="ours and bare alternate this many times; medians are reported")
    ap.add_argument("--connections", type=int, nargs="+", default=[8, 1])
    ap.add_argument("--account", help="the account to view (default: see --pick)")
    ap.add_argument("--manifest", type=Path, help="the seed's manifest, to pick an account")
    ap.add_argument("--pick", choices=("biggest", "typical", "full-page"), default="biggest")
    ap.add_argument("--skip-in-process", action="store_true")
    ap.add_argument("--serve-bare", nargs=2, metavar=("PORT", "DATA"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve_bare:
        serve_bare(int(args.serve_bare[0]), args.serve_bare[1])
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-api-"))
    wanted = args.account or (pick_from_manifest(args.manifest, args.pick) if args.manifest
                              else None)
    account, token, n = prepare(data_dir, args.size, wanted)
    print(f"account {account}: {n} contacts (the query asks for 100); "
          f"load {Path('/proc/loadavg').read_text().strip()}", flush=True)

    port = _port()
    env = {**os.environ, "ACCOUNTGRAPH_DATA_DIR": str(data_dir), "ACCOUNTGRAPH_STORE": "ladybug",
           "ACCOUNTGRAPH_LOG_LEVEL": "WARNING"}
    ours = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
                            cwd=ROOT, env=env)
    bare = None
    connections = tuple(args.connections)
    try:
        url = f"http://127.0.0.1:{port}/graphql"
        _wait(f"http://127.0.0.1:{port}/healthz", ours)
        body = {"query": QUERY, "variables": {"id": account}}
        first, cold_ms = _timed_post(url, body, token)
        assert "errors" not in first, first["errors"]
        warm_ms = min(_timed_post(url, body, token)[1] for _ in range(5))
        fields = _fields(first["data"])
        print(f"response: {fields} resolved fields, {len(json.dumps(first)) // 1024} KiB; "
              f"first request {cold_ms} ms (graph loaded, readings computed), "
              f"warm {warm_ms} ms (best of 5)", flush=True)

        data_file = data_dir / "bench-response.json"
        data_file.write_text(json.dumps(first))
        bport = _port()
        bare = subprocess.Popen([sys.executable, __file__, "--serve-bare", str(bport),
                                 str(data_file)], cwd=ROOT)
        burl = f"http://127.0.0.1:{bport}/graphql"
        _wait(burl.replace("/graphql", "/docs"), bare)
        same = _post(burl, body, None)
        assert same["data"] == first["data"], "bare Strawberry must return the same response"
        # Alternate short runs of ours and bare, so that a change in what else the
        # machine is doing falls on both; report the medians.
        runs: dict[tuple[str, int], list[dict[str, float]]] = {}
        for _ in range(args.rounds):
            for c in connections:
                runs.setdefault(("ours", c), []).append(
                    drive("ours", ours.pid, url, body, token, args.duration, c))
                runs.setdefault(("bare", c), []).append(
                    drive("bare strawberry", bare.pid, burl, body, None, args.duration, c))
        for c in connections:
            ours_c, base_c = _median(runs[("ours", c)]), _median(runs[("bare", c)])
            print(f"median of {args.rounds} at -c{c}:", json.dumps({
                "ours": ours_c, "bare": base_c,
                "ratio_p50": round(ours_c["p50_ms"] / base_c["p50_ms"], 2),
                "ratio_throughput": round(base_c["rps"] / ours_c["rps"], 2),
                "ratio_cpu": round(ours_c["server_cpu_ms_per_req"]
                                   / base_c["server_cpu_ms_per_req"], 2),
                "targets": "p50<30ms p99<100ms rps>=60 ratio<=1.5"}), flush=True)
    finally:
        for p in (ours, bare):
            if p is not None:
                p.terminate()
                p.wait(timeout=20)
    if not args.skip_in_process:
        print("in process (no HTTP):", json.dumps(in_process(data_dir, account)), flush=True)


if __name__ == "__main__":
    main()
