"""HTML pages (home, account maps, briefs): owned by the visualizer (issue 7).

The app factory includes ``router``; add routes here. Reuse
``api.deps.page_viewer`` (header or the browser sign-in cookie) for the signed-in
viewer, ``api.deps.privacy_for("map")`` for a Privacy that redacts and audits,
and ``api.deps.get_cache`` for the cached account graph and readings
(``cache.graph(id)``, ``cache.readings(id)``). A page that showed personal
values must call ``privacy.flush(store)`` before returning, so the reads are
audited (GraphQL does this itself).
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
