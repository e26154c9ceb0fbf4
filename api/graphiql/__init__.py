"""GraphiQL at GET /graphql, served entirely from this host.

Strawberry's own page loads React and GraphiQL from a CDN; this one loads them
from /static/vendor/, which ``python -m api.graphiql.vendor`` fills from the npm
registry at install time (``make install``). Nothing is fetched at run time: when
the assets are missing the page says how to get them.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"

# What the page needs from the npm packages, by the name it is served under.
ASSETS = ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js",
          "graphiql.min.css")

router = APIRouter()

_MISSING = """<!doctype html><html><head><meta charset="utf-8"><title>GraphiQL: assets
missing</title></head><body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>GraphiQL assets are not installed</h1>
<p>This server serves GraphiQL from its own files and never from a CDN. Missing in
<code>{dir}</code>: {missing}.</p>
<p>Fetch them once from the npm registry (needs <code>npm</code>):</p>
<pre>.venv/bin/python -m api.graphiql.vendor</pre>
<p>The API itself works without them: POST GraphQL queries to <code>/graphql</code> with
<code>Authorization: Bearer &lt;token&gt;</code>.</p></body></html>"""


def missing_assets() -> list[str]:
    return [a for a in ASSETS if not (VENDOR_DIR / a).is_file()]


@router.get("/graphql", response_class=HTMLResponse, include_in_schema=False)
def graphiql_page() -> HTMLResponse:
    missing = missing_assets()
    if missing:
        return HTMLResponse(_MISSING.format(dir=VENDOR_DIR, missing=", ".join(missing)))
    return HTMLResponse(files("api.graphiql").joinpath("page.html").read_text())
