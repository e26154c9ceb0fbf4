"""Our templates, and the vis-network assets they carry inline.

Every page is one self-contained HTML document: vis-network's JS and CSS are read
from the copy pyvis ships in its package and written into the page, so a map
opens with no network at all (pyvis's own template pulls Bootstrap from a CDN).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from graph.errors import ConfigError

VIS_VERSION = "vis-9.1.2"
TEMPLATES = Path(__file__).parent / "templates"
#: What every page of one request shows besides its content (say, the reading date),
#: set by the web layer for the request; templates read what they know of it.
PAGE: ContextVar[Mapping[str, Any] | None] = ContextVar("page", default=None)


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """(JS, CSS) of vis-network, from the pyvis package."""
    try:
        lib = resources.files("pyvis") / "templates" / "lib" / VIS_VERSION
        return (lib / "vis-network.min.js").read_text("utf-8"), (lib / "vis-network.css").read_text(
            "utf-8"
        )
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise ConfigError(
            f"vis-network assets not found ({exc}); the map needs pyvis>=0.3.2 installed "
            f"with its templates/lib/{VIS_VERSION} folder: pip install 'pyvis>=0.3.2'"
        ) from None


def script_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>`` or ``<!--`` can close it."""
    text = json.dumps(data, separators=(",", ":"), default=str, ensure_ascii=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@lru_cache(maxsize=1)
def environment() -> Any:
    try:
        import jinja2
    except ImportError:  # pragma: no cover - pyvis depends on jinja2
        raise ConfigError("the pages need jinja2: pip install jinja2") from None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["script_json"] = script_json
    return env


def render(template: str, **context: Any) -> str:
    """Render one of our templates; vis assets are passed in when the page has a map."""
    js, css = vis_assets()
    context = {**(PAGE.get() or {}), **context}
    return str(environment().get_template(template).render(vis_js=js, vis_css=css, **context))
